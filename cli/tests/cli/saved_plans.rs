//! `sync plan --out PLAN.json` and `sync apply --plan PLAN.json`: the plan
//! reviewed is the plan applied, items changed since are reported drifted
//! and left as the other writer made them, and a plan for another org or
//! of an unknown format is refused.

use crate::common::writes;
use crate::common::{Org, on, org, requests, temp_file};
use crate::sync_selection::{people, sync, user};
use scim_fake::FakeServer;
use serde_json::{Value, json};
use std::path::Path;

/// Jane and Bob both get a new title.
const PROMOTIONS: &str = "\
jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support
bob@example.com,Bob Boss,E-2,,Director,,,
";

fn saved_plan(org: &Org, name: &str) -> std::path::PathBuf {
    let out = temp_file(name);
    let path = people(&format!("{name}.csv"), PROMOTIONS);
    let r = sync(
        &org.server,
        &["plan", "--out", out.to_str().unwrap()],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("Director"),
        "the plan is shown too: {}",
        r.stdout
    );
    out
}

fn apply_saved(server: &FakeServer, plan: &Path, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["sync", "apply", "--plan", plan.to_str().unwrap(), "--yes"];
    args.extend_from_slice(extra);
    on(server, &args)
}

fn list_reads(server: &FakeServer) -> usize {
    requests(server)
        .iter()
        .filter(|r| r.starts_with("GET ") && r.to_lowercase().ends_with("/users"))
        .count()
}

#[test]
fn a_saved_plan_carries_format_org_scope_and_versions_and_applies_without_planning_again() {
    let org = org();
    let out = saved_plan(&org, "saved-plan.json");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(saved["format"], "genesys-scim-plan");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["org"]["base_url"], org.server.base_url());
    assert_eq!(saved["plan"]["scope"], "external-id");
    let updates = saved["plan"]["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 2, "{saved}");
    assert!(updates.iter().all(|u| u["version"].is_string()), "{saved}");
    org.server.clear_journal();

    let r = apply_saved(&org.server, &out, &["-o", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["updated"], 2, "{}", r.stdout);
    assert_eq!(list_reads(&org.server), 0, "{:?}", requests(&org.server));
    assert_eq!(user(&org.server, &org.jane)["title"], "Senior Agent");
    assert_eq!(user(&org.server, &org.bob)["title"], "Director");
}

#[test]
fn an_item_changed_since_the_plan_is_reported_drifted_and_the_other_writers_value_survives() {
    let org = org();
    let out = saved_plan(&org, "drift-plan.json");
    let client = scim_sdk::Client::builder()
        .base_url(org.server.base_url())
        .bearer(org.server.token())
        .build()
        .unwrap();
    scim_sync::update_user(&client, &org.jane, |u| u.title = Some("Team Lead".into())).unwrap();
    org.server.clear_journal();

    let r = apply_saved(&org.server, &out, &["-o", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    let report = r.json();
    assert_eq!(report["updated"], 1, "{report}");
    assert_eq!(
        report["drifted"],
        json!([{"userName": "jane@example.com"}]),
        "{report}"
    );
    assert_eq!(user(&org.server, &org.jane)["title"], "Team Lead");
    assert_eq!(user(&org.server, &org.bob)["title"], "Director");

    // Planned again, the plan sees Team Lead; applied now, nothing drifts.
    let again = temp_file("drift-again.json");
    let path = people("drift-again.csv", PROMOTIONS);
    let r = sync(
        &org.server,
        &["plan", "--out", again.to_str().unwrap()],
        &path,
    );
    assert!(
        r.stdout.contains("\"Team Lead\" -> \"Senior Agent\""),
        "{}",
        r.stdout
    );
    let text = apply_saved(&org.server, &again, &[]);
    assert_eq!(text.code, 0, "{text:?}");
    assert!(text.stdout.starts_with("Saved plan "), "{}", text.stdout);
    assert!(!text.stdout.contains("drifted"), "{}", text.stdout);
}

#[test]
fn a_plan_for_another_org_or_of_an_unknown_format_is_refused_and_nothing_is_sent() {
    let org = org();
    let out = saved_plan(&org, "other-org.json");
    let other = crate::common::org();
    let r = apply_saved(&other.server, &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&org.server.base_url()),
        "names the plan's org: {}",
        r.stderr
    );
    assert!(other.server.journal().is_empty() || writes(&other.server).is_empty());

    let mut saved: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    saved["version"] = json!(99);
    let future = temp_file("future-plan.json");
    std::fs::write(&future, saved.to_string()).unwrap();
    org.server.clear_journal();
    let r = apply_saved(&org.server, &future, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("version 99"), "{}", r.stderr);
    assert!(org.server.journal().is_empty(), "refused before connecting");
}
