//! The fake's parsers: filters, PATCH paths and bodies, and the HTTP reader.

use scim_fake::fuzzing::{Expr, Fake, GROUP_ID, USER_ID, exercise_filter, parse_filter};
use serde_json::{Value, json};

/// Runs `data`, as text, through everything the fake does with a filter.
/// Wherever serde_json reads the text as the inside of a JSON string, the
/// fake reads the same value from a quoted filter value (RFC 7644 takes
/// JSON's string rules).
///
/// ```
/// scim_fuzz_checks::fake_filter(br#"externalIds[authority eq "hr" and value eq "\u00e9"]"#);
/// ```
pub fn fake_filter(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        exercise_filter(text);
        let quoted = format!("\"{text}\"");
        if let Ok(value) = serde_json::from_str::<String>(&quoted)
            && quoted.len() < 4000
        {
            let filter = format!("userName eq {quoted}");
            assert_eq!(
                parse_filter(&filter),
                Ok(Expr::Eq("userName".into(), Value::String(value))),
                "{filter}"
            );
        }
        // The same text as a list query, through the HTTP layer's decoding.
        let fake = Fake::new();
        let target = format!("/api/v2/scim/v2/users?filter={}", query_escape(text));
        let (status, _) = fake.request("GET", &target, b"");
        assert!(
            status == 200 || status == 400 || status == 403,
            "a filter got {status}: {text:?}"
        );
    }
}

/// PATCHes the fake's user (first byte even) or group (odd). The rest of
/// `data` is a whole PATCH body if it is JSON, else a path tried with each
/// operation and a few values. Every answer is 200 or a 4xx; a refused
/// PATCH changes nothing, and an accepted one is what a GET then returns.
///
/// ```
/// scim_fuzz_checks::fake_patch(b"\x00emails[type eq \"work\"].value");
/// ```
pub fn fake_patch(data: &[u8]) {
    let [which, rest @ ..] = data else {
        return;
    };
    let target = if which % 2 == 0 {
        format!("/api/v2/scim/v2/users/{USER_ID}")
    } else {
        format!("/api/v2/scim/v2/groups/{GROUP_ID}")
    };
    let fake = Fake::new();
    if serde_json::from_slice::<Value>(rest).is_ok() {
        patch_and_check(&fake, &target, rest);
        return;
    }
    let Ok(path) = std::str::from_utf8(rest) else {
        return;
    };
    let values = [
        json!("x@example.com"),
        json!({"value": "x@example.com", "type": "work", "display": "X"}),
        json!([{"value": USER_ID}]),
        json!(true),
        Value::Null,
    ];
    for op in ["add", "replace", "remove"] {
        for value in &values {
            let body = json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": op, "path": path, "value": value}],
            });
            patch_and_check(&fake, &target, body.to_string().as_bytes());
        }
    }
}

fn patch_and_check(fake: &Fake, target: &str, body: &[u8]) {
    let (_, before) = fake.request("GET", target, b"");
    let (status, answer) = fake.request("PATCH", target, body);
    let (_, after) = fake.request("GET", target, b"");
    let json = |b: &[u8]| serde_json::from_slice::<Value>(b).ok();
    let body_text = String::from_utf8_lossy(body);
    match status {
        200 => assert_eq!(
            json(&answer),
            json(&after),
            "a GET after PATCH {body_text} differs from the PATCH's answer"
        ),
        400..=499 => assert_eq!(
            json(&before),
            json(&after),
            "PATCH {body_text} was refused with {status} but changed the resource"
        ),
        _ => panic!("PATCH {body_text} got {status}"),
    }
}

/// Feeds `data` to the fake's HTTP reader as bytes from a socket, and each
/// request it reads to the server. Nothing panics, and the only answer in
/// the 5xx range is 501 (an unsupported transfer coding).
///
/// ```
/// scim_fuzz_checks::fake_http(b"GET /api/v2/scim/v2/users HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
/// ```
pub fn fake_http(data: &[u8]) {
    let statuses = Fake::new().serve_bytes(data);
    for status in statuses {
        assert!(
            (100..500).contains(&status) || status == 501,
            "the fake answered {status}"
        );
    }
}

/// Percent-encodes everything but unreserved characters, as a client would.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
