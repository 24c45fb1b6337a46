//! OAuth: the client-credentials token endpoint, the issued tokens, and the
//! bearer check in front of the API.

use std::collections::HashMap;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::config::Config;
use crate::http::{self, Reply};
use crate::store::ScimError;
use crate::text::strip_prefix_ci;

/// Most issued tokens kept at once; beyond it the one closest to expiry goes.
const MAX_TOKENS: usize = 10_000;

/// Issued tokens and when they expire.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    expiry: HashMap<String, Instant>,
}

impl Tokens {
    /// Remembers a new token, forgetting expired ones first.
    fn issue(&mut self, token: String, expires: Instant) {
        let now = Instant::now();
        self.expiry.retain(|_, exp| *exp > now);
        if self.expiry.len() >= MAX_TOKENS {
            let soonest = self
                .expiry
                .iter()
                .min_by_key(|(_, exp)| **exp)
                .map(|(t, _)| t.clone());
            if let Some(t) = soonest {
                self.expiry.remove(&t);
            }
        }
        self.expiry.insert(token, expires);
    }

    pub(crate) fn len(&self) -> usize {
        self.expiry.len()
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    http::header(headers, name).map(str::trim)
}

/// Checks the bearer token of an API request and returns it (empty when
/// authentication is off), as the key for per-token accounting.
pub(crate) fn authorize<'a>(
    cfg: &Config,
    tokens: &Tokens,
    headers: &'a [(String, String)],
) -> Result<String, ScimError> {
    let bearer = |h: &'a str| strip_prefix_ci(h, "bearer ").map(str::trim);
    let given = header(headers, "Authorization");
    if !cfg.require_auth {
        return Ok(given.and_then(bearer).unwrap_or_default().to_string());
    }
    let unauthorized = |d: &str| ScimError::new(401, None, d);
    let h = given.ok_or_else(|| unauthorized("missing Authorization header"))?;
    let token = bearer(h)
        .ok_or_else(|| unauthorized("the Authorization header must use the Bearer scheme"))?;
    if token == cfg.token {
        return Ok(token.to_string());
    }
    match tokens.expiry.get(token) {
        Some(exp) if Instant::now() < *exp => Ok(token.to_string()),
        Some(_) => Err(unauthorized("the access token has expired")),
        None => Err(unauthorized("the access token is not valid")),
    }
}

/// The client id and secret of an HTTP Basic header, taken raw: the SDKs
/// send `id:secret` without form-encoding either part.
fn basic_credentials(headers: &[(String, String)]) -> Option<(String, String)> {
    let encoded = header(headers, "Authorization").and_then(|h| strip_prefix_ci(h, "basic "))?;
    let raw = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json_as(
        status,
        &json!({"error": error, "error_description": description}),
        "application/json",
    )
}

/// Answers `/oauth/token`: client credentials by HTTP Basic and
/// `grant_type=client_credentials` in a form body.
pub(crate) fn token_endpoint(
    cfg: &Config,
    tokens: &mut Tokens,
    method: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Reply {
    if method != "POST" {
        return oauth_error(405, "invalid_request", "use POST").header("Allow", "POST");
    }
    match basic_credentials(headers) {
        Some((id, secret)) if id == cfg.client_id && secret == cfg.client_secret => {}
        _ => {
            return oauth_error(401, "invalid_client", "client authentication failed")
                .header("WWW-Authenticate", "Basic realm=\"oauth\"");
        }
    }
    let grant = form_urlencoded::parse(body)
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.into_owned());
    match grant.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "only client_credentials is supported",
            );
        }
        None => return oauth_error(400, "invalid_request", "grant_type is missing"),
    }
    let token = format!("fake-issued-{}", uuid::Uuid::new_v4());
    let lifetime = cfg.token_lifetime;
    tokens.issue(token.clone(), Instant::now() + lifetime);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn basic(id: &str, secret: &str) -> Vec<(String, String)> {
        let value = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
        vec![("Authorization".into(), value)]
    }

    #[test]
    fn basic_credentials_are_taken_raw() {
        let creds = basic_credentials(&basic("id+1", "a%41b:c"));
        assert_eq!(creds, Some(("id+1".into(), "a%41b:c".into())));
    }

    #[test]
    fn expired_tokens_are_pruned_when_a_token_is_issued() {
        let mut tokens = Tokens::default();
        let past = Instant::now() - Duration::from_secs(1);
        tokens.issue("old".into(), past);
        tokens.issue("new".into(), Instant::now() + Duration::from_secs(60));
        assert_eq!(tokens.len(), 1);
    }
}
