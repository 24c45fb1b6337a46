//! Rehires and old records against the stateful fake: an inactive row of
//! the current row's userName is no conflict and links its old externalId,
//! so the account holding it is relinked and reactivated by one guarded
//! write; without such a row the plan asks for a decision instead of
//! going quiet; rows and their warnings are named by where they came from.

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start, writes};
use scim_sync::{
    ApplyOptions, DesiredUser, Error, ItemStatus, Memberships, Plan, RefusalKind, Scope,
};
use serde_json::{Value, json};

fn row(user_name: &str, external_id: &str, active: bool, title: &str) -> DesiredUser {
    let mut user = ScimV2User::new()
        .with_user_name(user_name)
        .with_display_name("Emma Brown")
        .with_external_id(external_id)
        .with_title(title);
    user.active = Some(active);
    DesiredUser::new(user)
}

fn plan(client: &Client, feed: &[DesiredUser]) -> Result<Plan, Error> {
    scim_sync::plan(client, feed, &Memberships::new(), &Scope::ExternalId)
}

fn json_of(plan: &Plan) -> Value {
    serde_json::to_value(plan).expect("a plan serializes")
}

fn apply(client: &Client, plan: &Plan) -> scim_sync::Report {
    scim_sync::apply(client, plan, &ApplyOptions::default().rate_limit(None)).expect("apply")
}

fn left(server: &scim_fake::FakeServer, external_id: &str) -> String {
    seed(
        server,
        json!({"userName": "emma@x.test", "displayName": "Emma Brown", "externalId": external_id,
               "title": "Agent", "active": false}),
    )
}

#[test]
fn an_old_inactive_row_of_the_current_rows_user_name_is_no_conflict() {
    let (_server, client) = start();
    // Same userName, other externalId; or the same one (a position ended).
    for old in ["E-OLD", "E-NEW"] {
        let feed = [
            row("emma@x.test", "E-NEW", true, "Lead"),
            row("EMMA@x.test", old, false, "Agent"),
        ];
        let planned = plan(&client, &feed).expect("no conflict");
        assert_eq!(planned.creates.len(), 1, "{planned:?}");
        assert_eq!(
            planned.unchanged, 0,
            "the old row is no person: {planned:?}"
        );
    }
}

#[test]
fn a_linked_rehire_is_relinked_and_reactivated_by_one_guarded_write() {
    let (server, client) = start();
    let emma = left(&server, "E-OLD");
    server.clear_journal();
    let feed = [
        row("emma@x.test", "E-OLD", false, "Agent").with_source("hr.csv:14"),
        row("emma@x.test", "E-NEW", true, "Lead").with_source("hr.csv:18"),
    ];

    let planned = plan(&client, &feed).expect("plan");
    let shown = json_of(&planned);
    assert_eq!(planned.reactivations.len(), 1, "{shown}");
    assert!(
        planned.creates.is_empty() && planned.decisions.is_empty(),
        "{shown}"
    );
    let r = &shown["reactivations"][0];
    assert_eq!(r["id"], json!(emma));
    assert_eq!(r["reason"], "rehire");
    assert_eq!(
        r["relink"],
        json!({"from": "E-OLD", "to": "E-NEW", "line": "hr.csv:14"})
    );
    assert!(
        planned
            .to_string()
            .contains("a rehire, linked by hr.csv:14"),
        "{planned}"
    );

    let report = apply(&client, &planned);
    assert_eq!(
        (report.failed, report.summary.reactivated),
        (0, 1),
        "{report}"
    );
    let sent = writes(&server);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].header("If-Match").is_some(), "guarded: {sent:?}");
    let now = client.get_scim_v2_user(&emma).send().expect("read");
    assert_eq!(now.external_id.as_deref(), Some("E-NEW"));
    assert!(now.is_active());
    assert_eq!(now.title.as_deref(), Some("Lead"));

    let again = plan(&client, &feed).expect("plan");
    assert!(again.is_empty() && again.decisions.is_empty(), "{again}");
}

