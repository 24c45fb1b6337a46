//! Rows claiming one person: named by the lines an editor shows, refused,
//! or under `--skip-invalid-rows` left out with that person left alone by
//! every identity either row gives; an old inactive row beside the current
//! one is no conflict.

use crate::common::{on, org, seed, sync, temp_file, user_named, writes};
use serde_json::json;
use std::path::Path;

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
    let r = sync(&org.server, &["plan"], Path::new(&people));
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

#[test]
fn different_rows_for_one_person_are_skipped_and_that_person_left_alone() {
    let org = org();
    let jd = seed(
        &org.server,
        json!({"userName": "jd@example.com", "displayName": "J D", "externalId": "E-7"}),
    );
    let x = seed(
        &org.server,
        json!({"userName": "x@example.com", "displayName": "X", "externalId": "E-9"}),
    );
    org.server.clear_journal();
    // Two rows claim jane@ (lines 2 and 4), two claim E-9 (lines 5 and 6);
    // Bob's row is fine.
    let people = file(
        "different-duplicates.csv",
        "userName,displayName,externalId,title\n\
         jane@example.com,Jane Doe,E-1,Lead\n\
         bob@example.com,Bob Boss,E-2,Director\n\
         jane@example.com,Jane D,E-7,Agent\n\
         x1@example.com,X One,E-9,Agent\n\
         x2@example.com,X Two,E-9,Agent\n",
    );
    let r = sync(&org.server, &["plan"], Path::new(&people));
    assert_eq!(r.code, 2, "refused without the flag: {r:?}");

    let r = sync(
        &org.server,
        &["apply", "--yes", "-o", "json", "--skip-invalid-rows"],
        Path::new(&people),
    );
    assert_eq!(r.code, 0, "{r:?}");
    for line in [2, 4, 5, 6] {
        assert!(
            r.stderr.contains(&format!("skipped: {people}:{line}: ")),
            "line {line}: {}",
            r.stderr
        );
    }
    let report = r.json();
    assert_eq!(report["updated"], json!(1), "Bob only: {report}");
    assert_eq!(
        (&report["created"], &report["deactivated"]),
        (&json!(0), &json!(0)),
        "{report}"
    );
    let bob = on(&org.server, &["users", "get", &org.bob]).json();
    assert_eq!(bob["title"], "Director");
    for (id, title) in [(&org.jane, "Agent"), (&jd, ""), (&x, "")] {
        let u = on(&org.server, &["users", "get", id]).json();
        assert_eq!(u["active"], true, "{u}");
        assert_eq!(u["title"].as_str().unwrap_or_default(), title, "{u}");
    }
    assert_eq!(writes(&org.server).len(), 1, "{:?}", writes(&org.server));
}

