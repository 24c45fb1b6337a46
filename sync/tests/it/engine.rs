//! The plan/apply reconcile engine against the stateful fake: what a plan
//! says and sends (nothing), what apply writes, idempotence, scope, the
//! mass-deactivation guard, feed validation, managers before reports,
//! memberships, progress and retries of deferred items.

use std::sync::{Arc, Mutex};

use scim_fake::Fault;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{
    ApplyOptions, DesiredUser, ItemStatus, Memberships, Plan, Progress, Report, Scope,
};
use scim_sync::{Error, RefusalKind};
use serde_json::json;

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

fn person(user_name: &str, external_id: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(user_name.split('@').next().unwrap_or(user_name))
            .with_external_id(external_id)
            .with_work_email(user_name),
    )
}

fn plan(client: &Client, feed: &[DesiredUser], groups: &Memberships, scope: &Scope) -> Plan {
    scim_sync::plan(client, feed, groups, scope).expect("plan")
}

fn apply(client: &Client, plan: &Plan) -> Report {
    scim_sync::apply(client, plan, &options()).expect("apply")
}

/// The user with this userName, active or not; it must exist.
pub fn user_named(client: &Client, user_name: &str) -> ScimV2User {
    client
        .find_user_by_user_name(user_name)
        .expect("lookup")
        .expect("exists")
}

#[test]
fn a_sync_plans_applies_and_then_has_nothing_left_to_do() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "same@x.test", "displayName": "same", "externalId": "E-1",
        "emails": [{"type": "work", "value": "same@x.test"}]}),
    );
    let changed = seed(
        &server,
        json!({"userName": "moved@x.test", "displayName": "moved", "externalId": "E-2",
        "emails": [{"type": "work", "value": "old@x.test"}], "title": "Agent"}),
    );
    let back = seed(
        &server,
        json!({"userName": "back@x.test", "displayName": "back", "externalId": "E-3",
        "active": false, "emails": [{"type": "work", "value": "back@x.test"}]}),
    );
    let gone = seed(
        &server,
        json!({"userName": "gone@x.test", "displayName": "gone", "externalId": "E-4"}),
    );
    for i in 0..20 {
        seed(
            &server,
            json!({"userName": format!("stay{i}@x.test"), "displayName": format!("stay{i}"), "externalId": format!("S-{i}"),
            "emails": [{"type": "work", "value": format!("stay{i}@x.test")}]}),
        );
    }
    let mut feed = vec![
        person("same@x.test", "E-1"),
        person("moved@x.test", "E-2"),
        person("back@x.test", "E-3"),
        person("new@x.test", "E-5"),
    ];
    feed.extend((0..20).map(|i| person(&format!("stay{i}@x.test"), &format!("S-{i}"))));
    let mut groups = Memberships::new();
    groups.insert(
        "Sales".into(),
        vec!["new@x.test".into(), "same@x.test".into()],
    );
    server.clear_journal();

    let first = plan(&client, &feed, &groups, &Scope::default());
    assert!(writes(&server).is_empty(), "planning sends no write");
    let s = first.summary();
    assert_eq!(
        (
            s.created,
            s.updated,
            s.reactivated,
            s.deactivated,
            s.unchanged,
            s.memberships_changed
        ),
        (1, 1, 1, 1, 21, 2)
    );
    assert_eq!(first.updates[0].id, changed);
    let change = &first.updates[0].changes[0];
    assert_eq!(
        (
            change.attribute.path().as_str(),
            change.before.clone(),
            change.after.clone()
        ),
        (
            "emails[type eq \"work\"].value",
            Some(json!("old@x.test")),
            Some(json!("moved@x.test"))
        )
    );
    assert_eq!(first.reactivations[0].id, back);
    assert_eq!(first.deactivations[0].id, gone);
    assert_eq!(
        first.deactivations[0].reason.to_string(),
        "in scope and absent from the feed"
    );
    let json = serde_json::to_value(&first).expect("a plan is JSON");
    assert_eq!(json["summary"]["memberships_changed"], 2);
    assert_eq!(
        serde_json::from_value::<Plan>(json).expect("and back"),
        first
    );

    let report = apply(&client, &first);
    assert_eq!(
        (
            report.summary.created,
            report.summary.updated,
            report.summary.reactivated,
            report.summary.deactivated,
            report.summary.unchanged,
            report.summary.memberships_changed,
            report.failed
        ),
        (1, 1, 1, 1, 21, 2, 0),
        "{report:?}"
    );
    assert_eq!(
        report.requests,
        server.journal().len() as u64,
        "the plan's reads and the writes"
    );
    assert!(!user_named(&client, "gone@x.test").is_active());
    let sales = client
        .find_group_by_name("Sales")
        .expect("lookup")
        .expect("Sales");
    assert!(sales.has_member(&user_named(&client, "new@x.test").id.unwrap_or_default()));

    // Applying the same plan again changes nothing, and a fresh plan is empty.
    let again = apply(&client, &first);
    assert_eq!(
        (
            again.summary.created,
            again.summary.updated,
            again.summary.reactivated,
            again.summary.deactivated,
            again.summary.memberships_changed,
            again.failed
        ),
        (0, 0, 0, 0, 0, 0),
        "{again:?}"
    );
    let fresh = plan(&client, &feed, &groups, &Scope::default());
    assert!(fresh.is_empty(), "{fresh:?}");
    assert_eq!(fresh.summary().unchanged, 24);
    server.clear_journal();
    let noop = apply(&client, &fresh);
    assert!(writes(&server).is_empty(), "an empty plan costs no write");
    assert!(server.journal().is_empty(), "nor a read");
    assert_eq!(noop.requests, 4, "the plan's own reads");
}

