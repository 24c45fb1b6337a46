//! Stored records in creation order, found by id without a scan.

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
