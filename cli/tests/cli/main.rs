//! The `genesys-scim` binary over real HTTP against scim-fake: what it
//! prints, on which stream, and the exit codes scripts rely on.
#![forbid(unsafe_code)]

mod check;
mod common;
mod connection;
mod export;
mod fake;
mod genesys_columns;
mod groups;
mod input_checks;
mod managed_groups;
mod mapping;
mod output;
mod shell_docs;
mod skip_rows;
mod sync;
mod users;
