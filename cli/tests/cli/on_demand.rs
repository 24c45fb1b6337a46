//! `sync plan|apply --only USER`: one person provisioned on demand reads
//! that person's accounts, manager and groups, never the whole org, so it
//! costs the same whatever the org's size.

use crate::common::{add_members, on, seed};
use scim_fake::FakeServer;
use serde_json::json;
use std::path::PathBuf;

const HEADER: &str = "userName,displayName,externalId,active,title,manager,groups\n";

/// An org of `size` people with externalIds (person0 … personN-1, managed
/// by boss@), all in Support, and the file that lists them all, with
/// person1 promoted and moved from Support to Sales.
fn big_org(size: usize, name: &str) -> (FakeServer, PathBuf) {
    let server = FakeServer::builder()
        .emulate_page_cost(true)
        .start()
        .expect("fake starts");
    let boss = seed(
        &server,
        json!({"userName": "boss@example.com", "displayName": "Boss", "externalId": "B-0"}),
    );
    let mut ids = Vec::new();
    let mut rows = String::from("boss@example.com,Boss,B-0,,,,Support\n");
    for i in 0..size {
        ids.push(seed(
            &server,
            json!({
                "userName": format!("person{i}@example.com"), "displayName": format!("Person {i}"),
                "externalId": format!("E-{i}"), "title": "Agent",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": boss}}
            }),
        ));
        let (title, groups) = if i == 1 {
            ("Senior Agent", "Sales")
        } else {
            ("Agent", "Support")
        };
        rows +=
            &format!("person{i}@example.com,Person {i},E-{i},,{title},boss@example.com,{groups}\n");
    }
    let mut members: Vec<&str> = ids.iter().map(String::as_str).collect();
    members.push(&boss);
    for chunk in members.chunks(200) {
        add_members(&server, "Support", chunk);
    }
    let path = crate::common::temp_file(name);
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    server.clear_journal();
    (server, path)
}

/// Whether a request lists users rather than looking one up: a GET of the
/// user list whose filter names no userName, externalId or id.
fn is_listing(r: &scim_fake::RecordedRequest) -> bool {
    let filter = r
        .query_pairs()
        .into_iter()
        .find(|(k, _)| k == "filter")
        .map(|(_, v)| v)
        .unwrap_or_default();
    r.method == "GET"
        && r.path.to_ascii_lowercase().ends_with("/users")
        && !["username", "externalid", "id "]
            .iter()
            .any(|k| filter.to_ascii_lowercase().contains(k))
}

fn only(server: &FakeServer, path: &std::path::Path, command: &str) -> crate::common::Run {
    let mut args = vec![
        "sync",
        command,
        "--only",
        "PERSON1@example.com",
        "-o",
        "json",
    ];
    args.extend_from_slice(&["--from", path.to_str().unwrap()]);
    if command == "apply" {
        args.extend_from_slice(&["--yes", "--rate-limit", "0"]);
    }
    on(server, &args)
}

#[test]
fn only_reads_no_listing_and_costs_the_same_in_a_bigger_org() {
    let mut counts = Vec::new();
    for size in [40, 400] {
        let (server, path) = big_org(size, &format!("on-demand-{size}.csv"));
        let plan = only(&server, &path, "plan");
        assert_eq!(plan.code, 0, "{plan:?}");
        let p = plan.json();
        assert_eq!(p["summary"]["updated"], 1, "{p}");
        assert_eq!(p["summary"]["deactivated"], 0, "{p}");
        server.clear_journal();

        let r = only(&server, &path, "apply");
        assert_eq!(r.code, 0, "{r:?}");
        let report = r.json();
        assert_eq!(report["updated"], 1, "{report}");
        assert_eq!(report["memberships_changed"], 2, "{report}");
        let journal = server.journal();
        let listings: Vec<String> = journal
            .iter()
            .filter(|r| is_listing(r))
            .map(|r| {
                format!(
                    "{} {}?{}",
                    r.method,
                    r.path,
                    r.query.clone().unwrap_or_default()
                )
            })
            .collect();
        assert!(listings.is_empty(), "{size} users: {listings:#?}");
        counts.push(journal.len());

        let person = crate::common::user_named(&server, "person1@example.com");
        assert_eq!(person["title"], "Senior Agent");
        let sales = on(&server, &["groups", "members", "Sales", "-o", "csv"]);
        assert!(sales.stdout.contains("person1@"), "{}", sales.stdout);
        let support = on(&server, &["groups", "members", "Support", "-o", "csv"]);
        assert!(!support.stdout.contains("person1@"), "{}", support.stdout);
        assert!(support.stdout.contains("person2@"), "{}", support.stdout);
    }
    assert_eq!(counts[0], counts[1], "requests for 40 and 400 users");
}

