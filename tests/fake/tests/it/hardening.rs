//! A fake that cannot be crashed or exhausted: nesting and length limits on
//! filters, a body cap checked before reading, request timeouts, bounded
//! connections, journal and tokens; and the RFC 7644 details Genesys shares
//! (JSON escapes in filters, raw Basic credentials, capitalised resource
//! names).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use scim_fake::FakeServer;
use serde_json::json;

use crate::support::*;

/// Writes `bytes` on a fresh connection and returns everything the server
/// sends back before it closes (or before 5 s pass).
fn raw(server: &FakeServer, bytes: &[u8]) -> String {
    let addr = server.base_url().trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(bytes).expect("write");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(answer: &str) -> Option<u16> {
    answer.split(' ').nth(1)?.parse().ok()
}

#[test]
fn deeply_nested_filters_are_refused_without_harm() {
    let server = FakeServer::start().unwrap();
    let deep = format!("{}userName eq \"a\"{}", "(".repeat(700), ")".repeat(700));
    let r = get(&server, &format!("{V2}/users?filter={}", encode(&deep)));
    let body = r.assert_error(400, Some("invalidFilter"));
    assert!(body["detail"].as_str().unwrap().contains("nest"), "{body}");

    let long = format!("userName eq \"{}\"", "x".repeat(5_000));
    let r = get(&server, &format!("{V2}/users?filter={}", encode(&long)));
    r.assert_error(400, Some("invalidFilter"));

    let user = create_user(&server, "nested@example.com");
    let path = format!(
        "emails[{}type eq \"work\"{}].value",
        "(".repeat(700),
        ")".repeat(700)
    );
    let r = patch(
        &server,
        &format!("{V2}/users/{}", id_of(&user)),
        json!([{"op": "replace", "path": path, "value": "x@example.com"}]),
    );
    r.assert_error(400, Some("invalidPath"));

    // The server is still there and the user unchanged.
    let r = get(&server, &format!("{V2}/users/{}", id_of(&user)));
    assert_eq!(r.json()["meta"]["version"], "\"1\"");
}

#[test]
fn an_oversized_body_is_refused_before_it_is_read_or_recorded() {
    let server = FakeServer::start().unwrap();
    // The head announces 64 MiB and no body follows: the answer must come
    // from the announcement alone, without authentication.
    let answer = raw(
        &server,
        format!(
            "POST {V2}/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/scim+json\r\n\
             Content-Length: {}\r\n\r\n",
            64 << 20
        )
        .as_bytes(),
    );
    assert_eq!(status_of(&answer), Some(413), "{answer}");
    assert!(answer.contains("Connection: close"), "{answer}");
    assert!(server.journal().is_empty());

    // The cap is configurable, and chunked bodies count too.
    let small = FakeServer::builder().max_body_bytes(100).start().unwrap();
    let chunk = "x".repeat(150);
    let answer = raw(
        &small,
        format!(
            "POST {V2}/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
            chunk.len()
        )
        .as_bytes(),
    );
    assert_eq!(status_of(&answer), Some(413), "{answer}");
}

#[test]
fn a_chunked_body_is_read() {
    let server = FakeServer::start().unwrap();
    let body = json!({"userName": "chunked@example.com", "displayName": "C"}).to_string();
    let (a, b) = body.split_at(10);
    let answer = raw(
        &server,
        format!(
            "POST {V2}/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
             {:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n",
            server.token(),
            a.len(),
            b.len()
        )
        .as_bytes(),
    );
    assert_eq!(status_of(&answer), Some(201), "{answer}");
    assert_eq!(server.journal()[0].body, body.as_bytes());
}

#[test]
fn stalled_uploads_time_out_and_do_not_starve_other_clients() {
    let server = FakeServer::builder()
        .timeouts(Duration::from_secs(60), Duration::from_millis(300))
        .start()
        .unwrap();
    let addr = server.base_url().trim_start_matches("http://").to_string();
    // More stalled uploads than the old fake had workers.
    let stalled: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(
                format!("POST {V2}/users HTTP/1.1\r\nContent-Length: 100\r\n\r\n{{").as_bytes(),
            )
            .unwrap();
            s
        })
        .collect();
    // Other clients are still served.
    assert_eq!(get(&server, &format!("{V2}/users")).status, 200);
    // Each stalled upload gets 408 and is closed.
    for mut s in stalled {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert_eq!(status_of(&answer), Some(408), "{answer}");
    }
}

#[test]
fn idle_connections_are_bounded_and_make_way_for_new_ones() {
    let server = FakeServer::builder().max_connections(8).start().unwrap();
    let addr = server.base_url().trim_start_matches("http://").to_string();
    let idle: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    // A real client is served although every slot was taken by idle ones.
    assert_eq!(get(&server, &format!("{V2}/users")).status, 200);
    assert!(
        server.open_connections() <= 8,
        "{} connections open",
        server.open_connections()
    );
    drop(idle);
}

