//! Client-side pacing: a token bucket that keeps a client under the org's
//! request rate, and the rules by which it follows what the server says.
//!
//! The bucket itself ([`Bucket`]) does no I/O and reads no clock: every
//! method takes `now`, so its rules are tested as a table. [`Pacer`] wraps it
//! for the transport, which waits for a permit before each attempt and
//! reports what each answer said ([`Signals`]).
//!
//! Genesys Cloud counts requests per OAuth client in fixed windows (a
//! minute) and may report the window on its answers: `inin-ratelimit-allowed`
//! (requests allowed per window), `inin-ratelimit-count` (requests counted
//! so far) and `inin-ratelimit-reset` (seconds until the window starts
//! over). A refused request gets `429` with `Retry-After`.

use crate::observability::{LONG_PAUSE, millis};
use crate::response::Signals;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How fast a paced [`Client`](crate::Client) may send.
///
/// Pacing is off for a client built without it. Turn it on with
/// [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit), or derive
/// a paced client from an unpaced one with
/// [`Client::with_rate_limit`](crate::Client::with_rate_limit). The sync
/// engine's `apply` paces its requests unless told not to.
///
/// # What the pacer follows
///
/// - **The server's announced limit.** When an answer carries
///   `inin-ratelimit-allowed`, the client spreads that many requests evenly
///   over each of the server's windows, and when `inin-ratelimit-count`
///   says the window is spent, every clone waits until it starts over.
///   Until a limit has been announced, [`RateLimit::follow_server`] (the
///   [`Default`]) sends 300 a minute.
/// - **The server's window.** The window's length is learned from
///   `inin-ratelimit-reset`: on the answer that opened a window
///   (`inin-ratelimit-count: 1`) the reset is the whole window, and no
///   window is shorter than a reset seen. It is taken between 1 and 300
///   seconds, whatever the server says; `Retry-After` never sets it. Until
///   the server has said, the window is a minute, as Genesys Cloud counts
///   (or the one given to [`RateLimit::new`] or
///   [`with_window`](Self::with_window)).
/// - **The caller's ceiling.** [`RateLimit::per_minute`] and
///   [`RateLimit::new`] cap the rate: the client follows a lower announced
///   limit but never goes above the ceiling.
/// - **`Retry-After`** on a `429` or `503` holds every clone back for that
///   long: Genesys counts requests per OAuth client, so another clone
///   sending meanwhile would only be refused too. On any other answer it is
///   ignored.
///
/// # What it never does
///
/// - Stall: no pause lasts longer than the window or the client's retry
///   budget ([`RetryPolicy::max_total_wait`](crate::RetryPolicy::max_total_wait)
///   when the pacing was set up), whichever is shorter, whatever the server
///   asks: a minute at most by default. A request the server refuses again
///   is retried or returned by the retry policy as usual.
/// - Crawl: an announced limit below one request a second (and below five
///   a window) is taken for a misconfigured server. It is not followed; a
///   WARN event says so, and the client relies on `429`s instead.
/// - Go quiet: every pause of three seconds or more is a WARN event naming
///   its cause (the `Retry-After`, or a spent window), so a run that seems
///   stuck explains itself in the log.
///
/// A ceiling is requests per the window it was given with (a minute for
/// [`RateLimit::per_minute`]), whatever window the server counts in.
///
/// ```
/// use scim_sdk::{Client, RateLimit};
/// // Follow whatever the org allows, but never more than 600 a minute.
/// let client = Client::builder()
///     .bearer("token")
///     .rate_limit(RateLimit::per_minute(600))
///     .build()?;
/// assert_eq!(client.rate_limit(), Some(RateLimit::per_minute(600)));
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// The caller's ceiling, in requests per window.
    ceiling: Option<u32>,
    window: Duration,
    burst: u32,
}

/// The shortest window accepted; shorter ones count as this.
const MIN_WINDOW: Duration = Duration::from_millis(1);

/// The rate before the server has announced a limit, per minute.
const UNANNOUNCED_PER_MINUTE: f64 = 300.0;

/// The fewest requests per window an announced limit must allow to be
/// followed (besides one a second).
const FLOOR_PER_WINDOW: u64 = 5;

impl Default for RateLimit {
    fn default() -> Self {
        Self::follow_server()
    }
}

