//! OAuth client credentials over loopback: the token request, the cache, the
//! refresh after a 401, single flight across threads, and failures.

use scim_sdk::{Client, Error, Region, RetryPolicy};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;
use std::sync::{Arc, Barrier};
use std::time::Duration;

const CLIENT_ID: &str = "my-client";
const SECRET: &str = "s3cr3t-value";
/// base64("my-client:s3cr3t-value")
const BASIC: &str = "Basic bXktY2xpZW50OnMzY3IzdC12YWx1ZQ==";

fn token(value: &str, expires_in: u64) -> serde_json::Value {
    json!({"access_token": value, "token_type": "bearer", "expires_in": expires_in})
}

fn user() -> serde_json::Value {
    json!({"id": "u1", "userName": "jane@example.com"})
}

fn client(api: &MockServer, login: &MockServer) -> Client {
    Client::builder()
        .base_url(api.url())
        .token_url(format!("{}/oauth/token", login.url()))
        .client_credentials(CLIENT_ID, SECRET)
        .retry(
            RetryPolicy::default()
                .base_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

#[test]
fn fetches_a_token_with_basic_auth_and_caches_it() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(200, &token("tok-1", 86400));
    api.respond_json(200, &user());
    api.respond_json(200, &user());
    let client = client(&api, &login);

    client.get_scim_v2_user("u1").send().expect("first call");
    client
        .clone()
        .get_scim_v2_user("u1")
        .send()
        .expect("second call, on a clone");

    let token_requests = login.requests();
    assert_eq!(
        token_requests.len(),
        1,
        "the token is cached and shared by clones"
    );
    let t = &token_requests[0];
    assert_eq!(t.method, "POST");
    assert_eq!(t.path, "/oauth/token");
    assert_eq!(t.header("authorization"), Some(BASIC));
    assert_eq!(
        t.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(t.body, b"grant_type=client_credentials");
    for r in api.requests() {
        assert_eq!(r.header("authorization"), Some("Bearer tok-1"));
    }
}

#[test]
fn a_401_refreshes_the_token_and_retries_once() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(200, &token("tok-1", 86400));
    login.respond_json(200, &token("tok-2", 86400));
    api.respond_json(200, &user());
    api.respond(401, &[], r#"{"status":"401","detail":"token revoked"}"#);
    api.respond_json(200, &user());
    let client = client(&api, &login);

    client.get_scim_v2_user("u1").send().expect("first call");
    client
        .get_scim_v2_user("u1")
        .send()
        .expect("the 401 is cured by a new token");

    assert_eq!(login.request_count(), 2);
    let auth: Vec<_> = api
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[test]
fn a_post_answered_401_is_also_sent_again_once() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(200, &token("tok-1", 86400));
    login.respond_json(200, &token("tok-2", 86400));
    api.respond(401, &[], "");
    api.respond_json(201, &user());
    let client = client(&api, &login);
    client
        .post_scim_v2_users(scim_sdk::models::ScimV2CreateUser::new(
            "jane@example.com",
            "Jane",
        ))
        .send()
        .expect("a 401 proves nothing was created");
    assert_eq!(api.request_count(), 2);
}

#[test]
fn a_second_401_is_returned() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(200, &token("tok-1", 86400));
    login.respond_json(200, &token("tok-2", 86400));
    api.respond(401, &[], "");
    api.respond(401, &[("ININ-Correlation-Id", "c-401")], "");
    let client = client(&api, &login);

    let err = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("still refused");
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.attempts(), Some(2));
    assert_eq!(err.correlation_id(), Some("c-401"));
    assert_eq!(login.request_count(), 2, "exactly one refresh");
    assert_eq!(api.request_count(), 2);
}

#[test]
fn an_expired_token_is_renewed_before_use() {
    let (api, login) = (MockServer::start(), MockServer::start());
    // expires_in 0: already due for renewal when the next call starts.
    login.respond_json(200, &token("tok-1", 0));
    login.respond_json(200, &token("tok-2", 3600));
    api.respond_json(200, &user());
    api.respond_json(200, &user());
    let client = client(&api, &login);

    client.get_scim_v2_user("u1").send().expect("first");
    client.get_scim_v2_user("u1").send().expect("second");
    assert_eq!(login.request_count(), 2);
    assert_eq!(api.last().header("authorization"), Some("Bearer tok-2"));
}

#[test]
fn sixteen_threads_cause_one_token_request() {
    // The API is scim-fake, which serves every connection at once: the
    // mock's server (tiny_http) may leave a connection beyond its fourth
    // unserved while the others stay open, and a call would wait out its
    // time limit.
    let api = scim_fake::FakeServer::builder()
        .token("tok-shared")
        .start()
        .expect("start the fake");
    let login = MockServer::start();
    // A slow token endpoint, so that every thread arrives while it is busy.
    login.respond_after(
        Duration::from_millis(300),
        200,
        &[("Content-Type", "application/json")],
        token("tok-shared", 86400).to_string(),
    );
    let client = Client::builder()
        .base_url(api.base_url())
        .token_url(format!("{}/oauth/token", login.url()))
        .client_credentials(CLIENT_ID, SECRET)
        .retry(RetryPolicy::disabled())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");

    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                client.get_scim_v2_users().count(1).send().map(|_| ())
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread").expect("call succeeds");
    }
    assert_eq!(login.request_count(), 1, "single flight");
    assert_eq!(client.requests_sent(), 16, "each call sent once");
    let journal = api.journal();
    assert_eq!(journal.len(), 16);
    assert!(
        journal
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer tok-shared"))
    );
}

