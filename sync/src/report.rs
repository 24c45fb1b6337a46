//! What an apply did: counts, failures and requests, readable as text.

use crate::failure::{Failure, ItemError};
use crate::plan::{ItemRef, Summary, membership_changes};
use crate::progress::Progress;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// What [`apply`](crate::apply()) did. It prints as a summary line
/// followed by the failures, one a line.
///
/// ```
/// let report = scim_sync::Report::default();
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["failed"], 0);
/// assert_eq!(json["created"], 0, "the counts are at the top level");
/// assert!(json["failures"].as_array().is_some_and(|f| f.is_empty()));
/// assert!(report.to_string().starts_with("Applied: 0 created,"));
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
    /// How long the apply took (with the plan's reads, for a plan made in
    /// this process); serialized as `elapsed_ms`.
    #[serde(rename = "elapsed_ms", with = "millis")]
    pub elapsed: Duration,
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
    /// Why the run stopped starting writes before the end, when items
    /// failed one after another with the same status that no retry cures
    /// (a `403` for a missing permission, say): that failure, reported
    /// once. The items not started are in [`not_started`](Self::not_started).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "stop")]
    pub stopped: Option<ItemError>,
    /// The plan's rows left for a person to decide
    /// ([`Plan::decisions`](crate::Plan::decisions)), counted in
    /// `needs_decision`: work is left that the sync could not do (absent
    /// from the JSON when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<crate::Decision>,
}

impl Report {
    /// Counts `item` as failed, with why.
    pub(crate) fn fail(&mut self, item: ItemRef, error: ItemError) {
        self.failed += 1;
        self.failures.push(Failure { item, error });
    }
}

/// A duration as whole milliseconds.
mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(
            u64::deserialize(d).unwrap_or_default(),
        ))
    }
}

/// The failure that stopped a run, as its text and status.
mod stop {
    use super::ItemError;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Stop {
        error: String,
        status: Option<u16>,
        kind: String,
    }

    pub(super) fn serialize<S: Serializer>(e: &Option<ItemError>, s: S) -> Result<S::Ok, S::Error> {
        e.as_ref()
            .map(|e| Stop {
                error: e.message.clone(),
                status: e.status,
                kind: e.kind.clone(),
            })
            .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ItemError>, D::Error> {
        Ok(Option::<Stop>::deserialize(d)?.map(|s| {
            let mut e = ItemError::refused(crate::RefusalKind::InvalidInput, s.error);
            e.status = s.status;
            e.refusal = crate::RefusalKind::parse(&s.kind);
            e.kind = s.kind;
            e
        }))
    }
}

/// An apply stopped because an item could not be recorded
/// ([`ApplyOptions::record`](crate::ApplyOptions::record) failed): no
/// write started after it. The report holds what was done; `unrecorded`
/// the items that ended but are not in the record (the one whose record
/// failed, and those in flight then), to be recorded by other means.
///
/// ```
/// # fn demo(e: &scim_sync::Error) {
/// if let scim_sync::Error::Unrecorded(lost) = e {
///     for p in &lost.unrecorded {
///         eprintln!("not in the audit log: {} {:?} (id {:?})", p.item, p.status, p.id);
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Unrecorded {
    /// What was done, the unrecorded items included.
    pub report: Report,
    /// Why recording failed.
    pub error: std::io::Error,
    /// The items that ended without being recorded, in the order they ended.
    pub unrecorded: Vec<Progress>,
}

impl fmt::Display for Unrecorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot record the apply ({}): no write was started after it; {} written but not \
             recorded, {} not started",
            self.error,
            match self.unrecorded.len() {
                1 => "1 item".to_owned(),
                n => format!("{n} items"),
            },
            self.report.not_started.len()
        )
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

/// What went less than smoothly on the wire, e.g. `; 2 answered 429,
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
        format!("; {}", parts.join(", "))
    }
}

impl fmt::Display for Report {
    /// `Applied: 1 created, …, 0 failed (9 requests in 45 ms).`, then a
    /// line for each failure, drift and stop.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        write!(
            f,
            "Applied: {} created, {} updated, {} reactivated, {} deactivated, {} unchanged, {}, \
             {} failed ({} requests in {}{}).",
            s.created,
            s.updated,
            s.reactivated,
            s.deactivated,
            s.unchanged,
            membership_changes(s.memberships_changed),
            self.failed,
            self.requests,
            took(self.elapsed),
            troubles(&self.requests_by_outcome, self.items_retried),
        )?;
        // The cause that stopped a run is told once, its items listed after it.
        let alike = |e: &ItemError| {
            self.stopped
                .as_ref()
                .is_some_and(|s| s.status == e.status && s.kind == e.kind)
        };
        if let Some(stop) = &self.stopped {
            let items: Vec<String> = (self.failures.iter())
                .filter(|x| alike(&x.error))
                .map(|x| x.item.to_string())
                .collect();
            write!(
                f,
                "\n  stopped: {} failed one after another with HTTP {} ({stop}): {}; no write was \
                 started after them",
                count(items.len()),
                stop.status.unwrap_or_default(),
                items.join(", ")
            )?;
        }
        for failure in self.failures.iter().filter(|x| !alike(&x.error)) {
            write!(f, "\n  failed: {}: {}", failure.item, failure.error)?;
        }
        if !self.not_started.is_empty() {
            write!(f, "\n  not started: {}", count(self.not_started.len()))?;
        }
        for item in &self.drifted {
            write!(
                f,
                "\n  drifted: {item}: changed since the plan was made; not written (plan again)"
            )?;
        }
        for d in &self.decisions {
            write!(f, "\n  needs a decision: {d}")?;
        }
        Ok(())
    }
}

/// `1 item`, `3 items`.
fn count(n: usize) -> String {
    match n {
        1 => "1 item".to_owned(),
        n => format!("{n} items"),
    }
}

/// `45 ms` or `7.5 s`.
fn took(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.1} s", elapsed.as_secs_f64())
    }
}
