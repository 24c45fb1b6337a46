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

#[test]
fn an_error_says_whether_the_request_may_have_been_applied() {
    let server = MockServer::start();
    let client = client(&server);
    let create = || {
        client
            .post_scim_v2_users(scim_sdk::models::ScimV2CreateUser::new(
                "jane@example.com",
                "Jane",
            ))
            .send()
            .expect_err("refused")
    };
    server.respond(503, &[], "busy");
    assert!(create().may_have_been_applied(), "a 503 proves nothing");
    server.respond(409, &[], "exists");
    assert!(!create().may_have_been_applied(), "a 4xx is a refusal");

    // A guarded PATCH whose first copy was answered 503, and whose second
    // copy found the version moved on: the first may have been applied.
    server.respond(503, &[], "busy");
    server.respond_json(
        412,
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "412", "detail": "version"}),
    );
    let err = client
        .patch_scim_v2_user("u1", change())
        .if_match("\"3\"")
        .send()
        .expect_err("mismatch");
    assert!(err.is_version_mismatch(), "{err}");
    assert_eq!(err.attempts(), Some(2));
    assert!(err.may_have_been_applied(), "{err:?}");
}

#[test]
fn a_refused_connection_was_not_applied() {
    // Bind, learn the port, close: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer("t")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let err = client
        .post_scim_v2_users(scim_sdk::models::ScimV2CreateUser::new(
            "jane@example.com",
            "Jane",
        ))
        .send()
        .expect_err("nothing listens");
    assert!(err.is_retryable(), "{err}");
    assert!(!err.may_have_been_applied(), "{err:?}");
}
