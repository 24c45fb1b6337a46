//! User lifecycle: create, read, versions, conditional requests, errors, PATCH.

use crate::support::*;
use scim_fake::FakeServer;
use serde_json::json;

#[test]
fn create_then_get_with_etag_and_meta() {
    let server = FakeServer::start().unwrap();
    let r = post(
        &server,
        &format!("{V2}/users"),
        &json!({
            "userName": "ada@example.com",
            "displayName": "Ada",
            "password": "s3cret!",
            "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
            ENTERPRISE: {"division": "Home", "manager": {"value": "m-1"}},
        }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    let id = id_of(&created);
    assert_eq!(created["active"], true);
    assert!(
        created.get("password").is_none(),
        "password must not be returned"
    );
    assert_eq!(created["meta"]["resourceType"], "User");
    assert_eq!(created["meta"]["version"], "\"1\"");
    assert_eq!(r.header("etag"), Some("\"1\""));
    let location = format!("{}{V2}/users/{id}", server.base_url());
    assert_eq!(created["meta"]["location"], location.as_str());
    assert_eq!(r.header("location"), Some(location.as_str()));
    let schemas = created["schemas"].as_array().unwrap();
    assert!(schemas.iter().any(|s| s == USER_URN) && schemas.iter().any(|s| s == GENESYS));
    let last_modified = created["meta"]["lastModified"].as_str().unwrap();
    assert!(
        last_modified.ends_with('Z') && last_modified.len() == 24,
        "{last_modified}"
    );

    // Both prefixes reach the same store.
    let got = get(&server, &format!("{V1}/users/{id}"));
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["userName"], "ada@example.com");
    assert_eq!(got.json()[ENTERPRISE]["manager"]["value"], "m-1");
    assert_eq!(got.header("etag"), Some("\"1\""));
}

#[test]
fn if_none_match_gives_304_and_if_match_mismatch_is_invalid_vers() {
    let server = FakeServer::start().unwrap();
    let id = id_of(&create_user(&server, "grace@example.com"));
    let path = format!("{V2}/users/{id}");

    let r = send(&server, "GET", &path, None, &[("If-None-Match", "\"1\"")]);
    assert_eq!(r.status, 304);
    assert_eq!(r.body, "");
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert!(r.header("inin-correlation-id").is_some());

    let r = send(&server, "GET", &path, None, &[("If-None-Match", "\"7\"")]);
    assert_eq!(r.status, 200);

    // A stale If-Match is rejected and changes nothing.
    let body = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "x"}]});
    let r = send(
        &server,
        "PATCH",
        &path,
        Some(&body.to_string()),
        &[("If-Match", "\"5\"")],
    );
    r.assert_error(400, Some("invalidVers"));
    let r = send(&server, "DELETE", &path, None, &[("If-Match", "\"5\"")]);
    r.assert_error(400, Some("invalidVers"));

    // The right version succeeds and bumps it.
    let r = send(
        &server,
        "PATCH",
        &path,
        Some(&body.to_string()),
        &[("If-Match", "\"1\"")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("etag"), Some("\"2\""));
    assert_eq!(r.json()["meta"]["version"], "\"2\"");
    assert_eq!(r.json()["title"], "x");

    let put = json!({"userName": "grace@example.com", "displayName": "Grace H"});
    let r = send(
        &server,
        "PUT",
        &path,
        Some(&put.to_string()),
        &[("If-Match", "\"1\"")],
    );
    r.assert_error(400, Some("invalidVers"));
    let r = send(
        &server,
        "PUT",
        &path,
        Some(&put.to_string()),
        &[("If-Match", "\"2\"")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("etag"), Some("\"3\""));
    assert!(
        r.json().get("title").is_none(),
        "PUT replaces: title is gone"
    );

    let r = send(&server, "DELETE", &path, None, &[("If-Match", "\"3\"")]);
    assert_eq!(r.status, 204);
    assert_eq!(r.body, "");
    get(&server, &path).assert_error(404, None);
}

#[test]
fn validation_errors() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    let id = id_of(&create_user(&server, "Taken@Example.com"));

    // Duplicate userName, ignoring case.
    post(
        &server,
        &users,
        &json!({"userName": "taken@example.COM", "displayName": "X"}),
    )
    .assert_error(409, Some("uniqueness"));
    // Malformed JSON.
    send(&server, "POST", &users, Some("{\"userName\": "), &[])
        .assert_error(400, Some("invalidSyntax"));
    // Missing required attributes.
    post(&server, &users, &json!({"displayName": "No Name"}))
        .assert_error(400, Some("invalidValue"));
    post(&server, &users, &json!({"userName": "x@example.com"}))
        .assert_error(400, Some("invalidValue"));
    // Wrong type and unknown enum value.
    post(
        &server,
        &users,
        &json!({"userName": "y@example.com", "displayName": "Y", "active": "yes"}),
    )
    .assert_error(400, Some("invalidValue"));
    post(
        &server,
        &users,
        &json!({"userName": "z@example.com", "displayName": "Z", "emails": [{"value": "z@x", "type": "pager"}]}),
    )
    .assert_error(400, Some("invalidValue"));

    // id cannot change, neither by PUT nor by PATCH.
    let path = format!("{users}/{id}");
    let put = json!({"id": "other", "userName": "taken@example.com", "displayName": "T"});
    send(&server, "PUT", &path, Some(&put.to_string()), &[]).assert_error(400, Some("mutability"));
    patch(
        &server,
        &path,
        json!([{"op": "replace", "path": "id", "value": "other"}]),
    )
    .assert_error(400, Some("mutability"));
    patch(
        &server,
        &path,
        json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}]),
    )
    .assert_error(400, Some("mutability"));
    // Uniqueness also applies to PATCH.
    create_user(&server, "second@example.com");
    patch(
        &server,
        &path,
        json!([{"op": "replace", "path": "userName", "value": "SECOND@example.com"}]),
    )
    .assert_error(409, Some("uniqueness"));
    // PATCH protocol errors.
    patch(&server, &path, json!([{"op": "remove"}])).assert_error(400, Some("noTarget"));
    patch(
        &server,
        &path,
        json!([{"op": "replace", "path": "nickName", "value": "x"}]),
    )
    .assert_error(400, Some("invalidPath"));
    patch(
        &server,
        &path,
        json!([{"op": "replace", "path": "emails[type eq \"work\"", "value": "x"}]),
    )
    .assert_error(400, Some("invalidPath"));
    patch(
        &server,
        &path,
        json!([{"op": "frobnicate", "path": "title", "value": "x"}]),
    )
    .assert_error(400, Some("invalidSyntax"));
    let no_schema = json!({"Operations": [{"op": "replace", "path": "title", "value": "x"}]});
    send(&server, "PATCH", &path, Some(&no_schema.to_string()), &[])
        .assert_error(400, Some("invalidSyntax"));
    // Nothing above changed the user.
    assert_eq!(get(&server, &path).header("etag"), Some("\"1\""));
    // Unknown ids.
    get(&server, &format!("{users}/does-not-exist")).assert_error(404, None);
    send(&server, "DELETE", &format!("{users}/nope"), None, &[]).assert_error(404, None);
}

