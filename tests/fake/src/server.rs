//! The public face of the fake: [`FakeServerBuilder`] to configure it and
//! [`FakeServer`] to talk to it from a test.

use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;

use crate::config::Config;
use crate::conn::Listener;
use crate::fault::Fault;
use crate::journal::RecordedRequest;
use crate::record::{self, Record};
use crate::request_match::Match;
use crate::service::{Queued, State, lock};
use crate::store::{self, Store};

/// Configures and starts a [`FakeServer`].
///
/// ```
/// use std::time::Duration;
/// let server = scim_fake::FakeServer::builder()
///     .token("my-token")
///     .rate_limit(300)
///     .service_time(Duration::from_millis(5))
///     .start()?;
/// assert_eq!(server.token(), "my-token");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct FakeServerBuilder {
    cfg: Config,
}

impl FakeServerBuilder {
    /// The static bearer token accepted for API calls (default `fake-token`).
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().token("t").start()?;
    /// assert_eq!(server.token(), "t");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.cfg.token = token.into();
        self
    }

    /// Client id and secret accepted by `/oauth/token`
    /// (default `fake-client-id` / `fake-client-secret`). Both are compared
    /// raw, as the SDKs send them in the Basic header.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder()
    ///     .client_credentials("id", "se+cr%41et")
    ///     .start()?;
    /// assert_eq!(server.client_secret(), "se+cr%41et");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn client_credentials(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.cfg.client_id = id.into();
        self.cfg.client_secret = secret.into();
        self
    }

    /// Lifetime of tokens issued by `/oauth/token` (default one hour). Zero
    /// makes issued tokens expire immediately. The static token never expires.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder()
    ///     .token_lifetime(std::time::Duration::ZERO)
    ///     .start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.cfg.token_lifetime = lifetime;
        self
    }

    /// Whether API calls need a bearer token (default `true`).
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().require_auth(false).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn require_auth(mut self, required: bool) -> Self {
        self.cfg.require_auth = required;
        self
    }

    /// Display names of the groups that exist at start, replacing the
    /// default `Sales`, `Support`, `Engineering`.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().seed_groups(vec!["Ops"]).start()?;
    /// assert!(server.group_id("Ops").is_some());
    /// assert!(server.group_id("Sales").is_none());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn seed_groups(mut self, names: Vec<&str>) -> Self {
        self.cfg.groups = names.into_iter().map(str::to_string).collect();
        self
    }

    /// Port to listen on (default 0: an ephemeral port).
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().port(0).start()?;
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.cfg.port = port;
        self
    }

    /// Largest request body accepted (default 4 MiB). The check is made on
    /// the announced length before any of the body is read; a larger body
    /// gets 413 and the connection is closed.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().max_body_bytes(64 << 10).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.cfg.max_body = bytes;
        self
    }

    /// Bounds of the request journal (default 10,000 requests and 64 MiB,
    /// counting bodies and headers). Beyond either, the oldest requests are
    /// forgotten.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().journal_limit(100, 1 << 20).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn journal_limit(mut self, requests: usize, bytes: usize) -> Self {
        self.cfg.journal_entries = requests;
        self.cfg.journal_bytes = bytes;
        self
    }

    /// Most connections served at once (default 128), each by a thread of
    /// its own. At the cap an idle keep-alive connection is closed to make
    /// room; if none is idle, new connections wait to be accepted.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().max_connections(16).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.cfg.max_connections = connections;
        self
    }

    /// How long a keep-alive connection may wait for its next request
    /// (default 60 s), and how long one request may take to arrive once its
    /// first byte came (default 10 s; after that the answer is 408).
    ///
    /// ```
    /// use std::time::Duration;
    /// let server = scim_fake::FakeServer::builder()
    ///     .timeouts(Duration::from_secs(5), Duration::from_secs(2))
    ///     .start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn timeouts(mut self, idle: Duration, request: Duration) -> Self {
        self.cfg.idle_timeout = idle;
        self.cfg.request_timeout = request;
        self
    }

    /// Limits each token to `requests` API requests per window (one minute
    /// unless [`rate_limit_window`](Self::rate_limit_window) says
    /// otherwise), as Genesys Cloud does. Without this the fake is
    /// unlimited. The fake's README describes the headers and the 429.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().rate_limit(300).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn rate_limit(mut self, requests: u32) -> Self {
        self.cfg.rate_limit = Some(requests);
        self
    }

    /// The length of a rate-limit window (default one minute); a short one
    /// keeps tests of pacing quick.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder()
    ///     .rate_limit(10)
    ///     .rate_limit_window(std::time::Duration::from_secs(2))
    ///     .start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn rate_limit_window(mut self, window: Duration) -> Self {
        self.cfg.rate_window = window;
        self
    }

    /// Whether limited answers carry the `inin-ratelimit-*` headers
    /// (default `true`). Genesys Cloud stopped sending them in 2021, so a
    /// client should also cope with only `Retry-After`; `false` tests that.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder()
    ///     .rate_limit(10)
    ///     .rate_limit_headers(false)
    ///     .start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn rate_limit_headers(mut self, send: bool) -> Self {
        self.cfg.rate_headers = send;
        self
    }

    /// Delays every API answer by `delay` (default none), like the service
    /// time of a real server, without consuming a queued fault. Requests on
    /// different connections wait in parallel.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder()
    ///     .service_time(std::time::Duration::from_millis(20))
    ///     .start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn service_time(mut self, delay: Duration) -> Self {
        self.cfg.service_time = delay;
        self
    }

    /// Emulates what a page of users costs Genesys (default off): a page of
    /// more than 25 users that carries any of the attributes Genesys looks
    /// up user by user — `roles`, `groups`, and the Genesys extension's
    /// `routingSkills`, `routingLanguages` and `externalIds` — is refused
    /// with `429` and `Retry-After: 1`, as Genesys may refuse it. A page of
    /// 25 or fewer, or one whose `attributes` / `excludedAttributes` leave
    /// those out, is served. Turn it on to check that code under test pages
    /// the way Genesys accepts.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().emulate_page_cost(true).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn emulate_page_cost(mut self, on: bool) -> Self {
        self.cfg.page_cost = on;
        self
    }

    /// Binds 127.0.0.1 and starts serving.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start(self) -> io::Result<FakeServer> {
        FakeServer::launch(self.cfg)
    }
}

