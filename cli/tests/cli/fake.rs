//! `--fake`: the embedded demo org, and how it is designed to meet
//! `examples/people.csv`.

use crate::common::{counts, run, scim};
use serde_json::Value;
use std::collections::HashMap;

fn fake(args: &[&str]) -> crate::common::Run {
    run(scim().arg("--fake").args(args))
}

#[test]
fn every_command_works_on_the_demo_org_offline() {
    let r = fake(&["users", "list", "--all", "--output", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let users = r.json();
    let users = users.as_array().unwrap();
    assert!(users.len() >= 30, "a few dozen users");
    assert!(
        users.iter().any(|u| u["active"] == false),
        "an inactive user"
    );
    assert!(
        users.iter().any(|u| u.get("externalId").is_none()),
        "users without externalId"
    );

    let r = fake(&["groups", "list", "--output", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    for g in r.json().as_array().unwrap() {
        assert!(!g["members"].as_array().unwrap().is_empty(), "{g}");
    }
    let r = fake(&["groups", "members", "Engineering"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("admin@example.com"), "{}", r.stdout);

    // Demo ids are stable, so the README can name one.
    let r = fake(&["users", "get", "00000000-0000-4000-8000-000000000003"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["userName"], "maria.gonzalez@example.com");
    let r = fake(&[
        "users",
        "deactivate",
        "00000000-0000-4000-8000-000000000003",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

fn people_csv() -> Vec<HashMap<String, String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/people.csv");
    csv::Reader::from_path(path)
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect()
}

/// What `sync apply --from examples/people.csv` finds when it compares the
/// file with the demo org, counted from an export: a realistic mix of every
/// kind of change, and a guard that is not tripped.
#[test]
fn the_demo_org_and_examples_people_csv_differ_as_designed() {
    let r = fake(&["export", "users", "--output", "jsonl"]);
    assert_eq!(r.code, 0, "{r:?}");
    let org: HashMap<String, Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|u| (u["userName"].as_str().unwrap().to_owned(), u))
        .collect();
    let file = people_csv();
    let in_file = |name: &str| file.iter().any(|p| p["userName"] == name);

    let creates = file
        .iter()
        .filter(|p| !org.contains_key(&p["userName"]))
        .count();
    let reactivations = file
        .iter()
        .filter(|p| {
            org.get(&p["userName"])
                .is_some_and(|u| u["active"] == false)
        })
        .filter(|p| p["active"] != "false")
        .count();
    let in_scope: Vec<&Value> = org
        .values()
        .filter(|u| u.get("externalId").is_some())
        .collect();
    let deactivations = in_scope
        .iter()
        .filter(|u| u["active"] == true && !in_file(u["userName"].as_str().unwrap()))
        .count();
    let out_of_scope: Vec<&Value> = org
        .values()
        .filter(|u| u.get("externalId").is_none())
        .collect();
    let (mut updates, mut membership_changes) = (0, 0);
    for p in &file {
        let Some(u) = org.get(&p["userName"]) else {
            continue;
        };
        let differs = |key: &str| {
            let cell = p[key].as_str();
            let current = u.get(key).map(|v| match v {
                Value::Array(a) => a
                    .iter()
                    .map(|g| g.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(";"),
                v => v.as_str().unwrap_or_default().to_owned(),
            });
            match cell {
                "" => false,
                "<clear>" => current.is_some(),
                value => current.as_deref() != Some(value),
            }
        };
        let attributes = [
            "displayName",
            "title",
            "department",
            "division",
            "email",
            "phone",
            "manager",
        ];
        if attributes.iter().any(|k| differs(k)) {
            updates += 1;
        }
        if differs("groups") {
            membership_changes += 1;
        }
    }
    assert!(
        (30..=50).contains(&file.len()),
        "a few dozen people: {}",
        file.len()
    );
    assert_eq!(creates, 4, "new hires");
    assert_eq!(reactivations, 1, "a rehire");
    assert_eq!(deactivations, 2, "leavers");
    assert!(
        deactivations * 10 < in_scope.len(),
        "well under the 10% guard: {deactivations} of {}",
        in_scope.len()
    );
    assert!(updates >= 5, "updates: {updates}");
    assert!(
        membership_changes >= 2,
        "membership changes: {membership_changes}"
    );
    assert!(out_of_scope.len() >= 2);
    for u in out_of_scope {
        assert!(
            !in_file(u["userName"].as_str().unwrap()),
            "out-of-scope users are not in the file: {u}"
        );
    }
}

/// The README's first command: the operator's main job on the demo org.
#[test]
fn the_readme_command_syncs_examples_people_csv_into_the_demo_org() {
    let people = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/people.csv");
    let r = fake(&["sync", "apply", "--from", people, "--yes"]);
    assert_eq!(r.code, 0, "{r:?}");
    for section in [
        "Create 4:\n",
        "Reactivate 1:\n  ~ tomas.novak@example.com\n      active: false -> true\n",
        "Update 6:\n",
        "      title: \"Support Agent\" -> \"Senior Support Agent\"\n",
        "      manager: james.whitfield@example.com -> lena.fischer@example.com\n",
        "Deactivate 2:\n",
        "Group memberships:\n",
        "Plan: 4 to create, 6 to update, 1 to reactivate, 2 to deactivate, 29 unchanged, 7 membership changes.\n",
        "Applied: 4 created, 6 updated, 1 reactivated, 2 deactivated, 29 unchanged, 7 membership changes, 0 failed (",
    ] {
        assert!(
            r.stdout.contains(section),
            "{section}\nnot in:\n{}",
            r.stdout
        );
    }
    assert!(!r.stdout.contains("admin@example.com"), "out of scope");
    let progress: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(progress.len(), 16, "{}", r.stderr);
    // Each line starts with its time (RFC 3339, UTC), then the counter.
    let (time, rest) = progress[15].split_once(' ').unwrap_or_default();
    assert!(time.ends_with('Z') && time.contains('T'), "{}", r.stderr);
    assert!(rest.starts_with("[16/16] "), "{}", r.stderr);

    let json = fake(&["sync", "apply", "--from", people, "--yes", "-o", "json"]);
    assert_eq!(json.code, 0, "{json:?}");
    assert_eq!(counts(&json.json()), [4, 6, 1, 2, 29, 7, 0]);
}

/// The demo org is the same on every start, so an export from one run
/// plans nothing in the next: the export -> edit -> plan round trip.
#[test]
fn an_export_of_the_demo_org_plans_nothing() {
    let export = fake(&["export", "users"]);
    assert_eq!(export.code, 0, "{export:?}");
    let path = crate::common::temp_file("demo-export.csv");
    std::fs::write(&path, &export.stdout).unwrap();
    let people = export.stdout.lines().count() - 1;
    for scope in ["external-id", "all"] {
        let r = fake(&[
            "sync",
            "plan",
            "--scope",
            scope,
            "--from",
            path.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stdout.ends_with(&format!(
                "\nNothing to do: the org already matches the feed ({people} unchanged).\n"
            )),
            "{scope}: {}",
            r.stdout
        );
        assert!(!r.stdout.contains("Warnings"), "{}", r.stdout);
    }
}
