//! A plan read back from a file is reviewed data, not an order: apply
//! refuses what the planner never writes, checks each item against the
//! org as it reads it (the id names the account the item names, in the
//! caller's scope, not excluded), counts the guard on the org, and looks a
//! create's externalId up first. Each test edits a saved plan as someone
//! with the file, not the org, could.

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{ApplyOptions, DesiredUser, ItemRef, Memberships, Plan, RefusalKind, Scope};
use serde_json::{Value, json};

/// An org of three agents, an admin (no externalId) and an account Okta
/// owns; the ids of the admin, Bob and Okta.
fn org(server: &scim_fake::FakeServer) -> (String, String, String) {
    let admin = seed(
        server,
        json!({"userName": "admin@x.test", "displayName": "Admin"}),
    );
    let bob = seed(
        server,
        json!({"userName": "bob@x.test", "displayName": "Bob", "externalId": "E-2", "title": "Agent"}),
    );
    seed(
        server,
        json!({"userName": "ann@x.test", "displayName": "Ann", "externalId": "E-1"}),
    );
    seed(
        server,
        json!({"userName": "cy@x.test", "displayName": "Cy", "externalId": "E-3"}),
    );
    let okta = seed(
        server,
        json!({"userName": "okta.svc@x.test", "displayName": "Okta", "externalId": "OKTA-1"}),
    );
    (admin, bob, okta)
}

fn row(user_name: &str, display_name: &str, external_id: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(display_name)
            .with_external_id(external_id),
    )
}

/// Bob is promoted; nobody else changes.
fn feed() -> Vec<DesiredUser> {
    let bob = row("bob@x.test", "Bob", "E-2").set(
        scim_sync::Field::Title,
        scim_sync::Desired::Set("Director".into()),
    );
    vec![
        bob,
        row("ann@x.test", "Ann", "E-1"),
        row("cy@x.test", "Cy", "E-3"),
        row("okta.svc@x.test", "Okta", "OKTA-1"),
    ]
}

/// The plan as JSON, for editing.
fn file(client: &Client, scope: &Scope) -> Value {
    let plan = scim_sync::plan(client, &feed(), &Memberships::new(), scope).expect("plan");
    serde_json::to_value(&plan).expect("json")
}

fn read(file: &Value) -> Plan {
    serde_json::from_value(file.clone()).expect("a plan")
}

/// As `sync apply --plan` applies: exactly, within the command line's scope.
fn options(scope: &Scope) -> ApplyOptions {
    ApplyOptions::default()
        .rate_limit(None)
        .exact(true)
        .within(scope.clone())
}

fn user(client: &Client, id: &str) -> ScimV2User {
    client.get_scim_v2_user(id).send().expect("read")
}

#[test]
fn an_item_whose_id_names_another_account_is_not_written() {
    let (server, client) = start();
    let (admin, _, _) = org(&server);
    let scope = Scope::All.excluding(["okta.svc@x.test"]);
    let mut edited = file(&client, &scope);
    // Bob's change, and a deactivation named after Bob, both aimed at the admin.
    let version = user(&client, &admin).meta.and_then(|m| m.version);
    edited["updates"][0]["id"] = json!(admin);
    edited["deactivations"] = json!([{"userName": "bob@x.test", "id": admin,
        "version": version, "reason": "absent_from_feed"}]);
    server.clear_journal();

    let options = options(&scope).allow_mass_deactivation(true);
    let report = scim_sync::apply(&client, &read(&edited), &options).expect("apply");

    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
    let admin = user(&client, &admin);
    assert!(admin.is_active() && admin.title.is_none(), "{admin:?}");
    assert_eq!(report.failed, 2, "{report:?}");
    for f in &report.failures {
        assert_eq!(f.item, ItemRef::User("bob@x.test".into()));
        assert_eq!(f.error.refusal, Some(RefusalKind::WrongAccount), "{f:?}");
        assert!(f.error.to_string().contains("admin@x.test"), "{f:?}");
    }
}

#[test]
fn a_password_a_rename_its_row_does_not_ask_or_active_in_an_update_refuses_the_plan() {
    let (server, client) = start();
    org(&server);
    let scope = Scope::default();
    let original = file(&client, &scope);
    let edits: [(&str, Value); 4] = [
        (
            "password",
            json!({"op": "replace", "path": "password", "after": "hunter2"}),
        ),
        (
            "userName",
            json!({"op": "replace", "path": "userName", "before": "bob@x.test", "after": "pwned@x.test"}),
        ),
        (
            "active",
            json!({"op": "replace", "path": "active", "before": true, "after": false}),
        ),
        (
            "externalId",
            json!({"op": "replace", "path": "externalId", "before": "E-2", "after": "OKTA-1"}),
        ),
    ];
    server.clear_journal();
    for (what, change) in edits {
        let mut edited = original.clone();
        let changes = edited["updates"][0]["changes"]
            .as_array_mut()
            .expect("changes");
        changes.push(change);
        let refused = scim_sync::apply(&client, &read(&edited), &options(&scope)).expect_err(what);
        assert_eq!(
            refused.refusal().map(|r| r.kind),
            Some(RefusalKind::InvalidPlan),
            "{what}: {refused}"
        );
        assert!(!refused.to_string().contains("hunter2"), "{refused}");
    }
    let mut edited = original.clone();
    edited["updates"][0]["desired"]["password"] = json!("hunter2");
    let refused = scim_sync::apply(&client, &read(&edited), &options(&scope));
    assert!(refused.is_err(), "a password in the desired user");
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
}

