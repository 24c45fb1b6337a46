//! How the client reaches the network: the ureq agents, their time limits,
//! proxies and TLS trust.
//!
//! There is deliberately no setting that turns TLS verification off: a
//! corporate CA is added with extra roots or the OS trust store instead.

use crate::Error;
use std::time::Duration;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

/// What the builder collected about the network, checked by [`agents`].
#[derive(Clone, Default)]
pub(crate) struct NetworkSettings {
    /// An explicit proxy URL; `None` leaves ureq's `HTTPS_PROXY`/`ALL_PROXY`/
    /// `HTTP_PROXY`/`NO_PROXY` handling in force.
    pub(crate) proxy: Option<String>,
    /// PEM documents with CA certificates trusted beside the built-in roots.
    pub(crate) extra_roots: Vec<Vec<u8>>,
    /// Verify with the operating system's trust store instead.
    pub(crate) os_trust_store: bool,
}

impl std::fmt::Debug for NetworkSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkSettings")
            .field(
                "proxy",
                &self.proxy.as_deref().map(crate::endpoint::without_userinfo),
            )
            .field("extra_roots", &self.extra_roots.len())
            .field("os_trust_store", &self.os_trust_store)
            .finish()
    }
}

/// The time limits of one attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) connect: Duration,
    pub(crate) attempt: Duration,
}

/// The agents of one client: one for the API and one for the token
/// endpoint. They are the same agent (one connection pool) unless exactly
/// one of the two hosts is on loopback: loopback traffic never goes through
/// a proxy, whether the proxy was configured or came from the environment.
pub(crate) struct Agents {
    pub(crate) api: ureq::Agent,
    pub(crate) token: ureq::Agent,
}

/// Builds the agents for an API host and a token host, each either on
/// loopback or not.
pub(crate) fn agents(
    settings: &NetworkSettings,
    limits: Limits,
    api_on_loopback: bool,
    token_on_loopback: bool,
) -> Result<Agents, Error> {
    let tls = tls_config(settings)?;
    let proxy = match &settings.proxy {
        Some(url) => Some(proxy(url)?),
        None => ureq::Proxy::try_from_env(),
    };
    let build = |on_loopback: bool| {
        let proxy = if on_loopback { None } else { proxy.clone() };
        agent(limits, tls.clone(), proxy)
    };
    let api = build(api_on_loopback);
    let token = if api_on_loopback == token_on_loopback {
        api.clone()
    } else {
        build(token_on_loopback)
    };
    Ok(Agents { api, token })
}

/// Idle connections the pool keeps. ureq keeps 3 per host by default, so
/// with more threads sharing one client, every call beyond the third in
/// flight opened a new connection (a TLS handshake on Genesys) and dropped
/// it afterwards. Enough for the widest `apply` most callers run.
const MAX_IDLE_CONNECTIONS: usize = 32;

fn agent(limits: Limits, tls: TlsConfig, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(MAX_IDLE_CONNECTIONS)
        .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
        .proxy(proxy)
        .tls_config(tls)
        .timeout_connect(Some(limits.connect))
        .timeout_send_request(Some(limits.attempt))
        .timeout_send_body(Some(limits.attempt))
        .timeout_recv_response(Some(limits.attempt))
        .timeout_recv_body(Some(limits.attempt))
        .user_agent(concat!("scim-sdk/", env!("CARGO_PKG_VERSION")))
        .build();
    ureq::Agent::new_with_config(config)
}

fn proxy(url: &str) -> Result<ureq::Proxy, Error> {
    let shown = crate::endpoint::without_userinfo(url);
    let refuse = |why: String| Error::invalid_input("client", format!("proxy URL `{shown}` {why}"));
    let uri: ureq::http::Uri = url
        .trim()
        .parse()
        .map_err(|e| refuse(format!("is not a valid URL ({e})")))?;
    if !crate::endpoint::has_valid_port(&uri) {
        return Err(refuse("has an invalid port".into()));
    }
    let proxy = ureq::Proxy::new(url.trim()).map_err(|e| refuse(format!("is not usable ({e})")))?;
    match proxy.protocol() {
        ureq::ProxyProtocol::Http | ureq::ProxyProtocol::Https => Ok(proxy),
        other => Err(refuse(format!(
            "names a {other:?} proxy, which is not supported: use http:// or https://"
        ))),
    }
}

fn tls_config(settings: &NetworkSettings) -> Result<TlsConfig, Error> {
    let roots = match (settings.os_trust_store, settings.extra_roots.is_empty()) {
        (false, true) => RootCerts::WebPki,
        (true, true) => RootCerts::PlatformVerifier,
        (true, false) => {
            return Err(Error::invalid_input(
                "client",
                "extra root certificates cannot be combined with the OS trust store: add the CA to the OS store instead",
            ));
        }
        (false, false) => {
            let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|der| Certificate::from_der(der.as_ref()).to_owned())
                .collect();
            for (n, pem) in settings.extra_roots.iter().enumerate() {
                roots.extend(parse_roots(n + 1, pem)?);
            }
            RootCerts::new_with_certs(&roots)
        }
    };
    Ok(TlsConfig::builder().root_certs(roots).build())
}

/// The CA certificates of PEM document number `n`, each checked to be
/// usable as a trust anchor.
fn parse_roots(n: usize, pem: &[u8]) -> Result<Vec<Certificate<'static>>, Error> {
    let refuse = |why: String| {
        Error::invalid_input("client", format!("root certificates (PEM #{n}): {why}"))
    };
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item.map_err(|e| refuse(format!("not valid PEM ({e})")))? {
            PemItem::Certificate(cert) => {
                let der = rustls_pki_types::CertificateDer::from(cert.der());
                webpki::anchor_from_trusted_cert(&der).map_err(|e| {
                    refuse(format!(
                        "certificate {} is not a usable CA certificate ({e:?})",
                        certs.len() + 1
                    ))
                })?;
                certs.push(cert);
            }
            _ => return Err(refuse("holds a private key, not only certificates".into())),
        }
    }
    if certs.is_empty() {
        return Err(refuse(
            "no `-----BEGIN CERTIFICATE-----` block found".into(),
        ));
    }
    Ok(certs)
}
