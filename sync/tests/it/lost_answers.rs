//! What apply reports when writes land and their answers do not, or land
//! for some members and not others: the truth, item by item and member by
//! member, with every attempt it sent.

use std::sync::{Arc, Mutex};

use scim_fake::{Fault, Match};
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::start;
use scim_sync::{
    ApplyOptions, DesiredUser, ItemRef, ItemStatus, MemberChange, MemberStatus, Memberships,
    Outcome, Progress, Scope,
};

use crate::engine::user_named;

fn person(user_name: &str, external_id: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(user_name)
            .with_external_id(external_id),
    )
}

/// Options that keep each ended item's progress.
fn recording() -> (ApplyOptions, Arc<Mutex<Vec<Progress>>>) {
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = seen.clone();
    let options = ApplyOptions::default()
        .rate_limit(None)
        .workers(1)
        .on_progress(move |p| {
            if p.has_ended() {
                sink.lock().expect("lock").push(p.clone());
            }
        });
    (options, seen)
}

#[test]
fn a_create_whose_answer_was_lost_is_reported_created_with_its_id() {
    let (server, client) = start();
    let feed = [person("new@x.test", "E-1")];
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    // The create is made, and its answer never arrives.
    server.inject_on(Match::method("POST").path("/users"), Fault::drop_answer());
    let (options, seen) = recording();

    let report = scim_sync::apply(&client, &plan, &options).expect("apply");

    assert_eq!(
        (
            report.summary.created,
            report.summary.unchanged,
            report.failed
        ),
        (1, 0, 0),
        "{report:?}"
    );
    let made = user_named(&client, "new@x.test").id.expect("id");
    let seen = seen.lock().expect("lock");
    let create = &seen[0];
    assert_eq!(
        create.status,
        ItemStatus::Done(Outcome::Created),
        "{create:?}"
    );
    assert_eq!(create.id.as_deref(), Some(made.as_str()), "{create:?}");
    let methods: Vec<(&str, Option<u16>)> = create
        .attempts
        .iter()
        .map(|a| (a.method, a.status))
        .collect();
    assert_eq!(
        methods[..2],
        [("POST", None), ("POST", Some(409))],
        "every attempt, the lost one too: {methods:?}"
    );
    assert_eq!(client.all_users().count(), 1, "no duplicate");
}

#[test]
fn a_half_done_membership_is_reported_member_by_member() {
    let (server, client) = start();
    let feed = [
        person("new@x.test", "E-1").with_groups(["Support"]),
        person("ok@x.test", "E-2").with_groups(["Support"]),
    ];
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    // The first create is refused for good; the second is made.
    server.inject_on(Match::method("POST").path("/users"), Fault::status(400));
    let (options, seen) = recording();

    let report = scim_sync::apply(&client, &plan, &options).expect("apply");

    assert_eq!(
        (
            report.summary.created,
            report.summary.memberships_changed,
            report.failed
        ),
        (1, 1, 2),
        "the member added is counted, the item failed: {report:?}"
    );
    let seen = seen.lock().expect("lock");
    let group = seen
        .iter()
        .find(|p| p.item == ItemRef::Group("Support".into()))
        .expect("the group's item");
    assert!(matches!(group.status, ItemStatus::Failed(_)), "{group:?}");
    let members: Vec<(&str, MemberChange, &str)> = group
        .members
        .iter()
        .map(|m| (m.user_name.as_str(), m.change, m.status.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            ("new@x.test", MemberChange::Add, "failed"),
            ("ok@x.test", MemberChange::Add, "done"),
        ]
    );
    let ok = user_named(&client, "ok@x.test").id.expect("id");
    assert_eq!(group.members[1].id.as_deref(), Some(ok.as_str()));
    assert!(
        matches!(&group.members[0].status, MemberStatus::Failed(e) if e.to_string().contains("not created"))
    );
    let id = server.group_id("Support").expect("group");
    let support = client.get_scim_v2_group(&id).send().expect("read");
    assert_eq!(support.member_ids().collect::<Vec<_>>(), [ok.as_str()]);
}

