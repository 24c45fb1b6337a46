//! The one error type of the SDK.

use crate::models::{ScimError, ScimErrorScimType};
use std::fmt;
use std::time::Duration;

/// Longest body excerpt kept in an error, in bytes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when calling the API.
///
/// Match on the variant for the broad kind, or use the accessors
/// ([`status`](Error::status), [`scim_type`](Error::scim_type),
/// [`correlation_id`](Error::correlation_id), …) which work on any variant.
///
/// ```
/// # fn demo(client: &scim_sdk::Client) {
/// match client.get_scim_v2_user("no-such-id").send() {
///     Ok(user) => println!("found {:?}", user.user_name),
///     Err(e) if e.is_not_found() => println!("gone (correlation id {:?})", e.correlation_id()),
///     Err(e) => eprintln!("failed: {e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success HTTP status.
    Http(Box<HttpError>),
    /// The connection failed, or the request could not be sent or read.
    Transport(Box<TransportError>),
    /// The request did not finish within the configured time.
    Timeout(Box<TransportError>),
    /// The response arrived but its body is not what the operation returns.
    Decode(Box<DecodeError>),
    /// Obtaining or using credentials failed.
    Auth(Box<AuthError>),
    /// The call was refused before anything was sent, because an argument or
    /// the client configuration is not usable.
    InvalidInput {
        /// The operation (or `"client"` for configuration errors).
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A listing stopped at its bound: the server claims more resources
    /// than one listing reads (`totalResults`), or sent more than that.
    /// Narrow the listing with a filter. See
    /// [`MAX_LISTED_USERS`](crate::MAX_LISTED_USERS).
    #[non_exhaustive]
    TooManyResults {
        /// The list operation.
        operation: &'static str,
        /// The most one listing reads.
        limit: u64,
        /// The `totalResults` the server gave, if any.
        claimed: Option<i64>,
    },
}

/// A non-success HTTP answer, with what the server said about it.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) {
/// if let Err(scim_sdk::Error::Http(h)) = client.get_scim_v2_user("8f2b…").send() {
///     eprintln!("HTTP {} after {} attempts; retry after {:?} s", h.status, h.attempts, h.retry_after);
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpError {
    /// The operation that failed.
    pub operation: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// The SCIM error body, when the server sent one.
    pub scim: Option<ScimError>,
    /// The start of the raw body, when it was not a SCIM error (an HTML page
    /// from a proxy, say). At most a few hundred bytes.
    pub body_snippet: Option<String>,
    /// The `ININ-Correlation-Id` response header: quote it to Genesys support.
    pub correlation_id: Option<String>,
    /// The `Retry-After` response header, in seconds (an HTTP date is
    /// converted to the seconds left until it).
    pub retry_after: Option<u64>,
    /// How many times the request was sent, retries included.
    pub attempts: u32,
    /// Whether the server may have acted on the request: this answer is a
    /// `5xx`, or an earlier attempt was (see [`Error::may_have_been_applied`]).
    pub may_have_been_applied: bool,
}

/// A failure below HTTP: DNS, connect, TLS, reset, or a time-out.
///
/// ```no_run
/// use scim_sdk::Error;
/// # fn demo(client: &scim_sdk::Client) {
/// if let Err(Error::Transport(t) | Error::Timeout(t)) = client.get_scim_v2_users().send() {
///     // `source` holds the I/O error, whose OS detail helps diagnose proxies and TLS.
///     eprintln!("{}: {} ({:?})", t.operation, t.message, t.source);
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The operation that failed.
    pub operation: &'static str,
    /// A human-readable description.
    pub message: String,
    /// The underlying error, when there is one.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// How many times the request was tried, retries included.
    pub attempts: u32,
    /// Whether some of the request may have reached the server, in this
    /// attempt or an earlier one: `false` only when it provably did not
    /// (the name did not resolve, no connection could be opened).
    pub may_have_been_applied: bool,
}

