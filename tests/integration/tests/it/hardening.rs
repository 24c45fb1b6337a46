//! Regression tests of the runtime hardening (issue 9): each test names the
//! defect it pins. Nothing here contacts a host outside loopback: refused
//! configurations fail in `build()`, before any request.

use scim_sdk::{Client, Error};

fn refused(builder: scim_sdk::ClientBuilder) -> String {
    let shown = format!("{builder:?}");
    match builder.build() {
        Err(e @ Error::InvalidInput { .. }) => format!("{e}\n{e:?}\n{shown}"),
        Err(other) => panic!("expected InvalidInput, got {other:?}"),
        Ok(client) => panic!("built a client for {client:?}"),
    }
}

#[test]
fn userinfo_in_the_base_url_cannot_smuggle_a_foreign_host() {
    // ureq would connect to 192.0.2.2 while the old check saw `[::1]`.
    let text = refused(
        Client::builder()
            .base_url("http://[::1]@192.0.2.2:8080")
            .bearer("t"),
    );
    assert!(
        text.contains("must not carry a user name or password"),
        "{text}"
    );
    assert!(!text.contains("[::1]@"), "{text}");
}

#[test]
fn userinfo_in_the_token_url_is_refused() {
    let text = refused(
        Client::builder()
            .base_url("http://127.0.0.1:1")
            .token_url("http://[::1]@192.0.2.2:8080/oauth/token")
            .client_credentials("id", "secret"),
    );
    assert!(
        text.contains("token URL `http://***@192.0.2.2:8080/oauth/token`"),
        "{text}"
    );
}

#[test]
fn a_genesys_host_as_userinfo_does_not_derive_the_genesys_token_url() {
    let text = refused(
        Client::builder()
            .base_url("https://api.mypurecloud.com:443@attacker.example")
            .client_credentials("id", "secret"),
    );
    assert!(!text.contains("login.mypurecloud.com"), "{text}");
    assert!(!text.contains("api.mypurecloud.com:443@"), "{text}");
}

#[test]
fn passwords_in_urls_stay_out_of_debug_and_errors() {
    let text = refused(
        Client::builder()
            .base_url("https://user:hunter2@api.mypurecloud.com")
            .bearer("t"),
    );
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("https://***@api.mypurecloud.com"), "{text}");
}

#[test]
fn a_malformed_base_url_fails_at_build_not_on_every_call() {
    for url in [
        "https://api.mypurecloud.com/scim v2",
        "https://api mypurecloud.com",
        "https://api.mypurecloud.com:port",
    ] {
        let text = refused(Client::builder().base_url(url).bearer("t"));
        assert!(text.contains("base URL"), "{text}");
    }
}

#[test]
fn a_colon_in_the_client_id_is_refused_at_build() {
    // Basic sends `id:secret` raw: the server would split at the first `:`.
    let text = refused(
        Client::builder()
            .region(scim_sdk::Region::EuWest1)
            .client_credentials("my:client", "secret"),
    );
    assert!(text.contains("client id contains `:`"), "{text}");
    assert!(!text.contains("secret\""), "{text}");
    // A `:` in the secret is fine: only the first one separates.
    Client::builder()
        .region(scim_sdk::Region::EuWest1)
        .client_credentials("my-client", "se:cret")
        .build()
        .expect("a colon in the secret is allowed");
}

mod tokens {
    use scim_sdk::{Client, Error, RetryPolicy};
    use scim_sdk_integration_tests::MockServer;
    use serde_json::json;
    use std::time::Duration;

    fn user() -> serde_json::Value {
        json!({"id": "u1", "userName": "jane@example.com"})
    }

    fn client(api: &MockServer, login: &MockServer) -> Client {
        Client::builder()
            .base_url(api.url())
            .token_url(format!("{}/oauth/token", login.url()))
            .client_credentials("my-client", "secret")
            .retry(
                RetryPolicy::default()
                    .base_backoff(Duration::from_millis(5))
                    .max_backoff(Duration::from_millis(10)),
            )
            .build()
            .expect("client")
    }

