//! Groups, membership, paging, filters and attribute projection.

use crate::support::*;
use scim_fake::FakeServer;
use serde_json::{Value, json};

#[test]
fn group_members_add_and_remove() {
    let server = FakeServer::start().unwrap();
    let sales = server.group_id("Sales").expect("seeded group");
    let a = id_of(&create_user(&server, "a@example.com"));
    let b = id_of(&create_user(&server, "b@example.com"));
    let path = format!("{V2}/groups/{sales}");

    let r = patch(
        &server,
        &path,
        json!([{"op": "add", "path": "members", "value": [{"value": a}, {"value": b}, {"value": a}]}]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let group = r.json();
    let members: Vec<&str> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap())
        .collect();
    assert_eq!(members, vec![a.as_str(), b.as_str()]);
    assert_eq!(r.header("etag"), Some("\"2\""));

    // The user's read-only groups attribute follows membership.
    let u = get(&server, &format!("{V2}/users/{a}")).json();
    assert_eq!(u["groups"][0]["value"], sales.as_str());

    // Unknown member ids are rejected.
    patch(
        &server,
        &path,
        json!([{"op": "add", "path": "members", "value": [{"value": "ghost"}]}]),
    )
    .assert_error(400, Some("invalidValue"));

    let r = patch(
        &server,
        &path,
        json!([{"op": "remove", "path": format!("members[value eq \"{a}\"]")}]),
    );
    assert_eq!(r.json()["members"].as_array().unwrap().len(), 1);
    assert_eq!(r.json()["members"][0]["value"], b.as_str());
    assert_eq!(
        get(&server, &format!("{V2}/users/{a}")).json()["groups"],
        json!([])
    );

    // Groups cannot be created or deleted; PUT needs a displayName.
    post(
        &server,
        &format!("{V2}/groups"),
        &json!({"displayName": "New"}),
    )
    .assert_error(405, None);
    send(&server, "DELETE", &path, None, &[]).assert_error(405, None);
    send(&server, "PUT", &path, Some("{\"members\": []}"), &[])
        .assert_error(400, Some("invalidValue"));
    let r = send(
        &server,
        "PUT",
        &path,
        Some("{\"displayName\": \"Sales EMEA\"}"),
        &[],
    );
    assert_eq!(r.status, 200);
    assert_eq!(server.group_id("Sales EMEA"), Some(sales));
}

#[test]
fn paging_over_120_users() {
    let server = FakeServer::start().unwrap();
    for i in 0..120 {
        server.seed_user(
            json!({"userName": format!("u{i:03}@example.com"), "displayName": format!("U {i}")}),
        );
    }
    let r = get(&server, &format!("{V2}/users?count=25&startIndex=26"));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(
        v["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    );
    assert_eq!(v["totalResults"], 120);
    assert_eq!(v["startIndex"], 26);
    assert_eq!(v["itemsPerPage"], 25);
    assert_eq!(v["Resources"][0]["userName"], "u025@example.com");

    let last = get(&server, &format!("{V2}/users?count=25&startIndex=101")).json();
    assert_eq!(last["itemsPerPage"], 20);
    let default = get(&server, &format!("{V2}/users")).json();
    assert_eq!(
        (
            default["itemsPerPage"].clone(),
            default["startIndex"].clone()
        ),
        (json!(25), json!(1))
    );
    let clamped = get(&server, &format!("{V2}/users?count=1000&startIndex=0")).json();
    assert_eq!(
        (
            clamped["itemsPerPage"].clone(),
            clamped["startIndex"].clone()
        ),
        (json!(100), json!(1))
    );
    let only_total = get(&server, &format!("{V2}/users?count=0")).json();
    assert_eq!(only_total["totalResults"], 120);
    assert_eq!(only_total["Resources"], json!([]));
    get(&server, &format!("{V2}/users?count=ten")).assert_error(400, Some("invalidValue"));
    get(&server, &format!("{V2}/users?startIndex=1.5")).assert_error(400, Some("invalidValue"));
}

fn user_names(v: &Value) -> Vec<String> {
    v["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_string())
        .collect()
}

fn filtered(server: &FakeServer, filter: &str) -> Value {
    let q = encode(filter);
    let r = get(server, &format!("{V2}/users?filter={q}"));
    assert_eq!(r.status, 200, "{filter}: {}", r.body);
    r.json()
}

#[test]
fn user_filters() {
    let server = FakeServer::start().unwrap();
    server.seed_user(json!({
        "userName": "Alice@Example.com", "displayName": "Alice", "externalId": "ext-1",
        "emails": [{"value": "alice.work@example.com", "type": "work"}],
        ENTERPRISE: {"division": "North", "employeeNumber": "42", "manager": {"value": "m-9"}},
        GENESYS: {"externalIds": [{"authority": "hr", "value": "A-1"}]},
    }));
    server.seed_user(json!({"userName": "bob@example.com", "displayName": "Bob", "active": false}));
    server.seed_user(
        json!({"userName": "carol@example.com", "displayName": "Carol",
        ENTERPRISE: {"division": "North"}}),
    );

    assert_eq!(
        user_names(&filtered(&server, "userName eq \"alice@example.COM\"")),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "USERNAME EQ alice@example.com")),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "externalId eq ext-1")),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "email eq \"ALICE.work@example.com\"")),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "manager eq m-9")),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "employeeNumber eq 42")),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "division eq North")),
        ["Alice@Example.com", "carol@example.com"]
    );
    assert_eq!(
        user_names(&filtered(
            &server,
            &format!("{ENTERPRISE}:division eq \"North\" and userName eq carol@example.com")
        )),
        ["carol@example.com"]
    );
    assert_eq!(
        user_names(&filtered(
            &server,
            "externalIds[authority eq \"hr\" and value eq \"A-1\"]"
        )),
        ["Alice@Example.com"]
    );
    assert_eq!(
        user_names(&filtered(
            &server,
            "externalIds[authority eq \"hr\" and value eq \"B\"]"
        ))
        .len(),
        0
    );
    // Inactive users only show up when asked for.
    assert_eq!(
        user_names(&get(&server, &format!("{V2}/users")).json()).len(),
        2
    );
    assert_eq!(
        user_names(&filtered(&server, "active eq false")),
        ["bob@example.com"]
    );
    assert_eq!(
        user_names(&filtered(&server, "userName eq bob@example.com")).len(),
        0
    );

    for bad in [
        "userName co \"a\"",
        "userName eq \"a\" or active eq true",
        "title eq x",
        "userName eq \"open",
    ] {
        let q = bad.replace(' ', "%20").replace('"', "%22");
        get(&server, &format!("{V2}/users?filter={q}")).assert_error(400, Some("invalidFilter"));
    }
}

