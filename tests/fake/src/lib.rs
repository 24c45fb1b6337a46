//! A stateful, in-memory fake of the Genesys Cloud SCIM API for offline tests.
//!
//! [`FakeServer::start`] binds an ephemeral port on 127.0.0.1 and serves the
//! Genesys SCIM endpoints (users, groups, schemas, resource types, service
//! provider configuration) under both `/api/v2/scim/` and `/api/v2/scim/v2/`,
//! plus an OAuth client-credentials endpoint at `/oauth/token`. Every request
//! is recorded in a journal, and faults (error statuses, HTML pages, latency,
//! stalls, dropped connections, damaged bodies) can be queued to exercise a
//! client's error handling.
//!
//! ```no_run
//! let server = scim_fake::FakeServer::start()?;
//! let url = format!("{}/api/v2/scim/v2/users", server.base_url());
//! // ... point the client at `url` with `Authorization: Bearer {server.token()}` ...
//! assert!(server.journal().is_empty());
//! # Ok::<(), std::io::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod filter;
mod patch;
mod project;
mod relay;
mod schema;
mod store;
mod util;

use std::collections::{HashMap, VecDeque};
use std::io::{self, Cursor, Read};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use api::{ApiRequest, Reply, SCIM_JSON};
use store::{Record, ScimError, Store};

/// Number of threads answering requests.
const WORKERS: usize = 6;

/// One request as the server received it, recorded before it was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Request path without the query string, still percent-encoded.
    pub path: String,
    /// Raw query string (without `?`), still percent-encoded; `None` if absent.
    pub query: Option<String>,
    /// Request headers in arrival order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Request body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header with this name, compared ignoring ASCII case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, or `None` if it is empty or not JSON.
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Query parameters in order, with percent-escapes and `+` decoded.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .map(util::parse_query)
            .unwrap_or_default()
    }
}

