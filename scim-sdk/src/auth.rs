//! Credentials: a fixed bearer token, or OAuth client credentials with a
//! shared, single-flight token cache.

use crate::Error;
use crate::dispatch::{Exchange, dispatch};
use crate::error::{AuthError, CODE_LIMIT, TransportError, sanitize};
use crate::observability::millis;
use crate::secret::Secret;
use base64::Engine as _;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Operation name used in errors and traces of token requests.
pub(crate) const TOKEN_OPERATION: &str = "oauthToken";

/// Largest token endpoint answer read, in bytes.
const TOKEN_BODY_LIMIT: u64 = 64 * 1024;

/// Longest time before expiry at which a cached token is renewed; a token
/// living less than twice this is renewed halfway through its life.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Longest lifetime believed from `expires_in`. Genesys issues tokens for at
/// most 48 hours; anything longer is a broken or hostile answer.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(48 * 60 * 60);

/// Wait before trying again after a failed renewal (or half the time left).
const RENEWAL_RETRY: Duration = Duration::from_secs(5);

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
    /// The client's per-attempt time limit, for each token request.
    time_limit: Duration,
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
    /// When to fetch a successor; `None` when the endpoint gave no lifetime.
    renew_at: Option<Instant>,
    /// When the token stops being sent at all.
    expires_at: Option<Instant>,
}

impl CachedToken {
    /// A token fetched at `started` that lives `expires_in` seconds, capped
    /// at [`MAX_TOKEN_LIFETIME`] so that no answer can overflow the clock.
    fn new(value: Secret, started: Instant, expires_in: Option<u64>) -> Self {
        let Some(secs) = expires_in else {
            return Self {
                value,
                renew_at: None,
                expires_at: None,
            };
        };
        let lifetime = Duration::from_secs(secs).min(MAX_TOKEN_LIFETIME);
        let margin = MAX_REFRESH_MARGIN.min(lifetime / 2);
        Self {
            value,
            renew_at: started.checked_add(lifetime - margin),
            expires_at: started.checked_add(lifetime),
        }
    }

    fn is_due(&self, now: Instant) -> bool {
        self.renew_at.is_some_and(|at| now >= at)
    }

    fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// After a failed renewal: try again soon, but not on every call.
    fn postpone_renewal(&mut self, now: Instant) {
        let left = self
            .expires_at
            .map_or(RENEWAL_RETRY, |at| at.saturating_duration_since(now));
        self.renew_at = now.checked_add(RENEWAL_RETRY.min(left / 2));
    }
}

