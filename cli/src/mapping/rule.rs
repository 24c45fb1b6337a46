//! How a mapping fills one people-file column from a row of the export.

use super::values::{Country, DateLayout};
use std::collections::HashMap;

/// One row of the export, by header name (ignoring case).
pub struct Record<'a> {
    pub header: &'a HashMap<String, usize>,
    pub cells: &'a [crate::input::Cell],
}

impl Record<'_> {
    /// Whether a workbook stored the column's cell as a date (its text
    /// is then `YYYY-MM-DD`, whatever a date layout says).
    pub fn is_date(&self, column: &str) -> bool {
        self.header
            .get(&column.trim().to_lowercase())
            .and_then(|&i| self.cells.get(i))
            .is_some_and(|c| c.date)
    }

    /// The trimmed cell of a column; "" for one the header lacks.
    pub fn get(&self, column: &str) -> &str {
        self.header
            .get(&column.trim().to_lowercase())
            .and_then(|&i| self.cells.get(i))
            .map(|v| crate::sheet::unprotect(&v.text).trim())
            .unwrap_or("")
    }
}

/// Where a value comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// One column of the export.
    Column(String),
    /// The first template whose columns are all filled.
    Templates(Vec<Template>),
    /// The same value for every row.
    Constant(String),
}

/// Text with `{Column}` placeholders.
#[derive(Debug, Clone)]
pub struct Template(Vec<Piece>);

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Column(String),
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("template `{text}` has a `{{` without `}}`"))?;
            let name = rest[open + 1..open + close].trim();
            if name.is_empty() {
                return Err(format!("template `{text}` has an empty `{{}}`"));
            }
            pieces.push(Piece::Column(name.to_owned()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Ok(Template(pieces))
    }

    fn columns(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Column(c) => Some(c.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// The text, or `None` when a column it names is empty.
    fn render(&self, record: &Record<'_>) -> Option<String> {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Column(c) => match record.get(c) {
                    "" => return None,
                    v => out.push_str(v),
                },
            }
        }
        Some(out)
    }
}

/// What a mapping says of one people-file column.
#[derive(Debug, Clone)]
pub struct Rule {
    pub source: Source,
    pub lower: bool,
    pub upper: bool,
    /// Export value (compared ignoring case) → people-file value.
    pub values: Option<Vec<(String, String)>>,
    /// The value for one the table lacks; without it that is an error.
    pub default: Option<String>,
    /// Left-pads a number with zeros to this width (`42` → `000042`).
    pub pad: Option<usize>,
    pub date: Option<DateLayout>,
    pub phone: Option<Country>,
    /// For `manager`: the export column the value is looked up in.
    pub key: Option<String>,
}

impl Rule {
    pub fn new(source: Source) -> Rule {
        Rule {
            source,
            lower: false,
            upper: false,
            values: None,
            default: None,
            pad: None,
            date: None,
            phone: None,
            key: None,
        }
    }

    /// The export columns the rule reads.
    pub fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = match &self.source {
            Source::Column(c) => vec![c.as_str()],
            Source::Templates(ts) => ts.iter().flat_map(Template::columns).collect(),
            Source::Constant(_) => Vec::new(),
        };
        out.extend(self.key.as_deref());
        out
    }

    /// The cell for this row: "" leaves the attribute alone.
    pub fn value(&self, record: &Record<'_>) -> Result<String, String> {
        let mut value = match &self.source {
            Source::Column(c) => record.get(c).to_owned(),
            Source::Templates(ts) => ts.iter().find_map(|t| t.render(record)).unwrap_or_default(),
            Source::Constant(v) => v.clone(),
        };
        if value.is_empty() {
            return Ok(value);
        }
        if self.lower {
            value = value.to_lowercase();
        }
        if self.upper {
            value = value.to_uppercase();
        }
        if let Some(table) = &self.values {
            value = self.look_up(table, &value)?;
            if value.is_empty() {
                return Ok(value);
            }
        }
        if let Some(width) = self.pad
            && value.bytes().all(|b| b.is_ascii_digit())
        {
            value = format!("{value:0>width$}");
        }
        let date_cell = matches!(&self.source, Source::Column(c) if record.is_date(c));
        if let Some(layout) = self.date.as_ref().filter(|_| !date_cell) {
            value = layout.reformat(&value)?;
        }
        if let Some(country) = &self.phone {
            value = country.to_e164(&value)?;
        }
        Ok(value)
    }

    fn look_up(&self, table: &[(String, String)], value: &str) -> Result<String, String> {
        if let Some((_, to)) = table
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(value))
        {
            return Ok(to.clone());
        }
        self.default.clone().ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(from, _)| from.as_str()).collect();
            format!(
                "`{value}` is not in the values table ({}); add it, or a default",
                known.join(", ")
            )
        })
    }
}

/// A condition under which a row is left out of the feed (so a sync
/// treats the person as absent).
#[derive(Debug, Clone)]
pub struct Skip {
    pub column: String,
    /// The row is skipped when the cell is one of these (ignoring case)…
    pub equals: Vec<String>,
    /// …or, with `empty`, when the cell is empty.
    pub empty: bool,
}

impl Skip {
    pub fn applies(&self, record: &Record<'_>) -> bool {
        let v = record.get(&self.column);
        (self.empty && v.is_empty()) || self.equals.iter().any(|e| e.eq_ignore_ascii_case(v))
    }
}
