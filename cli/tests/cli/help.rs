//! `--help` of each subcommand: its own options first, the connection
//! options after them under their own heading, and none on `check`, which
//! never connects.

use crate::common::{run, scim};

fn help(args: &[&str]) -> String {
    let r = run(scim().args(args).arg("--help"));
    assert_eq!(r.code, 0, "{r:?}");
    r.stdout
}

#[test]
fn a_subcommand_lists_its_own_options_before_the_connection_options() {
    for (args, own) in [
        (&["sync", "plan"][..], "--from"),
        (&["sync", "apply"][..], "--yes"),
        (&["users", "list"][..], "--filter"),
        (&["users", "delete"][..], "--audit-log"),
    ] {
        let text = help(args);
        let own_at = text.find(own).unwrap_or_else(|| panic!("{own} in {text}"));
        let heading = text
            .find("Connection options:")
            .unwrap_or_else(|| panic!("{args:?}: {text}"));
        assert!(own_at < heading, "{args:?}: own options first:\n{text}");
        assert!(text[heading..].contains("--base-url"), "{text}");
    }
}

#[test]
fn check_shows_no_connection_options() {
    let text = help(&["check"]);
    assert!(text.contains("--ignore-unknown-columns"), "{text}");
    for connection in [
        "--region",
        "--base-url",
        "--token",
        "--token-url",
        "--fake",
        "Connection options",
    ] {
        assert!(!text.contains(connection), "`{connection}` in:\n{text}");
    }
}
