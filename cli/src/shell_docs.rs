//! `genesys-scim completions SHELL` and `genesys-scim man`: the completion
//! scripts and the man page, generated from the same clap definition the
//! binary parses, so they never drift from it. Packages (`cli/build-deb.sh`)
//! install their output.

use crate::args::Cli;
use crate::error::Error;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// Writes the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut impl Write) -> Result<(), Error> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    clap_complete::generate(shell, &mut command, name, out);
    Ok(())
}

/// Writes the man page, in roff, for section 1.
pub fn man_page(out: &mut impl Write) -> Result<(), Error> {
    Ok(clap_mangen::Man::new(Cli::command()).render(out)?)
}
