//! When and how long to wait before sending a failed request again.
//!
//! Each failed attempt is classified once, from its [`Error`](crate::Error);
//! [`decide`] turns that class, the request's replay safety and the budget
//! spent so far into a decision.

use crate::error::Outcome;
use std::time::Duration;

/// How the client retries failed requests. Retries are on by default
/// ([`RetryPolicy::default`]); turn them off with [`RetryPolicy::disabled`].
///
/// # What is retried
///
/// | failure | replay-safe: `GET`, `PUT`, `DELETE`, or any request with `If-Match` | `POST`, `PATCH` without `If-Match` |
/// |---|---|---|
/// | `429 Too Many Requests` | yes | yes |
/// | `500`, `502`, `503`, `504` | yes | **no** |
/// | connection refused, DNS failure, connect time-out (nothing was sent) | yes | yes |
/// | failure or time-out after the request was sent | yes | **no** |
/// | token endpoint unreachable, or answering `429`, `500` or `502`–`504` | yes | yes |
/// | any other status (`400`, `404`, `409`, `501`, …) | no | no |
///
/// A `500` is usually a passing fault of one server behind the load
/// balancer, so it is treated as `502`–`504` are; like them, it may come
/// after the server acted, so only a request whose second copy is harmless
/// goes again.
///
/// A request is replay-safe ([`Request::is_replay_safe`](crate::Request::is_replay_safe))
/// when a second copy does no more than the first: its method is idempotent
/// ([`Method::is_idempotent`](crate::Method::is_idempotent)), or it carries
/// `If-Match`, so that a copy arriving after the first was applied finds the
/// version moved on and is refused. Anything else, such as a `POST` that
/// creates a user, is sent again only when the failure proves the server
/// did not act on it: a 429 (refused before being processed) or a
/// connection that could not be opened. [`Error::may_have_been_applied`](crate::Error::may_have_been_applied)
/// tells which case a returned error is, and
/// [`Error::is_retryable`](crate::Error::is_retryable) follows the same rules.
///
/// Separately from this policy, a `401` on a client configured with
/// [`client_credentials`](crate::ClientBuilder::client_credentials) fetches a
/// new token and sends the request once more, whatever the method.
///
/// # How long the client waits
///
/// A `429` (any request) or a retried `5xx` (replay-safe requests) with a
/// `Retry-After` header waits as long as it says, in seconds or until an HTTP
/// date. Everything else waits a random time between zero and
/// `min(max_backoff, base_backoff × 2^(retry − 1))` ("full jitter"), so that
/// many clients do not retry in lock step.
///
/// The sleeps of one call add up to at most
/// [`max_total_wait`](Self::max_total_wait). A `Retry-After` longer than what
/// remains of it ends the retries at once and returns the error: waiting less
/// than the server asked would only earn another refusal.
///
/// When the retries are used up, the call returns the last error;
/// [`Error::attempts`](crate::Error::attempts) tells how many times the
/// request was sent.
///
/// ```
/// use scim_sdk::{Client, RetryPolicy};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .bearer("token")
///     .retry(
///         RetryPolicy::default()
///             .max_attempts(6)
///             .base_backoff(Duration::from_millis(250))
///             .max_backoff(Duration::from_secs(10))
///             .max_total_wait(Duration::from_secs(30)),
///     )
///     .build()?;
/// # let _ = client;
/// # Ok::<(), scim_sdk::Error>(())
/// ```
///
/// Each setter returns a changed copy and leaves the policy it was called
/// on as it was, so a setter whose result is dropped would do nothing: the
/// compiler warns about it, and under `deny(unused_must_use)` refuses it.
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// let policy = scim_sdk::RetryPolicy::default();
/// policy.max_attempts(6); // error: unused return value
/// # let _ = policy;
/// ```
///
/// ```
/// #![deny(unused_must_use)]
/// let policy = scim_sdk::RetryPolicy::default();
/// let policy = policy.max_attempts(6);
/// assert_eq!(policy.max_attempts, 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Most times one call is sent, the first try included (default 4; `1`
    /// disables retries).
    pub max_attempts: u32,
    /// Upper bound of the first backoff; each retry doubles it (default 500 ms).
    pub base_backoff: Duration,
    /// Upper bound of any single backoff (default 20 s).
    pub max_backoff: Duration,
    /// Most time one call spends sleeping between attempts (default 60 s).
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl RetryPolicy {
    /// The default policy: 4 attempts, 500 ms base backoff, 20 s maximum
    /// backoff, 60 s total wait.
    ///
    /// ```
    /// let p = scim_sdk::RetryPolicy::new();
    /// assert_eq!(p.max_attempts, 4);
    /// ```
    pub const fn new() -> Self {
        Self {
            max_attempts: 4,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_total_wait: Duration::from_secs(60),
        }
    }

    /// A policy that sends every request once.
    ///
    /// ```
    /// let client = scim_sdk::Client::builder()
    ///     .bearer("token")
    ///     .retry(scim_sdk::RetryPolicy::disabled())
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub const fn disabled() -> Self {
        Self::new().max_attempts(1)
    }

    /// Sets the most times one call is sent, the first try included. `0` is
    /// taken as `1`.
    ///
    /// ```
    /// let p = scim_sdk::RetryPolicy::default().max_attempts(0);
    /// assert_eq!(p.max_attempts, 1);
    /// ```
    #[must_use]
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// Sets the upper bound of the first backoff.
    ///
    /// ```
    /// let p = scim_sdk::RetryPolicy::default().base_backoff(std::time::Duration::from_millis(100));
    /// # let _ = p;
    /// ```
    #[must_use]
    pub const fn base_backoff(mut self, backoff: Duration) -> Self {
        self.base_backoff = backoff;
        self
    }

    /// Sets the upper bound of any single backoff.
    ///
    /// ```
    /// let p = scim_sdk::RetryPolicy::default().max_backoff(std::time::Duration::from_secs(5));
    /// # let _ = p;
    /// ```
    #[must_use]
    pub const fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the most time one call may spend sleeping between attempts.
    ///
    /// ```
    /// let p = scim_sdk::RetryPolicy::default().max_total_wait(std::time::Duration::from_secs(10));
    /// # let _ = p;
    /// ```
    #[must_use]
    pub const fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The upper bound of the backoff before retry number `retry` (1 for
    /// the first retry): `min(max_backoff, base_backoff × 2^(retry − 1))`.
    /// The client waits a random time up to it; a caller that retries a
    /// whole step itself (such as a sync's work queue) can follow the same
    /// schedule.
    ///
    /// ```
    /// use scim_sdk::RetryPolicy;
    /// use std::time::Duration;
    /// let policy = RetryPolicy::default();
    /// assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(500));
    /// assert_eq!(policy.backoff_ceiling(3), Duration::from_secs(2));
    /// assert_eq!(policy.backoff_ceiling(40), Duration::from_secs(20));
    /// ```
    #[must_use]
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        self.base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Decision {
    /// Sleep this long, then send the request again.
    Retry(Duration),
    /// Fetch a new access token, then send the request again at once.
    Refresh,
    /// Return the error.
    GiveUp,
}

/// What one call has done so far, for [`decide`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryState {
    /// Whether a second copy of the request is harmless
    /// ([`Request::is_replay_safe`](crate::Request::is_replay_safe)).
    replay_safe: bool,
    /// Whether a 401 can be cured by fetching a new token.
    can_refresh: bool,
    /// Attempts sent so far.
    attempts: u32,
    /// Retries granted by the policy so far; the re-send after a 401 is extra.
    retries: u32,
    /// Time slept between attempts so far.
    waited: Duration,
    /// Whether the one token refresh has been used.
    refreshed: bool,
    /// Whether a failed attempt so far may have been applied by the server.
    pub(crate) maybe_applied: bool,
}

impl RetryState {
    pub(crate) fn new(replay_safe: bool, can_refresh: bool) -> Self {
        Self {
            replay_safe,
            can_refresh,
            attempts: 0,
            retries: 0,
            waited: Duration::ZERO,
            refreshed: false,
            maybe_applied: false,
        }
    }

    /// Counts an attempt about to be sent and returns its number (from 1).
    pub(crate) fn start_attempt(&mut self) -> u32 {
        self.attempts += 1;
        self.attempts
    }

    /// Takes note of a decision that sends the request again.
    pub(crate) fn record(&mut self, decision: Decision) {
        match decision {
            Decision::Retry(wait) => {
                self.retries += 1;
                self.waited = self.waited.saturating_add(wait);
            }
            Decision::Refresh => self.refreshed = true,
            Decision::GiveUp => {}
        }
    }
}

/// The retry rules of [`RetryPolicy`] in one place, without I/O: what to do
/// after an attempt that failed with `outcome`. `jitter` is a number in
/// `[0, 1)` that scales the backoff.
pub(crate) fn decide(
    policy: &RetryPolicy,
    state: &RetryState,
    outcome: Outcome,
    jitter: f64,
) -> Decision {
    let server_wait = match outcome {
        // A 401 means the server refused the request before acting on it,
        // so sending it again is safe for every request.
        Outcome::Unauthorized if state.can_refresh && !state.refreshed => {
            return Decision::Refresh;
        }
        // 429: refused before processing, safe for every request.
        Outcome::Throttled(retry_after) => retry_after,
        // The server may have acted: only a replay-safe request goes again.
        Outcome::Unavailable(retry_after) if state.replay_safe => retry_after,
        Outcome::NotSent => None,
        Outcome::Lost if state.replay_safe => None,
        _ => return Decision::GiveUp,
    };
    if state.retries.saturating_add(1) >= policy.max_attempts {
        return Decision::GiveUp;
    }
    let remaining = policy.max_total_wait.saturating_sub(state.waited);
    match server_wait {
        // Waiting less than the server asked would only earn another refusal.
        Some(wait) if wait <= remaining => Decision::Retry(wait),
        Some(_) => Decision::GiveUp,
        None => {
            let ceiling = policy.backoff_ceiling(state.retries + 1);
            Decision::Retry(ceiling.mul_f64(jitter.clamp(0.0, 1.0)).min(remaining))
        }
    }
}

/// A number in `[0, 1)` that differs between calls and processes. Not
/// cryptographic: it only spreads retries out.
pub(crate) fn jitter_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded randomly per process (and per thread), the
    // counter and the clock make successive values differ.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    // 53 random bits give every representable f64 step in [0, 1).
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_ceiling_doubles_up_to_the_maximum() {
        let p = RetryPolicy::new()
            .base_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        let ms = Duration::from_millis;
        assert_eq!(p.backoff_ceiling(1), ms(100));
        assert_eq!(p.backoff_ceiling(2), ms(200));
        assert_eq!(p.backoff_ceiling(3), ms(350));
        assert_eq!(p.backoff_ceiling(40), ms(350));
    }

    fn http(status: u16, retry_after: Option<u64>) -> crate::Error {
        crate::fuzzing::http_error(
            status,
            retry_after
                .map(|s| vec![("retry-after".to_owned(), s.to_string())])
                .unwrap_or_default(),
            Vec::new(),
        )
    }

    fn status(status: u16) -> Outcome {
        http(status, None).outcome()
    }

    fn retry_after(status: u16, secs: u64) -> Outcome {
        http(status, Some(secs)).outcome()
    }

    fn after(mut state: RetryState, decisions: &[Decision]) -> RetryState {
        for d in decisions {
            state.start_attempt();
            state.record(*d);
        }
        state
    }

    #[test]
    fn decisions_follow_the_documented_table() {
        use Decision::{GiveUp, Refresh, Retry};
        let ms = Duration::from_millis;
        let policy = RetryPolicy::new()
            .base_backoff(ms(100))
            .max_backoff(ms(1000))
            .max_total_wait(Duration::from_secs(10));
        // GET, or a PATCH with If-Match; POST, or a PATCH without.
        let get = RetryState::new(true, false);
        let post = RetryState::new(false, false);
        let oauth_get = RetryState::new(true, true);
        let refreshed = after(oauth_get, &[Refresh]);
        // With jitter 0.5 the first backoff is half of base_backoff.
        let cases = [
            ("429 on GET backs off", get, status(429), Retry(ms(50))),
            ("429 on POST backs off", post, status(429), Retry(ms(50))),
            (
                "429 waits Retry-After",
                post,
                retry_after(429, 3),
                Retry(ms(3000)),
            ),
            (
                "Retry-After beyond the budget",
                get,
                retry_after(429, 11),
                GiveUp,
            ),
            ("503 on GET", get, status(503), Retry(ms(50))),
            ("502 on GET", get, status(502), Retry(ms(50))),
            ("504 on GET", get, status(504), Retry(ms(50))),
            ("503 on POST", post, status(503), GiveUp),
            (
                "503 waits Retry-After",
                get,
                retry_after(503, 2),
                Retry(ms(2000)),
            ),
            (
                "503 Retry-After beyond the budget",
                get,
                retry_after(503, 60),
                GiveUp,
            ),
            (
                "503 with Retry-After on POST",
                post,
                retry_after(503, 1),
                GiveUp,
            ),
            ("500 on GET", get, status(500), Retry(ms(50))),
            ("500 on POST", post, status(500), GiveUp),
            ("501 on GET", get, status(501), GiveUp),
            ("400 on GET", get, status(400), GiveUp),
            ("404 on GET", get, status(404), GiveUp),
            ("409 on POST", post, status(409), GiveUp),
            ("nothing sent, POST", post, Outcome::NotSent, Retry(ms(50))),
            ("lost GET", get, Outcome::Lost, Retry(ms(50))),
            ("nothing sent, GET", get, Outcome::NotSent, Retry(ms(50))),
            ("lost POST", post, Outcome::Lost, GiveUp),
            ("final", get, Outcome::Final, GiveUp),
            ("401 with a fixed token", get, status(401), GiveUp),
            ("401 with OAuth", oauth_get, status(401), Refresh),
            ("second 401 with OAuth", refreshed, status(401), GiveUp),
            (
                "401 with OAuth on POST",
                RetryState::new(false, true),
                status(401),
                Refresh,
            ),
        ];
        for (name, state, outcome, expected) in cases {
            assert_eq!(decide(&policy, &state, outcome, 0.5), expected, "{name}");
        }
    }

    #[test]
    fn attempts_and_wait_budget_bound_the_retries() {
        let ms = Duration::from_millis;
        let policy = RetryPolicy::new()
            .max_attempts(3)
            .base_backoff(ms(400))
            .max_backoff(ms(400))
            .max_total_wait(ms(500));
        let get = RetryState::new(true, true);
        let once = after(get, &[Decision::Retry(ms(400))]);
        // Only 100 ms of the budget is left: the backoff is cut to fit.
        assert_eq!(
            decide(&policy, &once, status(503), 1.0),
            Decision::Retry(ms(100))
        );
        let twice = after(once, &[Decision::Retry(ms(100))]);
        assert_eq!(decide(&policy, &twice, status(503), 0.5), Decision::GiveUp);
        assert_eq!(twice.attempts, 2);
        // The re-send after a 401 does not use up a policy retry.
        let refreshed = after(get, &[Decision::Refresh]);
        assert_eq!(
            decide(&policy, &refreshed, status(503), 0.0),
            Decision::Retry(Duration::ZERO)
        );
        let disabled = RetryPolicy::disabled();
        assert_eq!(decide(&disabled, &get, status(429), 0.5), Decision::GiveUp);
    }

    #[test]
    fn failures_are_classified_by_what_reached_the_api() {
        use crate::{AuthError, Error, TransportError};
        let timeout = |sent| {
            Error::Timeout(Box::new(TransportError {
                operation: "op",
                message: "m".into(),
                source: None,
                attempts: 1,
                may_have_been_applied: sent,
            }))
        };
        assert_eq!(timeout(true).outcome(), Outcome::Lost);
        assert_eq!(timeout(false).outcome(), Outcome::NotSent);
        assert_eq!(timeout(true).not_sent().outcome(), Outcome::NotSent);
        let auth = |status| {
            Error::Auth(Box::new(AuthError {
                message: "m".into(),
                status,
                error_code: None,
            }))
        };
        assert_eq!(auth(Some(503)).outcome(), Outcome::NotSent);
        assert_eq!(auth(Some(401)).outcome(), Outcome::Final);
        assert_eq!(Error::invalid_input("op", "bad").outcome(), Outcome::Final);
        // What the loop retries is what `is_retryable` reports.
        for status in [400, 401, 404, 409, 412, 429, 500, 501, 502, 503, 504] {
            let e = http(status, None);
            let retried = matches!(
                decide(
                    &RetryPolicy::new(),
                    &RetryState::new(true, false),
                    e.outcome(),
                    0.5
                ),
                Decision::Retry(_)
            );
            assert_eq!(e.is_retryable(), retried, "{status}");
        }
    }

    #[test]
    fn jitter_varies() {
        let values: std::collections::HashSet<u64> =
            (0..50).map(|_| jitter_unit().to_bits()).collect();
        assert!(values.len() > 40);
        assert!(
            (0..1000)
                .map(|_| jitter_unit())
                .all(|x| (0.0..1.0).contains(&x))
        );
    }
}
