//! Errors over loopback: what each kind keeps and how it reads in a log line;
//! conditional requests and response metadata.

use scim_sdk::models::{ScimErrorScimType, ScimV2User};
use scim_sdk::{Client, Conditional, Error};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;

const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

#[test]
fn an_html_502_page_keeps_status_and_a_one_line_snippet() {
    let server = MockServer::start();
    server.respond(
        502,
        &[
            ("Content-Type", "text/html"),
            ("ININ-Correlation-Id", "c-502"),
        ],
        "<html>\n  <head><title>502 Bad Gateway</title></head>\n  <body>nginx</body>\n</html>\n",
    );
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("502");
    let Error::Http(h) = &err else {
        panic!("expected Error::Http, got {err:?}")
    };
    assert_eq!(h.status, 502);
    assert!(h.scim.is_none());
    assert!(
        h.body_snippet
            .as_deref()
            .is_some_and(|s| s.contains("Bad Gateway"))
    );
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "getScimV2User: HTTP 502: <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body> </html> [correlation id c-502]"
    );
}

#[test]
fn a_long_error_body_is_cut_to_a_snippet() {
    let server = MockServer::start();
    server.respond(500, &[], "x".repeat(200_000));
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("500");
    let Error::Http(h) = &err else {
        panic!("expected Error::Http, got {err:?}")
    };
    let snippet = h.body_snippet.as_deref().unwrap_or_default();
    assert!(
        snippet.len() < 1024 && snippet.ends_with('…'),
        "{}",
        snippet.len()
    );
}

#[test]
fn a_scim_error_body_is_decoded() {
    let server = MockServer::start();
    server.respond(
        409,
        &[("ININ-Correlation-Id", "c-409"), ("Content-Type", "application/scim+json")],
        json!({"schemas": [ERROR_SCHEMA], "status": "409", "scimType": "uniqueness", "detail": "userName is taken"}).to_string(),
    );
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("409");
    assert!(err.is_conflict());
    assert_eq!(err.scim_type(), Some(&ScimErrorScimType::Uniqueness));
    assert_eq!(err.detail(), Some("userName is taken"));
    assert_eq!(err.correlation_id(), Some("c-409"));
    assert_eq!(err.code(), "uniqueness");
    assert_eq!(
        err.to_string(),
        "getScimV2User: HTTP 409 (uniqueness): userName is taken [correlation id c-409]"
    );
}

#[test]
fn unknown_scim_types_and_numeric_statuses_are_kept() {
    let server = MockServer::start();
    server.respond_json(
        400,
        &json!({"schemas": [ERROR_SCHEMA], "status": 400, "scimType": "brandNewType", "detail": "nope"}),
    );
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("400");
    assert_eq!(
        err.scim_type(),
        Some(&ScimErrorScimType::Unknown("brandNewType".into()))
    );
    let Error::Http(h) = &err else {
        panic!("expected Error::Http, got {err:?}")
    };
    assert_eq!(
        h.scim.as_ref().and_then(|s| s.status.as_deref()),
        Some("400")
    );
    assert!(h.body_snippet.is_none());
}

#[test]
fn truncated_json_is_a_decode_error_with_a_snippet() {
    let server = MockServer::start();
    server.respond(
        200,
        &[
            ("Content-Type", "application/scim+json"),
            ("ININ-Correlation-Id", "c-dec"),
        ],
        r#"{"id":"u1","userName":"ja"#,
    );
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("truncated");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.status(), Some(200));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "getScimV2User: could not decode the HTTP 200 response at `userName`: EOF while parsing"
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"body starts with "{\"id\":\"u1\",\"userName\":\"ja""#),
        "{text}"
    );
    assert!(text.ends_with("[correlation id c-dec]"), "{text}");
}