/// A running fake Genesys Cloud SCIM server. Dropping it stops the server,
/// closes open connections and joins its threads.
///
/// ```
/// let server = scim_fake::FakeServer::start()?;
/// let users = format!("{}/api/v2/scim/v2/users", server.base_url());
/// # let _ = users;
/// drop(server); // stops it
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct FakeServer {
    state: Arc<State>,
    listener: Listener,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.state.base_url)
            .finish_non_exhaustive()
    }
}

fn seeded_store(groups: &[String]) -> Store {
    let mut store = Store::default();
    for name in groups {
        let mut data = serde_json::Map::new();
        data.insert("schemas".into(), store::default_group_schemas());
        data.insert("displayName".into(), Value::String(name.clone()));
        data.insert("members".into(), Value::Array(Vec::new()));
        let id = uuid::Uuid::new_v4().to_string();
        store.put_group(Record::new(id, data, None));
    }
    store
}

impl FakeServer {
    /// Starts a server with the default configuration on an ephemeral port.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start() -> io::Result<FakeServer> {
        FakeServer::builder().start()
    }

    /// A builder for a customised server.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::builder().require_auth(false).start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder::default()
    }

    fn launch(cfg: Config) -> io::Result<FakeServer> {
        let socket = TcpListener::bind(("127.0.0.1", cfg.port))?;
        let base_url = format!("http://127.0.0.1:{}", socket.local_addr()?.port());
        let store = seeded_store(&cfg.groups);
        let state = Arc::new(State::new(cfg, base_url, record::now_rfc3339(), store));
        let listener = Listener::start(socket, state.clone())?;
        Ok(FakeServer { state, listener })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert!(!server.base_url().ends_with('/'));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The token endpoint: [`base_url`](Self::base_url) + `/oauth/token`.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert!(server.token_url().ends_with("/oauth/token"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.state.base_url)
    }

    /// The static bearer token accepted for API calls.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.token(), "fake-token");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn token(&self) -> String {
        self.state.cfg.token.clone()
    }

    /// The client id accepted by the token endpoint.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.client_id(), "fake-client-id");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn client_id(&self) -> &str {
        &self.state.cfg.client_id
    }

    /// The client secret accepted by the token endpoint.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.client_secret(), "fake-client-secret");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn client_secret(&self) -> &str {
        &self.state.cfg.client_secret
    }

    /// The requests received so far, oldest first, within the journal's
    /// bounds (see [`FakeServerBuilder::journal_limit`]). Requests that
    /// could not be read as HTTP (too large, too slow, malformed) are not
    /// recorded.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert!(server.journal().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn journal(&self) -> Vec<RecordedRequest> {
        lock(&self.state.journal).snapshot()
    }

    /// Forgets the recorded requests.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// server.clear_journal();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn clear_journal(&self) {
        lock(&self.state.journal).clear();
    }

    /// Queues a fault for the next API requests, whatever they are, behind
    /// any already queued; the same as [`inject_on`](Self::inject_on) with
    /// [`Match::any`]. A fault applied zero times is ignored.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// server.inject(scim_fake::Fault::drop_connection());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn inject(&self, fault: Fault) {
        self.inject_on(Match::any(), fault);
    }

    /// Queues a fault for the next API requests that `on` matches, behind
    /// any already queued. Each request takes the first queued fault that
    /// matches it, so other requests pass untouched while the fault waits:
    /// a `412` meant for a PATCH is not spent on the GET before it. A fault
    /// applied zero times is ignored.
    ///
    /// ```
    /// use scim_fake::{FakeServer, Fault, Match};
    /// let server = FakeServer::start()?;
    /// server.inject_on(Match::method("PATCH").path("/users/*"), Fault::status(412));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn inject_on(&self, on: Match, mut fault: Fault) {
        let left = *fault.count_mut();
        if left > 0 {
            lock(&self.state.faults).push_back(Queued { on, fault, left });
        }
    }

    /// Discards all queued faults.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// server.inject(scim_fake::Fault::stall());
    /// server.clear_faults();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// How many requests `/oauth/token` has received, successful or not.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.token_requests(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn token_requests(&self) -> usize {
        self.state.token_requests.load(Ordering::SeqCst)
    }

    /// How many tokens issued by `/oauth/token` are remembered now. Expired
    /// ones are forgotten whenever a new one is issued, and at most 10,000
    /// are kept.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.issued_tokens(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn issued_tokens(&self) -> usize {
        lock(&self.state.tokens).len()
    }

    /// How many client connections are open now.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.open_connections(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn open_connections(&self) -> usize {
        self.listener.open_connections()
    }

    /// Inserts a user directly, bypassing validation and uniqueness checks.
    /// The user is anything that serializes to a JSON object: a
    /// `serde_json::Value`, or a model such as `scim_sdk::models::ScimV2User`
    /// (the fake's README shows one). A string `id` in it is kept (otherwise
    /// one is assigned); `active` defaults to true and `schemas` to the
    /// three user schemas; `meta` and `groups` are ignored. Returns the
    /// stored user as `GET /api/v2/scim/v2/users/{id}` would.
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// let user = server.seed_user(serde_json::json!({"userName": "a@b.c", "displayName": "A"}));
    /// assert_eq!(user["active"], true);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Panics
    /// When `user` does not serialize to a JSON object: a test seeding a
    /// string or a number has a bug worth hearing about.
    pub fn seed_user(&self, user: impl serde::Serialize) -> Value {
        let mut data = match serde_json::to_value(user) {
            Ok(Value::Object(m)) => m,
            Ok(other) => panic!("seed_user needs a JSON object, got {other}"),
            Err(e) => panic!("seed_user could not serialize the user: {e}"),
        };
        let id = data
            .remove("id")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let password = data
            .remove("password")
            .and_then(|v| v.as_str().map(str::to_string));
        data.remove("meta");
        data.remove("groups");
        data.entry("active").or_insert(Value::Bool(true));
        data.entry("schemas")
            .or_insert_with(store::default_user_schemas);
        let mut s = lock(&self.state.store);
        s.put_user(Record::new(id.clone(), data, password));
        let base = format!("{}/api/v2/scim/v2/", self.state.base_url);
        s.users()
            .get(&id)
            .map(|u| s.render_user(u, &base))
            .unwrap_or_default()
    }

    /// The id of the group with this display name (exact match first, then ignoring case).
    ///
    /// ```
    /// let server = scim_fake::FakeServer::start()?;
    /// assert_eq!(server.group_id("sales"), server.group_id("Sales"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn group_id(&self, display_name: &str) -> Option<String> {
        let s = lock(&self.state.store);
        s.groups()
            .iter()
            .find(|g| g.display_name() == Some(display_name))
            .or_else(|| {
                s.groups().iter().find(|g| {
                    g.display_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case(display_name))
                })
            })
            .map(|g| g.id.clone())
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.state.stop();
        self.listener.shut_down();
    }
}
