//! Client-side pacing: a token bucket that keeps a client under the org's
//! request rate, and the rules by which it adapts to what the server says.
//!
//! The bucket itself ([`Bucket`]) does no I/O and reads no clock: every
//! method takes `now`, so its rules are tested as a table. [`Pacer`] wraps it
//! for the transport, which waits for a permit before each attempt and
//! reports each answer's status and headers.
//!
//! Genesys Cloud counts requests per OAuth client in one-minute windows and
//! reports the window on every answer: `inin-ratelimit-allowed` (requests
//! allowed per window), `inin-ratelimit-count` (requests counted so far) and
//! `inin-ratelimit-reset` (seconds until the window starts over). A refused
//! request gets `429` with `Retry-After`.

use crate::observability::millis;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How fast a paced [`Client`](crate::Client) may send: a number of requests
/// per window (a minute, as Genesys Cloud counts), with an optional burst.
///
/// Pacing is off for a client built without it. Turn it on with
/// [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit), or derive
/// a paced client from an unpaced one with
/// [`Client::with_rate_limit`](crate::Client::with_rate_limit). The sync
/// engine's `apply` paces its requests unless told not to.
///
/// The rate is a ceiling: when the server announces a lower limit in its
/// `inin-ratelimit-*` headers, the client slows down to it; when the server
/// has no requests left in the current window, or answers `Retry-After`,
/// every clone of the client waits until then. The server's announced limit
/// is read as requests per the same window, so a limit for a server that
/// counts in other windows than a minute (a test server, say) is written
/// with [`RateLimit::new`].
///
/// ```
/// use scim_sdk::{Client, RateLimit};
/// let client = Client::builder()
///     .bearer("token")
///     .rate_limit(RateLimit::per_minute(300))
///     .build()?;
/// assert_eq!(client.rate_limit(), Some(RateLimit::per_minute(300)));
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    window: Duration,
    burst: u32,
}

/// The shortest window [`RateLimit::new`] accepts; shorter ones count as this.
const MIN_WINDOW: Duration = Duration::from_millis(1);

impl RateLimit {
    /// At most `requests` requests a minute, spread evenly (a burst of 1).
    /// Zero counts as one.
    ///
    /// ```
    /// let limit = scim_sdk::RateLimit::per_minute(600);
    /// assert_eq!(limit.requests_per_minute(), 600);
    /// ```
    pub const fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// At most `requests` requests per `window`, spread evenly (a burst of
    /// 1), for a server that counts requests in windows of that length: its
    /// `inin-ratelimit-allowed` header is read as requests per `window`.
    /// Zero requests count as one; a window under a millisecond counts as
    /// one millisecond.
    ///
    /// ```
    /// use std::time::Duration;
    /// // A test server that allows 10 requests every 2 seconds.
    /// let limit = scim_sdk::RateLimit::new(10, Duration::from_secs(2));
    /// assert_eq!((limit.requests(), limit.window()), (10, Duration::from_secs(2)));
    /// assert_eq!(limit.requests_per_minute(), 300);
    /// ```
    pub const fn new(requests: u32, window: Duration) -> Self {
        Self {
            requests: if requests == 0 { 1 } else { requests },
            window: if window.as_nanos() < MIN_WINDOW.as_nanos() {
                MIN_WINDOW
            } else {
                window
            },
            burst: 1,
        }
    }

    /// Lets up to `requests` go out back to back after a quiet spell (the
    /// bucket's capacity; default 1, zero counts as one). A larger burst
    /// starts faster but can exceed a fixed one-minute window by the burst.
    ///
    /// ```
    /// let limit = scim_sdk::RateLimit::per_minute(300).burst(5);
    /// assert_eq!(limit.burst_size(), 5);
    /// ```
    #[must_use]
    pub const fn burst(mut self, requests: u32) -> Self {
        self.burst = if requests == 0 { 1 } else { requests };
        self
    }