#[test]
fn the_journal_keeps_only_the_latest_requests() {
    let server = FakeServer::builder()
        .journal_limit(3, 1 << 20)
        .start()
        .unwrap();
    for i in 0..5 {
        get(&server, &format!("{V2}/users?count={i}"));
    }
    let queries: Vec<String> = server
        .journal()
        .into_iter()
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(queries, ["count=2", "count=3", "count=4"]);
}

#[test]
fn expired_tokens_are_forgotten() {
    let server = FakeServer::builder()
        .token_lifetime(Duration::ZERO)
        .start()
        .unwrap();
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", server.client_id(), server.client_secret()))
    );
    for _ in 0..5 {
        let r = send(
            &server,
            "POST",
            "/oauth/token",
            Some("grant_type=client_credentials"),
            &[
                ("Authorization", &basic),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert!(server.issued_tokens() <= 1, "{}", server.issued_tokens());
}

#[test]
fn filter_strings_follow_json_escapes() {
    let server = FakeServer::start().unwrap();
    for name in ["new\nline@x", "tab\there@x", "quote\"d@x", "caf\u{e9}@x"] {
        server.seed_user(json!({"userName": name, "displayName": "E"}));
    }
    for (filter, expected) in [
        (r#"userName eq "new\nline@x""#, "new\nline@x"),
        (r#"userName eq "tab\u0009here@x""#, "tab\there@x"),
        (r#"userName eq "quote\"d@x""#, "quote\"d@x"),
        (r#"userName eq "caf\u00e9@x""#, "caf\u{e9}@x"),
    ] {
        let r = get(&server, &format!("{V2}/users?filter={}", encode(filter)));
        assert_eq!(r.status, 200, "{filter}: {}", r.body);
        assert_eq!(r.json()["Resources"][0]["userName"], expected, "{filter}");
    }
    let r = get(
        &server,
        &format!("{V2}/users?filter={}", encode(r#"userName eq "\x""#)),
    );
    r.assert_error(400, Some("invalidFilter"));
}

#[test]
fn basic_credentials_are_compared_raw() {
    let server = FakeServer::builder()
        .client_credentials("id+1", "se+cr%41et")
        .start()
        .unwrap();
    let auth =
        |id: &str, secret: &str| format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
    let token = |a: &str| {
        send(
            &server,
            "POST",
            "/oauth/token",
            Some("grant_type=client_credentials"),
            &[
                ("Authorization", a),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
        )
        .status
    };
    assert_eq!(token(&auth("id+1", "se+cr%41et")), 200);
    // The form-decoded spellings are different credentials.
    assert_eq!(token(&auth("id 1", "se crAet")), 401);
}

#[test]
fn resource_names_match_ignoring_case() {
    let server = FakeServer::start().unwrap();
    let user = create_user(&server, "caps@example.com");
    let id = id_of(&user);
    for path in [
        format!("{V2}/Users"),
        format!("{V2}/Users/{id}"),
        format!("{V2}/Groups?filter={}", encode("displayName eq \"Sales\"")),
        format!("{V2}/ResourceTypes"),
        format!("{V2}/ResourceTypes/User"),
        format!("{V2}/Schemas"),
        format!("{V2}/ServiceProviderConfig"),
        format!("{V1}/USERS/{id}"),
    ] {
        let r = get(&server, &path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    let r = patch(
        &server,
        &format!("{V2}/Users/{id}"),
        json!([{"op": "replace", "path": "title", "value": "Lead"}]),
    );
    assert_eq!(r.json()["title"], "Lead");
    // Only resource names are case-insensitive; ids are not.
    assert_eq!(
        get(&server, &format!("{V2}/Users/{}", id.to_uppercase())).status,
        404
    );
}

#[test]
fn a_keep_alive_connection_serves_many_requests() {
    let server = FakeServer::start().unwrap();
    let agent = agent(Duration::from_secs(5));
    for _ in 0..20 {
        let r = try_send(
            &agent,
            &server,
            "GET",
            &format!("{V2}/users?count=25"),
            None,
            &[],
        )
        .unwrap();
        assert_eq!(r.status, 200);
    }
    assert_eq!(server.open_connections(), 1);
}

#[test]
fn malformed_requests_get_an_answer() {
    let server = FakeServer::start().unwrap();
    let answer = raw(&server, b"THIS IS NOT HTTP\r\n\r\n");
    assert_eq!(status_of(&answer), Some(400), "{answer}");
    let many: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let answer = raw(&server, format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes());
    assert_eq!(status_of(&answer), Some(431), "{answer}");
    assert_eq!(get(&server, &format!("{V2}/users")).status, 200);
}
