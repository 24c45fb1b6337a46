//! Mappings: a TOML file saying how the columns of an HR export become the
//! columns of a people file, so the export can be fed in as it is.
//!
//! ```toml
//! [input]
//! label_rows = 1
//!
//! [columns]
//! userName = { from = "Work Email", lower = true }
//! externalId = "Employee ID"
//! displayName = { expr = "(row['Preferred Name'] or row['First Name']) ~ ' ' ~ row['Last Name']" }
//! active = { from = "Status", values = { Active = true, Terminated = false } }
//! phone = { from = "Work Phone", phone = "US", country = "Country", extension = "Ext" }
//! manager = { from = "Manager ID", key = "Employee ID", none = ["NO_MANAGER"] }
//!
//! [[skip]]
//! when = "row['Worker Type'] == 'Contractor'"
//! ```

mod date;
mod expr;
mod load;
mod phone;
mod record;
mod rule;

pub use load::{Mapping, load};

use crate::input;
use crate::people::{
    CLEAR, Column, InputError, PeopleFile, Problem, ReadOptions, SkippedRow, from_cells,
};
use record::Record;
use rule::{Context, Failure};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

type Cells = Vec<(u64, Vec<(Column, String)>)>;

/// What reading the rows gives: their cells, the manager keys of each, the
/// problems and warnings, and the columns expressions asked for that the
/// export lacks (by the mapping line and key that asked).
#[derive(Default)]
struct Converted {
    cells: Cells,
    keys: Vec<Vec<String>>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    missing: BTreeSet<(u64, String, String)>,
    /// The rows a `[[skip]]` left out, by the userName and externalId
    /// they give: the old record of a rehire among them links its ids.
    left_out: Vec<SkippedRow>,
}

/// Reads the export at `path` through `mapping`: the people it stands for,
/// with warnings (an invalid phone, a manager key found in no row).
/// Problems name the export's line and the people-file column; problems of
/// the mapping itself name the mapping's line and key.
pub fn read(
    path: &Path,
    mapping: &Mapping,
    options: &ReadOptions,
) -> Result<PeopleFile, InputError> {
    let table = input::read(path, &options.input.clone().or(&mapping.input))?;
    let (header, twice) = header_index(&table.header);
    let absent = |column: &str| match twice.get(&column.trim().to_lowercase()) {
        Some((a, b)) => format!(
            "{} names `{column}` twice (columns {} and {}); rename one",
            table.source,
            a + 1,
            b + 1
        ),
        None => format!("{} has no column `{column}`", table.source),
    };
    check_columns(mapping, &header, &absent)?;
    let exprs = mapping
        .exprs
        .iter()
        .map(|e| mapping.env.compile_expression(e))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| InputError::one(&mapping.source, None, expr::describe(&e)))?;
    let mut out = Converted::default();
    // Skips first: `lookup` searches the rows that are kept.
    let mut kept = Vec::new();
    for raw in &table.rows {
        let record = Record {
            header: &header,
            cells: &raw.cells,
        };
        let ctx = Context {
            row: (!exprs.is_empty()).then(|| expr::RowObject::new(&record)),
            record,
            rows: None,
            exprs: &exprs,
        };
        if !skipped(mapping, &ctx, raw.line, &mut out) {
            kept.push((raw, ctx));
        }
    }
    let rows = expr::Rows::new(
        kept.iter()
            .filter_map(|(raw, ctx)| Some((raw.line, ctx.row.clone()?)))
            .collect(),
    );
    for (raw, mut ctx) in kept {
        ctx.rows = Some(rows.clone());
        convert_row(mapping, &ctx, raw.line, &mut out);
    }
    if !out.missing.is_empty() {
        let problems = out
            .missing
            .iter()
            .map(|(line, key, column)| {
                Problem::at(Some(*line), format!("key `{key}`: {}", absent(column)))
            })
            .collect();
        return Err(InputError::new(&mapping.source, problems));
    }
    let mut warnings = table.warnings.clone();
    warnings.extend(out.warnings);
    let mut problems = out.problems;
    resolve_managers(
        mapping,
        &mut out.cells,
        &out.keys,
        &mut problems,
        &mut warnings,
    );
    let mut file = from_cells(table.place(), out.cells, problems, warnings, options)?;
    file.left_out = out.left_out;
    Ok(file)
}