#[test]
fn a_body_of_the_wrong_shape_names_the_json_path() {
    let server = MockServer::start();
    server.respond_json(
        200,
        &json!({"id": "u1", "emails": [{"value": "a@b.c", "primary": "yes"}]}),
    );
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("wrong shape");
    let Error::Decode(d) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(d.path, "emails[0].primary");
    assert!(
        err.to_string().starts_with(
            "getScimV2User: could not decode the HTTP 200 response at `emails[0].primary`: invalid type: string \"yes\", expected a boolean"
        ),
        "{err}"
    );
}

#[test]
fn a_body_over_the_cap_is_refused_clearly() {
    let server = MockServer::start();
    let big = json!({"id": "u1", "title": "x".repeat(500)});
    server.respond_json(200, &big);
    let client = Client::builder()
        .base_url(server.url())
        .bearer("t")
        .max_body_bytes(256)
        .build()
        .expect("client");
    let err = client.get_scim_v2_user("u1").send().expect_err("too large");
    assert!(err.is_body_too_large(), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "getScimV2User: the HTTP 200 response body is larger than the 256-byte limit (see ClientBuilder::max_body_bytes)"
    );
    assert_eq!(server.request_count(), 1, "a too-large body is not retried");
}

#[test]
fn if_none_match_is_sent_and_304_means_not_modified() {
    let server = MockServer::start();
    server.respond(304, &[("ETag", "\"3\"")], "");
    server.respond(
        200,
        &[("ETag", "\"4\""), ("Content-Type", "application/scim+json")],
        json!({"id": "u1", "meta": {"version": "4"}}).to_string(),
    );
    let client = server.client();

    let first = client
        .get_scim_v2_user("u1")
        .if_none_match("3")
        .send()
        .expect("304");
    assert!(first.is_not_modified());
    assert_eq!(server.last().header("if-none-match"), Some("\"3\""));

    let second = client
        .get_scim_v2_user("u1")
        .if_none_match("\"3\"")
        .send_with_response()
        .expect("200");
    assert_eq!(second.etag(), Some("\"4\""));
    assert_eq!(server.last().header("if-none-match"), Some("\"3\""));
    match second.into_body() {
        Conditional::Modified(user) => {
            assert_eq!(user.meta.and_then(|m| m.version).as_deref(), Some("4"));
        }
        Conditional::NotModified => panic!("expected the new version"),
    }
}