impl RateLimit {
    /// Follows the limit the server announces, with no ceiling of the
    /// caller's; 300 requests a minute until the server has announced one.
    ///
    /// ```
    /// let limit = scim_sdk::RateLimit::follow_server();
    /// assert_eq!(limit.ceiling(), None);
    /// assert_eq!(limit, scim_sdk::RateLimit::default());
    /// ```
    pub const fn follow_server() -> Self {
        Self {
            ceiling: None,
            window: Duration::from_secs(60),
            burst: 1,
        }
    }

    /// At most `requests` requests a minute, spread evenly (a burst of 1),
    /// and fewer when the server announces a lower limit. Zero counts as one.
    ///
    /// ```
    /// let limit = scim_sdk::RateLimit::per_minute(600);
    /// assert_eq!(limit.ceiling_per_minute(), Some(600));
    /// ```
    pub const fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// At most `requests` requests per `window`, spread evenly (a burst of
    /// 1), for a server that counts requests in windows of that length: the
    /// pacer takes `window` as the server's until the server's
    /// `inin-ratelimit-reset` tells its own. Zero requests count as one; a
    /// window under a millisecond counts as one millisecond.
    ///
    /// ```
    /// use std::time::Duration;
    /// // A test server that allows 10 requests every 2 seconds.
    /// let limit = scim_sdk::RateLimit::new(10, Duration::from_secs(2));
    /// assert_eq!((limit.ceiling(), limit.window()), (Some(10), Duration::from_secs(2)));
    /// assert_eq!(limit.ceiling_per_minute(), Some(300));
    /// ```
    pub const fn new(requests: u32, window: Duration) -> Self {
        Self {
            ceiling: Some(if requests == 0 { 1 } else { requests }),
            window: if window.as_nanos() < MIN_WINDOW.as_nanos() {
                MIN_WINDOW
            } else {
                window
            },
            burst: 1,
        }
    }

    /// The same limit, for a server that counts requests in windows of
    /// `window` until its `inin-ratelimit-reset` tells otherwise (a ceiling
    /// keeps its number of requests, now per `window`).
    ///
    /// ```
    /// use std::time::Duration;
    /// let limit = scim_sdk::RateLimit::follow_server().with_window(Duration::from_secs(2));
    /// assert_eq!(limit.window(), Duration::from_secs(2));
    /// ```
    #[must_use]
    pub const fn with_window(mut self, window: Duration) -> Self {
        self.window = if window.as_nanos() < MIN_WINDOW.as_nanos() {
            MIN_WINDOW
        } else {
            window
        };
        self
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

    /// The caller's ceiling in requests per minute, rounded down (at least
    /// one), or `None` when only the server's limit is followed.
    ///
    /// ```
    /// assert_eq!(scim_sdk::RateLimit::per_minute(0).ceiling_per_minute(), Some(1));
    /// assert_eq!(scim_sdk::RateLimit::follow_server().ceiling_per_minute(), None);
    /// ```
    pub const fn ceiling_per_minute(&self) -> Option<u32> {
        match self.ceiling {
            None => None,
            Some(requests) => {
                let per_minute = (requests as f64 * 60.0 / self.window.as_secs_f64()) as u32;
                Some(if per_minute == 0 { 1 } else { per_minute })
            }
        }
    }

    /// The caller's ceiling in requests per [`window`](Self::window), if any.
    ///
    /// ```
    /// assert_eq!(scim_sdk::RateLimit::per_minute(300).ceiling(), Some(300));
    /// ```
    pub const fn ceiling(&self) -> Option<u32> {
        self.ceiling
    }

    /// The window the server is taken to count requests in until it says
    /// otherwise, and the ceiling's window (a minute unless set with
    /// [`RateLimit::new`] or [`with_window`](Self::with_window)).
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

/// A pause imposed on a `429` that said neither `Retry-After` nor when the
/// window resets: long enough for a one-minute window to move on a little.
const BLIND_429_PAUSE: Duration = Duration::from_secs(1);

/// The bounds of a window learned from `inin-ratelimit-reset`: a server
/// cannot make the pacer believe in windows of a millisecond or a day.
const LEARNED_WINDOW: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(300));

/// The token bucket. Tokens refill continuously at the effective rate, up to
/// the burst; a request takes one; a pause blocks every request until it ends.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    limit: RateLimit,
    /// The retry budget: no pause is longer.
    budget: Duration,
    /// The server's window as learned from `inin-ratelimit-reset`.
    server_window: Option<Duration>,
    /// The latest `inin-ratelimit-allowed` at or above the floor.
    announced: Option<u64>,
    /// The last announced limit warned about as below the floor.
    warned_below_floor: Option<u64>,
    /// When the server's current window began, at the latest: the arrival
    /// of the answer that counted the window's first request.
    window_opened: Option<Instant>,
    tokens: f64,
    refilled_at: Instant,
    paused_until: Option<Instant>,
}

