//! The [`Client`] and its builder.

use crate::auth::{Credentials, TokenSource};
use crate::endpoint;
use crate::network::{self, Limits, NetworkSettings};
use crate::rate_limit::Pacer;
use crate::secret::Secret;
use crate::{Error, RateLimit, Region, RetryPolicy};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The API host of the default region ([`Region::UsEast1`]).
///
/// ```
/// let client = scim_sdk::Client::builder().bearer("t").build()?;
/// assert_eq!(client.base_url(), scim_sdk::DEFAULT_BASE_URL);
/// # Ok::<(), scim_sdk::Error>(())
/// ```
pub const DEFAULT_BASE_URL: &str = "https://api.mypurecloud.com";

/// Default cap on a response body: far above any real SCIM page, low enough
/// that a runaway body cannot exhaust memory.
///
/// ```
/// // An org exporting large groups with all their members may need more.
/// let b = scim_sdk::Client::builder().max_body_bytes(4 * scim_sdk::DEFAULT_MAX_BODY_BYTES);
/// # let _ = b;
/// ```
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
    /// Client-side pacing, shared by clones; `None` sends as fast as asked.
    pub(crate) pacer: Option<Arc<Pacer>>,
    /// When and how failed requests are sent again.
    pub(crate) retry: RetryPolicy,
}

pub(crate) struct ClientInner {
    /// Sends the API calls.
    pub(crate) agent: ureq::Agent,
    /// Sends the token requests (the same agent unless only one of the two
    /// hosts is on loopback).
    pub(crate) token_agent: ureq::Agent,
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) max_body_bytes: u64,
    pub(crate) log_bodies: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    /// API requests handed to the wire, retries included; shared by clones.
    pub(crate) requests_sent: AtomicU64,
    /// How those requests ended.
    pub(crate) outcomes: crate::request_counts::Counters,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials)
            .field("retry", &self.retry)
            .field("connect_timeout", &inner.connect_timeout)
            .field("timeout", &inner.timeout)
            .field("max_body_bytes", &inner.max_body_bytes)
            .field("log_bodies", &inner.log_bodies)
            .field("rate_limit", &self.rate_limit())
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
    ///
    /// ```
    /// use scim_sdk::{Client, Region};
    /// let client = Client::builder().region(Region::EuWest1).bearer("t").build()?;
    /// assert_eq!(client.base_url(), "https://api.mypurecloud.ie");
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy in force.
    ///
    /// ```
    /// let client = scim_sdk::Client::builder().bearer("t").build()?;
    /// assert_eq!(client.retry_policy(), scim_sdk::RetryPolicy::default());
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// A client that retries by `policy` and otherwise shares this one's
    /// connections, token cache, pacing and request counter. A caller that
    /// retries whole steps itself (a sync's work queue, say) sends with
    /// [`RetryPolicy::disabled`], so that one step's sends are its own to
    /// count and to spread out.
    ///
    /// The pacing is shared as it is: a `Retry-After` one of them meets
    /// holds both back, for no longer than the window or the
    /// [`max_total_wait`](RetryPolicy::max_total_wait) in force when the
    /// pacing was set up (see [`RateLimit`]), whatever `policy` says.
    ///
    /// ```
    /// use scim_sdk::{Client, RetryPolicy};
    /// let client = Client::builder().bearer("t").build()?;
    /// let once = client.with_retry_policy(RetryPolicy::disabled());
    /// assert_eq!(once.retry_policy().max_attempts, 1);
    /// assert_eq!(client.retry_policy(), RetryPolicy::default());
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    #[must_use]
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        Client {
            retry: policy,
            ..self.clone()
        }
    }

    /// How many API requests this client and its clones have sent so far,
    /// counting every attempt (a request retried once counts twice). Token
    /// requests are not counted. Compare two readings to learn what a piece
    /// of work cost, for example one sync run.
    ///
    /// ```
    /// let client = scim_sdk::Client::builder().bearer("t").build()?;
    /// assert_eq!(client.requests_sent(), 0); // building sends nothing
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn requests_sent(&self) -> u64 {
        self.inner.requests_sent.load(Ordering::Relaxed)
    }

    /// How the API requests this client and its clones have sent so far
    /// ended: answered (by status class, `429`s apart), or not answered, and
    /// how many were retries.
    ///
    /// ```
    /// let client = scim_sdk::Client::builder().bearer("t").build()?;
    /// assert_eq!(client.request_counts(), scim_sdk::RequestCounts::default());
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn request_counts(&self) -> crate::RequestCounts {
        self.inner.outcomes.read(self.requests_sent())
    }

    /// The client-side rate limit in force, if any.
    ///
    /// ```
    /// let client = scim_sdk::Client::builder().bearer("t").build()?;
    /// assert_eq!(client.rate_limit(), None); // plain clients are not paced
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.pacer.as_ref().map(|p| p.limit())
    }

    /// A client paced by `limit` that shares this one's connections, token
    /// cache and request counter. Its clones share one token bucket; this
    /// client stays as it was. See [`RateLimit`] for how the pacing adapts to
    /// the server's rate-limit headers.
    ///
    /// ```
    /// use scim_sdk::{Client, RateLimit};
    /// let client = Client::builder().bearer("t").build()?;
    /// let paced = client.with_rate_limit(RateLimit::per_minute(300));
    /// assert_eq!(paced.rate_limit(), Some(RateLimit::per_minute(300)));
    /// assert_eq!(client.rate_limit(), None);
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    #[must_use]
    pub fn with_rate_limit(&self, limit: RateLimit) -> Client {
        let budget = self.retry.max_total_wait;
        Client {
            inner: Arc::clone(&self.inner),
            pacer: Some(Arc::new(Pacer::new(limit, budget))),
            retry: self.retry,
        }
    }

    /// A client that shares this one's connections, token cache and request
    /// counter but sends without client-side pacing.
    ///
    /// ```
    /// use scim_sdk::{Client, RateLimit};
    /// let paced = Client::builder().bearer("t").rate_limit(RateLimit::per_minute(60)).build()?;
    /// assert_eq!(paced.without_rate_limit().rate_limit(), None);
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    #[must_use]
    pub fn without_rate_limit(&self) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            pacer: None,
            retry: self.retry,
        }
    }
}