#[test]
fn out_of_scope_users_are_never_touched() {
    let (server, client) = start();
    let admin = seed(
        &server,
        json!({"userName": "admin@x.test", "displayName": "Admin"}),
    );
    let care = seed(
        &server,
        json!({"userName": "c@x.test", "displayName": "C", "externalId": "E-1",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "Care"}}),
    );
    let sales = seed(
        &server,
        json!({"userName": "s@x.test", "displayName": "S", "externalId": "E-2",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "Sales"}}),
    );
    // The feed names the admin too, with a new title: still left alone.
    let feed = vec![DesiredUser::new(
        ScimV2User::new()
            .with_user_name("admin@x.test")
            .with_title("Boss"),
    )];

    let by_external_id = plan(&client, &feed, &Memberships::new(), &Scope::ExternalId);
    let deactivated: Vec<&str> = by_external_id
        .deactivations
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(deactivated.len(), 2);
    assert!(!deactivated.contains(&admin.as_str()));
    assert!(by_external_id.updates.is_empty());
    assert!(
        by_external_id
            .warnings
            .iter()
            .any(|w| w.message.contains("outside the scope"))
    );

    let care_only = plan(
        &client,
        &feed,
        &Memberships::new(),
        &"division:Care".parse().expect("scope"),
    );
    assert_eq!(
        care_only
            .deactivations
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>(),
        [care.as_str()]
    );
    let report = scim_sync::apply(
        &client,
        &care_only,
        &options().allow_mass_deactivation(true),
    )
    .expect("apply");
    assert_eq!(report.summary.deactivated, 1);
    assert!(
        client
            .get_scim_v2_user(&sales)
            .send()
            .expect("read")
            .is_active()
    );
    let admin_now = client.get_scim_v2_user(&admin).send().expect("read");
    assert!(admin_now.is_active() && admin_now.title.is_none());
}

