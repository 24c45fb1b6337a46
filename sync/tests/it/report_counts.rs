//! What an operator reads in a report: the requests by outcome (429s and
//! retries included), the items tried again, and a refusal by the guard
//! that says so beside the SDK's own predicates.

use scim_fake::Fault;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{ApplyOptions, DesiredUser, Memberships, Scope};
use serde_json::json;

fn person(i: usize) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(format!("p{i}@x.test"))
            .with_display_name(format!("p{i}"))
            .with_external_id(format!("E-{i}")),
    )
}

#[test]
fn the_report_counts_requests_by_outcome_with_429s_retries_and_items_tried_again() {
    let (server, client) = start();
    let feed: Vec<DesiredUser> = (0..3).map(person).collect();
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    // Two 429s and a 503: the engine sends each request once and tries
    // the item again when due.
    server.inject(Fault::Status {
        status: 429,
        retry_after: Some(0),
        count: 2,
    });
    server.inject(Fault::Status {
        status: 503,
        retry_after: Some(0),
        count: 1,
    });

    let options = ApplyOptions::default().rate_limit(None).workers(1);
    let report = scim_sync::apply(&client, &plan, &options).expect("apply");

    assert_eq!(
        (report.summary.created, report.failed),
        (3, 0),
        "{report:?}"
    );
    let r = report.requests_by_outcome;
    assert_eq!(r.sent, 8, "the plan's two reads and six writes: {r:?}");
    assert_eq!(r.sent, report.requests);
    assert_eq!(
        (r.succeeded, r.rate_limited, r.server_errors),
        (5, 2, 1),
        "{r:?}"
    );
    assert_eq!(r.retries, 0, "the client sends each request once: {r:?}");
    assert_eq!(report.items_retried, 3, "each failed try: {report:?}");
    assert_eq!(writes(&server).len(), 6);
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["requests_by_outcome"]["rate_limited"], 2);
    let text = report.to_string();
    assert!(
        text.contains("(8 requests in ")
            && text.contains("; 2 answered 429, 1 answered 5xx, 3 items tried again)"),
        "{text}"
    );
}

#[test]
fn a_guard_refusal_is_a_mass_deactivation_and_nothing_is_sent() {
    let (server, client) = start();
    for i in 0..5 {
        seed(
            &server,
            json!({"userName": format!("p{i}@x.test"), "displayName": format!("p{i}"),
                   "externalId": format!("E-{i}")}),
        );
    }
    let plan = scim_sync::plan(
        &client,
        &[person(0)],
        &Memberships::new(),
        &Scope::ExternalId,
    )
    .expect("plan");
    server.clear_journal();

    let err = scim_sync::apply(&client, &plan, &ApplyOptions::default()).expect_err("guarded");

    assert!(err.is_mass_deactivation(), "{err:?}");
    assert!(!err.is_connection() && !err.is_retryable(), "{err:?}");
    assert!(err.to_string().contains("4 of 5"), "{err}");
    assert!(writes(&server).is_empty());
}
