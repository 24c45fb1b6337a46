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
    for row in &file.rows {
        for lossy in writer.write(&row.person)? {
            eprintln!("warning: {}", escape_for_terminal(&lossy.to_string()));
        }
    }
    writer.finish()?;
    eprintln!("{}: converted {} people", file.source, file.rows.len());
    Ok(())
}
