//! The checks a base URL or token URL passes before the client uses it.
//!
//! URLs are parsed with `http::Uri`, the parser ureq itself connects with, so
//! the host that is checked is the host that is contacted.

use crate::{Error, Region};
use std::borrow::Cow;
use ureq::http::Uri;

/// A URL that passed [`validate`]: `https://`, or `http://` to a loopback
/// host, no user information, query or fragment; without a trailing slash.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    text: String,
    uri: Uri,
}

impl Endpoint {
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the host is `localhost` or a loopback address.
    pub(crate) fn is_loopback(&self) -> bool {
        self.uri.host().is_some_and(is_loopback_host)
    }

    /// The token endpoint of the region whose API host this URL names.
    pub(crate) fn derived_token_url(&self) -> Result<Endpoint, Error> {
        let host = self.uri.host().unwrap_or_default().to_ascii_lowercase();
        let region = Region::from_api_host(&host).ok_or_else(|| {
            Error::invalid_input(
                "client",
                format!(
                    "cannot tell the token endpoint of base URL `{}`: call `.region(…)` or `.token_url(…)`",
                    self.text
                ),
            )
        })?;
        validate("token URL", &region.token_url())
    }
}

/// Checks `url` and strips a trailing slash. `what` names the URL in errors,
/// which never repeat user information.
pub(crate) fn validate(what: &str, url: &str) -> Result<Endpoint, Error> {
    let shown = without_userinfo(url.trim());
    let refuse = |why: &str| Error::invalid_input("client", format!("{what} `{shown}` {why}"));
    let text = url.trim().trim_end_matches('/');
    if text.contains(['?', '#']) {
        return Err(refuse("must not carry a query or fragment"));
    }
    if !text.contains("://") {
        return Err(refuse("has no scheme"));
    }
    let uri: Uri = text
        .parse()
        .map_err(|e| refuse(&format!("is not a valid URL ({e})")))?;
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    if authority.contains('@') {
        return Err(refuse(
            "must not carry a user name or password: the client authenticates with `.bearer(…)` or `.client_credentials(…)`",
        ));
    }
    let host = uri.host().unwrap_or_default();
    if host.is_empty() {
        return Err(refuse("has no host"));
    }
    if !has_valid_port(&uri) {
        return Err(refuse("has an invalid port"));
    }
    match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("https") => {}
        Some("http") if is_loopback_host(host) => {}
        Some("http") => {
            return Err(refuse(
                "uses plain http:// on a non-loopback host; tokens would travel unencrypted, use https://",
            ));
        }
        other => {
            return Err(refuse(&format!(
                "has unsupported scheme `{}`",
                other.unwrap_or_default()
            )));
        }
    }
    Ok(Endpoint {
        text: text.to_owned(),
        uri,
    })
}

/// Whether the authority's port, if any, is a number that fits a port:
/// `http::Uri` accepts `host:notaport` and leaves the port out.
pub(crate) fn has_valid_port(uri: &Uri) -> bool {
    let (Some(authority), Some(host)) = (uri.authority(), uri.host()) else {
        return true;
    };
    let authority = authority.as_str();
    let after_host = &authority[authority.rfind(host).map_or(0, |i| i + host.len())..];
    after_host.is_empty()
        || after_host
            .strip_prefix(':')
            .is_some_and(|p| p.parse::<u16>().is_ok())
}

/// `localhost` or a loopback IP address; IPv6 hosts come in brackets.
fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `url` with any `user:password@` before the host replaced by `***@`, for
/// `Debug` output and error messages.
pub(crate) fn without_userinfo(url: &str) -> Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &url[..start], &url[start + at..])),
        None => Cow::Borrowed(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(url: &str) -> Option<String> {
        validate("base URL", url).ok().map(|e| e.text)
    }

    #[test]
    fn accepted_urls_lose_their_trailing_slash() {
        assert_eq!(
            ok("https://api.mypurecloud.ie/").as_deref(),
            Some("https://api.mypurecloud.ie")
        );
        assert_eq!(
            ok(" https://proxy.example.com/genesys/ ").as_deref(),
            Some("https://proxy.example.com/genesys")
        );
        for url in [
            "http://127.0.0.1:9000",
            "http://[::1]:9000",
            "http://localhost",
            "http://LOCALHOST:1",
            "http://127.8.9.10",
            "https://api.mypurecloud.com:443",
        ] {
            assert!(ok(url).is_some(), "{url}");
        }
    }

    #[test]
    fn refused_urls() {
        for url in [
            "http://example.com",
            "ftp://example.com",
            "api.mypurecloud.com",
            "https://",
            "https://a b.example",
            "https://example.com/a b",
            "https://example.com?x=1",
            "https://example.com#top",
            "https://example.com:notaport",
            "https://example.com:99999",
            "http://[::1]@192.0.2.2:8080",
            "https://api.mypurecloud.com:443@attacker.example",
            "https://user:pw@example.com",
            "https://@example.com",
            "http://localhost.attacker.example",
            "http://127.0.0.1.attacker.example",
        ] {
            assert!(ok(url).is_none(), "{url}");
        }
    }

    #[test]
    fn user_information_is_never_repeated() {
        let err = validate("token URL", "https://id:hunter2@login.example/oauth/token")
            .expect_err("userinfo");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(
            err.to_string().contains("https://***@login.example"),
            "{err}"
        );
        assert_eq!(
            without_userinfo("http://a:b@c@host:1/p@q"),
            "http://***@host:1/p@q"
        );
        assert_eq!(without_userinfo("https://host/p@q"), "https://host/p@q");
    }

    #[test]
    fn the_token_url_follows_the_parsed_host() {
        let derived = |url: &str| {
            validate("base URL", url)
                .and_then(|e| e.derived_token_url())
                .map(|e| e.text)
                .ok()
        };
        assert_eq!(
            derived("https://api.mypurecloud.ie").as_deref(),
            Some("https://login.mypurecloud.ie/oauth/token")
        );
        assert_eq!(
            derived("https://API.MYPURECLOUD.IE:443/").as_deref(),
            Some("https://login.mypurecloud.ie/oauth/token")
        );
        assert!(derived("https://proxy.example.com").is_none());
    }
}
