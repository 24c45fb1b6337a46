//! `plan_since` with a `SyncState`: what a library's cron or webhook
//! service runs. A state records what was applied; the guard of an
//! incremental plan never counts more users in scope than the org has.

use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{ok, seed, start};
use scim_sync::{ApplyOptions, DesiredUser, Feed, Scope, SyncState};
use serde_json::json;

fn person(i: usize, title: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(format!("p{i}@x.test"))
            .with_display_name(format!("P {i}"))
            .with_external_id(format!("E-{i}"))
            .with_title(title),
    )
}

/// Seeds the accounts of `person(0..n, "Agent")`; their ids.
fn agents(server: &scim_fake::FakeServer, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            seed(
                server,
                json!({"userName": format!("p{i}@x.test"), "displayName": format!("P {i}"),
                       "externalId": format!("E-{i}"), "title": "Agent"}),
            )
        })
        .collect()
}

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

#[test]
fn a_state_records_what_was_applied_and_a_forged_count_cannot_loosen_the_guard() {
    let (server, client) = start();
    // Big enough that reading 6 people costs fewer requests than listing.
    agents(&server, 1_000);
    let scope = Scope::default();
    let mut feed: Vec<DesiredUser> = (0..1_000).map(|i| person(i, "Agent")).collect();
    let mut state = SyncState::new(client.base_url(), &scope, "v1");
    let plan = ok(scim_sync::plan_since(
        &client,
        &Feed::new(feed.clone()),
        &scope,
        &state,
    ));
    assert!(plan.since().is_some_and(|s| s.is_full()));
    ok(state.apply_and_record(&client, &plan, &options()));
    assert_eq!(state.len(), 1_000);
    assert!(!state.needs_full_reconcile());

    // A round trip through JSON, as a file would, with the count forged.
    let mut saved = serde_json::to_value(&state).expect("serializes");
    saved["full"]["in_scope"] = json!(1_000_000);
    let state: SyncState = serde_json::from_value(saved).expect("deserializes");
    let mut state = ok(state.resume(client.base_url(), &scope, "v1"));

    feed[3] = person(3, "Lead");
    feed.truncate(995);
    server.clear_journal();
    let plan = ok(scim_sync::plan_since(
        &client,
        &Feed::new(feed.clone()),
        &scope,
        &state,
    ));
    let since = plan.since().expect("made with a state");
    assert_eq!(
        (since.is_full(), since.changed(), since.gone()),
        (false, 1, 5)
    );
    assert_eq!(plan.deactivations.len(), 5);
    // 0.2%: 2 of the 1,000 active users the org counts, 2,000 of the forged count.
    let strict = options().max_deactivation_ratio(0.002);
    let refused = state.apply_and_record(&client, &plan, &strict);
    assert!(
        refused
            .as_ref()
            .is_err_and(scim_sync::Error::is_mass_deactivation),
        "{refused:?}"
    );
    assert!(server.journal().iter().all(|r| r.method == "GET"));

    let report = ok(state.apply_and_record(&client, &plan, &options()));
    assert_eq!((report.summary.updated, report.summary.deactivated), (1, 5));
    assert_eq!(
        state.len(),
        995,
        "the leavers are forgotten once deactivated"
    );
    server.clear_journal();
    let plan = ok(scim_sync::plan_since(
        &client,
        &Feed::new(feed.clone()),
        &scope,
        &state,
    ));
    assert!(plan.is_empty(), "{plan:?}");
    assert!(server.journal().is_empty(), "nothing changed, nothing read");
}

/// A rehire under a new HR id: the new row is new to the state, and its
/// old record (the row of the same userName with the old id) is not; both
/// are planned together, so the account is relinked as a full sync would.
#[test]
fn a_rehires_rows_are_planned_together_and_relink_the_account() {
    let (server, client) = start();
    agents(&server, 1_000);
    let emma = seed(
        &server,
        json!({"userName": "emma@x.test", "displayName": "Emma", "externalId": "E-OLD", "title": "Agent", "active": false}),
    );
    let scope = Scope::default();
    let mut feed: Vec<DesiredUser> = (0..1_000).map(|i| person(i, "Agent")).collect();
    let mut old = DesiredUser::new(
        ScimV2User::new()
            .with_user_name("emma@x.test")
            .with_display_name("Emma")
            .with_external_id("E-OLD")
            .with_title("Agent"),
    );
    old.user.active = Some(false);
    feed.push(old.clone());
    let mut state = SyncState::new(client.base_url(), &scope, "v1");
    let plan = ok(scim_sync::plan_since(
        &client,
        &Feed::new(feed.clone()),
        &scope,
        &state,
    ));
    ok(state.apply_and_record(&client, &plan, &options()));

    let mut rehired = old.clone();
    rehired.user.active = Some(true);
    rehired.user.external_id = Some("E-NEW".into());
    feed.push(rehired);
    let plan = ok(scim_sync::plan_since(
        &client,
        &Feed::new(feed),
        &scope,
        &state,
    ));
    assert!(plan.since().is_some_and(|s| !s.is_full()), "{plan:?}");
    assert_eq!(plan.reactivations.len(), 1, "{plan:?}");
    assert!(plan.creates.is_empty(), "{plan:?}");
    ok(state.apply_and_record(&client, &plan, &options()));
    let account = ok(client.get_scim_v2_user(&emma).send());
    assert_eq!(account.external_id.as_deref(), Some("E-NEW"));
    assert!(account.is_active());
}

