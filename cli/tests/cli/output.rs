//! What reaches the reader: closed pipes, terminal-safe text and
//! spreadsheet-safe CSV.

use crate::common::{org, scim};
use std::io::Read;
use std::process::Stdio;

#[test]
fn a_closed_stdout_is_no_error() {
    let org = org();
    for i in 0..40 {
        crate::common::seed(
            &org.server,
            serde_json::json!({"userName": format!("u{i:02}@example.com"), "displayName": "x".repeat(300)}),
        );
    }
    for args in [
        &["users", "list"][..],
        &["users", "list", "--output", "csv"],
        &["users", "list", "--output", "json"],
        &["groups", "list", "--output", "csv"],
        &["export", "users"],
        &["export", "users", "--output", "jsonl"],
    ] {
        let mut child = scim()
            .args([
                "--base-url",
                &org.server.base_url(),
                "--token",
                &org.server.token(),
            ])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written, as `| head -0` would.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}

/// A userName that erases the lines above it, and other control
/// characters (a C1 CSI, a line break, a bell).
const ERASE: &str = "\u{1b}[2A\u{1b}[Jevil@example.com";

fn assert_escaped(what: &str, text: &str) {
    assert!(
        !text.contains(['\u{1b}', '\u{9b}', '\u{7}']),
        "{what}: raw control characters in {text:?}"
    );
}

#[test]
fn org_data_reaches_the_terminal_with_control_characters_escaped() {
    let org = org();
    let evil = crate::common::seed(
        &org.server,
        serde_json::json!({"userName": ERASE, "displayName": "two\nlines\u{9b}6n\u{7}",
                           "title": "<clear>"}),
    );
    crate::common::add_members(&org.server, "Sales", &[&evil]);
    // Machine-readable output keeps the value as it is.
    let json = crate::common::on(&org.server, &["users", "get", &evil]);
    assert_eq!(json.json()["userName"], ERASE);
    let runs = [
        (
            "users list",
            crate::common::on(&org.server, &["users", "list"]),
        ),
        (
            "users get",
            crate::common::on(&org.server, &["users", "get", &evil, "--output", "table"]),
        ),
        (
            "groups members",
            crate::common::on(&org.server, &["groups", "members", "Sales"]),
        ),
        (
            "export",
            crate::common::on(&org.server, &["export", "users", "-o", "jsonl"]),
        ),
        (
            "users deactivate",
            crate::common::on(&org.server, &["users", "deactivate", &evil]),
        ),
        (
            "users delete",
            crate::common::on(&org.server, &["users", "delete", &evil, "--yes"]),
        ),
    ];
    for (what, r) in &runs {
        assert_eq!(r.code, 0, "{what}: {r:?}");
        assert_escaped(what, &r.stderr);
        if !what.starts_with("export") {
            assert_escaped(what, &r.stdout);
        }
    }
    // The escapes show what is there.
    assert!(
        runs[0].1.stdout.contains(r"\x1b[2A\x1b[Jevil@example.com"),
        "{}",
        runs[0].1.stdout
    );
    assert!(
        runs[1].1.stdout.contains(r"two\nlines\u{9b}6n\x07"),
        "{}",
        runs[1].1.stdout
    );
    assert!(
        runs[4]
            .1
            .stderr
            .contains(r"deactivated \x1b[2A\x1b[Jevil@example.com"),
        "{}",
        runs[4].1.stderr
    );
    assert!(
        runs[3].1.stderr.contains(r"warning: \x1b[2A"),
        "{}",
        runs[3].1.stderr
    );
}

#[test]
fn errors_and_progress_lines_escape_what_they_quote() {
    let org = org();
    let path = crate::common::temp_file("evil.csv");
    std::fs::write(&path, format!("userName,displayName\n{ERASE},Evil\n")).unwrap();
    let r = crate::common::on(
        &org.server,
        &[
            "sync",
            "apply",
            "--yes",
            "--scope",
            "all",
            "--max-deactivate",
            "100",
            "--allow-mass-deactivation",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_escaped("apply progress", &r.stderr);
    assert!(r.stderr.contains(r"\x1b[2A"), "{r:?}");
    let r = crate::common::on(&org.server, &["users", "get", &format!("{ERASE}x")]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_escaped("error", &r.stderr);
}

#[test]
fn the_plan_and_the_report_show_org_data_escaped() {
    let org = org();
    // In scope (an externalId) and absent from the feed: the plan names it
    // among the deactivations, and the apply reports deactivating it.
    crate::common::seed(
        &org.server,
        serde_json::json!({"userName": ERASE, "displayName": "Evil \u{1b}[J", "externalId": "E-9"}),
    );
    let path = crate::common::temp_file("plan-evil.csv");
    std::fs::write(
        &path,
        "userName,displayName,externalId\njane@example.com,Jane Doe,E-1\nbob@example.com,Bob Boss,E-2\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let plan = crate::common::on(&org.server, &["sync", "plan", "--from", file]);
    assert_eq!(plan.code, 0, "{plan:?}");
    assert_escaped("plan", &plan.stdout);
    assert!(plan.stdout.contains(r"\x1b[2A"), "{}", plan.stdout);
    let apply = crate::common::on(
        &org.server,
        &[
            "sync",
            "apply",
            "--yes",
            "--max-deactivate",
            "100",
            "--from",
            file,
        ],
    );
    assert_escaped("apply", &format!("{}{}", apply.stdout, apply.stderr));
}

/// C1 controls (a CSI, a NEL) and the bidirectional overrides and isolates
/// that make text read backwards: `exe.txt` shown as `txt.exe`.
const REORDER: &str = "Eve\u{9b}2J\u{85}\u{202e}txt.exe\u{202c}\u{2066}x\u{2069}\u{1b}[J";

/// The characters a terminal would act on, or reorder text by; line
/// breaks between lines are fine.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn users_get_escapes_c1_and_bidi_characters_and_its_json_stays_the_same_json() {
    let org = org();
    let id = crate::common::seed(
        &org.server,
        serde_json::json!({"userName": "eve@example.com", "displayName": REORDER, "title": REORDER}),
    );
    let json = crate::common::on(&org.server, &["users", "get", &id]);
    assert_eq!(json.code, 0, "{json:?}");
    assert_eq!(
        raw_controls(&json.stdout),
        Vec::<char>::new(),
        "{}",
        json.stdout
    );
    assert!(json.stdout.contains(r"\u202e"), "{}", json.stdout);
    assert_eq!(json.json()["displayName"], REORDER, "the value is kept");
    let list = crate::common::on(&org.server, &["users", "list", "-o", "json"]);
    assert_eq!(
        raw_controls(&list.stdout),
        Vec::<char>::new(),
        "{}",
        list.stdout
    );
    assert!(
        list.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["title"] == REORDER)
    );
    let table = crate::common::on(&org.server, &["users", "get", &id, "-o", "table"]);
    assert_eq!(table.code, 0, "{table:?}");
    assert_eq!(
        raw_controls(&table.stdout),
        Vec::<char>::new(),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains(r"\u{202e}txt.exe"),
        "{}",
        table.stdout
    );
}

#[test]
fn verbose_logs_escape_what_they_quote() {
    let org = org();
    let id = crate::common::seed(
        &org.server,
        serde_json::json!({"userName": "eve@example.com", "displayName": REORDER}),
    );
    for verbose in ["-v", "-vv"] {
        let r = crate::common::on(&org.server, &[verbose, "users", "get", &id]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(r.stderr.contains("DEBUG"), "{verbose} logs: {}", r.stderr);
        assert_eq!(raw_controls(&r.stderr), Vec::<char>::new(), "{}", r.stderr);
    }
    let r = crate::common::on(&org.server, &["-vv", "users", "get", &id]);
    assert!(r.stderr.contains("202e"), "-vv logs the body: {}", r.stderr);
}

#[test]
fn a_saved_plans_header_shows_what_the_file_says_escaped() {
    let org = org();
    let path = crate::common::temp_file("header-evil.csv");
    std::fs::write(
        &path,
        "userName,displayName,externalId\njane@example.com,Jane D,E-1\n",
    )
    .unwrap();
    let plan = crate::common::temp_file("header-evil.json");
    let r = crate::common::on(
        &org.server,
        &[
            "sync",
            "plan",
            "--no-deactivate",
            "--from",
            path.to_str().unwrap(),
            "--out",
            plan.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let mut saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    saved["source"] = REORDER.into();
    saved["plan"]["scope"]["rule"] = format!("division:{REORDER}").into();
    std::fs::write(&plan, saved.to_string()).unwrap();
    let r = crate::common::on(
        &org.server,
        &["sync", "apply", "--yes", "--plan", plan.to_str().unwrap()],
    );
    assert!(r.stdout.contains("Saved plan "), "{r:?}");
    assert_eq!(raw_controls(&r.stdout), Vec::<char>::new(), "{}", r.stdout);
    assert_eq!(raw_controls(&r.stderr), Vec::<char>::new(), "{}", r.stderr);
}

#[test]
fn the_apply_reports_json_escapes_c1_and_bidi_characters_and_stays_the_same_json() {
    let org = org();
    // In scope and absent from the feed: a deactivation, which the org
    // refuses with a detail quoting the name.
    crate::common::seed(
        &org.server,
        serde_json::json!({"userName": REORDER, "displayName": "Eve", "externalId": "E-9"}),
    );
    org.server.inject_on(
        scim_fake::Match::method("PATCH").path("/users/*"),
        scim_fake::Fault::status(403).detail(format!("no access to {REORDER}")),
    );
    let path = crate::common::temp_file("report-evil.csv");
    std::fs::write(
        &path,
        "userName,displayName,externalId\njane@example.com,Jane Doe,E-1\nbob@example.com,Bob Boss,E-2\n",
    )
    .unwrap();
    let r = crate::common::on(
        &org.server,
        &[
            "sync",
            "apply",
            "--yes",
            "--max-deactivate",
            "100",
            "-o",
            "json",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(raw_controls(&r.stdout), Vec::<char>::new(), "{}", r.stdout);
    let failure = &r.json()["failures"][0];
    assert_eq!(failure["userName"], REORDER, "the value is kept: {failure}");
    assert!(
        failure["error"]
            .as_str()
            .unwrap()
            .contains("no access to Eve"),
        "{failure}"
    );
}
