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
