//! A group's write is checked like a user's: each member it adds or
//! removes must still be in scope as just read, and a group losing at
//! least five members and more than the deactivation ratio of them is
//! refused as a mass change, before anything is sent.

use scim_sdk::Client;
use scim_sdk::models::{ScimV2PatchRequest, ScimV2User};
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{ApplyOptions, DesiredUser, ItemRef, Memberships, Plan, RefusalKind, Scope};
use serde_json::{Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

fn saved(plan: &Plan) -> Plan {
    let text = serde_json::to_string(plan).expect("a plan serializes");
    serde_json::from_str(&text).expect("a plan deserializes")
}

fn support(server: &scim_fake::FakeServer, client: &Client, ids: &[&str]) -> String {
    let id = server.group_id("Support").expect("group");
    let members: Vec<Value> = ids.iter().map(|m| json!({ "value": m })).collect();
    let add = ScimV2PatchRequest::patch_op().add("members", Value::Array(members));
    client
        .patch_scim_v2_group(&id, add)
        .send()
        .expect("add members");
    id
}

fn members(client: &Client, group: &str) -> Vec<String> {
    let g = client.get_scim_v2_group(group).send().expect("read");
    g.member_ids().map(str::to_owned).collect()
}

fn carer(user_name: &str, external_id: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(user_name)
            .with_external_id(external_id)
            .with_division("Care"),
    )
}

#[test]
fn a_member_who_left_the_scope_since_the_plan_is_not_removed() {
    let (server, client) = start();
    let mut ids = Vec::new();
    for (name, x) in [("ann@x.test", "E-1"), ("bob@x.test", "E-2")] {
        ids.push(seed(
            &server,
            json!({"userName": name, "displayName": name, "externalId": x,
                   ENTERPRISE: {"division": "Care"}}),
        ));
    }
    let group = support(&server, &client, &[&ids[0], &ids[1]]);
    // Bob's groups are given, and Support is not among them.
    let feed = [
        carer("ann@x.test", "E-1").with_groups(["Support"]),
        carer("bob@x.test", "E-2").with_groups(Vec::<String>::new()),
    ];
    let scope = Scope::Division("Care".into());
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &scope).expect("plan");
    assert_eq!(plan.memberships[0].remove.len(), 1, "{plan:?}");
    let plan = saved(&plan);
    // Bob moves to Sales before the plan is applied.
    scim_sync::update_user(&client, &ids[1], |u| *u = u.clone().with_division("Sales"))
        .expect("an admin moves Bob");
    server.clear_journal();

    let report = scim_sync::apply(&client, &plan, &options()).expect("apply");

    assert_eq!(members(&client, &group).len(), 2, "Bob stays: {report:?}");
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
    assert_eq!(report.failed, 1, "{report:?}");
    let failure = &report.failures[0];
    assert_eq!(failure.item, ItemRef::Group("Support".into()));
    assert_eq!(failure.error.refusal, Some(RefusalKind::OutOfScope));
    assert!(
        failure.error.to_string().contains("bob@x.test"),
        "{failure:?}"
    );
}

#[test]
fn a_managed_group_losing_more_than_the_ratio_of_its_members_is_refused() {
    let (server, client) = start();
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(seed(
            &server,
            json!({"userName": format!("a{i}@x.test"), "displayName": "a", "externalId": format!("E-{i}")}),
        ));
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let group = support(&server, &client, &refs);
    let feed: Vec<DesiredUser> = (0..30)
        .map(|i| {
            DesiredUser::new(
                ScimV2User::new()
                    .with_user_name(format!("a{i}@x.test"))
                    .with_display_name("a")
                    .with_external_id(format!("E-{i}")),
            )
        })
        .collect();
    // Support is managed, and the feed gives it nobody (a lost column, say).
    let mut managed = Memberships::new();
    managed.insert("Support".into(), Vec::new());
    let plan = scim_sync::plan(&client, &feed, &managed, &Scope::ExternalId).expect("plan");
    assert_eq!(plan.memberships[0].remove.len(), 30);
    server.clear_journal();

    let refused = scim_sync::apply(&client, &plan, &options()).expect_err("refused");
    assert!(refused.is_mass_deactivation(), "{refused}");
    assert!(
        refused
            .to_string()
            .contains("30 of the 30 members of group Support"),
        "{refused}"
    );
    assert!(writes(&server).is_empty());
    assert_eq!(members(&client, &group).len(), 30);
    let refused =
        scim_sync::apply(&client, &saved(&plan), &options()).expect_err("a saved copy too");
    assert!(refused.is_mass_deactivation(), "{refused}");

    let allowed = options().allow_mass_deactivation(true);
    let report = scim_sync::apply(&client, &plan, &allowed).expect("apply");
    assert_eq!(report.summary.memberships_changed, 30, "{report:?}");
    assert!(members(&client, &group).is_empty());
}
