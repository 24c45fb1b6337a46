//! `--audit-log FILE`: one JSON line per write of `sync apply`, `users
//! deactivate` and `users delete`, appended and flushed as it happens, so
//! a killed run keeps what it did.

use crate::common::{on, org, people, sync, temp_file, writes};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object ({e}): {l}"))
        })
        .collect()
}

fn is_rfc3339_utc(time: &Value) -> bool {
    let t = time.as_str().unwrap_or_default();
    t.len() >= 20 && t.ends_with('Z') && t.as_bytes()[10] == b'T'
}

#[test]
fn every_write_of_apply_deactivate_and_delete_is_one_line_with_who_what_and_how_it_ended() {
    let org = org();
    let log = temp_file("audit.jsonl");
    std::fs::write(&log, "{\"earlier\":true}\n").unwrap();
    let path = people(
        "audit.csv",
        "jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support\n\
         bob@example.com,Bob Boss,E-2,,Manager,,,\n\
         new@example.com,New Hire,E-4,,Agent,,,\n",
    );
    let r = sync(
        &org.server,
        &["apply", "--yes", "--audit-log", log.to_str().unwrap()],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    // Each line opens with when, which run, who and what, as a person
    // reading the log looks for them.
    let text = std::fs::read_to_string(&log).unwrap();
    for line in text.lines().skip(1) {
        let keys: Vec<&str> = line.split("\":").take(4).collect();
        assert!(
            keys[0] == "{\"time"
                && keys[1].ends_with(",\"run")
                && keys[2].ends_with(",\"actor")
                && keys[3].ends_with(",\"action"),
            "{line}"
        );
    }
    let all = lines(&log);
    assert_eq!(all[0], json!({"earlier": true}), "appended, not truncated");
    assert_eq!(all[1]["action"], "run_started", "{all:?}");
    assert_eq!(all[1]["command"], "sync apply");
    let apply = &all[2..];
    assert_eq!(apply.len(), 2, "a create and an update: {apply:?}");
    let run = &all[1]["run"];
    assert!(
        run.is_string() && apply.iter().all(|l| &l["run"] == run),
        "{apply:?}"
    );
    for line in apply {
        assert!(is_rfc3339_utc(&line["time"]), "{line}");
        let actor = line["actor"].as_str().unwrap();
        assert!(
            actor.starts_with("token:") && !actor.contains(&org.server.token()),
            "{line}"
        );
        assert_eq!(line["outcome"], "done", "{line}");
        assert!(line["status"].is_u64(), "{line}");
        assert!(line["correlation_id"].is_string(), "{line}");
        assert_eq!(line["id"], line["target"]["id"], "{line}");
        let attempts = line["attempts"].as_array().expect("attempts");
        assert_eq!(attempts.len(), 1, "one request each: {line}");
        assert_eq!(attempts[0]["status"], line["status"], "{line}");
        assert_eq!(attempts[0]["correlation_id"], line["correlation_id"]);
    }
    let update = apply
        .iter()
        .find(|l| l["action"] == "update")
        .expect("an update line");
    assert_eq!(
        update["target"],
        json!({"userName": "jane@example.com", "id": org.jane})
    );
    assert_eq!(
        update["changes"],
        json!([{"path": "title", "before": "Agent", "after": "Senior Agent"}])
    );
    let create = apply
        .iter()
        .find(|l| l["action"] == "create")
        .expect("a create line");
    assert_eq!(create["target"]["userName"], "new@example.com");
    let new = on(&org.server, &["users", "get", "new@example.com"]).json();
    assert_eq!(create["target"]["id"], new["id"], "the id the create made");

    let r = on(
        &org.server,
        &[
            "users",
            "deactivate",
            "bob@example.com",
            "--audit-log",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let r = on(
        &org.server,
        &[
            "users",
            "delete",
            &org.leaver,
            "--yes",
            "--audit-log",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let all = lines(&log);
    let actions: Vec<&Value> = all[4..].iter().map(|l| &l["action"]).collect();
    assert_eq!(
        actions,
        ["run_started", "deactivate", "run_started", "delete"],
        "{all:?}"
    );
    let (deactivate, delete) = (&all[5], &all[7]);
    assert_eq!(deactivate["action"], "deactivate");
    assert_eq!(
        deactivate["target"],
        json!({"userName": "bob@example.com", "id": org.bob})
    );
    assert_eq!(
        deactivate["changes"],
        json!([{"path": "active", "before": true, "after": false}])
    );
    assert_eq!(
        (&deactivate["outcome"], &deactivate["status"]),
        (&json!("done"), &json!(200))
    );
    assert_eq!(delete["action"], "delete");
    assert_eq!(delete["target"]["id"], org.leaver.as_str());
    assert_eq!(
        (&delete["outcome"], &delete["status"]),
        (&json!("done"), &json!(204))
    );
    assert_ne!(
        deactivate["run"], delete["run"],
        "one run id per invocation"
    );
}

#[test]
fn a_killed_apply_keeps_one_complete_line_per_write_it_made() {
    let org = org();
    let (mut child, log) = crate::interrupt::slow_apply(&org, "killed", 12, "120", false);
    let started = Instant::now();
    while lines(&log).len() < 3 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let logged: Vec<Value> = lines(&log)
        .into_iter()
        .filter(|l| l["action"] != "run_started")
        .collect();
    let written = writes(&org.server).len();
    assert!(
        logged.len() >= 2 && written < 12,
        "killed part way: {} lines, {written} writes",
        logged.len()
    );
    assert!(
        logged.len() == written || logged.len() + 1 == written,
        "every write that finished is logged: {} lines, {written} writes",
        logged.len()
    );
    assert!(
        logged
            .iter()
            .all(|l| l["action"] == "update" && l["outcome"] == "done"),
        "{logged:?}"
    );
}

#[test]
fn an_audit_log_that_cannot_be_written_stops_sync_apply_before_its_first_write_exit_5() {
    let org = org();
    let path = people(
        "audit-full.csv",
        "jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support\n\
         bob@example.com,Bob Boss,E-2,,Manager,,,\n",
    );
    let r = sync(
        &org.server,
        &["apply", "--yes", "--audit-log", "/dev/full"],
        &path,
    );
    assert_eq!(r.code, 5, "{r:?}");
    assert!(r.stderr.contains("audit log"), "{}", r.stderr);
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
    assert_eq!(
        on(&org.server, &["users", "get", &org.jane]).json()["title"],
        "Agent"
    );
}

#[test]
fn users_delete_and_deactivate_send_nothing_when_their_line_cannot_be_written_exit_5() {
    let org = org();
    for command in [&["delete", "--yes"][..], &["deactivate"]] {
        let mut args = vec!["users"];
        args.extend_from_slice(command);
        args.extend_from_slice(&[&org.bob, "--audit-log", "/dev/full"]);
        let r = on(&org.server, &args);
        assert_eq!(r.code, 5, "{r:?}");
        assert!(r.stderr.contains("audit log"), "{}", r.stderr);
        assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
    }
    let bob = on(&org.server, &["users", "get", &org.bob]);
    assert_eq!((bob.code, &bob.json()["active"]), (0, &json!(true)));
}

#[test]
fn every_attempt_of_a_write_is_in_its_line_with_its_status_and_correlation_id() {
    let org = org();
    let log = temp_file("audit-attempts.jsonl");
    let _ = std::fs::remove_file(&log);
    // The first PATCH of Jane answers 503: the engine tries it again.
    org.server.inject_on(
        scim_fake::Match::method("PATCH").path("/users/*"),
        scim_fake::Fault::status(503).retry_after(0),
    );
    let path = people(
        "audit-attempts.csv",
        "jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support\n\
         bob@example.com,Bob Boss,E-2,,Manager,,,\n",
    );
    let r = sync(
        &org.server,
        &["apply", "--yes", "--audit-log", log.to_str().unwrap()],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    let all = lines(&log);
    let update = all
        .iter()
        .find(|l| l["action"] == "update")
        .expect("{all:?}");
    let attempts = update["attempts"].as_array().expect("attempts");
    let sent: Vec<(&Value, &Value)> = attempts
        .iter()
        .map(|a| (&a["method"], &a["status"]))
        .collect();
    assert_eq!(
        sent,
        [
            (&json!("PATCH"), &json!(503)),
            (&json!("GET"), &json!(200)),
            (&json!("PATCH"), &json!(200))
        ],
        "the 503, then a read and the write again: {update}"
    );
    assert!(
        attempts.iter().all(|a| a["correlation_id"].is_string()),
        "{update}"
    );
    assert_eq!(update["outcome"], "done");
    assert_eq!(update["status"], 200);
}

#[test]
fn a_group_line_lists_each_member_with_its_outcome() {
    let org = org();
    let log = temp_file("audit-members.jsonl");
    let _ = std::fs::remove_file(&log);
    let path = people(
        "audit-members.csv",
        "jane@example.com,Jane Doe,E-1,,Agent,+15550100,bob@example.com,Sales\n\
         bob@example.com,Bob Boss,E-2,,Manager,,,Sales\n",
    );
    let r = sync(
        &org.server,
        &["apply", "--yes", "--audit-log", log.to_str().unwrap()],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    let all = lines(&log);
    let sales = all
        .iter()
        .find(|l| l["target"]["group"] == "Sales")
        .expect("{all:?}");
    assert_eq!(sales["action"], "membership");
    let members: Vec<(&Value, &Value, &Value)> = sales["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| (&m["userName"], &m["id"], &m["outcome"]))
        .collect();
    assert_eq!(
        members,
        [
            (&json!("jane@example.com"), &json!(org.jane), &json!("done")),
            (&json!("bob@example.com"), &json!(org.bob), &json!("done")),
        ],
        "{sales}"
    );
}
