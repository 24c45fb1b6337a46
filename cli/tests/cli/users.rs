//! `genesys-scim users list|get|deactivate|delete`.

use crate::common::{on, org, param, requests, seed, user_list_queries};
use serde_json::json;

fn user_names(r: &crate::common::Run) -> Vec<String> {
    let mut names: Vec<String> = r
        .json()
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn list_shows_active_users_and_all_adds_inactive_ones() {
    let org = org();
    let r = on(&org.server, &["users", "list", "--output", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        user_names(&r),
        ["admin@example.com", "bob@example.com", "jane@example.com"]
    );

    let r = on(&org.server, &["users", "list", "--all", "--output", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        user_names(&r),
        [
            "admin@example.com",
            "bob@example.com",
            "jane@example.com",
            "old@example.com"
        ]
    );
    // The JSON is the resource as the API returned it.
    let users = r.json();
    let jane = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userName"] == "jane@example.com")
        .unwrap();
    assert_eq!(jane["id"], org.jane.as_str());
    assert_eq!(
        jane["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"],
        org.bob.as_str()
    );
}

#[test]
fn list_as_a_table_has_a_header_and_one_line_per_user() {
    let org = org();
    let r = on(&org.server, &["users", "list", "--all"]);
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", r.stdout);
    assert!(lines[0].starts_with("id "), "{}", lines[0]);
    for column in [
        "userName",
        "displayName",
        "active",
        "externalId",
        "title",
        "division",
    ] {
        assert!(lines[0].contains(column), "{}", lines[0]);
    }
    let old = lines
        .iter()
        .find(|l| l.contains("old@example.com"))
        .unwrap();
    assert!(old.contains("false") && old.contains("E-3"), "{old}");
    assert!(old.starts_with(&org.leaver));
    assert_eq!(r.stderr.trim(), "4 users");
}

#[test]
fn the_table_fits_the_terminal_width() {
    let org = org();
    for width in [120, 100, 80, 60] {
        let r = crate::common::run(
            crate::common::scim()
                .env("COLUMNS", width.to_string())
                .args([
                    "--base-url",
                    &org.server.base_url(),
                    "--token",
                    &org.server.token(),
                ])
                .args(["users", "list", "--all"]),
        );
        assert_eq!(r.code, 0, "{r:?}");
        for line in r.stdout.lines() {
            assert!(line.chars().count() <= width, "{width}: `{line}`");
        }
        assert!(
            r.stdout.contains("E-3"),
            "short cells stay whole: {}",
            r.stdout
        );
        if width >= 100 {
            assert!(
                r.stdout.contains(&org.jane),
                "ids are cut last: {}",
                r.stdout
            );
            assert!(r.stdout.contains("jane@example.com"), "{}", r.stdout);
        }
    }
    let narrow = on(&org.server, &["users", "list"]);
    assert!(
        narrow.stdout.contains(&org.jane),
        "without a terminal nothing is cut"
    );
}

#[test]
fn list_as_csv_has_the_chosen_attributes_as_columns() {
    let org = org();
    let r = on(
        &org.server,
        &[
            "users",
            "list",
            "--attributes",
            "title,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
            "--output",
            "csv",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "id",
            "userName",
            "title",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert!(rows.contains(&vec![
        org.jane.clone(),
        "jane@example.com".into(),
        "Agent".into(),
        "EMEA".into()
    ]));
    // The attributes were asked of the server, not only cut locally.
    let queries = user_list_queries(&org.server);
    assert_eq!(
        param(&queries[0], "attributes"),
        Some("title,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division")
    );
}

#[test]
fn a_filter_is_sent_as_given_and_all_splits_it_by_state() {
    let org = org();
    let r = on(
        &org.server,
        &[
            "users",
            "list",
            "--filter",
            "externalId eq \"E-1\"",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(user_names(&r), ["jane@example.com"]);

    org.server.clear_journal();
    let r = on(
        &org.server,
        &[
            "users",
            "list",
            "--all",
            "--filter",
            "externalId eq \"E-3\"",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(user_names(&r), ["old@example.com"]);
    let filters: Vec<String> = user_list_queries(&org.server)
        .iter()
        .filter_map(|q| param(q, "filter").map(str::to_owned))
        .collect();
    assert_eq!(
        filters,
        [
            "(externalId eq \"E-3\") and active eq true",
            "(externalId eq \"E-3\") and active eq false"
        ]
    );
}

#[test]
fn a_bad_filter_is_a_usage_error() {
    let org = org();
    let r = on(
        &org.server,
        &["users", "list", "--filter", "title co \"Ag\""],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("invalidFilter"), "{}", r.stderr);

    let r = on(
        &org.server,
        &["users", "list", "--all", "--filter", "active eq false"],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--all"), "{}", r.stderr);
}

#[test]
fn long_lists_are_paged_automatically() {
    let org = org();
    for i in 0..60 {
        seed(
            &org.server,
            json!({"userName": format!("u{i:02}@example.com")}),
        );
    }
    let r = on(&org.server, &["users", "list", "--output", "csv"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1 + 63);
    let queries = user_list_queries(&org.server);
    let starts: Vec<Option<&str>> = queries.iter().map(|q| param(q, "startIndex")).collect();
    assert_eq!(starts, [None, Some("26"), Some("51")]);
    assert!(queries.iter().all(|q| param(q, "count") == Some("25")));
    assert!(
        r.stderr.is_empty(),
        "no progress bar without a terminal: {}",
        r.stderr
    );
}

#[test]
fn get_prints_one_user_as_json_or_as_attribute_lines() {
    let org = org();
    let r = on(&org.server, &["users", "get", &org.jane]);
    assert_eq!(r.code, 0, "{r:?}");
    let user = r.json();
    assert_eq!(user["userName"], "jane@example.com");
    assert_eq!(user["phoneNumbers"][0]["value"], "+15550100");

    let r = on(
        &org.server,
        &["users", "get", &org.jane, "--output", "table"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let line = |name: &str| {
        r.stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no `{name}` line in {}", r.stdout))
            .to_owned()
    };
    assert!(line("userName").ends_with("jane@example.com"));
    assert!(line("department").ends_with("Support"));
    assert!(line("manager").ends_with(&org.bob));
    assert!(line("meta.version").contains('1'));
}

#[test]
fn get_of_an_unknown_id_exits_1() {
    let org = org();
    let r = on(&org.server, &["users", "get", "no-such-id"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("no user has the id or userName `no-such-id`"),
        "{}",
        r.stderr
    );
}

#[test]
fn deactivate_sets_active_false_once() {
    let org = org();
    let r = on(&org.server, &["users", "deactivate", &org.jane]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.is_empty());
    assert_eq!(
        r.stderr.trim(),
        format!("deactivated jane@example.com ({})", org.jane)
    );
    let patch = org
        .server
        .journal()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("a PATCH was sent");
    assert_eq!(
        patch.body_json().unwrap()["Operations"],
        json!([{"op": "replace", "path": "active", "value": false}])
    );
    assert!(
        patch.header("If-Match").is_some(),
        "guarded by the version read"
    );
    let after = on(&org.server, &["users", "get", &org.jane]).json();
    assert_eq!(after["active"], false);
    assert_eq!(after["title"], "Agent", "nothing else changed");

    org.server.clear_journal();
    let r = on(&org.server, &["users", "deactivate", &org.jane]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("already inactive"), "{}", r.stderr);
    assert!(
        requests(&org.server).iter().all(|r| r.starts_with("GET")),
        "no write for an inactive user"
    );
}

#[test]
fn delete_removes_the_user() {
    let org = org();
    let r = on(&org.server, &["users", "delete", &org.admin, "--yes"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stderr.trim(),
        format!("deleted admin@example.com ({})", org.admin)
    );
    assert!(requests(&org.server).contains(&format!("DELETE /api/v2/scim/v2/users/{}", org.admin)));
    let delete = org
        .server
        .journal()
        .into_iter()
        .find(|r| r.method == "DELETE");
    assert!(
        delete.is_some_and(|d| d.header("If-Match").is_some()),
        "guarded by the version read"
    );
    assert_eq!(on(&org.server, &["users", "get", &org.admin]).code, 1);
}

#[test]
fn deactivate_or_delete_of_an_unknown_id_exits_1_and_writes_nothing() {
    let org = org();
    for command in [&["deactivate"][..], &["delete", "--yes"]] {
        let r = on(&org.server, &[&["users"], command, &["ghost"]].concat());
        assert_eq!(r.code, 1, "{command:?}: {r:?}");
        assert!(
            r.stderr.contains("no user has the id or userName `ghost`"),
            "{}",
            r.stderr
        );
    }
    assert!(requests(&org.server).iter().all(|r| r.starts_with("GET")));
}

#[test]
fn delete_without_yes_off_a_terminal_exits_2_and_sends_nothing() {
    let org = org();
    let r = on(&org.server, &["users", "delete", &org.admin]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert!(
        org.server.journal().is_empty(),
        "{:?}",
        requests(&org.server)
    );
    assert_eq!(on(&org.server, &["users", "get", &org.admin]).code, 0);
}

#[test]
fn get_deactivate_and_delete_take_a_user_name_as_well_as_an_id() {
    let org = org();
    let r = on(&org.server, &["users", "get", "JANE@example.com"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["id"], org.jane.as_str());
    // Inactive users are found too.
    let r = on(&org.server, &["users", "get", "old@example.com"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["id"], org.leaver.as_str());

    let r = on(&org.server, &["users", "deactivate", "jane@example.com"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stderr.trim(),
        format!("deactivated jane@example.com ({})", org.jane)
    );
    assert!(requests(&org.server).contains(&format!("PATCH /api/v2/scim/v2/users/{}", org.jane)));

    let r = on(
        &org.server,
        &["users", "delete", "admin@example.com", "--yes"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(requests(&org.server).contains(&format!("DELETE /api/v2/scim/v2/users/{}", org.admin)));

    let r = on(&org.server, &["users", "get", "nobody@example.com"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains("no user has the id or userName `nobody@example.com`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_user_name_two_users_hold_is_refused_naming_both_and_nothing_is_written() {
    let org = org();
    let twin = seed(
        &org.server,
        json!({"userName": "Jane@Example.com", "displayName": "Twin", "active": false}),
    );
    for command in [&["get"][..], &["deactivate"], &["delete", "--yes"]] {
        let r = on(
            &org.server,
            &[&["users"], command, &["jane@example.com"]].concat(),
        );
        assert_eq!(r.code, 2, "{command:?}: {r:?}");
        assert!(
            r.stderr.contains(&org.jane) && r.stderr.contains(&twin),
            "{}",
            r.stderr
        );
    }
    assert!(requests(&org.server).iter().all(|r| r.starts_with("GET")));
}
