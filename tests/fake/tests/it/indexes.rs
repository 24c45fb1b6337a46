//! What the store's lookups (userName, externalId, a user's groups) find
//! after every kind of change: renames, replacements, deletes, membership
//! changes and seeding over an existing id.

use crate::support::*;
use scim_fake::FakeServer;
use serde_json::{Value, json};

fn put(server: &FakeServer, path: &str, body: &Value) -> Resp {
    send(server, "PUT", path, Some(&body.to_string()), &[])
}

fn delete(server: &FakeServer, path: &str) -> Resp {
    send(server, "DELETE", path, None, &[])
}

/// The ids a user filter finds, in list order (inactive users included
/// when the filter names `active`).
fn found(server: &FakeServer, filter: &str) -> Vec<String> {
    let r = get(
        server,
        &format!("{V2}/users?count=100&filter={}", encode(filter)),
    );
    assert_eq!(r.status, 200, "{filter}: {}", r.body);
    r.json()["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect()
}

fn group_ids(user: &Value) -> Vec<String> {
    user["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn user_name_uniqueness_follows_renames_replacements_and_deletes() {
    let server = FakeServer::start().unwrap();
    let a = id_of(&create_user(&server, "a@example.com"));
    let b = id_of(&create_user(&server, "b@example.com"));

    // A rename frees the old name and takes the new one, ignoring case.
    let r = patch(
        &server,
        &format!("{V2}/users/{a}"),
        json!([{"op": "replace", "path": "userName", "value": "c@example.com"}]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(found(&server, "userName eq \"a@example.com\"").is_empty());
    assert_eq!(
        found(&server, "userName eq \"C@Example.com\""),
        vec![a.clone()]
    );
    let again = id_of(&create_user(&server, "A@EXAMPLE.COM"));
    post(
        &server,
        &format!("{V2}/users"),
        &json!({"userName": "C@EXAMPLE.COM", "displayName": "C"}),
    )
    .assert_error(409, Some("uniqueness"));

    // A PUT cannot take a name held by another user, but can keep its own.
    put(
        &server,
        &format!("{V2}/users/{b}"),
        &json!({"userName": "c@example.com", "displayName": "B"}),
    )
    .assert_error(409, Some("uniqueness"));
    let r = put(
        &server,
        &format!("{V2}/users/{b}"),
        &json!({"userName": "B@example.com", "displayName": "B"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // A delete frees the name.
    assert_eq!(delete(&server, &format!("{V2}/users/{a}")).status, 204);
    assert!(found(&server, "userName eq \"c@example.com\"").is_empty());
    let c = id_of(&create_user(&server, "c@example.com"));
    assert_eq!(found(&server, "userName eq \"c@example.com\""), vec![c]);
    assert_eq!(found(&server, "userName eq \"a@example.com\""), vec![again]);
}

#[test]
fn external_id_filters_follow_changes_and_the_active_rule() {
    let server = FakeServer::start().unwrap();
    let body = json!({"userName": "x@example.com", "displayName": "X", "externalId": "HR-1"});
    let r = post(&server, &format!("{V2}/users"), &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let x = id_of(&r.json());
    assert_eq!(found(&server, "externalId eq \"HR-1\""), vec![x.clone()]);
    // externalId compares exactly.
    assert!(found(&server, "externalId eq \"hr-1\"").is_empty());

    let r = patch(
        &server,
        &format!("{V2}/users/{x}"),
        json!([{"op": "replace", "path": "externalId", "value": "HR-2"},
               {"op": "replace", "path": "active", "value": false}]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(found(&server, "externalId eq \"HR-1\" and active eq false").is_empty());
    // Inactive users are hidden unless the filter names `active`.
    assert!(found(&server, "externalId eq \"HR-2\"").is_empty());
    assert_eq!(
        found(&server, "(externalId eq \"HR-2\") and active eq false"),
        vec![x.clone()]
    );
    assert_eq!(
        found(
            &server,
            "id eq \"missing\" and externalId eq \"HR-2\" and active eq false"
        ),
        Vec::<String>::new()
    );

    // A PUT without externalId removes it.
    let r = put(
        &server,
        &format!("{V2}/users/{x}"),
        &json!({"userName": "x@example.com", "displayName": "X"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(found(&server, "externalId eq \"HR-2\" and active eq false").is_empty());
}

#[test]
fn a_users_groups_follow_membership_changes_and_deletes() {
    let server = FakeServer::start().unwrap();
    let sales = server.group_id("Sales").unwrap();
    let support = server.group_id("Support").unwrap();
    let u = id_of(&create_user(&server, "u@example.com"));
    let other = id_of(&create_user(&server, "o@example.com"));
    let add = |group: &str| {
        let r = patch(
            &server,
            &format!("{V2}/groups/{group}"),
            json!([{"op": "add", "path": "members", "value": [{"value": u}, {"value": other}]}]),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    };
    add(&support);
    add(&sales);
    // Groups are listed in the store's order, whatever the order of joining.
    let user = get(&server, &format!("{V2}/users/{u}")).json();
    assert_eq!(group_ids(&user), vec![sales.clone(), support.clone()]);

    // A group PUT without members empties it.
    let r = put(
        &server,
        &format!("{V1}/groups/{support}"),
        &json!({"displayName": "Support"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let user = get(&server, &format!("{V2}/users/{u}")).json();
    assert_eq!(group_ids(&user), vec![sales.clone()]);

    // Deleting a user takes it out of its groups and changes their version.
    let before = get(&server, &format!("{V1}/groups/{sales}"));
    assert_eq!(delete(&server, &format!("{V2}/users/{u}")).status, 204);
    let after = get(&server, &format!("{V1}/groups/{sales}"));
    assert_ne!(before.header("etag"), after.header("etag"));
    let members: Vec<String> = after.json()["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(members, vec![other.clone()]);
    let o = get(&server, &format!("{V2}/users/{other}")).json();
    assert_eq!(group_ids(&o), vec![sales]);
}

#[test]
fn seeding_over_an_existing_id_replaces_its_lookups_in_place() {
    let server = FakeServer::start().unwrap();
    let first = id_of(&create_user(&server, "first@example.com"));
    server.seed_user(json!({"id": "fixed", "userName": "old@example.com", "displayName": "Old", "externalId": "E-1"}));
    let last = id_of(&create_user(&server, "last@example.com"));
    server.seed_user(json!({"id": "fixed", "userName": "new@example.com", "displayName": "New"}));

    assert!(found(&server, "userName eq \"old@example.com\"").is_empty());
    assert!(found(&server, "externalId eq \"E-1\"").is_empty());
    assert_eq!(
        found(&server, "userName eq \"new@example.com\""),
        vec!["fixed"]
    );
    // The replaced user keeps its place in lists.
    let all: Vec<String> = get(&server, &format!("{V2}/users")).json()["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(all, vec![first, "fixed".to_string(), last]);
    // The old name is free again.
    create_user(&server, "old@example.com");
}

#[test]
fn lookups_stay_exact_in_a_large_org() {
    let server = FakeServer::start().unwrap();
    for i in 0..2_000 {
        server.seed_user(json!({
            "userName": format!("user{i}@example.com"), "displayName": format!("U{i}"),
            "externalId": format!("HR-{}", i % 1_000),
        }));
    }
    let hit = found(&server, "userName eq \"USER1234@example.com\"");
    let user = get(&server, &format!("{V2}/users/{}", hit[0])).json();
    assert_eq!(
        (hit.len(), user["userName"].as_str()),
        (1, Some("user1234@example.com"))
    );
    // Two users share each externalId here; both come back, oldest first.
    let pair = found(&server, "externalId eq \"HR-234\"");
    let names: Vec<String> = pair
        .iter()
        .map(|id| {
            get(&server, &format!("{V2}/users/{id}")).json()["userName"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(names, vec!["user234@example.com", "user1234@example.com"]);
    post(
        &server,
        &format!("{V2}/users"),
        &json!({"userName": "User1999@Example.com", "displayName": "dup"}),
    )
    .assert_error(409, Some("uniqueness"));
}

/// The ids of one page of a user listing, and its totalResults.
fn page_of(
    server: &FakeServer,
    filter: Option<&str>,
    start: usize,
    count: usize,
) -> (Vec<String>, u64) {
    let mut path = format!("{V2}/users?startIndex={start}&count={count}");
    if let Some(f) = filter {
        path.push_str(&format!("&filter={}", encode(f)));
    }
    let r = get(server, &path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    let v = r.json();
    let ids = v["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    (ids, v["totalResults"].as_u64().unwrap())
}

#[test]
fn active_and_inactive_lists_follow_every_change_in_creation_order() {
    let server = FakeServer::start().unwrap();
    let ids: Vec<String> = (0..6)
        .map(|i| id_of(&create_user(&server, &format!("u{i}@example.com"))))
        .collect();
    let set_active = |id: &str, active: bool| {
        let r = patch(
            &server,
            &format!("{V2}/users/{id}"),
            json!([{"op": "replace", "path": "active", "value": active}]),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    };
    set_active(&ids[1], false);
    set_active(&ids[4], false);
    set_active(&ids[3], false);
    // Reactivated, u3 goes back to its place, not to the end.
    set_active(&ids[3], true);
    // A PUT that deactivates, and a seed over an id that does.
    let r = put(
        &server,
        &format!("{V2}/users/{}", ids[5]),
        &json!({"userName": "u5@example.com", "displayName": "U5", "active": false,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "D5"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    server.seed_user(json!({"id": ids[0], "userName": "u0@example.com", "active": false}));
    assert_eq!(
        delete(&server, &format!("{V2}/users/{}", ids[4])).status,
        204
    );

    let active = vec![ids[2].clone(), ids[3].clone()];
    let inactive = vec![ids[0].clone(), ids[1].clone(), ids[5].clone()];
    assert_eq!(page_of(&server, None, 1, 10), (active.clone(), 2));
    assert_eq!(
        page_of(&server, Some("active eq true"), 1, 10),
        (active.clone(), 2)
    );
    assert_eq!(
        page_of(&server, Some("active eq false"), 1, 10),
        (inactive.clone(), 3)
    );
    // Pages are windows of the same order, with the full total.
    assert_eq!(
        page_of(&server, Some("active eq false"), 2, 1),
        (vec![ids[1].clone()], 3)
    );
    assert_eq!(
        page_of(&server, Some("active eq false"), 3, 5),
        (vec![ids[5].clone()], 3)
    );
    assert_eq!(page_of(&server, Some("active eq false"), 4, 5), (vec![], 3));
    assert_eq!(page_of(&server, None, 1, 0), (vec![], 2));
    // Other conditions are checked on the chosen state's users.
    let u5 = "userName eq \"u5@example.com\"";
    assert_eq!(page_of(&server, Some(u5), 1, 10), (vec![], 0));
    let filter = format!("{u5} and active eq false");
    assert_eq!(
        page_of(&server, Some(&filter), 1, 10),
        (vec![ids[5].clone()], 1)
    );
    let filter = "division eq \"D5\" and active eq false";
    assert_eq!(
        page_of(&server, Some(filter), 1, 10),
        (vec![ids[5].clone()], 1)
    );
    assert_eq!(page_of(&server, Some(filter), 2, 10), (vec![], 1));
    let contradiction = "active eq true and active eq false";
    assert_eq!(page_of(&server, Some(contradiction), 1, 10), (vec![], 0));
}
