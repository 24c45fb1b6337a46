//! The reconcile engine with each person's groups given in the feed
//! (`DesiredUser::with_groups`): only listed people's memberships change,
//! an empty list leaves every group, names match like Genesys group names,
//! and out-of-scope people who agree with the feed raise no warning.

use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{self, ok, start};
use scim_sync::{ApplyOptions, DesiredUser, Memberships, Plan, PlannedMembership, Scope};
use serde_json::json;

fn seed(server: &FakeServer, user_name: &str, external_id: Option<&str>) -> String {
    let mut user = json!({"userName": user_name, "displayName": user_name});
    if let Some(x) = external_id {
        user["externalId"] = json!(x);
    }
    fake::seed(server, user)
}

fn desired(user_name: &str, external_id: Option<&str>) -> DesiredUser {
    let mut user = ScimV2User::new()
        .with_user_name(user_name)
        .with_display_name(user_name);
    if let Some(x) = external_id {
        user = user.with_external_id(x);
    }
    DesiredUser::new(user)
}

fn members(client: &Client, server: &FakeServer, group: &str) -> Vec<String> {
    let id = server.group_id(group).expect("seeded group");
    let group = ok(client.get_scim_v2_group(&id).send());
    let mut names: Vec<String> = group
        .member_ids()
        .map(|id| {
            ok(client.get_scim_v2_user(id).send())
                .user_name
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    names
}

fn change<'a>(plan: &'a Plan, group: &str) -> &'a PlannedMembership {
    plan.memberships
        .iter()
        .find(|m| m.group == group)
        .unwrap_or_else(|| panic!("no change planned for {group}: {:?}", plan.memberships))
}

fn names(members: &[scim_sync::Member]) -> Vec<&str> {
    members.iter().map(|m| m.user_name.as_str()).collect()
}

#[test]
fn only_people_whose_groups_the_feed_gives_join_or_leave_groups() {
    let (server, client) = start();
    let ann = seed(&server, "ann@x.test", Some("E-1"));
    let ben = seed(&server, "ben@x.test", Some("E-2"));
    let admin = seed(&server, "admin@x.test", None);
    ok(scim_sync::set_members(
        &client,
        &server.group_id("Support").expect("g"),
        [&ann, &ben, &admin],
    ));
    ok(scim_sync::set_members(
        &client,
        &server.group_id("Sales").expect("g"),
        [&ann],
    ));
    let feed = vec![
        // Ann leaves Support and joins Engineering; Ben's groups are not given.
        desired("ann@x.test", Some("E-1")).with_groups(["Sales", "Engineering"]),
        desired("ben@x.test", Some("E-2")),
        desired("cat@x.test", Some("E-3")).with_groups(["Support"]),
    ];
    server.clear_journal();

    let plan = ok(scim_sync::plan(
        &client,
        &feed,
        &Memberships::new(),
        &Scope::default(),
    ));
    assert!(server.journal().iter().all(|r| r.method == "GET"));
    assert_eq!(plan.memberships.len(), 2, "{:?}", plan.memberships);
    assert_eq!(names(&change(&plan, "Engineering").add), ["ann@x.test"]);
    let support = change(&plan, "Support");
    assert_eq!(names(&support.add), ["cat@x.test"]);
    assert_eq!(names(&support.remove), ["ann@x.test"]);
    assert_eq!(plan.summary().memberships_changed, 3);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);

    let report = ok(scim_sync::apply(
        &client,
        &plan,
        &ApplyOptions::default().rate_limit(None),
    ));
    assert_eq!(
        (
            report.summary.created,
            report.summary.memberships_changed,
            report.failed
        ),
        (1, 3, 0)
    );
    assert_eq!(
        members(&client, &server, "Support"),
        ["admin@x.test", "ben@x.test", "cat@x.test"]
    );
    assert_eq!(members(&client, &server, "Sales"), ["ann@x.test"]);
    assert_eq!(members(&client, &server, "Engineering"), ["ann@x.test"]);
    assert!(
        ok(scim_sync::plan(
            &client,
            &feed,
            &Memberships::new(),
            &Scope::default()
        ))
        .is_empty()
    );
}

#[test]
fn an_empty_list_leaves_every_group_even_those_the_feed_never_names() {
    let (server, client) = start();
    let ann = seed(&server, "ann@x.test", Some("E-1"));
    ok(scim_sync::set_members(
        &client,
        &server.group_id("Support").expect("g"),
        [&ann],
    ));
    ok(scim_sync::set_members(
        &client,
        &server.group_id("Sales").expect("g"),
        [&ann],
    ));
    let feed = vec![desired("ann@x.test", Some("E-1")).with_groups(Vec::<String>::new())];

    let plan = ok(scim_sync::plan(
        &client,
        &feed,
        &Memberships::new(),
        &Scope::default(),
    ));
    assert_eq!(names(&change(&plan, "Sales").remove), ["ann@x.test"]);
    assert_eq!(names(&change(&plan, "Support").remove), ["ann@x.test"]);
    ok(scim_sync::apply(
        &client,
        &plan,
        &ApplyOptions::default().rate_limit(None),
    ));
    assert!(members(&client, &server, "Sales").is_empty());
    assert!(members(&client, &server, "Support").is_empty());
}

#[test]
fn group_names_match_like_genesys() {
    let (server, client) = start();
    seed(&server, "ann@x.test", Some("E-1"));
    seed(&server, "ben@x.test", Some("E-2"));
    let feed = vec![
        desired("ann@x.test", Some("E-1")).with_groups(["support"]),
        desired("ben@x.test", Some("E-2")).with_groups(["Support"]),
    ];
    let plan = ok(scim_sync::plan(
        &client,
        &feed,
        &Memberships::new(),
        &Scope::default(),
    ));
    assert_eq!(plan.memberships.len(), 1, "{:?}", plan.memberships);
    assert_eq!(
        names(&change(&plan, "Support").add),
        ["ann@x.test", "ben@x.test"]
    );
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn out_of_scope_people_are_quiet_when_the_feed_agrees_and_warned_of_when_not() {
    let (server, client) = start();
    let admin = seed(&server, "admin@x.test", None);
    ok(scim_sync::set_members(
        &client,
        &server.group_id("Support").expect("g"),
        [&admin],
    ));
    let agrees = vec![desired("admin@x.test", None).with_groups(["Support"])];
    let plan = ok(scim_sync::plan(
        &client,
        &agrees,
        &Memberships::new(),
        &Scope::default(),
    ));
    assert!(plan.is_empty() && plan.warnings.is_empty(), "{plan:?}");
    assert_eq!(plan.summary().unchanged, 1);

    let mut differs = desired("admin@x.test", None).with_groups(["Sales"]);
    differs.user.title = Some("Boss".into());
    let plan = ok(scim_sync::plan(
        &client,
        &[differs],
        &Memberships::new(),
        &Scope::default(),
    ));
    assert!(plan.is_empty(), "{plan:?}");
    let warnings: Vec<&str> = plan.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("outside the scope `external-id`"));
    assert!(warnings.iter().any(|w| w.contains("membership of Sales")));
    assert!(warnings.iter().any(|w| w.contains("membership of Support")));
}
