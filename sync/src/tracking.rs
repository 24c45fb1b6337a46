//! What the apply of a plan made with a state records there: the rows it
//! planned, the rows gone, and for a full reconcile what it read. Kept
//! beside the plan, never serialized.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(crate) struct Tracking {
    /// A full reconcile: what it read; the state's people are replaced.
    pub(crate) full: Option<FullRun>,
    pub(crate) people: Vec<Person>,
    /// Keys of rows that left the feed, with the accounts judged for them.
    pub(crate) gone: Vec<(String, Vec<String>)>,
    /// How many of the plan's first warnings are the feed reader's.
    pub(crate) feed_warnings: usize,
    pub(crate) groups: BTreeMap<String, String>,
    pub(crate) whole_groups: Vec<String>,
}

/// A row planned: its key, fingerprint and the account it matched.
pub(crate) struct Person {
    pub(crate) key: String,
    pub(crate) user_name: String,
    pub(crate) fingerprint: String,
    pub(crate) account: Option<String>,
}

/// What the last full reconcile read from the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FullRun {
    /// When it ran (seconds since the Unix epoch).
    pub(crate) at: u64,
    /// Active users in scope.
    pub(crate) in_scope: usize,
    /// Users listed, inactive ones included: what a listing costs.
    pub(crate) users: usize,
}