/// A response body that does not have the shape the operation returns.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) {
/// if let Err(scim_sdk::Error::Decode(d)) = client.get_scim_v2_user("8f2b…").send() {
///     // The JSON path names the attribute the server sent in an unexpected shape.
///     eprintln!("{}: unexpected body at {}: {}", d.operation, d.path, d.message);
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation whose response failed to decode.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: u16,
    /// The JSON path where decoding failed, e.g. `Resources[3].emails[0].primary`.
    pub path: String,
    /// What was wrong at that place.
    pub message: String,
    /// The start of the body, for diagnosis.
    pub body_snippet: String,
    /// The `ININ-Correlation-Id` response header.
    pub correlation_id: Option<String>,
    /// Set when the body was not decoded because it is larger than the
    /// client's [`max_body_bytes`](crate::ClientBuilder::max_body_bytes) cap:
    /// the cap, in bytes.
    pub body_limit: Option<u64>,
}

/// A failure to obtain an access token.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) {
/// if let Err(scim_sdk::Error::Auth(a)) = client.get_scim_v2_users().count(1).send() {
///     if a.error_code.as_deref() == Some("invalid_client") {
///         // Not worth retrying: the OAuth client id or secret is wrong.
///         eprintln!("check the client credentials: {}", a.message);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthError {
    /// What went wrong; never contains secrets or tokens.
    pub message: String,
    /// The token endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// The OAuth `error` code of the token endpoint's answer, such as
    /// `invalid_client` (RFC 6749 §5.2), without control characters and cut
    /// to 64 characters.
    pub error_code: Option<String>,
}

