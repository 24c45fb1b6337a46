//! One row of the export as rules and expressions read it: cells by
//! header name, ignoring case, trimmed.

use crate::input::Cell;
use std::collections::HashMap;

/// One row of the export, by header name (ignoring case).
pub struct Record<'a> {
    pub header: &'a HashMap<String, usize>,
    pub cells: &'a [Cell],
}

impl Record<'_> {
    /// Whether a workbook stored the column's cell as a date (its text
    /// is then `YYYY-MM-DD`, whatever a date layout says).
    pub fn is_date(&self, column: &str) -> bool {
        self.cell(column).is_some_and(|c| c.date)
    }

    fn cell(&self, column: &str) -> Option<&Cell> {
        self.header
            .get(&column.trim().to_lowercase())
            .and_then(|&i| self.cells.get(i))
    }

    /// The trimmed cell of a column; "" for one the header lacks.
    pub fn get(&self, column: &str) -> &str {
        self.cell(column).map_or("", text)
    }

    /// The trimmed cell at a header position; "" past the row's end.
    pub fn at(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", text)
    }
}

/// A cell's text as a rule reads it: without the `'` a spreadsheet-safe
/// CSV puts before a formula-like value, and trimmed.
fn text(cell: &Cell) -> &str {
    crate::sheet::unprotect(&cell.text).trim()
}
