//! `--managed-groups`: memberships among those groups follow the feed, and
//! every other group is left alone.

use crate::common::{add_members, on, org, temp_file};
use serde_json::{Value, json};

fn members(server: &scim_fake::FakeServer, group: &str) -> Vec<String> {
    let r = on(server, &["groups", "members", group, "-o", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let mut names: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["userName"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[test]
fn only_the_managed_groups_follow_the_feed() {
    let org = org();
    // Jane is also in Engineering, by hand; the admin (out of scope) in Support.
    add_members(&org.server, "Engineering", &[&org.jane]);
    let path = temp_file("managed.csv");
    // Jane moves to Workforce Management, which has no group; Bob joins Sales.
    std::fs::write(
        &path,
        "userName,displayName,externalId,department,groups\n\
         jane@example.com,Jane Doe,E-1,Workforce Management,\n\
         bob@example.com,Bob Boss,E-2,,Sales;Book Club\n\
         old@example.com,Old Timer,E-3,,\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let args = |command: &str| -> Vec<String> {
        let mut a: Vec<String> = ["sync", command, "-o", "json", "--from", file]
            .map(str::to_owned)
            .to_vec();
        a.extend(["--managed-groups".into(), "Support,Sales".into()]);
        if command == "apply" {
            a.extend(["--yes", "--rate-limit", "0"].map(str::to_owned));
        }
        a
    };
    let run = |command: &str| -> (Value, String) {
        let a = args(command);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let r = on(&org.server, &a);
        assert_eq!(r.code, 0, "{r:?}");
        (r.json(), r.stderr)
    };
    let (plan, stderr) = run("plan");
    assert_eq!(plan["summary"]["memberships_changed"], json!(2), "{plan}");
    assert!(
        stderr.contains("group `Book Club` is not among the managed groups"),
        "{stderr}"
    );
    let (report, _) = run("apply");
    assert_eq!(report["failed"], json!(0), "{report}");
    assert_eq!(members(&org.server, "Support"), ["admin@example.com"]);
    assert_eq!(members(&org.server, "Sales"), ["bob@example.com"]);
    assert_eq!(
        members(&org.server, "Engineering"),
        ["jane@example.com"],
        "a group that is not managed is never touched"
    );
    let (again, _) = run("plan");
    assert_eq!(again["summary"]["memberships_changed"], json!(0), "{again}");
}

#[test]
fn managed_groups_without_a_groups_column_are_refused_on_plan_and_apply() {
    let org = org();
    let csv = temp_file("managed-no-groups.csv");
    std::fs::write(
        &csv,
        "userName,displayName,externalId\njane@example.com,Jane Doe,E-1\nbob@example.com,Bob Boss,E-2\n",
    )
    .unwrap();
    let jsonl = temp_file("managed-no-groups.jsonl");
    std::fs::write(
        &jsonl,
        "{\"userName\": \"jane@example.com\", \"externalId\": \"E-1\"}\n{\"userName\": \"bob@example.com\", \"externalId\": \"E-2\"}\n",
    )
    .unwrap();
    let export = temp_file("managed-no-groups-export.csv");
    std::fs::write(
        &export,
        "Email,Employee ID,Name\njane@example.com,E-1,Jane Doe\nbob@example.com,E-2,Bob Boss\n",
    )
    .unwrap();
    let mapping = temp_file("managed-no-groups.toml");
    std::fs::write(
        &mapping,
        "managed_groups = [\"Support\"]\n[columns]\nuserName = \"Email\"\nexternalId = \"Employee ID\"\ndisplayName = \"Name\"\n",
    )
    .unwrap();
    let (csv, jsonl, export, mapping) = (
        csv.to_str().unwrap(),
        jsonl.to_str().unwrap(),
        export.to_str().unwrap(),
        mapping.to_str().unwrap(),
    );
    let cases: [&[&str]; 3] = [
        &["--from", csv, "--managed-groups", "Support"],
        &["--from", jsonl, "--managed-groups", "Support"],
        &["--from", export, "--map", mapping],
    ];
    for case in cases {
        for command in [&["plan"][..], &["apply", "--yes", "--rate-limit", "0"]] {
            let mut args = vec!["sync"];
            args.extend_from_slice(command);
            args.extend_from_slice(case);
            let r = on(&org.server, &args);
            assert_eq!(r.code, 2, "{args:?}: {r:?}");
            assert!(r.stderr.contains("groups column"), "{args:?}: {}", r.stderr);
            assert!(r.stderr.contains("Support"), "{args:?}: {}", r.stderr);
        }
    }
    assert!(org.server.journal().is_empty(), "refused before connecting");
    assert_eq!(
        members(&org.server, "Support"),
        ["admin@example.com", "jane@example.com"]
    );
}

#[test]
fn a_managed_group_emptied_by_the_file_is_refused_as_a_mass_change_exit_4() {
    let org = org();
    let mut rows = String::from("userName,displayName,externalId,groups\n");
    rows.push_str("jane@example.com,Jane Doe,E-1,\nbob@example.com,Bob Boss,E-2,\n");
    let mut ids = vec![org.jane.clone()];
    for i in 0..6 {
        let name = format!("agent{i}@example.com");
        ids.push(crate::common::seed(
            &org.server,
            json!({"userName": name, "displayName": "Agent", "externalId": format!("A-{i}")}),
        ));
        rows.push_str(&format!("{name},Agent,A-{i},\n"));
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    add_members(&org.server, "Support", &refs);
    let path = temp_file("managed-emptied.csv");
    std::fs::write(&path, rows).unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = ["sync", "apply", "--yes", "--rate-limit", "0"]
            .map(str::to_owned)
            .to_vec();
        a.extend(["--from".into(), path.to_str().unwrap().to_owned()]);
        a.extend(["--managed-groups".into(), "Support".into()]);
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        on(&org.server, &a)
    };
    let r = run(&[]);
    assert_eq!(r.code, 4, "{r:?}");
    assert!(
        r.stderr
            .contains("removes 7 of the 8 members of group Support"),
        "{}",
        r.stderr
    );
    assert_eq!(members(&org.server, "Support").len(), 8, "nothing sent");

    let r = run(&["--allow-mass-deactivation"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(members(&org.server, "Support"), ["admin@example.com"]);
}