impl Error {
    pub(crate) fn invalid_input(operation: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            operation,
            message: message.into(),
        }
    }

    /// The HTTP status, for [`Error::Http`] and [`Error::Decode`].
    ///
    /// ```
    /// # fn demo(e: scim_sdk::Error) {
    /// if e.status() == Some(429) { /* slow down */ }
    /// # }
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http(h) => Some(h.status),
            Error::Decode(d) => Some(d.status),
            Error::Auth(a) => a.status,
            _ => None,
        }
    }

    /// The SCIM `scimType` of an HTTP error, such as `uniqueness` or `invalidVers`.
    ///
    /// ```no_run
    /// use scim_sdk::models::{ScimErrorScimType, ScimV2CreateUser};
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let jane = ScimV2CreateUser::new("jane@example.com", "Jane Doe");
    /// match client.post_scim_v2_users(jane).send() {
    ///     Ok(user) => println!("created {:?}", user.id),
    ///     Err(e) if e.scim_type() == Some(&ScimErrorScimType::Uniqueness) => println!("exists"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn scim_type(&self) -> Option<&ScimErrorScimType> {
        match self {
            Error::Http(h) => h.scim.as_ref().and_then(|s| s.scim_type.as_ref()),
            _ => None,
        }
    }

    /// The server's `detail` message of an HTTP error, without control
    /// characters and cut to a bounded length.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client, change: scim_sdk::models::ScimV2PatchRequest) {
    /// if let Err(e) = client.patch_scim_v2_user("8f2b…", change).send() {
    ///     // The server's own words usually name the attribute it refused.
    ///     eprintln!("PATCH refused: {}", e.detail().unwrap_or("no detail"));
    /// }
    /// # }
    /// ```
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::Http(h) => h.scim.as_ref().and_then(|s| s.detail.as_deref()),
            _ => None,
        }
    }

    /// The `ININ-Correlation-Id` of the response that failed, if any.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) {
    /// if let Err(e) = client.delete_scim_v2_user("8f2b…").send() {
    ///     eprintln!("{e}; quote correlation id {:?} to Genesys support", e.correlation_id());
    /// }
    /// # }
    /// ```
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Http(h) => h.correlation_id.as_deref(),
            Error::Decode(d) => d.correlation_id.as_deref(),
            _ => None,
        }
    }

    /// A short machine-readable code: the `scimType` when it is one the SDK
    /// knows (`uniqueness`, `invalidVers`, …), `unknown_scim_type` for any
    /// other, else the kind of failure (`http_404`, `timeout`, `transport`,
    /// `decode`, …). The set of values is bounded whatever the server sends,
    /// and each is a `&'static str`: fit for a metric label, with no
    /// allocation.
    ///
    /// ```
    /// // Stable across SDK versions, unlike the message: use it as a metric label.
    /// let err = scim_sdk::Client::builder().build().unwrap_err();
    /// assert_eq!(err.code(), "invalid_input");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::Http(h) => match h.scim.as_ref().and_then(|s| s.scim_type.as_ref()) {
                Some(t) => ScimErrorScimType::KNOWN_VALUES
                    .iter()
                    .copied()
                    .find(|known| *known == t.as_str())
                    .unwrap_or("unknown_scim_type"),
                None => http_code(h.status),
            },
            Error::Transport(_) => "transport",
            Error::Timeout(_) => "timeout",
            Error::Decode(_) => "decode",
            Error::Auth(_) => "auth",
            Error::InvalidInput { .. } => "invalid_input",
            Error::TooManyResults { .. } => "too_many_results",
        }
    }

    /// The most useful human-readable message: the server's `detail`, or a
    /// description of the failure.
    ///
    /// ```
    /// let err = scim_sdk::Client::builder().build().unwrap_err();
    /// // Without the operation name and status that `Display` adds: fit for end users.
    /// assert!(err.message().starts_with("no credentials"));
    /// ```
    pub fn message(&self) -> String {
        match self {
            Error::Http(h) => h
                .scim
                .as_ref()
                .and_then(|s| s.detail.clone())
                .or_else(|| h.body_snippet.clone())
                .unwrap_or_else(|| format!("HTTP {}", h.status)),
            Error::Transport(t) | Error::Timeout(t) => t.message.clone(),
            Error::Decode(d) => d.message.clone(),
            Error::Auth(a) => a.message.clone(),
            Error::InvalidInput { message, .. } => message.clone(),
            Error::TooManyResults { limit, claimed, .. } => too_many(*limit, *claimed),
        }
    }

    /// How many times the request went out, retries included, for errors
    /// that come from the wire ([`Error::Http`], [`Error::Transport`],
    /// [`Error::Timeout`]); `None` for the other kinds.
    ///
    /// ```
    /// # fn demo(client: &scim_sdk::Client) {
    /// if let Err(e) = client.get_scim_v2_users().send() {
    ///     eprintln!("gave up after {:?} attempts: {e}", e.attempts());
    /// }
    /// # }
    /// ```
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Http(h) => Some(h.attempts),
            Error::Transport(t) | Error::Timeout(t) => Some(t.attempts),
            _ => None,
        }
    }

    /// `true` when the response body was refused because it is larger than
    /// the client's [`max_body_bytes`](crate::ClientBuilder::max_body_bytes).
    ///
    /// ```
    /// # fn demo(client: &scim_sdk::Client) {
    /// match client.get_scim_v2_users().count(1000).send() {
    ///     Err(e) if e.is_body_too_large() => eprintln!("ask for smaller pages: {e}"),
    ///     other => { let _ = other; }
    /// }
    /// # }
    /// ```
    pub fn is_body_too_large(&self) -> bool {
        matches!(self, Error::Decode(d) if d.body_limit.is_some())
    }

    /// Records, on the kinds that carry it, how many attempts a call took
    /// and whether an earlier attempt may have been applied.
    pub(crate) fn finish(mut self, attempts: u32, applied_before: bool) -> Self {
        match &mut self {
            Error::Http(h) => {
                h.attempts = attempts;
                h.may_have_been_applied |= applied_before;
            }
            Error::Transport(t) | Error::Timeout(t) => {
                t.attempts = attempts;
                t.may_have_been_applied |= applied_before;
            }
            _ => {}
        }
        self
    }

    /// Marks a failure that happened before anything reached the API (while
    /// a token was fetched, say).
    pub(crate) fn not_sent(mut self) -> Self {
        if let Error::Transport(t) | Error::Timeout(t) = &mut self {
            t.may_have_been_applied = false;
        }
        self
    }

    /// Whether the server may have acted on the request although the call
    /// failed: an answer `5xx`, a connection that broke after the request
    /// went out, an answer that arrived but could not be decoded, or any of
    /// these on an earlier attempt before a retry. `false` when the failure
    /// proves the server did not act: a `4xx` (a refusal), a connection
    /// that could not be opened, a token that could not be had, bad input.
    ///
    /// A request carrying `If-Match` is retried after such failures (see
    /// [`RetryPolicy`](crate::RetryPolicy)); when it then fails with a
    /// version mismatch, this says the mismatch may be its own first copy.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client, etag: &str, change: scim_sdk::models::ScimV2PatchRequest) {
    /// match client.patch_scim_v2_user("8f2b…", change).if_match(etag).send() {
    ///     Err(e) if e.is_version_mismatch() && e.may_have_been_applied() => {
    ///         println!("read again: the change may be in already")
    ///     }
    ///     other => { let _ = other; }
    /// }
    /// # }
    /// ```
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::Http(h) => h.may_have_been_applied,
            Error::Transport(t) | Error::Timeout(t) => t.may_have_been_applied,
            Error::Decode(_) => true,
            _ => false,
        }
    }

    /// How this failure bears on sending the request again: the one
    /// classification behind both the retry loop and [`is_retryable`](Self::is_retryable).
    pub(crate) fn outcome(&self) -> Outcome {
        let retry_after = |h: &HttpError| h.retry_after.map(Duration::from_secs);
        match self {
            Error::Http(h) => match h.status {
                401 => Outcome::Unauthorized,
                429 => Outcome::Throttled(retry_after(h)),
                500 | 502..=504 => Outcome::Unavailable(retry_after(h)),
                _ => Outcome::Final,
            },
            Error::Transport(t) | Error::Timeout(t) if t.may_have_been_applied => Outcome::Lost,
            Error::Transport(_) | Error::Timeout(_) => Outcome::NotSent,
            Error::Auth(a) if matches!(a.status, Some(429 | 500 | 502..=504)) => Outcome::NotSent,
            _ => Outcome::Final,
        }
    }

    /// `true` for 404 Not Found.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// match client.delete_scim_v2_user("8f2b…").send() {
    ///     // Already gone (an earlier run, or an admin): the sync reached its goal anyway.
    ///     Ok(()) => {}
    ///     Err(e) if e.is_not_found() => {}
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404) && matches!(self, Error::Http(_))
    }

    /// `true` for 409 Conflict (for example a duplicate `userName`).
    ///
    /// ```no_run
    /// use scim_sdk::models::ScimV2CreateUser;
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let jane = ScimV2CreateUser::new("jane@example.com", "Jane Doe");
    /// match client.post_scim_v2_users(jane).send() {
    ///     Ok(user) => println!("created {:?}", user.id),
    ///     // Someone provisioned her first: look her up instead of failing the run.
    ///     // A plain `userName eq` filter would miss her if she is deactivated:
    ///     // Genesys lists inactive users only when the filter names `active`.
    ///     Err(e) if e.is_conflict() => {
    ///         let holder = client.find_user_by_user_name("jane@example.com")?;
    ///         println!("exists: {:?}", holder.map(|u| (u.id, u.active)));
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409) && matches!(self, Error::Http(_))
    }

    /// `true` when an `If-Match` version did not match: Genesys answers 400
    /// with `scimType` `invalidVers`; RFC 7644 servers answer 412.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client, etag: &str, change: scim_sdk::models::ScimV2PatchRequest) -> Result<(), scim_sdk::Error> {
    /// match client.patch_scim_v2_user("8f2b…", change).if_match(etag).send() {
    ///     Ok(user) => println!("now {:?}", user.title),
    ///     // Changed since we read it: re-read and decide again rather than overwrite.
    ///     Err(e) if e.is_version_mismatch() => println!("stale ETag {etag}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_version_mismatch(&self) -> bool {
        match self {
            Error::Http(h) => {
                h.status == 412
                    || matches!(
                        h.scim.as_ref().and_then(|s| s.scim_type.as_ref()),
                        Some(ScimErrorScimType::InvalidVers)
                    )
            }
            _ => false,
        }
    }

    /// `true` when sending the same request again later may succeed: 429,
    /// 500, 502, 503, 504, time-outs and connection failures, and a token
    /// endpoint answering 429, 500 or 502–504. The same classification decides
    /// the client's own retries (which re-send a `500`, `502`–`504` or a
    /// broken connection only when the request is replay-safe).
    ///
    /// The client already retries these (see [`RetryPolicy`](crate::RetryPolicy));
    /// this tells whether trying again later, by other means, makes sense.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client, retry_later: &mut Vec<String>) -> Result<(), scim_sdk::Error> {
    /// let id = "8f2b…";
    /// if let Err(e) = client.get_scim_v2_user(id).send() {
    ///     // The client's own retries are spent: requeue this user, keep syncing the others.
    ///     if e.is_retryable() { retry_later.push(id.to_owned()) } else { return Err(e) }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_retryable(&self) -> bool {
        !matches!(self.outcome(), Outcome::Final | Outcome::Unauthorized)
    }

    /// How long the server asked to wait before trying again: the
    /// `Retry-After` of an HTTP error (sent with `429` and `503`), `None`
    /// when it sent none. The client has already waited it out between its
    /// own retries; this is for a caller that requeues the work.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) {
    /// if let Err(e) = client.get_scim_v2_users().send() {
    ///     let wait = e.retry_after().unwrap_or(std::time::Duration::from_secs(30));
    ///     println!("try again in {wait:?}");
    /// }
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Http(h) => h.retry_after.map(Duration::from_secs),
            _ => None,
        }
    }

    /// `true` for a `429 Too Many Requests`, from the API or the token
    /// endpoint: the org's request budget is spent for now, so slow down
    /// rather than fail over.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) {
    /// match client.get_scim_v2_users().send() {
    ///     Err(e) if e.is_rate_limited() => eprintln!("over the org's limit: {e}"),
    ///     other => { let _ = other; }
    /// }
    /// # }
    /// ```
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// `true` when no answer came: the connection was refused or reset,
    /// the name did not resolve, TLS failed, or the time ran out
    /// ([`Error::Transport`] and [`Error::Timeout`], from the API or the
    /// token endpoint). The network or the server's address is the thing
    /// to check; an HTTP error, however bad, is an answer.
    ///
    /// ```
    /// use scim_sdk::{Client, RetryPolicy};
    /// let client = Client::builder()
    ///     .base_url("http://127.0.0.1:9") // the discard port: nothing listens
    ///     .bearer("token")
    ///     .retry(RetryPolicy::disabled())
    ///     .build()?;
    /// let err = client.get_scim_v2_users().send().unwrap_err();
    /// assert!(err.is_connection());
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Transport(_) | Error::Timeout(_))
    }
}

