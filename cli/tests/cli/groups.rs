//! `genesys-scim groups list|members`.

use crate::common::{on, org};

#[test]
fn groups_list_counts_members_in_every_format() {
    let org = org();
    let r = on(&org.server, &["groups", "list"]);
    assert_eq!(r.code, 0, "{r:?}");
    let support = r.stdout.lines().find(|l| l.starts_with("Support")).unwrap();
    assert_eq!(support.split_whitespace().nth(1), Some("2"), "{support}");
    assert_eq!(
        r.stdout.lines().count(),
        4,
        "header and the three seeded groups"
    );

    let r = on(&org.server, &["groups", "list", "--output", "json"]);
    let groups = r.json();
    let names: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sales", "Support", "Engineering"]);

    let r = on(&org.server, &["groups", "list", "--output", "csv"]);
    assert_eq!(r.stdout.lines().next(), Some("displayName,members,id"));
    assert!(r.stdout.contains(&format!(
        "Support,2,{}",
        org.server.group_id("Support").unwrap()
    )));
}

#[test]
fn members_lists_the_users_of_a_group_by_name() {
    let org = org();
    let r = on(
        &org.server,
        &["groups", "members", "Support", "--output", "csv"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "id,userName,displayName,active");
    let mut members = lines[1..].to_vec();
    members.sort_by_key(|l| l.split(',').nth(1).map(str::to_owned));
    assert_eq!(
        members,
        [
            format!("{},admin@example.com,Admin,true", org.admin),
            format!("{},jane@example.com,Jane Doe,true", org.jane),
        ]
    );
    let r = on(
        &org.server,
        &["groups", "members", "Support", "--output", "json"],
    );
    assert_eq!(r.json().as_array().map(Vec::len), Some(2));
    let r = on(&org.server, &["groups", "members", "Sales"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout.lines().count(),
        1,
        "an empty group prints the header only"
    );
}

#[test]
fn members_of_an_unknown_group_exits_1() {
    let org = org();
    let r = on(
        &org.server,
        &["groups", "members", "Nope \" or displayName pr \""],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("no group is named"), "{}", r.stderr);
}

#[test]
fn members_finds_the_group_ignoring_case() {
    let org = org();
    let r = on(
        &org.server,
        &["groups", "members", "SUPPORT", "--output", "csv"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1 + 2, "{}", r.stdout);
}
