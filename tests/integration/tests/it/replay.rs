//! Replay safety: a request is sent again after a failure that may have
//! reached the server only when repeating it is harmless, because its
//! method is idempotent or because `If-Match` makes a second application
//! fail instead of applying twice.

use scim_sdk::models::ScimV2PatchRequest;
use scim_sdk::{Client, RetryPolicy};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;
use std::time::Duration;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer("t")
        .timeout(Duration::from_millis(500))
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .base_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
        .build()
        .expect("client")
}

fn change() -> ScimV2PatchRequest {
    ScimV2PatchRequest::patch_op().replace("title", json!("Lead"))
}

fn updated(server: &MockServer) {
    server.respond_json(
        200,
        &json!({"id": "u1", "userName": "jane@example.com", "title": "Lead"}),
    );
}

#[test]
fn a_guarded_patch_is_sent_again_after_a_503() {
    let server = MockServer::start();
    server.respond(503, &[], "busy");
    updated(&server);
    let user = client(&server)
        .patch_scim_v2_user("u1", change())
        .if_match("\"3\"")
        .send()
        .expect("If-Match makes the re-send safe");
    assert_eq!(user.title.as_deref(), Some("Lead"));
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    let if_match = sent[1]
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("if-match"))
        .map(|(_, v)| v.as_str());
    assert_eq!(if_match, Some("\"3\""));
}

#[test]
fn a_guarded_patch_is_sent_again_after_a_lost_answer() {
    let server = MockServer::start();
    server.stall(Duration::from_secs(2));
    updated(&server);
    let user = client(&server)
        .patch_scim_v2_user("u1", change())
        .if_match("\"3\"")
        .send()
        .expect("sent again after the time-out");
    assert_eq!(user.title.as_deref(), Some("Lead"));
    assert_eq!(server.request_count(), 2);
}

#[test]
fn an_unguarded_patch_is_not_sent_again_after_a_503() {
    let server = MockServer::start();
    server.respond(503, &[], "busy");
    updated(&server);
    let err = client(&server)
        .patch_scim_v2_user("u1", change())
        .send()
        .expect_err("without If-Match a re-send could apply it twice");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.request_count(), 1);
}
