//! Enterprise networking (issue 9, item 17): explicit and environment
//! proxies, loopback never proxied, extra root certificates. Everything runs
//! on loopback: the "remote" host is only ever named in a CONNECT line sent
//! to a proxy that listens on 127.0.0.1 and refuses it.

use scim_sdk::{Client, Error, RetryPolicy};
use scim_sdk_integration_tests::MockServer;
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A proxy on loopback that records the first line of each connection and
/// refuses every tunnel with 403.
struct RecordingProxy {
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&lines);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut first = String::new();
                let _ = BufReader::new(&mut stream).read_line(&mut first);
                seen.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(first.trim_end().to_owned());
                let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            }
        });
        RecordingProxy { url, lines }
    }

    fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn user() -> serde_json::Value {
    json!({"id": "u1", "userName": "jane@example.com"})
}

#[test]
fn loopback_is_never_sent_through_an_explicit_proxy() {
    let proxy = RecordingProxy::start();
    let (api, login) = (MockServer::start(), MockServer::start());
    login.respond_json(200, &json!({"access_token": "tok", "expires_in": 3600}));
    api.respond_json(200, &user());
    let client = Client::builder()
        .proxy(&proxy.url)
        .base_url(api.url())
        .token_url(format!("{}/oauth/token", login.url()))
        .client_credentials("id", "secret")
        .build()
        .expect("client");
    client
        .get_scim_v2_user("u1")
        .send()
        .expect("reached directly");
    assert_eq!(login.request_count(), 1);
    assert_eq!(proxy.lines(), Vec::<String>::new());
}

#[test]
fn a_remote_host_is_reached_through_the_proxy_with_connect() {
    let proxy = RecordingProxy::start();
    let client = Client::builder()
        .proxy(&proxy.url)
        .base_url("https://api.mypurecloud.com")
        .bearer("t")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let err = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("the proxy refuses");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(proxy.lines(), ["CONNECT api.mypurecloud.com:443 HTTP/1.1"]);
}

#[test]
fn with_mixed_hosts_only_the_remote_one_goes_through_the_proxy() {
    let proxy = RecordingProxy::start();
    let login = MockServer::start();
    login.respond_json(200, &json!({"access_token": "tok", "expires_in": 3600}));
    let client = Client::builder()
        .proxy(&proxy.url)
        .base_url("https://api.mypurecloud.com")
        .token_url(format!("{}/oauth/token", login.url()))
        .client_credentials("id", "secret")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let err = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("the proxy refuses");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        login.request_count(),
        1,
        "the loopback token URL was reached directly"
    );
    assert_eq!(proxy.lines(), ["CONNECT api.mypurecloud.com:443 HTTP/1.1"]);
}

/// Run by `an_environment_proxy_is_bypassed_for_loopback` in a child
/// process whose environment names a proxy (tests cannot change their own
/// environment without `unsafe`).
#[test]
#[ignore = "run as a child process by an_environment_proxy_is_bypassed_for_loopback"]
fn child_calls_a_loopback_api_under_an_environment_proxy() {
    let url = std::env::var("SCIM_TEST_API_URL").expect("started by the parent test");
    let client = Client::builder()
        .base_url(url)
        .bearer("t")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    client
        .get_scim_v2_user("u1")
        .send()
        .expect("reached directly");
}

#[test]
fn an_environment_proxy_is_bypassed_for_loopback() {
    let proxy = RecordingProxy::start();
    let api = MockServer::start();
    api.respond_json(200, &user());
    let status = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "network::child_calls_a_loopback_api_under_an_environment_proxy",
            "--ignored",
            "--quiet",
        ])
        .env("SCIM_TEST_API_URL", api.url())
        .env("HTTP_PROXY", &proxy.url)
        .env("HTTPS_PROXY", &proxy.url)
        .env("ALL_PROXY", &proxy.url)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("child runs");
    assert!(status.success(), "the child's call failed");
    assert_eq!(api.request_count(), 1);
    assert_eq!(proxy.lines(), Vec::<String>::new());
}

