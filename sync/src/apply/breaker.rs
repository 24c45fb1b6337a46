//! What stops a run from starting writes: a server that no longer answers
//! (connection failures on every worker, and no answer for a while), and
//! items failing one after another with the same status no retry cures.
//! After a connection failure no try starts for a backoff, so a dead server
//! is not sent one request per item meanwhile.

use crate::failure::ItemError;
use crate::progress::ItemStatus;
use scim_sdk::RetryPolicy;
use std::time::{Duration, Instant};

/// How long connection failures must go on, with no answer between them,
/// before a run stops.
const DEAD_AFTER: Duration = Duration::from_secs(2);

/// Item failures in a row with one non-retryable status, and no success
/// between, after which a run starts no more writes (a missing permission
/// answers every write alike).
const SAME_FAILURE_LIMIT: usize = 10;

/// What stops a run.
#[derive(Default)]
pub(crate) struct Breaker {
    /// Connection failures in a row.
    streak: u32,
    /// When the server last answered (or the run started).
    last_answer: Option<Instant>,
    /// After a connection failure, no try starts before this.
    quiet_until: Option<Instant>,
    /// The connection failure that stopped the run.
    pub(crate) tripped: Option<scim_sdk::Error>,
    /// The last non-retryable status items failed with, and how many in a row.
    same: Option<(u16, usize)>,
    /// The failure that stopped the run after failing item after item.
    pub(crate) stopped: Option<ItemError>,
}

impl Breaker {
    /// The server answered (anything: an answer is no connection failure).
    pub(crate) fn answered(&mut self) {
        self.streak = 0;
        self.last_answer = Some(Instant::now());
        self.quiet_until = None;
    }

    /// How long a try must wait before it starts, if at all.
    pub(crate) fn quiet(&self) -> Option<Duration> {
        self.quiet_until
            .and_then(|t| t.checked_duration_since(Instant::now()))
    }

    /// Rounds of connection failures so far, one per worker.
    pub(crate) fn rounds(&self, workers: usize) -> u32 {
        self.streak / u32::try_from(workers).unwrap_or(u32::MAX).max(1)
    }

    /// A connection failure: the run goes quiet for `pause`. Returns the
    /// error back, or `None` when it ends a burst long enough to stop the
    /// run (or comes after one), and keeps it as the run's.
    pub(crate) fn connection_failed(
        &mut self,
        e: scim_sdk::Error,
        workers: usize,
        pause: Duration,
    ) -> Option<scim_sdk::Error> {
        self.streak += 1;
        self.quiet_until = Instant::now().checked_add(pause);
        let burst = self.streak as usize >= workers.max(3);
        let silent = self.last_answer.is_none_or(|t| t.elapsed() >= DEAD_AFTER);
        if !(burst && silent) && self.tripped.is_none() {
            return Some(e);
        }
        self.tripped.get_or_insert(e);
        None
    }

    /// An item ended: returns whether this makes ten failing alike.
    pub(crate) fn item_ended(&mut self, status: &ItemStatus) -> bool {
        let failure = match status {
            ItemStatus::Done(_) => {
                self.same = None;
                return false;
            }
            ItemStatus::Failed(e) if !e.retryable && e.status.is_some() => e,
            _ => return false,
        };
        let status = failure.status.unwrap_or_default();
        let count = match self.same {
            Some((s, n)) if s == status => n + 1,
            _ => 1,
        };
        self.same = Some((status, count));
        if count < SAME_FAILURE_LIMIT || self.stopped.is_some() {
            return false;
        }
        self.stopped = Some(failure.clone());
        true
    }
}

/// The wait before try number `tries + 1` of an item, on the client's
/// retry schedule: a random time in the upper half of its
/// [`backoff_ceiling`](RetryPolicy::backoff_ceiling), so that items deferred
/// together do not come back in lock step.
pub(crate) fn backoff(policy: &RetryPolicy, tries: u32) -> Duration {
    let ceiling = policy.backoff_ceiling(tries);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    ceiling / 2 + (ceiling / 2).mul_f64(f64::from(nanos % 1000) / 1000.0)
}

pub(crate) fn is_connection_failure(e: &scim_sdk::Error) -> bool {
    matches!(
        e,
        scim_sdk::Error::Transport(_) | scim_sdk::Error::Timeout(_)
    )
}