#[test]
fn a_304_without_if_none_match_is_a_decode_error() {
    let server = MockServer::start();
    server.respond(304, &[], "");
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("unexpected 304");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn etag_comes_from_the_header_and_from_meta_version() {
    let server = MockServer::start();
    server.respond(
        200,
        &[("ETag", "W/\"7\""), ("ININ-Correlation-Id", "c-ok")],
        json!({"id": "u1", "meta": {"version": "W/\"7\""}}).to_string(),
    );
    let resp = server
        .client()
        .get_scim_v2_user("u1")
        .send_with_response()
        .expect("200");
    assert_eq!(resp.etag(), Some("W/\"7\""));
    assert_eq!(resp.correlation_id(), Some("c-ok"));
    let user = resp.into_body();
    assert_eq!(
        user.meta.as_ref().and_then(|m| m.version.as_deref()),
        Some("W/\"7\"")
    );
}

fn put_with_if_match(server: &MockServer) -> Error {
    server
        .client()
        .put_scim_v2_user("u1", ScimV2User::default())
        .if_match("3")
        .send()
        .expect_err("stale version")
}

#[test]
fn if_match_answered_400_invalid_vers_is_a_version_mismatch() {
    let server = MockServer::start();
    server.respond_json(
        400,
        &json!({"schemas": [ERROR_SCHEMA], "status": "400", "scimType": "invalidVers", "detail": "version mismatch"}),
    );
    let err = put_with_if_match(&server);
    assert!(err.is_version_mismatch(), "{err:?}");
    assert_eq!(server.last().header("if-match"), Some("\"3\""));
    assert_eq!(
        err.to_string(),
        "putScimV2User: HTTP 400 (invalidVers): version mismatch"
    );
}

#[test]
fn if_match_answered_412_is_a_version_mismatch() {
    let server = MockServer::start();
    server.respond(412, &[], "");
    let err = put_with_if_match(&server);
    assert!(err.is_version_mismatch(), "{err:?}");
    assert_eq!(err.to_string(), "putScimV2User: HTTP 412");
}

#[test]
fn every_error_type_is_a_std_error_with_its_source() {
    use std::error::Error as _;
    fn is_std_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let server = MockServer::start();
    server.respond(404, &[], "");
    let err = server
        .client()
        .get_scim_v2_user("u1")
        .send()
        .expect_err("404");
    let Error::Http(h) = &err else {
        panic!("{err:?}")
    };
    is_std_error(&err);
    is_std_error(&**h);
    assert!(err.source().is_none() && h.source().is_none());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let err = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer("t")
        .retry(scim_sdk::RetryPolicy::disabled())
        .build()
        .expect("client")
        .get_scim_v2_user("u1")
        .send()
        .expect_err("nothing listens");
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    is_std_error(&**t);
    assert!(t.source().is_some(), "the I/O error beneath");
    assert_eq!(
        err.source().map(ToString::to_string),
        t.source().map(ToString::to_string)
    );
    fn auth_and_decode(a: &scim_sdk::AuthError, d: &scim_sdk::DecodeError) {
        is_std_error(a);
        is_std_error(d);
    }
    let _ = auth_and_decode;
}

/// What a service asks of an error to decide its next step: wait (and how
/// long), slow down, or check the network.
mod for_services {
    use scim_fake::{FakeServer, Fault};
    use scim_sdk::{Client, Error, RetryPolicy};
    use std::time::Duration;

    fn once(server: &FakeServer) -> Client {
        Client::builder()
            .base_url(server.base_url())
            .bearer(server.token())
            .retry(RetryPolicy::disabled())
            .timeout(Duration::from_millis(500))
            .build()
            .expect("client")
    }

    fn get(client: &Client) -> Error {
        client
            .get_scim_v2_users()
            .send()
            .expect_err("the fault answers")
    }

    #[test]
    fn a_429_is_rate_limited_and_says_when_to_come_back() {
        let server = FakeServer::start().expect("fake");
        server.inject(Fault::status(429).retry_after(7));
        let err = get(&once(&server));
        assert!(err.is_rate_limited(), "{err}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        assert!(!err.is_connection());

        server.inject(Fault::status(503).retry_after(2));
        let err = get(&once(&server));
        assert!(!err.is_rate_limited(), "{err}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));

        server.inject(Fault::status(429));
        assert_eq!(get(&once(&server)).retry_after(), None);
    }

    #[test]
    fn no_answer_at_all_is_a_connection_error() {
        let server = FakeServer::start().expect("fake");
        let client = once(&server);
        server.inject(Fault::drop_connection());
        let reset = get(&client);
        server.inject(Fault::stall());
        let silent = get(&client);
        drop(server);
        let refused = get(&client);
        for err in [reset, silent, refused] {
            assert!(err.is_connection(), "{err:?}");
            assert!(!err.is_rate_limited());
            assert_eq!(err.retry_after(), None);
        }
    }

    #[test]
    fn codes_are_static_labels_with_the_same_values() {
        let server = FakeServer::start().expect("fake");
        let client = once(&server);
        let cases = [
            (Fault::status(503), "http_503"),
            (Fault::status(500), "http_500"),
            (Fault::status(409).scim_type("uniqueness"), "uniqueness"),
            (Fault::status(400).scim_type("invalidVers"), "invalidVers"),
            (
                Fault::status(400).scim_type("somethingNew"),
                "unknown_scim_type",
            ),
            (Fault::malformed(), "decode"),
            (Fault::drop_connection(), "transport"),
            (Fault::stall(), "timeout"),
        ];
        for (fault, expected) in cases {
            server.inject(fault);
            let err = get(&client);
            let code: &'static str = err.code();
            assert_eq!(code, expected, "{err}");
            assert!(!err.is_connection() || matches!(expected, "transport" | "timeout"));
        }
    }
}
