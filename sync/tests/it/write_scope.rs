//! Scope is a rule of every write, checked on what apply has just read:
//! a user that left the scope between plan and apply is not written, and
//! a create that meets a 409 never takes over an account outside the
//! scope whose externalId is not the row's.

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{ApplyOptions, DesiredUser, ItemRef, Memberships, Plan, Report, Scope};
use serde_json::json;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

fn person(user_name: &str, external_id: &str, division: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(user_name)
            .with_external_id(external_id)
            .with_division(division)
            .with_title("Lead"),
    )
}

/// The plan as a saved copy would give it back: through JSON.
fn saved(plan: &Plan) -> Plan {
    let text = serde_json::to_string(plan).expect("a plan serializes");
    serde_json::from_str(&text).expect("a plan deserializes")
}

fn moved_out_of_care(client: &Client, id: &str) {
    scim_sync::update_user(client, id, |u| {
        *u = u.clone().with_division("Sales");
    })
    .expect("an admin moves the user");
}

fn user(client: &Client, id: &str) -> ScimV2User {
    client.get_scim_v2_user(id).send().expect("read the user")
}

fn one_out_of_scope_failure(report: &Report, user_name: &str) {
    assert_eq!(report.failed, 1, "{report:?}");
    assert_eq!(
        report.failures[0].item,
        ItemRef::User(user_name.into()),
        "{report:?}"
    );
    assert!(
        report.failures[0].error.message.contains("scope"),
        "the failure says why: {report:?}"
    );
}

#[test]
fn a_saved_plan_keeps_its_scope_and_an_update_of_a_user_who_left_it_is_not_written() {
    let (server, client) = start();
    let id = seed(
        &server,
        json!({"userName": "ann@x.test", "displayName": "ann@x.test", "externalId": "E-1",
               "title": "Agent", ENTERPRISE: {"division": "Care"}}),
    );
    let scope: Scope = "division:Care".parse().expect("scope");
    let plan = scim_sync::plan(
        &client,
        &[person("ann@x.test", "E-1", "Care")],
        &Memberships::new(),
        &scope,
    )
    .expect("plan");
    assert_eq!(plan.updates.len(), 1, "{plan:?}");
    let plan = saved(&plan);
    moved_out_of_care(&client, &id);
    server.clear_journal();

    let report = scim_sync::apply(&client, &plan, &options()).expect("apply");

    one_out_of_scope_failure(&report, "ann@x.test");
    assert_eq!(user(&client, &id).title.as_deref(), Some("Agent"));
    // The saved plan's item is checked on the account as read: nothing is sent.
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
}

#[test]
fn a_deactivation_of_a_user_who_left_the_scope_is_not_sent() {
    let (server, client) = start();
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(seed(
            &server,
            json!({"userName": format!("p{i}@x.test"), "displayName": "p", "externalId": format!("E-{i}"),
                   "title": "Lead", ENTERPRISE: {"division": "Care"}}),
        ));
    }
    // The feed drops p0: the plan deactivates it.
    let feed: Vec<DesiredUser> = (1..12)
        .map(|i| person(&format!("p{i}@x.test"), &format!("E-{i}"), "Care"))
        .collect();
    let scope = Scope::Division("Care".into());
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &scope).expect("plan");
    assert_eq!(plan.deactivations.len(), 1, "{plan:?}");
    moved_out_of_care(&client, &ids[0]);
    server.clear_journal();

    let report = scim_sync::apply(&client, &plan, &options()).expect("apply");

    one_out_of_scope_failure(&report, "p0@x.test");
    assert!(
        user(&client, &ids[0]).is_active(),
        "left out of scope: left alone"
    );
}

#[test]
fn a_create_meeting_409_never_takes_over_or_reactivates_an_account_outside_the_scope() {
    let (server, client) = start();
    let feed = [DesiredUser::new(
        ScimV2User::new()
            .with_user_name("svc@x.test")
            .with_display_name("Service")
            .with_external_id("E-9"),
    )];
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    assert_eq!(plan.creates.len(), 1, "{plan:?}");
    // Meanwhile a service account with that userName appears: no
    // externalId, so outside the default scope, and inactive.
    let holder = seed(
        &server,
        json!({"userName": "svc@x.test", "displayName": "Robot", "active": false}),
    );
    server.clear_journal();

    let report = scim_sync::apply(&client, &plan, &options()).expect("apply");

    one_out_of_scope_failure(&report, "svc@x.test");
    let now = user(&client, &holder);
    assert!(!now.is_active(), "never reactivated");
    assert_eq!(now.external_id, None, "never taken over");
    assert_eq!(now.display_name.as_deref(), Some("Robot"));
    let methods: Vec<String> = writes(&server).into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["POST"], "only the create that met the 409");
}

#[test]
fn a_create_meeting_409_takes_over_the_holder_with_the_rows_external_id() {
    let (server, client) = start();
    let feed = [DesiredUser::new(
        ScimV2User::new()
            .with_user_name("back@x.test")
            .with_display_name("Back")
            .with_external_id("E-7"),
    )];
    let scope = Scope::Division("Care".into());
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &scope).expect("plan");
    // Outside the division scope, but the same person by the HR key.
    let holder = seed(
        &server,
        json!({"userName": "back@x.test", "displayName": "Old", "externalId": "E-7", "active": false}),
    );

    let report = scim_sync::apply(&client, &plan, &options()).expect("apply");

    assert_eq!(report.failed, 0, "{report:?}");
    let now = user(&client, &holder);
    assert!(now.is_active());
    assert_eq!(now.display_name.as_deref(), Some("Back"));
}
