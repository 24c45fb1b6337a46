//! Rows claiming one person: named by the lines an editor shows, refused,
//! or under `--skip-invalid-rows` left out with that person left alone by
//! every identity either row gives; an old inactive row beside the current
//! one is no conflict.

use crate::common::{on, org, temp_file, writes};

fn file(name: &str, text: &str) -> String {
    let path = temp_file(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn two_rows_for_one_account_are_refused_naming_both_editor_lines() {
    let org = org();
    // Line 3 finds Jane by her externalId, line 5 by her (old) userName;
    // the quoted title of line 3 spans two lines.
    let people = file(
        "two-rows-one-account.csv",
        "userName,displayName,externalId,title\r\n\
         bob@example.com,Bob Boss,E-2,Manager\r\n\
         jane.doe@example.com,Jane Doe,E-1,\"Senior\r\nAgent\"\r\n\
         jane@example.com,Jane Doe,,Agent\r\n",
    );
    let r = on(&org.server, &["sync", "plan", "--from", &people]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&format!("{people}:3"))
            && r.stderr.contains(&format!("{people}:5"))
            && r.stderr.contains("jane@example.com"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains('#'), "no row indexes: {}", r.stderr);
    assert!(writes(&org.server).is_empty());
}
