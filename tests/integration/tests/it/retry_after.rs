//! `Retry-After`, all in one place (its parsing is unit-tested with the
//! answer type in `scim-sdk/src/response.rs`, the bucket's rules in
//! `rate_limit.rs`). End to end: how the retry loop and the pacer read it
//! (seconds or an HTTP date), what the error reports, and that a hostile
//! value can hold a client and its clones back for no longer than the
//! retry budget.
//!
//! Only lower bounds on time are asserted as such; an upper bound appears
//! only as a generous timeout standing in for "does not hang".

use scim_sdk::{Client, Error, RateLimit, RetryPolicy};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

const SCIM_JSON: (&str, &str) = ("Content-Type", "application/scim+json");

fn user() -> String {
    json!({"id": "u1", "userName": "jane@example.com"}).to_string()
}

fn http_date_in(secs: u64) -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs))
}

/// Runs one GET on another thread; `None` when it has not come back after
/// `patience` (the thread is left behind, asleep).
fn get_within(client: &Client, patience: Duration) -> Option<(Result<(), Error>, Duration)> {
    let client = client.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let got = client.get_scim_v2_user("u1").send().map(|_| ());
        let _ = tx.send((got, started.elapsed()));
    });
    rx.recv_timeout(patience).ok()
}

#[test]
fn a_hostile_retry_after_holds_the_client_and_its_clones_back_only_for_the_budget() {
    let server = MockServer::start();
    server.respond(429, &[("Retry-After", "3600")], "");
    server.respond_by_default(200, &[SCIM_JSON], user());
    let budget = Duration::from_secs(1);
    let client = Client::builder()
        .base_url(server.url())
        .bearer("t")
        .retry(RetryPolicy::default().max_total_wait(budget))
        .rate_limit(RateLimit::per_minute(6000))
        .build()
        .expect("client");

    let refused = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("an hour is beyond the budget");
    assert_eq!(refused.status(), Some(429));
    assert_eq!(server.request_count(), 1, "no early retry");

    let (got, waited) = get_within(&client.clone(), Duration::from_secs(30))
        .expect("a clone's next call came back instead of waiting an hour");
    got.expect("the clone's call succeeds");
    assert!(waited >= budget - Duration::from_millis(100), "{waited:?}");
    let (got, _) = get_within(&client, Duration::from_secs(30)).expect("the client keeps working");
    got.expect("and its call succeeds");
    assert_eq!(server.request_count(), 3);
}

#[test]
fn retry_after_on_a_success_is_ignored() {
    let server = MockServer::start();
    server.respond(200, &[SCIM_JSON, ("Retry-After", "3600")], user());
    server.respond_by_default(200, &[SCIM_JSON], user());
    let paced = server.client().with_rate_limit(RateLimit::per_minute(6000));
    paced.get_scim_v2_user("u1").send().expect("first answer");
    let (got, _) =
        get_within(&paced, Duration::from_secs(20)).expect("the next call is not held back");
    got.expect("answer");
}

#[test]
fn the_pacer_reads_an_http_date_retry_after() {
    let server = MockServer::start();
    let date = http_date_in(3);
    server.respond(429, &[("Retry-After", date.as_str())], "");
    server.respond_by_default(200, &[SCIM_JSON], user());
    let paced = server.client().with_rate_limit(RateLimit::per_minute(6000));
    let refused = paced.get_scim_v2_user("u1").send().expect_err("429");
    assert_eq!(refused.status(), Some(429));
    let after_429 = Instant::now();
    paced.get_scim_v2_user("u1").send().expect("answer");
    // The date is whole seconds, so the pause is at least two of the three.
    assert!(
        after_429.elapsed() >= Duration::from_millis(1900),
        "{:?} for {date}",
        after_429.elapsed()
    );
}

/// A client with a 30 s retry budget and quick backoffs.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer("t")
        .retry(
            RetryPolicy::default()
                .base_backoff(Duration::from_millis(5))
                .max_total_wait(Duration::from_secs(30)),
        )
        .build()
        .expect("client")
}

fn retry_after(err: &Error) -> Option<u64> {
    match err {
        Error::Http(h) => h.retry_after,
        _ => None,
    }
}

