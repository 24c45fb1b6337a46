//! Credentials: a fixed bearer token, or OAuth client credentials with a
//! shared, single-flight token cache.

use crate::Error;
use crate::error::{AuthError, TransportError};
use std::io::Read;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Operation name used in errors and traces of token requests.
pub(crate) const TOKEN_OPERATION: &str = "oauthToken";

/// Largest token endpoint answer read, in bytes.
const TOKEN_BODY_LIMIT: u64 = 64 * 1024;

/// Longest time before expiry at which a cached token is renewed.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A string that never shows up in `Debug` output.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How the client authenticates.
pub(crate) enum Credentials {
    /// A token supplied by the caller, sent as is.
    Bearer(Secret),
    /// OAuth client credentials grant, tokens cached.
    ClientCredentials(TokenSource),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::ClientCredentials(s) => f
                .debug_struct("ClientCredentials")
                .field("client_id", &s.client_id)
                .field("client_secret", &s.client_secret)
                .field("token_url", &s.token_url)
                .finish(),
        }
    }
}

impl Credentials {
    /// The token to send. `refused` is a token the API just answered 401 to:
    /// if the cache still holds it, a new one is fetched.
    pub(crate) fn token(
        &self,
        agent: &ureq::Agent,
        refused: Option<&Secret>,
    ) -> Result<Secret, Error> {
        match self {
            Credentials::Bearer(t) => Ok(t.clone()),
            Credentials::ClientCredentials(source) => source.token(agent, refused),
        }
    }

    /// Whether a 401 can be cured by fetching a new token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Credentials::ClientCredentials(_))
    }
}

/// Fetches and caches tokens from an OAuth token endpoint.
///
/// Single flight: while one thread fetches, the others wait on the condition
/// variable and then share its result, so any number of concurrent callers
/// cause one token request.
pub(crate) struct TokenSource {
    client_id: String,
    client_secret: Secret,
    token_url: String,
    state: Mutex<TokenState>,
    changed: Condvar,
}

#[derive(Default)]
struct TokenState {
    token: Option<CachedToken>,
    fetching: bool,
    /// Counts finished fetches, so that a waiter knows one completed.
    generation: u64,
    /// The failure of the last fetch, handed to the threads that waited for it.
    last_failure: Option<Error>,
}

struct CachedToken {
    value: Secret,
    renew_at: Option<Instant>,
}

impl TokenSource {
    pub(crate) fn new(client_id: String, client_secret: Secret, token_url: String) -> Self {
        Self {
            client_id,
            client_secret,
            token_url,
            state: Mutex::new(TokenState::default()),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, TokenState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn token(&self, agent: &ureq::Agent, refused: Option<&Secret>) -> Result<Secret, Error> {
        let mut state = self.lock();
        let mut waited_for_fetch = false;
        loop {
            if let Some(t) = &state.token {
                let fresh = t.renew_at.is_none_or(|at| Instant::now() < at);
                let was_refused = refused.is_some_and(|r| *r == t.value);
                // A token fetched while we waited is used even if it equals
                // the refused one: fetching again would loop.
                if waited_for_fetch || (fresh && !was_refused) {
                    return Ok(t.value.clone());
                }
            }
            if !state.fetching {
                break;
            }
            let generation = state.generation;
            while state.fetching {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if state.generation != generation {
                if let Some(e) = &state.last_failure {
                    return Err(copy_error(e));
                }
                waited_for_fetch = true;
            }
        }
        state.fetching = true;
        drop(state);

        // Resets `fetching` even if the fetch panics, so waiters never hang.
        struct Finish<'a>(&'a TokenSource, Option<Result<CachedToken, Error>>);
        impl Drop for Finish<'_> {
            fn drop(&mut self) {
                let mut state = self.0.lock();
                state.fetching = false;
                state.generation = state.generation.wrapping_add(1);
                match self.1.take() {
                    Some(Ok(token)) => {
                        state.token = Some(token);
                        state.last_failure = None;
                    }
                    Some(Err(e)) => {
                        state.token = None;
                        state.last_failure = Some(e);
                    }
                    None => state.last_failure = None,
                }
                self.0.changed.notify_all();
            }
        }
        let mut finish = Finish(self, None);
        let result = self.fetch(agent);
        let out = match &result {
            Ok(t) => Ok(t.value.clone()),
            Err(e) => Err(copy_error(e)),
        };
        finish.1 = Some(result);
        drop(finish);
        out
    }

    /// One POST to the token endpoint.
    fn fetch(&self, agent: &ureq::Agent) -> Result<CachedToken, Error> {
        let started = Instant::now();
        let basic = base64(format!("{}:{}", self.client_id, self.client_secret.0).as_bytes());
        let request = ureq::http::Request::builder()
            .method("POST")
            .uri(&self.token_url)
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", format!("Basic {basic}"))
            .body(&b"grant_type=client_credentials"[..])
            .map_err(|e| {
                Error::invalid_input(
                    TOKEN_OPERATION,
                    format!("cannot build the token request: {e}"),
                )
            })?;
        let outcome = agent.run(request);
        let mut response = match outcome {
            Ok(r) => r,
            Err(e) => {
                let err = crate::transport::transport_error(TOKEN_OPERATION, e);
                tracing::debug!(
                    operation = TOKEN_OPERATION,
                    duration_ms = elapsed_ms(started),
                    error = %err,
                    "token request failed"
                );
                return Err(err);
            }
        };
        let status = response.status().as_u16();
        let mut body = Vec::new();
        let read = response
            .body_mut()
            .as_reader()
            .take(TOKEN_BODY_LIMIT)
            .read_to_end(&mut body);
        tracing::debug!(
            operation = TOKEN_OPERATION,
            method = "POST",
            status,
            duration_ms = elapsed_ms(started),
            "token request finished"
        );
        if let Err(e) = read {
            return Err(crate::transport::transport_error(
                TOKEN_OPERATION,
                ureq::Error::from(e),
            ));
        }
        if !(200..300).contains(&status) {
            return Err(token_endpoint_error(status, &body));
        }
        // The body holds the token: it must never reach an error message.
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            auth_error(
                Some(status),
                None,
                format!(
                    "the token endpoint's answer is not an OAuth token response ({} at line {} column {})",
                    e.classify_kind(),
                    e.line(),
                    e.column()
                ),
            )
        })?;
        if parsed.access_token.is_empty() {
            return Err(auth_error(
                Some(status),
                None,
                "the token endpoint returned an empty access_token".into(),
            ));
        }
        let renew_at = parsed.expires_in.map(|secs| {
            let lifetime = Duration::from_secs(secs);
            let margin = MAX_REFRESH_MARGIN.min(lifetime / 10);
            started + lifetime.saturating_sub(margin)
        });
        Ok(CachedToken {
            value: Secret(parsed.access_token),
            renew_at,
        })
    }
}

