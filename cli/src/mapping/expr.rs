//! The mapping's expressions: minijinja's expression language (Jinja2's),
//! sandboxed — no file, network or environment access, a bounded amount of
//! work per evaluation — with a few functions HR exports need.
//!
//! An expression sees the row: `row['Work Email']` for any column, and each
//! column whose name is an identifier as a variable (`displayName`).

use super::rule::Record;
use minijinja::value::{Object, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Work an evaluation may do before it is stopped (a loop over a huge
/// range, say); a row's expressions take a few hundred at most.
const FUEL: u64 = 50_000;

/// The environment every expression of a mapping runs in.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_fuel(Some(FUEL));
    env.add_filter("capture", capture);
    env.add_filter("pad", pad);
    env.add_test("matching", matching);
    env.add_test("cjk", cjk);
    env
}

/// Checks an expression's syntax.
pub fn check(env: &Environment<'static>, source: &str) -> Result<(), String> {
    env.compile_expression(source)
        .map(|_| ())
        .map_err(|e| format!("expression `{source}`: {}", describe(&e)))
}

/// What went wrong, in one line.
pub fn describe(e: &Error) -> String {
    match e.detail() {
        Some(detail) => detail.to_owned(),
        None => e.kind().to_string(),
    }
}

/// A row as expressions see it. Columns the export lacks are noted, so
/// that a typo is reported rather than read as an empty cell.
#[derive(Debug)]
pub struct RowObject {
    cells: HashMap<String, String>,
    missing: Mutex<Vec<String>>,
}

/// Names an expression may use that are not columns.
const NOT_COLUMNS: [&str; 7] = ["row", "none", "true", "false", "range", "dict", "namespace"];

impl RowObject {
    pub fn new(record: &Record<'_>) -> Arc<RowObject> {
        let cells = record
            .header
            .iter()
            .map(|(name, &i)| {
                let text = record
                    .cells
                    .get(i)
                    .map_or("", |c| crate::sheet::unprotect(&c.text));
                (name.clone(), text.trim().to_owned())
            })
            .collect();
        Arc::new(RowObject {
            cells,
            missing: Mutex::new(Vec::new()),
        })
    }

    /// The columns expressions asked for that the export lacks.
    pub fn missing(&self) -> Vec<String> {
        self.missing.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Object for RowObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        if name == "row" {
            return Some(Value::from_dyn_object(self.clone()));
        }
        match self.cells.get(&name.trim().to_lowercase()) {
            Some(text) => Some(Value::from(text.as_str())),
            None => {
                if !NOT_COLUMNS.contains(&name)
                    && let Ok(mut missing) = self.missing.lock()
                    && !missing.iter().any(|m| m == name)
                {
                    missing.push(name.to_owned());
                }
                None
            }
        }
    }
}

/// The cell an expression's result gives: text; a list joined with `;`
/// (group names); none or undefined for an empty cell.
pub fn to_cell(value: &Value) -> String {
    if value.is_undefined() || value.is_none() {
        return String::new();
    }
    if let Some(s) = value.as_str() {
        return s.to_owned();
    }
    if matches!(value.kind(), minijinja::value::ValueKind::Seq)
        && let Ok(items) = value.try_iter()
    {
        return items.map(|v| to_cell(&v)).collect::<Vec<_>>().join(";");
    }
    value.to_string()
}

fn regex(pattern: &str) -> Result<Regex, Error> {
    static CACHE: Mutex<Option<HashMap<String, Regex>>> = Mutex::new(None);
    let mut cache = CACHE
        .lock()
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, "regex cache poisoned"))?;
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(re) = cache.get(pattern) {
        return Ok(re.clone());
    }
    let re = Regex::new(pattern).map_err(|e| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("pattern `{pattern}`: {e}"),
        )
    })?;
    cache.insert(pattern.to_owned(), re.clone());
    Ok(re)
}

/// `value | capture('OU=([^,]+)')`: the first group of the pattern's first
/// match (or group N with a second argument), or none.
fn capture(value: &str, pattern: &str, group: Option<usize>) -> Result<Value, Error> {
    let re = regex(pattern)?;
    Ok(re
        .captures(value)
        .and_then(|c| c.get(group.unwrap_or(1)))
        .map_or(Value::from(()), |m| Value::from(m.as_str())))
}

/// `value is matching('^CN=')`: whether the pattern matches (anywhere).
fn matching(value: &str, pattern: &str) -> Result<bool, Error> {
    Ok(regex(pattern)?.is_match(value))
}

/// `name is cjk`: written in Chinese, Japanese or Korean script alone.
fn cjk(value: &str) -> Result<bool, Error> {
    let re = regex(r"^[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}ー・\s]+$")?;
    Ok(!value.trim().is_empty() && re.is_match(value.trim()))
}

/// `value | pad(6)`: a number left-padded with zeros (`42` → `000042`);
/// other text is left as it is.
fn pad(value: &str, width: usize) -> String {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("{value:0>width$}")
    } else {
        value.to_owned()
    }
}
