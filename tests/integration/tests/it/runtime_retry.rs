//! Retries over loopback HTTP: what is retried, how long the client waits,
//! and what an exhausted call reports.

use scim_sdk::models::ScimV2CreateUser;
use scim_sdk::{Client, Error, RetryPolicy};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;
use std::time::Duration;

fn fast_policy(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .base_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .max_total_wait(Duration::from_secs(5))
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer("test-token")
        .timeout(Duration::from_secs(5))
        .retry(policy)
        .build()
        .expect("client")
}

fn user() -> serde_json::Value {
    json!({"id": "u1", "userName": "jane@example.com", "meta": {"version": "3"}})
}

fn unavailable(server: &MockServer, status: u16) {
    server.respond_json(
        status,
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": status.to_string(), "detail": "try later"}),
    );
}

#[test]
fn a_run_of_503s_then_200_succeeds() {
    let server = MockServer::start();
    for _ in 0..3 {
        unavailable(&server, 503);
    }
    server.respond_json(200, &user());
    let client = client(&server, fast_policy(4));

    client
        .get_scim_v2_user("u1")
        .send()
        .expect("fourth attempt succeeds");
    assert_eq!(server.request_count(), 4);
}

#[test]
fn exhausted_retries_return_the_last_error_with_the_attempt_count() {
    let server = MockServer::start();
    unavailable(&server, 503);
    unavailable(&server, 502);
    server.respond(
        504,
        &[("ININ-Correlation-Id", "corr-last")],
        "gateway timeout",
    );
    let client = client(&server, fast_policy(3));

    let err = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("all attempts fail");
    assert_eq!(server.request_count(), 3);
    assert_eq!(err.status(), Some(504), "the last error is returned: {err}");
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(err.correlation_id(), Some("corr-last"));
    assert_eq!(
        err.to_string(),
        "getScimV2User: HTTP 504: gateway timeout (after 3 attempts) [correlation id corr-last]"
    );
}

#[test]
fn a_post_answered_503_is_not_retried() {
    let server = MockServer::start();
    unavailable(&server, 503);
    server.respond_json(201, &user());
    let client = client(&server, fast_policy(4));

    let err = client
        .post_scim_v2_users(ScimV2CreateUser::new("jane@example.com", "Jane"))
        .send()
        .expect_err("503 on POST is returned");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_patch_answered_502_is_not_retried() {
    let server = MockServer::start();
    unavailable(&server, 502);
    let client = client(&server, fast_policy(4));
    let patch = scim_sdk::models::ScimV2PatchRequest::new(vec![
        "urn:ietf:params:scim:api:messages:2.0:PatchOp".into(),
    ]);
    let err = client
        .patch_scim_v2_user("u1", patch)
        .send()
        .expect_err("502 on PATCH is returned");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_post_answered_429_is_retried() {
    let server = MockServer::start();
    server.respond(429, &[("Retry-After", "0")], "");
    server.respond_json(201, &user());
    let client = client(&server, fast_policy(4));

    let created = client
        .post_scim_v2_users(ScimV2CreateUser::new("jane@example.com", "Jane"))
        .send()
        .expect("the 429 proves the server did not act, so POST is retried");
    assert_eq!(created.id.as_deref(), Some("u1"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is sent again"
    );
}

#[test]
fn a_429_without_retry_after_uses_backoff() {
    let server = MockServer::start();
    server.respond(429, &[], "");
    server.respond(429, &[], "");
    server.respond_json(200, &user());
    let client = client(&server, fast_policy(3));
    client.get_scim_v2_user("u1").send().expect("third attempt");
    assert_eq!(server.request_count(), 3);
}

#[test]
fn disabled_retries_send_once() {
    let server = MockServer::start();
    unavailable(&server, 503);
    server.respond_json(200, &user());
    let client = client(&server, RetryPolicy::disabled());
    let err = client.get_scim_v2_user("u1").send().expect_err("no retry");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.request_count(), 1);
    assert!(!err.to_string().contains("attempts"), "{err}");
}

#[test]
fn other_statuses_are_not_retried() {
    let server = MockServer::start();
    for status in [400, 404, 409, 501] {
        server.respond(status, &[], "");
    }
    let client = client(&server, fast_policy(4));
    for status in [400, 404, 409, 501] {
        let err = client.get_scim_v2_user("u1").send().expect_err("error");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.attempts(), Some(1));
    }
    assert_eq!(server.request_count(), 4);
}

/// A port on which nothing listens: connecting is refused at once.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_refused_connection_is_retried_even_for_post() {
    let client = Client::builder()
        .base_url(refused_url())
        .bearer("t")
        .retry(fast_policy(3))
        .build()
        .expect("client");
    let err = client
        .post_scim_v2_users(ScimV2CreateUser::new("jane@example.com", "Jane"))
        .send()
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        err.attempts(),
        Some(3),
        "nothing was sent, so POST is retried"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("postScimV2Users: connection failed:")
            && text.ends_with("(after 3 attempts)"),
        "{text}"
    );
}

