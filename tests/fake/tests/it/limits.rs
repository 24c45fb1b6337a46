//! Emulated server behaviour a client has to pace itself against: the
//! per-token rate limit and a per-request service time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use scim_fake::{FakeServer, Fault};

use crate::support::*;

fn rate_headers(r: &Resp) -> (Option<&str>, Option<&str>, Option<u64>) {
    (
        r.header("inin-ratelimit-allowed"),
        r.header("inin-ratelimit-count"),
        r.header("inin-ratelimit-reset")
            .and_then(|v| v.parse().ok()),
    )
}

#[test]
fn each_token_gets_its_limit_per_window_then_429_with_retry_after() {
    let server = FakeServer::builder()
        .rate_limit(3)
        .rate_limit_window(Duration::from_secs(1))
        .start()
        .unwrap();
    let users = format!("{V2}/users");
    for n in ["1", "2", "3"] {
        let r = get(&server, &users);
        assert_eq!(r.status, 200, "{}", r.body);
        let (allowed, count, reset) = rate_headers(&r);
        assert_eq!((allowed, count), (Some("3"), Some(n)));
        assert_eq!(reset, Some(1));
    }
    let r = get(&server, &users);
    r.assert_error(429, None);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(rate_headers(&r), (Some("3"), Some("3"), Some(1)));

    // Another token has a window of its own; the token endpoint is not limited.
    let token = issued_token(&server);
    let bearer = format!("Bearer {token}");
    let r = send(&server, "GET", &users, None, &[("Authorization", &bearer)]);
    assert_eq!(rate_headers(&r).1, Some("1"));

    // After Retry-After the first token may go on.
    std::thread::sleep(Duration::from_millis(1_100));
    let r = get(&server, &users);
    assert_eq!(r.status, 200);
    assert_eq!(rate_headers(&r).1, Some("1"));
}

fn issued_token(server: &FakeServer) -> String {
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        server.client_id(),
        server.client_secret()
    ));
    let r = send(
        server,
        "POST",
        "/oauth/token",
        Some("grant_type=client_credentials"),
        &[
            ("Authorization", &format!("Basic {basic}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["access_token"].as_str().unwrap().to_string()
}

#[test]
fn without_a_limit_no_rate_headers_are_sent() {
    let server = FakeServer::start().unwrap();
    for _ in 0..5 {
        let r = get(&server, &format!("{V2}/users"));
        assert_eq!(r.status, 200);
        assert_eq!(rate_headers(&r), (None, None, None));
    }
}

#[test]
fn the_headers_can_be_left_out_as_genesys_does_today() {
    let server = FakeServer::builder()
        .rate_limit(1)
        .rate_limit_headers(false)
        .start()
        .unwrap();
    let users = format!("{V2}/users");
    assert_eq!(rate_headers(&get(&server, &users)), (None, None, None));
    let r = get(&server, &users);
    r.assert_error(429, None);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(rate_headers(&r), (None, None, None));
}

#[test]
fn service_time_consumes_no_fault_and_serves_clients_in_parallel() {
    let server = FakeServer::builder()
        .service_time(Duration::from_millis(500))
        .start()
        .unwrap();
    let users = format!("{V2}/users");
    server.inject(Fault::Status {
        status: 503,
        retry_after: None,
        count: 1,
    });
    get(&server, &users).assert_error(503, None);
    assert_eq!(get(&server, &users).status, 200);

    // Eight clients at once: all eight requests are in service together,
    // none waits for another to be answered.
    server.clear_journal();
    let answered = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                assert_eq!(get(&server, &users).status, 200);
                answered.fetch_add(1, Ordering::SeqCst);
            });
        }
        let give_up = Instant::now() + Duration::from_secs(10);
        while server.journal().len() < 8 && Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(server.journal().len(), 8);
        assert_eq!(answered.load(Ordering::SeqCst), 0);
    });
    assert_eq!(answered.load(Ordering::SeqCst), 8);
}
