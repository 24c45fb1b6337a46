//! `genesys-scim convert FILE --map M`: the people file an HR export gives
//! under a mapping, printed so the operator can review it before a sync.

use crate::args::{ConvertArgs, FileFormat};
use crate::error::Error;
use crate::mapping;
use crate::people::{Format, PeopleWriter, ReadOptions};
use crate::render::escape_for_terminal;
use std::io::Write;

/// Converts with every check a sync would make; problems exit 2 and
/// nothing is printed on stdout.
pub fn run(args: &ConvertArgs, out: &mut impl Write) -> Result<(), Error> {
    let options = ReadOptions {
        input: args.input.options(),
        ..ReadOptions::default()
    };
    let (file, _) = mapping::read_people(&args.file, Some(&args.map), &options)?;
    let format = match args.output {
        FileFormat::Csv => Format::Csv,
        FileFormat::Jsonl => Format::Jsonl,
    };
    let mut writer = PeopleWriter::new(format, &mut *out)?;
    // The old records the mapping left out follow, as inactive rows: fed
    // back, they link a rehire's ids as the export under the mapping does.
    let old = file.old_records();
    for row in file.rows.iter().chain(&old) {
        for lossy in writer.write(&row.person)? {
            eprintln!("warning: {}", escape_for_terminal(&lossy.to_string()));
        }
    }
    writer.finish()?;
    let source = escape_for_terminal(&file.source);
    match old.len() {
        0 => eprintln!("{source}: converted {} people", file.rows.len()),
        n => eprintln!(
            "{source}: converted {} people, and {n} old record{} that link{} a rehire's ids \
             (inactive rows of a userName and externalId alone)",
            file.rows.len(),
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
        ),
    }
    Ok(())
}