#[test]
fn a_saved_rehire_is_written_only_to_the_account_holding_the_old_id() {
    let (server, client) = start();
    left(&server, "E-OLD");
    let feed = [
        row("emma@x.test", "E-OLD", false, "Agent"),
        row("emma@x.test", "E-NEW", true, "Lead"),
    ];
    let planned = plan(&client, &feed).expect("plan");
    // The plan goes through a file. Edited, to rename the account as well:
    // refused whole.
    let mut edited = json_of(&planned);
    edited["reactivations"][0]["desired"]["userName"] = json!("boss@x.test");
    let edited: Plan = serde_json::from_value(edited).expect("read back");
    let refused = scim_sync::apply(&client, &edited, &ApplyOptions::default()).expect_err("edited");
    assert!(
        matches!(&refused, Error::Refused(r) if r.kind == RefusalKind::InvalidPlan),
        "{refused}"
    );
    // As planned, but meanwhile someone set the account's id.
    let saved: Plan = serde_json::from_value(json_of(&planned)).expect("read back");
    let id = &planned.reactivations[0].id;
    scim_sync::update_user(&client, id, |u| u.external_id = Some("E-OTHER".into()))
        .expect("changed meanwhile");
    server.clear_journal();

    let report = apply(&client, &saved);
    assert_eq!(report.failed, 1, "{report}");
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));
}

#[test]
fn an_unlinked_rehire_is_a_decision_and_set_external_id_settles_it() {
    let (server, client) = start();
    let emma = left(&server, "E-OLD");
    let other = seed(
        &server,
        json!({"userName": "other@x.test", "displayName": "O", "externalId": "E-9"}),
    );
    let mut feed = vec![row("emma@x.test", "E-NEW", true, "Lead").with_source("hr.csv:7")];
    feed.push(DesiredUser::new(
        ScimV2User::new()
            .with_user_name("other@x.test")
            .with_display_name("O")
            .with_external_id("E-9"),
    ));

    let planned = plan(&client, &feed).expect("plan");
    assert!(planned.is_empty(), "nothing is written for her: {planned}");
    assert_eq!(planned.summary().needs_decision, 1);
    assert_eq!(
        json_of(&planned)["decisions"],
        json!([{"userName": "emma@x.test", "line": "hr.csv:7", "holder_id": emma,
                "holder_external_id": "E-OLD", "row_external_id": "E-NEW"}])
    );
    assert!(
        planned
            .to_string()
            .contains("If the account is this person's (a rehire), give it externalId E-NEW"),
        "{planned}"
    );

    // Another account's id: refused, nothing sent.
    server.clear_journal();
    let options = ApplyOptions::default().rate_limit(None);
    let refused = scim_sync::set_external_id(&client, &emma, "E-9", &options).expect("ran");
    let ItemStatus::Failed(e) = &refused.status else {
        panic!("{refused:?}")
    };
    assert_eq!(e.refusal, Some(RefusalKind::Conflict), "{e}");
    assert!(e.message.contains("other@x.test"), "{e}");
    assert!(writes(&server).is_empty());
    let held = client.get_scim_v2_user(&other).send().expect("read");
    assert_eq!(held.external_id.as_deref(), Some("E-9"), "untouched");

    let done = scim_sync::set_external_id(&client, &emma, "E-NEW", &options).expect("ran");
    assert!(done.status.is_done(), "{done:?}");
    let sent = writes(&server);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].header("If-Match").is_some());

    let planned = plan(&client, &feed).expect("plan");
    assert_eq!(planned.reactivations.len(), 1, "{planned}");
    assert!(planned.decisions.is_empty());
    apply(&client, &planned);
    assert!(plan(&client, &feed).expect("plan").is_empty());
}

#[test]
fn the_account_of_a_decision_joins_and_leaves_no_group() {
    let (server, client) = start();
    let emma = left(&server, "E-OLD");
    // The feed lists Support's members by userName: Emma's row among them.
    let feed = [row("emma@x.test", "E-NEW", true, "Lead")];
    let mut groups = Memberships::new();
    groups.insert("Support".into(), vec!["emma@x.test".into()]);

    let planned = scim_sync::plan(&client, &feed, &groups, &Scope::ExternalId).expect("plan");

    assert_eq!(planned.decisions.len(), 1, "{planned}");
    let touched: Vec<_> = (planned.memberships.iter())
        .flat_map(|m| m.add.iter().chain(&m.remove))
        .filter(|m| m.id.as_deref() == Some(emma.as_str()))
        .collect();
    assert!(touched.is_empty(), "not hers to move: {planned}");
}
