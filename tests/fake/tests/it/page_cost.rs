//! The cost Genesys puts on user pages, emulated when asked: a page of more
//! than 25 users that carries the attributes Genesys looks up one by one
//! (roles, groups, skills, languages, external ids) is refused with `429`.

use scim_fake::FakeServer;

use crate::support::*;

fn org(users: usize, page_cost: bool) -> FakeServer {
    let server = FakeServer::builder()
        .emulate_page_cost(page_cost)
        .start()
        .unwrap();
    for i in 0..users {
        server
            .seed_user(serde_json::json!({"userName": format!("u{i}@x.test"), "displayName": "U"}));
    }
    server
}

fn list(server: &FakeServer, query: &str) -> Resp {
    get(server, &format!("{V2}/users?{query}"))
}

#[test]
fn a_page_over_25_with_the_expensive_attributes_is_refused() {
    let server = org(30, true);
    let r = list(&server, "count=30");
    let v = r.assert_error(429, None);
    assert!(r.header("retry-after").is_some(), "{v}");
    assert!(v["detail"].as_str().unwrap().contains("25"), "{v}");
    // Not a rate-limit window: the next page of 25 is served at once.
    let page = list(&server, "count=25").json();
    assert_eq!(page["itemsPerPage"], 25);
    // The whole Genesys extension, or each expensive attribute by name,
    // left out; or only cheap ones asked for.
    let cheap = [
        "attributes=userName,externalId,active".to_owned(),
        format!("excludedAttributes=roles,groups,{GENESYS}"),
        format!(
            "excludedAttributes=roles,groups,{GENESYS}:routingSkills,{GENESYS}:routingLanguages,{GENESYS}:externalIds"
        ),
    ];
    for query in cheap {
        let page = list(&server, &format!("count=30&{}", encode_query(&query))).json();
        assert_eq!(page["itemsPerPage"], 30, "{query}: {page}");
    }
    // One expensive attribute is enough to cost.
    for query in [
        "attributes=userName,roles".to_owned(),
        format!("excludedAttributes=roles,{GENESYS}"),
    ] {
        list(&server, &format!("count=30&{}", encode_query(&query))).assert_error(429, None);
    }
}

#[test]
fn a_large_count_on_a_small_result_costs_nothing() {
    let server = org(10, true);
    assert_eq!(list(&server, "count=100").json()["itemsPerPage"], 10);
}

#[test]
fn without_the_emulation_pages_of_any_size_are_served() {
    let server = org(30, false);
    assert_eq!(list(&server, "count=30").json()["itemsPerPage"], 30);
}

/// Percent-encodes the value of `name=value`.
fn encode_query(pair: &str) -> String {
    let (name, value) = pair.split_once('=').unwrap();
    format!("{name}={}", encode(value))
}
