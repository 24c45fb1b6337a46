//! Writing people in the format the reader accepts.

use super::{CLEAR, Column, Desired, Format, GROUP_SEPARATOR, Kind, Person};
use crate::sheet;
use std::fmt;
use std::io::{self, Write};

/// A value of one person that the format cannot carry so that it reads
/// back the same. Its cell is left empty (which leaves the attribute alone
/// when the file is fed back), and the rest of the row is written. A bad
/// `userName` cannot be left out: that row is written as it is, and the
/// reader refuses the file until it is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lossy {
    pub user_name: String,
    pub column: Column,
    pub reason: String,
}

impl Lossy {
    /// Whether the row, as written, makes the file fail its checks.
    pub fn breaks_the_file(&self) -> bool {
        self.column == Column::USER_NAME
    }
}

impl fmt::Display for Lossy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.breaks_the_file() {
            write!(
                f,
                "`{}`: the userName {}; the row is written as it is, and `check` refuses \
                 the file until the row or the user is fixed",
                self.user_name, self.reason
            )
        } else {
            write!(
                f,
                "{}: the {} cell is left empty: {}",
                self.user_name,
                self.column.name(),
                self.reason
            )
        }
    }
}

/// Writes people one by one, as spreadsheet-safe CSV (with a header row)
/// or JSON Lines.
pub enum PeopleWriter<W: Write> {
    Csv(Box<sheet::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> PeopleWriter<W> {
    /// Starts the output; for CSV this writes the header row.
    pub fn new(format: Format, out: W) -> io::Result<Self> {
        Ok(match format {
            Format::Csv => {
                let mut w = sheet::Writer::new(out);
                w.row(Column::all().map(Column::name))?;
                PeopleWriter::Csv(Box::new(w))
            }
            Format::Jsonl => PeopleWriter::Jsonl(out),
        })
    }

    /// Writes one person, always, and returns the values it had to leave out.
    pub fn write(&mut self, person: &Person) -> io::Result<Vec<Lossy>> {
        let format = match self {
            PeopleWriter::Csv(_) => Format::Csv,
            PeopleWriter::Jsonl(_) => Format::Jsonl,
        };
        let (person, lossy) = lossless(person, format);
        match self {
            PeopleWriter::Csv(w) => w.row(Column::all().map(|c| csv_cell(&person, c)))?,
            PeopleWriter::Jsonl(w) => writeln!(w, "{}", json_line(&person))?,
        }
        Ok(lossy)
    }

    /// Flushes the output.
    pub fn finish(self) -> io::Result<()> {
        match self {
            PeopleWriter::Csv(mut w) => w.flush(),
            PeopleWriter::Jsonl(mut w) => w.flush(),
        }
    }
}

/// The person with every value that would read back differently left out,
/// and what was left out.
fn lossless(person: &Person, format: Format) -> (Person, Vec<Lossy>) {
    let mut clean = person.clone();
    let mut lossy = Vec::new();
    let mut note = |column: Column, reason: String| {
        lossy.push(Lossy {
            user_name: person.user_name.clone(),
            column,
            reason,
        })
    };
    let name = &person.user_name;
    if name.is_empty() {
        note(Column::USER_NAME, "is empty".into());
    } else if name == CLEAR {
        note(Column::USER_NAME, format!("is `{CLEAR}`, the clear marker"));
    } else if name.trim() != name {
        note(Column::USER_NAME, "has spaces at its ends".into());
    }
    for column in Column::all() {
        let Some(Desired::Set(v)) = person.text(column) else {
            continue;
        };
        if let Some(reason) = text_problem(column, v, name) {
            clean.set(column, Desired::Keep);
            note(column, reason);
        }
    }
    if let Desired::Set(groups) = &person.groups
        && let Some(reason) = groups_problem(groups, format)
    {
        clean.groups = Desired::Keep;
        note(Column::GROUPS, reason);
    }
    (clean, lossy)
}

/// Why the reader would not give back `v` for this text column, if it would not.
fn text_problem(column: Column, v: &str, user_name: &str) -> Option<String> {
    if v.is_empty() {
        Some("the value is empty".into())
    } else if v == CLEAR {
        Some(format!(
            "the value is `{CLEAR}`, which would clear it on the way back"
        ))
    } else if v.trim() != v {
        Some("the value has spaces at its ends, which the reader trims".into())
    } else if column == Column::MANAGER {
        v.eq_ignore_ascii_case(user_name)
            .then(|| "the user is their own manager".into())
    } else {
        // The reader checks each cell by its column: what it would refuse
        // or rewrite does not read back the same.
        match column.check(v) {
            Ok(read) if read == v => None,
            Ok(read) => Some(format!("`{v}` would read back as `{read}`")),
            Err(_) if column == Column::EMAIL => {
                Some(format!("`{v}` is not an email address the reader accepts"))
            }
            Err(e) => Some(format!("the reader would refuse it: {e}")),
        }
    }
}

/// Why the groups cell would not read back as `groups`, if it would not. A
/// partial list would mean "member of these only", so one bad name leaves
/// the whole cell out.
fn groups_problem(groups: &[String], format: Format) -> Option<String> {
    if groups.is_empty() {
        return Some("the list is empty".into());
    }
    if format == Format::Csv && groups.len() == 1 && groups[0] == CLEAR {
        return Some(format!(
            "group `{CLEAR}` would read back as the clear marker (JSON Lines can hold it)"
        ));
    }
    let bad = groups.iter().find(|g| match format {
        Format::Csv => g.trim() != g.as_str() || g.is_empty() || g.contains(GROUP_SEPARATOR),
        Format::Jsonl => g.trim().is_empty(),
    })?;
    Some(if format == Format::Jsonl {
        format!("group `{bad}` is blank")
    } else if bad.contains(GROUP_SEPARATOR) {
        format!(
            "group `{bad}` holds `{GROUP_SEPARATOR}`, which separates groups in CSV \
             (JSON Lines can hold it)"
        )
    } else {
        format!("group `{bad}` is blank or has spaces at its ends (JSON Lines can hold it)")
    })
}

fn csv_cell(person: &Person, column: Column) -> String {
    match column.kind() {
        Kind::UserName => person.user_name.clone(),
        Kind::Active => person.active.to_string(),
        Kind::Groups => match &person.groups {
            Desired::Keep => String::new(),
            Desired::Clear => CLEAR.to_owned(),
            Desired::Set(names) => names.join(&GROUP_SEPARATOR.to_string()),
        },
        _ => match person.text(column) {
            Some(Desired::Set(v)) => v.clone(),
            Some(Desired::Clear) => CLEAR.to_owned(),
            Some(Desired::Keep) | None => String::new(),
        },
    }
}

/// One JSON object with the keys in column order (a `serde_json::Map`
/// would sort them), leaving out attributes that are kept.
fn json_line(person: &Person) -> String {
    use serde_json::Value;
    let mut fields = Vec::new();
    for column in Column::all() {
        let value = match column.kind() {
            Kind::UserName => Some(Value::from(person.user_name.as_str())),
            Kind::Active => Some(Value::from(person.active)),
            Kind::Groups => cell_json(&person.groups, |g| Value::from(g.clone())),
            _ => person
                .text(column)
                .and_then(|c| cell_json(c, |v| Value::from(v.as_str()))),
        };
        if let Some(v) = value {
            fields.push(format!("{}:{v}", Value::from(column.name())));
        }
    }
    format!("{{{}}}", fields.join(","))
}

fn cell_json<T>(
    cell: &Desired<T>,
    to_json: impl Fn(&T) -> serde_json::Value,
) -> Option<serde_json::Value> {
    match cell {
        Desired::Keep => None,
        Desired::Clear => Some(serde_json::Value::Null),
        Desired::Set(v) => Some(to_json(v)),
    }
}
