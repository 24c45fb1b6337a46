//! The sync toolkit against the stateful fake, over real HTTP: finding
//! inactive users, guarded updates (racing writers, a 503 mid-PATCH),
//! upserts with reactivation and the 409 takeover rules, and group
//! membership. Each test checks what went over the wire in the fake's journal.

use std::sync::{Arc, Barrier};

use scim_fake::{FakeServer, Fault, RecordedRequest};
use scim_sdk::Client;
use scim_sdk::models::{ScimV2MemberReference, ScimV2User};
use scim_sdk_integration_tests::fake::{self, start, writes};
use scim_sync::{Error, RefusalKind};
use scim_sync::{MatchBy, Outcome};
use serde_json::json;

fn seed(server: &FakeServer, user_name: &str, external_id: Option<&str>, active: bool) -> String {
    let mut user = json!({"userName": user_name, "displayName": user_name, "active": active});
    if let Some(x) = external_id {
        user["externalId"] = json!(x);
    }
    fake::seed(server, user)
}

fn get(client: &Client, id: &str) -> ScimV2User {
    client.get_scim_v2_user(id).send().expect("read the user")
}

#[test]
fn ensure_user_reactivates_an_inactive_user_instead_of_duplicating_it() {
    let (server, client) = start();
    let id = seed(&server, "back@x.test", Some("E-1"), false);
    server.clear_journal();

    let desired = ScimV2User::new()
        .with_user_name("back@x.test")
        .with_external_id("E-1")
        .with_title("Agent");
    let ensured = scim_sync::ensure_user(&client, &desired, MatchBy::ExternalId).expect("ensure");

    assert_eq!(ensured.outcome, Outcome::Reactivated);
    assert_eq!(ensured.user.id.as_deref(), Some(id.as_str()));
    let writes = writes(&server);
    assert_eq!(writes.len(), 1, "one PATCH, no POST: {writes:?}");
    assert_eq!(writes[0].method, "PATCH");
    assert!(writes[0].header("If-Match").is_some());
    let now = get(&client, &id);
    assert!(now.is_active());
    assert_eq!(now.title.as_deref(), Some("Agent"));
    assert_eq!(client.all_users().count(), 1);
}

#[test]
fn ensure_user_creates_then_sends_nothing_when_nothing_changed() {
    let (server, client) = start();
    let desired = ScimV2User::new()
        .with_user_name("new@x.test")
        .with_display_name("New")
        .with_work_email("new@x.test")
        .with_department("Care");

    assert_eq!(
        scim_sync::ensure_user(&client, &desired, MatchBy::UserName)
            .expect("create")
            .outcome,
        Outcome::Created
    );
    server.clear_journal();
    assert_eq!(
        scim_sync::ensure_user(&client, &desired, MatchBy::UserName)
            .expect("again")
            .outcome,
        Outcome::Unchanged
    );
    assert!(
        writes(&server).is_empty(),
        "an unchanged user costs no write"
    );
}

#[test]
fn a_409_takes_over_a_user_without_external_id() {
    let (server, client) = start();
    let id = seed(&server, "taken@x.test", None, true);
    server.clear_journal();

    let desired = ScimV2User::new()
        .with_user_name("taken@x.test")
        .with_display_name("T")
        .with_external_id("E-5");
    let ensured = scim_sync::ensure_user(&client, &desired, MatchBy::ExternalId).expect("takeover");

    assert_eq!(ensured.outcome, Outcome::Updated);
    let methods: Vec<String> = writes(&server).into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["POST", "PATCH"]);
    assert_eq!(get(&client, &id).external_id.as_deref(), Some("E-5"));
}

#[test]
fn a_409_refuses_to_take_over_another_systems_user() {
    let (server, client) = start();
    let id = seed(&server, "taken@x.test", Some("OTHER-1"), true);
    server.clear_journal();

    let desired = ScimV2User::new()
        .with_user_name("TAKEN@x.test")
        .with_display_name("T")
        .with_external_id("E-5");
    let err = scim_sync::ensure_user(&client, &desired, MatchBy::ExternalId).expect_err("refused");

    assert!(
        matches!(&err, Error::Refused(s) if s.kind == RefusalKind::Conflict),
        "{err:?}"
    );
    assert!(err.to_string().contains("OTHER-1"), "{err}");
    let methods: Vec<String> = writes(&server).into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["POST"], "the holder is not touched");
    assert_eq!(get(&client, &id).external_id.as_deref(), Some("OTHER-1"));
}

#[test]
fn update_user_sends_the_difference_and_nothing_for_no_change() {
    let (server, client) = start();
    let id = seed(&server, "u@x.test", None, true);
    server.clear_journal();

    let done =
        scim_sync::update_user(&client, &id, |u| u.title = Some("Lead".into())).expect("update");
    assert!(done.changed);
    let patch = writes(&server).pop().expect("a PATCH");
    assert_eq!(patch.header("If-Match"), Some("\"1\""));
    assert_eq!(
        patch.body_json().expect("json")["Operations"],
        json!([{"op": "add", "path": "title", "value": "Lead"}])
    );

    server.clear_journal();
    let same =
        scim_sync::update_user(&client, &id, |u| u.title = Some("Lead".into())).expect("no-op");
    assert!(!same.changed);
    assert!(writes(&server).is_empty());
}

