//! Reading a mapping file (TOML), with errors naming its line and key.

use super::date::{DateFormat, time_zone};
use super::expr;
use super::rule::{Rule, Skip, Source, Template};
use crate::input;
use crate::people::{Column, InputError, Problem, nearest_column};
use minijinja::Environment;
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
    /// The environment expressions run in.
    pub env: Environment<'static>,
    /// Every expression, by index (`Source::Expr`, `Skip::when`).
    pub exprs: Vec<String>,
    /// The mapping's text, as read: what a state file binds to.
    pub text: String,
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
    column: Option<String>,
    #[serde(default)]
    equals: Vec<String>,
    #[serde(default)]
    empty: bool,
    when: Option<String>,
}

/// Every option of a column's table, in the order they apply.
pub(super) const OPTIONS: &str = "from, template, constant, expr, none, lower, upper, values, default, pad, \
                       date, time_zone, phone, country, extension, key";

/// The most bytes read from a mapping: the shipped ones are 2 KiB.
pub const LIMIT: u64 = 1 << 20;

/// Reads the mapping at `path`: UTF-8 (with or without a byte-order mark,
/// as Notepad saves it) or UTF-16 with one.
pub fn load(path: &Path) -> Result<Mapping, InputError> {
    let source = path.display().to_string();
    let bytes = crate::bounded_read::read(path, LIMIT).map_err(|e| {
        let message = match e {
            crate::bounded_read::ReadError::Io(e) => format!("cannot read the mapping: {e}"),
            too_large => too_large.to_string(),
        };
        InputError::one(&source, None, message)
    })?;
    // A byte-order mark decides; otherwise the text must be UTF-8.
    let text = input::decode_text(&bytes, Some(encoding_rs::UTF_8)).map_err(|p| {
        let not_utf8 = Problem::at(
            p.line,
            "bytes that are not UTF-8: save the mapping as UTF-8",
        );
        InputError::new(&source, vec![not_utf8])
    })?;
    from_text(&source, &text)
}

fn problem(line: Option<u64>, message: String) -> Problem {
    Problem::at(line, message)
}

/// What reading a mapping builds up: its expressions and its problems.
struct Builder {
    env: Environment<'static>,
    exprs: Vec<String>,
    problems: Vec<Problem>,
}

impl Builder {
    /// Adds an expression, checked, and gives its index.
    fn expr(&mut self, source: &str) -> Result<usize, String> {
        expr::check(&self.env, source)?;
        self.exprs.push(source.to_owned());
        Ok(self.exprs.len() - 1)
    }
}

/// Reads a mapping from its text; `source` names it in errors.
pub fn from_text(source: &str, text: &str) -> Result<Mapping, InputError> {
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() as u64 + 1;
    let file: FileToml = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(s.start));
        InputError::new(source, vec![problem(line, e.message().trim().to_owned())])
    })?;
    let mut b = Builder {
        env: expr::environment(),
        exprs: Vec::new(),
        problems: Vec::new(),
    };
    let mut rules = Vec::new();
    for (key, spec) in &file.columns {
        let line = line_of(spec.span().start);
        let name = key.get_ref();
        let built = match Column::parse(name) {
            Some(column) => rule(column, spec.get_ref(), &mut b).map(|r| (column, r)),
            None => Err(match nearest_column(name) {
                Some(c) => format!("no such people-file column; did you mean `{}`?", c.name()),
                None => "no such people-file column".into(),
            }),
        };
        match built {
            Ok((column, rule)) => rules.push((column, rule, line)),
            Err(message) => b.problems.push(problem(
                Some(line),
                format!("key `columns.{name}`: {message}"),
            )),
        }
    }
    if !rules.iter().any(|(c, _, _)| *c == Column::USER_NAME) {
        b.problems.push(problem(
            None,
            "the mapping must give `columns.userName`".into(),
        ));
    }
    let mut skips = Vec::new();
    for s in &file.skip {
        let line = line_of(s.span().start);
        match skip(s.get_ref(), &mut b) {
            Ok(skip) => skips.push((skip, line)),
            Err(message) => b
                .problems
                .push(problem(Some(line), format!("key `skip`: {message}"))),
        }
    }
    let input = match &file.input {
        None => input::Options::default(),
        Some(table) => input_options(table.get_ref()).unwrap_or_else(|message| {
            b.problems.push(problem(
                Some(line_of(table.span().start)),
                format!("key `input`: {message}"),
            ));
            input::Options::default()
        }),
    };
    if !b.problems.is_empty() {
        return Err(InputError::new(source, b.problems));
    }
    Ok(Mapping {
        source: source.to_owned(),
        rules,
        skips,
        managed_groups: file.managed_groups,
        input,
        env: b.env,
        exprs: b.exprs,
        text: text.to_owned(),
    })
}

