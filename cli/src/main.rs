//! `genesys-scim`: an operator's command line for a Genesys Cloud org over SCIM.
//!
//! Results go to stdout (tables, JSON, CSV, people files); diagnostics and
//! progress go to stderr. The exit codes are `error::Exit`'s, listed once
//! in `Exit::ALL` for `--help` and the man page.
#![forbid(unsafe_code)]

mod apply_audit;
mod args;
mod audit;
mod bounded_read;
mod check;
mod connect;
mod convert;
mod demo;
mod error;
mod exclusions;
mod export;
mod groups;
mod input;
mod listing;
mod managed;
mod mapping;
mod people;
mod plan_file;
mod plan_text;
mod progress;
mod prompt;
mod render;
mod sheet;
mod shell_docs;
mod state;
mod sync;
mod users;

use args::{Cli, Command, ExportCommand, GroupsCommand, UsersCommand};
use error::{Error, Exit};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::parse();
    init_tracing(&cli);
    let exit = match run(&cli) {
        Ok(()) => Exit::Success,
        Err(e) if e.is_broken_pipe() => Exit::Success,
        // An answer, not a failure: the plan above says what is pending.
        Err(e @ Error::ChangesPending) => e.exit(),
        Err(e) => {
            // Messages quote org data and file contents.
            eprintln!("error: {}", render::escape_lines(&e.to_string()));
            e.exit()
        }
    };
    ExitCode::from(exit as u8)
}

/// `-v` logs to stderr; without it, warnings still do (a long pause and
/// its cause, so a run that stops moving says why).
fn init_tracing(cli: &Cli) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    // The SDK's and the engine's events; the HTTP library's own debug
    // lines (connection states, resolved addresses) say nothing to an
    // operator.
    let ours = |level| {
        Targets::new()
            .with_target("scim_sdk", level)
            .with_target("scim_sync", level)
            .with_target("genesys_scim", level)
    };
    let log = (cli.verbose > 0).then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(render::EscapedStderr)
            .with_target(false)
            .with_filter(ours(LevelFilter::DEBUG))
    });
    let warnings = (cli.verbose == 0).then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(render::EscapedStderr)
            .with_target(false)
            .without_time()
            .with_filter(ours(LevelFilter::WARN))
    });
    tracing_subscriber::registry()
        .with(log)
        .with(warnings)
        .init();
}

fn run(cli: &Cli) -> Result<(), Error> {
    let mut out = BufWriter::new(io::stdout().lock());
    let result = dispatch(cli, &mut out);
    // Whatever was printed before a failure still reaches the reader.
    let flushed = out.flush();
    result?;
    Ok(flushed?)
}

fn dispatch(cli: &Cli, out: &mut impl Write) -> Result<(), Error> {
    let feed = match &cli.command {
        // Checking a file needs no connection, and makes none.
        Command::Check(args) => return check::run(args, out),
        Command::Convert(args) => return convert::run(args, out),
        Command::Completions { shell } => return shell_docs::completions(*shell, out),
        Command::Man => return shell_docs::man_page(out),
        // A bad file, or an apply nobody can confirm, is refused before connecting.
        Command::Sync(command) => Some(sync::prepare(command)?),
        _ => None,
    };
    let connection = connect::connect(&cli.connection, &connect::process_env, cli.verbose)?;
    let client = &connection.client;
    let audit = match cli.command.audit_log() {
        Some(path) => Some(audit::AuditLog::open(path, &connection.actor)?),
        None => None,
    };
    let result = match (&cli.command, &feed) {
        (Command::Users(UsersCommand::List(args)), _) => users::list(client, args, out),
        (Command::Users(UsersCommand::Get { user, output }), _) => {
            users::get(client, &user.user, *output, out)
        }
        (Command::Users(UsersCommand::Deactivate { user, .. }), _) => {
            users::deactivate(client, &user.user, audit)
        }
        (
            Command::Users(UsersCommand::SetExternalId {
                user, external_id, ..
            }),
            _,
        ) => users::set_external_id(client, &user.user, external_id, audit),
        (Command::Users(UsersCommand::Delete { user, yes, .. }), _) => {
            users::delete(client, &user.user, *yes, audit)
        }
        (Command::Groups(GroupsCommand::List { output }), _) => groups::list(client, *output, out),
        (Command::Groups(GroupsCommand::Members { group_name, output }), _) => {
            groups::members(client, group_name, *output, out)
        }
        (Command::Export(ExportCommand::Users { output }), _) => {
            export::users(client, *output, out)
        }
        (Command::Sync(command), Some(feed)) => {
            let on = sync::Org {
                fake: cli.connection.fake,
                id: &connection.org,
            };
            sync::run(client, command, feed, on, audit, out)
        }
        (
            Command::Check(_)
            | Command::Convert(_)
            | Command::Sync(_)
            | Command::Completions { .. }
            | Command::Man,
            _,
        ) => Ok(()),
    };
    if cli.verbose > 0 {
        eprintln!(
            "genesys-scim: API requests sent: {}",
            client.requests_sent()
        );
    }
    result.map_err(|e| e.at_base_url(client.base_url()))
}
