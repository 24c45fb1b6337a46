//! Mappings: a TOML file saying how the columns of an HR export become the
//! columns of a people file, so the export can be fed in as it is.
//!
//! ```toml
//! [columns]
//! userName = { from = "Work Email", lower = true }
//! externalId = "Employee ID"
//! displayName = { template = ["{Preferred Name} {Last Name}", "{First Name} {Last Name}"] }
//! active = { from = "Status", values = { Active = true, Terminated = false } }
//! manager = { from = "Manager ID", key = "Employee ID" }
//!
//! [[skip]]
//! column = "Worker Type"
//! equals = ["Contractor"]
//! ```

mod load;
mod rule;
mod values;

pub use load::{Mapping, load};

use crate::input;
use crate::people::{Column, InputError, PeopleFile, Problem, ReadOptions, from_cells};
use rule::Record;
use std::collections::HashMap;
use std::path::Path;

type Cells = Vec<(u64, Vec<(Column, String)>)>;

/// Reads the export at `path` through `mapping`: the people it stands for,
/// with warnings (such as a manager key found in no row). Problems name
/// the export's line and the people-file column; problems of the mapping
/// itself name the mapping's line and key.
pub fn read(
    path: &Path,
    mapping: &Mapping,
    options: &ReadOptions,
) -> Result<PeopleFile, InputError> {
    let table = input::read(path, &options.input.clone().or(&mapping.input))?;
    let mut header: HashMap<String, usize> = HashMap::new();
    for (i, name) in table.header.iter().enumerate() {
        header.entry(name.to_lowercase()).or_insert(i);
    }
    check_columns(mapping, &header, &table.source)?;
    let mut cells: Cells = Vec::new();
    let mut problems = Vec::new();
    let mut keys: Vec<HashMap<String, String>> = Vec::new();
    for raw in &table.rows {
        let line = raw.line;
        let row = Record {
            header: &header,
            cells: &raw.cells,
        };
        if mapping.skips.iter().any(|(s, _)| s.applies(&row)) {
            continue;
        }
        // A cell the mapping cannot convert is left empty (the row is
        // refused, or skipped, for its problem either way).
        let mut out = Vec::new();
        for (column, rule, _) in &mapping.rules {
            match rule.value(&row) {
                Ok(v) => out.push((*column, v)),
                Err(message) => problems.push(Problem {
                    line: Some(line),
                    column: Some(column.name().to_owned()),
                    message,
                }),
            }
        }
        keys.push(manager_keys(mapping, &row));
        cells.push((line, out));
    }
    let mut warnings = table.warnings.clone();
    warnings.extend(resolve_managers(mapping, &mut cells, &keys));
    from_cells(table.place(), cells, problems, warnings, options)
}

/// Every export column the mapping reads must be in the header.
fn check_columns(
    mapping: &Mapping,
    header: &HashMap<String, usize>,
    source: &str,
) -> Result<(), InputError> {
    let missing = |c: &str| !header.contains_key(&c.trim().to_lowercase());
    let mut problems = Vec::new();
    for (column, rule, line) in &mapping.rules {
        for c in rule.columns().into_iter().filter(|c| missing(c)) {
            problems.push(Problem {
                line: Some(*line),
                column: None,
                message: format!(
                    "key `columns.{}`: {source} has no column `{c}`",
                    column.name()
                ),
            });
        }
    }
    for (skip, line) in &mapping.skips {
        if missing(&skip.column) {
            problems.push(Problem {
                line: Some(*line),
                column: None,
                message: format!("key `skip`: {source} has no column `{}`", skip.column),
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InputError::new(&mapping.source, problems))
    }
}

/// For a manager rule with a `key`: the row's value in that key column.
fn manager_keys(mapping: &Mapping, row: &Record<'_>) -> HashMap<String, String> {
    mapping
        .rules
        .iter()
        .filter_map(|(_, rule, _)| rule.key.as_deref())
        .map(|key| (key.to_owned(), row.get(key).to_lowercase()))
        .collect()
}

/// Turns each manager given by a key (an employee id) into that row's
/// userName. A key found in no row leaves the manager alone, with a warning.
fn resolve_managers(
    mapping: &Mapping,
    cells: &mut Cells,
    keys: &[HashMap<String, String>],
) -> Vec<Problem> {
    let Some(key) = mapping
        .rules
        .iter()
        .find(|(c, _, _)| *c == Column::MANAGER)
        .and_then(|(_, rule, _)| rule.key.clone())
    else {
        return Vec::new();
    };
    let user_name = |row: &[(Column, String)]| {
        row.iter()
            .find(|(c, _)| *c == Column::USER_NAME)
            .map(|(_, v)| v.clone())
    };
    let by_key: HashMap<String, String> = cells
        .iter()
        .zip(keys)
        .filter_map(|((_, row), k)| Some((k.get(&key)?.clone(), user_name(row)?)))
        .filter(|(k, u)| !k.is_empty() && !u.is_empty())
        .collect();
    let mut warnings = Vec::new();
    for (line, row) in cells.iter_mut() {
        for (column, value) in row.iter_mut() {
            if *column != Column::MANAGER || value.is_empty() {
                continue;
            }
            match by_key.get(&value.to_lowercase()) {
                Some(name) => value.clone_from(name),
                None => {
                    warnings.push(Problem::at(
                        Some(*line),
                        format!(
                            "manager `{value}` is no row's `{key}`; the manager is left as it is"
                        ),
                    ));
                    value.clear();
                }
            }
        }
    }
    warnings
}

/// Reads a people file, through a mapping when one is given; with the
/// groups the mapping manages. Warnings about rows that were read all the
/// same go to stderr.
pub fn read_people(
    path: &Path,
    map: Option<&Path>,
    options: &ReadOptions,
) -> Result<(PeopleFile, Vec<String>), InputError> {
    let (file, managed) = match map {
        None => (crate::people::read_path(path, options)?, Vec::new()),
        Some(map) => {
            let mapping = load(map)?;
            (read(path, &mapping, options)?, mapping.managed_groups)
        }
    };
    let place = file.place();
    for w in &file.warnings {
        eprintln!(
            "warning: {}",
            crate::render::escape_for_terminal(&place.render(w))
        );
    }
    Ok((file, managed))
}

#[cfg(test)]
mod tests;
