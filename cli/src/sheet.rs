//! Spreadsheet-safe CSV. People files are edited in spreadsheets, which
//! run a cell beginning with `=`, `+`, `-` or `@` as a formula (OWASP "CSV
//! injection") and turn `+15550100` into a number. Every CSV the CLI writes
//! puts a `'` before such a cell, which a spreadsheet shows as text; the
//! people-file reader takes it off again, so the round trip is exact.

use std::borrow::Cow;
use std::io::{self, Write};

/// First characters a spreadsheet may read as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Marks a cell as text.
const TEXT_MARK: char = '\'';

/// Whether `value`, less any leading `'`, starts like a formula: exactly
/// the values that get one more `'`, and the cells that lose one on reading.
fn starts_like_a_formula(value: &str) -> bool {
    value
        .trim_start_matches(TEXT_MARK)
        .starts_with(FORMULA_START)
}

/// The cell to write for `value`.
pub fn protect(value: &str) -> Cow<'_, str> {
    if starts_like_a_formula(value) {
        Cow::Owned(format!("{TEXT_MARK}{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The value a cell stands for: [`protect`] undone. A `'` before anything
/// else (`'Connor`) is part of the value.
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix(TEXT_MARK) {
        Some(rest) if starts_like_a_formula(cell) => rest,
        _ => cell,
    }
}

/// The CSV library wraps I/O errors; unwrapping them keeps their kind, so
/// a closed pipe is still recognised as one.
pub fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A CSV writer whose cells are all [`protect`]ed.
pub struct Writer<W: Write>(csv::Writer<W>);

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Writer<W> {
        Writer(csv::Writer::from_writer(out))
    }

    pub fn row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| protect(c.as_ref()).into_owned())
            .collect();
        self.0.write_record(&cells).map_err(io_error)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_values_get_a_mark_that_reading_takes_off() {
        for (value, cell) in [
            ("=1+1", "'=1+1"),
            ("+15550100", "'+15550100"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=1", "''=1"),
            ("''+1", "'''+1"),
            ("'Connor", "'Connor"),
            ("'", "'"),
            ("plain", "plain"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(protect(value), cell, "{value:?}");
            assert_eq!(unprotect(cell), value, "{cell:?}");
        }
    }
}
