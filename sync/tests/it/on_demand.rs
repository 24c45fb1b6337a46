//! `sync_one`: one person synced on demand by the engine's rules, reading
//! only their accounts, manager and groups, so that it costs the same in a
//! small org and a bigger one.

use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{ok, seed, start};
use scim_sync::{ApplyOptions, DesiredUser, Outcome, Scope};
use serde_json::json;

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

/// An org of `size` agents (E-0 …) besides a boss (B-1) and an admin
/// without externalId.
fn org(size: usize) -> (FakeServer, Client) {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "boss@x.test", "displayName": "Boss", "externalId": "B-1"}),
    );
    seed(
        &server,
        json!({"userName": "admin@x.test", "displayName": "Admin"}),
    );
    for i in 0..size {
        seed(
            &server,
            json!({"userName": format!("agent{i}@x.test"), "displayName": format!("Agent {i}"), "externalId": format!("E-{i}")}),
        );
    }
    server.clear_journal();
    (server, client)
}

fn hire(user_name: &str, external_id: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name("New Hire")
            .with_external_id(external_id)
            .with_title("Agent"),
    )
    .with_manager("boss@x.test")
    .with_groups(["Sales"])
}

fn user(client: &Client, id: &str) -> ScimV2User {
    ok(client.get_scim_v2_user(id).send())
}

#[test]
fn a_hire_a_change_and_a_leaver_cost_the_same_in_a_bigger_org() {
    let mut costs = Vec::new();
    for size in [10, 300] {
        let (server, client) = org(size);
        let boss = ok(client.find_user_by_user_name("boss@x.test")).and_then(|b| b.id);
        let hired = ok(scim_sync::sync_one(
            &client,
            &hire("new@x.test", "N-1"),
            &Scope::default(),
            &options(),
        ));
        assert_eq!(hired.outcome, Some(Outcome::Created), "{hired}");
        let id = hired.id.clone().expect("the new id");
        let account = user(&client, &id);
        assert_eq!(account.manager_id(), boss.as_deref());
        let sales = ok(client.find_group_by_name("Sales")).expect("Sales");
        assert!(sales.has_member(&id), "joined Sales");

        let promoted = hire("new@x.test", "N-1").set(
            scim_sync::Field::Title,
            scim_sync::Desired::Set("Lead".into()),
        );
        let changed = ok(scim_sync::sync_one(
            &client,
            &promoted,
            &Scope::default(),
            &options(),
        ));
        assert_eq!(changed.outcome, Some(Outcome::Updated), "{changed}");
        let again = ok(scim_sync::sync_one(
            &client,
            &promoted,
            &Scope::default(),
            &options(),
        ));
        assert_eq!(again.outcome, Some(Outcome::Unchanged), "{again}");
        assert_eq!(again.id.as_deref(), Some(id.as_str()));

        let mut leaver = hire("new@x.test", "N-1");
        leaver.user.active = Some(false);
        let left = ok(scim_sync::sync_one(
            &client,
            &leaver,
            &Scope::default(),
            &options(),
        ));
        assert_eq!(left.outcome, Some(Outcome::Deactivated), "{left}");
        assert!(!user(&client, &id).is_active());
        costs.push(server.journal().len());
    }
    assert_eq!(costs[0], costs[1], "requests in orgs of 10 and 300");
}

#[test]
fn an_excluded_or_foreign_person_is_left_alone_with_the_reason() {
    let (server, client) = org(3);
    let excluded = Scope::default().excluding(["new@x.test"]);
    let done = ok(scim_sync::sync_one(
        &client,
        &hire("new@x.test", "N-1"),
        &excluded,
        &options(),
    ));
    assert_eq!(done.outcome, None);
    assert!(done.to_string().contains("excluded"), "{done}");
    // The admin has no externalId: outside the default scope.
    let admin = DesiredUser::new(
        ScimV2User::new()
            .with_user_name("admin@x.test")
            .with_display_name("Admin")
            .with_title("Root"),
    );
    let done = ok(scim_sync::sync_one(
        &client,
        &admin,
        &Scope::default(),
        &options(),
    ));
    assert_eq!(done.outcome, None, "{done}");
    assert!(done.to_string().contains("outside the scope"), "{done}");
    assert!(
        server.journal().iter().all(|r| r.method == "GET"),
        "nothing written"
    );
}

/// A rehire under a new HR id that nothing links: the account holding the
/// userName is left for a person to decide, never reported as the person's.
#[test]
fn a_person_left_for_a_decision_is_not_reported_unchanged() {
    let (server, client) = org(1);
    let old = seed(
        &server,
        json!({"userName": "emma@x.test", "displayName": "Emma", "externalId": "E-OLD", "active": false}),
    );
    server.clear_journal();

    let done = ok(scim_sync::sync_one(
        &client,
        &hire("emma@x.test", "E-NEW"),
        &Scope::default(),
        &options(),
    ));

    assert_eq!((done.outcome, done.id.as_deref()), (None, None), "{done}");
    assert_eq!(done.plan.decisions.len(), 1, "{done}");
    assert!(
        done.to_string().contains("give it externalId E-NEW"),
        "{done}"
    );
    assert!(!user(&client, &old).is_active(), "left as it is");
    assert!(
        server.journal().iter().all(|r| r.method == "GET"),
        "nothing written"
    );
}
