//! A rehire with a new HR id: relinked and reactivated when the file links
//! the old id to the new one (an inactive or left-out row of the same
//! userName), else listed under the plan's decisions, which fail the run
//! until `users set-external-id` settles them.

use crate::common::{on, seed, temp_file, user_named, writes};
use scim_fake::{FakeServer, RecordedRequest};
use serde_json::{Value, json};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

fn file(name: &str, text: &str) -> String {
    let path = temp_file(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn sync(server: &FakeServer, args: &[&str], from: &str, map: Option<&str>) -> crate::common::Run {
    let mut all = vec!["sync"];
    all.extend(args);
    if args[0] == "apply" {
        all.extend(["--yes", "--rate-limit", "0"]);
    }
    all.extend(["--from", from]);
    if let Some(map) = map {
        all.extend(["--map", map]);
    }
    on(server, &all)
}

/// The writes sent to one user, with the If-Match each carried.
fn writes_to(server: &FakeServer, id: &str) -> Vec<RecordedRequest> {
    server
        .journal()
        .into_iter()
        .filter(|r| r.method != "GET" && r.path.ends_with(&format!("/users/{id}")))
        .collect()
}

fn emma_left(server: &FakeServer, external_id: &str) -> String {
    seed(
        server,
        json!({
            "userName": "emma@example.com", "displayName": "Emma Brown", "externalId": external_id,
            "title": "Agent", "active": false
        }),
    )
}

#[test]
fn a_rehire_the_file_links_is_relinked_and_reactivated_by_one_guarded_write() {
    let server = FakeServer::start().expect("fake starts");
    let emma = emma_left(&server, "E-OLD");
    server.clear_journal();
    // The new record, and the old one (inactive) carrying the old id.
    let people = file(
        "rehire-linked.csv",
        "userName,displayName,externalId,active,title\r\n\
         emma@example.com,Emma Brown,E-NEW,true,Lead\r\n\
         emma@example.com,Emma Brown,E-OLD,false,Agent\r\n",
    );

    let r = sync(&server, &["plan", "-o", "json"], &people, None);
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    assert_eq!(plan["summary"]["reactivated"], json!(1), "{plan}");
    assert_eq!(plan["summary"]["created"], json!(0), "{plan}");
    let rehire = &plan["reactivations"][0];
    assert_eq!(rehire["id"], json!(emma), "{plan}");
    assert_eq!(rehire["reason"], "rehire", "{plan}");
    assert_eq!(
        rehire["relink"],
        json!({"from": "E-OLD", "to": "E-NEW", "line": format!("{people}:3")}),
        "{plan}"
    );
    let r = sync(&server, &["plan"], &people, None);
    assert!(
        r.stdout.contains("externalId: \"E-OLD\" -> \"E-NEW\"")
            && r.stdout
                .contains(&format!("a rehire, linked by {people}:3")),
        "{}",
        r.stdout
    );
    assert!(writes(&server).is_empty(), "a plan sends nothing");

    let r = sync(&server, &["apply", "-o", "json"], &people, None);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["reactivated"], json!(1), "{r:?}");
    let sent = writes_to(&server, &emma);
    assert_eq!(sent.len(), 1, "one write: {sent:?}");
    assert_eq!(sent[0].method, "PATCH");
    assert!(sent[0].header("If-Match").is_some(), "guarded: {sent:?}");
    assert_eq!(
        writes(&server).len(),
        1,
        "nothing else: {:?}",
        writes(&server)
    );
    let now = user_named(&server, "emma@example.com");
    assert_eq!(
        (
            &now["id"],
            &now["externalId"],
            &now["active"],
            &now["title"]
        ),
        (&json!(emma), &json!("E-NEW"), &json!(true), &json!("Lead"))
    );

    let r = sync(&server, &["plan", "--exit-code"], &people, None);
    assert_eq!(r.code, 0, "nothing left to do: {r:?}");
}

/// Seeds the old, inactive account of an example's rehire, syncs the
/// example, and checks it was relinked and reactivated, not duplicated.
fn example_rehire(export: &str, mapping: &str, user_name: &str, old: &str, new: &str) {
    let (from, map) = (
        format!("{EXAMPLES}/hr/{export}"),
        format!("{EXAMPLES}/mappings/{mapping}.toml"),
    );
    relinked(&from, Some(&map), user_name, old, new);
}

/// Syncs `from` (through `map`) on an org holding the old, inactive
/// account of a rehire, and checks it was relinked and reactivated.
fn relinked(from: &str, map: Option<&str>, user_name: &str, old: &str, new: &str) {
    let (from, map) = (from.to_owned(), map.map(str::to_owned));
    let map = map.as_deref();
    let server = FakeServer::start().expect("fake starts");
    let id = seed(
        &server,
        json!({"userName": user_name, "displayName": "Old", "externalId": old, "active": false}),
    );
    let r = sync(&server, &["plan", "-o", "json"], &from, map);
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    let rehire = plan["reactivations"]
        .as_array()
        .and_then(|r| r.iter().find(|u| u["id"] == json!(id)))
        .unwrap_or_else(|| panic!("{user_name} is reactivated: {plan}"));
    assert_eq!(rehire["relink"]["from"], old, "{plan}");
    assert_eq!(rehire["relink"]["to"], new, "{plan}");
    assert!(
        plan["decisions"].as_array().is_some_and(Vec::is_empty),
        "{plan}"
    );

    let r = sync(&server, &["apply", "-o", "json"], &from, map);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["failed"], json!(0), "{r:?}");
    let now = user_named(&server, user_name);
    assert_eq!((&now["id"], &now["externalId"]), (&json!(id), &json!(new)));
    assert_eq!(now["active"], true);
    let r = sync(&server, &["plan", "--exit-code"], &from, map);
    assert_eq!(r.code, 0, "a second plan is empty: {r:?}");
}

