//! What a successful call gives back: the typed body, plus status and headers
//! for callers who need them, and the "not modified" outcome of conditional GETs.
//!
//! [`Signals`] is what an answer tells the runtime, read once per answer:
//! the retry decision, the pacer and the errors all take it from there.

use std::time::{Duration, SystemTime};
pub use ureq::http::HeaderMap;

/// A decoded response body together with the HTTP status and headers.
///
/// Returned by every builder's `send_with_response()`. It is also the one
/// place an answer is read: the status, `Retry-After` and the
/// `inin-ratelimit-*` headers are parsed once, when it is built, and the
/// retry decision, the pacer and the error all use that reading.
///
/// ```
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// let resp = client.get_scim_v2_user("8f2b…").send_with_response()?;
/// println!("status {} etag {:?} correlation {:?}", resp.status(), resp.etag(), resp.correlation_id());
/// let user = resp.into_body();
/// # let _ = user; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    signals: Signals,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: T) -> Self {
        let signals = Signals::read(status, &headers, SystemTime::now());
        Self {
            status,
            headers,
            signals,
            body,
        }
    }

    /// What the answer says about retrying and pacing, read once.
    pub(crate) fn signals(&self) -> &Signals {
        &self.signals
    }

    /// The HTTP status code.
    ///
    /// ```no_run
    /// use scim_sdk::models::ScimV2CreateUser;
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let jane = ScimV2CreateUser::new("jane@example.com", "Jane Doe");
    /// let resp = client.post_scim_v2_users(jane).send_with_response()?;
    /// assert_eq!(resp.status(), 201);
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of header `name` (case-insensitive).
    ///
    /// ```
    /// # fn demo(r: &scim_sdk::Response<()>) {
    /// let ct = r.header("content-type");
    /// # let _ = ct; }
    /// ```
    /// A value that is not visible ASCII (RFC 9110 allows other bytes but
    /// no server worth talking to sends them) reads as absent here; it is
    /// still in [`headers`](Self::headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All response headers, as the server sent them.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_users().count(1).send_with_response()?;
    /// // Genesys' own headers (rate limits, correlation id) help diagnose throttling.
    /// for (name, value) in resp.headers().iter().filter(|(n, _)| n.as_str().starts_with("inin-")) {
    ///     println!("{name}: {}", value.to_str().unwrap_or("(not text)"));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `ETag` header, quotes included (e.g. `"42"`): pass it to
    /// `if_match` or `if_none_match`.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let read = client.get_scim_v2_user("8f2b…").send_with_response()?;
    /// if let Some(etag) = read.etag().map(str::to_owned) {
    ///     // Fails with a version mismatch if someone changed the user since our read.
    ///     client.put_scim_v2_user("8f2b…", read.into_body()).if_match(etag).send()?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The `ININ-Correlation-Id` header that Genesys support asks for.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_users().filter("active eq false").send_with_response()?;
    /// // Worth logging on success too: support can trace a slow call by it.
    /// println!("listed in request {:?}", resp.correlation_id());
    /// # Ok(()) }
    /// ```
    pub fn correlation_id(&self) -> Option<&str> {
        self.header("inin-correlation-id")
    }

    /// The decoded body.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // count(0) asks only for the total, which is cheap.
    /// let resp = client.get_scim_v2_users().count(0).send_with_response()?;
    /// println!("{:?} active users", resp.body().total_results);
    /// # Ok(()) }
    /// ```
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body, dropping status and headers.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_user("8f2b…").send_with_response()?;
    /// let etag = resp.etag().map(str::to_owned);
    /// let user = resp.into_body();
    /// # let _ = (etag, user);
    /// # Ok(()) }
    /// ```
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_users().send_with_response()?;
    /// // Keep status and headers, drop everything but the user names.
    /// let names = resp.map(|list| {
    ///     let users = list.resources.unwrap_or_default();
    ///     users.into_iter().filter_map(|u| u.user_name).collect::<Vec<_>>()
    /// });
    /// println!("{}: {:?}", names.status(), names.body());
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            signals: self.signals,
            body: f(self.body),
        }
    }
}

/// The outcome of a GET sent with `If-None-Match`.
///
/// ```
/// use scim_sdk::Conditional;
/// # fn demo(client: &scim_sdk::Client, etag: &str) -> Result<(), scim_sdk::Error> {
/// match client.get_scim_v2_user("8f2b…").if_none_match(etag).send()? {
///     Conditional::Modified(user) => println!("changed: {:?}", user.meta),
///     Conditional::NotModified => println!("cached copy is current"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Conditional<T> {
    /// The resource changed (or the tag did not match): here is its current state.
    Modified(T),
    /// 304: the resource still has the version the caller sent.
    NotModified,
}

