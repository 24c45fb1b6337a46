//! Exclusions, `only` lists and "no deactivation" are part of the scope a
//! plan carries: apply checks them on what it reads before each write, so
//! a plan made or edited without them cannot write an excluded user.

use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{
    ApplyOptions, DesiredUser, Exclusion, ItemRef, Memberships, Plan, RefusalKind, Scope,
};
use serde_json::json;

fn person(user_name: &str, title: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(user_name)
            .with_external_id(format!("E-{user_name}"))
            .with_title(title),
    )
}

fn saved(plan: &Plan) -> Plan {
    let text = serde_json::to_string(plan).expect("a plan serializes");
    serde_json::from_str(&text).expect("a plan deserializes")
}

#[test]
fn an_excluded_user_is_not_written_even_from_a_plan_that_wanted_it() {
    let (server, client) = start();
    for name in ["ann@x.test", "bob@x.test"] {
        seed(
            &server,
            json!({"userName": name, "displayName": name, "externalId": format!("E-{name}"), "title": "Agent"}),
        );
    }
    let feed = [person("ann@x.test", "Lead"), person("bob@x.test", "Lead")];
    let mut plan = scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::All).expect("plan");
    assert_eq!(plan.updates.len(), 2, "{plan:?}");
    // Someone narrows the plan's scope after planning; the saved copy keeps it.
    plan.scope = Scope::All.excluding([" ANN@x.test"]);
    let plan = saved(&plan);
    assert_eq!(plan.scope, Scope::All.excluding(["ann@x.test"]));
    server.clear_journal();

    let report =
        scim_sync::apply(&client, &plan, &ApplyOptions::default().rate_limit(None)).expect("apply");
    assert_eq!(report.summary.updated, 1, "{report:?}");
    assert_eq!(report.failures.len(), 1, "{report:?}");
    assert_eq!(report.failures[0].item, ItemRef::User("ann@x.test".into()));
    let patched: Vec<String> = writes(&server).iter().map(|r| r.path.clone()).collect();
    assert_eq!(patched.len(), 1, "only Bob is written: {patched:?}");
}

#[test]
fn a_scope_without_deactivations_plans_none_and_apply_refuses_a_plan_with_one() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "gone@x.test", "displayName": "Gone", "externalId": "E-9"}),
    );
    let scope = Scope::default().without_deactivations();
    let plan = scim_sync::plan(&client, &[], &Memberships::new(), &scope).expect("plan");
    assert!(plan.deactivations.is_empty(), "{plan:?}");

    let mut plan =
        scim_sync::plan(&client, &[], &Memberships::new(), &Scope::default()).expect("plan");
    assert_eq!(plan.deactivations.len(), 1);
    plan.scope = scope;
    let plan = saved(&plan);
    server.clear_journal();
    let options = ApplyOptions::default()
        .rate_limit(None)
        .allow_mass_deactivation(true);
    match scim_sync::apply(&client, &plan, &options) {
        Err(scim_sync::Error::Refused(r)) => assert_eq!(r.kind, RefusalKind::InvalidInput),
        other => panic!("refused, not {other:?}"),
    }
    assert!(writes(&server).is_empty());
}

#[test]
fn an_account_excluded_by_external_id_is_neither_planned_nor_written() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "ann@x.test", "displayName": "ann@x.test", "externalId": "E-ann@x.test", "title": "Agent"}),
    );
    let okta = seed(
        &server,
        json!({"userName": "svc@x.test", "displayName": "Okta", "externalId": "OKTA-1", "title": "Agent"}),
    );
    let feed = [person("ann@x.test", "Lead")];
    let scope = Scope::All.excluding_external_ids([" OKTA-1 "]);
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &scope).expect("plan");
    assert_eq!(plan.updates.len(), 1, "{plan:?}");
    assert!(
        plan.deactivations.is_empty(),
        "Okta is not absent: {plan:?}"
    );
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);

    // Planned without the exclusion, the plan deactivates Okta; its saved
    // copy is then narrowed by externalId.
    let mut plan = scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::All).expect("plan");
    assert_eq!(plan.deactivations.len(), 1, "{plan:?}");
    plan.scope = scope;
    let plan = saved(&plan);
    server.clear_journal();
    let options = ApplyOptions::default()
        .rate_limit(None)
        .allow_mass_deactivation(true);
    let report = scim_sync::apply(&client, &plan, &options).expect("apply");
    assert_eq!(report.summary.updated, 1, "{report:?}");
    assert_eq!(report.failures.len(), 1, "{report:?}");
    assert_eq!(report.failures[0].item, ItemRef::User("svc@x.test".into()));
    let okta = client.get_scim_v2_user(&okta).send().expect("read");
    assert!(okta.is_active(), "never deactivated");
    assert!(
        writes(&server)
            .iter()
            .all(|w| !w.path.ends_with(okta.id.as_deref().unwrap_or("-"))),
        "{:?}",
        writes(&server)
    );
}

#[test]
fn an_exclusion_matching_no_account_is_a_plan_warning() {
    let (server, client) = start();
    seed(
        &server,
        json!({"userName": "svc@x.test", "displayName": "Okta", "externalId": "OKTA-1"}),
    );
    let scope = Scope::All.excluding_people([
        Exclusion::by_user_name("svc@x.test"),
        Exclusion::by_external_id("OKTA-2"),
        Exclusion::person("renamed@x.test", Some("OKTA-1")),
        Exclusion::by_user_name("scv@x.test"),
    ]);
    let plan = scim_sync::plan(&client, &[], &Memberships::new(), &scope).expect("plan");
    let warnings: Vec<String> = plan.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("externalId OKTA-2"), "{warnings:?}");
    assert!(warnings[1].contains("scv@x.test"), "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.contains("matches no account")),
        "{warnings:?}"
    );
}