#[test]
fn an_unusable_proxy_url_is_a_build_error() {
    for (url, why) in [
        ("http://proxy:notaport", "proxy URL"),
        ("socks5://proxy.corp.example:1080", "not supported"),
    ] {
        let err = Client::builder()
            .proxy(url)
            .bearer("t")
            .build()
            .expect_err(url);
        assert!(err.to_string().contains(why), "{url}: {err}");
    }
    let builder = Client::builder().proxy("http://user:hunter2@proxy.corp.example:3128");
    assert!(!format!("{builder:?}").contains("hunter2"));
}

mod tls {
    use super::*;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    const CA: &str = include_str!("data/test-ca.pem");
    const SERVER_CERT: &str = include_str!("data/test-server.pem");
    const SERVER_KEY: &str = include_str!("data/test-server.key");

    /// An HTTPS server on 127.0.0.1 with a certificate from the test CA;
    /// it answers one request per connection.
    fn https_server() -> String {
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(SERVER_CERT.as_bytes())
                .collect::<Result<_, _>>()
                .expect("certificate");
        let key = PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).expect("key");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("server config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("https://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let body = user().to_string();
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        });
        url
    }

    fn client(url: &str, ca: Option<&str>) -> Result<Client, Error> {
        let mut builder = Client::builder()
            .base_url(url)
            .bearer("t")
            .retry(RetryPolicy::disabled());
        if let Some(pem) = ca {
            builder = builder.root_certificates_pem(pem);
        }
        builder.build()
    }

    #[test]
    fn a_private_ca_is_refused_by_default_and_trusted_when_added() {
        let url = https_server();
        let err = client(&url, None)
            .expect("client")
            .get_scim_v2_user("u1")
            .send()
            .expect_err("unknown issuer");
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert!(
            err.to_string().to_lowercase().contains("certificate"),
            "{err}"
        );

        let user = client(&url, Some(CA))
            .expect("client")
            .get_scim_v2_user("u1")
            .send()
            .expect("the added CA is trusted");
        assert_eq!(user.id.as_deref(), Some("u1"));
    }

    #[test]
    fn unusable_root_certificates_are_a_clear_build_error() {
        let garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        for (pem, why) in [
            (
                "not a certificate at all",
                "no `-----BEGIN CERTIFICATE-----` block",
            ),
            (garbage, "not a usable CA certificate"),
            (SERVER_KEY, "private key"),
        ] {
            let err = client("https://api.mypurecloud.com", Some(pem)).expect_err(why);
            assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
            assert!(err.to_string().contains(why), "{err}");
            assert!(
                err.to_string().contains("root certificates (PEM #1)"),
                "{err}"
            );
        }
    }
}

mod time_limits {
    use super::*;
    use std::time::Instant;

    const BOUND: Duration = Duration::from_millis(400);

    #[test]
    fn a_body_dripping_one_byte_every_100_ms_times_out_in_about_the_attempt_time() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{",
            );
            // 1,000 bytes at 10 per second would take 100 s.
            for _ in 0..60 {
                std::thread::sleep(Duration::from_millis(100));
                if stream.write_all(b" ").is_err() {
                    return;
                }
            }
        });
        let client = Client::builder()
            .base_url(url)
            .bearer("t")
            .timeout(BOUND)
            .retry(RetryPolicy::disabled())
            .build()
            .expect("client");
        let started = Instant::now();
        let err = client
            .get_scim_v2_user("u1")
            .send()
            .expect_err("never completes");
        let elapsed = started.elapsed();
        assert!(matches!(err, Error::Timeout(_)), "{err:?}");
        assert!(err.to_string().contains("per-attempt time limit"), "{err}");
        // Not the 100 s the drip would take: a generous bound for busy machines.
        assert!(elapsed < BOUND * 4, "took {elapsed:?}");
        let _ = server.join();
    }
}
