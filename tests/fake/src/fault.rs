//! Injected failures: what a test can queue, and what each one does to the
//! answer or the connection.

use std::time::Duration;

use serde_json::json;

use crate::http::{Outcome, Reply, SCIM_JSON};
use crate::schema::{LIST_URN, USER_URN};
use crate::store;

/// A failure to inject into upcoming API requests (not `/oauth/token`).
///
/// Build one with a constructor ([`Fault::status`], [`Fault::drop_answer`],
/// …), say how many requests it applies to with [`times`](Fault::times)
/// (one by default), and queue it with [`FakeServer::inject`] (the next
/// requests, whatever they are) or [`FakeServer::inject_on`] (the next
/// requests that a [`Match`](crate::Match) accepts). Queued faults are consumed in FIFO
/// order among the requests they match.
///
/// A faulted request is recorded in the journal but never reaches the
/// store, so it changes no state; the exceptions are [`Fault::Latency`],
/// which only delays normal handling, and [`Fault::DropAnswer`], which
/// applies the request and loses its answer.
///
/// New kinds of fault may come in later versions: match with a wildcard
/// arm, and build the newer kinds (whose fields may grow too) with their
/// constructors.
///
/// ```
/// use scim_fake::{FakeServer, Fault, Match};
/// let server = FakeServer::start()?;
/// // The next two requests, whatever they are, get a 503 with Retry-After: 1.
/// server.inject(Fault::status(503).retry_after(1).times(2));
/// // The next PATCH of a user gets Genesys's answer to a stale If-Match.
/// server.inject_on(
///     Match::method("PATCH").path("/users/*"),
///     Fault::status(400).scim_type("invalidVers"),
/// );
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// [`FakeServer::inject`]: crate::FakeServer::inject
/// [`FakeServer::inject_on`]: crate::FakeServer::inject_on
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and a SCIM error body, plus `Retry-After`
    /// when given. Built by [`Fault::status`].
    Status {
        /// HTTP status code to answer with.
        status: u16,
        /// Value of a `Retry-After` header in seconds, if one should be sent.
        retry_after: Option<u64>,
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer with this status and an HTML error page (`text/html`), as a
    /// gateway in front of the API would. Built by [`Fault::html`].
    Html {
        /// HTTP status code to answer with.
        status: u16,
        /// How many requests this applies to.
        count: usize,
    },
    /// Wait before handling the request normally. Built by [`Fault::latency`].
    Latency {
        /// How long to wait.
        delay: Duration,
        /// How many requests this applies to.
        count: usize,
    },
    /// Read the request and never answer; the connection is closed when
    /// the server is dropped. Built by [`Fault::stall`].
    Stall {
        /// How many requests this applies to.
        count: usize,
    },
    /// Close the connection without sending anything; the request is not
    /// handled. Built by [`Fault::drop_connection`].
    DropConnection {
        /// How many requests this applies to.
        count: usize,
    },
    /// Send a 200 `application/scim+json` answer whose `Content-Length`
    /// announces a full JSON document, deliver only its first half, then
    /// close the connection. Built by [`Fault::truncated`].
    Truncated {
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer 200 `application/scim+json` with a body that is not JSON.
    /// Built by [`Fault::malformed`].
    Malformed {
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer 200 with a syntactically valid JSON body of exactly `bytes`
    /// bytes (at least 2). Built by [`Fault::oversized`].
    Oversized {
        /// Body size in bytes.
        bytes: usize,
        /// How many requests this applies to.
        count: usize,
    },
    /// Answer with this status and a SCIM error body that carries a
    /// `scimType` and a `detail` of the test's choosing. Built by
    /// [`Fault::status`] followed by [`scim_type`](Fault::scim_type) or
    /// [`detail`](Fault::detail).
    #[non_exhaustive]
    ScimError {
        /// HTTP status code to answer with.
        status: u16,
        /// The body's `scimType`, such as `uniqueness` or `invalidVers`.
        scim_type: Option<String>,
        /// The body's `detail`; a fixed text naming the fault when `None`.
        detail: Option<String>,
        /// Value of a `Retry-After` header in seconds, if one should be sent.
        retry_after: Option<u64>,
        /// How many requests this applies to.
        count: usize,
    },
    /// Handle the request as usual, so that a write is applied, then close
    /// the connection without sending the answer: the lost answer a client
    /// must not take for a failure that changed nothing. Built by
    /// [`Fault::drop_answer`].
    #[non_exhaustive]
    DropAnswer {
        /// How many requests this applies to.
        count: usize,
    },
}

impl Fault {
    /// A SCIM error answer with this status (`Fault::Status`).
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::status(503).retry_after(2).times(2));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn status(status: u16) -> Fault {
        Fault::Status {
            status,
            retry_after: None,
            count: 1,
        }
    }

    /// An HTML error page with this status, as a gateway sends (`Fault::Html`).
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::html(502));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn html(status: u16) -> Fault {
        Fault::Html { status, count: 1 }
    }

    /// A delay before the request is handled normally (`Fault::Latency`).
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::latency(std::time::Duration::from_millis(300)));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn latency(delay: Duration) -> Fault {
        Fault::Latency { delay, count: 1 }
    }

    /// No answer at all, until the server is dropped (`Fault::Stall`):
    /// exercises a client's time-outs.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::stall());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stall() -> Fault {
        Fault::Stall { count: 1 }
    }

    /// The connection closed before the request is handled
    /// (`Fault::DropConnection`): nothing changed on the server.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::drop_connection());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn drop_connection() -> Fault {
        Fault::DropConnection { count: 1 }
    }

    /// The request applied and its answer lost (`Fault::DropAnswer`): the
    /// connection closes once the store has changed, as when a network
    /// fails after the server acted. A client that sends a create again
    /// then meets its own first copy.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault, Match};
    /// let server = FakeServer::start()?;
    /// // The first create is made, but the client never hears of it.
    /// server.inject_on(Match::method("POST").path("/users"), Fault::drop_answer());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn drop_answer() -> Fault {
        Fault::DropAnswer { count: 1 }
    }

    /// A 200 answer cut off halfway through its body (`Fault::Truncated`).
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::truncated());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn truncated() -> Fault {
        Fault::Truncated { count: 1 }
    }

    /// A 200 answer whose body is not JSON (`Fault::Malformed`).
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::malformed());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn malformed() -> Fault {
        Fault::Malformed { count: 1 }
    }

    /// A 200 answer of valid JSON exactly `bytes` long (`Fault::Oversized`):
    /// exercises a client's cap on body size.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::oversized(20 << 20));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn oversized(bytes: usize) -> Fault {
        Fault::Oversized { bytes, count: 1 }
    }

    /// The same fault for the next `requests` requests it matches instead
    /// of one. Zero makes a fault that [`inject`](crate::FakeServer::inject) ignores.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// // More 503s than a client's retries: the call must fail.
    /// server.inject(Fault::status(503).times(10));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn times(mut self, requests: usize) -> Fault {
        *self.count_mut() = requests;
        self
    }

    /// Adds a `Retry-After: seconds` header to an error answer.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::status(429).retry_after(1));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Panics
    /// On a fault that sends no SCIM error (one not made by [`Fault::status`]):
    /// a test asking for it would otherwise test less than it says.
    #[must_use]
    pub fn retry_after(mut self, seconds: u64) -> Fault {
        match &mut self {
            Fault::Status { retry_after, .. } | Fault::ScimError { retry_after, .. } => {
                *retry_after = Some(seconds);
            }
            other => panic!("Fault::retry_after needs a Fault::status, not {other:?}"),
        }
        self
    }

    /// Gives an error answer this `scimType`, as Genesys does for a
    /// duplicate (`409 uniqueness`) or a stale version (`400 invalidVers`).
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault, Match};
    /// let server = FakeServer::start()?;
    /// // Someone created the same userName first.
    /// server.inject_on(Match::method("POST"), Fault::status(409).scim_type("uniqueness"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Panics
    /// On a fault that sends no SCIM error (one not made by [`Fault::status`]).
    #[must_use]
    pub fn scim_type(self, scim_type: impl Into<String>) -> Fault {
        let mut fault = self.into_scim_error("scim_type");
        if let Fault::ScimError { scim_type: t, .. } = &mut fault {
            *t = Some(scim_type.into());
        }
        fault
    }

    /// Gives an error answer this `detail` text.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault};
    /// let server = FakeServer::start()?;
    /// server.inject(Fault::status(403).detail("Missing permission directory:user:edit"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Panics
    /// On a fault that sends no SCIM error (one not made by [`Fault::status`]).
    #[must_use]
    pub fn detail(self, detail: impl Into<String>) -> Fault {
        let mut fault = self.into_scim_error("detail");
        if let Fault::ScimError { detail: d, .. } = &mut fault {
            *d = Some(detail.into());
        }
        fault
    }

    /// The same error answer as a `ScimError`, which has room for a
    /// `scimType` and a detail.
    fn into_scim_error(self, setter: &str) -> Fault {
        match self {
            Fault::Status {
                status,
                retry_after,
                count,
            } => Fault::ScimError {
                status,
                scim_type: None,
                detail: None,
                retry_after,
                count,
            },
            fault @ Fault::ScimError { .. } => fault,
            other => panic!("Fault::{setter} needs a Fault::status, not {other:?}"),
        }
    }

    /// How many requests the fault applies to, whatever its kind.
    pub(crate) fn count_mut(&mut self) -> &mut usize {
        match self {
            Fault::Status { count, .. }
            | Fault::Html { count, .. }
            | Fault::Latency { count, .. }
            | Fault::Stall { count }
            | Fault::DropConnection { count }
            | Fault::Truncated { count }
            | Fault::Malformed { count }
            | Fault::Oversized { count, .. }
            | Fault::ScimError { count, .. }
            | Fault::DropAnswer { count } => count,
        }
    }
}