/// Notes the columns the last expression asked for that the export
/// lacks, against the mapping line and key that asked.
fn note_missing(ctx: &Context<'_>, at: (u64, String), out: &mut Converted) {
    if let Some(row) = &ctx.row {
        for column in row.take_missing() {
            out.missing.insert((at.0, at.1.clone(), column));
        }
    }
}

/// Whether a `[[skip]]` table leaves the row out; a skip that cannot be
/// evaluated refuses the row.
fn skipped(mapping: &Mapping, ctx: &Context<'_>, line: u64, out: &mut Converted) -> bool {
    for (skip, skip_line) in &mapping.skips {
        let applies = skip.applies(ctx);
        note_missing(ctx, (*skip_line, "skip".into()), out);
        match applies {
            Ok(true) => {
                out.left_out.extend(identity(mapping, ctx, line));
                return true;
            }
            Ok(false) => {}
            Err(message) => {
                out.problems.push(Problem::at(
                    Some(line),
                    format!("`[[skip]]` of mapping line {skip_line}: {message}"),
                ));
                return true;
            }
        }
    }
    false
}

/// The userName and externalId a left-out row gives, when the mapping
/// reads both from it; nothing is reported about such a row.
fn identity(mapping: &Mapping, ctx: &Context<'_>, line: u64) -> Option<SkippedRow> {
    let value = |wanted: Column| {
        let (_, rule, _) = mapping.rules.iter().find(|(c, _, _)| *c == wanted)?;
        let value = rule.value(ctx).ok()?.trim().to_owned();
        (!value.is_empty()).then_some(value)
    };
    let found = (value(Column::USER_NAME), value(Column::EXTERNAL_ID));
    if let Some(row) = &ctx.row {
        row.take_missing();
    }
    let (Some(user_name), external_id @ Some(_)) = found else {
        return None;
    };
    Some(SkippedRow {
        line,
        user_name,
        external_id,
    })
}

/// One kept row of the export, converted rule by rule.
fn convert_row(mapping: &Mapping, ctx: &Context<'_>, line: u64, out: &mut Converted) {
    // A cell the mapping cannot convert is left empty (the row is refused,
    // or skipped, for its problem either way).
    let mut cells = Vec::new();
    for (column, rule, rule_line) in &mapping.rules {
        let value = rule.value(ctx);
        note_missing(ctx, (*rule_line, format!("columns.{}", column.name())), out);
        let report = |message: String| Problem {
            line: Some(line),
            column: Some(column.name().to_owned()),
            message,
        };
        match value {
            Ok(v) => cells.push((*column, v)),
            Err(Failure::Problem(m)) => out.problems.push(report(m)),
            Err(Failure::Warning(m)) => out.warnings.push(report(m)),
        }
    }
    out.keys.push(manager_keys(mapping, &ctx.record));
    out.cells.push((line, cells));
}

/// Every export column the mapping reads must be in the header.
/// Each header name (in lower case) and its position; a name given twice
/// is left out of the index, with its first two positions, so that a rule
/// reading it is refused rather than handed either column.
fn header_index(names: &[String]) -> (HashMap<String, usize>, HashMap<String, (usize, usize)>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut twice = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        let key = name.to_lowercase();
        if let Some(&first) = index.get(&key) {
            twice.entry(key).or_insert((first, i));
        } else {
            index.insert(key, i);
        }
    }
    for key in twice.keys() {
        index.remove(key);
    }
    (index, twice)
}