/// `http_` and the status, for [`Error::code`]: a table built at compile
/// time, so that the code is a `&'static str` without an allocation.
fn http_code(status: u16) -> &'static str {
    static CODES: [[u8; 8]; 1000] = {
        let mut table = [*b"http_000"; 1000];
        let mut i = 0;
        while i < 1000 {
            table[i][5] = b'0' + (i / 100) as u8;
            table[i][6] = b'0' + (i / 10 % 10) as u8;
            table[i][7] = b'0' + (i % 10) as u8;
            i += 1;
        }
        table
    };
    CODES
        .get(usize::from(status))
        .and_then(|code| std::str::from_utf8(code).ok())
        .unwrap_or("http_other")
}

/// A failed attempt, as far as sending it again is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 429: refused before being processed; safe to send again.
    Throttled(Option<Duration>),
    /// 500, 502–504: the server may have acted; `Retry-After` when one was sent.
    Unavailable(Option<Duration>),
    /// 401: the token was refused before the request was acted on.
    Unauthorized,
    /// Nothing reached the API: no connection could be opened, or no token
    /// could be had for a reason that may pass.
    NotSent,
    /// The exchange broke off after the request may have reached the API.
    Lost,
    /// Sending again cannot help.
    Final,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http(h) => fmt::Display::fmt(h, f),
            Error::Transport(t) => {
                write!(f, "{}: connection failed: ", t.operation)?;
                fmt::Display::fmt(t, f)
            }
            Error::Timeout(t) => {
                write!(f, "{}: timed out: ", t.operation)?;
                fmt::Display::fmt(t, f)
            }
            Error::Decode(d) => fmt::Display::fmt(d, f),
            Error::Auth(a) => fmt::Display::fmt(a, f),
            Error::InvalidInput { operation, message } => {
                write!(f, "{operation}: invalid input: {message}")
            }
            Error::TooManyResults {
                operation,
                limit,
                claimed,
            } => write!(f, "{operation}: {}", too_many(*limit, *claimed)),
        }
    }
}

