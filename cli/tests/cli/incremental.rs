//! `sync plan|apply --state FILE`: after a full reconcile, a run reads only
//! the people whose rows changed, are new or left the file, and reaches the
//! end state a full sync would; the state is bound to its org, locked, and
//! what a killed run leaves is completed by the next.

use crate::common::{Run, add_members, on, run, scim, seed, temp_file};
use scim_fake::FakeServer;
use serde_json::json;
use std::path::{Path, PathBuf};

const HEADER: &str = "userName,displayName,externalId,active,title,manager,groups\n";

fn row(i: usize, title: &str, groups: &str) -> String {
    format!("p{i}@example.com,Person {i},E-{i},,{title},lead@example.com,{groups}\n")
}

/// An org of `size` people p0… (E-0…), managed by lead@ (L-1), the first
/// hundred in Support, and the rows of a file that agrees with it.
fn org(size: usize) -> (FakeServer, Vec<String>) {
    let server = FakeServer::builder()
        .emulate_page_cost(true)
        .start()
        .expect("fake starts");
    let lead = seed(
        &server,
        json!({"userName": "lead@example.com", "displayName": "Lead", "externalId": "L-1"}),
    );
    let mut ids = vec![lead.clone()];
    let mut rows = vec!["lead@example.com,Lead,L-1,,,,Support\n".to_owned()];
    for i in 0..size {
        ids.push(seed(
            &server,
            json!({
                "userName": format!("p{i}@example.com"), "displayName": format!("Person {i}"),
                "externalId": format!("E-{i}"), "title": "Agent",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": lead}}
            }),
        ));
        rows.push(row(i, "Agent", if i < 100 { "Support" } else { "" }));
    }
    let refs: Vec<&str> = ids.iter().take(101).map(String::as_str).collect();
    add_members(&server, "Support", &refs);
    server.clear_journal();
    (server, rows)
}

fn file(name: &str, rows: &[String]) -> PathBuf {
    let path = temp_file(name);
    std::fs::write(&path, format!("{HEADER}{}", rows.concat())).unwrap();
    path
}

fn apply(server: &FakeServer, people: &Path, state: &Path, more: &[&str]) -> Run {
    let mut args = vec!["sync", "apply", "--yes", "--rate-limit", "0", "-o", "json"];
    args.extend_from_slice(&["--from", people.to_str().unwrap()]);
    args.extend_from_slice(&["--state", state.to_str().unwrap()]);
    args.extend_from_slice(more);
    on(server, &args)
}

