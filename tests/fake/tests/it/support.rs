//! Shared HTTP helpers for the integration tests (ureq 3, real sockets).

use std::time::Duration;

use scim_fake::FakeServer;
use serde_json::Value;

pub const V2: &str = "/api/v2/scim/v2";
pub const V1: &str = "/api/v2/scim";
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const GENESYS: &str = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A fully read response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts a SCIM error with this status and scimType.
    pub fn assert_error(&self, status: u16, scim_type: Option<&str>) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status, body: {}",
            self.body
        );
        let v = self.json();
        assert_eq!(
            v["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
            "{v}"
        );
        assert_eq!(v["status"], Value::String(status.to_string()), "{v}");
        assert_eq!(v["scimType"].as_str(), scim_type, "{v}");
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/scim+json")),
            "content type of {v}"
        );
        v
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// Sends a request; `path` is appended to the base URL.
pub fn try_send(
    agent: &ureq::Agent,
    server: &FakeServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Resp, ureq::Error> {
    let mut b = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.base_url()));
    let has = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    if !has("authorization") {
        b = b.header("Authorization", format!("Bearer {}", server.token()));
    }
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let resp = match body {
        Some(text) => {
            if !has("content-type") {
                b = b.header("Content-Type", "application/scim+json");
            }
            agent.run(b.body(text.as_bytes().to_vec()).expect("request"))?
        }
        None => agent.run(b.body(()).expect("request"))?,
    };
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = resp.into_body().read_to_string()?;
    Ok(Resp {
        status,
        headers,
        body,
    })
}

pub fn send(
    server: &FakeServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Resp {
    try_send(
        &agent(Duration::from_secs(5)),
        server,
        method,
        path,
        body,
        headers,
    )
    .unwrap_or_else(|e| panic!("{method} {path} failed: {e}"))
}

pub fn get(server: &FakeServer, path: &str) -> Resp {
    send(server, "GET", path, None, &[])
}

pub fn post(server: &FakeServer, path: &str, body: &Value) -> Resp {
    send(server, "POST", path, Some(&body.to_string()), &[])
}

pub fn patch(server: &FakeServer, path: &str, ops: Value) -> Resp {
    let body = serde_json::json!({"schemas": [PATCH_OP], "Operations": ops});
    send(server, "PATCH", path, Some(&body.to_string()), &[])
}

/// Creates a user over HTTP and returns the response body.
pub fn create_user(server: &FakeServer, user_name: &str) -> Value {
    let r = post(
        server,
        &format!("{V2}/users"),
        &serde_json::json!({
            "userName": user_name,
            "displayName": format!("User {user_name}"),
        }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

pub fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}
