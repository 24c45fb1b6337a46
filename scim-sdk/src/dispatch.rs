//! One HTTP exchange through ureq: build the request, send it, read the body
//! under its cap. No retries, no credentials logic, no decoding: the API
//! calls (`transport`) and the token requests (`auth`) both go through here.

use crate::error::{DecodeError, TransportError};
use crate::{Error, Response};
use std::io::Read;
use std::time::{Duration, Instant};

/// Most bytes of a non-success body that are read: enough for any SCIM
/// error and the start of an HTML error page.
pub(crate) const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// Everything one exchange sends.
pub(crate) struct Exchange<'a> {
    /// Names the call in errors (`getScimV2User`, `oauthToken`).
    pub(crate) operation: &'static str,
    pub(crate) method: &'static str,
    pub(crate) url: &'a str,
    pub(crate) accept: &'static str,
    /// The whole `Authorization` value; the caller wipes it afterwards.
    pub(crate) authorization: &'a str,
    pub(crate) headers: &'a [(&'static str, String)],
    /// The body and its media type.
    pub(crate) body: Option<(&'a [u8], &'a str)>,
    /// Largest success body accepted; error bodies are cut, not refused.
    pub(crate) body_limit: u64,
    /// The client's per-attempt time limit; the agent enforces it phase by
    /// phase, and [`dispatch`] once more while the body arrives.
    pub(crate) time_limit: Duration,
}

/// Performs one exchange. Any complete answer is `Ok`, whatever its status:
/// a 2xx or 304 body is read whole (up to `body_limit`), any other body up to
/// [`ERROR_BODY_LIMIT`]. A failure says in the error whether the request may
/// have reached the server ([`Error::may_have_been_applied`]).
pub(crate) fn dispatch(
    agent: &ureq::Agent,
    exchange: &Exchange<'_>,
) -> Result<Response<Vec<u8>>, Error> {
    let op = exchange.operation;
    let deadline = Instant::now() + exchange.time_limit;
    let request = build(exchange)
        .map_err(|e| Error::invalid_input(op, format!("cannot build the HTTP request: {e}")))?;
    let response = match request {
        Built::WithBody(r) => agent.run(r),
        Built::Empty(r) => agent.run(r),
    }
    .map_err(|e| {
        let sent = !failed_before_sending(&e);
        transport_error(op, e, sent)
    })?;

    let status = response.status().as_u16();
    let (parts, mut body) = response.into_parts();
    let read = if (200..300).contains(&status) || status == 304 {
        read_body(&mut body, exchange.body_limit, deadline, Overflow::Refuse)
    } else {
        let limit = ERROR_BODY_LIMIT.min(exchange.body_limit);
        read_body(&mut body, limit, deadline, Overflow::Cut)
    };
    match read {
        Ok(body) => Ok(Response::new(status, parts.headers, body)),
        Err(BodyError::TooLarge(limit)) => Err(body_too_large(op, status, &parts.headers, limit)),
        Err(BodyError::Transport(e)) => Err(transport_error(op, e, true)),
        Err(BodyError::Deadline) => Err(attempt_timed_out(op, exchange.time_limit)),
    }
}

/// A ureq request: two types, because ureq sends an empty slice (with a
/// `Content-Length: 0`) and no body differently.
enum Built<'a> {
    WithBody(ureq::http::Request<&'a [u8]>),
    Empty(ureq::http::Request<()>),
}

fn build<'a>(exchange: &Exchange<'a>) -> Result<Built<'a>, ureq::http::Error> {
    let mut builder = ureq::http::Request::builder()
        .method(exchange.method)
        .uri(exchange.url)
        .header("Accept", exchange.accept)
        .header("Authorization", exchange.authorization);
    for (name, value) in exchange.headers {
        builder = builder.header(*name, value.as_str());
    }
    Ok(match exchange.body {
        Some((bytes, content_type)) => {
            Built::WithBody(builder.header("Content-Type", content_type).body(bytes)?)
        }
        None => Built::Empty(builder.body(())?),
    })
}

enum BodyError {
    TooLarge(u64),
    Transport(ureq::Error),
    /// The attempt's time ran out while the body was still arriving.
    Deadline,
}

/// What to do with a body longer than the limit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// A success body: refuse it, it would be decoded incompletely.
    Refuse,
    /// An error body is only read for its message: cut it.
    Cut,
}

/// Reads the body chunk by chunk. ureq bounds each silence (the
/// receive-body time limit); the check of `deadline` between reads bounds a
/// body that keeps dripping.
fn read_body(
    response: &mut ureq::Body,
    limit: u64,
    deadline: Instant,
    overflow: Overflow,
) -> Result<Vec<u8>, BodyError> {
    let limit_len = usize::try_from(limit).unwrap_or(usize::MAX);
    let expected = response.content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).min(limit_len));
    let mut reader = response.as_reader();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let e = ureq::Error::from(e);
                // A broken error body still has a status worth more than it.
                return if overflow == Overflow::Cut && !is_timeout(&e) {
                    Ok(body)
                } else {
                    Err(BodyError::Transport(e))
                };
            }
        };
        let room = limit_len - body.len();
        if n > room {
            if overflow == Overflow::Refuse {
                return Err(BodyError::TooLarge(limit));
            }
            body.extend_from_slice(&chunk[..room]);
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..n]);
        if Instant::now() >= deadline {
            return Err(BodyError::Deadline);
        }
    }
}

fn body_too_large(
    operation: &'static str,
    status: u16,
    headers: &ureq::http::HeaderMap,
    limit: u64,
) -> Error {
    let correlation_id = headers
        .get("inin-correlation-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| crate::error::sanitize(v, crate::error::CODE_LIMIT));
    Error::Decode(Box::new(DecodeError {
        operation,
        status,
        path: ".".into(),
        message: format!("response body is larger than the {limit}-byte limit"),
        body_snippet: String::new(),
        correlation_id,
        body_limit: Some(limit),
    }))
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

/// [`Error::Timeout`] for an attempt whose time ran out.
fn attempt_timed_out(operation: &'static str, limit: Duration) -> Error {
    Error::Timeout(Box::new(TransportError {
        operation,
        message: format!(
            "no complete answer within the per-attempt time limit ({} ms)",
            limit.as_millis()
        ),
        source: None,
        attempts: 1,
        may_have_been_applied: true,
    }))
}

/// Maps a ureq failure to [`Error::Timeout`] or [`Error::Transport`]; `sent`
/// is false when the failure proves nothing reached the server.
fn transport_error(operation: &'static str, e: ureq::Error, sent: bool) -> Error {
    let timeout = is_timeout(&e);
    let message = match &e {
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            "no connection within the connect time limit".to_owned()
        }
        ureq::Error::Timeout(_) => {
            "no complete answer within the per-attempt time limit".to_owned()
        }
        ureq::Error::Io(io) if timeout => format!("no complete answer in time ({io})"),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    let detail = Box::new(TransportError {
        operation,
        message,
        source: Some(Box::new(e)),
        attempts: 1,
        may_have_been_applied: sent,
    });
    if timeout {
        Error::Timeout(detail)
    } else {
        Error::Transport(detail)
    }
}