#[test]
fn group_lists_and_required_filter() {
    let server = FakeServer::builder()
        .seed_groups(vec!["Alpha", "Beta"])
        .start()
        .unwrap();
    // The v2 group list requires a filter; the unversioned one does not.
    get(&server, &format!("{V2}/groups")).assert_error(400, Some("invalidValue"));
    let all = get(&server, &format!("{V1}/groups")).json();
    assert_eq!(all["totalResults"], 2);
    let r = get(
        &server,
        &format!("{V2}/groups?filter=displayName%20eq%20Beta"),
    );
    assert_eq!(r.json()["Resources"][0]["displayName"], "Beta");
    let id = server.group_id("Alpha").unwrap();
    let r = get(&server, &format!("{V2}/groups?filter=id%20eq%20%22{id}%22"));
    assert_eq!(r.json()["totalResults"], 1);
    get(&server, &format!("{V2}/groups?filter=members%20eq%20x"))
        .assert_error(400, Some("invalidFilter"));
}

#[test]
fn attribute_projection() {
    let server = FakeServer::start().unwrap();
    let u = server.seed_user(json!({
        "userName": "p@example.com", "displayName": "P", "title": "T", "externalId": "x",
        "emails": [{"value": "p@example.com", "type": "work"}],
        ENTERPRISE: {"division": "D", "department": "Dept"},
        GENESYS: {"routingSkills": [{"name": "s", "proficiency": 3}]},
    }));
    let path = format!("{V2}/users/{}", id_of(&u));
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };

    let v = get(&server, &format!("{path}?attributes=title")).json();
    assert_eq!(
        keys(&v),
        ["active", "id", "meta", "schemas", "title", "userName"]
    );
    let v = get(
        &server,
        &format!("{path}?attributes={USER_URN}:displayName,{ENTERPRISE}:division"),
    )
    .json();
    assert_eq!(v["displayName"], "P");
    assert_eq!(v[ENTERPRISE], json!({"division": "D"}));
    assert!(v.get("title").is_none());
    let v = get(
        &server,
        &format!("{path}?attributes=emails.value&attributes={GENESYS}"),
    )
    .json();
    assert_eq!(v["emails"], json!([{"value": "p@example.com"}]));
    assert_eq!(v[GENESYS]["routingSkills"][0]["name"], "s");

    let v = get(
        &server,
        &format!("{path}?excludedAttributes=title,externalId,{GENESYS},meta.lastModified,id"),
    )
    .json();
    assert!(v.get("title").is_none() && v.get("externalId").is_none() && v.get(GENESYS).is_none());
    assert!(v["meta"].get("lastModified").is_none() && v["meta"].get("version").is_some());
    assert!(v.get("id").is_some(), "id is always returned");
    assert_eq!(v["displayName"], "P");

    // Lists and writes are shaped too.
    let v = get(&server, &format!("{V2}/users?attributes=displayName")).json();
    assert_eq!(
        keys(&v["Resources"][0]),
        ["active", "displayName", "id", "meta", "schemas", "userName"]
    );
    let r = send(
        &server,
        "PATCH",
        &format!("{path}?attributes=title"),
        Some(&json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "New"}]}).to_string()),
        &[],
    );
    assert_eq!(
        keys(&r.json()),
        ["active", "id", "meta", "schemas", "title", "userName"]
    );
}