#[test]
fn several_only_are_planned_together_and_an_unknown_one_is_refused() {
    let (server, path) = big_org(30, "on-demand-several.csv");
    let mut args = vec![
        "sync",
        "plan",
        "-o",
        "json",
        "--from",
        path.to_str().unwrap(),
    ];
    args.extend_from_slice(&[
        "--only",
        "person1@example.com",
        "--only",
        "person2@example.com",
    ]);
    let r = on(&server, &args);
    assert_eq!(r.code, 0, "{r:?}");
    let p = r.json();
    assert_eq!(p["summary"]["updated"], 1, "{p}");
    assert_eq!(p["summary"]["unchanged"], 1, "{p}");
    assert!(!server.journal().iter().any(is_listing));

    args.extend_from_slice(&["--only", "nobody@example.com"]);
    let r = on(&server, &args);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("nobody@example.com"), "{}", r.stderr);
}

#[test]
fn only_with_managed_groups_moves_the_person_alone() {
    let (server, path) = big_org(30, "on-demand-managed.csv");
    let mut args = vec!["sync", "apply", "--yes", "--rate-limit", "0", "-o", "json"];
    args.extend_from_slice(&["--from", path.to_str().unwrap()]);
    args.extend_from_slice(&[
        "--only",
        "person1@example.com",
        "--managed-groups",
        "Sales,Support",
    ]);
    let r = on(&server, &args);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["memberships_changed"], 2, "{}", r.stdout);
    assert!(!server.journal().iter().any(is_listing));
    let support = on(&server, &["groups", "members", "Support", "-o", "csv"]);
    assert!(!support.stdout.contains("person1@"), "{}", support.stdout);
    assert!(support.stdout.contains("person2@"), "{}", support.stdout);
    let sales = on(&server, &["groups", "members", "Sales", "-o", "csv"]);
    assert!(sales.stdout.contains("person1@"), "{}", sales.stdout);
}

/// HR renamed a person: `--only` names the row, whose new userName the
/// account does not have yet; the account is the row's by its externalId.
#[test]
fn only_renames_a_person_hr_renamed_as_a_full_sync_does() {
    let server = FakeServer::start().expect("fake starts");
    let id = seed(
        &server,
        json!({"userName": "jo.old@example.com", "displayName": "Jo", "externalId": "E-7"}),
    );
    let path = crate::common::temp_file("on-demand-rename.csv");
    std::fs::write(&path, format!("{HEADER}jo.new@example.com,Jo,E-7,,,,\n")).unwrap();
    let from = path.to_str().unwrap();
    let full = on(&server, &["sync", "plan", "-o", "json", "--from", from]).json();
    assert_eq!(full["summary"]["updated"], 1, "{full}");

    let r = on(
        &server,
        &[
            "sync",
            "apply",
            "--yes",
            "--rate-limit",
            "0",
            "--only",
            "jo.new@example.com",
            "--from",
            from,
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let jo = crate::common::user_named(&server, "jo.new@example.com");
    assert_eq!(jo["id"], json!(id), "{r:?}");
}
