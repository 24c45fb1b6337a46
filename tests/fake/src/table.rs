//! Stored records in creation order, found by id without a scan, and
//! ordered lists of sequence numbers that page without a scan.

use std::collections::{BTreeMap, HashMap};

use crate::record::Record;

/// The records of one resource type. Lists show them in creation order, so
/// each record gets a sequence number when it is first stored; lookups by id
/// go through a hash map, so neither depends on how many records there are.
#[derive(Debug, Default)]
pub(crate) struct Table {
    rows: BTreeMap<u64, Record>,
    seq_of: HashMap<String, u64>,
    next: u64,
}

impl Table {
    pub(crate) fn get(&self, id: &str) -> Option<&Record> {
        self.rows.get(self.seq_of.get(id)?)
    }

    /// The sequence number of the record with this id.
    pub(crate) fn seq(&self, id: &str) -> Option<u64> {
        self.seq_of.get(id).copied()
    }

    pub(crate) fn by_seq(&self, seq: u64) -> Option<&Record> {
        self.rows.get(&seq)
    }

    pub(crate) fn by_seq_mut(&mut self, seq: u64) -> Option<&mut Record> {
        self.rows.get_mut(&seq)
    }

    /// Stores `rec`: a record with the same id is replaced where it stands,
    /// otherwise `rec` goes last. Returns its sequence number and the record
    /// it replaced.
    pub(crate) fn put(&mut self, rec: Record) -> (u64, Option<Record>) {
        match self.seq_of.get(&rec.id) {
            Some(&seq) => (seq, self.rows.insert(seq, rec)),
            None => {
                let seq = self.next;
                self.next += 1;
                self.seq_of.insert(rec.id.clone(), seq);
                self.rows.insert(seq, rec);
                (seq, None)
            }
        }
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<Record> {
        let seq = self.seq_of.remove(id)?;
        self.rows.remove(&seq)
    }

    /// Every record, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Record> {
        self.rows.values()
    }
}

/// Sequence numbers in ascending order (creation order), held in a sorted
/// vector so that a list page is a slice: `startIndex` costs nothing,
/// whatever the size of the org. Adding a new record (the largest number so
/// far) is a push; other changes shift the tail, which is a memory move,
/// cheap next to the request that causes it.
#[derive(Debug, Default)]
pub(crate) struct SeqList(Vec<u64>);

impl SeqList {
    pub(crate) fn insert(&mut self, seq: u64) {
        if self.0.last().is_none_or(|&last| last < seq) {
            self.0.push(seq);
        } else if let Err(at) = self.0.binary_search(&seq) {
            self.0.insert(at, seq);
        }
    }

    pub(crate) fn remove(&mut self, seq: u64) {
        if let Ok(at) = self.0.binary_search(&seq) {
            self.0.remove(at);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Up to `count` numbers from position `skip` on.
    pub(crate) fn window(&self, skip: usize, count: usize) -> &[u64] {
        let from = skip.min(self.0.len());
        let to = from.saturating_add(count).min(self.0.len());
        &self.0[from..to]
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::SeqList;

    #[test]
    fn a_seq_list_stays_sorted_and_pages_by_position() {
        let mut list = SeqList::default();
        for seq in [1, 2, 5, 3, 9, 3] {
            list.insert(seq);
        }
        assert_eq!(list.iter().collect::<Vec<_>>(), [1, 2, 3, 5, 9]);
        list.remove(2);
        list.remove(7);
        assert_eq!(list.len(), 4);
        assert_eq!(list.window(1, 2), [3, 5]);
        assert_eq!(list.window(3, 10), [9]);
        assert!(list.window(10, 10).is_empty());
        assert!(list.window(0, 0).is_empty());
    }
}
