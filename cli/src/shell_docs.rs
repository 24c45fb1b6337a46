//! `genesys-scim completions SHELL` and `genesys-scim man`: the completion
//! scripts and the man page, generated from the same clap definition the
//! binary parses, so they never drift from it. Packages (`cli/build-deb.sh`)
//! install their output.

use crate::args::Cli;
use crate::error::{Error, Exit};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// The variables the binary reads, in roff, for the ENVIRONMENT section.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "GENESYS_REGION",
        "The region, when no \\-\\-region, \\-\\-base\\-url or \\-\\-fake is given.",
    ),
    (
        "GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET",
        "The OAuth client credentials.",
    ),
    (
        "GENESYS_CLIENT_SECRET_FILE",
        "A file holding the client secret, instead of GENESYS_CLIENT_SECRET: read up to 64 KiB, \
         with a warning when its group or other users may read it (chmod 600 it).",
    ),
    (
        "GENESYS_TOKEN",
        "An access token to send as is; it takes precedence over client credentials. \
         Prefer it to \\-\\-token, which other local users can see.",
    ),
    (
        "COLUMNS",
        "The width tables are cut to, instead of the terminal's.",
    ),
    (
        "HTTPS_PROXY, ALL_PROXY, HTTP_PROXY, NO_PROXY",
        "The proxy for requests to the API (never for a loopback address).",
    ),
];

/// The exit codes, in roff, for the EXIT STATUS section.
const EXIT_STATUS: &[(Exit, &str)] = &[
    (Exit::Success, "Success."),
    (Exit::Failed, "Some items failed; the others were done."),
    (
        Exit::Usage,
        "Bad arguments or a bad input file, or an apply nobody confirmed; nothing was written.",
    ),
    (
        Exit::Connection,
        "The credentials were refused or the API could not be reached.",
    ),
    (
        Exit::Guard,
        "The mass\\-deactivation guard refused the plan; nothing was written.",
    ),
];

/// Writes the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut impl Write) -> Result<(), Error> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    clap_complete::generate(shell, &mut command, name, out);
    Ok(())
}

/// Writes the man page, in roff, for section 1: clap's sections, with
/// ENVIRONMENT and EXIT STATUS before VERSION, where man pages keep them.
pub fn man_page(out: &mut impl Write) -> Result<(), Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let page = String::from_utf8_lossy(&page);
    let (head, tail) = page.split_at(page.find(".SH VERSION").unwrap_or(page.len()));
    out.write_all(head.as_bytes())?;
    out.write_all(b".SH ENVIRONMENT\n")?;
    for (name, text) in ENVIRONMENT {
        writeln!(out, ".TP\n\\fB{name}\\fR\n{text}")?;
    }
    out.write_all(b".SH \"EXIT STATUS\"\n")?;
    for (code, text) in EXIT_STATUS {
        writeln!(out, ".TP\n\\fB{}\\fR\n{text}", *code as u8)?;
    }
    out.write_all(tail.as_bytes())?;
    Ok(())
}
