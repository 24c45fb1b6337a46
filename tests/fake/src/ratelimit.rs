//! The per-token request limit: a fixed window per token that opens with
//! the token's first request and admits a set number of requests until it
//! closes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked tokens, windows that have closed are forgotten.
const PRUNE_AT: usize = 1_024;

/// What the limiter says about one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Requests allowed per window.
    pub limit: u32,
    /// Requests counted in the current window, this one included if allowed.
    pub count: u32,
    /// Whole seconds, rounded up, until the window closes (at least 1).
    pub reset_secs: u64,
}

impl Verdict {
    /// The `inin-ratelimit-*` headers describing this verdict.
    pub(crate) fn headers(&self) -> [(&'static str, String); 3] {
        [
            ("inin-ratelimit-allowed", self.limit.to_string()),
            ("inin-ratelimit-count", self.count.to_string()),
            ("inin-ratelimit-reset", self.reset_secs.to_string()),
        ]
    }
}

#[derive(Debug)]
struct Window {
    opened: Instant,
    count: u32,
}

/// Counts requests per token.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<String, Window>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window: window.max(Duration::from_millis(1)),
            windows: Mutex::default(),
        }
    }

    /// Counts a request made with `token` at `now`, unless the window is full.
    pub(crate) fn check(&self, token: &str, now: Instant) -> Verdict {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= PRUNE_AT {
            let window = self.window;
            windows.retain(|_, w| now.duration_since(w.opened) < window);
        }
        let w = windows.entry(token.to_string()).or_insert(Window {
            opened: now,
            count: 0,
        });
        if now.duration_since(w.opened) >= self.window {
            *w = Window {
                opened: now,
                count: 0,
            };
        }
        let allowed = w.count < self.limit;
        if allowed {
            w.count += 1;
        }
        let left = (w.opened + self.window).saturating_duration_since(now);
        Verdict {
            allowed,
            limit: self.limit,
            count: w.count,
            reset_secs: ceil_secs(left).max(1),
        }
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_its_limit_then_refuses_until_it_closes() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let v = limiter.check("a", at(0));
        assert_eq!((v.allowed, v.count, v.reset_secs), (true, 1, 60));
        let v = limiter.check("a", at(10));
        assert_eq!((v.allowed, v.count, v.reset_secs), (true, 2, 50));
        let v = limiter.check("a", at(59));
        assert_eq!((v.allowed, v.count, v.reset_secs), (false, 2, 1));
        // Another token has a window of its own.
        assert!(limiter.check("b", at(59)).allowed);
        // The window closes 60 s after it opened.
        let v = limiter.check("a", at(60));
        assert_eq!((v.allowed, v.count, v.reset_secs), (true, 1, 60));
    }

    #[test]
    fn reset_rounds_up_to_whole_seconds() {
        let limiter = RateLimiter::new(1, Duration::from_millis(1_500));
        let t0 = Instant::now();
        assert_eq!(limiter.check("a", t0).reset_secs, 2);
        let v = limiter.check("a", t0 + Duration::from_millis(1_400));
        assert_eq!((v.allowed, v.reset_secs), (false, 1));
    }
}