    #[test]
    fn a_huge_expires_in_does_not_panic_and_the_token_is_cached() {
        let (api, login) = (MockServer::start(), MockServer::start());
        login.respond_json(
            200,
            &json!({"access_token": "T", "expires_in": 9223372036854775807_u64}),
        );
        api.respond_json(200, &user());
        api.respond_json(200, &user());
        let client = client(&api, &login);
        client.get_scim_v2_user("u1").send().expect("first call");
        client.get_scim_v2_user("u1").send().expect("second call");
        assert_eq!(login.request_count(), 1);
        assert_eq!(api.last().header("authorization"), Some("Bearer T"));
    }

    #[test]
    fn a_failed_renewal_keeps_serving_the_still_valid_token() {
        let (api, login) = (MockServer::start(), MockServer::start());
        // Two seconds of life: renewed after one, expired after two.
        login.respond_json(200, &json!({"access_token": "tok-1", "expires_in": 2}));
        login.respond_by_default(503, &[], "login host down");
        api.respond_by_default(
            200,
            &[("Content-Type", "application/scim+json")],
            user().to_string(),
        );
        let client = client(&api, &login);
        client.get_scim_v2_user("u1").send().expect("first call");
        std::thread::sleep(Duration::from_millis(1100));

        client
            .get_scim_v2_user("u1")
            .send()
            .expect("the renewal fails but tok-1 is still valid");
        assert_eq!(login.request_count(), 2, "one renewal was tried");
        assert_eq!(api.last().header("authorization"), Some("Bearer tok-1"));
        // The failed renewal is not retried on every call.
        client.get_scim_v2_user("u1").send().expect("third call");
        assert_eq!(login.request_count(), 2);
    }

    #[test]
    fn a_token_the_api_refused_is_not_reused_when_renewal_fails() {
        let (api, login) = (MockServer::start(), MockServer::start());
        login.respond_json(200, &json!({"access_token": "tok-1", "expires_in": 3600}));
        login.respond_by_default(503, &[], "login host down");
        api.respond(401, &[], "");
        api.respond_by_default(
            200,
            &[("Content-Type", "application/scim+json")],
            user().to_string(),
        );
        let client = client(&api, &login);
        let err = client
            .get_scim_v2_user("u1")
            .send()
            .expect_err("no usable token");
        assert!(matches!(err, Error::Auth(_)), "{err:?}");
        assert_eq!(err.status(), Some(503));
        assert_eq!(api.request_count(), 1, "tok-1 was not sent again");
    }
}

/// Runs `run` with a TRACE fmt subscriber on this thread and returns what it
/// wrote. With `safe`, the subscriber uses the README's filter, which keeps
/// ureq's own logs at DEBUG.
fn logs_of(safe: bool, run: impl FnOnce()) -> String {
    use std::sync::{Arc, Mutex, PoisonError};
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let mut out = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            out.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // ureq logs through `log`; bridge it, as tracing-subscriber's `init()` does.
    let _ = tracing_log::LogTracer::init();
    let capture = Capture::default();
    let writer = capture.clone();
    let cap = if safe {
        LevelFilter::DEBUG
    } else {
        LevelFilter::TRACE
    };
    let filter = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target("ureq_proto", cap)
        .with_target("ureq", cap);
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(move || writer.clone()))
        .with(filter);
    tracing::subscriber::with_default(subscriber, run);
    let bytes = capture.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn captured_logs(run: impl FnOnce()) -> String {
    logs_of(true, run)
}

/// The text of ureq-proto's hex dumps: the last column of each row, joined.
fn hex_dump_text(logs: &str) -> String {
    logs.lines()
        .filter(|l| l.contains("TRACE") && l.contains("ureq_proto"))
        .filter_map(|l| l.split_whitespace().last())
        .collect()
}

