//! Injected failures: what a test can queue, and what each one does to the
//! answer or the connection.

use std::time::Duration;

use serde_json::json;

use crate::http::{Outcome, Reply, SCIM_JSON};
use crate::schema::{LIST_URN, USER_URN};
use crate::store::ScimError;

/// A failure to inject into upcoming API requests (not `/oauth/token`).
///
/// Queued faults are consumed in FIFO order; each applies to its next `count`
/// API requests. A faulted request never reaches the store, so it changes no
/// state, except `Latency`, which only delays normal handling.
///
/// ```
/// use scim_fake::{FakeServer, Fault};
/// let server = FakeServer::start()?;
/// server.inject(Fault::Status { status: 503, retry_after: Some(1), count: 2 });
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and a SCIM error body.
    Status {
        /// HTTP status code to answer with.
        status: u16,
        /// Value of a `Retry-After` header in seconds, if one should be sent.
        retry_after: Option<u64>,
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer with this status and an HTML error page (`text/html`).
    Html {
        /// HTTP status code to answer with.
        status: u16,
        /// How many requests this applies to.
        count: usize,
    },
    /// Wait before handling the request normally.
    Latency {
        /// How long to wait.
        delay: Duration,
        /// How many requests this applies to.
        count: usize,
    },
    /// Read the request and never answer; the connection is closed when the server is dropped.
    Stall {
        /// How many requests this applies to.
        count: usize,
    },
    /// Close the connection without sending anything.
    DropConnection {
        /// How many requests this applies to.
        count: usize,
    },
    /// Send a 200 `application/scim+json` answer whose `Content-Length`
    /// announces a full JSON document, deliver only its first half, then
    /// close the connection.
    Truncated {
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer 200 `application/scim+json` with a body that is not JSON.
    Malformed {
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer 200 with a syntactically valid JSON body of exactly `bytes` bytes (at least 2).
    Oversized {
        /// Body size in bytes.
        bytes: usize,
        /// How many requests this applies to.
        count: usize,
    },
}

impl Fault {
    pub(crate) fn count(&self) -> usize {
        match self {
            Fault::Status { count, .. }
            | Fault::Html { count, .. }
            | Fault::Latency { count, .. }
            | Fault::Stall { count }
            | Fault::DropConnection { count }
            | Fault::Truncated { count }
            | Fault::Malformed { count }
            | Fault::Oversized { count, .. } => *count,
        }
    }
}

/// The answer a fault gives instead of the API's; `None` for `Latency`,
/// which the caller applies before answering normally.
pub(crate) fn outcome(fault: &Fault, correlation: &str) -> Option<Outcome> {
    let reply = match *fault {
        Fault::Latency { .. } => return None,
        Fault::Stall { .. } => Outcome::Stall,
        Fault::DropConnection { .. } => Outcome::Close,
        Fault::Truncated { .. } => Outcome::RawThenClose(truncated(correlation)),
        Fault::Oversized { bytes, .. } => oversized(bytes),
        Fault::Status {
            status,
            retry_after,
            ..
        } => {
            let detail = format!("injected fault: status {status}");
            let mut reply = ScimError::new(status, None, detail).reply();
            if let Some(s) = retry_after {
                reply = reply.header("Retry-After", s.to_string());
            }
            Outcome::Reply(reply)
        }
        Fault::Html { status, .. } => {
            let page = format!(
                "<!DOCTYPE html>\n<html><head><title>{status} Error</title></head>\
                 <body><h1>{status} Error</h1><p>The gateway could not serve this request.</p></body></html>\n"
            );
            Outcome::Reply(Reply::bytes(
                status,
                page.into_bytes(),
                "text/html; charset=utf-8",
            ))
        }
        Fault::Malformed { .. } => Outcome::Reply(Reply::bytes(
            200,
            b"{\"schemas\": [oops this is not JSON".to_vec(),
            SCIM_JSON,
        )),
    };
    Some(reply)
}

/// A JSON document used by the body-damaging faults.
fn canned_body() -> Vec<u8> {
    json!({
        "schemas": [LIST_URN],
        "totalResults": 1,
        "itemsPerPage": 1,
        "startIndex": 1,
        "Resources": [{
            "schemas": [USER_URN],
            "id": "00000000-0000-4000-8000-000000000000",
            "userName": "truncated@example.com",
            "displayName": "Truncated Body",
            "active": true
        }]
    })
    .to_string()
    .into_bytes()
}

/// A head announcing the whole canned body, followed by half of it.
fn truncated(correlation: &str) -> Vec<u8> {
    let full = canned_body();
    let mut raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {SCIM_JSON}\r\nContent-Length: {}\r\n\
         ININ-Correlation-Id: {correlation}\r\nConnection: close\r\n\r\n",
        full.len()
    )
    .into_bytes();
    raw.extend_from_slice(&full[..full.len() / 2]);
    raw
}

fn oversized(bytes: usize) -> Outcome {
    let prefix = format!(
        "{{\"schemas\":[\"{LIST_URN}\"],\"totalResults\":0,\"Resources\":[],\"padding\":\""
    );
    let suffix = "\"}";
    let fixed = prefix.len() + suffix.len();
    let reply = Reply::bytes(200, Vec::new(), SCIM_JSON);
    if bytes >= fixed {
        Outcome::Padded {
            reply,
            prefix: prefix.into_bytes(),
            fill: bytes - fixed,
            suffix: suffix.as_bytes().to_vec(),
        }
    } else {
        let mut body = b"{}".to_vec();
        body.resize(bytes.max(2), b' ');
        Outcome::Reply(Reply::bytes(200, body, SCIM_JSON))
    }
}
