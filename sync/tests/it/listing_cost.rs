//! What a plan's listing costs: it asks only for the attributes the feed
//! and the rules need, so it pages by 100 when the feed manages none of
//! the attributes Genesys looks up user by user, and it never meets the
//! `429` Genesys gives for costly pages (emulated by the fake).

use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{ok, query, seed, start};
use scim_sync::{DesiredUser, Memberships, Scope};
use serde_json::json;

fn feed(size: usize, groups: bool) -> Vec<DesiredUser> {
    (0..size)
        .map(|i| {
            let d = DesiredUser::new(
                ScimV2User::new()
                    .with_user_name(format!("u{i}@x.test"))
                    .with_display_name(format!("U {i}"))
                    .with_external_id(format!("E-{i}")),
            );
            if groups { d.with_groups(["Sales"]) } else { d }
        })
        .collect()
}

#[test]
fn a_plan_lists_by_100_without_costly_attributes_and_meets_no_429() {
    let (server, client) = start();
    for i in 0..230 {
        seed(
            &server,
            json!({"userName": format!("u{i}@x.test"), "displayName": format!("U {i}"), "externalId": format!("E-{i}")}),
        );
    }
    server.clear_journal();
    let plan = ok(scim_sync::plan(
        &client,
        &feed(230, false),
        &Memberships::new(),
        &Scope::default(),
    ));
    assert_eq!(plan.unchanged, 230);
    let lists: Vec<_> = server
        .journal()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/users"))
        .collect();
    assert_eq!(
        lists.len(),
        4,
        "3 pages of active users, 1 of inactive: {lists:#?}"
    );
    for r in &lists {
        assert_eq!(query(r, "count").as_deref(), Some("100"));
        let left_out = query(r, "excludedAttributes").unwrap_or_default();
        assert!(
            left_out.contains("groups") && left_out.contains("roles"),
            "{left_out}"
        );
    }
    assert_eq!(client.request_counts().rate_limited, 0, "no 429");

    // A feed that gives people's groups needs theirs: pages of 25 then.
    server.clear_journal();
    let plan = ok(scim_sync::plan(
        &client,
        &feed(230, true),
        &Memberships::new(),
        &Scope::default(),
    ));
    assert_eq!(plan.memberships.len(), 1, "{plan:?}");
    let lists = server
        .journal()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/users"))
        .count();
    assert_eq!(lists, 11, "10 pages of active users, 1 of inactive");
    assert_eq!(client.request_counts().rate_limited, 0, "no 429");
}
