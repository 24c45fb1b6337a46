//! Reading a people file, with errors that name the file, line and column.

use super::{CLEAR, Column, Desired, Format, GROUP_SEPARATOR, Kind, Person};
use crate::input::{self, InputError, Place, Problem};
use crate::sheet;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// How lenient the reader is, and how to read the file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Skip columns (or JSON keys) that are not people-file columns instead
    /// of refusing the file.
    pub ignore_unknown_columns: bool,
    /// Leave out the rows with problems (each still reported) and read the
    /// others; problems of the file as a whole still refuse it.
    pub skip_invalid_rows: bool,
    /// Encoding, delimiter and sheet, when not detected.
    pub input: input::Options,
}

/// A person and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub person: Person,
}

/// A people file that passed every check.
#[derive(Debug, Clone)]
pub struct PeopleFile {
    /// The file name, as given.
    pub source: String,
    /// The sheet read, in a workbook.
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
    /// Unknown columns that were skipped (with `ignore_unknown_columns`).
    pub ignored_columns: Vec<String>,
    /// With `skip_invalid_rows`: the rows left out, and their problems.
    pub skipped: Vec<SkippedRow>,
    /// The rows a mapping's `[[skip]]` left out, by what their person is
    /// known by: the old record of a rehire among them links its ids.
    pub left_out: Vec<SkippedRow>,
    pub skipped_problems: Vec<Problem>,
    /// What is worth saying about rows read all the same (a row repeated
    /// whole, letters lost, a phone left as it is).
    pub warnings: Vec<Problem>,
    /// The people-file columns the file gives: its header's, the keys of
    /// its JSON lines, or a mapping's.
    pub columns: Vec<Column>,
}

/// A row left out by `skip_invalid_rows`: its line and what its person is
/// known by, so that the sync leaves that person alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    pub line: u64,
    pub user_name: String,
    /// The row's externalId, as written, if it gives one.
    pub external_id: Option<String>,
}

impl PeopleFile {
    fn with_columns(mut self, columns: impl IntoIterator<Item = Column>) -> PeopleFile {
        for column in columns {
            if !self.columns.contains(&column) {
                self.columns.push(column);
            }
        }
        self
    }

    pub fn place(&self) -> Place<'_> {
        Place {
            source: &self.source,
            sheet: self.sheet.as_deref(),
        }
    }

    /// The old records among the rows a mapping left out: those giving the
    /// userName of an active row with another externalId (a rehire's old
    /// record, a converted contractor's row). Each is an inactive person of
    /// that userName and externalId alone, at its line: as such a row, it
    /// links the old id to the new one and plans nothing of its own.
    pub fn old_records(&self) -> Vec<Row> {
        let key = |n: &str| n.trim().to_lowercase();
        let active: HashMap<String, &Desired<String>> = (self.rows.iter())
            .filter(|r| r.person.active)
            .map(|r| (key(&r.person.user_name), r.person.external_id()))
            .collect();
        let mut records: Vec<Row> = Vec::new();
        for o in &self.left_out {
            let (Some(current), Some(old)) = (active.get(&key(&o.user_name)), &o.external_id)
            else {
                continue;
            };
            let seen = |r: &Row| r.person.external_id() == &Desired::Set(old.clone());
            if **current == Desired::Set(old.clone()) || records.iter().any(seen) {
                continue;
            }
            let mut person = Person::new(o.user_name.as_str());
            person.active = false;
            person.set(Column::EXTERNAL_ID, Desired::Set(old.clone()));
            records.push(Row {
                line: o.line,
                person,
            });
        }
        records
    }
}

/// Reads the people file at `path`: JSON Lines (`.jsonl`), or a table
/// (`.csv`, `.tsv`, `.txt`, or a workbook).
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<PeopleFile, InputError> {
    let source = path.display().to_string();
    if Format::from_path(path) == Some(Format::Jsonl) {
        let bytes = input::read_bytes(path)?;
        return parse(&source, &bytes[..], Format::Jsonl, options);
    }
    if !input::is_table(path) {
        return Err(InputError::one(
            &source,
            None,
            format!(
                "cannot tell the format: name the file {}, or .jsonl",
                input::EXTENSIONS
            ),
        ));
    }
    let table = input::read(path, &options.input)?;
    from_table(table, options)
}

