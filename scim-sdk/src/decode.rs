//! Turning an answer into what the caller gets: a typed body, or a typed
//! [`Error`] carrying what the server said about the failure.

use crate::error::{CODE_LIMIT, DETAIL_LIMIT, DecodeError, HttpError, sanitize, snippet};
use crate::models::ScimError;
use crate::models::ScimErrorScimType;
use crate::{Error, Request, Response};
use serde::de::DeserializeOwned;

/// Builds [`Error::Http`], keeping the SCIM error body when there is one and a
/// short excerpt of anything else.
pub(crate) fn http_error(operation: &'static str, raw: &Response<Vec<u8>>) -> Error {
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
        correlation_id: correlation_id(raw),
        retry_after: raw.signals().retry_after.map(|d| d.as_secs()),
        attempts: 1,
        // A refusal (4xx) proves the server did not act; a 5xx does not.
        may_have_been_applied: raw.status() >= 500,
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
    let mut error = serde_json::from_value::<ScimError>(value)
        .ok()
        .filter(|e| e.scim_type.is_some() || e.detail.is_some() || e.status.is_some())?;
    // These reach log lines and metric labels: keep them printable and short.
    if let Some(ScimErrorScimType::Unknown(t)) = &mut error.scim_type {
        *t = sanitize(t, CODE_LIMIT);
    }
    error.detail = error.detail.map(|d| sanitize(&d, DETAIL_LIMIT));
    error.status = error.status.map(|s| sanitize(&s, CODE_LIMIT));
    Some(error)
}

/// The `ININ-Correlation-Id` header, made safe for a log line.
fn correlation_id(raw: &Response<Vec<u8>>) -> Option<String> {
    raw.correlation_id().map(|c| sanitize(c, CODE_LIMIT))
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
    // The common case pays for plain serde_json only; the path to the
    // failing value is worked out only when there is a failure to explain.
    match serde_json::from_slice::<T>(bytes) {
        Ok(value) => Ok(raw.map(|_| value)),
        Err(plain) => Err(explain_failure::<T>(request, &raw, bytes, plain)),
    }
}

/// Decodes `bytes` again, tracking the JSON path, to name where `T` and the
/// body part ways.
fn explain_failure<T: DeserializeOwned>(
    request: &Request,
    raw: &Response<Vec<u8>>,
    bytes: &[u8],
    plain: serde_json::Error,
) -> Error {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = e.path().to_string();
            decode_failure(request, raw, &path, e.into_inner().to_string())
        }
        // Only trailing bytes after a complete value can be left.
        Ok(_) => decode_failure(request, raw, "", plain.to_string()),
    }
}

/// [`Error::Decode`] for `raw`, naming the JSON `path` where decoding failed.
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
        // serde quotes unknown enum values from the body verbatim.
        message: sanitize(&message, DETAIL_LIMIT),
        body_snippet: snippet(raw.body()),
        correlation_id: correlation_id(raw),
        body_limit: None,
    }))
}
