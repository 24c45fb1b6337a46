//! `scim check FILE`: validate a people file without connecting.

use crate::args::CheckArgs;
use crate::error::Error;
use crate::people::{Cell, ReadOptions, read_path};
use std::io::Write;

/// Reads the file with every check a sync would make, and says what it
/// holds. Problems make the exit code 2.
pub fn run(args: &CheckArgs, out: &mut impl Write) -> Result<(), Error> {
    let options = ReadOptions {
        ignore_unknown_columns: args.ignore_unknown_columns,
    };
    let file = read_path(&args.file, options)?;
    for column in &file.ignored_columns {
        eprintln!("{}: ignored column `{column}`", file.source);
    }
    let people = &file.rows;
    let inactive = people.iter().filter(|r| !r.person.active).count();
    let with_external_id = people
        .iter()
        .filter(|r| matches!(r.person.external_id, Cell::Set(_)))
        .count();
    writeln!(
        out,
        "{}: {} people ({} inactive, {} with an externalId); no problems found",
        file.source,
        people.len(),
        inactive,
        with_external_id
    )?;
    Ok(())
}