/// A full reconcile whose deactivations were refused (or failed) leaves
/// work no incremental run would see: the next run is a full one again.
#[test]
fn a_full_reconcile_cut_short_is_not_recorded_as_one() {
    let (server, client) = start();
    agents(&server, 20);
    let scope = Scope::default();
    // 5 of the 20 are absent from the feed: past the 10% guard.
    let feed = Feed::new((0..15).map(|i| person(i, "Agent")).collect());
    let mut state = SyncState::new(client.base_url(), &scope, "v1");
    let plan = ok(scim_sync::plan_since(&client, &feed, &scope, &state));
    let refused = state.apply_and_record(&client, &plan, &options());
    assert!(refused.is_err_and(|e| e.is_mass_deactivation()));
    assert!(
        state.needs_full_reconcile(),
        "the absent five are still to do"
    );
    let plan = ok(scim_sync::plan_since(&client, &feed, &scope, &state));
    assert!(plan.since().is_some_and(|s| s.is_full()));
    let allowed = options().allow_mass_deactivation(true);
    ok(state.apply_and_record(&client, &plan, &allowed));
    assert!(!state.needs_full_reconcile());
    assert_eq!(state.len(), 15);
}

/// Groups the feed lists whole: a person who left the feed leaves them, as
/// in a full sync, and an incremental run ends where a full one would.
#[test]
fn a_leaver_leaves_the_groups_the_feed_lists_whole() {
    let (server, client) = start();
    let ids = agents(&server, 1_000);
    let support = server.group_id("Support").expect("Support");
    let add = scim_sdk::models::ScimV2PatchRequest::patch_op().add(
        "members",
        ids[..10]
            .iter()
            .map(|id| json!({"value": id}))
            .collect::<Vec<_>>()
            .into(),
    );
    ok(client.patch_scim_v2_group(&support, add).send());
    let scope = Scope::default();
    let feed = |n: usize| {
        let users: Vec<DesiredUser> = (0..1_000)
            .filter(|i| *i != n)
            .map(|i| person(i, "Agent"))
            .collect();
        let mut groups = scim_sync::Memberships::new();
        let members = (0..10)
            .filter(|i| *i != n)
            .map(|i| format!("p{i}@x.test"))
            .collect();
        groups.insert("Support".to_owned(), members);
        Feed::new(users).with_memberships(groups)
    };
    let mut state = SyncState::new(client.base_url(), &scope, "v1");
    let plan = ok(scim_sync::plan_since(
        &client,
        &feed(usize::MAX),
        &scope,
        &state,
    ));
    ok(state.apply_and_record(&client, &plan, &options()));

    let plan = ok(scim_sync::plan_since(&client, &feed(3), &scope, &state));
    assert!(plan.since().is_some_and(|s| !s.is_full()), "{plan:?}");
    assert_eq!(
        (plan.deactivations.len(), plan.memberships.len()),
        (1, 1),
        "{plan:?}"
    );
    ok(state.apply_and_record(&client, &plan, &options()));
    let group = ok(client.get_scim_v2_group(&support).send());
    assert!(!group.has_member(&ids[3]));
    assert_eq!(group.member_ids().count(), 9);
    let full = ok(scim_sync::plan_feed(&client, &feed(3), &scope));
    assert!(full.is_empty(), "a full sync finds nothing left: {full:?}");
}

#[test]
fn a_new_row_finding_the_account_of_an_unchanged_row_is_a_conflict_as_in_a_full_plan() {
    let (server, client) = start();
    agents(&server, 1_000);
    seed(
        &server,
        json!({"userName": "jane@x.test", "displayName": "Jane", "externalId": "E-J"}),
    );
    let scope = Scope::All;
    let jane = DesiredUser::new(
        ScimV2User::new()
            .with_user_name("jane@x.test")
            .with_display_name("Jane"),
    )
    .with_source("hr.csv:1002");
    let mut feed: Vec<DesiredUser> = (0..1_000).map(|i| person(i, "Agent")).collect();
    feed.push(jane);
    let mut state = SyncState::new(client.base_url(), &scope, "v1");
    let plan = ok(scim_sync::plan_since(
        &client,
        &Feed::new(feed.clone()),
        &scope,
        &state,
    ));
    ok(state.apply_and_record(&client, &plan, &options()));

    // A new row finds Jane's account by its externalId; her unchanged row
    // finds it by userName. Applied, the rename would leave her row with
    // no account, and a later full run would create a second Jane.
    feed.push(
        DesiredUser::new(
            ScimV2User::new()
                .with_user_name("jane.doe@x.test")
                .with_display_name("Jane Doe")
                .with_external_id("E-J"),
        )
        .with_source("hr.csv:1003"),
    );
    let err = scim_sync::plan_since(&client, &Feed::new(feed.clone()), &scope, &state)
        .expect_err("refused as a full plan refuses it");
    assert!(err.to_string().contains("hr.csv:1002"), "{err}");
    assert!(err.to_string().contains("hr.csv:1003"), "{err}");

    let feed = Feed::new(feed).leaving_out_conflicts();
    let plan = ok(scim_sync::plan_since(&client, &feed, &scope, &state));
    assert!(plan.since().is_some_and(|s| !s.is_full()), "incremental");
    assert!(plan.is_empty(), "{plan}");
    let mut lines: Vec<_> = (plan.warnings.iter())
        .filter_map(|w| w.line.as_deref())
        .collect();
    lines.sort_unstable();
    assert_eq!(lines, ["hr.csv:1002", "hr.csv:1003"], "{plan}");
}
