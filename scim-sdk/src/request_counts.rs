//! How the requests a client sent ended, counted once per attempt.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// The API requests a client and its clones have sent, by how each attempt
/// ended. Retries count as attempts of their own, and also in
/// [`retries`](Self::retries). Token requests are not counted. Take two
/// readings and [`since`](Self::since) to learn what a piece of work cost.
///
/// ```
/// let client = scim_sdk::Client::builder().bearer("t").build()?;
/// let counts = client.request_counts();
/// assert_eq!(counts.sent, 0);
/// assert_eq!(counts.since(&counts), scim_sdk::RequestCounts::default());
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestCounts {
    /// Attempts sent ([`Client::requests_sent`](crate::Client::requests_sent)).
    pub sent: u64,
    /// Answered with a success status (or `304 Not Modified`).
    pub succeeded: u64,
    /// Answered `429 Too Many Requests`.
    pub rate_limited: u64,
    /// Answered with another `4xx` (a conflict, a version mismatch, …).
    pub client_errors: u64,
    /// Answered with a `5xx`.
    pub server_errors: u64,
    /// Not answered: the connection failed, broke off or timed out.
    pub connection_failures: u64,
    /// Attempts that were retries of an earlier one.
    pub retries: u64,
}

impl RequestCounts {
    /// The counts since an `earlier` reading of the same client.
    ///
    /// ```
    /// let start = scim_sdk::RequestCounts::default();
    /// assert_eq!(start.since(&start).sent, 0);
    /// ```
    #[must_use]
    pub fn since(&self, earlier: &RequestCounts) -> RequestCounts {
        RequestCounts {
            sent: self.sent.saturating_sub(earlier.sent),
            succeeded: self.succeeded.saturating_sub(earlier.succeeded),
            rate_limited: self.rate_limited.saturating_sub(earlier.rate_limited),
            client_errors: self.client_errors.saturating_sub(earlier.client_errors),
            server_errors: self.server_errors.saturating_sub(earlier.server_errors),
            connection_failures: self
                .connection_failures
                .saturating_sub(earlier.connection_failures),
            retries: self.retries.saturating_sub(earlier.retries),
        }
    }
}

/// The counters behind [`RequestCounts`], shared by a client's clones.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    succeeded: AtomicU64,
    rate_limited: AtomicU64,
    client_errors: AtomicU64,
    server_errors: AtomicU64,
    connection_failures: AtomicU64,
    retries: AtomicU64,
}

impl Counters {
    /// Counts one attempt: its number (from 1) and its status, `None`
    /// when no answer came.
    pub(crate) fn record(&self, attempt: u32, status: Option<u16>) {
        let counter = match status {
            None => &self.connection_failures,
            Some(429) => &self.rate_limited,
            Some(200..=299 | 304) => &self.succeeded,
            Some(500..) => &self.server_errors,
            Some(_) => &self.client_errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if attempt > 1 {
            self.retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn read(&self, sent: u64) -> RequestCounts {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        RequestCounts {
            sent,
            succeeded: get(&self.succeeded),
            rate_limited: get(&self.rate_limited),
            client_errors: get(&self.client_errors),
            server_errors: get(&self.server_errors),
            connection_failures: get(&self.connection_failures),
            retries: get(&self.retries),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attempt_counts_once_by_how_it_ended() {
        let c = Counters::default();
        for (attempt, status) in [
            (1, Some(429)),
            (2, Some(201)),
            (1, Some(409)),
            (1, Some(503)),
            (2, None),
        ] {
            c.record(attempt, status);
        }
        let counts = c.read(5);
        assert_eq!(
            (
                counts.succeeded,
                counts.rate_limited,
                counts.client_errors,
                counts.server_errors,
                counts.connection_failures,
                counts.retries
            ),
            (1, 1, 1, 1, 1, 2)
        );
    }
}
