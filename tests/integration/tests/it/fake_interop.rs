//! The SDK and the fake agree on the wire where they used to differ: filter
//! strings with JSON escapes, client secrets holding `+` or `%`, and the
//! rate limit a client must wait out.

use scim_fake::FakeServer;
use scim_sdk::{Client, Filter};
use serde_json::json;

use scim_sdk_integration_tests::fake::{ok, start};

#[test]
fn a_filter_value_with_control_characters_finds_its_user() {
    let (server, client) = start();
    for name in ["new\nline@x", "tab\there@x", "bell\u{7}@x"] {
        server.seed_user(json!({"userName": name, "displayName": "E"}));
    }
    for name in ["new\nline@x", "tab\there@x", "bell\u{7}@x"] {
        let filter = Filter::eq("userName", name).expect("a filter");
        let page = ok(client.get_scim_v2_users().filter(filter).send());
        let found: Vec<_> = page
            .resources
            .unwrap_or_default()
            .into_iter()
            .filter_map(|u| u.user_name)
            .collect();
        assert_eq!(found, [name], "{name:?}");
    }
}

#[test]
fn a_client_secret_with_plus_and_percent_gets_a_token() {
    let server = FakeServer::builder()
        .client_credentials("my+client", "se+cr%41et/=")
        .start()
        .expect("start the fake");
    let client = Client::builder()
        .base_url(server.base_url())
        .token_url(server.token_url())
        .client_credentials(server.client_id(), server.client_secret())
        .build()
        .expect("build the client");
    ok(client.get_scim_v2_serviceproviderconfig().send());
    assert_eq!(server.token_requests(), 1);
}

#[test]
fn a_rate_limited_call_waits_for_retry_after_and_succeeds() {
    let server = FakeServer::builder()
        .rate_limit(2)
        .rate_limit_window(std::time::Duration::from_secs(1))
        .start()
        .expect("start the fake");
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .expect("build the client");
    for _ in 0..3 {
        ok(client.get_scim_v2_serviceproviderconfig().send());
    }
    // The third call was refused once, then sent again after Retry-After.
    assert_eq!(server.journal().len(), 4);
}
