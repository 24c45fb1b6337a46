//! Sending an API call: credentials, the retry loop and tracing.
//!
//! Each attempt is one exchange in [`crate::dispatch`]; what to do after a
//! failure is decided by [`crate::retry::decide`]; answers become typed
//! bodies or errors in [`crate::decode`].

use crate::decode::http_error;
use crate::dispatch::{Exchange, dispatch};
use crate::observability::{LONG_PAUSE, millis};
use crate::retry::{Decision, RetryState, decide, jitter_unit};
use crate::secret::Secret;
use crate::{Client, Error, OperationInfo, Request, Response};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

// The generated builders' decoding entry points; they live with the rest of
// the decoding.
pub(crate) use crate::decode::{decode_body, decode_failure};

const ACCEPT: &str = "application/scim+json, application/json";

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
        let op = request.operation;
        let can_refresh = self.inner.credentials.can_refresh();
        let mut state = RetryState::new(request.is_replay_safe(), can_refresh);
        let mut refused_token = None;
        loop {
            let attempt = state.start_attempt();
            self.wait_for_permit(op);
            let failure = match self.attempt(request, attempt, refused_token.take()) {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let decision = decide(&self.retry, &state, failure.error.outcome(), jitter_unit());
            match decision {
                Decision::GiveUp => {
                    return Err(failure.error.finish(attempt, state.maybe_applied));
                }
                Decision::Refresh => {
                    tracing::info!(
                        operation = op.id,
                        method = op.method.as_str(),
                        path = op.path,
                        attempt,
                        "access token refused (401): fetching a new one and retrying once"
                    );
                    refused_token = failure.token;
                }
                Decision::Retry(wait) => {
                    announce_retry(op, attempt, wait, &failure.error);
                    std::thread::sleep(wait);
                }
            }
            state.maybe_applied |= failure.error.may_have_been_applied();
            state.record(decision);
        }
    }

    /// Called before every attempt is sent: a paced client (see
    /// [`RateLimit`](crate::RateLimit)) waits here for a permit from the
    /// limiter its clones share.
    fn wait_for_permit(&self, _operation: &OperationInfo) {
        if let Some(pacer) = &self.pacer {
            pacer.wait_for_permit();
        }
    }

    /// Called with every answer of the API, whatever its status: a paced
    /// client learns the server's budget here (the status, the
    /// `inin-ratelimit-*` and `Retry-After` headers).
    fn observe_answer(&self, _operation: &OperationInfo, answer: &Response<Vec<u8>>) {
        if let Some(pacer) = &self.pacer {
            pacer.observe(answer.signals());
        }
    }

    /// Sends the request once, in a `scim.request` span.
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

        // Nothing has reached the API while the token is being obtained.
        let token = inner
            .credentials
            .token(&inner.token_agent, refused_token.as_ref())
            .map_err(|error| Failure {
                error: error.not_sent(),
                token: None,
            })?;
        let authorization = Zeroizing::new(format!("Bearer {}", token.expose()));
        let url = format!("{}{}{}", inner.base_url, request.path, request.query);
        if let Some(body) = &request.body {
            log_body(inner.log_bodies, op, None, body);
        }
        let exchange = Exchange {
            operation: op.id,
            method: op.method.as_str(),
            url: &url,
            accept: ACCEPT,
            authorization: &authorization,
            headers: &request.headers,
            body: request
                .body
                .as_deref()
                .map(|b| (b, op.content_type.unwrap_or("application/json"))),
            body_limit: inner.max_body_bytes,
            time_limit: inner.timeout,
        };
        inner.requests_sent.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let answer = dispatch(&inner.agent, &exchange);
        trace_attempt(op, attempt, started.elapsed(), &answer);
        let status = answer.as_ref().ok().map(Response::status);
        inner.outcomes.record(attempt, status);
        let answer = answer.map_err(|error| Failure {
            error,
            token: Some(token.clone()),
        })?;
        self.observe_answer(op, &answer);
        log_body(inner.log_bodies, op, Some(answer.status()), answer.body());
        if (200..300).contains(&answer.status()) || answer.status() == 304 {
            Ok(answer)
        } else {
            Err(Failure {
                error: http_error(op.id, &answer),
                token: Some(token),
            })
        }
    }
}

/// A failed attempt: the error (which says whether the request may have
/// reached the server), and the token the attempt used, to recognise it
/// when the API refused it.
struct Failure {
    error: Error,
    token: Option<Secret>,
}

/// The event of a retry: INFO, or WARN when the wait is long enough for a
/// person to wonder why nothing moves.
fn announce_retry(op: &OperationInfo, attempt: u32, wait: Duration, error: &Error) {
    let status = error.status();
    let wait_ms = millis(wait);
    let kind = error.code();
    if wait >= LONG_PAUSE {
        let cause = match error {
            Error::Http(h) if h.retry_after.is_some() => "as the server asked (Retry-After)",
            _ => "backing off",
        };
        tracing::warn!(
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt,
            status,
            wait_ms,
            error_kind = %kind,
            "waiting {} s before retrying a SCIM request after {error}, {cause}",
            wait.as_secs()
        );
    } else {
        tracing::info!(
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt,
            status,
            wait_ms,
            error_kind = %kind,
            "retrying SCIM request"
        );
    }
}

/// The one DEBUG event of an attempt: how it ended and how long it took.
fn trace_attempt(
    op: &OperationInfo,
    attempt: u32,
    elapsed: Duration,
    answer: &Result<Response<Vec<u8>>, Error>,
) {
    match answer {
        Ok(answer) => tracing::debug!(
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt,
            status = answer.status(),
            duration_ms = millis(elapsed),
            correlation_id = answer.correlation_id(),
            "SCIM request finished"
        ),
        Err(error) => tracing::debug!(
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt,
            duration_ms = millis(elapsed),
            error = %error,
            "SCIM request failed"
        ),
    }
}

/// Logs a request body (`status` is `None`) or response body, redacted, when
/// the client was built with `log_bodies(true)`.
fn log_body(enabled: bool, op: &OperationInfo, status: Option<u16>, body: &[u8]) {
    if !enabled || body.is_empty() || !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    let body = crate::observability::redact_body(body);
    match status {
        None => tracing::debug!(operation = op.id, body = %body, "request body"),
        Some(status) => tracing::debug!(operation = op.id, status, body = %body, "response body"),
    }
}
