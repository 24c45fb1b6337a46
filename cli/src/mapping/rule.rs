//! How a mapping fills one people-file column from a row of the export.

use super::date::DateFormat;
use super::expr::{self, RowObject, Rows, Scope};
use super::phone;
use super::record::Record;
use crate::people::CLEAR;
use jiff::tz::TimeZone;
use minijinja::Expression;
use phonenumber::country::Id;
use std::sync::Arc;

/// What rules are evaluated with: the row, as cells and as expressions
/// see it, and the mapping's compiled expressions.
pub struct Context<'a> {
    pub record: Record<'a>,
    pub row: Option<Arc<RowObject>>,
    /// The kept rows `lookup` searches (none while rows are being skipped).
    pub rows: Option<Arc<Rows>>,
    pub exprs: &'a [Expression<'a, 'a>],
}

impl Context<'_> {
    fn eval(&self, index: usize) -> Result<minijinja::Value, String> {
        let (Some(expr), Some(row)) = (self.exprs.get(index), &self.row) else {
            return Err("the expression was not compiled".into());
        };
        let scope = Scope {
            row: row.clone(),
            rows: self.rows.clone(),
        };
        expr.eval(minijinja::Value::from_object(scope))
            .map_err(|e| expr::describe(&e))
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
    /// An expression, by its index in the mapping's list.
    Expr(usize),
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

/// Why a rule gives no value for a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The row cannot be read: it is refused (or skipped).
    Problem(String),
    /// The attribute is left as it is, and the rest of the row syncs.
    Warning(String),
}

/// What a mapping says of one people-file column.
#[derive(Debug, Clone)]
pub struct Rule {
    pub source: Source,
    pub lower: bool,
    pub upper: bool,
    /// Values (ignoring case) that mean "none": the attribute is cleared.
    /// `""` among them clears it when the value is empty.
    pub none: Vec<String>,
    /// Export value (compared ignoring case) → people-file value.
    pub values: Option<Vec<(String, String)>>,
    /// The value for one the table lacks; without it that is an error.
    pub default: Option<String>,
    /// Left-pads a number with zeros to this width (`42` → `000042`).
    pub pad: Option<usize>,
    pub date: Option<DateFormat>,
    pub time_zone: TimeZone,
    /// A phone, with the default country of its national numbers.
    pub phone: Option<Option<Id>>,
    /// The row's country, for its national numbers.
    pub country: Option<Box<Rule>>,
    /// The extension, given apart from the number.
    pub extension: Option<Box<Rule>>,
    /// For `manager`: the export columns the value is looked up in.
    pub key: Vec<String>,
}

impl Rule {
    pub fn new(source: Source) -> Rule {
        Rule {
            source,
            lower: false,
            upper: false,
            none: Vec::new(),
            values: None,
            default: None,
            pad: None,
            date: None,
            time_zone: TimeZone::UTC,
            phone: None,
            country: None,
            extension: None,
            key: Vec::new(),
        }
    }

    /// The export columns the rule names (expressions name theirs as they run).
    pub fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = match &self.source {
            Source::Column(c) => vec![c.as_str()],
            Source::Templates(ts) => ts.iter().flat_map(Template::columns).collect(),
            Source::Constant(_) | Source::Expr(_) => Vec::new(),
        };
        out.extend(self.key.iter().map(String::as_str));
        for sub in [&self.country, &self.extension].into_iter().flatten() {
            out.extend(sub.columns());
        }
        out
    }

    /// The text the source gives for this row, trimmed.
    fn raw(&self, ctx: &Context<'_>) -> Result<String, Failure> {
        Ok(match &self.source {
            Source::Column(c) => ctx.record.get(c).to_owned(),
            Source::Templates(ts) => ts
                .iter()
                .find_map(|t| t.render(&ctx.record))
                .unwrap_or_default(),
            Source::Constant(v) => v.clone(),
            Source::Expr(i) => expr::to_cell(&ctx.eval(*i).map_err(Failure::Problem)?)
                .map_err(Failure::Problem)?
                .trim()
                .to_owned(),
        })
    }

    /// The cell for this row: "" leaves the attribute alone.
    pub fn value(&self, ctx: &Context<'_>) -> Result<String, Failure> {
        let mut value = self.raw(ctx)?;
        // `none = [""]`: an empty cell means "no such value" too.
        if self
            .none
            .iter()
            .any(|n| n.trim().eq_ignore_ascii_case(&value))
        {
            return Ok(CLEAR.to_owned());
        }
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
            value = self.look_up(table, &value).map_err(Failure::Problem)?;
            if value.is_empty() {
                return Ok(value);
            }
        }
        if let Some(width) = self.pad
            && value.bytes().all(|b| b.is_ascii_digit())
        {
            value = format!("{value:0>width$}");
        }
        let date_cell = matches!(&self.source, Source::Column(c) if ctx.record.is_date(c));
        if let Some(format) = self.date.as_ref().filter(|_| !date_cell) {
            value = format
                .date(&value, &self.time_zone)
                .map_err(Failure::Problem)?;
        }
        if let Some(default) = self.phone {
            value = self.phone(ctx, &value, default)?;
        }
        Ok(value)
    }

    fn phone(
        &self,
        ctx: &Context<'_>,
        value: &str,
        default: Option<Id>,
    ) -> Result<String, Failure> {
        let warn =
            |why: String| Failure::Warning(format!("`{value}` {why}; the phone is left as it is"));
        let country = match &self.country {
            Some(rule) => match rule.value(ctx)?.as_str() {
                "" => default,
                named => {
                    Some(phone::country(named).map_err(|e| warn(format!("has no country: {e}")))?)
                }
            },
            None => default,
        };
        let extension = match &self.extension {
            Some(rule) => rule.value(ctx)?,
            None => String::new(),
        };
        phone::e164(value, country, &extension).map_err(warn)
    }

    fn look_up(&self, table: &[(String, String)], value: &str) -> Result<String, String> {
        if let Some((_, to)) = table
            .iter()
            .find(|(from, _)| from.trim().eq_ignore_ascii_case(value))
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
    pub column: Option<String>,
    /// The row is skipped when the cell is one of these (ignoring case)…
    pub equals: Vec<String>,
    /// …or, with `empty`, when the cell is empty…
    pub empty: bool,
    /// …or when this expression is true.
    pub when: Option<usize>,
}

impl Skip {
    pub fn applies(&self, ctx: &Context<'_>) -> Result<bool, String> {
        if let Some(column) = &self.column {
            let v = ctx.record.get(column);
            if (self.empty && v.is_empty()) || self.equals.iter().any(|e| e.eq_ignore_ascii_case(v))
            {
                return Ok(true);
            }
        }
        match self.when {
            Some(i) => ctx.eval(i).map(|v| v.is_true()),
            None => Ok(false),
        }
    }
}