#[test]
fn the_shipped_examples_relink_their_rehires_left_out_by_the_mapping() {
    // SuccessFactors: the old record is `inactive`, with its own userId.
    example_rehire(
        "successfactors.csv",
        "successfactors",
        "emma.brown@example.com",
        "10011",
        "10021",
    );
    // BambooHR: the converted contractor's row stays, Inactive, as C-031.
    example_rehire(
        "bamboohr.csv",
        "bamboohr",
        "emily.clarke@example.co.uk",
        "C-031",
        "1013",
    );
}

#[test]
fn a_converted_export_keeps_the_old_records_that_link_its_rehires() {
    for (export, mapping, user_name, old, new) in [
        (
            "successfactors.csv",
            "successfactors",
            "emma.brown@example.com",
            "10011",
            "10021",
        ),
        (
            "bamboohr.csv",
            "bamboohr",
            "emily.clarke@example.co.uk",
            "C-031",
            "1013",
        ),
    ] {
        let r = crate::common::run(crate::common::scim().args([
            "convert",
            &format!("{EXAMPLES}/hr/{export}"),
            "--map",
            &format!("{EXAMPLES}/mappings/{mapping}.toml"),
        ]));
        assert_eq!(r.code, 0, "{r:?}");
        // The old record is an inactive row of its userName and id alone.
        assert!(
            r.stdout.contains(&format!("\n{user_name},,{old},false,")),
            "{}",
            r.stdout
        );
        let people = file(&format!("{mapping}.converted.csv"), &r.stdout);
        relinked(&people, None, user_name, old, new);
    }
}