#[test]
fn the_guard_refuses_mass_deactivation_unless_allowed() {
    let (server, client) = start();
    for i in 0..10 {
        seed(
            &server,
            json!({"userName": format!("u{i}@x.test"), "displayName": "u", "externalId": format!("E-{i}")}),
        );
    }
    let truncated: Vec<DesiredUser> = (0..8)
        .map(|i| person(&format!("u{i}@x.test"), &format!("E-{i}")))
        .collect();
    let plan = plan(&client, &truncated, &Memberships::new(), &Scope::default());
    assert_eq!((plan.summary().deactivated, plan.in_scope), (2, 10));
    server.clear_journal();

    let err = scim_sync::apply(&client, &plan, &options()).expect_err("2 of 10 is above 10%");
    assert!(
        matches!(&err, Error::Refused(s) if s.kind == RefusalKind::MassDeactivation),
        "{err:?}"
    );
    assert!(server.journal().is_empty(), "nothing was sent");
    assert!(
        scim_sync::apply(&client, &plan, &options().max_deactivation_ratio(0.2)).is_ok(),
        "20% allows 2 of 10"
    );

    let empty_feed = self::plan(&client, &[], &Memberships::new(), &Scope::default());
    assert!(scim_sync::apply(&client, &empty_feed, &options()).is_err());
    let report = scim_sync::apply(
        &client,
        &empty_feed,
        &options().allow_mass_deactivation(true),
    )
    .expect("allowed");
    assert_eq!(report.summary.deactivated, 8);
}

#[test]
fn a_bad_feed_is_refused_with_the_records_named_and_nothing_sent() {
    let (server, client) = start();
    let cases = [
        (
            vec![
                person("a@x.test", "E-1"),
                DesiredUser::new(ScimV2User::new().with_display_name("nameless")),
            ],
            &["#2"][..],
            "no userName",
        ),
        (
            vec![person("a@x.test", "E-1"), person("A@X.test", "E-2")],
            &["#1 (a@x.test)", "#2 (A@X.test)"][..],
            "appears twice",
        ),
        (
            vec![person("a@x.test", "E-1"), person("b@x.test", "E-1")],
            &["#1 (a@x.test)", "#2 (b@x.test)"][..],
            "externalId E-1",
        ),
    ];
    for (feed, records, words) in cases {
        let err = scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::default())
            .expect_err("refused");
        let Error::Refused(s) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(s.kind, RefusalKind::InvalidFeed);
        assert_eq!(s.records, records);
        assert!(s.message.contains(words), "{}", s.message);
    }
    assert!(server.journal().is_empty());
}

#[test]
fn managers_are_created_before_their_reports() {
    let (server, client) = start();
    let boss = seed(
        &server,
        json!({"userName": "boss@x.test", "displayName": "Boss", "externalId": "B"}),
    );
    // Listed reports first: the engine must order the creates itself.
    let feed = vec![
        person("agent@x.test", "E-3").with_manager("lead@x.test"),
        person("lead@x.test", "E-2").with_manager("head@x.test"),
        person("head@x.test", "E-1").with_manager("BOSS@x.test"),
        person("boss@x.test", "B"),
        person("lost@x.test", "E-4").with_manager("nobody@x.test"),
    ];
    let planned = plan(&client, &feed, &Memberships::new(), &Scope::default());
    assert!(
        planned
            .warnings
            .iter()
            .any(|w| w.user_name() == Some("lost@x.test") && w.message.contains("nobody@x.test"))
    );
    let report = scim_sync::apply(&client, &planned, &options().workers(8)).expect("apply");
    assert_eq!(
        (report.summary.created, report.failed),
        (4, 0),
        "{report:?}"
    );

    let id = |name: &str| user_named(&client, name).id.unwrap_or_default();
    assert_eq!(
        user_named(&client, "head@x.test").manager_id(),
        Some(boss.as_str())
    );
    assert_eq!(
        user_named(&client, "lead@x.test").manager_id(),
        Some(id("head@x.test").as_str())
    );
    assert_eq!(
        user_named(&client, "agent@x.test").manager_id(),
        Some(id("lead@x.test").as_str())
    );
    assert_eq!(user_named(&client, "lost@x.test").manager_id(), None);
    assert!(plan(&client, &feed, &Memberships::new(), &Scope::default()).is_empty());
}

