//! What the runtime tells `tracing` about each call, and the redaction of
//! bodies for callers who opt into body logging.
//!
//! Every attempt runs in a `scim.request` span (level DEBUG) and ends with
//! one DEBUG event carrying the operation id, method, path *template*, attempt
//! number, status, duration and correlation id. Retries are announced with an
//! INFO event. Header values, query strings, filled-in paths and bodies are
//! never logged, except bodies with
//! [`ClientBuilder::log_bodies`](crate::ClientBuilder::log_bodies), and then
//! only JSON bodies, with secrets replaced.

use serde_json::Value;

/// Longest body text put in one log event, in bytes.
const LOGGED_BODY_LIMIT: usize = 4096;

/// What replaces a sensitive value.
const REDACTED: &str = "<redacted>";

/// Whether a JSON key names something that must not be logged: passwords,
/// secrets, tokens, credentials and authorization values, in any spelling
/// (`password`, `client_secret`, `access_token`, `refreshToken`, …).
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "authorization",
        "credential",
        "apikey",
        "api_key",
    ]
    .iter()
    .any(|s| k.contains(s))
}

/// A JSON body as loggable text with every sensitive value replaced, cut to
/// a few kilobytes. A body that is not JSON is not shown at all: it cannot be
/// redacted reliably.
pub(crate) fn redact_body(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else {
        return format!("<{} bytes, not JSON: not logged>", body.len());
    };
    redact_value(&mut value);
    let mut text = value.to_string();
    if text.len() > LOGGED_BODY_LIMIT {
        let mut cut = LOGGED_BODY_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_sensitive_key(k) {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_value(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_at_any_depth() {
        let body = br#"{"userName":"jane","password":"hunter2","nested":[{"access_token":"abc","Client_Secret":"s3"}],"refreshToken":"r"}"#;
        let out = redact_body(body);
        for secret in ["hunter2", "abc", "s3", "\"r\""] {
            assert!(!out.contains(secret), "{out}");
        }
        assert!(out.contains("jane"));
        assert!(out.contains(REDACTED));
    }

    #[test]
    fn non_json_is_not_logged() {
        assert_eq!(
            redact_body(b"grant_type=client_credentials&password=x"),
            "<40 bytes, not JSON: not logged>"
        );
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = serde_json::json!({ "x": "é".repeat(5000) }).to_string();
        assert!(redact_body(body.as_bytes()).len() <= LOGGED_BODY_LIMIT + 3);
    }
}