fn check_columns(
    mapping: &Mapping,
    header: &HashMap<String, usize>,
    absent: &dyn Fn(&str) -> String,
) -> Result<(), InputError> {
    let missing = |c: &str| !header.contains_key(&c.trim().to_lowercase());
    let mut problems = Vec::new();
    for (column, rule, line) in &mapping.rules {
        for c in rule.columns().into_iter().filter(|c| missing(c)) {
            problems.push(Problem {
                line: Some(*line),
                column: None,
                message: format!("key `columns.{}`: {}", column.name(), absent(c)),
            });
        }
    }
    for (skip, line) in &mapping.skips {
        if let Some(column) = skip.column.as_deref().filter(|c| missing(c)) {
            problems.push(Problem::at(
                Some(*line),
                format!("key `skip`: {}", absent(column)),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InputError::new(&mapping.source, problems))
    }
}

/// The manager rule's lookup columns, if it has any.
fn manager_key(mapping: &Mapping) -> &[String] {
    mapping
        .rules
        .iter()
        .find(|(c, _, _)| *c == Column::MANAGER)
        .map_or(&[], |(_, rule, _)| &rule.key[..])
}

/// The row's values in the manager's lookup columns, in lower case.
fn manager_keys(mapping: &Mapping, row: &Record<'_>) -> Vec<String> {
    manager_key(mapping)
        .iter()
        .map(|key| row.get(key).to_owned())
        .collect()
}

/// Turns each manager given by a key (an employee id, a UPN or a DN) into
/// that row's userName. Two rows sharing a key are refused, naming both: a
/// manager is never silently the last of them. A key found in no row means
/// no manager, with a warning.
fn resolve_managers(
    mapping: &Mapping,
    cells: &mut Cells,
    keys: &[Vec<String>],
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    let key = manager_key(mapping);
    if key.is_empty() {
        return;
    }
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, row_keys) in keys.iter().enumerate() {
        for (k, column) in row_keys.iter().zip(key).filter(|(k, _)| !k.is_empty()) {
            match by_key.get(&k.to_lowercase()) {
                Some(&first) if first != i => {
                    let (a, b) = (cells[first].0, cells[i].0);
                    for line in [a, b] {
                        problems.push(Problem {
                            line: Some(line),
                            column: Some(Column::MANAGER.name().into()),
                            message: format!(
                                "`{k}` (column `{column}`) is on line {a} and on line {b}: a \
                                 manager looked up by it could be either"
                            ),
                        });
                    }
                }
                Some(_) => {}
                None => {
                    by_key.insert(k.to_lowercase(), i);
                }
            }
        }
    }
    let user_name = |row: &[(Column, String)]| {
        row.iter()
            .find(|(c, _)| *c == Column::USER_NAME)
            .map(|(_, v)| v.trim().to_owned())
    };
    let names: Vec<Option<String>> = cells.iter().map(|(_, row)| user_name(row)).collect();
    let shown = key.join("` or `");
    for (line, row) in cells.iter_mut() {
        for (column, value) in row.iter_mut() {
            if *column != Column::MANAGER || value.is_empty() || value == CLEAR {
                continue;
            }
            match by_key
                .get(&value.to_lowercase())
                .and_then(|&i| names[i].clone())
            {
                Some(name) => *value = name,
                None => {
                    warnings.push(Problem::at(
                        Some(*line),
                        format!("manager `{value}` is no row's `{shown}`: no manager"),
                    ));
                    *value = CLEAR.to_owned();
                }
            }
        }
    }
}

/// Reads a people file, through a mapping when one is given; with the
/// groups the mapping manages. Warnings about rows that were read all the
/// same go to stderr.
pub fn read_people(
    path: &Path,
    map: Option<&Path>,
    options: &ReadOptions,
) -> Result<(PeopleFile, Vec<String>), InputError> {
    let FeedFile { file, managed, .. } = read_feed(path, map, options)?;
    let place = file.place();
    for w in &file.warnings {
        eprintln!(
            "warning: {}",
            crate::render::escape_for_terminal(&place.render(w))
        );
    }
    Ok((file, managed))
}

/// A people file read for a sync, with what its mapping gave.
pub struct FeedFile {
    /// The rows.
    pub file: PeopleFile,
    /// The mapping's `managed_groups`.
    pub managed: Vec<String>,
    /// The mapping's text, when one built the rows.
    pub mapping: Option<String>,
}

/// [`read_people`] without printing the warnings: a sync's plan carries them.
pub fn read_feed(
    path: &Path,
    map: Option<&Path>,
    options: &ReadOptions,
) -> Result<FeedFile, InputError> {
    let mut feed = match map {
        None => FeedFile {
            file: crate::people::read_path(path, options)?,
            managed: Vec::new(),
            mapping: None,
        },
        Some(map) => {
            let mapping = load(map)?;
            FeedFile {
                file: read(path, &mapping, options)?,
                managed: mapping.managed_groups,
                mapping: Some(mapping.text),
            }
        }
    };
    feed.file.warnings.sort_by_key(|w| w.line);
    Ok(feed)
}

#[cfg(test)]
mod tests;