impl<T> Conditional<T> {
    /// The new state, or `None` when not modified.
    ///
    /// ```
    /// use scim_sdk::Conditional;
    /// let mut cached = "old copy";
    /// // Replace the cached copy only when the server sent a new version.
    /// if let Some(fresh) = Conditional::Modified("new copy").modified() {
    ///     cached = fresh;
    /// }
    /// assert_eq!(cached, "new copy");
    /// assert_eq!(Conditional::<&str>::NotModified.modified(), None);
    /// ```
    pub fn modified(self) -> Option<T> {
        match self {
            Conditional::Modified(t) => Some(t),
            Conditional::NotModified => None,
        }
    }

    /// `true` for the 304 outcome.
    ///
    /// ```
    /// use scim_sdk::Conditional;
    /// assert!(Conditional::<()>::NotModified.is_not_modified());
    /// assert!(!Conditional::Modified(()).is_not_modified());
    /// ```
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Conditional::NotModified)
    }
}

/// What one answer says about sending again and pacing. Values that do not
/// parse count as absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Signals {
    pub(crate) status: u16,
    /// `Retry-After`, whole seconds (an HTTP date is rounded up).
    pub(crate) retry_after: Option<Duration>,
    /// `inin-ratelimit-allowed`: requests allowed per window.
    pub(crate) allowed: Option<u64>,
    /// `inin-ratelimit-count`: requests counted in the window so far.
    pub(crate) count: Option<u64>,
    /// `inin-ratelimit-reset`: time until the window starts over.
    pub(crate) reset: Option<Duration>,
}

impl Signals {
    pub(crate) fn read(status: u16, headers: &HeaderMap, now: SystemTime) -> Self {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let number = |name: &str| {
            text(name)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|n| n.is_finite() && *n >= 0.0)
        };
        Self {
            status,
            retry_after: text("retry-after").and_then(|v| retry_after(v, now)),
            allowed: number("inin-ratelimit-allowed").map(|n| n as u64),
            count: number("inin-ratelimit-count").map(|n| n as u64),
            reset: number("inin-ratelimit-reset").and_then(|s| Duration::try_from_secs_f64(s).ok()),
        }
    }
}

/// A `Retry-After` value (RFC 9110 §10.2.3) as the time to wait from `now`:
/// either a number of seconds or an HTTP date (rounded up to whole seconds;
/// a date in the past means at once).
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(Duration::from_secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let wait = at.duration_since(now).unwrap_or_default();
    Some(Duration::from_secs(
        wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    ureq::http::HeaderName::from_static(k),
                    ureq::http::HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let secs = |v, now| retry_after(v, now).map(|d| d.as_secs());
        assert_eq!(secs(" 120 ", now), Some(120));
        assert_eq!(secs("Sun, 06 Nov 1994 08:50:07 GMT", now), Some(30));
        assert_eq!(secs("Sun, 06 Nov 1994 08:40:00 GMT", now), Some(0));
        let later = now + Duration::from_millis(500);
        assert_eq!(secs("Sun, 06 Nov 1994 08:49:38 GMT", later), Some(1));
        for bad in ["", "soon", "-5", "1.5", "99999999999999999999999"] {
            assert_eq!(retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn an_answer_is_read_once_into_signals() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let read = Signals::read(
            429,
            &headers(&[
                ("retry-after", "Sun, 06 Nov 1994 08:49:40 GMT"),
                ("inin-ratelimit-allowed", "300"),
                ("inin-ratelimit-count", "12"),
                ("inin-ratelimit-reset", "41.5"),
            ]),
            now,
        );
        assert_eq!(
            read,
            Signals {
                status: 429,
                retry_after: Some(Duration::from_secs(3)),
                allowed: Some(300),
                count: Some(12),
                reset: Some(Duration::from_millis(41_500)),
            }
        );
        let garbage = Signals::read(
            200,
            &headers(&[
                ("retry-after", "soon"),
                ("inin-ratelimit-allowed", "lots"),
                ("inin-ratelimit-count", "-4"),
                ("inin-ratelimit-reset", "1e400"),
            ]),
            now,
        );
        assert_eq!(
            garbage,
            Signals {
                status: 200,
                ..Signals::default()
            }
        );
    }
}
