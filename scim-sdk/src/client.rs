//! The [`Client`] and its builder.

use crate::Error;
use std::sync::Arc;
use std::time::Duration;

/// The API host of the default region (US East).
pub const DEFAULT_BASE_URL: &str = "https://api.mypurecloud.com";

/// Default cap on a response body: far above any real SCIM page, low enough
/// that a runaway body cannot exhaust memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// A handle to the Genesys Cloud SCIM API.
///
/// Build it once and share it: it is cheap to clone (clones share one
/// connection pool) and it is `Send + Sync`. Every operation of the API is a
/// method on it that returns a request builder; finish with `.send()`.
///
/// ```no_run
/// use scim_sdk::Client;
///
/// let client = Client::builder()
///     .bearer("my-access-token")
///     .build()?;
/// let page = client.get_scim_v2_users().count(10).send()?;
/// for user in page.resources.unwrap_or_default() {
///     println!("{:?}", user.user_name);
/// }
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) agent: ureq::Agent,
    pub(crate) base_url: String,
    pub(crate) token: Secret,
    pub(crate) max_body_bytes: u64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    ///
    /// ```
    /// let client = scim_sdk::Client::builder()
    ///     .base_url("http://127.0.0.1:8080")
    ///     .bearer("token")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// A string that never shows up in `Debug` output.
#[derive(Clone, Default)]
pub(crate) struct Secret(pub(crate) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Configures a [`Client`]. Obtain one from [`Client::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Secret>,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: u64,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl ClientBuilder {
    /// Sends requests to `url` instead of the default region, e.g. a proxy or
    /// a local test server. Plain `http://` is accepted only for loopback hosts.
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().base_url("https://api.mypurecloud.de/");
    /// # let _ = b;
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with this OAuth access token.
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().bearer("token-from-elsewhere");
    /// # let _ = b;
    /// ```
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().connect_timeout(std::time::Duration::from_secs(3));
    /// # let _ = b;
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one whole request, from connecting to the last byte
    /// of the body (default 60 s).
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().timeout(std::time::Duration::from_secs(20));
    /// # let _ = b;
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest response body accepted, in bytes (default 16 MiB).
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().max_body_bytes(1 << 20);
    /// # let _ = b;
    /// ```
    pub fn max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when no credentials were given, or the base URL
    /// is not `https://` (or `http://` on a loopback host).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = validate_base_url(&self.base_url)?;
        let token = self.token.ok_or_else(|| {
            Error::invalid_input("client", "no credentials: call `.bearer(token)`")
        })?;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .user_agent(concat!("scim-sdk/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Client {
            inner: Arc::new(ClientInner {
                agent: ureq::Agent::new_with_config(config),
                base_url,
                token,
                max_body_bytes: self.max_body_bytes,
            }),
        })
    }
}

/// Checks the scheme and host of a base URL and strips a trailing slash.
fn validate_base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| Error::invalid_input("client", format!("base URL `{url}` has no scheme")))?;
    let host_port = rest.split('/').next().unwrap_or_default();
    if host_port.is_empty() {
        return Err(Error::invalid_input(
            "client",
            format!("base URL `{url}` has no host"),
        ));
    }
    if trimmed.contains(['?', '#']) {
        return Err(Error::invalid_input(
            "client",
            format!("base URL `{url}` must not carry a query or fragment"),
        ));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(trimmed.to_owned()),
        "http" if is_loopback(host_port) => Ok(trimmed.to_owned()),
        "http" => Err(Error::invalid_input(
            "client",
            format!(
                "base URL `{url}` uses plain http:// on a non-loopback host; tokens would travel unencrypted, use https://"
            ),
        )),
        other => Err(Error::invalid_input(
            "client",
            format!("base URL `{url}` has unsupported scheme `{other}`"),
        )),
    }
}

fn is_loopback(host_port: &str) -> bool {
    let host = if let Some(rest) = host_port.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(
            validate_base_url("https://api.mypurecloud.ie/")
                .ok()
                .as_deref(),
            Some("https://api.mypurecloud.ie")
        );
        assert!(validate_base_url("http://127.0.0.1:9000").is_ok());
        assert!(validate_base_url("http://[::1]:9000").is_ok());
        assert!(validate_base_url("http://localhost").is_ok());
        assert!(validate_base_url("http://example.com").is_err());
        assert!(validate_base_url("ftp://example.com").is_err());
        assert!(validate_base_url("api.mypurecloud.com").is_err());
    }
}
