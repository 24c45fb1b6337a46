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

/// Whether the server may have acted on a failed exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    /// Provably not: the request could not be built, the name did not
    /// resolve, or no connection was opened.
    No,
    /// Possibly: some of the request may have reached the server.
    Maybe,
}

/// An exchange that produced no complete answer (or an oversized one).
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) sent: Sent,
}

/// Performs one exchange. Any complete answer is `Ok`, whatever its status:
/// a 2xx or 304 body is read whole (up to `body_limit`), any other body up to
/// [`ERROR_BODY_LIMIT`].
pub(crate) fn dispatch(
    agent: &ureq::Agent,
    exchange: &Exchange<'_>,
) -> Result<Response<Vec<u8>>, Failure> {
    let op = exchange.operation;
    let deadline = Instant::now() + exchange.time_limit;
    let request = build(exchange).map_err(|e| Failure {
        error: Error::invalid_input(op, format!("cannot build the HTTP request: {e}")),
        sent: Sent::No,
    })?;
    let mut response = match request {
        Built::WithBody(r) => agent.run(r),
        Built::Empty(r) => agent.run(r),
    }
    .map_err(|e| Failure {
        sent: if failed_before_sending(&e) {
            Sent::No
        } else {
            Sent::Maybe
        },
        error: transport_error(op, e),
    })?;

    let status = response.status().as_u16();
    let headers = copy_headers(response.headers());
    let body = if (200..300).contains(&status) || status == 304 {
        read_body(
            &mut response,
            exchange.body_limit,
            deadline,
            Overflow::Refuse,
        )
    } else {
        let limit = ERROR_BODY_LIMIT.min(exchange.body_limit);
        read_body(&mut response, limit, deadline, Overflow::Cut)
    };
    let error = match body {
        Ok(body) => return Ok(Response::new(status, headers, body)),
        Err(BodyError::TooLarge(limit)) => body_too_large(op, status, &headers, limit),
        Err(BodyError::Transport(e)) => transport_error(op, e),
        Err(BodyError::Deadline) => attempt_timed_out(op, exchange.time_limit),
    };
    Err(Failure {
        error,
        sent: Sent::Maybe,
    })
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

fn copy_headers(headers: &ureq::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
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
    response: &mut ureq::http::Response<ureq::Body>,
    limit: u64,
    deadline: Instant,
    overflow: Overflow,
) -> Result<Vec<u8>, BodyError> {
    let limit_len = usize::try_from(limit).unwrap_or(usize::MAX);
    let expected = response.body().content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).min(limit_len));
    let mut reader = response.body_mut().as_reader();
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
    headers: &[(String, String)],
    limit: u64,
) -> Error {
    let correlation_id = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("inin-correlation-id"))
        .map(|(_, v)| crate::error::sanitize(v, crate::error::CODE_LIMIT));
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
    }))
}

/// Maps a ureq failure to [`Error::Timeout`] or [`Error::Transport`].
fn transport_error(operation: &'static str, e: ureq::Error) -> Error {
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
    });
    if timeout {
        Error::Timeout(detail)
    } else {
        Error::Transport(detail)
    }
}