/// Why the bucket pauses, for the WARN event.
#[derive(Debug, Clone, Copy)]
enum Cause {
    RetryAfter(u16, Duration),
    Blind429,
    WindowSpent(u64),
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cause::RetryAfter(status, asked) => {
                write!(f, "HTTP {status} with Retry-After: {} s", asked.as_secs())
            }
            Cause::Blind429 => f.write_str("HTTP 429 without Retry-After"),
            Cause::WindowSpent(allowed) => write!(
                f,
                "the server's window is spent ({allowed} requests allowed, per inin-ratelimit-count)"
            ),
        }
    }
}

impl Bucket {
    /// A bucket for `limit` whose pauses never exceed `budget` (the retry
    /// policy's total wait) nor the window.
    pub(crate) fn new(limit: RateLimit, budget: Duration, now: Instant) -> Self {
        Self {
            limit,
            budget,
            server_window: None,
            announced: None,
            warned_below_floor: None,
            window_opened: None,
            tokens: f64::from(limit.burst),
            refilled_at: now,
            paused_until: None,
        }
    }

    /// The server's window: learned, or the one the limit assumes.
    fn window(&self) -> Duration {
        self.server_window.unwrap_or(self.limit.window)
    }

    /// The longest pause imposed: the window, or the retry budget if shorter.
    fn max_pause(&self) -> Duration {
        self.window().min(self.budget)
    }

    /// The fewest requests per window an announced limit must allow to be
    /// followed: five, and one a second.
    fn floor(&self) -> u64 {
        FLOOR_PER_WINDOW.max(self.window().as_secs())
    }

