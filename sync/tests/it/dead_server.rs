//! A server that dies mid-apply stops the run: after a short burst of
//! connection failures apply sends no more and returns a connection error
//! saying what was done and what was not.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::start;
use scim_sync::{ApplyOptions, DesiredUser, Error, Memberships, Scope};

#[test]
fn a_server_that_dies_mid_apply_stops_the_run_with_a_connection_error() {
    let (server, client) = start();
    let feed: Vec<DesiredUser> = (0..60)
        .map(|i| {
            DesiredUser::new(
                ScimV2User::new()
                    .with_user_name(format!("p{i}@x.test"))
                    .with_display_name(format!("p{i}"))
                    .with_external_id(format!("E-{i}")),
            )
        })
        .collect();
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    let (ten_done, dying) = mpsc::channel();
    // Paced, so that the run is still going when the server dies.
    let options = ApplyOptions::default()
        .workers(4)
        .rate_limit(Some(scim_sdk::RateLimit::per_minute(1200)))
        .on_progress(move |p| {
            if p.done == 10 {
                let _ = ten_done.send(());
            }
        });
    let applying = client.clone();
    let (result_tx, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = result_tx.send(scim_sync::apply(&applying, &plan, &options));
    });
    dying
        .recv_timeout(Duration::from_secs(60))
        .expect("ten items done");
    drop(server);
    let died = Instant::now();
    let sent_before = client.requests_sent();

    let outcome = result
        .recv_timeout(Duration::from_secs(60))
        .expect("apply returns");

    let stopped_after = died.elapsed();
    let err = outcome.expect_err("a dead server is an error, not a report");
    assert!(err.is_connection(), "{err:?}");
    let Error::Interrupted(stopped) = &err else {
        panic!("not an interruption: {err:?}")
    };
    let report = &stopped.report;
    let done = report.summary.created;
    assert!(done >= 10, "{report:?}");
    assert_eq!(
        done + report.failed + stopped.not_done.len(),
        60,
        "every item is done, failed or listed as not done: {err}"
    );
    assert!(!stopped.not_done.is_empty(), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("re-run") && text.contains("not done"),
        "{text}"
    );
    assert!(
        stopped_after < Duration::from_secs(20),
        "stopped {stopped_after:?} after the server died"
    );
    let sent_after = client.requests_sent() - sent_before;
    assert!(
        sent_after < 40,
        "stopped sending: {sent_after} requests after the server died"
    );
}
