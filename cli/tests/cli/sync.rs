//! `genesys-scim sync plan` and `genesys-scim sync apply` against scim-fake: what they
//! print, what reaches the org (the fake's journal and state), the JSON
//! contract and every exit code.

use crate::common::{
    Org, counts, on, org, requests, run, scim, seed, temp_file, user_named, writes,
};
use scim_fake::{FakeServer, Fault};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

const AGENTS: usize = 20;

/// The common org (Jane managed by Bob, an admin without externalId, an
/// inactive leaver) plus twenty agents in the Americas and one person HR no
/// longer lists: 23 active users in the default scope.
fn team() -> Org {
    let org = org();
    for i in 0..AGENTS {
        seed(
            &org.server,
            json!({
                "userName": format!("agent{i:02}@example.com"), "displayName": format!("Agent {i}"),
                "externalId": format!("E-1{i:02}"),
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "Americas"}
            }),
        );
    }
    seed(
        &org.server,
        json!({"userName": "gone@example.com", "displayName": "Gone", "externalId": "E-9"}),
    );
    org.server.clear_journal();
    org
}

const HEADER: &str = "userName,displayName,externalId,active,title,phone,manager,groups\n";

/// Jane is promoted, loses her phone and joins Sales; Bob is unchanged (his
/// manager is unknown, so it is left alone); the leaver is rehired; a new
/// hire reports to Jane and joins Engineering (and a group that does not
/// exist); Gone is absent.
const CHANGES: &str = "\
jane@example.com,Jane Doe,E-1,,Senior Agent,<clear>,bob@example.com,Support;Sales
bob@example.com,Bob Boss,E-2,,,,nobody@example.com,Nope
old@example.com,Old Timer,E-3,true,,,,
new@example.com,New Hire,E-4,,Agent,,jane@example.com,Engineering
";

/// The agents, unchanged, leaving out the first `skip`.
fn agents(skip: usize) -> String {
    (skip..AGENTS)
        .map(|i| format!("agent{i:02}@example.com,Agent {i},E-1{i:02},,,,,\n"))
        .collect()
}

fn file(name: &str, rows: &str) -> PathBuf {
    let path = temp_file(name);
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    path
}

/// `genesys-scim sync ARGS --from PATH`; an apply is not paced (the fake has no
/// limit), except where the test says `paced`.
fn sync(server: &FakeServer, args: &[&str], path: &Path) -> crate::common::Run {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--from", path.to_str().unwrap()]);
    if args.first() == Some(&"apply") && !args.contains(&"--rate-limit") {
        all.extend_from_slice(&["--rate-limit", "0"]);
    }
    on(server, &all)
}

