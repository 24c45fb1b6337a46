//! The `genesys-scim` binary over real HTTP against scim-fake: what it
//! prints, on which stream, and the exit codes scripts rely on.
#![forbid(unsafe_code)]

mod audit_log;
mod check;
mod common;
mod connection;
mod duplicate_rows;
mod export;
mod fake;
mod feed_warnings;
mod file_limits;
mod genesys_columns;
mod groups;
mod help;
mod hostile_workbooks;
mod incremental;
mod input_checks;
mod input_files;
mod interrupt;
mod managed_groups;
mod mapping;
mod on_demand;
mod output;
mod pace_estimates;
mod rehires;
mod saved_plans;
mod shell_docs;
mod skip_rows;
mod sync;
mod sync_selection;
mod tampered_plans;
mod users;