/// The text of [`Error::TooManyResults`].
fn too_many(limit: u64, claimed: Option<i64>) -> String {
    match claimed {
        Some(n) if n > 0 && n.unsigned_abs() > limit => format!(
            "the server claims {n} results, more than the {limit} one listing reads; narrow the listing with a filter"
        ),
        _ => format!(
            "the server sent more than the {limit} results one listing reads; narrow the listing with a filter"
        ),
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(scim) = &self.scim {
            if let Some(t) = &scim.scim_type {
                write!(f, " ({t})")?;
            }
            if let Some(d) = &scim.detail {
                write!(f, ": {d}")?;
            }
        } else if let Some(s) = &self.body_snippet {
            write!(f, ": {}", one_line(s))?;
        }
        if let Some(r) = self.retry_after {
            write!(f, " (retry after {r} s)")?;
        }
        write_attempts(f, self.attempts)?;
        if let Some(c) = &self.correlation_id {
            write!(f, " [correlation id {c}]")?;
        }
        Ok(())
    }
}

/// The message and the attempt count; [`Error`]'s `Display` puts the
/// operation and the kind (connection failure or time-out) before it.
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        write_attempts(f, self.attempts)
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("authentication failed")?;
        match (self.status, &self.error_code) {
            (Some(s), Some(c)) => write!(f, " (HTTP {s}, {c})")?,
            (Some(s), None) => write!(f, " (HTTP {s})")?,
            (None, Some(c)) => write!(f, " ({c})")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(limit) = self.body_limit {
            write!(
                f,
                "{}: the HTTP {} response body is larger than the {limit}-byte limit (see ClientBuilder::max_body_bytes)",
                self.operation, self.status
            )?;
        } else {
            write!(
                f,
                "{}: could not decode the HTTP {} response at `{}`: {}; body starts with {:?}",
                self.operation, self.status, self.path, self.message, self.body_snippet
            )?;
        }
        if let Some(c) = &self.correlation_id {
            write!(f, " [correlation id {c}]")?;
        }
        Ok(())
    }
}

