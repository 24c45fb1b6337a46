//! `genesys-scim check FILE`: validate a people file without connecting.

use crate::args::CheckArgs;
use crate::error::Error;
use crate::people::{Column, Desired, PeopleFile, is_email};
use crate::render::escape_for_terminal;
use std::io::Write;

/// Reads the file with every check a sync would make, and says what it
/// holds. Problems make the exit code 2.
pub fn run(args: &CheckArgs, out: &mut impl Write) -> Result<(), Error> {
    let options = args.read.options(false);
    let (file, _) = crate::mapping::read_people(&args.file, args.read.map.as_deref(), &options)?;
    for column in &file.ignored_columns {
        eprintln!(
            "{}: ignored column `{}`",
            escape_for_terminal(&file.source),
            escape_for_terminal(column)
        );
    }
    let warnings = file.warnings.len() + warn_about_rows(&file);
    let people = &file.rows;
    let inactive = people.iter().filter(|r| !r.person.active).count();
    let with_external_id = people
        .iter()
        .filter(|r| matches!(r.person.external_id(), Desired::Set(_)))
        .count();
    let verdict = match warnings {
        0 => "no problems found".to_owned(),
        1 => "no problems found, 1 warning".to_owned(),
        n => format!("no problems found, {n} warnings"),
    };
    writeln!(
        out,
        "{}: {} people ({} inactive, {} with an externalId); {verdict}",
        escape_for_terminal(&file.source),
        people.len(),
        inactive,
        with_external_id
    )?;
    Ok(())
}

/// Warns, on stderr and naming each row's place, about rows a sync would
/// take but that are likely wrong; returns how many warnings.
fn warn_about_rows(file: &PeopleFile) -> usize {
    let place = file.place();
    let mut warnings = 0;
    let mut warn = |line: u64, text: String| {
        warnings += 1;
        eprintln!(
            "warning: {}: {}",
            escape_for_terminal(&place.at(Some(line))),
            escape_for_terminal(&text)
        );
    };
    for row in &file.rows {
        let (person, name) = (&row.person, &row.person.user_name);
        // A new user created without an externalId is outside the default
        // scope from then on: no later sync updates or deactivates it.
        if person.active && !matches!(person.external_id(), Desired::Set(x) if !x.trim().is_empty())
        {
            warn(
                row.line,
                format!(
                    "{name} has no externalId: under the default scope (external-id), a user \
                     created from this row would be out of scope, and later syncs would neither \
                     update nor deactivate it"
                ),
            );
        }
        if !is_email(name) {
            warn(
                row.line,
                format!(
                    "userName `{name}` is not an email address; Genesys Cloud logins are email \
                     addresses"
                ),
            );
        }
        if person.active && !matches!(person.text(Column::DISPLAY_NAME), Some(Desired::Set(_))) {
            warn(
                row.line,
                format!(
                    "{name} has no displayName: if the user is new, `sync plan` refuses the row, \
                     because Genesys Cloud requires one"
                ),
            );
        }
    }
    warnings
}