/// The credentials given to the builder, before a token source exists.
#[derive(Debug, Clone)]
enum CredentialConfig {
    Bearer(Secret),
    ClientCredentials { client_id: String, secret: Secret },
}

/// Default time allowed to open a connection (TCP and TLS).
///
/// ```
/// use scim_sdk::{Client, DEFAULT_CONNECT_TIMEOUT};
/// // A slow VPN link to the org: allow twice the default.
/// let b = Client::builder().connect_timeout(DEFAULT_CONNECT_TIMEOUT * 2);
/// # let _ = b;
/// ```
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time allowed for one attempt of a request; see
/// [`ClientBuilder::timeout`].
///
/// ```
/// use scim_sdk::{Client, DEFAULT_TIMEOUT};
/// // An interactive tool would rather fail fast than keep a user waiting.
/// let b = Client::builder().timeout(DEFAULT_TIMEOUT / 4);
/// # let _ = b;
/// ```
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Configures a [`Client`]. Obtain one from [`Client::builder`].
///
/// Its `Debug` output never shows the bearer token or the client secret.
///
/// ```no_run
/// use scim_sdk::{Client, Region, RetryPolicy};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .region(Region::EuWest1)
///     .client_credentials("my-client-id", "my-client-secret")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::default().max_attempts(5))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token_url: Option<String>,
    credentials: Option<CredentialConfig>,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: u64,
    retry: RetryPolicy,
    log_bodies: bool,
    rate_limit: Option<RateLimit>,
    network: NetworkSettings,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // URLs are shown as given, except for any user information in them.
        f.debug_struct("ClientBuilder")
            .field("base_url", &endpoint::without_userinfo(&self.base_url))
            .field(
                "token_url",
                &self.token_url.as_deref().map(endpoint::without_userinfo),
            )
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry", &self.retry)
            .field("log_bodies", &self.log_bodies)
            .field("rate_limit", &self.rate_limit)
            .field("network", &self.network)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token_url: None,
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retry: RetryPolicy::new(),
            log_bodies: false,
            rate_limit: None,
            network: NetworkSettings::default(),
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

    /// Sends requests to a Genesys Cloud region: sets the base URL to
    /// `https://api.<domain>` and the token endpoint to
    /// `https://login.<domain>/oauth/token`.
    ///
    /// ```
    /// use scim_sdk::{Client, Region};
    /// let client = Client::builder().region(Region::EuCentral1).bearer("t").build()?;
    /// assert_eq!(client.base_url(), "https://api.mypurecloud.de");
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.api_base_url();
        self.token_url = Some(region.token_url());
        self
    }

    /// Authenticates every request with this OAuth access token, as is. The
    /// caller renews it; a `401` is returned as [`Error::Http`]. Replaces
    /// [`client_credentials`](Self::client_credentials).
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().bearer("token-from-elsewhere");
    /// # let _ = b;
    /// ```
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(CredentialConfig::Bearer(Secret::new(token.into())));
        self
    }

    /// Authenticates with an OAuth client (grant type "Client Credentials").
    ///
    /// The client POSTs `grant_type=client_credentials` with HTTP Basic
    /// authentication to the token endpoint (see [`region`](Self::region) and
    /// [`token_url`](Self::token_url)) on the first call, caches the token,
    /// and shares it between threads and clones of the client: concurrent
    /// callers wait for one token request. The token is renewed 60 s before
    /// it expires (halfway through its life if it lives less than two
    /// minutes); if that renewal fails, the current token stays in use until
    /// it expires. When the API answers `401`, the client drops the token,
    /// fetches a new one and sends the request once more.
    ///
    /// A refused token request gives [`Error::Auth`] with the HTTP status and
    /// the OAuth `error` code. The secret and the tokens never appear in
    /// `Debug` output, errors or logs. Replaces [`bearer`](Self::bearer).
    ///
    /// ```no_run
    /// use scim_sdk::{Client, Region};
    /// let client = Client::builder()
    ///     .region(Region::ApSoutheast2)
    ///     .client_credentials("client-id", "client-secret")
    ///     .build()?;
    /// let me = client.get_scim_v2_users().count(1).send()?;
    /// # let _ = me;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials = Some(CredentialConfig::ClientCredentials {
            client_id: client_id.into(),
            secret: Secret::new(client_secret.into()),
        });
        self
    }

    /// Fetches tokens from `url` instead of the region's
    /// `https://login.<domain>/oauth/token`. Plain `http://` is accepted only
    /// for loopback hosts. Without this or [`region`](Self::region), the token
    /// URL is derived from a Genesys base URL (`api.X` → `login.X`).
    ///
    /// ```
    /// let b = scim_sdk::Client::builder()
    ///     .base_url("http://127.0.0.1:8080")
    ///     .token_url("http://127.0.0.1:8081/oauth/token")
    ///     .client_credentials("id", "secret");
    /// # let _ = b;
    /// ```
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Sets how failed requests are retried (default: [`RetryPolicy::default`]).
    /// See [`RetryPolicy`] for what is retried and for how long.
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().retry(scim_sdk::RetryPolicy::disabled());
    /// # let _ = b;
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces every request of the client and its clones (default: no
    /// pacing). Before each attempt, including retries, the client waits
    /// for a permit from a token bucket shared by all clones. See
    /// [`RateLimit`].
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().rate_limit(scim_sdk::RateLimit::per_minute(300));
    /// # let _ = b;
    /// ```
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Logs request and response bodies as `tracing` DEBUG events (default
    /// off). Only JSON bodies are logged, cut to 4 KiB, with the values of
    /// keys that name passwords, secrets, tokens or credentials replaced by
    /// `<redacted>`, and so is the `value` of a PATCH operation whose `path`
    /// names one. Bodies hold personal data: enable this only to diagnose.
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().log_bodies(true);
    /// # let _ = b;
    /// ```
    pub fn log_bodies(mut self, enabled: bool) -> Self {
        self.log_bodies = enabled;
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

    /// Time allowed for one attempt of a request (default 60 s). A server
    /// that stops answering, or drips its answer, yields [`Error::Timeout`]
    /// after about this long. Each retry gets its own allowance; the sleeps
    /// between them are bounded by
    /// [`RetryPolicy::max_total_wait`](crate::RetryPolicy::max_total_wait).
    ///
    /// Precisely: sending the request, waiting for the answer's head, and
    /// receiving its body must each take less than this, and the body must be
    /// complete before this much time has passed since the attempt began.
    /// Only a server that keeps the head back almost this long and then goes
    /// silent in the body can hold an attempt for up to twice the time.
    /// Connecting has its own [`connect_timeout`](Self::connect_timeout);
    /// name resolution is bounded by the system's resolver. (A single
    /// deadline over all of it would cost ureq a thread per request.)
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().timeout(std::time::Duration::from_secs(20));
    /// # let _ = b;
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest response body accepted, in bytes (default 16 MiB). A larger
    /// success body gives [`Error::Decode`] with
    /// [`is_body_too_large`](Error::is_body_too_large); error bodies are cut,
    /// not refused.
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().max_body_bytes(1 << 20);
    /// # let _ = b;
    /// ```
    pub fn max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Sends every request through the HTTP proxy at `url` (`http://host:port`
    /// or `https://…`, with `user:password@` if the proxy needs it), as an
    /// HTTP `CONNECT` tunnel: TLS still runs end to end.
    ///
    /// Without this call the client follows `HTTPS_PROXY`, `ALL_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY`. Either way, a base URL or token URL on
    /// loopback (`localhost`, `127.0.0.1`, `[::1]`) is always reached
    /// directly, never through a proxy. An unusable URL is an error at
    /// [`build`](Self::build).
    ///
    /// ```
    /// let client = scim_sdk::Client::builder()
    ///     .proxy("http://proxy.corp.example:3128")
    ///     .bearer("token")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.network.proxy = Some(url.into());
        self
    }

    /// Trusts the CA certificates in `pem` (one or more
    /// `-----BEGIN CERTIFICATE-----` blocks) besides the built-in Mozilla
    /// roots: for a corporate proxy that re-signs TLS traffic, or an API
    /// gateway with a private CA. May be called more than once. A document
    /// without a usable CA certificate is an error at [`build`](Self::build).
    ///
    /// TLS verification itself cannot be turned off.
    ///
    /// ```no_run
    /// let corporate_ca = std::fs::read("/etc/pki/corp-root-ca.pem")?;
    /// let client = scim_sdk::Client::builder()
    ///     .root_certificates_pem(corporate_ca)
    ///     .bearer("token")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.network.extra_roots.push(pem.into());
        self
    }

    /// Verifies servers with the operating system's trust store (through
    /// `rustls-platform-verifier`) instead of the built-in Mozilla roots, so
    /// that a CA your IT department installed is trusted. Needs the
    /// `platform-verifier` cargo feature; cannot be combined with
    /// [`root_certificates_pem`](Self::root_certificates_pem).
    ///
    /// ```
    /// let b = scim_sdk::Client::builder().os_trust_store().bearer("token");
    /// # let _ = b;
    /// ```
    #[cfg(feature = "platform-verifier")]
    #[cfg_attr(docsrs, doc(cfg(feature = "platform-verifier")))]
    pub fn os_trust_store(mut self) -> Self {
        self.network.os_trust_store = true;
        self
    }

    /// Builds the client. Nothing is sent: a token is fetched on first use.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when no credentials were given; when the base
    /// URL or token URL does not parse, is not `https://` (or `http://` on a
    /// loopback host), or carries a user name, password, query or fragment;
    /// when the proxy URL or extra root certificates are unusable;
    /// when the OAuth client id is empty or contains `:`; or when client
    /// credentials are used with a custom base URL and no token URL.
    ///
    /// ```
    /// use scim_sdk::{Client, Error};
    /// let client = Client::builder().base_url("http://127.0.0.1:1").bearer("t").build()?;
    /// # let _ = client;
    /// // Configuration mistakes surface here, before any request is sent.
    /// let missing = Client::builder().base_url("http://127.0.0.1:1").build();
    /// assert!(matches!(missing, Err(Error::InvalidInput { .. })));
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let base_url = endpoint::validate("base URL", &self.base_url)?;
        let api_on_loopback = base_url.is_loopback();
        let (credentials, token_on_loopback) = match self.credentials {
            None => {
                return Err(Error::invalid_input(
                    "client",
                    "no credentials: call `.bearer(token)` or `.client_credentials(id, secret)`",
                ));
            }
            // No token requests: the token agent is the API's.
            Some(CredentialConfig::Bearer(token)) => (Credentials::Bearer(token), api_on_loopback),
            Some(CredentialConfig::ClientCredentials { client_id, secret }) => {
                check_client_id(&client_id)?;
                let token_url = match &self.token_url {
                    Some(url) => endpoint::validate("token URL", url)?,
                    None => base_url.derived_token_url()?,
                };
                let on_loopback = token_url.is_loopback();
                let source = TokenSource::new(
                    client_id,
                    secret,
                    token_url.as_str().to_owned(),
                    self.timeout,
                );
                (Credentials::ClientCredentials(source), on_loopback)
            }
        };
        let limits = Limits {
            connect: self.connect_timeout,
            attempt: self.timeout,
        };
        let agents = network::agents(&self.network, limits, api_on_loopback, token_on_loopback)?;
        Ok(Client {
            inner: Arc::new(ClientInner {
                agent: agents.api,
                token_agent: agents.token,
                base_url: base_url.as_str().to_owned(),
                credentials,
                max_body_bytes: self.max_body_bytes,
                log_bodies: self.log_bodies,
                connect_timeout: self.connect_timeout,
                timeout: self.timeout,
                requests_sent: AtomicU64::new(0),
                outcomes: Default::default(),
            }),
            pacer: self
                .rate_limit
                .map(|limit| Arc::new(Pacer::new(limit, self.retry.max_total_wait))),
            retry: self.retry,
        })
    }
}

/// HTTP Basic joins id and secret with `:` and sends them raw, as the
/// official SDKs do, so an id containing `:` would be split in the wrong
/// place by the token endpoint.
fn check_client_id(client_id: &str) -> Result<(), Error> {
    if client_id.is_empty() {
        return Err(Error::invalid_input(
            "client",
            "the OAuth client id is empty",
        ));
    }
    if client_id.contains(':') {
        return Err(Error::invalid_input(
            "client",
            "the OAuth client id contains `:`, which HTTP Basic authentication cannot carry; check that id and secret are not swapped or joined",
        ));
    }
    Ok(())
}