/// The variants' details are shown by [`Error`]'s own `Display`, so its
/// `source` skips them and goes straight to what lies beneath (the I/O
/// error of a failed connection); error reporters then print no line twice.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Http(h) => h.source(),
            Error::Transport(t) | Error::Timeout(t) => t.source(),
            Error::Decode(d) => d.source(),
            Error::Auth(a) => a.source(),
            _ => None,
        }
    }
}

/// An answer is where the chain ends: no `source`.
impl std::error::Error for HttpError {}

/// `source` is the I/O or TLS failure beneath, when there is one.
impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The parser's own error is folded into the message: no `source`.
impl std::error::Error for DecodeError {}

/// The token endpoint's answer is folded into the message: no `source`.
impl std::error::Error for AuthError {}

fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

/// Collapses runs of whitespace (an HTML page's newlines) so that the text
/// fits on one log line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first [`SNIPPET_LIMIT`] bytes of `body` as text, made safe with
/// [`sanitize`].
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let mut s = sanitize(&String::from_utf8_lossy(cut), SNIPPET_LIMIT);
    if body.len() > SNIPPET_LIMIT {
        s.push('…');
    }
    s
}

/// Longest server-sent `detail` kept in an error, in characters.
pub(crate) const DETAIL_LIMIT: usize = 1024;

/// Longest code-like server text kept (`scimType`, OAuth `error`), in characters.
pub(crate) const CODE_LIMIT: usize = 64;

/// Server text made fit for a log line and a terminal: control characters
/// (newlines, ESC sequences, …) and invisible formatting characters
/// (bidirectional overrides, zero-width spaces) cannot forge log lines or
/// restyle a terminal, so whitespace among them becomes a space and the rest
/// is dropped. At most `max_chars` characters are kept, then `…`.
pub(crate) fn sanitize(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars));
    let mut kept = 0;
    for c in text.chars() {
        let c = match c {
            '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c if c.is_control() || is_invisible_format(c) => continue,
            c => c,
        };
        if kept == max_chars {
            out.push('…');
            break;
        }
        out.push(c);
        kept += 1;
    }
    out
}

/// Unicode format characters that change how text around them is shown.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_text_on_one_printable_line() {
        assert_eq!(
            sanitize("a\nb\r\n\tc\u{1b}[31mred\u{202e}x\u{7f}", 100),
            "a b   c[31mredx"
        );
        assert_eq!(sanitize("ééé", 2), "éé…");
        assert_eq!(sanitize("ab", 2), "ab");
    }
}

#[cfg(test)]
mod retryable {
    use super::*;

    #[test]
    fn a_busy_token_endpoint_is_retryable() {
        let auth = |status| {
            Error::Auth(Box::new(AuthError {
                message: "m".into(),
                status: Some(status),
                error_code: None,
            }))
        };
        assert!(auth(503).is_retryable());
        assert!(auth(429).is_retryable());
        assert!(!auth(401).is_retryable());
    }
}
