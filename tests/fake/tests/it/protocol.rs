//! Authentication, OAuth, discovery documents, faults, journal and headers.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use scim_fake::{FakeServer, Fault};
use serde_json::{Value, json};

use crate::support::*;

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

fn token_call(server: &FakeServer, auth: &str, form: &str) -> Resp {
    let headers = [
        ("Authorization", auth),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    try_send(
        &agent(Duration::from_secs(5)),
        server,
        "POST",
        "/oauth/token",
        Some(form),
        &headers,
    )
    .expect("token request")
}

#[test]
fn api_requires_a_valid_bearer_token() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    send(
        &server,
        "GET",
        &users,
        None,
        &[("Authorization", "Bearer wrong")],
    )
    .assert_error(401, None);
    send(
        &server,
        "GET",
        &users,
        None,
        &[("Authorization", "Basic abc")],
    )
    .assert_error(401, None);
    let agent = agent(Duration::from_secs(5));
    let r = agent
        .get(format!("{}{users}", server.base_url()))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(send(&server, "GET", &users, None, &[]).status, 200);

    let open = FakeServer::builder().require_auth(false).start().unwrap();
    let r = agent
        .get(format!("{}{users}", open.base_url()))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[test]
fn oauth_client_credentials_flow() {
    let server = FakeServer::builder()
        .client_credentials("id-1", "secret-1")
        .token("static")
        .start()
        .unwrap();
    assert_eq!(
        (server.client_id(), server.client_secret()),
        ("id-1", "secret-1")
    );
    assert_eq!(server.token(), "static");

    let r = token_call(
        &server,
        &basic("id-1", "secret-1"),
        "grant_type=client_credentials",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 3600);
    let token = v["access_token"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {token}");
    let r = send(
        &server,
        "GET",
        &format!("{V2}/users"),
        None,
        &[("Authorization", &bearer)],
    );
    assert_eq!(r.status, 200);

    let r = token_call(
        &server,
        &basic("id-1", "wrong"),
        "grant_type=client_credentials",
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    let r = token_call(&server, &basic("id-1", "secret-1"), "grant_type=password");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    assert_eq!(server.token_requests(), 3);

    // Zero lifetime: the issued token is already expired.
    let short = FakeServer::builder()
        .token_lifetime(Duration::ZERO)
        .start()
        .unwrap();
    let r = token_call(
        &short,
        &basic("fake-client-id", "fake-client-secret"),
        "grant_type=client_credentials",
    );
    let token = r.json()["access_token"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {token}");
    send(
        &short,
        "GET",
        &format!("{V2}/users"),
        None,
        &[("Authorization", &bearer)],
    )
    .assert_error(401, None);
}

fn check_attribute(a: &Value) {
    let allowed = [
        "name",
        "type",
        "subAttributes",
        "multiValued",
        "description",
        "required",
        "canonicalValues",
        "caseExact",
        "mutability",
        "returned",
        "uniqueness",
        "referenceTypes",
    ];
    for k in a.as_object().unwrap().keys() {
        assert!(allowed.contains(&k.as_str()), "unexpected key {k} in {a}");
    }
    let one_of = |key: &str, values: &[&str]| {
        let v = a[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} missing in {a}"));
        assert!(values.contains(&v), "{key}={v} in {a}");
    };
    one_of(
        "type",
        &[
            "string",
            "boolean",
            "decimal",
            "integer",
            "dateTime",
            "reference",
            "complex",
        ],
    );
    one_of(
        "mutability",
        &["readWrite", "readOnly", "immutable", "writeOnly"],
    );
    one_of("returned", &["always", "never", "default", "request"]);
    one_of("uniqueness", &["none", "server", "global"]);
    for r in a["referenceTypes"].as_array().into_iter().flatten() {
        assert!(
            ["User", "Group", "external", "uri"].contains(&r.as_str().unwrap()),
            "{a}"
        );
    }
    for s in a["subAttributes"].as_array().into_iter().flatten() {
        check_attribute(s);
    }
}

#[test]
fn discovery_documents() {
    let server = FakeServer::start().unwrap();
    let list = get(&server, &format!("{V2}/schemas")).json();
    let ids: Vec<&str> = list["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for urn in [
        USER_URN,
        ENTERPRISE,
        GENESYS,
        "urn:ietf:params:scim:schemas:core:2.0:Group",
    ] {
        assert!(ids.contains(&urn), "{urn} missing");
    }
    assert_eq!(list["totalResults"], ids.len());
    for s in list["Resources"].as_array().unwrap() {
        assert_eq!(s["meta"]["resourceType"], "Schema");
        assert!(s["meta"].get("version").is_none() && s["meta"].get("lastModified").is_none());
        s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .for_each(check_attribute);
    }
    let user = get(&server, &format!("{V1}/schemas/{USER_URN}")).json();
    let user_name = user["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "userName")
        .unwrap();
    assert_eq!(
        (
            user_name["required"].clone(),
            user_name["uniqueness"].clone()
        ),
        (json!(true), json!("server"))
    );
    get(&server, &format!("{V2}/schemas/urn:nope")).assert_error(404, None);
    get(&server, &format!("{V2}/schemas?filter=id%20eq%20x")).assert_error(403, None);

    let types = get(&server, &format!("{V2}/resourcetypes")).json();
    let user_type = types["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "User")
        .unwrap();
    assert_eq!(user_type["schema"], USER_URN);
    assert_eq!(
        user_type["schemaExtensions"][0],
        json!({"schema": ENTERPRISE, "required": false})
    );
    assert_eq!(
        get(&server, &format!("{V2}/resourcetypes/Group")).json()["name"],
        "Group"
    );
    get(&server, &format!("{V2}/resourcetypes/Widget")).assert_error(404, None);

    let r = get(&server, &format!("{V2}/serviceproviderconfig"));
    let spc = r.json();
    assert_eq!(spc["patch"]["supported"], true);
    assert_eq!(spc["etag"]["supported"], true);
    assert_eq!(spc["filter"], json!({"supported": true, "maxResults": 100}));
    assert_eq!(spc["sort"]["supported"], false);
    assert_eq!(spc["bulk"]["supported"], false);
    assert_eq!(spc["changePassword"]["supported"], false);
    assert_eq!(spc["authenticationSchemes"][0]["type"], "oauthbearertoken");
    assert_eq!(spc["authenticationSchemes"][0]["primary"], true);
    assert_eq!(spc["meta"]["resourceType"], "ServiceProviderConfig");
    let tag = r.header("etag").unwrap().to_string();
    assert_eq!(spc["meta"]["version"], tag.as_str());
    let r = send(
        &server,
        "GET",
        &format!("{V2}/serviceproviderconfig"),
        None,
        &[("If-None-Match", &tag)],
    );
    assert_eq!(r.status, 304);
}

#[test]
fn status_html_malformed_and_oversized_faults() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    server.inject(Fault::Status {
        status: 429,
        retry_after: Some(7),
        count: 2,
    });
    server.inject(Fault::Html {
        status: 502,
        count: 1,
    });
    server.inject(Fault::Malformed { count: 1 });
    server.inject(Fault::Oversized {
        bytes: 200_000,
        count: 1,
    });

    // Faults do not apply to the token endpoint.
    let r = token_call(
        &server,
        &basic("fake-client-id", "fake-client-secret"),
        "grant_type=client_credentials",
    );
    assert_eq!(r.status, 200);

    for _ in 0..2 {
        let r = get(&server, &users);
        r.assert_error(429, None);
        assert_eq!(r.header("retry-after"), Some("7"));
    }
    let r = get(&server, &users);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<html>"));
    let r = get(&server, &users);
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
    let r = get(&server, &users);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 200_000);
    assert!(serde_json::from_str::<Value>(&r.body).is_ok());
    // The queue is empty again.
    assert_eq!(get(&server, &users).status, 200);

    server.inject(Fault::Status {
        status: 503,
        retry_after: None,
        count: 5,
    });
    server.clear_faults();
    assert_eq!(get(&server, &users).status, 200);

    // A faulted POST never reaches the store.
    server.inject(Fault::Status {
        status: 500,
        retry_after: None,
        count: 1,
    });
    post(
        &server,
        &users,
        &json!({"userName": "f@example.com", "displayName": "F"}),
    )
    .assert_error(500, None);
    assert_eq!(get(&server, &users).json()["totalResults"], 0);
}

#[test]
fn latency_drop_truncated_and_stall_faults() {
    let server = FakeServer::start().unwrap();
    let users = format!("{V2}/users");
    let quick = agent(Duration::from_secs(5));

    server.inject(Fault::Latency {
        delay: Duration::from_millis(300),
        count: 1,
    });
    let t = Instant::now();
    assert_eq!(get(&server, &users).status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    server.inject(Fault::DropConnection { count: 1 });
    let journal_before = server.journal().len();
    let err = try_send(&quick, &server, "GET", &users, None, &[]);
    assert!(err.is_err(), "expected a transport error, got {err:?}");
    assert_eq!(
        server.journal().len(),
        journal_before + 1,
        "no silent retry expected"
    );

    server.inject(Fault::Truncated { count: 1 });
    let err = try_send(&quick, &server, "GET", &users, None, &[]);
    assert!(err.is_err(), "expected a body read error, got {err:?}");
    assert_eq!(get(&server, &users).status, 200, "server still healthy");

    // A stalled request does not block other clients; drop returns promptly.
    server.inject(Fault::Stall { count: 1 });
    let short = agent(Duration::from_millis(300));
    let t = Instant::now();
    assert!(try_send(&short, &server, "GET", &users, None, &[]).is_err());
    assert!(t.elapsed() < Duration::from_secs(3));
    assert_eq!(get(&server, &users).status, 200);

    server.inject(Fault::Stall { count: 1 });
    let base = server.base_url();
    let token = server.token();
    let stalled = std::thread::spawn(move || {
        let a = agent(Duration::from_secs(30));
        a.get(format!("{base}{V2}/users"))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .map(|r| r.status().as_u16())
    });
    std::thread::sleep(Duration::from_millis(150));
    let t = Instant::now();
    drop(server);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        t.elapsed()
    );
    let outcome = stalled.join().unwrap();
    assert!(
        outcome.is_err(),
        "stalled client should see a closed connection: {outcome:?}"
    );
}

#[test]
fn correlation_id_on_every_response_and_journal() {
    let server = FakeServer::start().unwrap();
    let paths = [
        format!("{V2}/users"),
        format!("{V2}/users/missing"),
        format!("{V2}/serviceproviderconfig"),
        "/elsewhere".to_string(),
    ];
    let mut ids = Vec::new();
    for p in &paths {
        let r = get(&server, p);
        ids.push(
            r.header("inin-correlation-id")
                .expect("correlation id")
                .to_string(),
        );
    }
    let r = send(
        &server,
        "GET",
        &paths[0],
        None,
        &[("Authorization", "Bearer nope")],
    );
    ids.push(r.header("inin-correlation-id").unwrap().to_string());
    let r = token_call(
        &server,
        "Basic Zm9vOmJhcg==",
        "grant_type=client_credentials",
    );
    ids.push(r.header("inin-correlation-id").unwrap().to_string());
    let id = id_of(&create_user(&server, "j@example.com"));
    let r = send(&server, "DELETE", &format!("{V2}/users/{id}"), None, &[]);
    assert_eq!(r.status, 204);
    ids.push(r.header("inin-correlation-id").unwrap().to_string());
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "fresh id per response");

    let journal = server.journal();
    assert_eq!(journal.len(), 8);
    assert_eq!(journal[4].header("AUTHORIZATION"), Some("Bearer nope"));
    assert_eq!(journal[5].path, "/oauth/token");
    assert_eq!(journal[6].method, "POST");
    assert_eq!(journal[6].body_json().unwrap()["userName"], "j@example.com");

    get(
        &server,
        &format!("{V2}/users?filter=userName%20eq%20%22a%2Bb%22&count=5"),
    );
    let last = server.journal().pop().unwrap();
    assert_eq!(
        last.query.as_deref(),
        Some("filter=userName%20eq%20%22a%2Bb%22&count=5")
    );
    assert_eq!(
        last.query_pairs(),
        vec![
            ("filter".to_string(), "userName eq \"a+b\"".to_string()),
            ("count".to_string(), "5".to_string())
        ]
    );
    server.clear_journal();
    assert!(server.journal().is_empty());
}

#[test]
fn concurrent_clients() {
    let server = FakeServer::start().unwrap();
    let base = server.base_url();
    let token = server.token();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (base, token) = (base.clone(), token.clone());
            std::thread::spawn(move || {
                let a = agent(Duration::from_secs(5));
                for j in 0..5 {
                    let r = a
                        .post(format!("{base}{V2}/users"))
                        .header("Authorization", format!("Bearer {token}"))
                        .header("Content-Type", "application/scim+json")
                        .send(json!({"userName": format!("c{i}-{j}@example.com"), "displayName": "C"}).to_string())
                        .unwrap();
                    assert_eq!(r.status().as_u16(), 201);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(
        get(&server, &format!("{V2}/users?count=0")).json()["totalResults"],
        40
    );
}
