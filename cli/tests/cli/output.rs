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
