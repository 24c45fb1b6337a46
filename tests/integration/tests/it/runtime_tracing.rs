//! What the client reports through `tracing`, captured with a fmt subscriber:
//! one event per attempt with the operation, method, path template, attempt,
//! status, duration and correlation id, and never a secret, a token, a
//! header value or (unless asked) a body.
//!
//! Kept to one test per module, because the subscriber is installed for the
//! current thread only.

use scim_sdk::Client;
use scim_sdk::models::ScimV2CreateUser;
use scim_sdk_integration_tests::MockServer;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

/// Captures at TRACE with the README's filter, which keeps ureq's own
/// TRACE dumps out: other tests in this binary bridge `log` into `tracing`,
/// and what is checked here is what the SDK itself logs.
fn captured(run: impl FnOnce()) -> String {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let capture = Capture::default();
    let writer = capture.clone();
    let filter = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target("ureq_proto", LevelFilter::DEBUG)
        .with_target("ureq", LevelFilter::DEBUG);
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(move || writer.clone()))
        .with(filter);
    tracing::subscriber::with_default(subscriber, run);
    capture.text()
}

const SECRET: &str = "client-secret-xyz";
const NEVER_LOGGED: &[&str] = &[
    SECRET,
    "tok-first-AAA",
    "tok-second-BBB",
    "hunter2-password",
    "leaked-access-token",
    "Basic ",
    "Bearer ",
];

#[test]
fn attempts_are_traced_without_secrets() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(
        200,
        &json!({"access_token": "tok-first-AAA", "expires_in": 3600}),
    );
    login.respond_json(
        200,
        &json!({"access_token": "tok-second-BBB", "expires_in": 3600}),
    );
    // The second client has its own cache.
    login.respond_json(
        200,
        &json!({"access_token": "tok-first-AAA", "expires_in": 3600}),
    );
    api.respond(401, &[("ININ-Correlation-Id", "corr-401")], "");
    api.respond(
        201,
        &[("ININ-Correlation-Id", "corr-201"), ("Content-Type", "application/scim+json")],
        json!({"id": "user-id-9f8e", "userName": "jane@example.com", "password": "hunter2-password",
               "extra": {"access_token": "leaked-access-token"}})
        .to_string(),
    );
    api.respond_json(
        200,
        &json!({"id": "user-id-9f8e", "userName": "jane@example.com"}),
    );
    api.respond_json(
        200,
        &json!({"id": "user-id-9f8e", "userName": "jane@example.com"}),
    );

    let builder = Client::builder()
        .base_url(api.url())
        .token_url(format!("{}/oauth/token", login.url()))
        .client_credentials("client-id", SECRET);
    let with_bodies = builder.clone().log_bodies(true).build().expect("client");
    let quiet = builder.build().expect("client");

    let logs = captured(|| {
        let mut user = ScimV2CreateUser::new("jane@example.com", "Jane");
        user.password = Some("hunter2-password".into());
        with_bodies
            .post_scim_v2_users(user)
            .send()
            .expect("created after a token refresh");
        with_bodies
            .get_scim_v2_user("user-id-9f8e")
            .send()
            .expect("get");
    });

    for needle in NEVER_LOGGED {
        assert!(!logs.contains(needle), "`{needle}` was logged:\n{logs}");
    }
    // One event per attempt, with the fields promised.
    for needle in [
        "operation=\"postScimV2Users\"",
        "method=\"POST\"",
        "path=\"/api/v2/scim/v2/users\"",
        "path=\"/api/v2/scim/v2/users/{userId}\"",
        "attempt=1",
        "attempt=2",
        "status=401",
        "status=201",
        "correlation_id=\"corr-401\"",
        "correlation_id=\"corr-201\"",
        "duration_ms=",
        "token request finished",
        "<redacted>",
    ] {
        assert!(logs.contains(needle), "`{needle}` missing from:\n{logs}");
    }
    assert_eq!(logs.matches("SCIM request finished").count(), 3, "{logs}");
    // Opted-in body logging shows the non-sensitive parts.
    assert!(logs.contains("jane@example.com"), "{logs}");

    let logs = captured(|| {
        quiet.get_scim_v2_user("user-id-9f8e").send().expect("get");
    });
    assert!(logs.contains("SCIM request finished"), "{logs}");
    assert!(
        !logs.contains("jane@example.com"),
        "bodies are off by default:\n{logs}"
    );
    assert!(
        !logs.contains("user-id-9f8e"),
        "the filled-in path is never logged:\n{logs}"
    );
    for needle in NEVER_LOGGED {
        assert!(!logs.contains(needle), "`{needle}` was logged:\n{logs}");
    }
}

#[test]
fn a_long_pause_and_a_tiny_announced_limit_are_warnings() {
    let api = MockServer::start();
    api.respond(
        200,
        &[
            ("Content-Type", "application/scim+json"),
            ("inin-ratelimit-allowed", "1"),
            ("inin-ratelimit-count", "1"),
            // A minute's window: a pause is never longer than the window.
            ("inin-ratelimit-reset", "60"),
        ],
        json!({"id": "u1"}).to_string(),
    );
    api.respond(429, &[("Retry-After", "30")], "");
    let paced = api
        .client()
        .with_rate_limit(scim_sdk::RateLimit::per_minute(6000));
    let logs = captured(|| {
        paced.get_scim_v2_user("u1").send().expect("answer");
        paced.get_scim_v2_user("u1").send().expect_err("429");
    });
    let warnings: Vec<&str> = logs.lines().filter(|l| l.contains(" WARN ")).collect();
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("Retry-After") && l.contains("30")),
        "{logs}"
    );
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("inin-ratelimit-allowed")),
        "{logs}"
    );
}