/// A failure to inject into upcoming API requests (not `/oauth/token`).
///
/// Queued faults are consumed in FIFO order; each applies to its next `count`
/// API requests. A faulted request never reaches the store, so it changes no
/// state, except `Latency`, which only delays normal handling.
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
    fn count(&self) -> usize {
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

/// Configures and starts a [`FakeServer`].
#[derive(Clone, Debug)]
pub struct FakeServerBuilder {
    token: String,
    client_id: String,
    client_secret: String,
    token_lifetime: Duration,
    require_auth: bool,
    groups: Vec<String>,
    port: u16,
}

impl Default for FakeServerBuilder {
    fn default() -> Self {
        FakeServerBuilder {
            token: "fake-token".into(),
            client_id: "fake-client-id".into(),
            client_secret: "fake-client-secret".into(),
            token_lifetime: Duration::from_secs(3600),
            require_auth: true,
            groups: vec!["Sales".into(), "Support".into(), "Engineering".into()],
            port: 0,
        }
    }
}

impl FakeServerBuilder {
    /// The static bearer token accepted for API calls (default `fake-token`).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Client id and secret accepted by `/oauth/token`
    /// (default `fake-client-id` / `fake-client-secret`).
    pub fn client_credentials(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_id = id.into();
        self.client_secret = secret.into();
        self
    }

    /// Lifetime of tokens issued by `/oauth/token` (default one hour). Zero
    /// makes issued tokens expire immediately. The static token never expires.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Whether API calls need a bearer token (default `true`).
    pub fn require_auth(mut self, required: bool) -> Self {
        self.require_auth = required;
        self
    }

    /// Display names of the groups that exist at start, replacing the
    /// default `Sales`, `Support`, `Engineering`.
    pub fn seed_groups(mut self, names: Vec<&str>) -> Self {
        self.groups = names.into_iter().map(str::to_string).collect();
        self
    }

    /// Port to listen on (default 0: an ephemeral port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds 127.0.0.1 and starts serving.
    pub fn start(self) -> io::Result<FakeServer> {
        FakeServer::launch(self)
    }
}

struct Shared {
    cfg: FakeServerBuilder,
    base_url: String,
    started: String,
    store: Mutex<Store>,
    journal: Mutex<Vec<RecordedRequest>>,
    faults: Mutex<VecDeque<(Fault, usize)>>,
    tokens: Mutex<HashMap<String, Instant>>,
    token_requests: AtomicUsize,
    shutdown: AtomicBool,
    parked: Mutex<Vec<tiny_http::Request>>,
    conns: relay::Conns,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake Genesys Cloud SCIM server. Dropping it stops the server,
/// closes open connections and joins its threads.
pub struct FakeServer {
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
    relay: relay::Relay,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Starts a server with the default configuration on an ephemeral port.
    pub fn start() -> io::Result<FakeServer> {
        FakeServer::builder().start()
    }

    /// A builder for a customised server.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder::default()
    }

    fn launch(cfg: FakeServerBuilder) -> io::Result<FakeServer> {
        let http = tiny_http::Server::http("127.0.0.1:0").map_err(io::Error::other)?;
        let upstream = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("tiny_http did not bind an IP address"))?;
        let http = Arc::new(http);
        let listener = TcpListener::bind(("127.0.0.1", cfg.port))?;
        let conns: relay::Conns = Arc::default();
        let relay = relay::Relay::start(listener, upstream, conns.clone())?;
        let base_url = format!("http://127.0.0.1:{}", relay.addr().port());

        let mut store = Store::default();
        for name in &cfg.groups {
            let mut data = serde_json::Map::new();
            data.insert("schemas".into(), store::default_group_schemas());
            data.insert("displayName".into(), Value::String(name.clone()));
            data.insert("members".into(), Value::Array(Vec::new()));
            store.groups.push(Record::new(util::new_uuid(), data, None));
        }
        let shared = Arc::new(Shared {
            cfg,
            base_url,
            started: util::now_rfc3339(),
            store: Mutex::new(store),
            journal: Mutex::default(),
            faults: Mutex::default(),
            tokens: Mutex::default(),
            token_requests: AtomicUsize::new(0),
            shutdown: AtomicBool::new(false),
            parked: Mutex::default(),
            conns,
        });
        let mut server = FakeServer {
            shared,
            http,
            workers: Vec::new(),
            relay,
        };
        for i in 0..WORKERS {
            let (shared, http) = (server.shared.clone(), server.http.clone());
            let h = thread::Builder::new()
                .name(format!("scim-fake-worker-{i}"))
                .spawn(move || worker(shared, http))?;
            server.workers.push(h);
        }
        Ok(server)
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The token endpoint: [`base_url`](Self::base_url) + `/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.shared.base_url)
    }

    /// The static bearer token accepted for API calls.
    pub fn token(&self) -> String {
        self.shared.cfg.token.clone()
    }

    /// The client id accepted by the token endpoint.
    pub fn client_id(&self) -> &str {
        &self.shared.cfg.client_id
    }

    /// The client secret accepted by the token endpoint.
    pub fn client_secret(&self) -> &str {
        &self.shared.cfg.client_secret
    }

    /// Every request received so far, in arrival order.
    pub fn journal(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.journal).clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_journal(&self) {
        lock(&self.shared.journal).clear();
    }

    /// Queues a fault behind any already queued. A fault with `count` 0 is ignored.
    pub fn inject(&self, fault: Fault) {
        let n = fault.count();
        if n > 0 {
            lock(&self.shared.faults).push_back((fault, n));
        }
    }

    /// Discards all queued faults.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many requests `/oauth/token` has received, successful or not.
    pub fn token_requests(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// Inserts a user directly, bypassing validation and uniqueness checks.
    /// A string `id` in the value is kept (otherwise one is assigned);
    /// `active` defaults to true and `schemas` to the three user schemas.
    /// Returns the stored user as `GET /api/v2/scim/v2/users/{id}` would.
    pub fn seed_user(&self, user: Value) -> Value {
        let mut data = match user {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        let id = data
            .remove("id")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(util::new_uuid);
        let password = data
            .remove("password")
            .and_then(|v| v.as_str().map(str::to_string));
        data.remove("meta");
        data.remove("groups");
        data.entry("active").or_insert(Value::Bool(true));
        data.entry("schemas")
            .or_insert_with(store::default_user_schemas);
        let mut s = lock(&self.shared.store);
        let rec = Record::new(id.clone(), data, password);
        let idx = match s.user_index(&id) {
            Some(i) => {
                s.users[i] = rec;
                i
            }
            None => {
                s.users.push(rec);
                s.users.len() - 1
            }
        };
        let base = format!("{}/api/v2/scim/v2/", self.shared.base_url);
        s.render_user(&s.users[idx], &base)
    }

    /// The id of the group with this display name (exact match first, then ignoring case).
    pub fn group_id(&self, display_name: &str) -> Option<String> {
        let s = lock(&self.shared.store);
        s.groups
            .iter()
            .find(|g| g.display_name() == Some(display_name))
            .or_else(|| {
                s.groups.iter().find(|g| {
                    g.display_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case(display_name))
                })
            })
            .map(|g| g.id.clone())
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        self.relay.close_all();
        for _ in 0..self.workers.len() {
            self.http.unblock();
        }
        for h in self.workers.drain(..) {
            let _ = h.join();
        }
        lock(&self.shared.parked).clear();
        self.relay.join();
    }
}

fn worker(shared: Arc<Shared>, http: Arc<tiny_http::Server>) {
    loop {
        match http.recv() {
            Ok(rq) => handle_request(&shared, rq),
            Err(_) if shared.shutdown.load(Ordering::SeqCst) => break,
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

impl Shared {
    fn take_fault(&self) -> Option<Fault> {
        let mut q = lock(&self.faults);
        let (fault, left) = q.front_mut()?;
        let f = fault.clone();
        *left -= 1;
        if *left == 0 {
            q.pop_front();
        }
        Some(f)
    }

    /// Sleeps, waking early if the server shuts down.
    fn sleep(&self, d: Duration) {
        let end = Instant::now() + d;
        while !self.shutdown.load(Ordering::SeqCst) {
            let now = Instant::now();
            if now >= end {
                break;
            }
            thread::sleep((end - now).min(Duration::from_millis(10)));
        }
    }

    fn authorize(&self, headers: &[(String, String)]) -> Result<(), ScimError> {
        if !self.cfg.require_auth {
            return Ok(());
        }
        let unauthorized = |d: &str| ScimError::new(401, None, d);
        let h = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Authorization"))
            .map(|(_, v)| v.trim())
            .ok_or_else(|| unauthorized("missing Authorization header"))?;
        let token = util::strip_prefix_ci(h, "bearer ")
            .map(str::trim)
            .ok_or_else(|| unauthorized("the Authorization header must use the Bearer scheme"))?;
        if token == self.cfg.token {
            return Ok(());
        }
        match lock(&self.tokens).get(token) {
            Some(exp) if Instant::now() < *exp => Ok(()),
            Some(_) => Err(unauthorized("the access token has expired")),
            None => Err(unauthorized("the access token is not valid")),
        }
    }

    fn token_endpoint(&self, method: &str, headers: &[(String, String)], body: &[u8]) -> Reply {
        self.token_requests.fetch_add(1, Ordering::SeqCst);
        let oauth = |status: u16, error: &str, description: &str| {
            Reply::json_as(
                status,
                &json!({"error": error, "error_description": description}),
                "application/json",
            )
        };
        if method != "POST" {
            return oauth(405, "invalid_request", "use POST").header("Allow", "POST");
        }
        let creds = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Authorization"))
            .and_then(|(_, v)| util::strip_prefix_ci(v.trim(), "basic "))
            .and_then(|b| util::base64_decode(b.trim()))
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|s| {
                s.split_once(':').map(|(id, secret)| {
                    (
                        util::percent_decode(id, true),
                        util::percent_decode(secret, true),
                    )
                })
            });
        match creds {
            Some((id, secret)) if id == self.cfg.client_id && secret == self.cfg.client_secret => {}
            _ => {
                return oauth(401, "invalid_client", "client authentication failed")
                    .header("WWW-Authenticate", "Basic realm=\"oauth\"");
            }
        }
        let form = util::parse_query(&String::from_utf8_lossy(body));
        match form
            .iter()
            .find(|(k, _)| k == "grant_type")
            .map(|(_, v)| v.as_str())
        {
            Some("client_credentials") => {}
            Some(_) => {
                return oauth(
                    400,
                    "unsupported_grant_type",
                    "only client_credentials is supported",
                );
            }
            None => return oauth(400, "invalid_request", "grant_type is missing"),
        }
        let token = format!("fake-issued-{}", util::new_uuid());
        let lifetime = self.cfg.token_lifetime;
        lock(&self.tokens).insert(token.clone(), Instant::now() + lifetime);
        Reply::json_as(
            200,
            &json!({
                "access_token": token,
                "token_type": "bearer",
                "expires_in": lifetime.as_secs(),
            }),
            "application/json",
        )
        .header("Cache-Control", "no-store")
    }
}

fn header_of(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn send_reader<R: Read>(
    rq: tiny_http::Request,
    status: u16,
    headers: Vec<tiny_http::Header>,
    body: R,
    len: usize,
) {
    let resp = tiny_http::Response::new(
        tiny_http::StatusCode(status),
        headers,
        body,
        Some(len),
        None,
    );
    let _ = rq.respond(resp);
}

fn send(rq: tiny_http::Request, reply: Reply, correlation: &str) {
    let mut headers: Vec<tiny_http::Header> = Vec::new();
    headers.extend(header_of("ININ-Correlation-Id", correlation));
    let (data, content_type) = match reply.body {
        Some((d, ct)) => (d, Some(ct)),
        None => (Vec::new(), None),
    };
    if let Some(ct) = content_type {
        headers.extend(header_of("Content-Type", ct));
    }
    for (k, v) in &reply.headers {
        headers.extend(header_of(k, v));
    }
    let len = data.len();
    send_reader(rq, reply.status, headers, Cursor::new(data), len);
}

/// A JSON document used by the body-damaging faults.
fn canned_body() -> Vec<u8> {
    json!({
        "schemas": [schema::LIST_URN],
        "totalResults": 1,
        "itemsPerPage": 1,
        "startIndex": 1,
        "Resources": [{
            "schemas": [schema::USER_URN],
            "id": "00000000-0000-4000-8000-000000000000",
            "userName": "truncated@example.com",
            "displayName": "Truncated Body",
            "active": true
        }]
    })
    .to_string()
    .into_bytes()
}

fn handle_request(shared: &Shared, mut rq: tiny_http::Request) {
    let method = rq.method().as_str().to_string();
    let url = rq.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (url, None),
    };
    let headers: Vec<(String, String)> = rq
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let body_ok = rq.as_reader().read_to_end(&mut body).is_ok();
    lock(&shared.journal).push(RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        headers: headers.clone(),
        body: body.clone(),
    });
    let correlation = util::new_uuid();

    if path == "/oauth/token" {
        let reply = shared.token_endpoint(&method, &headers, &body);
        return send(rq, reply, &correlation);
    }

    if let Some(fault) = shared.take_fault() {
        let remote = rq.remote_addr().copied();
        match fault {
            Fault::Status {
                status,
                retry_after,
                ..
            } => {
                let e = ScimError::new(status, None, format!("injected fault: status {status}"));
                let mut reply = Reply::error(&e);
                if let Some(s) = retry_after {
                    reply = reply.header("Retry-After", s.to_string());
                }
                return send(rq, reply, &correlation);
            }
            Fault::Html { status, .. } => {
                let page = format!(
                    "<!DOCTYPE html>\n<html><head><title>{status} Error</title></head>\
                     <body><h1>{status} Error</h1><p>The gateway could not serve this request.</p></body></html>\n"
                );
                let reply = Reply {
                    status,
                    headers: Vec::new(),
                    body: Some((page.into_bytes(), "text/html; charset=utf-8")),
                };
                return send(rq, reply, &correlation);
            }
            Fault::Latency { delay, .. } => shared.sleep(delay),
            Fault::Stall { .. } => {
                lock(&shared.parked).push(rq);
                return;
            }
            Fault::DropConnection { .. } => {
                relay::close_client(&shared.conns, remote.as_ref(), &[]);
                return;
            }
            Fault::Truncated { .. } => {
                let full = canned_body();
                let half = &full[..full.len() / 2];
                let mut raw = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {SCIM_JSON}\r\nContent-Length: {}\r\n\
                     ININ-Correlation-Id: {correlation}\r\nConnection: close\r\n\r\n",
                    full.len()
                )
                .into_bytes();
                raw.extend_from_slice(half);
                if !relay::close_client(&shared.conns, remote.as_ref(), &raw) {
                    // No relay entry (should not happen): send the half body honestly.
                    let reply = Reply {
                        status: 200,
                        headers: Vec::new(),
                        body: Some((half.to_vec(), SCIM_JSON)),
                    };
                    send(rq, reply, &correlation);
                }
                return;
            }
            Fault::Malformed { .. } => {
                let reply = Reply {
                    status: 200,
                    headers: Vec::new(),
                    body: Some((b"{\"schemas\": [oops this is not JSON".to_vec(), SCIM_JSON)),
                };
                return send(rq, reply, &correlation);
            }
            Fault::Oversized { bytes, .. } => {
                let prefix = format!(
                    "{{\"schemas\":[\"{}\"],\"totalResults\":0,\"Resources\":[],\"padding\":\"",
                    schema::LIST_URN
                );
                let suffix = "\"}";
                let mut headers = Vec::new();
                headers.extend(header_of("ININ-Correlation-Id", &correlation));
                headers.extend(header_of("Content-Type", SCIM_JSON));
                let fixed = prefix.len() + suffix.len();
                if bytes >= fixed {
                    let body = Cursor::new(prefix.into_bytes())
                        .chain(io::repeat(b'x').take((bytes - fixed) as u64))
                        .chain(Cursor::new(suffix.as_bytes().to_vec()));
                    send_reader(rq, 200, headers, body, bytes);
                } else {
                    let n = bytes.max(2);
                    let mut body = b"{}".to_vec();
                    body.resize(n, b' ');
                    send_reader(rq, 200, headers, Cursor::new(body), n);
                }
                return;
            }
        }
    }

    let reply = if !body_ok {
        Reply::error(&ScimError::bad(
            "invalidSyntax",
            "the request body could not be read",
        ))
    } else if let Err(e) = shared.authorize(&headers) {
        Reply::error(&e).header("WWW-Authenticate", "Bearer")
    } else {
        let query_pairs = query.as_deref().map(util::parse_query).unwrap_or_default();
        let req = ApiRequest {
            method: &method,
            path: &path,
            query: &query_pairs,
            headers: &headers,
            body: &body,
            base_url: &shared.base_url,
            started: &shared.started,
        };
        api::handle(&shared.store, &req)
    };
    send(rq, reply, &correlation);
}
