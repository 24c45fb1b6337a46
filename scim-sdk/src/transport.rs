//! The one place where a request goes over the wire, and where the answer is
//! turned into a typed body or an [`Error`].

use crate::auth::Secret;
use crate::error::{DecodeError, HttpError, TransportError, snippet};
use crate::models::ScimError;
use crate::{Client, Error, Request, Response};
use serde::de::DeserializeOwned;
use std::io::Read;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const ACCEPT: &str = "application/scim+json, application/json";

/// Most bytes of a non-success body that are read: enough for any SCIM
/// error and the start of an HTML error page.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

impl Client {
    /// Sends a prepared [`Request`] and returns the raw body of a 2xx or 304
    /// answer. Any other status becomes [`Error::Http`].
    ///
    /// This is the one place a request goes over the wire: it adds the
    /// credentials (fetching an OAuth token when needed, and once more after
    /// a `401`), applies the client's [`RetryPolicy`](crate::RetryPolicy) and
    /// timeouts, caps the body, and reports each attempt to `tracing`.
    ///
    /// Generated builders call this; use it directly only for calls the SDK
    /// does not model.
    ///
    /// ```no_run
    /// use scim_sdk::{Client, Method, OperationInfo, Request};
    /// static OP: OperationInfo = OperationInfo::new("custom", Method::Get, "/api/v2/scim/v2/users/{userId}", None);
    /// # fn demo(client: &Client) -> Result<(), scim_sdk::Error> {
    /// let raw = client.execute(&Request::new(&OP, &[("userId", "abc")])?)?;
    /// println!("{} bytes", raw.body().len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Http`] for a non-success status, [`Error::Timeout`] or
    /// [`Error::Transport`] when no complete answer arrived, [`Error::Auth`]
    /// when no token could be obtained, [`Error::Decode`] when the body is
    /// larger than [`max_body_bytes`](crate::ClientBuilder::max_body_bytes).
    /// Errors from the wire report the number of attempts
    /// ([`Error::attempts`]).
    pub fn execute(&self, request: &Request) -> Result<Response<Vec<u8>>, Error> {
        let inner = &self.inner;
        let op = request.operation;
        let policy = inner.retry;
        let idempotent = op.method.is_idempotent();
        let mut attempt: u32 = 0;
        // Retries granted by the policy; the one re-send after a 401 is extra.
        let mut policy_retries: u32 = 0;
        let mut waited = Duration::ZERO;
        let mut refused_token: Option<Secret> = None;
        let mut refreshed = false;
        loop {
            attempt += 1;
            // rate-limit hook 1 of 2: wait for a permit before every attempt.
            if let Some(pacer) = &self.pacer {
                pacer.wait_for_permit();
            }
            let failure = match self.attempt(request, attempt, refused_token.take()) {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let error = failure.error;

            if error.status() == Some(401)
                && matches!(error, Error::Http(_))
                && !refreshed
                && inner.credentials.can_refresh()
            {
                // The server refused the request before acting on it, so
                // sending it again is safe for every method.
                refreshed = true;
                refused_token = failure.token;
                tracing::info!(
                    operation = op.id,
                    method = op.method.as_str(),
                    path = op.path,
                    attempt,
                    "access token refused (401): fetching a new one and retrying once"
                );
                continue;
            }

            let wait = retry_wait(
                &policy,
                &error,
                failure.sent,
                idempotent,
                policy_retries + 1,
            );
            let remaining = policy.max_total_wait.saturating_sub(waited);
            let wait = match wait {
                Some(Wait::RetryAfter(w)) if w <= remaining => Some(w),
                Some(Wait::Backoff(w)) => Some(w.min(remaining)),
                _ => None,
            };
            match wait {
                Some(wait) if policy_retries + 1 < policy.max_attempts => {
                    policy_retries += 1;
                    waited += wait;
                    tracing::info!(
                        operation = op.id,
                        method = op.method.as_str(),
                        path = op.path,
                        attempt,
                        status = error.status(),
                        wait_ms = duration_ms(wait),
                        error_kind = %error.code(),
                        "retrying SCIM request"
                    );
                    std::thread::sleep(wait);
                }
                _ => return Err(error.with_attempts(attempt)),
            }
        }
    }

    /// Sends the request once.
    fn attempt(
        &self,
        request: &Request,
        attempt: u32,
        refused_token: Option<Secret>,
    ) -> Result<Response<Vec<u8>>, Failure> {
        let inner = &self.inner;
        let op = request.operation;
        let span = tracing::debug_span!(
            "scim.request",
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt
        );
        let _entered = span.enter();
        let started = Instant::now();

        // Nothing has reached the API while the token is being obtained.
        let token = inner
            .credentials
            .token(&inner.agent, refused_token.as_ref())
            .map_err(|error| Failure {
                error,
                sent: Sent::No,
                token: None,
            })?;
        let fail = |error: Error, sent: Sent| Failure {
            error,
            sent,
            token: Some(token.clone()),
        };

        let url = format!("{}{}{}", inner.base_url, request.path, request.query);
        let mut builder = ureq::http::Request::builder()
            .method(op.method.as_str())
            .uri(&url)
            .header("Accept", ACCEPT)
            .header("Authorization", format!("Bearer {}", token.0));
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        if inner.log_bodies
            && let Some(body) = &request.body
            && tracing::enabled!(tracing::Level::DEBUG)
        {
            tracing::debug!(
                operation = op.id,
                body = %crate::observability::redact_body(body),
                "request body"
            );
        }
        inner.requests_sent.fetch_add(1, Ordering::Relaxed);
        let sent = match &request.body {
            Some(body) => {
                builder = builder.header(
                    "Content-Type",
                    op.content_type.unwrap_or("application/json"),
                );
                builder.body(body.as_slice()).map(|r| inner.agent.run(r))
            }
            None => builder.body(()).map(|r| inner.agent.run(r)),
        };
        let sent = sent.map_err(|e| {
            fail(
                Error::invalid_input(op.id, format!("cannot build the HTTP request: {e}")),
                Sent::No,
            )
        })?;
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => {
                let before_sending = failed_before_sending(&e);
                let error = transport_error(op.id, e);
                tracing::debug!(
                    operation = op.id,
                    method = op.method.as_str(),
                    path = op.path,
                    attempt,
                    duration_ms = duration_ms(started.elapsed()),
                    error = %error,
                    "SCIM request failed"
                );
                let sent = if before_sending {
                    Sent::No
                } else {
                    Sent::Maybe
                };
                return Err(fail(error, sent));
            }
        };

        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // rate-limit hook 2 of 2: let the pacer adapt to the server's limits.
        if let Some(pacer) = &self.pacer {
            pacer.observe(status, &headers);
        }
        let correlation_id = header(&headers, "inin-correlation-id");
        let success = (200..300).contains(&status) || status == 304;
        let body = if success {
            response
                .body_mut()
                .with_config()
                .limit(inner.max_body_bytes)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(limit) => Error::Decode(Box::new(DecodeError {
                        operation: op.id,
                        status,
                        path: ".".into(),
                        message: format!("response body is larger than the {limit}-byte limit"),
                        body_snippet: String::new(),
                        correlation_id: correlation_id.clone(),
                        body_limit: Some(limit),
                    })),
                    other => transport_error(op.id, other),
                })
        } else {
            // An error body is only read for its message: cut it, never refuse it.
            let mut buf = Vec::new();
            let limit = ERROR_BODY_LIMIT.min(inner.max_body_bytes);
            match response
                .body_mut()
                .as_reader()
                .take(limit)
                .read_to_end(&mut buf)
            {
                Ok(_) => Ok(buf),
                Err(e) => {
                    let e = ureq::Error::from(e);
                    if is_timeout(&e) {
                        Err(transport_error(op.id, e))
                    } else {
                        // Keep the status: it says more than the broken body.
                        Ok(buf)
                    }
                }
            }
        };
        let elapsed = started.elapsed();
        tracing::debug!(
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt,
            status,
            duration_ms = duration_ms(elapsed),
            correlation_id = correlation_id.as_deref(),
            "SCIM request finished"
        );
        let body = body.map_err(|error| fail(error, Sent::Maybe))?;
        if inner.log_bodies && !body.is_empty() && tracing::enabled!(tracing::Level::DEBUG) {
            tracing::debug!(
                operation = op.id,
                status,
                body = %crate::observability::redact_body(&body),
                "response body"
            );
        }

        let raw = Response::new(status, headers, body);
        if success {
            Ok(raw)
        } else {
            Err(fail(http_error(op.id, raw), Sent::Maybe))
        }
    }
}