    /// Requests per second in force: the announced limit per the server's
    /// window, capped by the caller's ceiling per its own window; before an
    /// announcement, the ceiling, or 300 a minute without one.
    pub(crate) fn rate_per_second(&self) -> f64 {
        let per_second = |requests: f64, window: Duration| requests.max(1.0) / window.as_secs_f64();
        let ceiling = self
            .limit
            .ceiling
            .map(|c| per_second(f64::from(c), self.limit.window));
        let announced = self
            .announced
            .map(|allowed| per_second(allowed as f64, self.window()));
        match (announced, ceiling) {
            (Some(announced), Some(ceiling)) => announced.min(ceiling),
            (Some(rate), None) | (None, Some(rate)) => rate,
            (None, None) => UNANNOUNCED_PER_MINUTE / 60.0,
        }
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

    /// Holds every request back for `length`, cut to the longest pause.
    fn pause(&mut self, now: Instant, length: Duration, cause: Cause) {
        let length = length.min(self.max_pause());
        // One event per pause, not one per worker that ran into it.
        let fresh = self.paused_until.is_none_or(|until| until <= now);
        if fresh && length >= LONG_PAUSE {
            tracing::warn!(
                pause_ms = millis(length),
                "pacing: holding every request back for {} s: {cause}",
                length.as_secs()
            );
        }
        let until = now + length;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
        // A pause is a fresh start: one request when it ends, no burst saved
        // up before or during it.
        self.tokens = 1.0;
        self.refilled_at = self.refilled_at.max(until);
    }

    /// Adapts to one answer:
    /// - `inin-ratelimit-reset` teaches the server's window (see [`learn_window`](Self::learn_window));
    /// - `inin-ratelimit-allowed` (at or above the floor) sets the rate,
    ///   capped by the ceiling;
    /// - no requests left in the window (`count >= allowed`) pauses until
    ///   the window ends; otherwise the bucket never holds more tokens than
    ///   the window has left;
    /// - `Retry-After` on a `429` or `503` pauses for that long;
    /// - a `429` without it pauses until `inin-ratelimit-reset`, or for a
    ///   second when it says neither.
    pub(crate) fn observe(&mut self, now: Instant, signals: &Signals) {
        self.refill(now);
        self.learn_window(signals);
        if let Some(allowed) = signals.allowed {
            self.follow(now, allowed, signals);
        }
        match (signals.status, signals.retry_after) {
            (429 | 503, Some(wait)) => {
                self.pause(now, wait, Cause::RetryAfter(signals.status, wait));
            }
            (429, None) => {
                let wait = signals.reset.unwrap_or(BLIND_429_PAUSE);
                self.pause(now, wait, Cause::Blind429);
            }
            _ => {}
        }
    }

    /// Learns the server's window from `inin-ratelimit-reset`, never from
    /// `Retry-After` (a wait, not a window): the reset on the answer that
    /// opened a window (`count` 1) is the whole window, rounded up to whole
    /// seconds; any reset longer than the window believed shows a longer
    /// one. Clamped to [`LEARNED_WINDOW`].
    fn learn_window(&mut self, signals: &Signals) {
        let Some(reset) = signals.reset else { return };
        let (shortest, longest) = LEARNED_WINDOW;
        let reset = reset.clamp(shortest, longest);
        if signals.count == Some(1) || reset > self.window() {
            self.server_window = Some(reset);
        }
    }

    /// Follows an announced limit, unless it is below the floor.
    fn follow(&mut self, now: Instant, allowed: u64, signals: &Signals) {
        if allowed < self.floor() {
            if self.warned_below_floor != Some(allowed) {
                tracing::warn!(
                    allowed,
                    floor = self.floor(),
                    "pacing: the server announces inin-ratelimit-allowed: {allowed} per window, \
                     below the floor of {}; not following it, relying on 429s instead",
                    self.floor()
                );
                self.warned_below_floor = Some(allowed);
            }
            self.announced = None;
            return;
        }
        self.announced = Some(allowed);
        let Some(count) = signals.count else { return };
        if count == 1 {
            self.window_opened = Some(now);
        }
        let left = allowed.saturating_sub(count);
        self.tokens = self.tokens.min(left as f64);
        if left == 0 {
            let pause = self.until_window_ends(now, signals.reset);
            self.pause(now, pause, Cause::WindowSpent(allowed));
        }
    }

    /// The time until the server's window ends, at the latest: the reset it
    /// announced (rounded up to seconds), or a window after the answer that
    /// opened it, whichever is sooner.
    fn until_window_ends(&self, now: Instant, reset: Option<Duration>) -> Duration {
        let window = self.window();
        let by_opening = self
            .window_opened
            .map(|opened| (opened + window).saturating_duration_since(now))
            .filter(|left| !left.is_zero());
        match (reset, by_opening) {
            (Some(reset), Some(left)) => reset.min(left),
            (Some(reset), None) => reset,
            (None, Some(left)) => left,
            (None, None) => window,
        }
    }
}

/// A bucket shared by every clone of a paced client, on the real clock.
#[derive(Debug)]
pub(crate) struct Pacer {
    bucket: Mutex<Bucket>,
}

impl Pacer {
    /// A pacer for `limit` whose pauses never exceed `budget`.
    pub(crate) fn new(limit: RateLimit, budget: Duration) -> Self {
        Self {
            bucket: Mutex::new(Bucket::new(limit, budget, Instant::now())),
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

    /// Feeds what one answer said to the bucket.
    pub(crate) fn observe(&self, signals: &Signals) {
        self.lock().observe(Instant::now(), signals);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn signals(status: u16, headers: &[(&'static str, &'static str)]) -> Signals {
        let map = headers
            .iter()
            .map(|(k, v)| {
                (
                    ureq::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    ureq::http::HeaderValue::from_static(v),
                )
            })
            .collect();
        Signals::read(status, &map, SystemTime::now())
    }

    fn announced(allowed: &'static str, count: &'static str, reset: &'static str) -> Signals {
        signals(
            200,
            &[
                ("inin-ratelimit-allowed", allowed),
                ("inin-ratelimit-count", count),
                ("inin-ratelimit-reset", reset),
            ],
        )
    }

    type Step = (u64, Option<Signals>, Result<(), Duration>);

    /// Runs `steps` against a fresh bucket with a 60 s retry budget: each
    /// step is (time since start, answer seen before asking, expected
    /// outcome of asking for a permit).
    fn run(limit: RateLimit, steps: &[Step]) {
        run_with_budget(limit, Duration::from_secs(60), steps);
    }

    fn run_with_budget(limit: RateLimit, budget: Duration, steps: &[Step]) {
        let t0 = Instant::now();
        let mut bucket = Bucket::new(limit, budget, t0);
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
    fn until_a_limit_is_announced_the_default_is_300_a_minute() {
        run(
            RateLimit::follow_server(),
            &[(0, None, Ok(())), (0, None, Err(ms(200)))],
        );
    }

    #[test]
    fn an_announced_limit_above_the_default_is_followed() {
        // 600 a minute: one every 100 ms, twice the default.
        run(
            RateLimit::follow_server(),
            &[
                (0, None, Ok(())),
                (0, Some(announced("600", "1", "60")), Err(ms(100))),
                (100, None, Ok(())),
            ],
        );
    }

    #[test]
    fn a_lower_server_limit_slows_the_bucket() {
        run(
            RateLimit::per_minute(600),
            &[
                (0, None, Ok(())),
                (0, Some(announced("120", "1", "60")), Err(ms(500))),
                (500, None, Ok(())),
            ],
        );
    }

    #[test]
    fn a_higher_server_limit_does_not_raise_the_ceiling() {
        run(
            RateLimit::per_minute(60),
            &[
                (0, None, Ok(())),
                (0, Some(announced("6000", "1", "60")), Err(ms(1000))),
            ],
        );
    }

    #[test]
    fn a_limit_below_the_floor_is_not_followed() {
        // One a minute would pin the client; the ceiling applies instead.
        run(
            RateLimit::per_minute(6000),
            &[
                (0, Some(announced("1", "1", "60")), Ok(())),
                (10, Some(announced("1", "2", "60")), Ok(())),
                (20, None, Ok(())),
            ],
        );
    }

    #[test]
    fn an_exhausted_window_pauses_until_it_resets() {
        run(
            RateLimit::per_minute(6000).burst(10),
            &[
                (0, None, Ok(())),
                (0, Some(announced("300", "300", "7")), Err(ms(7000))),
                (6999, None, Err(ms(1))),
                (7000, None, Ok(())),
            ],
        );
    }

    #[test]
    fn an_exhausted_window_ends_a_window_after_the_answer_that_opened_it() {
        // The reset is whole seconds: 1 s at 900 ms would waste 900 ms of
        // the next window, while the window opened at 0 ends at 1000.
        run(
            RateLimit::follow_server().with_window(Duration::from_secs(1)),
            &[
                (0, None, Ok(())),
                (0, Some(announced("10", "1", "1")), Err(ms(100))),
                (900, Some(announced("10", "10", "1")), Err(ms(100))),
                (1000, None, Ok(())),
            ],
        );
    }

    #[test]
    fn the_bucket_never_holds_more_than_the_window_has_left() {
        run(
            RateLimit::per_minute(6000).burst(10),
            &[
                (0, Some(announced("100", "98", "30")), Ok(())),
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
    fn retry_after_on_a_success_is_ignored() {
        let odd = signals(200, &[("Retry-After", "3600")]);
        run(RateLimit::per_minute(6000), &[(0, Some(odd), Ok(()))]);
    }

    #[test]
    fn a_pause_lasts_at_most_the_window_or_the_budget() {
        let hostile = signals(429, &[("Retry-After", "3600")]);
        run(
            RateLimit::per_minute(6000),
            &[(0, Some(hostile), Err(Duration::from_secs(60)))],
        );
        run_with_budget(
            RateLimit::per_minute(6000),
            Duration::from_secs(5),
            &[(0, Some(hostile), Err(Duration::from_secs(5)))],
        );
        let far_reset = announced("300", "300", "86400");
        run(
            RateLimit::per_minute(6000),
            &[(0, Some(far_reset), Err(Duration::from_secs(60)))],
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
    fn the_window_is_learned_from_the_reset_of_the_answer_that_opened_it() {
        // 100 per 10 s: one every 100 ms, where a minute would give 600 ms.
        run(
            RateLimit::follow_server(),
            &[
                (0, None, Ok(())),
                (0, Some(announced("100", "1", "10")), Err(ms(100))),
                (100, None, Ok(())),
            ],
        );
        // A reset longer than the window believed shows a longer window.
        run(
            RateLimit::follow_server().with_window(Duration::from_secs(10)),
            &[
                (0, None, Ok(())),
                (0, Some(announced("120", "7", "60")), Err(ms(500))),
            ],
        );
    }

    /// Sends `requests` one after another, each as soon as the bucket
    /// allows, to a simulated server that allows `allowed` requests per
    /// fixed window of `window_s` seconds (opened by its first request) and
    /// announces it; every answer takes `latency`. Returns the share of the
    /// announced rate reached over the gaps between requests, and how many
    /// requests the server refused.
    fn against_a_fixed_window(
        limit: RateLimit,
        (allowed, window_s): (u64, u64),
        requests: u32,
        latency: Duration,
    ) -> (f64, u32) {
        let window = Duration::from_secs(window_s);
        let t0 = Instant::now();
        let mut bucket = Bucket::new(limit, Duration::from_secs(60), t0);
        let (mut now, mut opened, mut count, mut refused) = (t0, t0, 0, 0);
        let mut sent = Vec::new();
        for _ in 0..requests {
            while let Err(wait) = bucket.try_acquire(now) {
                now += wait;
            }
            sent.push(now);
            if count == 0 || now >= opened + window {
                (opened, count) = (now, 0);
            }
            count += 1;
            let status = if count > allowed { 429 } else { 200 };
            refused += u32::from(status == 429);
            let left = (opened + window - now).as_secs_f64().ceil().max(1.0);
            let headers = [
                ("inin-ratelimit-allowed", allowed.to_string()),
                ("inin-ratelimit-count", count.min(allowed).to_string()),
                ("inin-ratelimit-reset", format!("{left}")),
            ];
            let map = headers
                .iter()
                .map(|(k, v)| {
                    (
                        ureq::http::HeaderName::from_static(k),
                        ureq::http::HeaderValue::from_str(v).unwrap(),
                    )
                })
                .collect();
            now += latency;
            bucket.observe(now, &Signals::read(status, &map, SystemTime::now()));
        }
        let spent = sent[sent.len() - 1] - sent[0];
        let rate = f64::from(requests - 1) / spent.as_secs_f64();
        (rate / (allowed as f64 / window_s as f64), refused)
    }

    #[test]
    fn a_default_pacer_reaches_the_announced_rate_across_windows_of_any_length() {
        // Three windows' worth each, told nothing of the window beforehand.
        for (allowed, window_s) in [(100, 10), (600, 60), (10, 1), (3000, 300)] {
            for latency in [ms(0), ms(5)] {
                let requests = u32::try_from(3 * allowed + 1).unwrap();
                let (share, refused) = against_a_fixed_window(
                    RateLimit::follow_server(),
                    (allowed, window_s),
                    requests,
                    latency,
                );
                let case = format!("{allowed} per {window_s} s, answers in {latency:?}");
                assert_eq!(refused, 0, "{case}");
                assert!(share >= 0.95, "{case}: {:.1}%", share * 100.0);
                assert!(share <= 1.0 + 1e-9, "{case}: {:.1}%", share * 100.0);
            }
        }
    }

    #[test]
    fn a_learned_window_lasts_one_to_300_seconds() {
        run(
            RateLimit::follow_server(),
            &[
                (0, None, Ok(())),
                // A day is taken for 300 s: 6000 per 300 s, one every 50 ms.
                (0, Some(announced("6000", "1", "86400")), Err(ms(50))),
                (50, None, Ok(())),
                // Zero is taken for 1 s: 10 a second.
                (50, Some(announced("10", "1", "0")), Err(ms(100))),
            ],
        );
    }

    #[test]
    fn retry_after_never_sets_the_window() {
        let refused = signals(429, &[("Retry-After", "10")]);
        run(
            RateLimit::follow_server(),
            &[
                (0, Some(refused), Err(ms(10_000))),
                // Still a minute: 600 of them is one every 100 ms.
                (10_000, Some(announced("600", "2", "5")), Ok(())),
                (10_000, None, Err(ms(100))),
            ],
        );
    }

    #[test]
    fn zero_means_one() {
        assert_eq!(RateLimit::per_minute(0).burst(0), RateLimit::per_minute(1));
        assert_eq!(RateLimit::new(5, Duration::ZERO).window(), MIN_WINDOW);
    }

    #[test]
    fn the_server_limit_is_read_per_the_configured_window() {
        // 10 per 2 s, and the server allows only 8 per window: one every 250 ms.
        run(
            RateLimit::new(10, Duration::from_secs(2)),
            &[
                (0, None, Ok(())),
                (0, Some(announced("8", "1", "2")), Err(ms(250))),
                (250, None, Ok(())),
            ],
        );
    }
}
