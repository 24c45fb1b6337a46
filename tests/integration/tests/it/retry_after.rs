//! `Retry-After` end to end: how the retry loop and the pacer read it
//! (seconds or an HTTP date), what the error reports, and that a hostile
//! value can hold a client back for no longer than its budget.
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