#[test]
fn the_documented_log_filter_keeps_ureq_trace_dumps_of_credentials_out() {
    let server = scim_sdk_integration_tests::MockServer::start();
    server.respond_by_default(200, &[], r#"{"id":"u1"}"#);
    let client = Client::builder()
        .base_url(server.url())
        .bearer("tok-trace-secret")
        .build()
        .expect("client");
    let call = || {
        client.get_scim_v2_user("u1").send().expect("200");
    };
    // The hazard the README warns about: at TRACE, ureq-proto dumps the
    // request as sent, Authorization header included.
    let unfiltered = logs_of(false, call);
    assert!(
        hex_dump_text(&unfiltered).contains("tok-trace-secret"),
        "{unfiltered}"
    );
    let filtered = logs_of(true, call);
    assert!(filtered.contains("SCIM request finished"), "{filtered}");
    assert_eq!(hex_dump_text(&filtered), "", "{filtered}");
    assert!(!filtered.contains("tok-trace"), "{filtered}");
}

mod patch_secrets {
    use super::captured_logs;
    use scim_sdk::Client;
    use scim_sdk::models::ScimV2PatchRequest;
    use scim_sdk_integration_tests::MockServer;
    use serde_json::json;

    fn change() -> ScimV2PatchRequest {
        ScimV2PatchRequest::patch_op()
            .replace("password", json!("hunter2-patch"))
            .replace(
                "urn:ietf:params:scim:schemas:core:2.0:User:password",
                json!("hunter3-patch"),
            )
            .replace("title", json!("Team lead"))
    }

    #[test]
    fn patch_passwords_are_redacted_in_debug_output() {
        let client = Client::builder().bearer("t").build().expect("client");
        for text in [
            format!("{:?}", change()),
            format!("{:?}", client.patch_scim_v2_user("u1", change())),
        ] {
            assert!(!text.contains("hunter2-patch"), "{text}");
            assert!(!text.contains("hunter3-patch"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
        }
    }

    #[test]
    fn patch_passwords_are_redacted_in_logged_bodies() {
        let server = MockServer::start();
        server.respond_json(200, &json!({"id": "u1", "title": "Team lead"}));
        let client = Client::builder()
            .base_url(server.url())
            .bearer("t")
            .log_bodies(true)
            .build()
            .expect("client");
        let logs = captured_logs(|| {
            client
                .patch_scim_v2_user("u1", change())
                .send()
                .expect("patched");
        });
        assert!(
            server
                .last()
                .body_json()
                .expect("a JSON body")
                .to_string()
                .contains("hunter2-patch")
        );
        assert!(logs.contains("request body"), "{logs}");
        assert!(logs.contains("Team lead"), "{logs}");
        assert!(!logs.contains("hunter2-patch"), "{logs}");
        assert!(!logs.contains("hunter3-patch"), "{logs}");
    }
}

mod server_text {
    use scim_sdk::{Client, Error};
    use scim_sdk_integration_tests::MockServer;
    use serde_json::json;

    fn assert_printable(text: &str, max_len: usize) {
        assert!(text.len() <= max_len, "{} bytes: {text}", text.len());
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }

    #[test]
    fn hostile_scim_errors_are_printable_bounded_and_have_a_fixed_code() {
        let server = MockServer::start();
        let detail = format!("line1\nFAKE LOG LINE\u{1b}[2J{}", "d".repeat(60_000));
        server.respond_json(
            400,
            &json!({"status": "400", "scimType": "\u{1b}[31mevil\ntype", "detail": detail}),
        );
        let client = Client::builder()
            .base_url(server.url())
            .bearer("t")
            .build()
            .expect("client");
        let err = client.get_scim_v2_user("u1").send().expect_err("400");
        assert_eq!(err.code(), "unknown_scim_type");
        assert_printable(&err.to_string(), 4096);
        assert_printable(&err.message(), 4096);
        assert_printable(err.detail().unwrap_or_default(), 4096);
        assert!(err.to_string().contains("line1 FAKE LOG LINE"), "{err}");
    }

    #[test]
    fn a_huge_oauth_error_code_is_cut_and_made_printable() {
        let (api, login) = (MockServer::start(), MockServer::start());
        let code = format!("invalid_client\u{1b}[0m\n{}", "x".repeat(60_000));
        login.respond_json(
            401,
            &json!({"error": code, "error_description": "no\nsuch\u{1b}client"}),
        );
        let client = Client::builder()
            .base_url(api.url())
            .token_url(format!("{}/oauth/token", login.url()))
            .client_credentials("id", "secret")
            .build()
            .expect("client");
        let err = client.get_scim_v2_user("u1").send().expect_err("refused");
        let Error::Auth(auth) = &err else {
            panic!("expected Error::Auth, got {err:?}")
        };
        assert_printable(auth.error_code.as_deref().unwrap_or_default(), 256);
        assert_printable(&err.to_string(), 1024);
        assert!(err.to_string().contains("no such"), "{err}");
    }
}

mod paging {
    use scim_sdk::Client;
    use scim_sdk_integration_tests::MockServer;
    use serde_json::{Value, json};

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .base_url(server.url())
            .bearer("t")
            .build()
            .expect("client")
    }

    /// A page that does not echo `startIndex`.
    fn page(ids: &[&str], total: Option<usize>) -> Value {
        let users: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "userName": id}))
            .collect();
        match total {
            Some(t) => json!({"totalResults": t, "Resources": users}),
            None => json!({"Resources": users}),
        }
    }

    fn ids(results: &[Result<scim_sdk::models::ScimV2User, scim_sdk::Error>]) -> Vec<String> {
        results
            .iter()
            .map(|r| match r {
                Ok(u) => u.id.clone().unwrap_or_default(),
                Err(e) => format!("error: {e}"),
            })
            .collect()
    }

    #[test]
    fn a_server_repeating_its_first_page_is_an_error_not_duplicates() {
        let server = MockServer::start();
        server.respond_by_default(200, &[], page(&["a", "b"], Some(6)).to_string());
        let results: Vec<_> = client(&server)
            .get_scim_v2_users()
            .count(2)
            .into_items()
            .collect();
        let got = ids(&results);
        assert_eq!(got[..2], ["a", "b"], "{got:?}");
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got[2].contains("same resources as the previous page"),
            "{got:?}"
        );
    }

    #[test]
    fn without_total_results_a_repeating_server_still_ends() {
        let server = MockServer::start();
        server.respond_by_default(200, &[], page(&["a", "b"], None).to_string());
        // `take` keeps an endless iterator from hanging the test.
        let results: Vec<_> = client(&server)
            .get_scim_v2_users()
            .count(2)
            .into_items()
            .take(10)
            .collect();
        assert_eq!(ids(&results).len(), 3, "{:?}", ids(&results));
        assert!(results[2].is_err());
    }

    #[test]
    fn the_page_count_is_capped_with_an_error() {
        let server = MockServer::start();
        for n in 0..4 {
            let id = format!("u{n}");
            server.respond_json(200, &page(&[&id], None));
        }
        let results: Vec<_> = client(&server)
            .get_scim_v2_users()
            .count(1)
            .into_pages()
            .max_pages(3)
            .collect();
        assert_eq!(results.len(), 4);
        assert!(results[..3].iter().all(Result::is_ok));
        let err = results[3].as_ref().expect_err("over the cap");
        assert!(err.to_string().contains("3 pages fetched"), "{err}");
        assert_eq!(server.request_count(), 3);
    }
}

