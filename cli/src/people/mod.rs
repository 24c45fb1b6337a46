//! The people file: one row per user, in CSV or JSON Lines.
//!
//! `export users` writes it; `check` and `sync --from` read it.
//! Writing a user and reading the row back gives the same [`Person`], so an
//! export can be edited and fed back without losing or inventing values.

mod columns;
mod convert;
mod desired;
mod read;
mod write;

pub use crate::input::{InputError, Problem};
pub use columns::{Column, Kind, is_email};
pub use convert::{Directory, person_from_user};
pub use desired::desired_user;
pub use read::{PeopleFile, ReadOptions, SkippedRow, from_cells, nearest_column, parse, read_path};
/// What a row says about one attribute: keep it (an empty cell), set it,
/// or clear it ([`CLEAR`] in CSV, `null` in JSON Lines). The engine's own
/// type, so a cell means exactly what the sync does with it.
pub use scim_sync::Desired;
pub use write::PeopleWriter;

use std::collections::BTreeMap;
use std::path::Path;

/// The cell value that clears an attribute (an empty cell leaves it alone).
pub const CLEAR: &str = "<clear>";

/// Separates group names in the `groups` cell.
pub const GROUP_SEPARATOR: char = ';';

/// One person of a people file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_name: String,
    /// `true` unless the row says `false`.
    pub active: bool,
    /// The manager's `userName`.
    pub manager: Desired<String>,
    /// Names of the groups the person belongs to.
    pub groups: Desired<Vec<String>>,
    /// The value columns' cells, each in the form [`Column::check`] gives.
    values: BTreeMap<Column, Desired<String>>,
}

impl Person {
    /// A person with only a `userName`, active, every other attribute left alone.
    pub fn new(user_name: impl Into<String>) -> Person {
        Person {
            user_name: user_name.into(),
            active: true,
            manager: Desired::Keep,
            groups: Desired::Keep,
            values: BTreeMap::new(),
        }
    }

    /// The cell of a single-valued column (a value column or the manager);
    /// `None` for `userName`, `active` and `groups`, which have their own
    /// types.
    pub fn text(&self, column: Column) -> Option<&Desired<String>> {
        const KEEP: &Desired<String> = &Desired::Keep;
        if column == Column::MANAGER {
            Some(&self.manager)
        } else if column.is_value() {
            Some(self.values.get(&column).unwrap_or(KEEP))
        } else {
            None
        }
    }

    /// Sets the cell of a single-valued column (see [`Person::text`]).
    pub fn set(&mut self, column: Column, cell: Desired<String>) {
        if column == Column::MANAGER {
            self.manager = cell;
        } else if column.is_value() {
            match cell {
                Desired::Keep => self.values.remove(&column),
                cell => self.values.insert(column, cell),
            };
        }
    }

    /// The value columns the row says something about, in column order.
    pub fn values(&self) -> impl Iterator<Item = (Column, &Desired<String>)> {
        self.values.iter().map(|(c, v)| (*c, v))
    }

    /// The externalId cell.
    pub fn external_id(&self) -> &Desired<String> {
        self.text(Column::EXTERNAL_ID).unwrap_or(&Desired::Keep)
    }
}

/// The two encodings of a people file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// The format named by a file's extension (`.csv` or `.jsonl`, any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("csv") {
            Some(Format::Csv)
        } else if ext.eq_ignore_ascii_case("jsonl") {
            Some(Format::Jsonl)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests;
