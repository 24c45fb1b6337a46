//! `--skip-invalid-rows`: bad rows are reported as FILE:LINE and left out,
//! their people are left alone, and the good rows are synced.

use crate::common::{on, org, sync, temp_file};
use serde_json::json;
use std::path::Path;

fn feed(name: &str, rows: &str) -> String {
    let path = temp_file(name);
    std::fs::write(
        &path,
        format!("userName,displayName,externalId,active,title\n{rows}"),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn bad_rows_are_reported_and_their_people_left_alone_while_the_rest_syncs() {
    let org = org();
    // Bob's row is bad: without the flag, nothing is sent.
    let file = feed(
        "skip.csv",
        "jane@example.com,Jane Doe,E-1,,Senior Agent\n\
         bob@example.com,Bob Boss,E-2,maybe,Manager\n",
    );
    let r = sync(&org.server, &["plan"], Path::new(&file));
    assert_eq!(r.code, 2, "{r:?}");

    let r = sync(
        &org.server,
        &["apply", "--yes", "-o", "json", "--skip-invalid-rows"],
        Path::new(&file),
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "skipped: {file}:3: column `active`: expected true or false, found `maybe`"
        )),
        "{}",
        r.stderr
    );
    let report = r.json();
    assert_eq!(report["updated"], json!(1), "{report}");
    assert_eq!(
        report["deactivated"],
        json!(0),
        "Bob is named by the file: {report}"
    );
    let bob = on(&org.server, &["users", "get", &org.bob]).json();
    assert_eq!(bob["active"], true);
    let jane = on(&org.server, &["users", "get", &org.jane]).json();
    assert_eq!(jane["title"], "Senior Agent");
}

#[test]
fn a_bad_row_without_a_user_name_still_refuses_the_file() {
    let org = org();
    let file = feed(
        "skip-nameless.csv",
        "jane@example.com,Jane Doe,E-1,,Agent\n,Bob Boss,E-2,,Manager\n",
    );
    let r = sync(
        &org.server,
        &["plan", "--skip-invalid-rows"],
        Path::new(&file),
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains(&format!("{file}:3: the row gives no readable userName")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_skipped_row_protects_its_person_by_external_id_too_after_a_rename_in_hr() {
    let org = org();
    // Jane was renamed in HR; her row is skipped for a bad value. Her
    // account still has the old userName, and her externalId.
    let file = feed(
        "skip-renamed.csv",
        "jane.smith@example.com,Jane Smith,E-1,maybe,Agent\n\
         bob@example.com,Bob Boss,E-2,,Manager\n",
    );
    let r = sync(
        &org.server,
        &[
            "apply",
            "--yes",
            "--max-deactivate",
            "100",
            "-o",
            "json",
            "--skip-invalid-rows",
        ],
        Path::new(&file),
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["deactivated"], json!(0), "{}", r.stdout);
    let jane = on(&org.server, &["users", "get", &org.jane]).json();
    assert_eq!(jane["active"], true, "left as she is");
    assert_eq!(jane["userName"], "jane@example.com");
}