#[test]
fn memberships_change_only_for_named_groups_and_in_scope_users() {
    let (server, client) = start();
    let admin = seed(
        &server,
        json!({"userName": "admin@x.test", "displayName": "A"}),
    );
    let old = seed(
        &server,
        json!({"userName": "old@x.test", "displayName": "O", "externalId": "E-9"}),
    );
    let support = server.group_id("Support").expect("Support");
    scim_sync::set_members(&client, &support, [&admin, &old]).expect("seed members");
    let engineering = server.group_id("Engineering").expect("Engineering");
    scim_sync::set_members(&client, &engineering, [&old]).expect("seed members");
    let feed = vec![person("old@x.test", "E-9"), person("new@x.test", "E-1")];
    let mut groups = Memberships::new();
    groups.insert("Support".into(), vec!["new@x.test".into()]);
    groups.insert("Nope".into(), vec!["new@x.test".into()]);

    let planned = plan(&client, &feed, &groups, &Scope::default());
    assert!(
        planned
            .warnings
            .iter()
            .any(|w| w.to_string().starts_with("group Nope: does not exist"))
    );
    let support_change = &planned.memberships[0];
    assert_eq!(
        support_change
            .add
            .iter()
            .map(|m| m.user_name.as_str())
            .collect::<Vec<_>>(),
        ["new@x.test"]
    );
    assert_eq!(
        support_change
            .remove
            .iter()
            .map(|m| m.user_name.as_str())
            .collect::<Vec<_>>(),
        ["old@x.test"]
    );
    apply(&client, &planned);

    let support_now = client.get_scim_v2_group(&support).send().expect("read");
    assert!(support_now.has_member(&admin), "out of scope: kept");
    assert!(!support_now.has_member(&old));
    assert!(support_now.has_member(&user_named(&client, "new@x.test").id.unwrap_or_default()));
    assert!(
        client
            .get_scim_v2_group(&engineering)
            .send()
            .expect("read")
            .has_member(&old),
        "group not named: untouched"
    );
}

#[test]
fn progress_is_reported_per_item_and_a_retryable_failure_is_tried_again_when_due() {
    let (server, client) = start();
    let feed: Vec<DesiredUser> = (0..6)
        .map(|i| person(&format!("p{i}@x.test"), &format!("E-{i}")))
        .collect();
    let planned = plan(&client, &feed, &Memberships::new(), &Scope::default());
    // The first create is refused with 503; POST is never retried by the
    // client, so the engine defers it and tries again after a backoff.
    server.inject(Fault::Status {
        status: 503,
        retry_after: None,
        count: 1,
    });
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = seen.clone();
    let options = options()
        .workers(1)
        .on_progress(move |p| sink.lock().expect("lock").push(p.clone()));

    let report = scim_sync::apply(&client, &planned, &options).expect("apply");

    assert_eq!(
        (report.summary.created, report.failed),
        (6, 0),
        "{report:?}"
    );
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 7, "six items, one of them twice");
    assert!(
        matches!(seen[0].status, ItemStatus::Deferred(_)),
        "{:?}",
        seen[0]
    );
    assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((6, 6)));
    // The deferred create ran again on the worker, and was done.
    assert!(
        seen[1..]
            .iter()
            .any(|p| p.item == seen[0].item && p.status.is_done()),
        "{seen:?}"
    );
    assert_eq!(client.all_users().count(), 6);
}

#[test]
fn a_failing_item_is_reported_and_the_rest_applied() {
    let (server, client) = start();
    let planned = plan(
        &client,
        &[person("ok@x.test", "E-1"), person("bad@x.test", "E-2")],
        &Memberships::new(),
        &Scope::default(),
    );
    // Someone else takes the second userName for another system meanwhile.
    seed(
        &server,
        json!({"userName": "bad@x.test", "displayName": "B", "externalId": "OTHER"}),
    );

    let report = scim_sync::apply(&client, &planned, &options().workers(1)).expect("apply");
    assert_eq!((report.summary.created, report.failed), (1, 1));
    assert_eq!(
        report.failures[0].item,
        scim_sync::ItemRef::User("bad@x.test".into())
    );
    assert!(
        report.failures[0].error.message.contains("OTHER"),
        "{}",
        report.failures[0].error
    );
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["failures"][0]["userName"], "bad@x.test");
}
