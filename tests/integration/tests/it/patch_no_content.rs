//! PATCH answered `204 No Content` (RFC 7644 §3.5.2): `send()` still returns
//! the resource, read back with a GET of the same path, and the usual `200`
//! costs no extra request.

use scim_sdk::Error;
use scim_sdk::models::ScimV2PatchRequest;
use scim_sdk_integration_tests::MockServer;
use serde_json::json;

fn change() -> ScimV2PatchRequest {
    ScimV2PatchRequest::patch_op().replace("title", json!("Lead"))
}

#[test]
fn a_204_is_followed_by_a_get_of_the_same_resource() {
    let server = MockServer::start();
    server.respond(204, &[], "");
    server.respond(
        200,
        &[("Content-Type", "application/scim+json"), ("ETag", "\"8\"")],
        json!({"id": "u 1", "userName": "jane", "title": "Lead"}).to_string(),
    );
    let resp = server
        .client()
        .patch_scim_v2_user("u 1", change())
        .if_match("\"7\"")
        .send_with_response()
        .expect("PATCH answered 204 succeeds");
    assert_eq!(resp.body().title.as_deref(), Some("Lead"));
    // The response is the GET's: its ETag is the version after the change.
    assert_eq!((resp.status(), resp.etag()), (200, Some("\"8\"")));

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_eq!(requests[0].method, "PATCH");
    assert_eq!(requests[1].method, "GET");
    assert_eq!(requests[1].path, "/api/v2/scim/v2/users/u%201");
    assert_eq!(requests[1].query, None);
    assert_eq!(requests[1].path, requests[0].path);
    assert!(requests[1].body.is_empty());
    assert_eq!(requests[1].header("if-match"), None);
    assert_eq!(requests[1].header("content-type"), None);
}

#[test]
fn a_group_patch_answered_204_reads_the_group_back() {
    let server = MockServer::start();
    server.respond(204, &[], "");
    server.respond_json(200, &json!({"id": "g1", "displayName": "Sales"}));
    let group = server
        .client()
        .patch_scim_group("g1", change())
        .send()
        .expect("PATCH answered 204 succeeds");
    assert_eq!(group.display_name.as_deref(), Some("Sales"));
    let requests = server.requests();
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        ("GET", "/api/v2/scim/groups/g1")
    );
}

#[test]
fn a_200_sends_one_request() {
    let server = MockServer::start();
    server.respond_json(200, &json!({"id": "u1", "title": "Lead"}));
    let user = server
        .client()
        .patch_scim_user("u1", change())
        .send()
        .expect("PATCH answered 200 succeeds");
    assert_eq!(user.title.as_deref(), Some("Lead"));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_failed_read_back_names_the_get_that_failed() {
    let server = MockServer::start();
    server.respond(204, &[], "");
    server.respond_json(
        404,
        &json!({"schemas": [scim_sdk::schemas::ERROR], "status": "404", "detail": "gone"}),
    );
    let err = server
        .client()
        .patch_scim_v2_user("u1", change())
        .send()
        .expect_err("the read-back failed");
    assert_eq!(err.status(), Some(404));
    match &err {
        Error::Http(http) => assert_eq!(http.operation, "getScimV2User"),
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    assert!(err.to_string().contains("getScimV2User"), "{err}");
    assert_eq!(server.request_count(), 2);
}
