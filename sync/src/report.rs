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
    /// Those requests by how they ended: succeeded, `429`, other `4xx`,
    /// `5xx`, no answer; and how many were the client's retries.
    pub requests_by_outcome: scim_sdk::RequestCounts,
    /// Items tried again after a failure that may pass (each retry of an
    /// item counts once).
    pub items_retried: usize,
    /// The failed items with their errors.
    pub failures: Vec<Failure>,
    /// Under [`ApplyOptions::exact`](crate::ApplyOptions::exact): items
    /// not written because their target changed since the plan (absent
    /// from the JSON when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drifted: Vec<ItemRef>,
    /// Under [`ApplyOptions::cancel_on`](crate::ApplyOptions::cancel_on):
    /// items not started because the apply was cancelled (absent from the
    /// JSON when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_started: Vec<ItemRef>,
}

impl Report {
    /// Counts `item` as failed, with why.
    pub(crate) fn fail(&mut self, item: ItemRef, error: String) {
        self.failed += 1;
        self.failures.push(Failure { item, error });
    }
}

/// An apply stopped because the server stopped answering: what was done
/// (the report), what was not, and the connection failure that stopped it.
/// Nothing more was sent after it; planning and applying again finishes
/// the work.
///
/// ```
/// # fn demo(e: &scim_sync::Error) {
/// if let scim_sync::Error::Interrupted(stopped) = e {
///     eprintln!("{} done; not done: {:?}", stopped.report.summary.created, stopped.not_done);
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Interrupted {
    /// What was done before the run stopped, and the items that failed.
    pub report: Report,
    /// The items not done (not sent, or sent without an answer).
    pub not_done: Vec<ItemRef>,
    /// The last connection failure.
    pub error: scim_sdk::Error,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.report.summary;
        let done = s.created + s.updated + s.reactivated + s.deactivated;
        write!(
            f,
            "the server stopped answering ({}); the apply stopped: {done} users written \
             ({} created, {} updated, {} reactivated, {} deactivated), {}, {} failed, {} not done; \
             nothing more was sent; re-run the sync to finish: a new plan picks up what is left",
            self.error,
            s.created,
            s.updated,
            s.reactivated,
            s.deactivated,
            membership_changes(s.memberships_changed),
            self.report.failed,
            self.not_done.len(),
        )
    }
}

/// What went less than smoothly on the wire, e.g. `: 2 answered 429,
/// 1 answered 5xx, 2 retries, 1 item tried again`; empty when nothing did.
fn troubles(r: &scim_sdk::RequestCounts, items_retried: usize) -> String {
    let parts: Vec<String> = [
        (r.rate_limited, "answered 429"),
        (r.client_errors, "answered 4xx"),
        (r.server_errors, "answered 5xx"),
        (r.connection_failures, "unanswered"),
        (r.retries, "retries"),
    ]
    .into_iter()
    .chain([(items_retried as u64, "items tried again")])
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| match (n, what) {
        (1, "items tried again") => "1 item tried again".to_owned(),
        (1, "retries") => "1 retry".to_owned(),
        _ => format!("{n} {what}"),
    })
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        write!(
            f,
            "applied: {} created, {} updated, {} reactivated, {} deactivated, {} unchanged, {}, \
             {} failed ({} requests{})",
            s.created,
            s.updated,
            s.reactivated,
            s.deactivated,
            s.unchanged,
            membership_changes(s.memberships_changed),
            self.failed,
            self.requests,
            troubles(&self.requests_by_outcome, self.items_retried),
        )?;
        for failure in &self.failures {
            write!(f, "\n  failed: {}: {}", failure.item, failure.error)?;
        }
        if !self.not_started.is_empty() {
            write!(
                f,
                "\n  interrupted: {} items not started",
                self.not_started.len()
            )?;
        }
        for item in &self.drifted {
            write!(
                f,
                "\n  drifted: {item}: changed since the plan was made; not written"
            )?;
        }
        Ok(())
    }
}