#[test]
fn a_record_that_fails_stops_the_run_and_lists_what_was_written_unrecorded() {
    let (_server, client) = start();
    let feed: Vec<DesiredUser> = (0..6)
        .map(|i| person(&format!("p{i}@x.test"), &format!("E-{i}")))
        .collect();
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    let calls = Arc::new(Mutex::new(0));
    let count = calls.clone();
    let options = ApplyOptions::default()
        .rate_limit(None)
        .workers(1)
        .record(move |_| {
            let mut n = count.lock().expect("lock");
            *n += 1;
            match *n {
                1 => Ok(()),
                _ => Err(std::io::Error::other("disk full")),
            }
        });

    let err = scim_sync::apply(&client, &plan, &options).expect_err("unrecorded");

    let scim_sync::Error::Unrecorded(lost) = &err else {
        panic!("not unrecorded: {err:?}")
    };
    assert_eq!(lost.unrecorded.len(), 1, "{err}");
    assert_eq!(lost.unrecorded[0].item, ItemRef::User("p1@x.test".into()));
    assert!(lost.unrecorded[0].id.is_some(), "its id, for the record");
    assert_eq!(lost.report.summary.created, 2, "{:?}", lost.report);
    assert_eq!(lost.report.not_started.len(), 4, "{:?}", lost.report);
    assert_eq!(
        client.all_users().count(),
        2,
        "no write after the failed record"
    );
    assert_eq!(
        err.to_string(),
        "cannot record the apply (disk full): no write was started after it; 1 item written \
         but not recorded, 4 not started"
    );
}

/// A PATCH answered `500` after it landed: an exact apply (a saved plan)
/// reads the account again, finds the planned values under a version the
/// plan never saw, and reports the item done, not drifted.
#[test]
fn a_guarded_patch_that_landed_behind_a_500_is_done_not_drifted() {
    use scim_sdk_integration_tests::MockServer;
    use scim_sdk_integration_tests::fake::seed;
    use serde_json::json;
    let (fake, fake_client) = start();
    seed(
        &fake,
        json!({"userName": "u@x.test", "displayName": "U", "externalId": "E-1", "title": "Agent"}),
    );
    let row = person("u@x.test", "E-1");
    let mut feed = row.clone();
    feed.user.title = Some("Lead".into());
    let plan =
        scim_sync::plan(&fake_client, &[feed], &Memberships::new(), &Scope::All).expect("plan");
    let mut saved = serde_json::to_value(&plan).expect("serializes");
    saved["updates"][0]["id"] = json!("u1");
    saved["updates"][0]["version"] = json!("1");
    let saved: scim_sync::Plan = serde_json::from_value(saved).expect("deserializes");

    let server = MockServer::start();
    let user = |version: &str, title: &str| {
        json!({"id": "u1", "userName": "u@x.test", "externalId": "E-1", "displayName": "u@x.test",
               "active": true, "title": title, "meta": {"version": version}})
    };
    let error = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "500", "detail": "x"});
    server.respond_json(200, &user("1", "Agent"));
    // The PATCH landed; its answer is a 500.
    server.respond_json(500, &error);
    server.respond_json(200, &user("2", "Lead"));
    let options = ApplyOptions::default()
        .rate_limit(None)
        .exact(true)
        .within(Scope::All);
    // The client's retry policy (the default) is each item's budget.
    let client = scim_sdk::Client::builder()
        .base_url(server.url())
        .bearer("t")
        .build()
        .expect("client");
    let report = scim_sync::apply(&client, &saved, &options).expect("apply");
    assert!(report.drifted.is_empty(), "{report:?}");
    assert_eq!(
        (report.summary.updated, report.failed),
        (1, 0),
        "{report:?}"
    );
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["GET", "PATCH", "GET"], "no second PATCH");
}