/// Reads a people file from `reader` (up to [`input::LIMIT`]); `source`
/// names it in errors.
pub fn parse(
    source: &str,
    reader: impl Read,
    format: Format,
    options: &ReadOptions,
) -> Result<PeopleFile, InputError> {
    let bytes = crate::bounded_read::read_stream(reader, input::LIMIT)
        .map_err(|e| InputError::one(source, None, e.to_string()))?;
    match format {
        Format::Csv => from_table(input::from_text(source, &bytes, &options.input)?, options),
        Format::Jsonl => {
            // PowerShell 5.1 writes UTF-16 with a byte-order mark.
            let text = input::decode_text(&bytes, options.input.encoding)
                .map_err(|p| InputError::new(source, vec![p]))?;
            let mut problems = Vec::new();
            let mut columns = Vec::new();
            let read = read_jsonl(&text, options, &mut problems, &mut columns);
            let place = Place {
                source,
                sheet: None,
            };
            finish(place, read, problems, Vec::new(), options).map(|f| f.with_columns(columns))
        }
    }
}

/// People built by a mapping from another file: each row's line and cells
/// (by column, as text), the problems already found and the warnings. They
/// get the checks a people file gets.
pub fn from_cells(
    place: Place<'_>,
    cells: Vec<(u64, Vec<(Column, String)>)>,
    mut problems: Vec<Problem>,
    warnings: Vec<Problem>,
    options: &ReadOptions,
) -> Result<PeopleFile, InputError> {
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    let mut columns = Vec::new();
    for (line, row) in cells {
        columns.extend(row.iter().map(|(c, _)| *c));
        let raw: Vec<(Column, Raw)> = row
            .into_iter()
            .map(|(c, v)| (c, Raw::from_text(&v)))
            .collect();
        let name = raw_identity(&raw);
        match build_person(raw) {
            Ok(person) => rows.push(Row { line, person }),
            Err(found) => {
                failed.push((line, name));
                problems.extend(at_line(line, found));
            }
        }
    }
    finish(
        place,
        (rows, Vec::new(), failed),
        problems,
        warnings,
        options,
    )
    .map(|f| f.with_columns(columns))
}

/// The userName and externalId a row gives, before its checks: what a skipped row's
/// person is known by.
fn raw_identity(cells: &[(Column, Raw)]) -> Identity {
    let text = |column: Column| {
        cells.iter().find_map(|(c, raw)| match raw {
            Raw::Text(s) if *c == column && !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        })
    };
    (text(Column::USER_NAME), text(Column::EXTERNAL_ID))
}

fn finish(
    place: Place<'_>,
    (mut rows, ignored_columns, failed): Rows,
    mut problems: Vec<Problem>,
    warnings: Vec<Problem>,
    options: &ReadOptions,
) -> Result<PeopleFile, InputError> {
    // Under --skip-invalid-rows, both rows of a duplicate are skipped.
    check_duplicates(&rows, options.skip_invalid_rows, &mut problems);
    let (skipped, skipped_problems) = if options.skip_invalid_rows {
        skip_rows(&mut rows, &failed, &mut problems)
    } else {
        (Vec::new(), Vec::new())
    };
    if rows.is_empty() && problems.is_empty() {
        // An export that failed half way leaves such a file, and as a feed
        // it would ask to deactivate everyone in scope.
        problems.push(Problem {
            line: None,
            column: None,
            message: "no people: the file has no rows (it is empty, blank, or a header alone)"
                .into(),
        });
    }
    if problems.is_empty() {
        Ok(PeopleFile {
            source: place.source.to_owned(),
            sheet: place.sheet.map(str::to_owned),
            rows,
            ignored_columns,
            skipped,
            skipped_problems,
            left_out: Vec::new(),
            warnings,
            columns: Vec::new(),
        })
    } else {
        problems.sort_by_key(|p| p.line);
        Err(InputError {
            source: place.source.to_owned(),
            sheet: place.sheet.map(str::to_owned),
            problems,
        })
    }
}