fn fresh_state(name: &str) -> PathBuf {
    let path = temp_file(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// A full sync's plan of the same file (no state): what is left to do.
fn full_plan(server: &FakeServer, people: &Path) -> serde_json::Value {
    let r = on(
        server,
        &[
            "sync",
            "plan",
            "-o",
            "json",
            "--from",
            people.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    r.json()
}

#[test]
fn runs_after_0_1_and_200_changes_read_only_those_people_and_end_as_a_full_sync() {
    // Big enough that reading 200 people costs fewer requests than listing.
    let (server, mut rows) = org(9_000);
    let state = fresh_state("incremental.state");
    let people = file("incremental.csv", &rows);
    let first = apply(&server, &people, &state, &[]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stderr.contains("full reconcile"), "{}", first.stderr);
    assert!(state.exists());

    server.clear_journal();
    let none = apply(&server, &people, &state, &[]);
    assert_eq!(none.code, 0, "{none:?}");
    assert!(none.stderr.contains("incremental"), "{}", none.stderr);
    assert!(server.journal().len() <= 3, "{:#?}", server.journal());

    rows[5] = row(4, "Senior Agent", "Support");
    let people = file("incremental.csv", &rows);
    server.clear_journal();
    let one = apply(&server, &people, &state, &[]);
    assert_eq!(one.code, 0, "{one:?}");
    assert_eq!(one.json()["updated"], 1);
    assert!(server.journal().len() <= 2 + 5, "{:#?}", server.journal());

    // 200 people: 40 hires (joining Sales), 120 changes (8 of them moving
    // from Support to Sales), 20 leavers (gone from the file) and 20 marked
    // inactive.
    for i in 9_000..9_040 {
        rows.push(row(i, "Agent", "Sales"));
    }
    for i in 0..120 {
        let groups = match i {
            0..8 => "Sales",
            8..100 => "Support",
            _ => "",
        };
        rows[i + 1] = row(i, "Trainer", groups);
    }
    for i in 120..140 {
        rows[i + 1] = format!("p{i}@example.com,Person {i},E-{i},false,Agent,lead@example.com,\n");
    }
    rows.drain(141..161);
    let people = file("incremental.csv", &rows);
    server.clear_journal();
    let many = apply(&server, &people, &state, &[]);
    assert_eq!(many.code, 0, "{many:?}");
    assert!(many.stderr.contains("incremental"), "{}", many.stderr);
    let report = many.json();
    assert_eq!(
        [
            &report["created"],
            &report["updated"],
            &report["deactivated"]
        ],
        [40, 120, 40],
        "{report}"
    );
    let sent = server.journal().len();
    // ≤ 2 per changed person the state knows, ≤ 5 per hire, ≤ 2 per group, + 5.
    assert!(sent <= 160 * 2 + 40 * 5 + 2 * 2 + 5, "{sent} requests");
    let left = full_plan(&server, &people);
    assert_eq!(left["summary"]["unchanged"], 9_001 + 40 - 20, "{left}");
    for kind in [
        "creates",
        "updates",
        "reactivations",
        "deactivations",
        "memberships",
    ] {
        assert_eq!(
            left[kind],
            json!([]),
            "a full sync finds nothing left: {left}"
        );
    }
}

#[test]
fn a_stale_entry_is_looked_up_again_and_never_written_blindly() {
    let (server, mut rows) = org(5);
    let state = fresh_state("stale.state");
    let people = file("stale.csv", &rows);
    assert_eq!(apply(&server, &people, &state, &[]).code, 0);
    let client = scim_sdk::Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .unwrap();
    let id_of = |name: &str| {
        client
            .find_user_by_user_name(name)
            .unwrap()
            .and_then(|u| u.id)
            .unwrap()
    };
    // p1's account is deleted; p2's is renamed and given to someone else.
    let (deleted, renamed) = (id_of("p1@example.com"), id_of("p2@example.com"));
    client.delete_scim_v2_user(&deleted).send().unwrap();
    let change = scim_sdk::models::ScimV2PatchRequest::patch_op()
        .replace("userName", json!("other@example.com"))
        .replace("externalId", json!("X-9"));
    client.patch_scim_v2_user(&renamed, change).send().unwrap();
    rows[2] = row(1, "Lead Agent", "Support");
    rows[3] = row(2, "Lead Agent", "Support");
    let people = file("stale.csv", &rows);
    server.clear_journal();
    let r = apply(&server, &people, &state, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let writes: Vec<String> = server
        .journal()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        writes
            .iter()
            .all(|w| !w.contains(&deleted) && !w.contains(&renamed)),
        "{writes:#?}"
    );
    assert_eq!(
        r.json()["created"],
        2,
        "both looked up, found nowhere, created"
    );
    let other = client.get_scim_v2_user(&renamed).send().unwrap();
    assert_eq!(other.user_name.as_deref(), Some("other@example.com"));
    assert_eq!(other.title.as_deref(), Some("Agent"));
}

/// Two orgs of one region share a base URL; an OAuth client belongs to
/// one org.
#[test]
fn a_state_made_through_another_oauth_client_is_refused() {
    let server = FakeServer::builder()
        .client_credentials("org-a", "secret-a")
        .start()
        .expect("fake starts");
    let state = fresh_state("other-client.state");
    let people = file(
        "other-client.csv",
        &["a@example.com,A,E-1,,,,\n".to_owned()],
    );
    let (base, token_url) = (server.base_url(), server.token_url());
    let as_client = |id: &str, secret: &str| {
        run(scim()
            .env("GENESYS_CLIENT_ID", id)
            .env("GENESYS_CLIENT_SECRET", secret)
            .args(["--base-url", &base, "--token-url", &token_url])
            .args(["sync", "apply", "--yes", "--rate-limit", "0"])
            .args(["--from", people.to_str().unwrap()])
            .args(["--state", state.to_str().unwrap()]))
    };
    let r = as_client("org-a", "secret-a");
    assert_eq!(r.code, 0, "{r:?}");
    server.clear_journal();

    let r = as_client("org-b", "secret-b");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("made for the org"), "{}", r.stderr);
    assert!(server.journal().is_empty(), "nothing sent");
}

#[test]
fn a_state_of_another_org_is_refused_and_one_in_use_too() {
    let (server, rows) = org(3);
    let state = fresh_state("other-org.state");
    let people = file("other-org.csv", &rows);
    assert_eq!(apply(&server, &people, &state, &[]).code, 0);
    let (elsewhere, _) = org(3);
    let r = apply(&elsewhere, &people, &state, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("another state file") || r.stderr.contains("made for the org"),
        "{}",
        r.stderr
    );
    assert!(elsewhere.journal().is_empty(), "nothing sent");

    let held = scim_sync::StateFile::open(&state).expect("lock");
    let r = apply(&server, &people, &state, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("another run is using the state"),
        "{}",
        r.stderr
    );
    drop(held);
    let r = apply(&server, &people, &state, &[]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn a_run_killed_mid_apply_leaves_a_state_the_next_run_completes() {
    let server = FakeServer::builder()
        .service_time(std::time::Duration::from_millis(15))
        .start()
        .expect("fake starts");
    let mut rows = vec!["lead@example.com,Lead,L-1,,,,\n".to_owned()];
    let state = fresh_state("killed.state");
    let people = file("killed.csv", &rows);
    assert_eq!(apply(&server, &people, &state, &[]).code, 0);
    for i in 0..60 {
        rows.push(row(i, "Agent", ""));
    }
    let people = file("killed.csv", &rows);
    let mut child = scim()
        .args(["--base-url", &server.base_url(), "--token", &server.token()])
        .args([
            "sync",
            "apply",
            "--yes",
            "--rate-limit",
            "0",
            "--concurrency",
            "1",
        ])
        .args([
            "--from",
            people.to_str().unwrap(),
            "--state",
            state.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server
        .journal()
        .iter()
        .filter(|r| r.method == "POST")
        .count()
        < 10
    {
        assert!(std::time::Instant::now() < deadline, "no creates");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().expect("killed");
    child.wait().expect("reaped");
    let created_before = server
        .journal()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert!(created_before < 60, "killed before the end");

    let r = apply(&server, &people, &state, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let users = on(&server, &["users", "list", "--all", "-o", "json"]).json();
    let people_found = users.as_array().unwrap().len();
    assert_eq!(people_found, 61, "each person once: {users}");
    server.clear_journal();
    let again = apply(&server, &people, &state, &[]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(server.journal().is_empty(), "{:#?}", server.journal());
}

#[test]
fn a_damaged_state_is_refused_at_its_line_and_column_and_nothing_is_sent() {
    let (server, rows) = org(3);
    let state = fresh_state("damaged.state");
    let people = file("damaged.csv", &rows);
    assert_eq!(apply(&server, &people, &state, &[]).code, 0);
    let text = std::fs::read_to_string(&state).unwrap();
    // A hand edit that leaves a trailing comma on the second line.
    let damaged = format!("{{\n\"org\": 1,,\n{}", &text[1..]);
    std::fs::write(&state, damaged).unwrap();
    server.clear_journal();
    let r = apply(&server, &people, &state, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    let place = format!("{}:2:", state.display());
    assert!(r.stderr.contains(&place), "names {place}: {}", r.stderr);
    assert!(
        !r.stderr.contains(" at line "),
        "the place once: {}",
        r.stderr
    );
    assert!(server.journal().is_empty(), "nothing sent");
}

#[test]
fn an_edited_mapping_makes_the_next_run_a_full_reconcile() {
    let (server, _) = org(3);
    let export = temp_file("mapped-export.csv");
    let rows: String = (0..3)
        .map(|i| format!("P{i}@Example.com,Person {i},E-{i},Agent\n"))
        .collect();
    let lead = "lead@example.com,Lead,L-1,\n";
    std::fs::write(&export, format!("Mail,Name,Id,Job\n{lead}{rows}")).unwrap();
    let mapping = temp_file("mapped.toml");
    let text = "[columns]\nuserName = { from = \"Mail\", lower = true }\n\
                displayName = \"Name\"\nexternalId = \"Id\"\ntitle = \"Job\"\n";
    std::fs::write(&mapping, text).unwrap();
    let state = fresh_state("mapped.state");
    let map = ["--map", mapping.to_str().unwrap()];
    let r = apply(&server, &export, &state, &map);
    assert_eq!(r.code, 0, "{r:?}");
    let r = apply(&server, &export, &state, &map);
    assert!(r.stderr.contains("incremental run"), "{}", r.stderr);

    std::fs::write(
        &mapping,
        text.replace("\"Job\"", "{ from = \"Job\", upper = true }"),
    )
    .unwrap();
    let r = apply(&server, &export, &state, &map);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("full reconcile (the mapping"),
        "{}",
        r.stderr
    );
    assert_eq!(r.json()["updated"], 3, "the titles: {}", r.stdout);
}

#[test]
fn a_run_with_no_changed_row_says_so_instead_of_claiming_the_org_matches() {
    let (server, rows) = org(3);
    let state = fresh_state("unchanged.state");
    let people = file("unchanged.csv", &rows);
    assert_eq!(apply(&server, &people, &state, &[]).code, 0);
    let r = on(
        &server,
        &[
            "sync",
            "plan",
            "--from",
            people.to_str().unwrap(),
            "--state",
            state.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("Nothing to do: no row changed since the last recorded run"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("already matches"), "{}", r.stdout);
}