#[test]
fn concurrent_waiters_share_a_token_endpoint_failure() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_after(
        Duration::from_millis(200),
        401,
        &[("Content-Type", "application/json")],
        r#"{"error":"invalid_client","error_description":"client not found"}"#,
    );
    let client = client(&api, &login);
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                client.get_scim_v2_user("u1").send().map(|_| ())
            })
        })
        .collect();
    for t in threads {
        let err = t.join().expect("thread").expect_err("refused");
        assert!(matches!(err, Error::Auth(_)), "{err:?}");
    }
    assert_eq!(login.request_count(), 1);
    assert_eq!(api.request_count(), 0);
}

#[test]
fn a_refused_token_request_gives_an_auth_error_without_the_secret() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(
        401,
        &json!({"error": "invalid_client", "error_description": "client not found"}),
    );
    let client = client(&api, &login);

    let err = client.get_scim_v2_user("u1").send().expect_err("refused");
    match &err {
        Error::Auth(a) => {
            assert_eq!(a.status, Some(401));
            assert_eq!(a.error_code.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    assert_eq!(err.status(), Some(401));
    let display = err.to_string();
    assert_eq!(
        display,
        "authentication failed (HTTP 401, invalid_client): the token endpoint refused the client credentials: client not found"
    );
    let debug = format!("{err:?}");
    for text in [&display, &debug] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("bXktY2xpZW50"), "{text}");
    }
    assert_eq!(api.request_count(), 0, "no API call without a token");
    assert_eq!(
        login.request_count(),
        1,
        "a 401 from the token endpoint is not retried"
    );
}

#[test]
fn a_garbled_token_response_never_leaks_its_body() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond(
        200,
        &[],
        r#"{"access_token": "tok-partial", "expires_in": "#,
    );
    let client = client(&api, &login);
    let err = client.get_scim_v2_user("u1").send().expect_err("garbled");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("tok-partial"), "{err:?}");
}

#[test]
fn an_overloaded_token_endpoint_is_retried() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond(503, &[], "busy");
    login.respond_json(200, &token("tok-1", 86400));
    api.respond_json(200, &user());
    let client = client(&api, &login);
    client
        .get_scim_v2_user("u1")
        .send()
        .expect("second token request works");
    assert_eq!(login.request_count(), 2);
}

#[test]
fn a_bearer_token_is_sent_as_is_and_a_401_is_returned() {
    let api = MockServer::start();
    api.respond(401, &[], "");
    let client = Client::builder()
        .base_url(api.url())
        .bearer("fixed-token")
        .build()
        .expect("client");
    let err = client.get_scim_v2_user("u1").send().expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(
        api.last().header("authorization"),
        Some("Bearer fixed-token")
    );
}

#[test]
fn debug_output_never_shows_secrets_or_tokens() {
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(200, &token("tok-secret-value", 86400));
    api.respond_json(200, &user());
    let builder = Client::builder()
        .base_url(api.url())
        .token_url(format!("{}/oauth/token", login.url()))
        .client_credentials(CLIENT_ID, SECRET);
    let client = builder.clone().build().expect("client");
    client
        .get_scim_v2_user("u1")
        .send()
        .expect("token now cached");

    let bearer = Client::builder()
        .bearer("tok-bearer-value")
        .build()
        .expect("client");
    for text in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{bearer:?}"),
        format!("{:?}", Client::builder().bearer("tok-bearer-value")),
    ] {
        for secret in [SECRET, "tok-secret-value", "tok-bearer-value"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("<redacted>"), "{text}");
    }
}

#[test]
fn regions_set_the_api_and_token_hosts() {
    let client = Client::builder()
        .region(Region::EuWest1)
        .client_credentials(CLIENT_ID, SECRET)
        .build()
        .expect("client");
    assert_eq!(client.base_url(), "https://api.mypurecloud.ie");
    assert!(format!("{client:?}").contains("https://login.mypurecloud.ie/oauth/token"));

    let parsed: Region = "api.usw2.pure.cloud".parse().expect("region");
    assert_eq!(parsed, Region::UsWest2);

    let refused = Client::builder()
        .base_url(api_url_for_test())
        .token_url("http://login.example.com/oauth/token")
        .client_credentials(CLIENT_ID, SECRET)
        .build()
        .expect_err("plain http token URL on a public host");
    assert!(refused.to_string().contains("plain http://"), "{refused}");
}

fn api_url_for_test() -> &'static str {
    "https://api.mypurecloud.com"
}
