//! Entry points for the fuzz targets in the repository's `fuzz/` directory.
//!
//! **Not part of the API.** This module is hidden from the documentation,
//! exempt from semver and may change with the fuzz targets at any time. Each
//! item is a thin wrapper that lets a fuzzer reach one of the fake's private
//! parsers (filters, PATCH paths, the HTTP request reader) without a socket,
//! running the same code a request over the network runs.

use std::io::{self, BufReader};
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::conn;
use crate::filter::{self, Filter, Literal};
use crate::http::{Limits, Outcome, Request};
use crate::record::{self, Record};
use crate::service::{self, State};
use crate::store::{self, Store};

/// A parsed filter expression, in a shape that can be compared.
///
/// ```
/// use scim_fake::fuzzing::{Expr, parse_filter};
/// let expr = parse_filter(r#"userName eq "a\"b""#);
/// assert_eq!(expr, Ok(Expr::Eq("userName".into(), "a\"b".into())));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Terms joined by `and`.
    And(Vec<Expr>),
    /// `attr eq value`: the value is a JSON string, boolean or null. A bare
    /// word (a number, say) is a string.
    Eq(String, Value),
    /// `attr[inner]`.
    ValuePath(String, Box<Expr>),
}

impl From<Filter> for Expr {
    fn from(f: Filter) -> Expr {
        match f {
            Filter::And(terms) => Expr::And(terms.into_iter().map(Expr::from).collect()),
            Filter::Eq(attr, Literal::Str(s)) => Expr::Eq(attr, Value::String(s)),
            Filter::Eq(attr, Literal::Bool(b)) => Expr::Eq(attr, Value::Bool(b)),
            Filter::Eq(attr, Literal::Null) => Expr::Eq(attr, Value::Null),
            Filter::Complex(attr, inner) => Expr::ValuePath(attr, Box::new(Expr::from(*inner))),
        }
    }
}

/// Parses a filter as the list endpoints and PATCH value paths do.
///
/// ```
/// assert!(scim_fake::fuzzing::parse_filter("userName co x").is_err());
/// ```
///
/// # Errors
/// The reason the fake would answer `400 invalidFilter`.
pub fn parse_filter(text: &str) -> Result<Expr, String> {
    filter::parse(text).map(Expr::from)
}

/// Longest filter the fake accepts, in bytes.
pub const MAX_FILTER_LEN: usize = filter::MAX_LEN;

/// Runs a filter through everything the server does with one: parsing,
/// compiling it for users and for groups, and matching it against a few
/// multi-valued elements. Returns whether it parsed.
///
/// ```
/// assert!(scim_fake::fuzzing::exercise_filter(r#"emails[type eq "work"]"#));
/// assert!(!scim_fake::fuzzing::exercise_filter("(("));
/// ```
pub fn exercise_filter(text: &str) -> bool {
    let Ok(f) = filter::parse(text) else {
        return false;
    };
    let _ = filter::compile_user(&f);
    let _ = filter::compile_group(&f);
    let elements = [
        json!({"value": "a@example.com", "type": "work", "primary": true}),
        json!({"value": 7, "display": null}),
        json!("not an object"),
    ];
    for e in &elements {
        filter::matches_element(&f, e);
    }
    let _ = filter::eq_pairs(&f);
    true
}

/// Id of the user every [`Fake`] starts with.
pub const USER_ID: &str = "fuzz-user";
/// Id of the group every [`Fake`] starts with; [`USER_ID`] is its member.
pub const GROUP_ID: &str = "fuzz-group";
/// The bearer token a [`Fake`] accepts.
pub const TOKEN: &str = "fake-token";

/// A fake server without a socket: requests go straight to the code that
/// answers them.
///
/// ```
/// use scim_fake::fuzzing::{Fake, USER_ID};
/// let fake = Fake::new();
/// let (status, body) = fake.request("GET", &format!("/api/v2/scim/v2/users/{USER_ID}"), &[]);
/// assert_eq!(status, 200);
/// assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
/// ```
pub struct Fake {
    state: State,
}

impl Default for Fake {
    fn default() -> Self {
        Fake::new()
    }
}

impl Fake {
    /// A fake holding one user and one group with that user as member.
    ///
    /// ```
    /// let _fake = scim_fake::fuzzing::Fake::new();
    /// ```
    pub fn new() -> Fake {
        let mut store = Store::default();
        let user = json!({
            "schemas": store::default_user_schemas(),
            "userName": "fuzz@example.com",
            "displayName": "Fuzz",
            "active": true,
            "emails": [{"value": "fuzz@example.com", "type": "work", "primary": true}],
            "phoneNumbers": [{"value": "+15550100", "type": "work"}],
        });
        let group = json!({
            "schemas": store::default_group_schemas(),
            "displayName": "Fuzzers",
            "members": [{"value": USER_ID}],
        });
        store.put_user(record(USER_ID, user));
        store.put_group(record(GROUP_ID, group));
        let cfg = Config {
            token: TOKEN.into(),
            ..Config::default()
        };
        let state = State::new(cfg, "http://fuzz".into(), record::now_rfc3339(), store);
        Fake { state }
    }

    /// Sends one authorised request (`target` is the path and query, still
    /// percent-encoded) and returns the status and body of the answer.
    ///
    /// ```
    /// let fake = scim_fake::fuzzing::Fake::new();
    /// let (status, _) = fake.request("DELETE", "/api/v2/scim/v2/users/nobody", &[]);
    /// assert_eq!(status, 404);
    /// ```
    pub fn request(&self, method: &str, target: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let request = Request {
            method: method.into(),
            target: target.into(),
            headers: vec![
                ("Authorization".into(), format!("Bearer {TOKEN}")),
                ("Content-Type".into(), "application/scim+json".into()),
            ],
            body: body.to_vec(),
            close: false,
        };
        match service::handle(&self.state, request) {
            Outcome::Reply(reply) => {
                let body = reply.body.map(|(b, _)| b).unwrap_or_default();
                (reply.status, body)
            }
            _ => (0, Vec::new()),
        }
    }

    /// Reads requests from `wire` as from a socket, answering each as the
    /// server would (the answers are written, then dropped), until the
    /// bytes run out or the reader gives up; returns the status of every
    /// answer, the reader's refusal included.
    ///
    /// ```
    /// let fake = scim_fake::fuzzing::Fake::new();
    /// let statuses = fake.serve_bytes(b"GET /api/v2/scim/v2/users HTTP/1.1\r\n\r\nBAD\r\n\r\n");
    /// assert_eq!(statuses, [401, 400]);
    /// ```
    pub fn serve_bytes(&self, wire: &[u8]) -> Vec<u16> {
        let limits = Limits {
            max_body: 64 * 1024,
            idle: Duration::from_secs(1),
            request: Duration::from_secs(1),
        };
        // A small buffer, so that heads and bodies straddle refills.
        let mut reader = BufReader::with_capacity(256, wire);
        let mut statuses = Vec::new();
        loop {
            // Panics are not caught here, unlike on a socket: the fuzzer
            // must see them.
            let step = conn::serve_one(
                &mut reader,
                io::sink(),
                &self.state,
                &limits,
                &|_| {},
                service::handle,
            );
            statuses.extend(step.status);
            if !step.open {
                return statuses;
            }
        }
    }
}

fn record(id: &str, data: Value) -> Record {
    let data = match data {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    Record::new(id.into(), data, None)
}
