//! The server's settings and their defaults, as plain data read by every
//! other module (the public builder in `server.rs` writes them).

use std::time::Duration;

/// Default largest request body: far above any SCIM body (a group with ten
/// thousand members is about 600 KB), far below what hurts a test process.
pub(crate) const MAX_BODY: usize = 4 << 20;
/// Default journal bounds.
pub(crate) const JOURNAL_ENTRIES: usize = 10_000;
pub(crate) const JOURNAL_BYTES: usize = 64 << 20;
/// Default cap on connections served at once.
pub(crate) const MAX_CONNECTIONS: usize = 128;

#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub token: String,
    pub client_id: String,
    pub client_secret: String,
    pub token_lifetime: Duration,
    pub require_auth: bool,
    pub groups: Vec<String>,
    pub port: u16,
    pub max_body: usize,
    pub journal_entries: usize,
    pub journal_bytes: usize,
    pub max_connections: usize,
    /// How long a keep-alive connection may sit without a request.
    pub idle_timeout: Duration,
    /// How long one request may take to arrive once it has started.
    pub request_timeout: Duration,
    /// Requests per window and token; `None` means unlimited.
    pub rate_limit: Option<u32>,
    pub rate_window: Duration,
    pub rate_headers: bool,
    /// Added before every API answer.
    pub service_time: Duration,
    /// Refuse costly user pages with 429, as Genesys does.
    pub page_cost: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: "fake-token".into(),
            client_id: "fake-client-id".into(),
            client_secret: "fake-client-secret".into(),
            token_lifetime: Duration::from_secs(3600),
            require_auth: true,
            groups: vec!["Sales".into(), "Support".into(), "Engineering".into()],
            port: 0,
            max_body: MAX_BODY,
            journal_entries: JOURNAL_ENTRIES,
            journal_bytes: JOURNAL_BYTES,
            max_connections: MAX_CONNECTIONS,
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(10),
            rate_limit: None,
            rate_window: Duration::from_secs(60),
            rate_headers: true,
            service_time: Duration::ZERO,
            page_cost: false,
        }
    }
}
