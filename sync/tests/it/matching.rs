//! How feed rows are matched with org users, against the stateful fake:
//! accounts that share an externalId (a rehire) or a userName, two rows
//! that would match one account, and names compared the same way
//! everywhere (trimmed, userName ignoring case).

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{ApplyOptions, DesiredUser, Error, Feed, Memberships, Plan, RefusalKind, Scope};
use serde_json::json;

fn person(user_name: &str, external_id: Option<&str>) -> DesiredUser {
    let mut user = ScimV2User::new()
        .with_user_name(user_name)
        .with_display_name("Jo");
    user.external_id = external_id.map(str::to_owned);
    DesiredUser::new(user)
}

fn plan(client: &Client, feed: &[DesiredUser], scope: &Scope) -> Result<Plan, Error> {
    scim_sync::plan(client, feed, &Memberships::new(), scope)
}

fn warnings(plan: &Plan) -> String {
    plan.warnings
        .iter()
        .map(|w| format!("{}: {}\n", w.user_name().unwrap_or("-"), w.message))
        .collect()
}

#[test]
fn a_rehire_sharing_an_external_id_keeps_the_live_account_and_names_the_old_one() {
    let (server, client) = start();
    // The old account, deactivated when Jo left; the new one, live since the rehire.
    let old = seed(
        &server,
        json!({"userName": "jo.old@x.test", "displayName": "Jo", "externalId": "E-1", "active": false}),
    );
    let live = seed(
        &server,
        json!({"userName": "jo@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    for i in 0..20 {
        seed(
            &server,
            json!({"userName": format!("p{i}@x.test"), "displayName": "Jo", "externalId": format!("P-{i}")}),
        );
    }
    let mut feed = vec![person("jo@x.test", Some("E-1"))];
    feed.extend((0..20).map(|i| person(&format!("p{i}@x.test"), Some(&format!("P-{i}")))));

    let planned = plan(&client, &feed, &Scope::ExternalId).expect("plan");

    assert!(
        planned.deactivations.is_empty(),
        "{:?}",
        planned.deactivations
    );
    assert!(
        planned.reactivations.is_empty(),
        "{:?}",
        planned.reactivations
    );
    assert!(planned.updates.is_empty(), "{:?}", planned.updates);
    let said = warnings(&planned);
    assert!(
        said.contains("jo.old@x.test") && said.contains("E-1"),
        "{said}"
    );
    let report = scim_sync::apply(&client, &planned, &ApplyOptions::default().rate_limit(None))
        .expect("apply");
    assert_eq!(report.failed, 0);
    let live_now = client.get_scim_v2_user(&live).send().expect("live");
    assert!(live_now.is_active(), "the live account is never locked out");
    let old_now = client.get_scim_v2_user(&old).send().expect("old");
    assert!(!old_now.is_active());
    assert_eq!(old_now.user_name.as_deref(), Some("jo.old@x.test"));
}

#[test]
fn a_row_naming_a_shared_external_id_never_renames_or_deactivates_a_holder() {
    let (server, client) = start();
    // Both accounts live, neither with the row's userName.
    let a = seed(
        &server,
        json!({"userName": "a@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    let b = seed(
        &server,
        json!({"userName": "b@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    let feed = vec![person("c@x.test", Some("E-1"))];

    let planned = plan(&client, &feed, &Scope::ExternalId).expect("plan");

    let touched: Vec<&str> = planned
        .updates
        .iter()
        .chain(&planned.reactivations)
        .map(|u| u.id.as_str())
        .chain(planned.deactivations.iter().map(|d| d.id.as_str()))
        .collect();
    assert!(
        !touched.contains(&a.as_str()) && !touched.contains(&b.as_str()),
        "{planned:?}"
    );
    assert!(planned.creates.is_empty(), "no third account: {planned:?}");
    let said = warnings(&planned);
    assert!(
        said.contains("a@x.test") && said.contains("b@x.test"),
        "{said}"
    );
}

#[test]
fn accounts_sharing_a_user_name_ignoring_case_prefer_the_exact_active_one() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "JO@x.test", "displayName": "Old", "externalId": "E-7", "active": false}),
    );
    let exact = seed(
        &server,
        json!({"userName": "jo@x.test", "displayName": "Jo", "title": "Agent", "externalId": "E-8"}),
    );
    let feed = vec![DesiredUser::new(
        ScimV2User::new()
            .with_user_name("jo@x.test")
            .with_display_name("Jo")
            .with_title("Lead"),
    )];

    let planned = plan(&client, &feed, &Scope::ExternalId).expect("plan");

    assert_eq!(planned.updates.len(), 1, "{planned:?}");
    assert_eq!(planned.updates[0].id, exact);
    assert!(planned.reactivations.is_empty() && planned.deactivations.is_empty());
    assert!(
        warnings(&planned).contains("JO@x.test"),
        "{}",
        warnings(&planned)
    );
}

#[test]
fn two_rows_that_match_one_account_are_refused_naming_both_before_anything_is_sent() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "old@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    server.clear_journal();
    // Row 1 is the new login with the HR key; row 2 a stale row with the old login.
    let feed = vec![
        person("new@x.test", Some("E-1")),
        person("old@x.test", None),
    ];

    let err = plan(&client, &feed, &Scope::ExternalId).expect_err("refused");

    let Error::Refused(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.kind, RefusalKind::InvalidFeed, "{err}");
    assert_eq!(r.records, ["#1 (new@x.test)", "#2 (old@x.test)"], "{err}");
    assert!(r.message.contains("old@x.test"), "{err}");
    assert!(writes(&server).is_empty());
}

#[test]
fn a_feed_leaving_out_conflicts_plans_nothing_for_both_rows_and_keeps_the_account_out_of_scope() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "old@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    server.clear_journal();
    let feed = Feed::new(vec![
        person("new@x.test", Some("E-1")).with_source("hr.csv:2"),
        person("old@x.test", None).with_source("hr.csv:3"),
    ])
    .leaving_out_conflicts();

    // The whole org read, or only these people (on demand): the same.
    for planned in [
        scim_sync::plan_feed(&client, &feed, &Scope::ExternalId).expect("plan"),
        scim_sync::plan_people(&client, &feed, &Scope::ExternalId).expect("plan"),
    ] {
        assert!(planned.is_empty(), "{planned:?}");
        let lines: Vec<_> = (planned.warnings.iter())
            .filter_map(|w| w.line.as_deref())
            .collect();
        assert_eq!(lines, ["hr.csv:2", "hr.csv:3"], "{}", warnings(&planned));
        assert!(
            warnings(&planned).contains("left out"),
            "{}",
            warnings(&planned)
        );
        let account = ScimV2User::new()
            .with_user_name("old@x.test")
            .with_external_id("E-1");
        assert!(planned.scope.excludes(&account), "{:?}", planned.scope);
    }
    assert!(writes(&server).is_empty());
}

#[test]
fn a_user_name_with_surrounding_spaces_matches_its_account() {
    let (server, client) = start();
    let id = seed(
        &server,
        json!({"userName": "a@x.test", "displayName": "Jo", "title": "Agent"}),
    );
    let feed = vec![DesiredUser::new(
        ScimV2User::new()
            .with_user_name(" A@x.test ")
            .with_title("Lead"),
    )];

    let planned = plan(&client, &feed, &Scope::All).expect("plan");

    assert!(planned.creates.is_empty(), "{:?}", planned.creates);
    assert_eq!(planned.updates.len(), 1, "{planned:?}");
    assert_eq!(planned.updates[0].id, id);
}

#[test]
fn ensure_user_finds_a_user_name_with_surrounding_spaces() {
    let (server, client) = start();
    let id = seed(
        &server,
        json!({"userName": "jo@x.test", "displayName": "Jo", "title": "Agent"}),
    );
    let desired = ScimV2User::new()
        .with_user_name(" jo@x.test ")
        .with_title("Lead");

    let ensured =
        scim_sync::ensure_user(&client, &desired, scim_sync::MatchBy::UserName).expect("ensure");

    assert_eq!(ensured.user.id.as_deref(), Some(id.as_str()));
    assert_eq!(ensured.user.title.as_deref(), Some("Lead"));
    assert_eq!(ensured.user.user_name.as_deref(), Some("jo@x.test"));
    assert_eq!(client.all_users().count(), 1, "no second account");
}

#[test]
fn a_member_named_with_spaces_who_is_created_by_the_plan_joins_the_group() {
    let (server, client) = start();
    let feed = vec![person("new@x.test", Some("E-1"))];
    let mut groups = Memberships::new();
    groups.insert("Sales".into(), vec![" New@x.test ".into()]);

    let planned = scim_sync::plan(&client, &feed, &groups, &Scope::ExternalId).expect("plan");
    let report = scim_sync::apply(&client, &planned, &ApplyOptions::default().rate_limit(None))
        .expect("apply");

    assert_eq!(
        (report.failed, report.summary.memberships_changed),
        (0, 1),
        "{report}"
    );
    let sales = server.group_id("Sales").expect("Sales");
    let members: Vec<String> = client
        .get_scim_v2_group(&sales)
        .send()
        .expect("group")
        .member_ids()
        .map(str::to_owned)
        .collect();
    let new = client
        .find_user_by_user_name("new@x.test")
        .expect("lookup")
        .and_then(|u| u.id)
        .expect("created");
    assert_eq!(members, [new]);
}

#[test]
fn a_rename_onto_a_user_name_another_account_holds_is_not_planned_and_that_account_is_kept() {
    let (server, client) = start();
    let mine = seed(
        &server,
        json!({"userName": "old@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    let other = seed(
        &server,
        json!({"userName": "new@x.test", "displayName": "Jo"}),
    );
    let feed = vec![person("new@x.test", Some("E-1"))];

    let planned = plan(&client, &feed, &Scope::All).expect("plan");

    assert!(
        planned.deactivations.iter().all(|d| d.id != other),
        "{planned:?}"
    );
    let renames: Vec<_> = planned
        .updates
        .iter()
        .filter(|u| u.id == mine)
        .flat_map(|u| &u.changes)
        .filter(|c| c.attribute.path() == "userName")
        .collect();
    assert!(renames.is_empty(), "{renames:?}");
    let said = warnings(&planned);
    assert!(
        said.contains("new@x.test") && said.contains("old@x.test"),
        "{said}"
    );
}

#[test]
fn refusals_and_warnings_about_rows_name_where_the_rows_came_from() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "old@x.test", "displayName": "Jo", "externalId": "E-1"}),
    );
    let feed = [
        person("new@x.test", Some("E-1")).with_source("hr.csv:3"),
        DesiredUser::new(ScimV2User::new().with_user_name("old@x.test")).with_source("hr.csv:9"),
    ];
    let Err(Error::Refused(r)) = plan(&client, &feed, &Scope::ExternalId) else {
        panic!("refused")
    };
    assert_eq!(r.kind, RefusalKind::InvalidFeed);
    assert!(
        r.message.contains("hr.csv:3") && r.message.contains("hr.csv:9"),
        "{r:?}"
    );
    assert_eq!(
        r.records,
        ["hr.csv:3 (new@x.test)", "hr.csv:9 (old@x.test)"]
    );

    let feed = [person("a@x.test", Some("E-5"))
        .with_source("hr.csv:4")
        .with_manager("nobody@x.test")];
    let planned = plan(&client, &feed, &Scope::ExternalId).expect("plan");
    let w = &serde_json::to_value(&planned).unwrap()["warnings"][0];
    assert_eq!(
        (&w["userName"], &w["line"]),
        (&json!("a@x.test"), &json!("hr.csv:4"))
    );
}
