//! Shortcuts for tests against `scim-fake`: a started server with a client,
//! journal look-ups, and plain HTTP (through ureq) for requests the SDK
//! would never send, such as a malformed body or no credentials.

use std::time::Duration;

use scim_fake::{FakeServer, RecordedRequest};
use scim_sdk::Client;

/// A fake that refuses costly user pages as Genesys does
/// ([`emulate_page_cost`](scim_fake::FakeServerBuilder::emulate_page_cost)),
/// otherwise with the default configuration, and a client holding its token.
pub fn start() -> (FakeServer, Client) {
    let server = FakeServer::builder()
        .emulate_page_cost(true)
        .start()
        .expect("start the fake server");
    let client = client_with_token(&server, &server.token());
    (server, client)
}

/// A client for `server` that sends `token` as its bearer token.
pub fn client_with_token(server: &FakeServer, token: &str) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer(token)
        .build()
        .expect("build the client")
}

/// The value of a call that must succeed (an SDK call, or a sync step).
pub fn ok<T, E: std::fmt::Display + std::fmt::Debug>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("call failed: {e} ({e:?})"))
}

/// The error of a call that must fail.
pub fn fails<T, E>(result: Result<T, E>) -> E {
    match result {
        Ok(_) => panic!("the call succeeded but an error was expected"),
        Err(e) => e,
    }
}

/// Seeds `user` straight into the fake's store (no validation) and returns
/// the id it was given.
pub fn seed(server: &FakeServer, user: serde_json::Value) -> String {
    server.seed_user(user)["id"]
        .as_str()
        .expect("the seeded user has an id")
        .to_owned()
}

/// Every request in the fake's journal but reads: what a test checks to
/// see that nothing, or exactly this, was written.
pub fn writes(server: &FakeServer) -> Vec<RecordedRequest> {
    server
        .journal()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect()
}

/// The most recent request in the fake's journal.
pub fn last(server: &FakeServer) -> RecordedRequest {
    server.journal().pop().expect("a recorded request")
}

/// The decoded value of query parameter `name`, if the request had one.
pub fn query(req: &RecordedRequest, name: &str) -> Option<String> {
    req.query_pairs()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// A status, headers and body, read in full.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Header names and values, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Answer {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (panics if it is not: this is test code).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends exactly these headers and body to `server` (no credentials are
/// added), for requests the SDK cannot produce.
pub fn http(
    server: &FakeServer,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.base_url()));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let request = request.body(body.to_vec()).expect("a valid request");
    let response = agent.run(request).expect("an HTTP answer");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .into_body()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .expect("the answer's body");
    Answer {
        status,
        headers,
        body,
    }
}
