//! One retry budget per item: an item's sends are bounded by the client's
//! retry policy however the failures come, a `Retry-After` past the budget
//! fails the item at once instead of stalling the run (whatever its value),
//! and a run whose writes are refused one after another alike stops.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use scim_fake::{FakeServer, Fault, Match};
use scim_sdk::models::ScimV2User;
use scim_sdk::{Client, RateLimit, RetryPolicy};
use scim_sdk_integration_tests::fake::{seed, writes};
use scim_sync::{ApplyOptions, DesiredUser, Memberships, Plan, Report, Scope};
use serde_json::json;

/// A fake and a client whose retry policy waits little, so that a budget
/// of four attempts is spent quickly.
fn start() -> (FakeServer, Client) {
    let server = FakeServer::start().expect("start the fake");
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .retry(
            RetryPolicy::default()
                .base_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(50)),
        )
        .build()
        .expect("client");
    (server, client)
}

fn agent(i: usize) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(format!("p{i}@x.test"))
            .with_display_name(format!("p{i}"))
            .with_external_id(format!("E-{i}"))
            .with_title("Lead"),
    )
}

/// The plan promoting `n` seeded agents.
fn promotions(server: &FakeServer, client: &Client, n: usize) -> Plan {
    for i in 0..n {
        seed(
            server,
            json!({"userName": format!("p{i}@x.test"), "displayName": format!("p{i}"),
                   "externalId": format!("E-{i}"), "title": "Agent"}),
        );
    }
    let feed: Vec<DesiredUser> = (0..n).map(agent).collect();
    let plan = scim_sync::plan(client, &feed, &Memberships::new(), &Scope::ExternalId);
    let plan = plan.expect("plan");
    assert_eq!(plan.updates.len(), n);
    plan
}

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None).workers(2)
}

/// Applies on another thread: a run that stalls or panics shows as such
/// within `limit` instead of holding the test.
fn apply_within(client: &Client, plan: Plan, limit: Duration) -> (Report, Duration) {
    apply_with(client, plan, options(), limit)
}

fn apply_with(
    client: &Client,
    plan: Plan,
    options: ApplyOptions,
    limit: Duration,
) -> (Report, Duration) {
    let (tx, rx) = mpsc::channel();
    let client = client.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            scim_sync::apply(&client, &plan, &options)
        }));
        let _ = tx.send(outcome.map_err(|_| "apply panicked"));
    });
    let report = rx
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("apply still running after {limit:?}"))
        .expect("apply returns instead of panicking")
        .expect("apply");
    (report, started.elapsed())
}

#[test]
fn an_item_failing_with_503_forever_is_sent_at_most_max_attempts_times() {
    let (server, client) = start();
    let plan = promotions(&server, &client, 1);
    server.inject_on(Match::method("PATCH"), Fault::status(503).times(1000));
    server.clear_journal();

    let (report, _) = apply_within(&client, plan, Duration::from_secs(60));

    assert_eq!(report.failed, 1, "{report:?}");
    let patches = writes(&server).len();
    assert_eq!(
        patches, 4,
        "the client's max_attempts (4), SDK retries included"
    );
    let error = &report.failures[0].error;
    assert_eq!(error.status, Some(503), "{error:?}");
    assert!(error.retryable && error.may_have_been_applied, "{error:?}");
    assert!(error.to_string().contains("tried 4 times"), "{error}");
}

#[test]
fn a_retry_after_of_an_hour_fails_the_item_at_once_and_the_rest_is_applied() {
    let (server, client) = start();
    let plan = promotions(&server, &client, 3);
    server.inject_on(Match::method("PATCH"), Fault::status(429).retry_after(3600));

    let (report, took) = apply_within(&client, plan, Duration::from_secs(90));

    assert!(took < Duration::from_secs(30), "done in {took:?}");
    assert_eq!(
        (report.summary.updated, report.failed),
        (2, 1),
        "{report:?}"
    );
    let error = &report.failures[0].error;
    assert_eq!(
        error.retry_after,
        Some(Duration::from_secs(3600)),
        "{error:?}"
    );
    assert!(error.retryable, "{error:?}");
    assert!(error.to_string().contains("retry budget"), "{error}");
}

#[test]
fn a_retry_after_of_u64_max_fails_the_item_without_a_panic() {
    let (server, client) = start();
    let plan = promotions(&server, &client, 2);
    server.inject_on(
        Match::method("PATCH"),
        Fault::status(429).retry_after(u64::MAX),
    );
    // Paced, so that the client's pacer meets it too (a window of a second
    // bounds its pause).
    let paced = options().rate_limit(Some(RateLimit::new(1000, Duration::from_secs(1))));

    let (report, _) = apply_with(&client, plan, paced, Duration::from_secs(60));

    assert_eq!(
        (report.summary.updated, report.failed),
        (1, 1),
        "{report:?}"
    );
    assert_eq!(report.failures[0].error.status, Some(429));
}

#[test]
fn a_403_on_every_write_stops_the_run_after_ten_items_and_says_why_once() {
    let (server, client) = start();
    let plan = promotions(&server, &client, 30);
    server.inject_on(Match::method("PATCH"), Fault::status(403).times(1000));
    server.clear_journal();

    let (report, _) = apply_within(&client, plan, Duration::from_secs(60));

    let sent = writes(&server).len();
    assert!((10..=11).contains(&sent), "{sent} PATCHes: {report:?}");
    assert_eq!(report.failed, sent, "{report:?}");
    assert_eq!(report.failed + report.not_started.len(), 30, "{report:?}");
    let stopped = report
        .stopped
        .as_ref()
        .expect("the run says why it stopped");
    assert_eq!(stopped.status, Some(403));
    let text = report.to_string();
    assert_eq!(text.matches("stopped:").count(), 1, "{text}");
    assert!(text.contains("not started: "), "{text}");
}
