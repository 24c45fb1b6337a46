//! The mapping's expressions: minijinja's expression language (Jinja2's),
//! sandboxed — no file, network or environment access, a bounded amount of
//! work per evaluation — with a few functions HR exports need.
//!
//! An expression sees the row: `row['Work Email']` for any column, and each
//! column whose name is an identifier as a variable (`displayName`).

use super::record::Record;
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
const NOT_COLUMNS: [&str; 8] = [
    "row",
    "none",
    "true",
    "false",
    "range",
    "dict",
    "namespace",
    "lookup",
];

impl RowObject {
    pub fn new(record: &Record<'_>) -> Arc<RowObject> {
        let cells = record
            .header
            .iter()
            .map(|(name, &i)| (name.clone(), record.at(i).to_owned()))
            .collect();
        Arc::new(RowObject {
            cells,
            missing: Mutex::new(Vec::new()),
        })
    }

    /// The columns expressions asked for that the export lacks, since
    /// the last call.
    pub fn take_missing(&self) -> Vec<String> {
        self.missing
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default()
    }

    /// The trimmed cell of a column, if the export has it.
    fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .get(&column.trim().to_lowercase())
            .map(String::as_str)
    }

    fn note_missing(&self, name: &str) {
        if !NOT_COLUMNS.contains(&name)
            && let Ok(mut missing) = self.missing.lock()
            && !missing.iter().any(|m| m == name)
        {
            missing.push(name.to_owned());
        }
    }
}

/// A column's values (in lower case) → the rows holding them.
type ColumnIndex = Arc<HashMap<String, Vec<usize>>>;

/// The rows an expression may look up: those the mapping keeps, with
/// their lines, indexed by column as lookups ask for them.
#[derive(Debug)]
pub struct Rows {
    rows: Vec<(u64, Arc<RowObject>)>,
    by_column: Mutex<HashMap<String, ColumnIndex>>,
}

impl Rows {
    pub fn new(rows: Vec<(u64, Arc<RowObject>)>) -> Arc<Rows> {
        Arc::new(Rows {
            rows,
            by_column: Mutex::new(HashMap::new()),
        })
    }

    fn index(&self, column: &str) -> Result<ColumnIndex, Error> {
        let key = column.trim().to_lowercase();
        let mut cache = self
            .by_column
            .lock()
            .map_err(|_| Error::new(ErrorKind::InvalidOperation, "lookup index poisoned"))?;
        if let Some(index) = cache.get(&key) {
            return Ok(index.clone());
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, row)) in self.rows.iter().enumerate() {
            match row.get(&key) {
                None => {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!("lookup: the export has no column `{column}`"),
                    ));
                }
                Some("") => {}
                Some(value) => index.entry(value.to_lowercase()).or_default().push(i),
            }
        }
        let index = Arc::new(index);
        cache.insert(key, index.clone());
        Ok(index)
    }

    /// `lookup(COLUMN, VALUE)`: the one kept row whose COLUMN holds VALUE
    /// (ignoring case), none when no row does; two rows are an error
    /// naming their lines, so a lookup never picks one of them silently.
    fn lookup(&self, column: &str, value: &str) -> Result<Value, Error> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(Value::from(()));
        }
        let index = self.index(column)?;
        match index.get(&value.to_lowercase()).map(Vec::as_slice) {
            None | Some([]) => Ok(Value::from(())),
            Some([i]) => Ok(Value::from_dyn_object(self.rows[*i].1.clone())),
            Some([a, b, ..]) => Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "lookup: `{value}` is in column `{column}` of lines {} and {}",
                    self.rows[*a].0, self.rows[*b].0
                ),
            )),
        }
    }
}

/// What an expression of a column sees: its row, and `lookup` over the
/// kept rows.
#[derive(Debug)]
pub struct Scope {
    pub row: Arc<RowObject>,
    pub rows: Option<Arc<Rows>>,
}

impl Object for Scope {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match (key.as_str(), &self.rows) {
            (Some("lookup"), Some(rows)) => Some(Value::from_object(Lookup(rows.clone()))),
            _ => self.row.get_value(key),
        }
    }
}

#[derive(Debug)]
struct Lookup(Arc<Rows>);

impl Object for Lookup {
    fn call(
        self: &Arc<Self>,
        _: &mut minijinja::State<'_, '_>,
        args: &[Value],
    ) -> Result<Value, Error> {
        let (column, value): (String, Value) = minijinja::value::from_args(args)?;
        if value.is_undefined() || value.is_none() {
            return Ok(Value::from(()));
        }
        self.0.lookup(&column, &value.to_string())
    }
}

impl Object for RowObject {
    /// A row is true (`lookup(…) or …` falls back only when none is found).
    fn is_true(self: &Arc<Self>) -> bool {
        true
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        if name == "row" {
            return Some(Value::from_dyn_object(self.clone()));
        }
        match self.get(name) {
            Some(text) => Some(Value::from(text)),
            None => {
                self.note_missing(name);
                None
            }
        }
    }
}

/// The cell an expression's result gives: text; a list joined with `;`
/// (group names); none or undefined for an empty cell. A row (or another
/// map) is no cell: the expression has to pick a column of it.
pub fn to_cell(value: &Value) -> Result<String, String> {
    use minijinja::value::ValueKind;
    if value.is_undefined() || value.is_none() {
        return Ok(String::new());
    }
    if let Some(s) = value.as_str() {
        return Ok(s.to_owned());
    }
    match value.kind() {
        ValueKind::Map => Err(
            "the expression gives a row, not a value: pick a column, as in \
             lookup('Employee ID', Manager)['Work Email']"
                .into(),
        ),
        ValueKind::Seq | ValueKind::Iterable => {
            let items = value.try_iter().map_err(|e| describe(&e))?;
            Ok(items
                .map(|v| to_cell(&v))
                .collect::<Result<Vec<_>, _>>()?
                .join(";"))
        }
        _ => Ok(value.to_string()),
    }
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
    // A pattern may come from the rows (`capture(row['Pattern'])`): the
    // cache keeps a mapping's few, not one per row.
    if cache.len() >= 64 {
        cache.clear();
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