    /// The configured rate in requests per minute, rounded down (at least
    /// one, at most `u32::MAX`).
    ///
    /// ```
    /// assert_eq!(scim_sdk::RateLimit::per_minute(0).requests_per_minute(), 1);
    /// ```
    pub const fn requests_per_minute(&self) -> u32 {
        let per_minute = (self.requests as f64 * 60.0 / self.window.as_secs_f64()) as u32;
        if per_minute == 0 { 1 } else { per_minute }
    }

    /// The configured requests per [`window`](Self::window).
    ///
    /// ```
    /// assert_eq!(scim_sdk::RateLimit::per_minute(300).requests(), 300);
    /// ```
    pub const fn requests(&self) -> u32 {
        self.requests
    }

    /// The window the requests are counted in (a minute unless set with
    /// [`RateLimit::new`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(scim_sdk::RateLimit::per_minute(300).window(), Duration::from_secs(60));
    /// ```
    pub const fn window(&self) -> Duration {
        self.window
    }

    /// The configured burst.
    ///
    /// ```
    /// assert_eq!(scim_sdk::RateLimit::per_minute(60).burst_size(), 1);
    /// ```
    pub const fn burst_size(&self) -> u32 {
        self.burst
    }
}

/// What one answer told us about the server's limit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Signals {
    pub(crate) status: u16,
    pub(crate) allowed: Option<u64>,
    pub(crate) count: Option<u64>,
    pub(crate) reset: Option<Duration>,
    pub(crate) retry_after: Option<Duration>,
}

impl Signals {
    /// Reads the rate-limit headers of an answer; unparsable values count as absent.
    pub(crate) fn from_headers(status: u16, headers: &[(String, String)]) -> Self {
        let number = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.trim().parse::<f64>().ok())
                .filter(|n| n.is_finite() && *n >= 0.0)
        };
        let seconds = |name: &str| number(name).map(|s| Duration::from_secs_f64(s.min(3600.0)));
        Self {
            status,
            allowed: number("inin-ratelimit-allowed").map(|n| n as u64),
            count: number("inin-ratelimit-count").map(|n| n as u64),
            reset: seconds("inin-ratelimit-reset"),
            retry_after: seconds("retry-after"),
        }
    }
}

/// A pause imposed on a `429` that said neither `Retry-After` nor when the
/// window resets: long enough for a one-minute window to move on a little.
const BLIND_429_PAUSE: Duration = Duration::from_secs(1);

/// The token bucket. Tokens refill continuously at the effective rate, up to
/// the burst; a request takes one; a pause blocks every request until it ends.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    limit: RateLimit,
    /// The latest `inin-ratelimit-allowed`, which caps the configured rate.
    server_allowed: Option<u64>,
    tokens: f64,
    refilled_at: Instant,
    paused_until: Option<Instant>,
}

impl Bucket {
    pub(crate) fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            server_allowed: None,
            tokens: f64::from(limit.burst),
            refilled_at: now,
            paused_until: None,
        }
    }

    /// Requests per second in force: the configured rate, lowered to the
    /// server's announced limit (requests per the same window).
    pub(crate) fn rate_per_second(&self) -> f64 {
        let mut per_window = f64::from(self.limit.requests);
        if let Some(allowed) = self.server_allowed {
            per_window = per_window.min(allowed.max(1) as f64);
        }
        per_window / self.limit.window.as_secs_f64()
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.refilled_at);
        self.tokens = (self.tokens + elapsed.as_secs_f64() * self.rate_per_second())
            .min(f64::from(self.limit.burst));
        self.refilled_at = self.refilled_at.max(now);
    }

    /// Takes a permit if one is free at `now`; otherwise says how long to
    /// wait before asking again.
    pub(crate) fn try_acquire(&mut self, now: Instant) -> Result<(), Duration> {
        if let Some(until) = self.paused_until {
            if now < until {
                return Err(until - now);
            }
            self.paused_until = None;
        }
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - self.tokens;
            Err(Duration::from_secs_f64(missing / self.rate_per_second()))
        }
    }

    fn pause(&mut self, now: Instant, length: Duration) {
        let until = now + length;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
        // A pause is a fresh start: one request when it ends, no burst saved
        // up before or during it.
        self.tokens = 1.0;
        self.refilled_at = self.refilled_at.max(until);
    }

    /// Adapts to one answer:
    /// - `inin-ratelimit-allowed` caps the rate (it may rise again later, up
    ///   to the configured rate);
    /// - no requests left in the window (`count >= allowed`) pauses until
    ///   `inin-ratelimit-reset`; otherwise the bucket never holds more
    ///   tokens than the window has left;
    /// - `Retry-After` pauses for that long;
    /// - a `429` without it pauses until `inin-ratelimit-reset`, or for a
    ///   second when it says neither.
    pub(crate) fn observe(&mut self, now: Instant, signals: &Signals) {
        self.refill(now);
        if let Some(allowed) = signals.allowed {
            self.server_allowed = Some(allowed);
            if let Some(count) = signals.count {
                let left = allowed.saturating_sub(count);
                self.tokens = self.tokens.min(left as f64);
                if left == 0
                    && let Some(reset) = signals.reset
                {
                    self.pause(now, reset);
                }
            }
        }
        if let Some(wait) = signals.retry_after {
            self.pause(now, wait);
        } else if signals.status == 429 {
            self.pause(now, signals.reset.unwrap_or(BLIND_429_PAUSE));
        }
    }
}