/// A failed attempt, with what the retry logic needs to know about it.
struct Failure {
    error: Error,
    sent: Sent,
    /// The token the attempt used, to recognise it when the API refused it.
    token: Option<Secret>,
}

/// Whether the API may have acted on a failed attempt.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sent {
    /// Provably not: no connection was opened, or no token was obtained.
    No,
    /// Possibly: the request may have reached the server.
    Maybe,
}

enum Wait {
    /// The server's `Retry-After`: not shortened.
    RetryAfter(Duration),
    /// Exponential backoff with jitter: may be shortened to fit the budget.
    Backoff(Duration),
}

/// How long to wait before retry number `retry`, or `None` when the failure
/// must not be retried. The rules are documented on [`crate::RetryPolicy`].
fn retry_wait(
    policy: &crate::RetryPolicy,
    error: &Error,
    sent: Sent,
    idempotent: bool,
    retry: u32,
) -> Option<Wait> {
    let backoff = || Some(Wait::Backoff(policy.backoff(retry)));
    match error {
        // 429: refused before processing, safe for every method.
        Error::Http(h) if h.status == 429 => match h.retry_after {
            Some(secs) => Some(Wait::RetryAfter(Duration::from_secs(secs))),
            None => backoff(),
        },
        Error::Http(h) if matches!(h.status, 502..=504) && idempotent => backoff(),
        Error::Transport(_) | Error::Timeout(_) if sent == Sent::No || idempotent => backoff(),
        // The token endpoint was overloaded or unreachable: nothing reached the API.
        Error::Auth(a) if matches!(a.status, Some(429 | 502..=504)) => backoff(),
        _ => None,
    }
}

