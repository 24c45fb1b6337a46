//! `scim export users`, and reading the export back with `scim check`.

use crate::common::{on, org, requests, run, scim, temp_file};
use serde_json::json;

#[test]
fn export_writes_every_user_in_the_people_file_format() {
    let org = org();
    let r = on(&org.server, &["export", "users"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        [
            "userName,displayName,externalId,active,title,department,division,employeeNumber,email,phone,manager,groups",
            "admin@example.com,Admin,,true,,,,,,,,Support",
            "bob@example.com,Bob Boss,E-2,true,Manager,,EMEA,,,,,",
            "jane@example.com,Jane Doe,E-1,true,Agent,Support,EMEA,0042,jane@example.com,+15550100,bob@example.com,Support",
            "old@example.com,Old Timer,E-3,false,,,,,,,,",
        ]
    );
    assert_eq!(r.stderr.trim(), "exported 4 users");
    assert!(
        requests(&org.server).iter().all(|r| r.starts_with("GET")),
        "export only reads"
    );
}

#[test]
fn export_as_json_lines_has_one_object_per_user() {
    let org = org();
    let r = on(&org.server, &["export", "users", "--output", "jsonl"]);
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[2],
        json!({
            "userName": "jane@example.com", "displayName": "Jane Doe", "externalId": "E-1",
            "active": true, "title": "Agent", "department": "Support", "division": "EMEA",
            "employeeNumber": "0042", "email": "jane@example.com", "phone": "+15550100",
            "manager": "bob@example.com", "groups": ["Support"]
        })
    );
    assert_eq!(
        lines[3],
        json!({"userName": "old@example.com", "displayName": "Old Timer", "externalId": "E-3", "active": false})
    );
}

#[test]
fn an_export_reads_back_as_a_valid_people_file() {
    let org = org();
    for (format, name) in [("csv", "export.csv"), ("jsonl", "export.jsonl")] {
        let r = on(&org.server, &["export", "users", "--output", format]);
        assert_eq!(r.code, 0, "{r:?}");
        let path = temp_file(name);
        std::fs::write(&path, &r.stdout).unwrap();
        let check = run(scim().arg("check").arg(&path));
        assert_eq!(check.code, 0, "{check:?}");
        assert!(
            check
                .stdout
                .contains("4 people (1 inactive, 3 with an externalId); no problems found"),
            "{}",
            check.stdout
        );
    }
}

#[test]
fn a_user_the_format_cannot_hold_is_reported_and_the_rest_exported() {
    let org = org();
    crate::common::seed(
        &org.server,
        json!({"userName": "odd@example.com", "title": "<clear>"}),
    );
    let r = on(&org.server, &["export", "users"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1 + 4, "{}", r.stdout);
    assert!(!r.stdout.contains("odd@example.com"));
    assert!(
        r.stderr
            .contains("cannot export `odd@example.com`: its title"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1 of 5 items failed"), "{}", r.stderr);
}
