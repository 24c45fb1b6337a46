//! Line numbers as an editor shows them. A line ends at `\n`, `\r\n` or a
//! lone `\r`; the csv crate counts lines its own way (wrong after a CRLF
//! inside a quoted cell), so lines are computed from byte offsets here.

/// The byte offset where each line starts.
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends {
                starts.push(i + 1);
            }
        }
        LineIndex(starts)
    }

    /// The 1-based line holding the byte at `offset`.
    pub fn line_of(&self, offset: usize) -> u64 {
        self.0.partition_point(|&start| start <= offset) as u64
    }

    /// The text of line `line` (1-based), without its end.
    pub fn line<'t>(&self, text: &'t str, line: u64) -> &'t str {
        let Some(&start) = self.0.get((line as usize).saturating_sub(1)) else {
            return "";
        };
        let end = self.0.get(line as usize).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\r', '\n'])
    }
}

/// How many line ends `text` holds.
pub fn count_breaks(text: &str) -> u64 {
    LineIndex::new(text).0.len() as u64 - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lf_and_lone_cr_each_end_one_line() {
        let text = "a\r\nb\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!([0, 3, 5, 7].map(|o| index.line_of(o)), [1, 2, 3, 4]);
        assert_eq!(index.line(text, 1), "a");
        assert_eq!(index.line(text, 4), "d");
        assert_eq!(count_breaks(text), 3);
    }
}
