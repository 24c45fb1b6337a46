//! `if_match` and `if_none_match` take an entity tag in whatever shape the
//! caller has it: a string, an `Option`, or the resource itself (its
//! `meta.version`). No tag means no header.

use scim_sdk::models::{ScimV2Group, ScimV2PatchRequest, ScimV2User};
use scim_sdk::{Client, Conditional};
use scim_sdk_integration_tests::{MockServer, RecordedRequest};
use serde_json::json;

fn listed_user(version: Option<&str>) -> ScimV2User {
    let meta = version.map(|v| json!({"version": v}));
    serde_json::from_value(json!({"id": "u1", "userName": "jane", "meta": meta})).expect("user")
}

fn change() -> ScimV2PatchRequest {
    ScimV2PatchRequest::patch_op().replace("title", json!("Lead"))
}

/// Runs one call answered 200 with a user and returns what was sent.
fn sent(call: impl FnOnce(&Client)) -> RecordedRequest {
    let server = MockServer::start();
    server.respond_json(200, &json!({"id": "u1"}));
    call(&server.client());
    server.last()
}

#[test]
fn a_listed_user_gives_its_version() {
    let user = listed_user(Some("\"5\""));
    let req = sent(|c| {
        c.patch_scim_v2_user("u1", change())
            .if_match(&user)
            .send()
            .expect("ok");
    });
    assert_eq!(req.header("if-match"), Some("\"5\""));
}

#[test]
fn a_bare_version_is_quoted() {
    let user = listed_user(Some("5"));
    let req = sent(|c| {
        c.put_scim_v2_user("u1", user.clone())
            .if_match(&user)
            .send()
            .expect("ok");
    });
    assert_eq!(req.header("if-match"), Some("\"5\""));
}

#[test]
fn the_etag_header_of_a_read_is_taken_as_an_option() {
    let server = MockServer::start();
    server.respond(
        200,
        &[
            ("Content-Type", "application/scim+json"),
            ("ETag", "W/\"9\""),
        ],
        r#"{"id":"u1"}"#,
    );
    server.respond_json(200, &json!({"id": "u1"}));
    let client = server.client();
    let read = client
        .get_scim_v2_user("u1")
        .send_with_response()
        .expect("read");
    client
        .patch_scim_v2_user("u1", change())
        .if_match(read.etag())
        .send()
        .expect("patched");
    assert_eq!(server.last().header("if-match"), Some("W/\"9\""));
}

#[test]
fn no_tag_sends_no_header() {
    let unversioned = listed_user(None);
    for req in [
        sent(|c| {
            c.patch_scim_v2_user("u1", change())
                .if_match(&unversioned)
                .send()
                .expect("ok");
        }),
        sent(|c| {
            c.patch_scim_user("u1", change())
                .if_match(None::<&str>)
                .send()
                .expect("ok");
        }),
    ] {
        assert_eq!(req.header("if-match"), None, "{req:?}");
    }
}

#[test]
fn a_later_none_unsets_an_earlier_tag() {
    let req = sent(|c| {
        c.patch_scim_v2_user("u1", change())
            .if_match("\"1\"")
            .if_match(None::<&str>)
            .send()
            .expect("ok");
    });
    assert_eq!(req.header("if-match"), None);
}

#[test]
fn if_none_match_takes_a_group_and_none_reads_unconditionally() {
    let group: ScimV2Group = serde_json::from_value(
        json!({"id": "g1", "displayName": "Sales", "meta": {"version": "\"3\""}}),
    )
    .expect("group");
    let server = MockServer::start();
    server.respond(304, &[], "");
    server.respond_json(200, &json!({"id": "g1", "displayName": "Sales"}));
    let client = server.client();
    let cached = client
        .get_scim_v2_group("g1")
        .if_none_match(&group)
        .send()
        .expect("304");
    assert!(matches!(cached, Conditional::NotModified));
    assert_eq!(server.last().header("if-none-match"), Some("\"3\""));

    let fresh = client
        .get_scim_v2_group("g1")
        .if_none_match(None::<&str>)
        .send()
        .expect("200");
    assert!(matches!(fresh, Conditional::Modified(g) if g.id.as_deref() == Some("g1")));
    assert_eq!(server.last().header("if-none-match"), None);
}
