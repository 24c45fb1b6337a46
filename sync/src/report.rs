//! What an apply did: counts, failures and requests, readable as text.

use crate::plan::{ItemRef, Summary, membership_changes};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An item that failed.
///
/// ```
/// # fn demo(report: &scim_sync::Report) {
/// for f in &report.failures {
///     eprintln!("{}: {}", f.item, f.error);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Failure {
    /// The user or group (serialized as `userName` or `group`).
    #[serde(flatten)]
    pub item: ItemRef,
    /// The error, readable.
    pub error: String,
}

/// What [`apply`](crate::apply()) did. It prints as a summary line
/// followed by the failures, one a line.
///
/// ```
/// let report = scim_sync::Report::default();
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["failed"], 0);
/// assert_eq!(json["created"], 0, "the counts are at the top level");
/// assert!(json["failures"].as_array().is_some_and(|f| f.is_empty()));
/// assert!(report.to_string().starts_with("applied: 0 created,"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// What was done, in the counts a plan has: users created, updated,
    /// reactivated, deactivated and found unchanged, members changed.
    #[serde(flatten)]
    pub summary: Summary,
    /// Items that failed.
    pub failed: usize,
    /// API requests sent, retries included.
    pub requests: u64,
    /// The failed items with their errors.
    pub failures: Vec<Failure>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        write!(
            f,
            "applied: {} created, {} updated, {} reactivated, {} deactivated, {} unchanged, {}, \
             {} failed ({} requests)",
            s.created,
            s.updated,
            s.reactivated,
            s.deactivated,
            s.unchanged,
            membership_changes(s.memberships_changed),
            self.failed,
            self.requests
        )?;
        for failure in &self.failures {
            write!(f, "\n  failed: {}: {}", failure.item, failure.error)?;
        }
        Ok(())
    }
}
