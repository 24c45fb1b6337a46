//! What the reader warns about rows it read all the same (a phone left as
//! it is, a row repeated whole) is part of the plan, with its line, in
//! text and in JSON.

use crate::common::{on, temp_file};
use scim_fake::FakeServer;
use serde_json::{Value, json};

#[test]
fn feed_warnings_are_in_the_plan_with_their_lines() {
    let export = temp_file("warned.csv");
    std::fs::write(
        &export,
        "id,mail,name,tel\r\n\
         1,a@example.com,Ann,TBC\r\n\
         2,b@example.com,Ben,(312) 555-0100\r\n\
         2,b@example.com,Ben,(312) 555-0100\r\n",
    )
    .unwrap();
    let map = temp_file("warned.toml");
    std::fs::write(
        &map,
        "[columns]\nuserName = \"mail\"\nexternalId = \"id\"\ndisplayName = \"name\"\n\
         phone = { from = \"tel\", phone = \"US\" }\n",
    )
    .unwrap();
    let (export, map) = (export.to_str().unwrap(), map.to_str().unwrap());
    let server = FakeServer::start().expect("fake starts");

    let r = on(
        &server,
        &["sync", "plan", "-o", "json", "--from", export, "--map", map],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    let warnings = plan["warnings"].as_array().cloned().unwrap_or_default();
    let at = |line: &str| -> Vec<&Value> {
        warnings
            .iter()
            .filter(|w| w["line"] == json!(format!("{export}:{line}")))
            .collect()
    };
    let phone = at("2");
    assert_eq!(phone.len(), 1, "{plan}");
    assert_eq!(phone[0]["userName"], "a@example.com", "{plan}");
    assert!(
        phone[0]["message"].as_str().unwrap().contains("`TBC`"),
        "{plan}"
    );
    let repeat = at("4");
    assert_eq!(repeat.len(), 1, "{plan}");
    assert!(
        repeat[0]["message"].as_str().unwrap().contains("line 3"),
        "{plan}"
    );

    let r = on(&server, &["sync", "plan", "--from", export, "--map", map]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(&format!("{export}:2")) && r.stdout.contains("`TBC`"),
        "{}",
        r.stdout
    );
}

#[test]
fn feed_warnings_about_the_people_kept_by_only_are_in_the_plan() {
    let export = temp_file("warned-only.csv");
    std::fs::write(
        &export,
        "id,mail,name,tel\r\n\
         1,a@example.com,Ann,TBC\r\n\
         2,b@example.com,Ben,n/a\r\n",
    )
    .unwrap();
    let map = temp_file("warned-only.toml");
    std::fs::write(
        &map,
        "[columns]\nuserName = \"mail\"\nexternalId = \"id\"\ndisplayName = \"name\"\n\
         phone = { from = \"tel\", phone = \"US\" }\n",
    )
    .unwrap();
    let (export, map) = (export.to_str().unwrap(), map.to_str().unwrap());
    let server = FakeServer::start().expect("fake starts");
    let args = ["sync", "plan", "--from", export, "--map", map];

    let r = on(
        &server,
        &[&args[..], &["-o", "json", "--only", "a@example.com"]].concat(),
    );
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    let warnings = plan["warnings"].as_array().cloned().unwrap_or_default();
    assert_eq!(warnings.len(), 1, "Ann's alone: {plan}");
    assert_eq!(warnings[0]["line"], json!(format!("{export}:2")), "{plan}");
    assert!(!r.stderr.contains("TBC"), "once, in the plan: {}", r.stderr);

    let r = on(&server, &[&args[..], &["--only", "a@example.com"]].concat());
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(&format!("{export}:2")) && r.stdout.contains("`TBC`"),
        "{}",
        r.stdout
    );
}