trait ClassifyKind {
    fn classify_kind(&self) -> &'static str;
}

impl ClassifyKind for serde_json::Error {
    fn classify_kind(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected JSON shape",
            serde_json::error::Category::Eof => "truncated JSON",
        }
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn auth_error(status: Option<u16>, code: Option<String>, message: String) -> Error {
    Error::Auth(Box::new(AuthError {
        message,
        status,
        error_code: code,
    }))
}

/// Turns a non-2xx token endpoint answer into [`Error::Auth`], keeping the
/// OAuth `error` code and description (RFC 6749 §5.2) and nothing else.
fn token_endpoint_error(status: u16, body: &[u8]) -> Error {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        #[serde(default)]
        error: Option<String>,
        #[serde(default)]
        error_description: Option<String>,
        #[serde(default)]
        description: Option<String>,
    }
    let parsed = serde_json::from_slice::<OAuthError>(body).ok();
    let code = parsed.as_ref().and_then(|p| p.error.clone());
    let description = parsed
        .and_then(|p| p.error_description.or(p.description))
        .map(|d| d.chars().take(200).collect::<String>());
    let message = match (&code, description) {
        (_, Some(d)) => format!("the token endpoint refused the client credentials: {d}"),
        (Some(_), None) => "the token endpoint refused the client credentials".to_owned(),
        (None, None) => format!("the token endpoint answered HTTP {status}"),
    };
    auth_error(Some(status), code, message)
}

/// A copy of a fetch failure for the threads that waited on it.
fn copy_error(e: &Error) -> Error {
    match e {
        Error::Auth(a) => Error::Auth(a.clone()),
        Error::Http(h) => Error::Http(h.clone()),
        Error::Decode(d) => Error::Decode(d.clone()),
        Error::Transport(t) | Error::Timeout(t) => {
            let copy = Box::new(TransportError {
                operation: t.operation,
                message: t.message.clone(),
                source: None,
                attempts: t.attempts,
            });
            if matches!(e, Error::Timeout(_)) {
                Error::Timeout(copy)
            } else {
                Error::Transport(copy)
            }
        }
        Error::InvalidInput { operation, message } => Error::InvalidInput {
            operation,
            message: message.clone(),
        },
        Error::Sync(s) => Error::Sync(s.clone()),
    }
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP Basic credentials.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn token_errors_keep_the_oauth_code_only() {
        let e = token_endpoint_error(
            401,
            br#"{"error":"invalid_client","error_description":"client not found"}"#,
        );
        assert_eq!(e.status(), Some(401));
        assert_eq!(
            e.to_string(),
            "authentication failed (HTTP 401, invalid_client): the token endpoint refused the client credentials: client not found"
        );
        let e = token_endpoint_error(502, b"<html>bad gateway</html>");
        assert_eq!(
            e.to_string(),
            "authentication failed (HTTP 502): the token endpoint answered HTTP 502"
        );
    }
}