/// A bucket shared by every clone of a paced client, on the real clock.
#[derive(Debug)]
pub(crate) struct Pacer {
    bucket: Mutex<Bucket>,
}

impl Pacer {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            bucket: Mutex::new(Bucket::new(limit, Instant::now())),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.lock().limit
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bucket> {
        self.bucket.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until a request may go out.
    pub(crate) fn wait_for_permit(&self) {
        loop {
            let wait = match self.lock().try_acquire(Instant::now()) {
                Ok(()) => return,
                Err(wait) => wait,
            };
            tracing::debug!(wait_ms = millis(wait), "pacing: waiting for a permit");
            std::thread::sleep(wait);
        }
    }

    /// Feeds one answer's status and headers to the bucket.
    pub(crate) fn observe(&self, status: u16, headers: &[(String, String)]) {
        let signals = Signals::from_headers(status, headers);
        self.lock().observe(Instant::now(), &signals);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn signals(status: u16, headers: &[(&str, &str)]) -> Signals {
        let owned: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Signals::from_headers(status, &owned)
    }

    /// Runs `steps` against a fresh bucket: each step is (time since start,
    /// answer seen before asking, expected outcome of asking for a permit).
    fn run(limit: RateLimit, steps: &[(u64, Option<Signals>, Result<(), Duration>)]) {
        let t0 = Instant::now();
        let mut bucket = Bucket::new(limit, t0);
        for (i, (at, seen, expected)) in steps.iter().enumerate() {
            let now = t0 + ms(*at);
            if let Some(s) = seen {
                bucket.observe(now, s);
            }
            let got = bucket.try_acquire(now);
            let close = match (&got, expected) {
                (Ok(()), Ok(())) => true,
                (Err(a), Err(b)) => a.abs_diff(*b) <= ms(1),
                _ => false,
            };
            assert!(
                close,
                "step {i} at {at} ms: got {got:?}, expected {expected:?}"
            );
        }
    }

    #[test]
    fn spreads_requests_evenly() {
        // 60 a minute: one a second, no saving up beyond the burst of 1.
        run(
            RateLimit::per_minute(60),
            &[
                (0, None, Ok(())),
                (0, None, Err(ms(1000))),
                (400, None, Err(ms(600))),
                (1000, None, Ok(())),
                (5000, None, Ok(())),
                (5000, None, Err(ms(1000))),
            ],
        );
    }

    #[test]
    fn a_burst_goes_out_back_to_back() {
        run(
            RateLimit::per_minute(120).burst(3),
            &[
                (0, None, Ok(())),
                (0, None, Ok(())),
                (0, None, Ok(())),
                (0, None, Err(ms(500))),
                (500, None, Ok(())),
            ],
        );
    }

    #[test]
    fn a_lower_server_limit_slows_the_bucket() {
        let server = signals(
            200,
            &[
                ("inin-ratelimit-allowed", "30"),
                ("inin-ratelimit-count", "1"),
            ],
        );
        run(
            RateLimit::per_minute(600),
            &[
                (0, None, Ok(())),
                (0, Some(server), Err(ms(2000))),
                (2000, None, Ok(())),
            ],
        );
    }

    #[test]
    fn a_higher_server_limit_does_not_raise_the_ceiling() {
        let server = signals(
            200,
            &[
                ("inin-ratelimit-allowed", "6000"),
                ("inin-ratelimit-count", "1"),
            ],
        );
        run(
            RateLimit::per_minute(60),
            &[(0, None, Ok(())), (0, Some(server), Err(ms(1000)))],
        );
    }

    #[test]
    fn an_exhausted_window_pauses_until_it_resets() {
        let spent = signals(
            200,
            &[
                ("inin-ratelimit-allowed", "300"),
                ("inin-ratelimit-count", "300"),
                ("inin-ratelimit-reset", "7"),
            ],
        );
        run(
            RateLimit::per_minute(6000).burst(10),
            &[
                (0, None, Ok(())),
                (0, Some(spent), Err(ms(7000))),
                (6999, None, Err(ms(1))),
                (7000, None, Ok(())),
            ],
        );
    }

    #[test]
    fn the_bucket_never_holds_more_than_the_window_has_left() {
        let two_left = signals(
            200,
            &[
                ("inin-ratelimit-allowed", "100"),
                ("inin-ratelimit-count", "98"),
                ("inin-ratelimit-reset", "30"),
            ],
        );
        run(
            RateLimit::per_minute(6000).burst(10),
            &[
                (0, Some(two_left), Ok(())),
                (0, None, Ok(())),
                (0, None, Err(ms(600))),
            ],
        );
    }

    #[test]
    fn retry_after_pauses_every_request() {
        let refused = signals(429, &[("Retry-After", "3")]);
        run(
            RateLimit::per_minute(6000).burst(5),
            &[
                (0, Some(refused), Err(ms(3000))),
                (1000, None, Err(ms(2000))),
                (3000, None, Ok(())),
                // The pause spent the saved-up burst.
                (3000, None, Err(ms(10))),
            ],
        );
    }

    #[test]
    fn a_429_without_hints_pauses_briefly() {
        run(
            RateLimit::per_minute(6000),
            &[
                (0, Some(signals(429, &[])), Err(BLIND_429_PAUSE)),
                (1000, None, Ok(())),
            ],
        );
    }

    #[test]
    fn a_429_with_a_reset_pauses_until_the_reset() {
        let refused = signals(429, &[("inin-ratelimit-reset", "2")]);
        run(
            RateLimit::per_minute(6000),
            &[(0, Some(refused), Err(ms(2000))), (2000, None, Ok(()))],
        );
    }

    #[test]
    fn garbage_headers_are_ignored() {
        let odd = signals(
            200,
            &[
                ("inin-ratelimit-allowed", "lots"),
                ("inin-ratelimit-count", "-4"),
                ("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ],
        );
        assert_eq!(
            odd,
            Signals {
                status: 200,
                ..Signals::default()
            }
        );
        run(RateLimit::per_minute(60), &[(0, Some(odd), Ok(()))]);
    }

    #[test]
    fn zero_means_one() {
        assert_eq!(RateLimit::per_minute(0).burst(0), RateLimit::per_minute(1));
        assert_eq!(RateLimit::new(5, Duration::ZERO).window(), MIN_WINDOW);
    }

    #[test]
    fn the_server_limit_is_read_per_the_configured_window() {
        // 10 per 2 s, and the server allows only 4 per window: one every 500 ms.
        let server = signals(
            200,
            &[
                ("inin-ratelimit-allowed", "4"),
                ("inin-ratelimit-count", "1"),
            ],
        );
        run(
            RateLimit::new(10, Duration::from_secs(2)),
            &[
                (0, None, Ok(())),
                (0, Some(server), Err(ms(500))),
                (500, None, Ok(())),
            ],
        );
    }
}