/// The answer a fault gives instead of the API's; `None` for `Latency`
/// and `DropAnswer`, which the caller applies around the normal handling.
pub(crate) fn outcome(fault: &Fault, correlation: &str) -> Option<Outcome> {
    let reply = match *fault {
        Fault::Latency { .. } | Fault::DropAnswer { .. } => return None,
        Fault::Stall { .. } => Outcome::Stall,
        Fault::DropConnection { .. } => Outcome::Close,
        Fault::Truncated { .. } => Outcome::RawThenClose(truncated(correlation)),
        Fault::Oversized { bytes, .. } => oversized(bytes),
        Fault::Status {
            status,
            retry_after,
            ..
        } => error_answer(status, None, None, retry_after),
        Fault::ScimError {
            status,
            ref scim_type,
            ref detail,
            retry_after,
            ..
        } => error_answer(status, scim_type.as_deref(), detail.as_deref(), retry_after),
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

/// A SCIM error body with this status, shaped as Genesys sends it.
fn error_answer(
    status: u16,
    scim_type: Option<&str>,
    detail: Option<&str>,
    retry_after: Option<u64>,
) -> Outcome {
    let detail = detail.map_or_else(
        || format!("injected fault: status {status}"),
        str::to_string,
    );
    let mut reply = Reply::scim(status, &store::error_body(status, scim_type, &detail));
    if let Some(s) = retry_after {
        reply = reply.header("Retry-After", s.to_string());
    }
    Outcome::Reply(reply)
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