#[test]
fn racing_updates_both_survive_through_a_retry() {
    let (server, client) = start();
    let id = seed(&server, "race@x.test", None, true);
    server.clear_journal();
    let barrier = Arc::new(Barrier::new(2));

    std::thread::scope(|s| {
        for field in ["title", "department"] {
            let (client, barrier, id) = (client.clone(), barrier.clone(), id.clone());
            s.spawn(move || {
                let mut first = true;
                scim_sync::update_user(&client, &id, |u| {
                    if std::mem::take(&mut first) {
                        barrier.wait(); // both have read version 1
                    }
                    *u = if field == "title" {
                        u.clone().with_title("Lead")
                    } else {
                        u.clone().with_department("Care")
                    };
                })
                .expect("update")
            });
        }
    });

    let user = get(&client, &id);
    assert_eq!(user.title.as_deref(), Some("Lead"));
    assert_eq!(user.department(), Some("Care"));
    let patches: Vec<RecordedRequest> = writes(&server);
    assert_eq!(patches.len(), 3, "one PATCH lost the race and was re-sent");
    let guards: Vec<&str> = patches
        .iter()
        .filter_map(|p| p.header("If-Match"))
        .collect();
    assert_eq!(
        guards.iter().filter(|g| **g == "\"1\"").count(),
        2,
        "{guards:?}"
    );
    assert!(guards.contains(&"\"2\""), "{guards:?}");
}

#[test]
fn a_503_on_a_guarded_patch_is_resent_under_the_same_version() {
    let (server, client) = start();
    let id = seed(&server, "flaky@x.test", None, true);
    server.clear_journal();

    let done = scim_sync::update_user(&client, &id, |u| {
        // After the GET, before the PATCH.
        server.inject(Fault::Status {
            status: 503,
            retry_after: None,
            count: 1,
        });
        u.title = Some("Lead".into());
    })
    .expect("update");

    assert!(done.changed);
    let patches = writes(&server);
    assert_eq!(patches.len(), 2);
    assert_eq!(patches[0].header("If-Match"), patches[1].header("If-Match"));
    assert_eq!(patches[0].body, patches[1].body);
    assert_eq!(get(&client, &id).title.as_deref(), Some("Lead"));
}

#[test]
fn membership_helpers_send_one_minimal_patch_or_none() {
    let (server, client) = start();
    let (a, b, c) = (
        seed(&server, "a@x.test", None, true),
        seed(&server, "b@x.test", None, true),
        seed(&server, "c@x.test", None, true),
    );
    let sales = client
        .find_group_by_name("Sales")
        .expect("lookup")
        .expect("Sales exists");
    let sales_id = sales.id.clone().expect("id");
    server.clear_journal();

    assert!(
        scim_sync::add_members(&client, &sales_id, [&a, &b])
            .expect("add")
            .changed
    );
    assert!(
        !scim_sync::add_members(&client, &sales_id, [&a])
            .expect("add again")
            .changed
    );
    let set = scim_sync::set_members(&client, &sales_id, [&b, &c]).expect("set");
    assert!(set.changed);
    let mut members: Vec<&str> = set.resource.member_ids().collect();
    members.sort();
    let mut want = vec![b.as_str(), c.as_str()];
    want.sort();
    assert_eq!(members, want);
    assert!(
        scim_sync::remove_members(&client, &sales_id, [&c])
            .expect("remove")
            .changed
    );

    let patches = writes(&server);
    assert_eq!(patches.len(), 3, "the no-op sent nothing");
    assert_eq!(
        patches[1].body_json().expect("json")["Operations"],
        json!([
            {"op": "add", "path": "members", "value": [{"value": c}]},
            {"op": "remove", "path": format!("members[value eq \"{a}\"]")}
        ])
    );
    assert!(patches.iter().all(|p| p.header("If-Match").is_some()));

    // Editing the members list in update_group is the same minimal change.
    let done = scim_sync::update_group(&client, &sales_id, |g| {
        g.members = Some(vec![ScimV2MemberReference::new().with_value(a.clone())])
    })
    .expect("update group");
    assert_eq!(done.resource.member_ids().collect::<Vec<_>>(), [a.as_str()]);
}

/// The first PATCH was applied, but its answer was a 503 or a 500: the
/// client sends it again (its If-Match makes that safe), the copy is
/// refused, and a fresh read shows the change done.
#[test]
fn a_patch_resent_after_a_5xx_that_had_landed_is_refused_and_not_applied_twice() {
    use scim_sdk_integration_tests::MockServer;
    let user = |version: &str, title: Option<&str>| {
        let mut u = json!({"id": "u1", "userName": "u@x.test", "meta": {"version": version}});
        if let Some(t) = title {
            u["title"] = json!(t);
        }
        u
    };
    let error = |status: u16, scim_type: &str| json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": status.to_string(), "scimType": scim_type, "detail": "x"});
    for (status, scim_type) in [(503, "unavailable"), (500, "internal")] {
        let server = MockServer::start();
        server.respond_json(200, &user("\"1\"", None));
        server.respond_json(status, &error(status, scim_type));
        server.respond_json(400, &error(400, "invalidVers"));
        server.respond_json(200, &user("\"2\"", Some("Lead")));
        let client = Client::builder()
            .base_url(server.url())
            .bearer("t")
            .build()
            .expect("client");

        let done = scim_sync::update_user(&client, "u1", |u| u.title = Some("Lead".into()))
            .expect("update");

        assert!(done.changed, "{status}: the first copy landed");
        assert_eq!(done.resource.title.as_deref(), Some("Lead"));
        let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
        assert_eq!(
            methods,
            ["GET", "PATCH", "PATCH", "GET"],
            "{status}: no third PATCH after the fresh read"
        );
    }
}
