//! Reading a mapping file (TOML), with errors naming its line and key.

use super::rule::{Rule, Skip, Source, Template};
use super::values::{Country, DateLayout};
use crate::input;
use crate::people::{Column, InputError, Problem, nearest_column};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::{Spanned, Value};

/// A checked mapping: a rule per people-file column, and when to skip rows.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// The mapping file's name, as given.
    pub source: String,
    /// Each rule with the line of its key.
    pub rules: Vec<(Column, Rule, u64)>,
    pub skips: Vec<(Skip, u64)>,
    /// Groups whose memberships follow the groups column (`--managed-groups`).
    pub managed_groups: Vec<String>,
    /// How to read the export (`[input]`); the command line wins over it.
    pub input: input::Options,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    columns: BTreeMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    skip: Vec<Spanned<SkipToml>>,
    #[serde(default)]
    managed_groups: Vec<String>,
    input: Option<Spanned<InputToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputToml {
    encoding: Option<String>,
    delimiter: Option<String>,
    sheet: Option<String>,
    header_row: Option<u64>,
    #[serde(default)]
    label_rows: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkipToml {
    column: String,
    #[serde(default)]
    equals: Vec<String>,
    #[serde(default)]
    empty: bool,
}

const OPTIONS: &str =
    "from, template, constant, values, default, lower, upper, pad, date, phone, key";

/// Reads the mapping at `path`.
pub fn load(path: &Path) -> Result<Mapping, InputError> {
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::one(&source, None, format!("cannot read the mapping: {e}")))?;
    from_text(&source, &text)
}

fn problem(line: Option<u64>, message: String) -> Problem {
    Problem {
        line,
        column: None,
        message,
    }
}

/// Reads a mapping from its text; `source` names it in errors.
pub fn from_text(source: &str, text: &str) -> Result<Mapping, InputError> {
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() as u64 + 1;
    let refuse = |problems| InputError::new(source, problems);
    let file: FileToml = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(s.start));
        refuse(vec![problem(line, e.message().trim().to_owned())])
    })?;
    let mut problems = Vec::new();
    let mut rules = Vec::new();
    for (key, spec) in &file.columns {
        let line = line_of(spec.span().start);
        let name = key.get_ref();
        let mut fail = |message: String| {
            problems.push(problem(
                Some(line),
                format!("key `columns.{name}`: {message}"),
            ))
        };
        let Some(column) = Column::parse(name) else {
            fail(match nearest_column(name) {
                Some(c) => format!("no such people-file column; did you mean `{}`?", c.name()),
                None => "no such people-file column".into(),
            });
            continue;
        };
        match rule(column, spec.get_ref()) {
            Ok(rule) => rules.push((column, rule, line)),
            Err(message) => fail(message),
        }
    }
    if !rules.iter().any(|(c, _, _)| *c == Column::USER_NAME) {
        problems.push(problem(
            None,
            "the mapping must give `columns.userName`".into(),
        ));
    }
    let skips = file
        .skip
        .iter()
        .map(|s| {
            let line = line_of(s.span().start);
            let s = s.get_ref();
            if s.equals.is_empty() && !s.empty {
                problems.push(problem(
                    Some(line),
                    "key `skip`: give `equals = [...]` or `empty = true`".into(),
                ));
            }
            let skip = Skip {
                column: s.column.clone(),
                equals: s.equals.clone(),
                empty: s.empty,
            };
            (skip, line)
        })
        .collect();
    let input = match &file.input {
        None => input::Options::default(),
        Some(table) => input_options(table.get_ref()).unwrap_or_else(|message| {
            problems.push(problem(
                Some(line_of(table.span().start)),
                format!("key `input`: {message}"),
            ));
            input::Options::default()
        }),
    };
    if problems.is_empty() {
        Ok(Mapping {
            source: source.to_owned(),
            rules,
            skips,
            managed_groups: file.managed_groups,
            input,
        })
    } else {
        Err(refuse(problems))
    }
}

fn input_options(table: &InputToml) -> Result<input::Options, String> {
    if table.header_row == Some(0) {
        return Err("`header_row` counts from 1".into());
    }
    Ok(input::Options {
        encoding: table.encoding.as_deref().map(input::encoding).transpose()?,
        delimiter: table
            .delimiter
            .as_deref()
            .map(input::delimiter)
            .transpose()?,
        sheet: table.sheet.clone(),
        header_row: table.header_row,
        label_rows: table.label_rows,
    })
}

/// The rule a column's value in the mapping stands for: a column name, or
/// a table of options.
fn rule(column: Column, spec: &Value) -> Result<Rule, String> {
    let table = match spec {
        Value::String(from) => return Ok(Rule::new(Source::Column(from.clone()))),
        Value::Table(t) => t,
        _ => return Err("expected a column name or a table of options".into()),
    };
    if let Some(unknown) = table
        .keys()
        .find(|k| !OPTIONS.split(", ").any(|o| o == k.as_str()))
    {
        return Err(format!(
            "unknown option `{unknown}` (the options are {OPTIONS})"
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let flag = |key: &str| -> Result<bool, String> {
        match table.get(key) {
            None => Ok(false),
            Some(Value::Boolean(b)) => Ok(*b),
            Some(_) => Err(format!("`{key}` must be true or false")),
        }
    };
    let sources = [
        text("from")?.map(Source::Column),
        templates(table.get("template"))?,
        text("constant")?.map(Source::Constant),
    ];
    let mut sources = sources.into_iter().flatten();
    let (Some(source), None) = (sources.next(), sources.next()) else {
        return Err("give exactly one of `from`, `template` and `constant`".into());
    };
    let mut rule = Rule::new(source);
    rule.lower = flag("lower")?;
    rule.upper = flag("upper")?;
    if rule.lower && rule.upper {
        return Err("`lower` and `upper` exclude each other".into());
    }
    rule.values = table.get("values").map(value_table).transpose()?;
    rule.default = text("default")?;
    rule.pad = match table.get("pad") {
        None => None,
        Some(Value::Integer(n)) if (1..=64).contains(n) => Some(*n as usize),
        Some(_) => return Err("`pad` must be a width from 1 to 64".into()),
    };
    rule.date = text("date")?.map(|d| DateLayout::parse(&d)).transpose()?;
    rule.phone = text("phone")?.map(|c| Country::parse(&c)).transpose()?;
    rule.key = text("key")?;
    if rule.key.is_some() && column != Column::MANAGER {
        return Err("`key` is for `manager` only".into());
    }
    if rule.default.is_some() && rule.values.is_none() {
        return Err("`default` needs a `values` table".into());
    }
    Ok(rule)
}

fn templates(value: Option<&Value>) -> Result<Option<Source>, String> {
    let texts: Vec<&str> = match value {
        None => return Ok(None),
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or("`template` must be a string or a list of strings")
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`template` must be a string or a list of strings".into()),
    };
    if texts.is_empty() {
        return Err("`template` is an empty list".into());
    }
    let parsed = texts
        .into_iter()
        .map(Template::parse)
        .collect::<Result<_, _>>()?;
    Ok(Some(Source::Templates(parsed)))
}

/// `values = { "Active" = "true", "Terminated" = false }`: strings or booleans.
fn value_table(value: &Value) -> Result<Vec<(String, String)>, String> {
    let Value::Table(t) = value else {
        return Err("`values` must be a table".into());
    };
    t.iter()
        .map(|(from, to)| match to {
            Value::String(s) => Ok((from.clone(), s.clone())),
            Value::Boolean(b) => Ok((from.clone(), b.to_string())),
            _ => Err(format!("`values.{from}` must be a string or true/false")),
        })
        .collect()
}
