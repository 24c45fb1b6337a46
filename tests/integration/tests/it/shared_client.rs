//! One `Client` shared by many threads: every call lands once, and the
//! threads reuse their connections instead of opening one per call.

use scim_sdk::Client;
use scim_sdk::models::ScimV2CreateUser;
use scim_sdk_integration_tests::fake::{ok, start};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

#[test]
fn eight_threads_sharing_a_client_create_every_user_once() {
    let (server, client) = start();
    std::thread::scope(|s| {
        for t in 0..8 {
            let client = &client;
            s.spawn(move || {
                for i in 0..25 {
                    let name = format!("t{t}-{i}@example.com");
                    ok(client
                        .post_scim_v2_users(ScimV2CreateUser::new(&name, &name))
                        .send());
                }
            });
        }
    });
    assert_eq!(client.requests_sent(), 200);
    let posts: HashSet<Vec<u8>> = server
        .journal()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.body)
        .collect();
    assert_eq!(posts.len(), 200, "200 distinct creates reached the server");
    let page = ok(client.get_scim_v2_users().count(0).send());
    assert_eq!(page.total_results, Some(200));
}

/// A loopback server that answers every request with the same user after
/// `delay`, counting the connections it accepts.
fn counting_server(delay: Duration) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let body = r#"{"id":"u1","userName":"a@example.com"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if line == "\r\n" {
                        std::thread::sleep(delay);
                        if (&stream).write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                    line.clear();
                }
            });
        }
    });
    (url, accepted)
}

#[test]
fn threads_sharing_a_client_reuse_their_connections() {
    let (url, accepted) = counting_server(Duration::from_millis(50));
    let client = Client::builder()
        .base_url(url)
        .bearer("t")
        .build()
        .expect("client");
    let barrier = Barrier::new(8);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..3 {
                    // All eight calls of a round are in flight together.
                    barrier.wait();
                    ok(client.get_scim_v2_user("u1").send());
                }
            });
        }
    });
    assert_eq!(client.requests_sent(), 24);
    let opened = accepted.load(Ordering::SeqCst);
    assert!(
        opened <= 8,
        "{opened} connections for 3 rounds of 8 concurrent calls: idle ones were dropped"
    );
}