#[test]
fn an_unlinked_rehire_is_a_decision_until_users_set_external_id_settles_it() {
    let server = FakeServer::start().expect("fake starts");
    let emma = emma_left(&server, "E-OLD");
    let other = seed(
        &server,
        json!({"userName": "other@example.com", "displayName": "Other", "externalId": "E-9"}),
    );
    server.clear_journal();
    let people = file(
        "rehire-unlinked.csv",
        "userName,displayName,externalId,title\r\n\
         other@example.com,Other,E-9,\r\n\
         emma@example.com,Emma Brown,E-NEW,Lead\r\n",
    );

    let r = sync(&server, &["plan"], &people, None);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("genesys-scim users set-external-id emma@example.com E-NEW"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("Nothing to do"), "{}", r.stdout);
    let r = sync(&server, &["plan", "--exit-code"], &people, None);
    assert_eq!(r.code, 1, "{r:?}");
    let r = sync(&server, &["plan", "-o", "json"], &people, None);
    let plan = r.json();
    assert_eq!(plan["summary"]["needs_decision"], json!(1), "{plan}");
    assert_eq!(
        plan["decisions"],
        json!([{
            "userName": "emma@example.com", "line": format!("{people}:3"), "holder_id": emma,
            "holder_external_id": "E-OLD", "row_external_id": "E-NEW"
        }]),
        "{plan}"
    );
    let r = sync(&server, &["apply"], &people, None);
    assert_eq!(r.code, 1, "work is left: {r:?}");
    assert!(
        r.stderr
            .contains("users set-external-id emma@example.com E-NEW"),
        "{}",
        r.stderr
    );
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));

    // Another account's id is refused; nothing is written.
    let r = on(
        &server,
        &["users", "set-external-id", "emma@example.com", "E-9"],
    );
    assert_ne!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("other@example.com"), "{}", r.stderr);
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));

    // The audit log fails closed: no line, no write.
    let r = on(
        &server,
        &[
            "users",
            "set-external-id",
            "emma@example.com",
            "E-NEW",
            "--audit-log",
            "/dev/full",
        ],
    );
    assert_eq!(r.code, 5, "{r:?}");
    assert!(writes(&server).is_empty(), "{:?}", writes(&server));

    let log = temp_file("set-external-id.jsonl");
    let r = on(
        &server,
        &[
            "users",
            "set-external-id",
            "emma@example.com",
            "E-NEW",
            "--audit-log",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let sent = writes_to(&server, &emma);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].header("If-Match").is_some(), "guarded: {sent:?}");
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["action"], "run_started", "{lines:?}");
    assert_eq!(lines[0]["command"], "users set-external-id", "{lines:?}");
    assert_eq!(lines[1]["action"], "set_external_id", "{lines:?}");
    assert_eq!(lines[1]["outcome"], "done", "{lines:?}");
    assert_eq!(
        lines[1]["changes"],
        json!([{"path": "externalId", "before": "E-OLD", "after": "E-NEW"}])
    );
    assert_eq!(
        user_named(&server, "other@example.com")["id"],
        json!(other),
        "untouched"
    );

    // Now a normal match: reactivated and updated.
    let r = sync(&server, &["plan", "-o", "json"], &people, None);
    let plan = r.json();
    assert_eq!(plan["summary"]["reactivated"], json!(1), "{plan}");
    assert_eq!(plan["summary"]["needs_decision"], json!(0), "{plan}");
    let r = sync(&server, &["apply"], &people, None);
    assert_eq!(r.code, 0, "{r:?}");
    let now = user_named(&server, "emma@example.com");
    assert_eq!(
        (&now["active"], &now["title"]),
        (&json!(true), &json!("Lead"))
    );
    let r = sync(&server, &["plan", "--exit-code"], &people, None);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn a_decision_is_asked_again_by_every_incremental_run_until_settled() {
    let server = FakeServer::start().expect("fake starts");
    emma_left(&server, "E-OLD");
    let people = file(
        "rehire-state.csv",
        "userName,displayName,externalId,title\nemma@example.com,Emma Brown,E-NEW,Lead\n",
    );
    let state = temp_file("rehire-state.json");
    let _ = std::fs::remove_file(&state);
    let state = state.to_str().unwrap();
    let r = sync(&server, &["apply", "--state", state], &people, None);
    assert_eq!(r.code, 1, "{r:?}");
    for _ in 0..2 {
        let r = sync(
            &server,
            &["apply", "--state", state, "-o", "json"],
            &people,
            None,
        );
        assert_eq!(r.code, 1, "still undecided: {r:?}");
        assert_eq!(r.json()["needs_decision"], json!(1), "{r:?}");
    }
}

#[test]
fn the_command_that_settles_a_decision_is_one_a_shell_runs_as_printed() {
    let server = FakeServer::start().expect("fake starts");
    seed(
        &server,
        json!({
            "userName": "sean.o'brien@example.com", "displayName": "Seán O'Brien",
            "externalId": "E OLD", "active": false
        }),
    );
    let people = file(
        "rehire-quoted.csv",
        "userName,displayName,externalId\nsean.o'brien@example.com,Seán O'Brien,E NEW\n",
    );
    let r = sync(&server, &["plan"], &people, None);
    assert_eq!(r.code, 0, "{r:?}");
    let command = r
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("genesys-scim "))
        .unwrap_or_else(|| panic!("no command in {}", r.stdout));
    // The words a POSIX shell makes of it are the ones the command needs.
    let words = std::process::Command::new("sh")
        .args(["-c", &format!("printf '%s\\n' {command}")])
        .output()
        .expect("sh runs");
    assert_eq!(
        String::from_utf8(words.stdout).unwrap(),
        "users\nset-external-id\nsean.o'brien@example.com\nE NEW\n",
        "{command}"
    );
}