/// Whether ureq failed before any byte of the request could reach the
/// server: the name did not resolve or the connection was not opened.
fn failed_before_sending(e: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    match e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
        ureq::Error::Timeout(t) => matches!(t, ureq::Timeout::Connect | ureq::Timeout::Resolve),
        ureq::Error::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionRefused
                | ErrorKind::HostUnreachable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::NetworkDown
                | ErrorKind::AddrNotAvailable
        ),
        _ => false,
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// Whether a ureq error means a time limit ran out, wherever it surfaced
/// (connecting, waiting for the head, or reading the body).
fn is_timeout(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Timeout(_) | ureq::Error::BodyStalled => true,
        ureq::Error::Io(io) => matches!(
            io.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        ),
        _ => false,
    }
}

/// Maps a ureq failure to [`Error::Timeout`] or [`Error::Transport`].
pub(crate) fn transport_error(operation: &'static str, e: ureq::Error) -> Error {
    let timeout = is_timeout(&e);
    let message = match &e {
        ureq::Error::Timeout(t) => format!("no complete answer within the {t} time limit"),
        ureq::Error::Io(io) if timeout => format!("no complete answer in time ({io})"),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    let detail = Box::new(TransportError {
        operation,
        message,
        source: Some(Box::new(e)),
        attempts: 1,
    });
    if timeout {
        Error::Timeout(detail)
    } else {
        Error::Transport(detail)
    }
}

/// Builds [`Error::Http`], keeping the SCIM error body when there is one and a
/// short excerpt of anything else.
fn http_error(operation: &'static str, raw: Response<Vec<u8>>) -> Error {
    let scim = parse_scim_error(raw.body());
    let body_snippet = match (&scim, raw.body().is_empty()) {
        (None, false) => Some(snippet(raw.body())),
        _ => None,
    };
    Error::Http(Box::new(HttpError {
        operation,
        status: raw.status(),
        scim,
        body_snippet,
        correlation_id: raw.correlation_id().map(str::to_owned),
        retry_after: raw
            .header("retry-after")
            .and_then(|v| v.trim().parse().ok()),
        attempts: 1,
    }))
}

/// The SCIM error in `body`, if it is one. A numeric `status` (RFC 7644 says
/// string, some servers send a number) is accepted too.
fn parse_scim_error(body: &[u8]) -> Option<ScimError> {
    let mut value = serde_json::from_slice::<serde_json::Value>(body).ok()?;
    if let Some(status) = value.get_mut("status")
        && let Some(n) = status.as_u64()
    {
        *status = serde_json::Value::String(n.to_string());
    }
    serde_json::from_value::<ScimError>(value)
        .ok()
        .filter(|e| e.scim_type.is_some() || e.detail.is_some() || e.status.is_some())
}

/// Decodes a success body into `T`. An empty body decodes as JSON `null`, so
/// operations answering 204 decode into `()`.
pub(crate) fn decode_body<T: DeserializeOwned>(
    request: &Request,
    raw: Response<Vec<u8>>,
) -> Result<Response<T>, Error> {
    let bytes: &[u8] = if raw.body().iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        raw.body()
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        decode_failure(request, &raw, &path, e.into_inner().to_string())
    })?;
    // Trailing bytes after a complete value mean the body is not what we think it is.
    de.end()
        .map_err(|e| decode_failure(request, &raw, "", e.to_string()))?;
    Ok(raw.map(|_| value))
}

pub(crate) fn decode_failure(
    request: &Request,
    raw: &Response<Vec<u8>>,
    path: &str,
    message: String,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation: request.operation.id,
        status: raw.status(),
        path: if path.is_empty() {
            ".".into()
        } else {
            path.to_owned()
        },
        message,
        body_snippet: snippet(raw.body()),
        correlation_id: raw.correlation_id().map(str::to_owned),
        body_limit: None,
    }))
}