#[test]
fn a_503_retry_after_beyond_the_budget_is_honoured_not_ignored() {
    let server = MockServer::start();
    server.respond(503, &[("Retry-After", "120")], "maintenance");
    server.respond(200, &[], r#"{"id":"u1"}"#);
    let err = client(&server)
        .get_scim_v2_user("u1")
        .send()
        .expect_err("the server asked for two minutes");
    assert_eq!(server.request_count(), 1, "no early retry");
    assert_eq!(err.status(), Some(503));
    assert_eq!(retry_after(&err), Some(120));
}

#[test]
fn an_http_date_retry_after_is_understood() {
    let server = MockServer::start();
    let date = http_date_in(3600);
    server.respond(429, &[("Retry-After", date.as_str())], "");
    server.respond(200, &[], r#"{"id":"u1"}"#);
    let err = client(&server)
        .get_scim_v2_user("u1")
        .send()
        .expect_err("an hour is beyond the budget");
    assert_eq!(server.request_count(), 1, "{date}");
    let secs = retry_after(&err).expect("parsed");
    assert!((3590..=3601).contains(&secs), "{secs} s for {date}");
}

#[test]
fn a_503_with_a_short_retry_after_is_retried() {
    let server = MockServer::start();
    server.respond(503, &[("Retry-After", "0")], "");
    server.respond(
        200,
        &[("Content-Type", "application/scim+json")],
        r#"{"id":"u1"}"#,
    );
    let user = client(&server)
        .get_scim_v2_user("u1")
        .send()
        .expect("retried");
    assert_eq!(user.id.as_deref(), Some("u1"));
    assert_eq!(server.request_count(), 2);
}

#[test]
fn a_429_keeps_retry_after() {
    let server = MockServer::start();
    server.respond(429, &[("Retry-After", "7")], "");
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("429");
    let Error::Http(h) = &err else {
        panic!("expected Error::Http, got {err:?}")
    };
    assert_eq!(h.retry_after, Some(7));
    assert_eq!(err.to_string(), "getScimV2User: HTTP 429 (retry after 7 s)");
}

#[test]
fn a_429_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start();
    server.respond(429, &[("Retry-After", "1")], "slow down");
    server.respond(200, &[SCIM_JSON], user());
    let client = client(&server);

    let started = Instant::now();
    let got = client
        .get_scim_v2_user("u1")
        .send()
        .expect("success after retry");
    let elapsed = started.elapsed();

    assert_eq!(got.user_name.as_deref(), Some("jane@example.com"));
    assert_eq!(server.request_count(), 2);
    assert!(
        elapsed >= Duration::from_millis(950) && elapsed < Duration::from_millis(2500),
        "waited {elapsed:?} for Retry-After: 1"
    );
}

#[test]
fn a_retry_after_beyond_the_total_wait_ends_the_retries() {
    let server = MockServer::start();
    server.respond(429, &[("Retry-After", "120")], "");
    server.respond(200, &[SCIM_JSON], user());
    let client = client(&server);

    let started = Instant::now();
    let err = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("not worth waiting");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.request_count(), 1);
    match &err {
        Error::Http(h) => assert_eq!(h.retry_after, Some(120)),
        other => panic!("expected Error::Http, got {other:?}"),
    }
    assert!(err.to_string().contains("retry after 120 s"), "{err}");
}

#[test]
fn retry_after_holds_back_every_clone() {
    let server = MockServer::start();
    server.respond(429, &[("Retry-After", "1")], "slow down");
    server.respond_by_default(200, &[("Content-Type", "application/scim+json")], user());
    let paced = server.client().with_rate_limit(RateLimit::per_minute(6000));
    let other_clone = paced.clone();
    // A client with its own retry policy shares the pacing too.
    let once = paced.with_retry_policy(RetryPolicy::disabled());

    let refused = once
        .get_scim_v2_user("u1")
        .send()
        .expect_err("429 is not retried here");
    assert_eq!(refused.status(), Some(429));
    let after_429 = Instant::now();
    other_clone
        .get_scim_v2_user("u1")
        .send()
        .expect("answer after the pause");
    assert!(
        after_429.elapsed() >= Duration::from_millis(900),
        "{:?}",
        after_429.elapsed()
    );
    assert_eq!(server.request_count(), 2);
}
