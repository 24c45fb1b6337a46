//! The one place where a request goes over the wire, and where the answer is
//! turned into a typed body or an [`Error`].

use crate::error::{DecodeError, HttpError, TransportError, snippet};
use crate::models::ScimError;
use crate::{Client, Error, Request, Response};
use serde::de::DeserializeOwned;

const ACCEPT: &str = "application/scim+json, application/json";

impl Client {
    /// Sends a prepared [`Request`] and returns the raw body of a 2xx or 304
    /// answer. Any other status becomes [`Error::Http`].
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
    /// [`Error::Transport`] when no complete answer arrived.
    pub fn execute(&self, request: &Request) -> Result<Response<Vec<u8>>, Error> {
        let inner = &self.inner;
        let op = request.operation;
        let url = format!("{}{}{}", inner.base_url, request.path, request.query);
        let mut builder = ureq::http::Request::builder()
            .method(op.method.as_str())
            .uri(&url)
            .header("Accept", ACCEPT)
            .header("Authorization", format!("Bearer {}", inner.token.0));
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
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
        let mut response = sent
            .map_err(|e| {
                Error::invalid_input(op.id, format!("cannot build the HTTP request: {e}"))
            })?
            .map_err(|e| transport_error(op.id, e))?;

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
        let body = response
            .body_mut()
            .with_config()
            .limit(inner.max_body_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(limit) => Error::Decode(Box::new(DecodeError {
                    operation: op.id,
                    status,
                    path: String::new(),
                    message: format!("response body is larger than the {limit}-byte limit"),
                    body_snippet: String::new(),
                    correlation_id: header(&headers, "inin-correlation-id"),
                })),
                other => transport_error(op.id, other),
            })?;

        let raw = Response::new(status, headers, body);
        if (200..300).contains(&status) || status == 304 {
            Ok(raw)
        } else {
            Err(http_error(op.id, raw))
        }
    }
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

fn transport_error(operation: &'static str, e: ureq::Error) -> Error {
    let timeout = matches!(e, ureq::Error::Timeout(_));
    let detail = Box::new(TransportError {
        operation,
        message: e.to_string(),
        source: Some(Box::new(e)),
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
    let scim = serde_json::from_slice::<ScimError>(raw.body())
        .ok()
        .filter(|e| e.scim_type.is_some() || e.detail.is_some() || e.status.is_some());
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
    }))
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
    }))
}