/// Takes the rows with problems out of `rows`, and their problems out of
/// `problems`, when each such row names its person (whom the sync must
/// then leave alone). Problems of the file as a whole, or a bad row without
/// a userName, stay and refuse the file.
fn skip_rows(
    rows: &mut Vec<Row>,
    failed: &Failed,
    problems: &mut Vec<Problem>,
) -> (Vec<SkippedRow>, Vec<Problem>) {
    let lines: std::collections::BTreeSet<u64> = problems.iter().filter_map(|p| p.line).collect();
    let name_of = |line: u64| -> Identity {
        let built = rows.iter().find(|r| r.line == line).map(|r| {
            let external_id = match r.person.external_id() {
                Desired::Set(x) => Some(x.clone()),
                _ => None,
            };
            (Some(r.person.user_name.clone()), external_id)
        });
        built
            .or_else(|| {
                failed
                    .iter()
                    .find(|(l, _)| *l == line)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_default()
    };
    let named: Vec<(u64, Identity)> = lines.iter().map(|&l| (l, name_of(l))).collect();
    let nameless = |(_, (n, _)): &&(u64, Identity)| n.is_none();
    if problems.iter().any(|p| p.line.is_none()) || named.iter().any(|n| nameless(&n)) {
        for (line, _) in named.iter().filter(nameless) {
            problems.push(Problem {
                line: Some(*line),
                column: None,
                message: "the row gives no readable userName, so --skip-invalid-rows cannot \
                          leave its person alone; fix the row"
                    .into(),
            });
        }
        return (Vec::new(), Vec::new());
    }
    rows.retain(|r| !lines.contains(&r.line));
    let skipped = named
        .into_iter()
        .filter_map(|(line, (user_name, external_id))| {
            Some(SkippedRow {
                line,
                user_name: user_name?,
                external_id,
            })
        })
        .collect();
    (skipped, std::mem::take(problems))
}

/// A cell before it is checked against its column.
enum Raw {
    Empty,
    Clear,
    Text(String),
    Bool(bool),
    List(Vec<String>),
}

impl Raw {
    /// Spaces around a cell are never meant (spreadsheets and HR exports
    /// pad them), so an empty or clear marker is recognised after trimming.
    /// The text itself is kept as given: a padded userName is refused, not
    /// silently changed, since it would match no one.
    fn from_text(s: &str) -> Raw {
        match s.trim() {
            "" => Raw::Empty,
            CLEAR => Raw::Clear,
            _ => Raw::Text(s.to_owned()),
        }
    }
}

/// The rows read, the unknown columns skipped, and the rows that failed
/// their checks, by line and the userName they give, if any.
type Rows = (Vec<Row>, Vec<String>, Failed);
type Failed = Vec<(u64, Identity)>;
/// The userName and externalId a row gives, before its checks.
type Identity = (Option<String>, Option<String>);

/// The people of a table whose header names people-file columns.
fn from_table(table: input::Table, options: &ReadOptions) -> Result<PeopleFile, InputError> {
    let place = table.place();
    let (columns, ignored) = map_header(place, table.header_line, &table.header, options)?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for row in &table.rows {
        let cells: Vec<(Column, Raw)> = columns
            .iter()
            .zip(&row.cells)
            .filter_map(|(c, v)| c.map(|c| (c, Raw::from_text(sheet::unprotect(&v.text)))))
            .collect();
        let name = raw_identity(&cells);
        match build_person(cells) {
            Ok(person) => rows.push(Row {
                line: row.line,
                person,
            }),
            Err(found) => {
                failed.push((row.line, name));
                problems.extend(at_line(row.line, found));
            }
        }
    }
    let warnings = table.warnings.clone();
    finish(place, (rows, ignored, failed), problems, warnings, options)
        .map(|f| f.with_columns(columns.into_iter().flatten()))
}

/// Maps header cells to columns; unknown or repeated names are problems
/// reported together, because a wrong header makes every row meaningless.
fn map_header(
    place: Place<'_>,
    line: u64,
    names: &[String],
    options: &ReadOptions,
) -> Result<(Vec<Option<Column>>, Vec<String>), InputError> {
    let mut columns = Vec::new();
    let mut ignored = Vec::new();
    let mut problems = Vec::new();
    let mut problem = |column: &str, message: String| {
        problems.push(Problem {
            line: Some(line),
            column: Some(column.to_owned()),
            message,
        })
    };
    for name in names.iter().map(String::as_str) {
        match Column::parse(name) {
            Some(c) if columns.contains(&Some(c)) => problem(name, "appears twice".into()),
            Some(c) => columns.push(Some(c)),
            None if options.ignore_unknown_columns => {
                ignored.push(name.to_owned());
                columns.push(None);
            }
            None => problem(name, unknown_column_message(name)),
        }
    }
    if !columns.contains(&Some(Column::USER_NAME)) {
        problem(
            Column::USER_NAME.name(),
            "missing: every file needs a userName column".into(),
        );
    }
    let unknown = problems
        .iter()
        .any(|p| p.message.contains("--ignore-unknown"));
    if unknown {
        let known: Vec<&str> = Column::all().map(Column::name).collect();
        problems.push(Problem {
            line: Some(line),
            column: None,
            message: format!("the columns of a people file are {}", known.join(", ")),
        });
    }
    if problems.is_empty() {
        Ok((columns, ignored))
    } else {
        Err(InputError {
            source: place.source.to_owned(),
            sheet: place.sheet.map(str::to_owned),
            problems,
        })
    }
}

fn unknown_column_message(name: &str) -> String {
    match nearest_column(name) {
        Some(column) => format!("unknown column; did you mean `{}`?", column.name()),
        None => "unknown column; pass --ignore-unknown-columns to skip it".into(),
    }
}

/// The known column a header most likely meant: the same letters ignoring
/// case, spaces and punctuation ("Display Name", "display_name"), or one a
/// couple of typos away.
pub fn nearest_column(name: &str) -> Option<Column> {
    let squash = |s: &str| -> Vec<char> {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = squash(name);
    Column::all()
        .map(|c| (edit_distance(&wanted, &squash(c.name())), c))
        .filter(|(d, c)| *d <= (c.name().len() / 4).clamp(1, 2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`,
/// on the short strings headers are.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let mut best = (d[(i - 1) * width + j - 1] + usize::from(a[i - 1] != b[j - 1]))
                    .min(d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

fn read_jsonl(
    input: &str,
    options: &ReadOptions,
    problems: &mut Vec<Problem>,
    columns: &mut Vec<Column>,
) -> Rows {
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    for (n, text) in input.split('\n').enumerate() {
        let line = n as u64 + 1;
        let mut problem = |column: Option<&str>, message: String| {
            problems.push(Problem {
                line: Some(line),
                column: column.map(str::to_owned),
                message,
            })
        };
        if text.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                problem(None, "each line must be one JSON object".into());
                continue;
            }
            Err(e) => {
                problem(
                    None,
                    format!("invalid JSON at character {}: {e}", e.column()),
                );
                continue;
            }
        };
        let mut cells = Vec::new();
        for (key, value) in object {
            let column = Column::parse(&key);
            columns.extend(column.filter(|c| !columns.contains(c)));
            match (column, json_raw(value)) {
                (Some(column), Ok(raw)) => cells.push((column, raw)),
                (Some(_), Err(message)) => problem(Some(&key), message),
                (None, _) if options.ignore_unknown_columns => {
                    if !ignored.contains(&key) {
                        ignored.push(key);
                    }
                }
                (None, _) => problem(Some(&key), unknown_column_message(&key)),
            }
        }
        let name = raw_identity(&cells);
        match build_person(cells) {
            Ok(person) => rows.push(Row { line, person }),
            Err(found) => {
                failed.push((line, name));
                problems.extend(at_line(line, found));
            }
        }
    }
    (rows, ignored, failed)
}

fn json_raw(value: serde_json::Value) -> Result<Raw, String> {
    use serde_json::Value;
    match value {
        Value::Null => Ok(Raw::Clear),
        Value::String(s) => Ok(Raw::from_text(&s)),
        Value::Bool(b) => Ok(Raw::Bool(b)),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                other => Err(format!("expected a list of strings, found {other}")),
            })
            .collect::<Result<_, _>>()
            .map(Raw::List),
        other => Err(format!("expected a string, found {other}")),
    }
}

fn at_line(line: u64, found: Vec<(Column, String)>) -> impl Iterator<Item = Problem> {
    found.into_iter().map(move |(column, message)| Problem {
        line: Some(line),
        column: Some(column.name().to_owned()),
        message,
    })
}

/// Checks every cell of one row and builds the person, or lists what is
/// wrong, column by column.
fn build_person(cells: Vec<(Column, Raw)>) -> Result<Person, Vec<(Column, String)>> {
    let mut person = Person::new("");
    let mut user_name = None;
    let mut problems = Vec::new();
    for (column, raw) in cells {
        let checked = match column.kind() {
            Kind::UserName => user_name_cell(raw).map(|u| user_name = Some(u)),
            Kind::Active => active_cell(raw).map(|a| person.active = a),
            Kind::Groups => groups_cell(raw).map(|g| person.groups = g),
            _ => text_cell(column, raw).map(|cell| person.set(column, cell)),
        };
        if let Err(message) = checked {
            problems.push((column, message));
        }
    }
    match &user_name {
        Some(name) => person.user_name.clone_from(name),
        None if problems.iter().any(|(c, _)| *c == Column::USER_NAME) => {}
        None => problems.push((Column::USER_NAME, "a userName is required".into())),
    }
    if let (Some(name), Desired::Set(manager)) = (&user_name, &person.manager)
        && manager.eq_ignore_ascii_case(name)
    {
        problems.push((Column::MANAGER, "a person cannot manage themselves".into()));
    }
    if problems.is_empty() {
        Ok(person)
    } else {
        Err(problems)
    }
}

fn user_name_cell(raw: Raw) -> Result<String, String> {
    match raw {
        Raw::Text(s) if s.trim() != s => Err(format!(
            "`{s}` has spaces at the start or end; a userName is a login"
        )),
        Raw::Text(s) => Ok(s),
        Raw::Empty => Err("a userName is required".into()),
        Raw::Clear => Err("a userName cannot be cleared".into()),
        Raw::Bool(_) | Raw::List(_) => Err("expected a string".into()),
    }
}

fn active_cell(raw: Raw) -> Result<bool, String> {
    let raw = match raw {
        Raw::Text(s) => Raw::Text(s.trim().to_owned()),
        other => other,
    };
    match raw {
        Raw::Empty => Ok(true),
        Raw::Bool(b) => Ok(b),
        Raw::Text(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Raw::Text(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        Raw::Text(s) => Err(format!("expected true or false, found `{s}`")),
        Raw::Clear => Err("active cannot be cleared; write true or false".into()),
        Raw::List(_) => Err("expected true or false, found a list".into()),
    }
}

/// A single-valued column's cell: trimmed, then checked by its column.
fn text_cell(column: Column, raw: Raw) -> Result<Desired<String>, String> {
    let list = matches!(
        column.kind(),
        Kind::Roles | Kind::Skills | Kind::Languages | Kind::ExternalIds
    );
    match raw {
        Raw::Empty => Ok(Desired::Keep),
        Raw::Clear if column == Column::DISPLAY_NAME => {
            Err("displayName cannot be cleared: Genesys Cloud requires one".into())
        }
        Raw::Clear => Ok(Desired::Clear),
        Raw::Text(s) if column == Column::MANAGER => Ok(Desired::Set(s.trim().to_owned())),
        Raw::Text(s) => column.check(s.trim()).map(Desired::Set),
        // JSON Lines may give a list column as an array of items.
        Raw::List(items) if list => column.check(&items.join(";")).map(Desired::Set),
        Raw::Bool(_) | Raw::List(_) => Err("expected a string".into()),
    }
}

fn groups_cell(raw: Raw) -> Result<Desired<Vec<String>>, String> {
    let names = match raw {
        Raw::Empty => return Ok(Desired::Keep),
        Raw::Clear => return Ok(Desired::Clear),
        Raw::Text(s) => s
            .split(GROUP_SEPARATOR)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>(),
        Raw::List(names) => {
            if names.iter().any(|n| n.trim().is_empty()) {
                return Err("a group name is empty".into());
            }
            names
        }
        Raw::Bool(_) => return Err("expected group names".into()),
    };
    if names.is_empty() {
        return Err(format!(
            "no group names; write {CLEAR} to remove the person from every group"
        ));
    }
    let mut unique: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    Ok(Desired::Set(unique))
}

/// Two rows for one person would make a sync flip-flop; refuse them, by
/// the engine's rule (an old inactive row beside the current one is no
/// clash). The later row names the earlier one; with `both`, the earlier
/// row names the later one too, so that both are skipped.
fn check_duplicates(rows: &[Row], both: bool, problems: &mut Vec<Problem>) {
    let users: Vec<scim_sync::DesiredUser> = rows
        .iter()
        .map(|r| super::desired_user(&r.person))
        .collect();
    for dup in scim_sync::duplicates(&users) {
        let [first, second] = dup.rows.map(|i| &rows[i]);
        let (column, also) = match dup.key {
            scim_sync::DuplicateKey::UserName => {
                (Column::USER_NAME, " (userNames compare ignoring case)")
            }
            _ => (Column::EXTERNAL_ID, ""),
        };
        let value = &dup.value;
        problems.push(Problem {
            line: Some(second.line),
            column: Some(column.name().into()),
            message: format!("`{value}` is already on line {}{also}", first.line),
        });
        if both {
            problems.push(Problem {
                line: Some(first.line),
                column: Some(column.name().into()),
                message: format!("`{value}` is also on line {}{also}", second.line),
            });
        }
    }
}