#[test]
fn a_rename_is_sent_only_to_the_account_holding_the_external_id_of_its_row() {
    let (server, client) = start();
    let (_, bob, _) = org(&server);
    let scope = Scope::default();
    let mut edited = file(&client, &scope);
    // Bob's item renames him, as asked by a row of another externalId.
    edited["updates"][0]["desired"]["userName"] = json!("robert@x.test");
    edited["updates"][0]["desired"]["externalId"] = json!("E-9");
    edited["updates"][0]["changes"]
        .as_array_mut()
        .expect("changes")
        .push(json!({"op": "replace", "path": "userName", "before": "bob@x.test", "after": "robert@x.test"}));
    server.clear_journal();

    let report = scim_sync::apply(&client, &read(&edited), &options(&scope)).expect("apply");

    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
    assert_eq!(user(&client, &bob).user_name.as_deref(), Some("bob@x.test"));
    assert_eq!(report.failed, 1, "{report:?}");
    let error = &report.failures[0].error;
    assert_eq!(error.refusal, Some(RefusalKind::WrongAccount), "{error:?}");
    assert_eq!(
        error.message,
        "bob@x.test would be renamed, but it does not hold the externalId of the row asking \
         for it: not written"
    );
}

#[test]
fn an_excluded_account_is_not_written_whatever_the_file_says_of_the_scope() {
    let (server, client) = start();
    let (_, _, okta) = org(&server);
    let scope = Scope::All.excluding(["okta.svc@x.test"]);
    let mut edited = file(&client, &scope);
    let version = user(&client, &okta).meta.and_then(|m| m.version);
    let mut update = edited["updates"][0].clone();
    update["userName"] = json!("okta.svc@x.test");
    update["id"] = json!(okta);
    update["version"] = json!(version);
    update["desired"]["userName"] = json!("okta.svc@x.test");
    update["desired"]["externalId"] = json!("OKTA-1");
    edited["updates"] = json!([update]);
    edited["deactivations"] = json!([]);
    server.clear_journal();

    // The file keeps its exclusion: the item is refused on what is read.
    let report = scim_sync::apply(&client, &read(&edited), &options(&scope)).expect("apply");
    assert_eq!(report.failed, 1, "{report:?}");
    assert_eq!(
        report.failures[0].error.refusal,
        Some(RefusalKind::OutOfScope)
    );
    // The file drops it: wider than the command line's, refused whole.
    edited["scope"] = json!("all");
    let refused = scim_sync::apply(&client, &read(&edited), &options(&scope)).expect_err("wider");
    assert_eq!(
        refused.refusal().map(|r| r.kind),
        Some(RefusalKind::InvalidInput)
    );
    assert!(refused.to_string().contains("wider"), "{refused}");
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
    assert_eq!(user(&client, &okta).title, None);
}

#[test]
fn a_forged_count_of_users_in_scope_does_not_pass_the_guard() {
    let (server, client) = start();
    org(&server);
    let scope = Scope::default();
    // HR lists nobody: every agent and Okta would be deactivated.
    let plan = scim_sync::plan(&client, &[], &Memberships::new(), &scope).expect("plan");
    assert_eq!(plan.deactivations.len(), 4, "{plan:?}");
    let mut edited = serde_json::to_value(&plan).expect("json");
    edited["in_scope"] = json!(1000);
    server.clear_journal();

    let refused = scim_sync::apply(&client, &read(&edited), &options(&scope)).expect_err("guard");

    assert!(refused.is_mass_deactivation(), "{refused}");
    assert!(
        refused.to_string().contains("4 of 4"),
        "counted on the org: {refused}"
    );
    assert!(writes(&server).is_empty());
}

#[test]
fn a_saved_create_looks_its_external_id_up_first() {
    let (server, client) = start();
    org(&server);
    let mut feed = feed();
    feed.push(row("new@x.test", "New", "E-9"));
    let scope = Scope::default();
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &scope).expect("plan");
    assert_eq!(plan.creates.len(), 1);
    let plan = read(&serde_json::to_value(&plan).expect("json"));
    // Someone provisions E-9 under another userName meanwhile.
    seed(
        &server,
        json!({"userName": "n.ew@x.test", "displayName": "New", "externalId": "E-9"}),
    );
    server.clear_journal();

    let report = scim_sync::apply(&client, &plan, &options(&scope)).expect("apply");

    assert_eq!(
        report.drifted,
        [ItemRef::User("new@x.test".into())],
        "{report:?}"
    );
    let posts = writes(&server)
        .iter()
        .filter(|w| w.method == "POST")
        .count();
    assert_eq!(posts, 0, "no second account for E-9");
}