/// `genesys-scim sync apply --yes ARGS --from PATH` at the default pace.
fn paced(server: &FakeServer, args: &[&str], path: &Path) -> crate::common::Run {
    let mut all = vec!["sync", "apply", "--yes"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--from", path.to_str().unwrap()]);
    on(server, &all)
}

fn user(server: &FakeServer, id: &str) -> Value {
    let r = on(server, &["users", "get", id]);
    assert_eq!(r.code, 0, "{r:?}");
    r.json()
}

#[test]
fn plan_shows_every_kind_of_change_and_sends_no_write() {
    let org = team();
    let path = file("plan-text.csv", &format!("{CHANGES}{}", agents(0)));
    let r = sync(&org.server, &["plan"], &path);
    assert_eq!(r.code, 0, "{r:?}");
    let expected = [
        "Create 1:\n  + new@example.com  New Hire, Agent\n",
        "Reactivate 1:\n  ~ old@example.com\n      active: false -> true\n",
        "Update 1:\n  ~ jane@example.com\n      phone: \"+15550100\" -> (cleared)\n      title: \"Agent\" -> \"Senior Agent\"\n",
        "Deactivate 1:\n  - gone@example.com  (in scope and absent from the feed)\n",
        "Group memberships:\n  Engineering\n      + new@example.com\n  Sales\n      + jane@example.com\n",
        &format!(
            "Warnings 2:\n  ! bob@example.com ({}:3): manager nobody@example.com is neither in the org nor in the feed: the manager is left alone\n  ! bob@example.com: group Nope does not exist (groups are created in Genesys Cloud, not by the sync): this person's memberships are left alone\n",
            path.display()
        ),
        "Plan: 1 to create, 1 to update, 1 to reactivate, 1 to deactivate, 21 unchanged, 2 membership changes.\n",
    ];
    for section in expected {
        assert!(
            r.stdout.contains(section),
            "{section}\nnot in:\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.starts_with("Plan for "), "{}", r.stdout);
    assert!(!r.stdout.contains("admin@example.com"), "out of scope");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let sent = requests(&org.server);
    assert!(
        !sent.is_empty() && writes(&org.server).is_empty(),
        "{sent:?}"
    );
}

#[test]
fn plan_as_json_holds_the_counts_under_summary() {
    let org = team();
    let path = file("plan-json.csv", &format!("{CHANGES}{}", agents(0)));
    let r = sync(&org.server, &["plan", "--output", "json"], &path);
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    assert_eq!(
        plan["summary"],
        json!({"created": 1, "updated": 1, "reactivated": 1, "deactivated": 1,
               "unchanged": 21, "memberships_changed": 2, "creates_out_of_scope": 0, "needs_decision": 0})
    );
    assert_eq!(plan["scope"], "external-id");
    assert_eq!(plan["in_scope"], 23);
    assert_eq!(plan["creates"][0]["userName"], "new@example.com");
    let changes = plan["updates"][0]["changes"].as_array().unwrap();
    let title = changes.iter().find(|c| c["path"] == "title").unwrap();
    assert_eq!(
        (&title["op"], &title["before"], &title["after"]),
        (&json!("replace"), &json!("Agent"), &json!("Senior Agent"))
    );
    assert_eq!(
        plan["deactivations"][0]["id"],
        user_named(&org.server, "gone@example.com")["id"]
    );
    assert!(writes(&org.server).is_empty());
}

/// The top-level keys of a JSON object as printed, in their order.
fn keys_in_order(json: &str) -> Vec<String> {
    json.lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split_once('"').map(|(k, _)| k.to_owned()))
        .collect()
}

#[test]
fn plan_as_json_opens_with_its_summary_and_ends_with_the_saved_files_fingerprint() {
    let org = team();
    let path = file("plan-json-order.csv", &format!("{CHANGES}{}", agents(0)));
    let contract = [
        "summary",
        "scope",
        "in_scope",
        "creates",
        "updates",
        "reactivations",
        "deactivations",
        "memberships",
        "warnings",
        "decisions",
    ];
    let r = sync(&org.server, &["plan", "--output", "json"], &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(keys_in_order(&r.stdout), contract, "{}", r.stdout);
    let out = crate::common::temp_file("plan-json-order.json");
    let r = sync(
        &org.server,
        &["plan", "--output", "json", "--out", out.to_str().unwrap()],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    let mut with_fingerprint = contract.to_vec();
    with_fingerprint.push("fingerprint");
    assert_eq!(keys_in_order(&r.stdout), with_fingerprint, "{}", r.stdout);
}

#[test]
fn apply_writes_the_plan_reports_the_json_contract_and_a_second_run_changes_nothing() {
    let org = team();
    let path = file("apply.csv", &format!("{CHANGES}{}", agents(0)));
    let r = sync(&org.server, &["apply", "--yes", "--output", "json"], &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1, "one JSON object: {}", r.stdout);
    let report = r.json();
    assert_eq!(counts(&report), [1, 1, 1, 1, 21, 2, 0]);
    assert_eq!(report["failures"], json!([]));
    let sent = org.server.journal().len() as u64;
    assert_eq!(report["requests"], sent, "every request, reads included");
    assert!(r.stderr.contains("[6/6]"), "{}", r.stderr);

    let jane = user(&org.server, &org.jane);
    assert_eq!(jane["title"], "Senior Agent");
    assert!(
        jane["phoneNumbers"].as_array().is_none_or(Vec::is_empty),
        "{jane}"
    );
    let new = user_named(&org.server, "new@example.com");
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert_eq!(new[enterprise]["manager"]["value"], org.jane.as_str());
    assert_eq!(user(&org.server, &org.leaver)["active"], true);
    assert_eq!(user_named(&org.server, "gone@example.com")["active"], false);
    let admin = user(&org.server, &org.admin);
    assert_eq!(
        admin["meta"]["version"], "\"1\"",
        "admin untouched: {admin}"
    );
    let r = on(&org.server, &["groups", "members", "Sales", "-o", "csv"]);
    assert!(r.stdout.contains("jane@example.com"), "{}", r.stdout);

    org.server.clear_journal();
    let again = sync(&org.server, &["apply", "--yes", "--output", "json"], &path);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(counts(&again.json()), [0, 0, 0, 0, 24, 0, 0]);
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
}

#[test]
fn apply_as_text_prints_the_plan_progress_lines_and_the_summary() {
    let org = team();
    let path = file("apply-text.csv", &format!("{CHANGES}{}", agents(0)));
    let r = paced(&org.server, &[], &path);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("Create 1:\n  + new@example.com"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "Applied: 1 created, 1 updated, 1 reactivated, 1 deactivated, 21 unchanged, \
             2 membership changes, 0 failed ("
        ),
        "{}",
        r.stdout
    );
    // Items run on several workers, so they finish in no fixed order.
    for line in [
        "[1/6] ",
        "created new@example.com",
        "updated jane@example.com",
        "reactivated old@example.com",
        "changed the members of Sales",
        "deactivated gone@example.com",
        "[6/6] ",
    ] {
        assert!(r.stderr.contains(line), "{line}\nnot in:\n{}", r.stderr);
    }
}

#[test]
fn a_failed_item_exits_1_and_the_rest_is_applied() {
    let org = team();
    let path = file("apply-fail.csv", &format!("{CHANGES}{}", agents(0)));
    // The plan's reads pass; the first write (creating the new hire) gets a 400.
    let planned = sync(&org.server, &["plan"], &path);
    assert_eq!(planned.code, 0, "{planned:?}");
    let reads = org.server.journal().len();
    org.server.clear_journal();
    org.server.inject(Fault::Latency {
        delay: Duration::ZERO,
        count: reads,
    });
    org.server.inject(Fault::Status {
        status: 400,
        retry_after: None,
        count: 1,
    });
    let r = sync(
        &org.server,
        &["apply", "--yes", "--concurrency", "1", "-o", "json"],
        &path,
    );
    assert_eq!(r.code, 1, "{r:?}");
    let report = r.json();
    // The new hire's create, and the membership naming it: both unfinished.
    assert_eq!(counts(&report), [0, 1, 1, 1, 21, 1, 2]);
    assert_eq!(report["failures"][0]["userName"], "new@example.com");
    assert_eq!(report["failures"][1]["group"], "Engineering");
    let error = report["failures"][0]["error"].as_str().unwrap();
    assert!(error.contains("400"), "{error}");
    assert!(
        r.stderr.contains("FAILED create new@example.com"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 of 6 items failed"), "{}", r.stderr);
    assert_eq!(
        user(&org.server, &org.leaver)["active"],
        true,
        "the rest applied"
    );
    assert_eq!(user(&org.server, &org.jane)["title"], "Senior Agent");
}

#[test]
fn a_bad_file_exits_2_before_anything_is_sent() {
    let org = team();
    let cases = [
        (
            "bad-column.csv",
            "userName,colour\na@example.com,red\n",
            "column `colour`: unknown column",
        ),
        (
            "bad-dup.csv",
            "userName\na@example.com\nA@example.com\n",
            ":3: column `userName`: `A@example.com` is already on line 2",
        ),
        (
            "bad-missing.csv",
            "userName,title\n,Agent\n",
            ":2: column `userName`: a userName is required",
        ),
        (
            "bad-extid.csv",
            "userName,externalId\na@example.com,X\nb@example.com,X\n",
            ":3: column `externalId`: `X` is already on line 2",
        ),
    ];
    for (name, text, message) in cases {
        let path = temp_file(name);
        std::fs::write(&path, text).unwrap();
        for command in [&["plan"][..], &["apply", "--yes"]] {
            let r = sync(&org.server, command, &path);
            assert_eq!(r.code, 2, "{name} {command:?}: {r:?}");
            assert!(r.stdout.is_empty(), "{r:?}");
            assert!(
                r.stderr.contains(message),
                "{message}\nnot in:\n{}",
                r.stderr
            );
        }
    }
    let r = sync(
        &org.server,
        &["plan", "--scope", "team:x"],
        &temp_file("bad-column.csv"),
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown scope `team:x`"), "{}", r.stderr);
    for bad in [["--concurrency", "0"], ["--max-deactivate", "150"]] {
        let path = file("bad-args.csv", "");
        let r = sync(&org.server, &["apply", "--yes", bad[0], bad[1]], &path);
        assert_eq!(r.code, 2, "{bad:?}: {r:?}");
    }
    assert!(
        requests(&org.server).is_empty(),
        "{:?}",
        requests(&org.server)
    );
}

#[test]
fn apply_without_yes_and_without_a_terminal_refuses_and_sends_nothing() {
    let org = team();
    let path = file("unattended.csv", &format!("{CHANGES}{}", agents(0)));
    let r = sync(&org.server, &["apply"], &path);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("stdin is not a terminal"), "{}", r.stderr);
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert!(requests(&org.server).is_empty());
}

#[test]
fn a_refused_token_or_an_unreachable_org_exits_3() {
    let org = team();
    let path = file("auth.csv", &agents(0));
    let r = run(scim()
        .args(["--base-url", &org.server.base_url(), "--token", "wrong"])
        .args(["sync", "apply", "--yes", "--from", path.to_str().unwrap()]));
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("HTTP 401"), "{}", r.stderr);
    assert!(writes(&org.server).is_empty());
}

#[test]
fn the_guard_exits_4_unless_allowed_or_the_threshold_is_raised() {
    let org = team();
    // Five agents and Gone missing: 6 of 23 in-scope users (26%).
    let path = file("guard.csv", &format!("{CHANGES}{}", agents(5)));
    for extra in [&[][..], &["--max-deactivate", "25"], &["-o", "json"]] {
        let mut args = vec!["apply", "--yes"];
        args.extend_from_slice(extra);
        let r = sync(&org.server, &args, &path);
        assert_eq!(r.code, 4, "{extra:?}: {r:?}");
        assert!(r.stderr.contains("deactivates 6 of 23"), "{}", r.stderr);
        assert!(
            r.stderr.contains("--allow-mass-deactivation"),
            "{}",
            r.stderr
        );
        if extra.contains(&"json") {
            assert!(
                r.stdout.is_empty(),
                "stdout is for the report: {}",
                r.stdout
            );
        }
    }
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));

    let r = sync(
        &org.server,
        &["apply", "--yes", "--max-deactivate", "30", "-o", "json"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["deactivated"], 6);

    let org = team();
    let path = file("guard-all.csv", CHANGES);
    let r = sync(&org.server, &["apply", "--yes", "-o", "json"], &path);
    assert_eq!(r.code, 4, "{r:?}");
    let r = sync(
        &org.server,
        &["apply", "--yes", "--allow-mass-deactivation", "-o", "json"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["deactivated"], 21);
    assert_eq!(
        user_named(&org.server, "agent07@example.com")["active"],
        false
    );
}

#[test]
fn users_outside_the_scope_are_never_touched() {
    let org = team();
    // Only EMEA is in scope: Bob changes, the agents (Americas), Gone and
    // the admin are left alone, even agent00 whom the file wants changed.
    let path = file(
        "scope.csv",
        "jane@example.com,,E-1,,,,,\nbob@example.com,,E-2,,Director,,,\nagent00@example.com,,E-100,,Lead,,,\n",
    );
    let r = sync(
        &org.server,
        &["apply", "--yes", "--scope", "division:EMEA"],
        &path,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("scope division:EMEA (2 active users in scope)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("! agent00@example.com ({}:4): matches agent00@example.com, which is outside the scope `division:EMEA`: left alone", path.display())),
        "{}",
        r.stdout
    );
    let bob = format!("PATCH /api/v2/scim/v2/users/{}", org.bob);
    assert_eq!(writes(&org.server), [bob]);
    assert_eq!(user(&org.server, &org.bob)["title"], "Director");
    let agent = user_named(&org.server, "agent00@example.com");
    assert!(
        agent.get("title").is_none() && agent["active"] == true,
        "{agent}"
    );
    assert_eq!(user_named(&org.server, "gone@example.com")["active"], true);
}

/// Export, then plan the export against the same org: nothing to do, in
/// both formats and scopes, on an org with inactive users, managers,
/// groups and users without externalId, before and after a sync.
#[test]
fn an_unedited_export_plans_nothing() {
    let org = team();
    let changes = file("roundtrip-changes.csv", &format!("{CHANGES}{}", agents(0)));
    for round in ["before", "after"] {
        if round == "after" {
            let r = sync(&org.server, &["apply", "--yes"], &changes);
            assert_eq!(r.code, 0, "{r:?}");
        }
        for format in ["csv", "jsonl"] {
            let r = on(&org.server, &["export", "users", "--output", format]);
            assert_eq!(r.code, 0, "{r:?}");
            let path = temp_file(&format!("roundtrip-{round}.{format}"));
            std::fs::write(&path, &r.stdout).unwrap();
            org.server.clear_journal();
            for scope in ["external-id", "all"] {
                let r = sync(
                    &org.server,
                    &["plan", "--scope", scope, "-o", "json"],
                    &path,
                );
                assert_eq!(r.code, 0, "{r:?}");
                let plan = r.json();
                let people = people_in(&path);
                assert_eq!(
                    plan["summary"],
                    json!({"created": 0, "updated": 0, "reactivated": 0, "deactivated": 0,
                           "unchanged": people, "memberships_changed": 0, "creates_out_of_scope": 0, "needs_decision": 0}),
                    "{round} {format} {scope}: {plan}"
                );
                assert_eq!(plan["warnings"], json!([]), "{round} {format} {scope}");
            }
            assert!(writes(&org.server).is_empty());
            let text = sync(&org.server, &["plan"], &path);
            assert!(
                text.stdout
                    .contains("Nothing to do: the org already matches the feed"),
                "{}",
                text.stdout
            );
        }
    }
}

/// The people in a people file: lines, less the CSV header.
fn people_in(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let lines = text.lines().count();
    if path.extension().is_some_and(|e| e == "csv") {
        lines - 1
    } else {
        lines
    }
}

#[test]
fn a_server_that_dies_mid_apply_exits_3_within_30_seconds_and_says_to_run_again() {
    let server = FakeServer::start().expect("fake starts");
    let rows: String = (0..80)
        .map(|i| format!("hire{i:02}@example.com,Hire {i},H-{i:02},,,,,\n"))
        .collect();
    let path = file("dies.csv", &rows);
    // At the default pace (300 requests a minute), as against a real org.
    let mut child = scim()
        .args(["--base-url", &server.base_url(), "--token", &server.token()])
        .args(["sync", "apply", "--yes", "--from", path.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the scim binary runs");
    let waiting = std::time::Instant::now();
    while writes(&server).len() < 5 {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "no creates seen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(server);
    let died = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for scim") {
            break status;
        }
        if died.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("still running 90 s after the server died");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stopped_after = died.elapsed();
    let out = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(3), "{stderr}");
    assert!(
        stopped_after < Duration::from_secs(30),
        "exited {stopped_after:?} after the server died"
    );
    assert!(stderr.contains("stopped answering"), "{stderr}");
    assert!(stderr.contains("not done"), "{stderr}");
    assert!(stderr.contains("again"), "{stderr}");
}

#[test]
fn two_rows_for_one_account_are_refused_naming_both_and_exit_2() {
    let org = org();
    // Row 2 is Jane's new login with her HR key; row 3 a stale row with her old login.
    let path = file(
        "two-rows.csv",
        "bob@example.com,Bob Boss,E-2,,,,,\n\
         jane.doe@example.com,Jane Doe,E-1,,,,,\n\
         jane@example.com,Jane Doe,,,,,,\n",
    );
    let r = sync(&org.server, &["plan"], &path);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{0}:3 (jane.doe@example.com), {0}:4 (jane@example.com)",
            path.display()
        )),
        "{}",
        r.stderr
    );
    assert!(writes(&org.server).is_empty());
}

#[test]
fn a_403_on_every_write_stops_the_apply_early_and_says_why_once_exit_1() {
    let org = crate::common::org();
    let mut rows = String::new();
    for i in 0..20 {
        crate::common::seed(
            &org.server,
            json!({"userName": format!("p{i}@example.com"), "displayName": "P", "externalId": format!("P-{i}"), "title": "Agent"}),
        );
        rows.push_str(&format!("p{i}@example.com,P,P-{i},,Lead,,,\n"));
    }
    rows.push_str("jane@example.com,Jane Doe,E-1,,Agent,+15550100,bob@example.com,Support\n");
    rows.push_str("bob@example.com,Bob Boss,E-2,,Manager,,,\n");
    let path = crate::common::people("forbidden.csv", &rows);
    org.server.clear_journal();
    org.server.inject_on(
        scim_fake::Match::method("PATCH"),
        scim_fake::Fault::status(403).times(1000),
    );
    let r = crate::common::sync(
        &org.server,
        &["apply", "--yes", "--concurrency", "1"],
        &path,
    );
    assert_eq!(r.code, 1, "{r:?}");
    let sent = writes(&org.server).len();
    assert_eq!(sent, 10, "{:?}", writes(&org.server));
    assert_eq!(r.stdout.matches("stopped:").count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("HTTP 403"), "{}", r.stdout);
    assert!(r.stdout.contains("not started: 10 items"), "{}", r.stdout);
}

#[test]
fn a_retry_after_of_an_hour_or_of_u64_max_fails_the_change_at_once_exit_1() {
    for seconds in [3600, u64::MAX] {
        let org = crate::common::org();
        let path = crate::common::people(
            "retry-after.csv",
            "jane@example.com,Jane Doe,E-1,,Senior Agent,+15550100,bob@example.com,Support\n\
             bob@example.com,Bob Boss,E-2,,Director,,,\n",
        );
        org.server.inject_on(
            scim_fake::Match::method("PATCH"),
            Fault::status(429).retry_after(seconds),
        );
        let started = std::time::Instant::now();
        let r = crate::common::sync(
            &org.server,
            &["apply", "--yes", "--concurrency", "1", "-o", "json"],
            &path,
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{seconds}: {r:?}"
        );
        assert_eq!(r.code, 1, "{seconds}: {r:?}");
        let report = r.json();
        assert_eq!(
            (&report["updated"], &report["failed"]),
            (&json!(1), &json!(1))
        );
        let failure = &report["failures"][0];
        assert_eq!(failure["status"], 429, "{failure}");
        assert_eq!(failure["retryable"], true, "{failure}");
        assert!(
            failure["error"].as_str().unwrap().contains("retry budget"),
            "{failure}"
        );
    }
}
