//! Safety on the wire: ids and filters are encoded, the User-Agent is sent,
//! base URLs are checked.

use scim_sdk::{Client, Error};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer("t")
        .build()
        .expect("client")
}

#[test]
fn an_id_reaches_the_server_as_one_encoded_segment() {
    let server = MockServer::start();
    server.respond_json(200, &json!({"id": "x"}));
    client(&server)
        .get_scim_v2_user("../groups/x?y#z")
        .send()
        .expect("200");
    let r = server.last();
    assert_eq!(r.path, "/api/v2/scim/v2/users/..%2Fgroups%2Fx%3Fy%23z");
    assert_eq!(r.query, None);
}

#[test]
fn dot_segments_cannot_climb() {
    let server = MockServer::start();
    server.respond(204, &[], "");
    client(&server)
        .delete_scim_v2_user("..")
        .send()
        .expect("204");
    assert_eq!(server.last().path, "/api/v2/scim/v2/users/%2E%2E");
}

#[test]
fn filter_values_are_encoded() {
    let server = MockServer::start();
    server.respond_json(200, &json!({"totalResults": 0, "Resources": []}));
    client(&server)
        .get_scim_v2_users()
        .filter(r#"userName eq "a+b&c=d@x.org""#)
        .send()
        .expect("200");
    assert_eq!(
        server.last().query.as_deref(),
        Some("filter=userName%20eq%20%22a%2Bb%26c%3Dd%40x.org%22")
    );
}

#[test]
fn the_user_agent_names_the_sdk() {
    let server = MockServer::start();
    server.respond_json(200, &json!({"id": "x"}));
    client(&server).get_scim_v2_user("x").send().expect("200");
    let r = server.last();
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("scim-sdk/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(r.header("authorization"), Some("Bearer t"));
    assert_eq!(
        r.header("accept"),
        Some("application/scim+json, application/json")
    );
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let err = Client::builder()
        .base_url("http://api.example.com")
        .bearer("t")
        .build()
        .expect_err("plain http");
    assert!(matches!(err, Error::InvalidInput { .. }));
    assert_eq!(
        err.to_string(),
        "client: invalid input: base URL `http://api.example.com` uses plain http:// on a non-loopback host; tokens would travel unencrypted, use https://"
    );
    for ok in [
        "http://127.0.0.1:1",
        "http://localhost:8080",
        "http://[::1]:9",
        "https://proxy.example.com/genesys",
    ] {
        assert!(
            Client::builder().base_url(ok).bearer("t").build().is_ok(),
            "{ok}"
        );
    }
}

#[test]
fn no_credentials_is_a_clear_error() {
    let err = Client::builder().build().expect_err("no credentials");
    assert!(err.to_string().contains("no credentials"), "{err}");
}