fn skip(s: &SkipToml, b: &mut Builder) -> Result<Skip, String> {
    let by_column = !s.equals.is_empty() || s.empty;
    if s.column.is_some() != by_column || (s.column.is_none() && s.when.is_none()) {
        return Err(
            "give `column` with `equals = [...]` or `empty = true`, or `when = \"…\"`".into(),
        );
    }
    Ok(Skip {
        column: s.column.clone(),
        equals: s.equals.clone(),
        empty: s.empty,
        when: s.when.as_deref().map(|w| b.expr(w)).transpose()?,
    })
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
fn rule(column: Column, spec: &Value, b: &mut Builder) -> Result<Rule, String> {
    let mut rule = sub_rule(spec, b)?;
    if !rule.key.is_empty() && column != Column::MANAGER {
        return Err("`key` is for `manager` only".into());
    }
    let phone_column =
        matches!(column.kind(), crate::people::Kind::Phone(_)) || column == Column::PHONE;
    if rule.phone.is_some() && !phone_column {
        return Err("`phone` is for phone columns only".into());
    }
    if rule.phone.is_none() && (rule.country.is_some() || rule.extension.is_some()) {
        rule.phone = Some(None);
    }
    Ok(rule)
}

/// A rule as a column name or a table of options (a column's rule, or a
/// phone's `country` or `extension`).
fn sub_rule(spec: &Value, b: &mut Builder) -> Result<Rule, String> {
    let table = match spec {
        Value::String(from) => return Ok(Rule::new(Source::Column(from.clone()))),
        Value::Table(t) => t,
        _ => return Err("expected a column name or a table of options".into()),
    };
    if let Some(unknown) = table
        .keys()
        .find(|k| !OPTIONS.split(", ").any(|o| o == k.trim()))
    {
        let options = OPTIONS.split_whitespace().collect::<Vec<_>>().join(" ");
        return Err(format!(
            "unknown option `{unknown}` (the options are {options})"
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
    let expr = text("expr")?.map(|e| b.expr(&e)).transpose()?;
    let sources = [
        text("from")?.map(Source::Column),
        templates(table.get("template"))?,
        text("constant")?.map(Source::Constant),
        expr.map(Source::Expr),
    ];
    let mut sources = sources.into_iter().flatten();
    let (Some(source), None) = (sources.next(), sources.next()) else {
        return Err("give exactly one of `from`, `template`, `constant` and `expr`".into());
    };
    let mut rule = Rule::new(source);
    rule.lower = flag("lower")?;
    rule.upper = flag("upper")?;
    if rule.lower && rule.upper {
        return Err("`lower` and `upper` exclude each other".into());
    }
    rule.none = strings(table.get("none"), "none")?;
    rule.values = table.get("values").map(value_table).transpose()?;
    rule.default = text("default")?;
    if rule.default.is_some() && rule.values.is_none() {
        return Err("`default` needs a `values` table".into());
    }
    rule.pad = match table.get("pad") {
        None => None,
        Some(Value::Integer(n)) if (1..=64).contains(n) => Some(*n as usize),
        Some(_) => return Err("`pad` must be a width from 1 to 64".into()),
    };
    rule.date = text("date")?.map(|d| DateFormat::parse(&d)).transpose()?;
    if let Some(zone) = text("time_zone")? {
        rule.time_zone = time_zone(&zone)?;
    }
    rule.phone = match table.get("phone") {
        None => None,
        Some(Value::Boolean(true)) => Some(None),
        Some(Value::String(c)) => Some(Some(super::phone::country(c)?)),
        Some(_) => return Err("`phone` must be a country (such as \"US\") or true".into()),
    };
    for (key, slot) in [
        ("country", &mut rule.country),
        ("extension", &mut rule.extension),
    ] {
        if let Some(spec) = table.get(key) {
            *slot = Some(Box::new(
                sub_rule(spec, b).map_err(|e| format!("`{key}`: {e}"))?,
            ));
        }
    }
    rule.key = strings(table.get("key"), "key")?;
    Ok(rule)
}

/// A string or a list of strings.
fn strings(value: Option<&Value>, key: &str) -> Result<Vec<String>, String> {
    let wrong = || format!("`{key}` must be a string or a list of strings");
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect(),
        Some(_) => Err(wrong()),
    }
}

fn templates(value: Option<&Value>) -> Result<Option<Source>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    let texts = strings(Some(value), "template")?;
    if texts.is_empty() {
        return Err("`template` is an empty list".into());
    }
    let parsed = texts
        .iter()
        .map(|t| Template::parse(t))
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