#[test]
fn patch_paths() {
    let server = FakeServer::start().unwrap();
    let created = post(
        &server,
        &format!("{V2}/users"),
        &json!({
            "userName": "pat@example.com",
            "displayName": "Pat",
            "emails": [{"value": "old@example.com", "type": "work"}],
        }),
    )
    .json();
    let path = format!("{V2}/users/{}", id_of(&created));
    let r = patch(
        &server,
        &path,
        json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "new@example.com"},
            {"op": "add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+15550100"},
            {"op": "Add", "path": format!("{ENTERPRISE}:division"), "value": "West"},
            {"op": "add", "path": format!("{ENTERPRISE}:manager.value"), "value": "boss-1"},
            {"op": "replace", "value": {"title": "Engineer", "displayName": "Pat Q", "active": false}},
            {"op": "add", "path": format!("{GENESYS}:externalIds"),
             "value": [{"authority": "hr", "value": "E-7"}]},
            {"op": "replace", "path": "password", "value": "n3w"},
        ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let u = r.json();
    assert_eq!(
        u["emails"],
        json!([{"value": "new@example.com", "type": "work"}])
    );
    assert_eq!(
        u["phoneNumbers"],
        json!([{"type": "mobile", "value": "+15550100"}])
    );
    assert_eq!(u[ENTERPRISE]["division"], "West");
    assert_eq!(u[ENTERPRISE]["manager"]["value"], "boss-1");
    assert_eq!(u["title"], "Engineer");
    assert_eq!(u["displayName"], "Pat Q");
    assert_eq!(u["active"], false);
    assert_eq!(u[GENESYS]["externalIds"][0]["authority"], "hr");
    assert!(u.get("password").is_none());
    assert_eq!(u["meta"]["version"], "\"2\"", "one PATCH, one version bump");

    // remove with a value filter, and replace on a missing element.
    let r = patch(
        &server,
        &path,
        json!([{"op": "remove", "path": "phoneNumbers[type eq \"mobile\"]"}]),
    );
    assert_eq!(r.json()["phoneNumbers"], json!([]));
    patch(
        &server,
        &path,
        json!([{"op": "replace", "path": "emails[type eq \"other\"].value", "value": "x"}]),
    )
    .assert_error(400, Some("noTarget"));
}

#[test]
fn percent_encoded_slash_in_id_is_a_single_unknown_id() {
    let server = FakeServer::start().unwrap();
    let r = get(&server, &format!("{V2}/users/a%2Fb"));
    let v = r.assert_error(404, None);
    assert!(v["detail"].as_str().unwrap().contains("a/b"), "{v}");
    // A user whose id really is "a/b" is found through the encoded form.
    server.seed_user(json!({"id": "a/b", "userName": "slash@example.com", "displayName": "S"}));
    let r = get(&server, &format!("{V2}/users/a%2Fb"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["meta"]["location"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next(),
        Some("a%2Fb")
    );
    // An unencoded slash is another route entirely.
    get(&server, &format!("{V2}/users/a/b")).assert_error(404, None);
    get(&server, &format!("{V2}/nothing")).assert_error(404, None);
}
