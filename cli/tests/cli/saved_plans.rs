//! `sync plan --out PLAN.json` and `sync apply --plan PLAN.json`: the plan
//! reviewed is the plan applied, items changed since are reported drifted
//! and left as the other writer made them, and a plan for another org or
//! of an unknown format is refused.

use crate::common::{Org, on, org, people, requests, sync, temp_file, user, writes};
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

/// `sha256:` and the hex digest of the file's bytes.
fn fingerprint_of(path: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn edit(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut saved: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut saved);
    std::fs::write(path, serde_json::to_string_pretty(&saved).unwrap()).unwrap();
}

#[test]
fn plan_out_prints_the_files_fingerprint_and_apply_refuses_a_plan_of_another() {
    let org = org();
    let out = temp_file("fingerprinted.json");
    let path = people("fingerprinted.csv", PROMOTIONS);
    let file = out.to_str().unwrap();
    let r = sync(&org.server, &["plan", "--out", file], &path);
    assert_eq!(r.code, 0, "{r:?}");
    let fingerprint = fingerprint_of(&out);
    assert!(r.stderr.contains(&fingerprint), "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("--plan {file} --expect-fingerprint {fingerprint}")),
        "says how to apply exactly it: {}",
        r.stderr
    );
    let json = sync(&org.server, &["plan", "--out", file, "-o", "json"], &path);
    assert_eq!(json.code, 0, "{json:?}");
    assert_eq!(
        json.json()["fingerprint"],
        fingerprint_of(&out),
        "{}",
        json.stdout
    );
    assert!(
        json.stderr.contains(&fingerprint_of(&out)),
        "{}",
        json.stderr
    );
    let fingerprint = fingerprint_of(&out);

    // One title changed by hand: another file, refused before anything is sent.
    let tampered = temp_file("fingerprinted-tampered.json");
    std::fs::copy(&out, &tampered).unwrap();
    edit(&tampered, |p| {
        p["plan"]["updates"][0]["changes"][0]["after"] = json!("Boss of all");
    });
    org.server.clear_journal();
    let r = apply_saved(
        &org.server,
        &tampered,
        &["--expect-fingerprint", &fingerprint],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(&fingerprint), "{}", r.stderr);
    assert!(
        r.stderr.contains(&fingerprint_of(&tampered)),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was sent"), "{}", r.stderr);
    assert!(
        org.server.journal().is_empty(),
        "{:?}",
        requests(&org.server)
    );

    let r = apply_saved(
        &org.server,
        &out,
        &["--expect-fingerprint", &fingerprint, "-o", "json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["updated"], 2, "{}", r.stdout);
}

#[test]
fn a_plan_older_than_max_plan_age_or_dated_in_the_future_is_refused() {
    let org = org();
    let out = saved_plan(&org, "aged.json");
    let dated = |seconds_from_now: i64| {
        let now = std::time::SystemTime::now();
        let at = if seconds_from_now < 0 {
            now - std::time::Duration::from_secs(seconds_from_now.unsigned_abs())
        } else {
            now + std::time::Duration::from_secs(seconds_from_now as u64)
        };
        humantime::format_rfc3339_seconds(at).to_string()
    };
    // Two days old: past the default of 24 hours.
    edit(&out, |p| p["created"] = json!(dated(-2 * 86_400)));
    org.server.clear_journal();
    let r = apply_saved(&org.server, &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--max-plan-age"), "{}", r.stderr);
    assert!(r.stderr.contains("2days"), "says how old: {}", r.stderr);
    for (created, why) in [
        (dated(86_400), "in the future"),
        ("last tuesday".to_owned(), "last tuesday"),
    ] {
        edit(&out, |p| p["created"] = json!(created));
        let r = apply_saved(&org.server, &out, &["--max-plan-age", "30d"]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains(why), "{}", r.stderr);
    }
    assert!(
        org.server.journal().is_empty(),
        "{:?}",
        requests(&org.server)
    );

    edit(&out, |p| p["created"] = json!(dated(-2 * 86_400)));
    let r = apply_saved(
        &org.server,
        &out,
        &["--max-plan-age", "3 days", "-o", "json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["updated"], 2, "{}", r.stdout);
    let people = people("aged.csv", PROMOTIONS);
    for option in [
        ["--max-plan-age", "1h"],
        ["--expect-fingerprint", &fingerprint_of(&out)],
    ] {
        let r = sync(
            &org.server,
            &["apply", "--yes", option[0], option[1]],
            &people,
        );
        assert_eq!(r.code, 2, "{} goes with --plan: {r:?}", option[0]);
        assert!(r.stderr.contains("--from"), "{}", r.stderr);
    }
}

#[test]
fn a_saved_plan_carrying_a_password_is_refused_without_showing_it() {
    let org = org();
    let out = saved_plan(&org, "password.json");
    let original = std::fs::read_to_string(&out).unwrap();
    let edits: [fn(&mut Value); 3] = [
        |p| {
            p["plan"]["updates"][0]["changes"]
                .as_array_mut()
                .unwrap()
                .push(json!({"op": "replace", "path": "password", "after": "hunter2-SECRET"}))
        },
        |p| p["plan"]["updates"][0]["desired"]["password"] = json!("hunter2-SECRET"),
        |p| {
            p["plan"]["creates"] = json!([{
                "userName": "new@example.com",
                "user": {"userName": "new@example.com", "displayName": "New", "password": "hunter2-SECRET"},
                "reason": "not_in_org"
            }])
        },
    ];
    for change in edits {
        std::fs::write(&out, &original).unwrap();
        edit(&out, change);
        org.server.clear_journal();
        let r = apply_saved(&org.server, &out, &[]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("password"), "{}", r.stderr);
        assert!(!r.all_output().contains("hunter2"), "{r:?}");
        assert!(
            org.server.journal().is_empty(),
            "{:?}",
            requests(&org.server)
        );
    }
}

#[test]
fn options_that_read_a_people_file_are_refused_beside_a_saved_plan_and_nothing_is_sent() {
    let org = org();
    let out = saved_plan(&org, "plan-with-file-options.json");
    org.server.clear_journal();
    // Each would be ignored: the plan is applied as it is, reading no file.
    for option in [
        &["--from", "people.csv"][..],
        &["--map", "hr.toml"],
        &["--encoding", "windows-1252"],
        &["--delimiter", ";"],
        &["--sheet", "Staff"],
        &["--managed-groups", "Support"],
        &["--skip-invalid-rows"],
        &["--ignore-unknown-columns"],
        &["--only", "jane@example.com"],
        &["--state", "state.json"],
        &["--state", "state.json", "--full"],
    ] {
        let r = apply_saved(&org.server, &out, option);
        assert_eq!(r.code, 2, "{option:?}: {r:?}");
        assert!(
            r.stderr.contains("cannot be used with"),
            "{option:?}: {}",
            r.stderr
        );
    }
    assert!(
        org.server.journal().is_empty(),
        "{:?}",
        requests(&org.server)
    );
}

#[test]
fn a_saved_plan_that_does_not_read_is_refused_naming_its_line_and_column() {
    let org = org();
    let out = saved_plan(&org, "plan-bad-value.json");
    edit(&out, |p| p["plan"]["in_scope"] = json!("many"));
    let text = std::fs::read_to_string(&out).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l.contains("\"in_scope\": \"many\""))
        .unwrap();
    org.server.clear_journal();
    let r = apply_saved(&org.server, &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    let place = format!("error: {}:{line}:", out.display());
    assert!(r.stderr.starts_with(&place), "{place}: {}", r.stderr);
    assert!(!r.stderr.contains(" at line "), "told once: {}", r.stderr);
    assert!(
        org.server.journal().is_empty(),
        "{:?}",
        requests(&org.server)
    );

    std::fs::write(&out, &text[..text.len() / 2]).unwrap();
    let r = apply_saved(&org.server, &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    let place = format!(
        "error: {}:{}:",
        out.display(),
        text[..text.len() / 2].lines().count()
    );
    assert!(r.stderr.starts_with(&place), "{place}: {}", r.stderr);
}

/// Two orgs of one region share a base URL; an OAuth client belongs to
/// one org, so a plan made through one client is not applied through
/// another (its creates would land in the other org).
#[test]
fn a_plan_made_through_another_oauth_client_is_refused_and_nothing_is_sent() {
    let server = FakeServer::builder()
        .client_credentials("org-a", "secret-a")
        .start()
        .expect("fake starts");
    let path = people(
        "other-client-plan.csv",
        "new@example.com,New Hire,E-7,,,,,\n",
    );
    let out = temp_file("other-client-plan.json");
    let (base, token_url) = (server.base_url(), server.token_url());
    let as_client = |id: &str, secret: &str, args: &[&str]| {
        crate::common::run(
            crate::common::scim()
                .env("GENESYS_CLIENT_ID", id)
                .env("GENESYS_CLIENT_SECRET", secret)
                .args(["--base-url", &base, "--token-url", &token_url])
                .args(args),
        )
    };
    let from = path.to_str().unwrap();
    let plan = out.to_str().unwrap();
    let r = as_client(
        "org-a",
        "secret-a",
        &["sync", "plan", "--from", from, "--out", plan],
    );
    assert_eq!(r.code, 0, "{r:?}");
    server.clear_journal();

    let r = as_client(
        "org-b",
        "secret-b",
        &["sync", "apply", "--yes", "--plan", plan],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("org-a"),
        "names the plan's org: {}",
        r.stderr
    );
    assert!(server.journal().is_empty(), "{:?}", requests(&server));

    let r = as_client(
        "org-a",
        "secret-a",
        &["sync", "apply", "--yes", "--plan", plan],
    );
    assert_eq!(r.code, 0, "the plan's own client applies it: {r:?}");
}

#[test]
fn a_saved_plan_applied_with_credentials_the_org_refuses_exits_3_as_a_planned_apply_does() {
    let org = org();
    let out = saved_plan(&org, "refused-token.json");
    let base = org.server.base_url();
    let plan = out.to_str().unwrap();
    let with_token = |args: &[&str]| {
        crate::common::run(
            crate::common::scim()
                .args(["--base-url", &base, "--token", "not-the-token"])
                .args(args),
        )
    };
    let from = people("refused-token.csv", PROMOTIONS);
    let planned = with_token(&["sync", "apply", "--yes", "--from", from.to_str().unwrap()]);
    assert_eq!(planned.code, 3, "{planned:?}");
    let saved = with_token(&["sync", "apply", "--yes", "--plan", plan]);
    assert_eq!(saved.code, 3, "{saved:?}");
    assert!(saved.stderr.contains("credentials"), "{}", saved.stderr);
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
}