/// A `500` is retried when a second copy is harmless, as `502`–`504` are.
mod internal_server_error {
    use super::fast_policy;
    use scim_fake::{FakeServer, Fault, Match};
    use scim_sdk::Client;
    use scim_sdk::models::{ScimV2CreateUser, ScimV2PatchRequest};
    use scim_sdk_integration_tests::fake::{fails, ok};
    use serde_json::json;

    fn org() -> (FakeServer, Client, String) {
        let server = FakeServer::start().expect("start the fake");
        let client = Client::builder()
            .base_url(server.base_url())
            .bearer(server.token())
            .retry(fast_policy(4))
            .build()
            .expect("client");
        let id = server.seed_user(json!({"userName": "a@x.test", "displayName": "A"}))["id"]
            .as_str()
            .expect("an id")
            .to_owned();
        (server, client, id)
    }

    fn sent(server: &FakeServer, method: &str) -> usize {
        server
            .journal()
            .iter()
            .filter(|r| r.method == method)
            .count()
    }

    fn title() -> ScimV2PatchRequest {
        ScimV2PatchRequest::patch_op().replace("title", json!("Lead"))
    }

    #[test]
    fn a_500_on_a_get_is_retried() {
        let (server, client, id) = org();
        server.inject_on(Match::method("GET"), Fault::status(500));
        let user = ok(client.get_scim_v2_user(&id).send());
        assert_eq!(user.id.as_deref(), Some(id.as_str()));
        assert_eq!(sent(&server, "GET"), 2);
    }

    #[test]
    fn a_500_on_a_guarded_patch_is_retried() {
        let (server, client, id) = org();
        let etag = ok(client.get_scim_v2_user(&id).send_with_response())
            .etag()
            .expect("an ETag")
            .to_owned();
        server.inject_on(Match::method("PATCH").path("/users/*"), Fault::status(500));
        let user = ok(client
            .patch_scim_v2_user(&id, title())
            .if_match(&etag)
            .send());
        assert_eq!(user.title.as_deref(), Some("Lead"));
        assert_eq!(sent(&server, "PATCH"), 2);
    }

    #[test]
    fn a_500_on_a_post_or_an_unguarded_patch_is_not_retried() {
        let (server, client, id) = org();
        server.inject_on(Match::method("POST"), Fault::status(500));
        let jane = ScimV2CreateUser::new("jane@x.test", "Jane");
        let err = fails(client.post_scim_v2_users(jane).send());
        assert_eq!(
            (err.status(), err.attempts()),
            (Some(500), Some(1)),
            "{err}"
        );
        assert!(err.may_have_been_applied());
        assert_eq!(sent(&server, "POST"), 1);

        server.inject_on(Match::method("PATCH"), Fault::status(500));
        let err = fails(client.patch_scim_v2_user(&id, title()).send());
        assert_eq!(
            (err.status(), err.attempts()),
            (Some(500), Some(1)),
            "{err}"
        );
        assert_eq!(sent(&server, "PATCH"), 1);
    }
}

#[test]
fn a_client_with_another_retry_policy_sends_once_and_shares_the_request_count() {
    let server = MockServer::start();
    unavailable(&server, 503);
    unavailable(&server, 503);
    server.respond_json(200, &user());
    let client = client(&server, fast_policy(4));
    let once = client.with_retry_policy(RetryPolicy::disabled());

    let err = once
        .get_scim_v2_user("u1")
        .send()
        .expect_err("one 503, no retry");
    assert_eq!((err.status(), err.attempts()), (Some(503), Some(1)));
    assert_eq!(server.request_count(), 1);
    client
        .get_scim_v2_user("u1")
        .send()
        .expect("the original client retries");
    assert_eq!(server.request_count(), 3);
    assert_eq!(once.requests_sent(), 3, "one counter for both");
}
