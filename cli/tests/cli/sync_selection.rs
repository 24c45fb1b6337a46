//! Choosing what a sync touches and telling scripts whether it has work:
//! `sync plan --exit-code`, `--no-deactivate`, `--exclude`, `--exclude-file`
//! and `sync apply --only`, against scim-fake.

use crate::common::{Org, on, org, requests, temp_file};
use scim_fake::FakeServer;
use std::path::{Path, PathBuf};

const HEADER: &str = "userName,displayName,externalId,active,title,phone,manager,groups\n";

/// Jane is promoted and joins Sales; Bob is unchanged; the leaver stays
/// out; nobody new.
const SAME: &str = "\
jane@example.com,Jane Doe,E-1,,Agent,+15550100,bob@example.com,Support
bob@example.com,Bob Boss,E-2,,Manager,,,
";

pub fn people(name: &str, rows: &str) -> PathBuf {
    let path = temp_file(name);
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    path
}

/// `sync ARGS --from PATH`, unpaced.
pub fn sync(server: &FakeServer, args: &[&str], path: &Path) -> crate::common::Run {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--from", path.to_str().unwrap()]);
    if args.first() == Some(&"apply") {
        all.extend_from_slice(&["--rate-limit", "0"]);
    }
    on(server, &all)
}

pub fn writes(server: &FakeServer) -> Vec<String> {
    requests(server)
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect()
}

#[test]
fn plan_exit_code_is_1_with_changes_and_0_in_sync() {
    let Org { server, .. } = org();
    let in_sync = people("exit-code-same.csv", SAME);
    let r = sync(&server, &["plan", "--exit-code"], &in_sync);
    assert_eq!(r.code, 0, "nothing to do: {r:?}");
    assert!(r.stdout.contains("Nothing to do"), "{}", r.stdout);

    let promoted = people(
        "exit-code-changes.csv",
        &SAME.replace(",Agent,", ",Senior Agent,"),
    );
    let r = sync(&server, &["plan", "--exit-code"], &promoted);
    assert_eq!(r.code, 1, "changes pending: {r:?}");
    assert!(r.stdout.contains("Senior Agent"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "no error message: {}", r.stderr);
    let r = sync(&server, &["plan", "--exit-code", "-o", "json"], &promoted);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.json()["summary"]["updated"], 1);

    let r = sync(&server, &["plan"], &promoted);
    assert_eq!(r.code, 0, "without --exit-code a plan is a success: {r:?}");
    assert!(writes(&server).is_empty());
}
