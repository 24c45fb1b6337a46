//! Faults aimed at chosen requests (by method and path), faults that carry
//! a SCIM `scimType`, and the lost answer: a request applied whose answer
//! never arrives.

use std::time::Duration;

use scim_fake::{FakeServer, Fault, Match};
use serde_json::json;

use crate::support::*;

fn title(server: &FakeServer, id: &str) -> Resp {
    patch(
        server,
        &format!("{V2}/users/{id}"),
        json!([{"op": "replace", "path": "title", "value": "Lead"}]),
    )
}

#[test]
fn a_fault_matched_by_method_and_path_spares_every_other_request() {
    let server = FakeServer::start().unwrap();
    let id = id_of(&create_user(&server, "jane@example.com"));
    server.inject_on(
        Match::method("PATCH").path("/users/*"),
        Fault::status(412).times(2),
    );

    // The read before the write, a listing and a group PATCH pass.
    assert_eq!(get(&server, &format!("{V2}/users/{id}")).status, 200);
    assert_eq!(get(&server, &format!("{V2}/users")).status, 200);
    let sales = server.group_id("Sales").unwrap();
    let add = json!([{"op": "add", "path": "members", "value": [{"value": id}]}]);
    assert_eq!(
        patch(&server, &format!("{V2}/groups/{sales}"), add).status,
        200
    );
    // The two user PATCHes are refused, under either prefix, and nothing changed.
    title(&server, &id).assert_error(412, None);
    let v1 = patch(
        &server,
        &format!("{V1}/Users/{id}"),
        json!([{"op": "replace", "path": "title", "value": "Lead"}]),
    );
    v1.assert_error(412, None);
    let jane = get(&server, &format!("{V2}/users/{id}")).json();
    assert_eq!(
        (&jane["title"], &jane["meta"]["version"]),
        (&json!(null), &json!("\"1\""))
    );
    // Spent: the third goes through.
    assert_eq!(title(&server, &id).status, 200);
}

#[test]
fn faults_wait_in_order_for_the_requests_they_match() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    server.inject_on(Match::method("POST"), Fault::status(503));
    server.inject(Fault::status(502));
    // The GET passes over the POST's fault and takes the next one.
    get(&server, &users).assert_error(502, None);
    assert_eq!(get(&server, &users).status, 200);
    let body = json!({"userName": "a@example.com", "displayName": "A"});
    post(&server, &users, &body).assert_error(503, None);
    assert_eq!(post(&server, &users, &body).status, 201);
}

#[test]
fn a_path_pattern_matches_below_the_scim_root_one_segment_per_star() {
    let on = |pattern: &str, method: &str, path: &str| {
        Match::method(method).path(pattern).matches(method, path)
    };
    let id = "/api/v2/scim/v2/users/8f2b";
    assert!(on("/users/*", "PATCH", id));
    assert!(on("/users/*", "PATCH", "/api/v2/scim/Users/8f2b"));
    assert!(on("/users/*", "patch", id), "methods ignore case");
    assert!(!on("/users/*", "PATCH", "/api/v2/scim/v2/users"));
    assert!(!on("/users/*", "PATCH", "/api/v2/scim/v2/users/8f2b/x"));
    assert!(on("/users/**", "PATCH", "/api/v2/scim/v2/users/8f2b/x"));
    assert!(on("/users", "GET", "/api/v2/scim/v2/users"));
    assert!(on("/groups/*", "GET", "/api/v2/scim/v2/groups/g-1"));
    assert!(on("/api/v2/scim/v2/users/*", "GET", id), "a whole path");
    assert!(!on("/api/v2/scim/users/*", "GET", id));
    assert!(on("/users/8f*", "GET", id), "part of a segment");
    assert!(!Match::method("PATCH").matches("GET", id));
    assert!(Match::any().matches("DELETE", id));
    assert!(Match::any().path("/users/*").matches("DELETE", id));
}

#[test]
fn a_fault_carries_a_scim_type_and_detail_as_genesys_sends_them() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    server.inject_on(
        Match::method("POST").path("/users"),
        Fault::status(409).scim_type("uniqueness"),
    );
    server.inject(
        Fault::status(400)
            .scim_type("invalidVers")
            .detail("The version supplied does not match the current version")
            .retry_after(3),
    );
    let body = json!({"userName": "a@example.com", "displayName": "A"});
    let v = post(&server, &users, &body).assert_error(409, Some("uniqueness"));
    assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()), "{v}");
    let r = get(&server, &users);
    let v = r.assert_error(400, Some("invalidVers"));
    assert_eq!(
        v["detail"],
        "The version supplied does not match the current version"
    );
    assert_eq!(r.header("retry-after"), Some("3"));
    assert!(r.header("inin-correlation-id").is_some());
    // Neither reached the store.
    assert_eq!(get(&server, &users).json()["totalResults"], 0);
}

#[test]
fn a_dropped_answer_leaves_the_request_applied() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    server.inject_on(Match::method("POST"), Fault::drop_answer());
    let quick = agent(Duration::from_secs(5));
    let body = json!({"userName": "lost@example.com", "displayName": "Lost"}).to_string();
    let sent = try_send(&quick, &server, "POST", &users, Some(&body), &[]);
    assert!(sent.is_err(), "expected no answer, got {sent:?}");
    // The user exists: the client cannot tell from what it got.
    let list = get(&server, &users).json();
    assert_eq!(list["totalResults"], 1, "{list}");
    assert_eq!(list["Resources"][0]["userName"], "lost@example.com");
    // The next POST of the same user meets the first one.
    post(
        &server,
        &users,
        &json!({"userName": "lost@example.com", "displayName": "Lost"}),
    )
    .assert_error(409, Some("uniqueness"));
}

#[test]
fn constructors_build_the_documented_faults() {
    assert_eq!(
        Fault::status(503).retry_after(2).times(2),
        Fault::Status {
            status: 503,
            retry_after: Some(2),
            count: 2
        }
    );
    assert_eq!(
        Fault::status(500),
        Fault::Status {
            status: 500,
            retry_after: None,
            count: 1
        }
    );
    assert_eq!(
        Fault::html(502),
        Fault::Html {
            status: 502,
            count: 1
        }
    );
    assert_eq!(
        Fault::latency(Duration::from_millis(5)).times(3),
        Fault::Latency {
            delay: Duration::from_millis(5),
            count: 3
        }
    );
    assert_eq!(Fault::stall(), Fault::Stall { count: 1 });
    assert_eq!(Fault::drop_connection(), Fault::DropConnection { count: 1 });
    assert_eq!(Fault::truncated(), Fault::Truncated { count: 1 });
    assert_eq!(Fault::malformed(), Fault::Malformed { count: 1 });
    assert_eq!(
        Fault::oversized(64),
        Fault::Oversized {
            bytes: 64,
            count: 1
        }
    );
    // A fault applied zero times is no fault.
    let server = FakeServer::start().unwrap();
    server.inject(Fault::status(503).times(0));
    assert_eq!(get(&server, &format!("{V2}/users")).status, 200);
}
