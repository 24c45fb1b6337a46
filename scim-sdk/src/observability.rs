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
use std::time::Duration;

/// Longest body text put in one log event, in bytes.
const LOGGED_BODY_LIMIT: usize = 4096;

/// What replaces a sensitive value.
const REDACTED: &str = "<redacted>";

/// A wait at least this long is a WARN event with its cause, whether the
/// retry loop or the pacer holds the request back: long enough for a person
/// watching a run to wonder why it stopped moving.
pub(crate) const LONG_PAUSE: Duration = Duration::from_secs(3);

/// A duration as the whole milliseconds of a `*_ms` event field.
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

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

/// Whether a SCIM attribute path (`password`,
/// `urn:…:User:password`, `emails[type eq "work"].value`) names a sensitive
/// attribute. Filters in brackets are left out: they hold values, not names.
fn is_sensitive_path(path: &str) -> bool {
    let mut names = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => names.push(c),
            _ => {}
        }
    }
    is_sensitive_key(&names)
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // A PATCH operation names its attribute in `path` and carries it
            // in `value`: `{"op":"replace","path":"password","value":"…"}`.
            let sensitive_path = map
                .get("path")
                .and_then(Value::as_str)
                .is_some_and(is_sensitive_path);
            for (k, v) in map.iter_mut() {
                if is_sensitive_key(k) || (sensitive_path && k == "value") {
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
    fn patch_values_are_redacted_when_the_path_is_sensitive() {
        let body = br#"{"Operations":[
            {"op":"replace","path":"password","value":"hunter2"},
            {"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:password","value":"s3"},
            {"op":"add","value":{"password":"s4","title":"Lead"}},
            {"op":"replace","path":"emails[value eq \"token@x.org\"].primary","value":true},
            {"op":"replace","path":"title","value":"Agent"}]}"#;
        let out = redact_body(body);
        for secret in ["hunter2", "s3", "s4"] {
            assert!(!out.contains(secret), "{out}");
        }
        for kept in ["Lead", "Agent", "true"] {
            assert!(out.contains(kept), "{out}");
        }
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
