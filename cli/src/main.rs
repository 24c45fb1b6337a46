//! `scim`: an operator's command line for a Genesys Cloud org over SCIM.
//!
//! Results go to stdout (tables, JSON, CSV, people files); diagnostics and
//! progress go to stderr. Exit codes: 0 success, 1 some items failed,
//! 2 usage or input error (nothing sent), 3 authentication or connection
//! failure.
#![forbid(unsafe_code)]

mod args;
mod check;
mod connect;
mod demo;
mod error;
mod export;
mod groups;
mod listing;
mod people;
mod progress;
mod render;
mod users;

use args::{Cli, Command, ExportCommand, GroupsCommand, UsersCommand};
use clap::Parser;
use error::{Error, Exit};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.verbose > 0 {
        tracing_subscriber::fmt()
            .with_writer(io::stderr)
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with_target(false)
            .init();
    }
    let exit = match run(&cli) {
        Ok(()) => Exit::Success,
        Err(e) if e.is_broken_pipe() => Exit::Success,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit()
        }
    };
    ExitCode::from(exit as u8)
}

fn run(cli: &Cli) -> Result<(), Error> {
    let mut out = BufWriter::new(io::stdout().lock());
    if let Command::Check(args) = &cli.command {
        // Checking a file needs no connection, and makes none.
        check::run(args, &mut out)?;
        return Ok(out.flush()?);
    }
    let connection = connect::connect(&cli.connection, &connect::process_env, cli.verbose)?;
    let client = &connection.client;
    let result = match &cli.command {
        Command::Users(UsersCommand::List(args)) => users::list(client, args, &mut out),
        Command::Users(UsersCommand::Get { id, output }) => {
            users::get(client, id, *output, &mut out)
        }
        Command::Users(UsersCommand::Deactivate { id }) => users::deactivate(client, id),
        Command::Users(UsersCommand::Delete { id }) => users::delete(client, id),
        Command::Groups(GroupsCommand::List { output }) => groups::list(client, *output, &mut out),
        Command::Groups(GroupsCommand::Members { group_name, output }) => {
            groups::members(client, group_name, *output, &mut out)
        }
        Command::Export(ExportCommand::Users { output }) => {
            export::users(client, *output, &mut out)
        }
        Command::Check(_) => Ok(()),
    };
    // Whatever was printed before a failure still reaches the reader.
    let flushed = out.flush();
    result?;
    flushed?;
    if cli.verbose > 0 {
        eprintln!("scim: API requests sent: {}", client.requests_sent());
    }
    Ok(())
}