impl TokenSource {
    pub(crate) fn new(
        client_id: String,
        client_secret: Secret,
        token_url: String,
        time_limit: Duration,
    ) -> Self {
        Self {
            client_id,
            client_secret,
            token_url,
            time_limit,
            state: Mutex::new(TokenState::default()),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, TokenState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The token to send: the cached one while it is fresh, else one fetch
    /// shared by every caller that arrives meanwhile.
    fn token(&self, agent: &ureq::Agent, refused: Option<&Secret>) -> Result<Secret, Error> {
        let mut state = self.lock();
        // The API refused this token: it is never sent again.
        if let Some(refused) = refused
            && state.token.as_ref().is_some_and(|t| t.value == *refused)
        {
            state.token = None;
        }
        loop {
            let now = Instant::now();
            if state.token.as_ref().is_some_and(|t| t.is_expired(now)) {
                state.token = None;
            }
            if let Some(t) = &state.token
                && !t.is_due(now)
            {
                return Ok(t.value.clone());
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
                // A fetch finished while we waited: share its outcome, even a
                // token that is already due, rather than fetch again.
                match (&state.token, &state.last_failure) {
                    (Some(t), _) => return Ok(t.value.clone()),
                    (None, Some(e)) => return Err(copy_error(e)),
                    (None, None) => {}
                }
            }
        }
        state.fetching = true;
        drop(state);

        let mut guard = FetchGuard {
            source: self,
            finished: false,
        };
        let result = self.fetch(agent);
        let token = self.finish_fetch(result);
        guard.finished = true;
        token
    }

    /// Stores the outcome of a fetch and wakes the waiters. When the fetch
    /// failed but the current token has not expired, that token stays in use:
    /// one failed renewal must not fail every caller.
    fn finish_fetch(&self, result: Result<CachedToken, Error>) -> Result<Secret, Error> {
        let mut state = self.lock();
        state.fetching = false;
        state.generation = state.generation.wrapping_add(1);
        self.changed.notify_all();
        let now = Instant::now();
        let error = match result {
            Ok(token) => {
                let value = token.value.clone();
                state.token = Some(token);
                state.last_failure = None;
                return Ok(value);
            }
            Err(error) => error,
        };
        match &mut state.token {
            Some(current) if !current.is_expired(now) => {
                current.postpone_renewal(now);
                tracing::warn!(
                    operation = TOKEN_OPERATION,
                    error = %error,
                    "renewing the access token failed; the current one is still valid and stays in use"
                );
                let value = current.value.clone();
                state.last_failure = None;
                Ok(value)
            }
            _ => {
                state.token = None;
                let copy = copy_error(&error);
                state.last_failure = Some(error);
                Err(copy)
            }
        }
    }

    /// One POST to the token endpoint.
    fn fetch(&self, agent: &ureq::Agent) -> Result<CachedToken, Error> {
        let started = Instant::now();
        let exchange = Exchange {
            operation: TOKEN_OPERATION,
            method: "POST",
            url: &self.token_url,
            accept: "application/json",
            authorization: &self.basic_authorization(),
            headers: &[],
            body: Some((
                b"grant_type=client_credentials",
                "application/x-www-form-urlencoded",
            )),
            body_limit: TOKEN_BODY_LIMIT,
            time_limit: self.time_limit,
        };
        let answer = dispatch(agent, &exchange);
        match &answer {
            Ok(a) => tracing::debug!(
                operation = TOKEN_OPERATION,
                method = "POST",
                status = a.status(),
                duration_ms = millis(started.elapsed()),
                "token request finished"
            ),
            Err(e) => tracing::debug!(
                operation = TOKEN_OPERATION,
                duration_ms = millis(started.elapsed()),
                error = %e,
                "token request failed"
            ),
        }
        let answer = answer?;
        let status = answer.status();
        // The answer holds the token: wiped once parsed.
        let body = Zeroizing::new(answer.into_body());
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
        Ok(CachedToken::new(
            Secret::new(parsed.access_token),
            started,
            parsed.expires_in,
        ))
    }

    /// `Basic base64(client_id:client_secret)`, sent raw as the official
    /// SDKs do (not form-encoded first), wiped after use.
    fn basic_authorization(&self) -> Zeroizing<String> {
        let pair = Zeroizing::new(format!(
            "{}:{}",
            self.client_id,
            self.client_secret.expose()
        ));
        let mut value = Zeroizing::new(String::from("Basic "));
        base64::engine::general_purpose::STANDARD.encode_string(pair.as_bytes(), &mut value);
        value
    }
}

/// Resets `fetching` if the fetch panics, so that waiters never hang.
struct FetchGuard<'a> {
    source: &'a TokenSource,
    finished: bool,
}

impl Drop for FetchGuard<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let mut state = self.source.lock();
            state.fetching = false;
            state.generation = state.generation.wrapping_add(1);
            state.last_failure = None;
            self.source.changed.notify_all();
        }
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
    // Both reach log lines, and the code is meant as a metric label.
    let code = parsed
        .as_ref()
        .and_then(|p| p.error.as_deref())
        .map(|c| sanitize(c, CODE_LIMIT));
    let description = parsed
        .and_then(|p| p.error_description.or(p.description))
        .map(|d| sanitize(&d, 200));
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
                may_have_been_applied: t.may_have_been_applied,
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
        Error::TooManyResults {
            operation,
            limit,
            claimed,
        } => Error::TooManyResults {
            operation,
            limit: *limit,
            claimed: *claimed,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_the_raw_pair_in_base64() {
        let source = TokenSource::new(
            "my-client".into(),
            Secret::new("s3cr3t-value".into()),
            "https://login.example/oauth/token".into(),
            Duration::from_secs(1),
        );
        assert_eq!(
            source.basic_authorization().as_str(),
            "Basic bXktY2xpZW50OnMzY3IzdC12YWx1ZQ=="
        );
    }

    #[test]
    fn any_lifetime_is_capped_without_overflow() {
        let now = Instant::now();
        let t = CachedToken::new(Secret::new("t".into()), now, Some(u64::MAX));
        assert_eq!(t.expires_at, now.checked_add(MAX_TOKEN_LIFETIME));
        assert_eq!(
            t.renew_at,
            now.checked_add(MAX_TOKEN_LIFETIME - MAX_REFRESH_MARGIN)
        );
        let short = CachedToken::new(Secret::new("t".into()), now, Some(2));
        assert_eq!(short.renew_at, now.checked_add(Duration::from_secs(1)));
        assert!(!short.is_due(now) && !short.is_expired(now));
        let forever = CachedToken::new(Secret::new("t".into()), now, None);
        assert!(!forever.is_due(now + MAX_TOKEN_LIFETIME));
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