#[test]
fn an_old_inactive_row_beside_the_current_one_is_no_conflict() {
    let org = org();
    // Jane's current row, and her old record under another id.
    let people = file(
        "old-record.csv",
        "userName,displayName,externalId,active,title\n\
         jane@example.com,Jane Doe,E-1,true,Lead\n\
         bob@example.com,Bob Boss,E-2,true,Manager\n\
         jane@example.com,Jane Doe,E-0,false,Agent\n",
    );
    let r = on(&org.server, &["check", &people]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = sync(&org.server, &["apply", "--yes"], Path::new(&people));
    assert_eq!(r.code, 0, "{r:?}");
    let jane = user_named(&org.server, "jane@example.com");
    assert_eq!(
        (&jane["active"], &jane["title"]),
        (&json!(true), &json!("Lead"))
    );
    assert_eq!(jane["externalId"], "E-1");
}

#[test]
fn rows_standing_for_one_account_by_different_keys_are_left_out_under_skip_invalid_rows() {
    let org = org();
    // Line 3 finds Jane by her externalId, line 4 by her userName; Bob's
    // row is fine. Left out, Jane's account must not look absent either.
    let people = file(
        "one-account-two-keys.csv",
        "userName,displayName,externalId,title\n\
         bob@example.com,Bob Boss,E-2,Director\n\
         jane.doe@example.com,Jane Doe,E-1,Lead\n\
         jane@example.com,Jane Doe,,Lead\n",
    );
    let r = sync(
        &org.server,
        &["plan", "-o", "json", "--skip-invalid-rows"],
        Path::new(&people),
    );
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    let lines: Vec<&str> = (plan["warnings"].as_array().unwrap().iter())
        .filter_map(|w| w["line"].as_str())
        .collect();
    for line in [3, 4] {
        assert!(
            lines.contains(&format!("{people}:{line}").as_str()),
            "line {line}: {plan}"
        );
    }

    let r = sync(
        &org.server,
        &["apply", "--yes", "-o", "json", "--skip-invalid-rows"],
        Path::new(&people),
    );
    assert_eq!(r.code, 0, "{r:?}");
    let report = r.json();
    assert_eq!(report["updated"], json!(1), "Bob only: {report}");
    assert_eq!(report["deactivated"], json!(0), "{report}");
    let bob = on(&org.server, &["users", "get", &org.bob]).json();
    assert_eq!(bob["title"], "Director");
    let jane = on(&org.server, &["users", "get", &org.jane]).json();
    assert_eq!(
        (&jane["active"], &jane["title"], &jane["userName"]),
        (&json!(true), &json!("Agent"), &json!("jane@example.com")),
        "left alone: {jane}"
    );
    assert_eq!(writes(&org.server).len(), 1, "{:?}", writes(&org.server));
}

#[test]
fn with_a_state_every_run_leaves_out_the_rows_standing_for_one_account() {
    let org = org();
    let people = file(
        "one-account-two-keys-state.csv",
        "userName,displayName,externalId,title\n\
         bob@example.com,Bob Boss,E-2,Director\n\
         jane.doe@example.com,Jane Doe,E-1,Lead\n\
         jane@example.com,Jane Doe,,Lead\n",
    );
    let state = temp_file("one-account-two-keys.state");
    let _ = std::fs::remove_file(&state);
    let args = [
        "apply",
        "--yes",
        "-o",
        "json",
        "--skip-invalid-rows",
        "--state",
        state.to_str().unwrap(),
    ];
    for run in ["first", "second"] {
        let r = sync(&org.server, &args, Path::new(&people));
        assert_eq!(r.code, 0, "{run}: {r:?}");
        let jane = on(&org.server, &["users", "get", &org.jane]).json();
        assert_eq!(
            (&jane["active"], &jane["title"], &jane["userName"]),
            (&json!(true), &json!("Agent"), &json!("jane@example.com")),
            "{run}: {jane}"
        );
    }
    // Jane's rows were left out twice: only Bob was written, once.
    assert_eq!(writes(&org.server).len(), 1, "{:?}", writes(&org.server));
}

#[test]
fn only_a_row_whose_account_another_row_finds_is_refused_as_the_whole_file_is() {
    let org = org();
    // `--only jane@` keeps line 4; line 3 finds the same account by its
    // externalId, so the file as a whole would be refused.
    let people = file(
        "only-one-account-two-keys.csv",
        "userName,displayName,externalId,title\n\
         bob@example.com,Bob Boss,E-2,Director\n\
         jane.doe@example.com,Jane Doe,E-1,Lead\n\
         jane@example.com,Jane Doe,,Lead\n",
    );
    let only = ["apply", "--yes", "--only", "jane@example.com"];
    let r = sync(&org.server, &only, Path::new(&people));
    assert_eq!(r.code, 2, "{r:?}");
    for line in [3, 4] {
        assert!(
            r.stderr.contains(&format!("{people}:{line}")),
            "line {line}: {}",
            r.stderr
        );
    }
    let r = sync(
        &org.server,
        &[&only[..], &["--skip-invalid-rows"]].concat(),
        Path::new(&people),
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("left out"), "{}", r.stdout);
    assert!(writes(&org.server).is_empty(), "{:?}", writes(&org.server));
    let jane = on(&org.server, &["users", "get", &org.jane]).json();
    assert_eq!(jane["title"], "Agent", "left alone: {jane}");
}
