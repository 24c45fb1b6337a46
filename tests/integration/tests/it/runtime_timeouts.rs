//! Time-outs over loopback: a server that accepts and never answers, and one
//! that stops in the middle of the body.

use scim_sdk::models::ScimV2CreateUser;
use scim_sdk::{Client, Error, RetryPolicy};
use scim_sdk_integration_tests::MockServer;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const BOUND: Duration = Duration::from_millis(400);
/// Allowance for thread scheduling on a loaded machine.
const MARGIN: Duration = Duration::from_millis(600);

fn client(url: String, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(url)
        .bearer("t")
        .connect_timeout(Duration::from_millis(200))
        .timeout(BOUND)
        .retry(policy)
        .build()
        .expect("client")
}

#[test]
fn a_server_that_never_answers_times_out_within_the_bound() {
    let server = MockServer::start();
    server.stall(Duration::from_secs(3));
    let client = client(server.url(), RetryPolicy::disabled());

    let started = Instant::now();
    let err = client.get_scim_v2_user("u1").send().expect_err("no answer");
    let elapsed = started.elapsed();

    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(elapsed >= BOUND - Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < BOUND + MARGIN, "took {elapsed:?}");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(err.code(), "timeout");
    assert!(
        err.to_string().starts_with(
            "getScimV2User: timed out: no complete answer within the per-attempt time limit"
        ),
        "{err}"
    );
}

#[test]
fn a_stalled_get_is_retried_and_each_attempt_is_bounded() {
    let server = MockServer::start();
    server.stall(Duration::from_secs(3));
    server.stall(Duration::from_secs(3));
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .base_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(1));
    let client = client(server.url(), policy);

    let started = Instant::now();
    let err = client.get_scim_v2_user("u1").send().expect_err("no answer");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.attempts(), Some(2));
    assert!(
        started.elapsed() < BOUND * 2 + MARGIN,
        "{:?}",
        started.elapsed()
    );
    assert!(err.to_string().ends_with("(after 2 attempts)"), "{err}");
}

#[test]
fn a_stalled_post_is_not_retried() {
    let server = MockServer::start();
    server.stall(Duration::from_secs(3));
    let client = client(server.url(), RetryPolicy::default());
    let err = client
        .post_scim_v2_users(ScimV2CreateUser::new("jane@example.com", "Jane"))
        .send()
        .expect_err("no answer");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(
        err.attempts(),
        Some(1),
        "the server may have created the user"
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_body_that_stops_midway_times_out() {
    // Sends the head and the start of a body, then nothing.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 500\r\n\r\n{\"id\":\"u1\",",
            );
            let _ = stream.flush();
            std::thread::sleep(BOUND + Duration::from_millis(300));
        }
    });
    let client = client(url, RetryPolicy::disabled());

    let started = Instant::now();
    let err = client
        .get_scim_v2_user("u1")
        .send()
        .expect_err("body never completes");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        started.elapsed() < BOUND + MARGIN,
        "{:?}",
        started.elapsed()
    );
    let _ = server.join();
}

#[test]
fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let server = std::thread::spawn(move || {
        // Two connections: the first try and the one retry of a GET.
        for _ in 0..2 {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                drop(stream);
            }
        }
    });
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .base_backoff(Duration::from_millis(1));
    let client = client(url, policy);
    let err = client.get_scim_v2_user("u1").send().expect_err("closed");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), Some(2));
    assert!(
        err.to_string()
            .starts_with("getScimV2User: connection failed:"),
        "{err}"
    );
    let _ = server.join();
}