#[test]
fn the_declared_msrv_is_true_and_the_readme_says_the_same() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).expect("Cargo.toml");
    let declared = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|l| l.split('"').next())
        .expect("workspace rust-version");
    let parts: Vec<u32> = declared
        .split('.')
        .map(|p| p.parse().expect("number"))
        .collect();
    // The runtime uses let chains (`if let … && …`), stable since Rust 1.88.
    assert!(
        parts[..2] >= [1, 88][..],
        "rust-version {declared} is below 1.88"
    );
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README");
    assert!(
        readme.contains(&format!("stable, {declared} or newer")),
        "the README must name rust-version {declared}"
    );
}

#[test]
fn the_sdk_readme_names_only_modules_the_sdk_has() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let readme =
        std::fs::read_to_string(format!("{root}/scim-sdk/README.md")).expect("scim-sdk/README.md");
    let lib = std::fs::read_to_string(format!("{root}/scim-sdk/src/lib.rs")).expect("lib.rs");
    for (at, _) in readme.match_indices("scim_sdk::") {
        let name: String = readme[at + "scim_sdk::".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // Lower case names a module; types and constants are checked by the doctests.
        if name.starts_with(|c: char| c.is_ascii_lowercase()) {
            let public = lib
                .lines()
                .filter(|l| l.starts_with("pub mod ") || l.starts_with("pub use "))
                .flat_map(|l| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
                .any(|word| word == name);
            assert!(
                public,
                "scim-sdk/README.md names `scim_sdk::{name}`, which does not exist"
            );
        }
    }
}
