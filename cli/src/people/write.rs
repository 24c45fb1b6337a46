//! Writing people in the format the reader accepts.

use super::{CLEAR, Cell, Column, Format, GROUP_SEPARATOR, Person};
use std::fmt;
use std::io::{self, Write};

/// Why a person was not written.
#[derive(Debug)]
pub enum WriteError {
    /// A value the format cannot carry without changing its meaning on the
    /// way back in; nothing of that person was written.
    Unrepresentable {
        user_name: String,
        column: Column,
        reason: String,
    },
    /// Writing the output failed.
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Unrepresentable {
                user_name,
                column,
                reason,
            } => write!(
                f,
                "cannot export `{user_name}`: its {} {reason}",
                column.name()
            ),
            WriteError::Io(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<csv::Error> for WriteError {
    fn from(e: csv::Error) -> Self {
        WriteError::Io(e.into())
    }
}

/// Writes people one by one, as CSV (with a header row) or JSON Lines.
pub enum PeopleWriter<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> PeopleWriter<W> {
    /// Starts the output; for CSV this writes the header row.
    pub fn new(format: Format, out: W) -> Result<Self, WriteError> {
        Ok(match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(Column::ALL.map(Column::name))?;
                PeopleWriter::Csv(Box::new(w))
            }
            Format::Jsonl => PeopleWriter::Jsonl(out),
        })
    }

    /// Writes one person, or nothing when a value cannot be represented.
    pub fn write(&mut self, person: &Person) -> Result<(), WriteError> {
        match self {
            PeopleWriter::Csv(w) => {
                check(person, Format::Csv)?;
                w.write_record(Column::ALL.map(|c| csv_cell(person, c)))?;
            }
            PeopleWriter::Jsonl(w) => {
                check(person, Format::Jsonl)?;
                writeln!(w, "{}", json_line(person))?;
            }
        }
        Ok(())
    }

    /// Flushes the output.
    pub fn finish(self) -> Result<(), WriteError> {
        match self {
            PeopleWriter::Csv(mut w) => w.flush()?,
            PeopleWriter::Jsonl(mut w) => w.flush()?,
        }
        Ok(())
    }
}

/// Refuses values that would read back differently.
fn check(person: &Person, format: Format) -> Result<(), WriteError> {
    let refuse = |column: Column, reason: &str| WriteError::Unrepresentable {
        user_name: person.user_name.clone(),
        column,
        reason: reason.to_owned(),
    };
    let name = &person.user_name;
    if name.is_empty() || name == CLEAR || name.trim() != name {
        return Err(refuse(
            Column::UserName,
            "is empty, has spaces at its ends or is the clear marker",
        ));
    }
    for column in Column::ALL {
        if let Some(Cell::Set(v)) = person.text(column)
            && (v.is_empty() || v == CLEAR)
        {
            return Err(refuse(column, "is empty or equal to the clear marker"));
        }
    }
    if let Cell::Set(groups) = &person.groups {
        if groups.is_empty() {
            return Err(refuse(Column::Groups, "is an empty list"));
        }
        for g in groups {
            let bad = match format {
                Format::Csv => g.trim() != g || g.is_empty() || g.contains(GROUP_SEPARATOR),
                Format::Jsonl => g.trim().is_empty(),
            };
            if bad {
                return Err(refuse(
                    Column::Groups,
                    &format!("include `{g}`, a name this format cannot hold (try JSON Lines)"),
                ));
            }
        }
    }
    Ok(())
}

fn csv_cell(person: &Person, column: Column) -> String {
    match column {
        Column::UserName => person.user_name.clone(),
        Column::Active => person.active.to_string(),
        Column::Groups => match &person.groups {
            Cell::Keep => String::new(),
            Cell::Clear => CLEAR.to_owned(),
            Cell::Set(names) => names.join(&GROUP_SEPARATOR.to_string()),
        },
        text => match person.text(text) {
            Some(Cell::Set(v)) => v.clone(),
            Some(Cell::Clear) => CLEAR.to_owned(),
            Some(Cell::Keep) | None => String::new(),
        },
    }
}

/// One JSON object with the keys in column order (a `serde_json::Map`
/// would sort them), leaving out attributes that are kept.
fn json_line(person: &Person) -> String {
    use serde_json::Value;
    let mut fields = Vec::new();
    for column in Column::ALL {
        let value = match column {
            Column::UserName => Some(Value::from(person.user_name.as_str())),
            Column::Active => Some(Value::from(person.active)),
            Column::Groups => cell_json(&person.groups, |g| Value::from(g.clone())),
            text => person
                .text(text)
                .and_then(|c| cell_json(c, |v| Value::from(v.as_str()))),
        };
        if let Some(v) = value {
            fields.push(format!("{}:{v}", Value::from(column.name())));
        }
    }
    format!("{{{}}}", fields.join(","))
}

fn cell_json<T>(
    cell: &Cell<T>,
    to_json: impl Fn(&T) -> serde_json::Value,
) -> Option<serde_json::Value> {
    match cell {
        Cell::Keep => None,
        Cell::Clear => Some(serde_json::Value::Null),
        Cell::Set(v) => Some(to_json(v)),
    }
}
