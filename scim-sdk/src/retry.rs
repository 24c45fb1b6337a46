//! When and how long to wait before sending a failed request again.

use std::time::Duration;

/// How the client retries failed requests. Retries are on by default
/// ([`RetryPolicy::default`]); turn them off with [`RetryPolicy::disabled`].
///
/// # What is retried
///
/// | failure | `GET`, `PUT`, `DELETE` | `POST`, `PATCH` |
/// |---|---|---|
/// | `429 Too Many Requests` | yes | yes |
/// | `502`, `503`, `504` | yes | **no** |
/// | connection refused, DNS failure, connect time-out (nothing was sent) | yes | yes |
/// | failure or time-out after the request was sent | yes | **no** |
/// | token endpoint unreachable, or answering `429`/`502`–`504` | yes | yes |
/// | any other status (`400`, `404`, `409`, `500`, …) | no | no |
///
/// `POST` and `PATCH` are not idempotent ([`Method::is_idempotent`](crate::Method::is_idempotent)):
/// sending them twice may create two users or apply an operation twice. They
/// are retried only when the failure proves the server did not act on the
/// request: a 429 (the request was refused before being processed) or a
/// connection that could not be opened.
///
/// Separately from this policy, a `401` on a client configured with
/// [`client_credentials`](crate::ClientBuilder::client_credentials) fetches a
/// new token and sends the request once more, whatever the method.
///
/// # How long the client waits
///
/// A `429` with a `Retry-After: N` header waits `N` seconds. Everything else
/// waits a random time between zero and
/// `min(max_backoff, base_backoff × 2^(retry − 1))` ("full jitter"), so that
/// many clients do not retry in lock step.
///
/// The sleeps of one call add up to at most
/// [`max_total_wait`](Self::max_total_wait). A `Retry-After` longer than what
/// remains of it ends the retries at once and returns the `429`: waiting less
/// than the server asked would only earn another `429`.
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
    pub const fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The full-jitter backoff before retry number `retry` (1 for the first
    /// retry): uniform in `[0, min(max_backoff, base_backoff × 2^(retry − 1))]`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        let ceiling = self
            .base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        ceiling.mul_f64(jitter_unit())
    }
}

/// A number in `[0, 1)` that differs between calls and processes. Not
/// cryptographic: it only spreads retries out.
fn jitter_unit() -> f64 {
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
    fn backoff_stays_within_its_ceiling() {
        let p = RetryPolicy::new()
            .base_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(3) <= Duration::from_millis(350));
            assert!(p.backoff(40) <= Duration::from_millis(350));
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
