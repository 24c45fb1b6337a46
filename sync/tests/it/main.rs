//! The sync engine's integration tests over real HTTP against `scim-fake`,
//! one module per behaviour, linked into one binary.

mod diff_props;
mod engine;
mod pacing;
mod toolkit;
mod user_groups;
mod write_scope;
