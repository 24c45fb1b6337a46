//! The people file: one row per user, in CSV or JSON Lines.
//!
//! `export users` writes it; `check` and `sync --from` read it.
//! Writing a user and reading the row back gives the same [`Person`], so an
//! export can be edited and fed back without losing or inventing values.

mod convert;
mod desired;
mod read;
mod write;

pub use convert::{Directory, person_from_user};
pub use desired::desired_user;
pub use read::{InputError, Problem, ReadOptions, is_email, parse, read_path};
pub use write::PeopleWriter;

use std::path::Path;

/// The cell value that clears an attribute (an empty cell leaves it alone).
pub const CLEAR: &str = "<clear>";

/// Separates group names in the `groups` cell.
pub const GROUP_SEPARATOR: char = ';';

/// The columns of a people file, in the order `export` writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    UserName,
    DisplayName,
    ExternalId,
    Active,
    Title,
    Department,
    Division,
    EmployeeNumber,
    Email,
    Phone,
    Manager,
    Groups,
}

impl Column {
    pub const ALL: [Column; 12] = [
        Column::UserName,
        Column::DisplayName,
        Column::ExternalId,
        Column::Active,
        Column::Title,
        Column::Department,
        Column::Division,
        Column::EmployeeNumber,
        Column::Email,
        Column::Phone,
        Column::Manager,
        Column::Groups,
    ];

    /// The header name (and JSON key).
    pub fn name(self) -> &'static str {
        match self {
            Column::UserName => "userName",
            Column::DisplayName => "displayName",
            Column::ExternalId => "externalId",
            Column::Active => "active",
            Column::Title => "title",
            Column::Department => "department",
            Column::Division => "division",
            Column::EmployeeNumber => "employeeNumber",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Manager => "manager",
            Column::Groups => "groups",
        }
    }

    /// Finds a column by header name, ignoring case and surrounding spaces:
    /// spreadsheets often capitalise headers.
    pub fn parse(name: &str) -> Option<Column> {
        let name = name.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }
}

/// What a row says about one attribute.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Cell<T> {
    /// Empty cell or absent key: leave the attribute as it is.
    #[default]
    Keep,
    /// Give the attribute this value.
    Set(T),
    /// Remove the attribute ([`CLEAR`] in CSV, `null` in JSON Lines).
    Clear,
}

/// One person of a people file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_name: String,
    /// `true` unless the row says `false`.
    pub active: bool,
    pub display_name: Cell<String>,
    pub external_id: Cell<String>,
    pub title: Cell<String>,
    pub department: Cell<String>,
    pub division: Cell<String>,
    pub employee_number: Cell<String>,
    /// The work email.
    pub email: Cell<String>,
    /// The work phone.
    pub phone: Cell<String>,
    /// The manager's `userName`.
    pub manager: Cell<String>,
    /// Names of the groups the person belongs to.
    pub groups: Cell<Vec<String>>,
}

impl Person {
    /// A person with only a `userName`, active, every other attribute left alone.
    pub fn new(user_name: impl Into<String>) -> Person {
        Person {
            user_name: user_name.into(),
            active: true,
            display_name: Cell::Keep,
            external_id: Cell::Keep,
            title: Cell::Keep,
            department: Cell::Keep,
            division: Cell::Keep,
            employee_number: Cell::Keep,
            email: Cell::Keep,
            phone: Cell::Keep,
            manager: Cell::Keep,
            groups: Cell::Keep,
        }
    }

    /// The cell of a single-valued text column; `None` for `userName`,
    /// `active` and `groups`, which have their own types.
    pub fn text(&self, column: Column) -> Option<&Cell<String>> {
        match column {
            Column::DisplayName => Some(&self.display_name),
            Column::ExternalId => Some(&self.external_id),
            Column::Title => Some(&self.title),
            Column::Department => Some(&self.department),
            Column::Division => Some(&self.division),
            Column::EmployeeNumber => Some(&self.employee_number),
            Column::Email => Some(&self.email),
            Column::Phone => Some(&self.phone),
            Column::Manager => Some(&self.manager),
            Column::UserName | Column::Active | Column::Groups => None,
        }
    }

    fn text_mut(&mut self, column: Column) -> Option<&mut Cell<String>> {
        match column {
            Column::DisplayName => Some(&mut self.display_name),
            Column::ExternalId => Some(&mut self.external_id),
            Column::Title => Some(&mut self.title),
            Column::Department => Some(&mut self.department),
            Column::Division => Some(&mut self.division),
            Column::EmployeeNumber => Some(&mut self.employee_number),
            Column::Email => Some(&mut self.email),
            Column::Phone => Some(&mut self.phone),
            Column::Manager => Some(&mut self.manager),
            Column::UserName | Column::Active | Column::Groups => None,
        }
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
