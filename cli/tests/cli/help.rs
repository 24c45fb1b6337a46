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

#[test]
fn the_help_lists_the_exit_codes_the_man_page_lists() {
    let text = help(&[]);
    let at = text
        .find("Exit status:")
        .unwrap_or_else(|| panic!("{text}"));
    let man = run(scim().arg("man")).stdout;
    for code in [0, 1, 2, 3, 4, 5, 130] {
        assert!(
            text[at..].contains(&format!("\n  {code:<3}  ")),
            "no exit code {code} in\n{}",
            &text[at..]
        );
        assert!(man.contains(&format!(".TP\n\\fB{code}\\fR\n")), "{man}");
    }
    assert!(
        !man.contains("Exit status:"),
        "told once, in EXIT STATUS: {man}"
    );
    assert!(
        text[at..].contains("audit log could not be written"),
        "{}",
        &text[at..]
    );
}
