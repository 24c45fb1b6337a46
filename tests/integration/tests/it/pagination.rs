//! Paging through SCIM lists with `into_pages` and `into_items`.

use scim_sdk::{Client, Error};
use scim_sdk_integration_tests::MockServer;
use serde_json::{Value, json};

fn page(start: usize, ids: &[&str], total: usize) -> Value {
    let users: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "userName": format!("{id}@x.org")}))
        .collect();
    json!({"totalResults": total, "startIndex": start, "itemsPerPage": ids.len(), "Resources": users})
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer("t")
        .build()
        .unwrap()
}

#[test]
fn items_walk_every_page_and_stop_at_total_results() {
    let server = MockServer::start();
    server.respond_json(200, &page(1, &["a", "b"], 5));
    server.respond_json(200, &page(3, &["c", "d"], 5));
    server.respond_json(200, &page(5, &["e"], 5));
    let ids: Vec<String> = client(&server)
        .get_scim_v2_users()
        .count(2)
        .filter("active eq true")
        .into_items()
        .map(|u| u.unwrap().id.unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query.as_deref().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "count=2&filter=active%20eq%20true",
            "startIndex=3&count=2&filter=active%20eq%20true",
            "startIndex=5&count=2&filter=active%20eq%20true"
        ]
    );
}

#[test]
fn pages_start_where_the_builder_says_and_stop_on_an_empty_page() {
    let server = MockServer::start();
    server.respond_json(
        200,
        &json!({"startIndex": 11, "Resources": [{"id": "g", "displayName": "G"}]}),
    );
    server.respond_json(200, &json!({"startIndex": 12, "Resources": []}));
    let pages: Vec<_> = client(&server)
        .get_scim_groups()
        .start_index(11)
        .into_pages()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].items.len(), 1);
    assert_eq!(server.requests()[1].query.as_deref(), Some("startIndex=12"));
}

#[test]
fn an_error_is_yielded_once_and_ends_the_iteration() {
    let server = MockServer::start();
    server.respond_json(200, &page(1, &["a"], 3));
    server.respond_json(404, &json!({"status": "404", "detail": "gone"}));
    let results: Vec<Result<_, Error>> = client(&server)
        .get_scim_users()
        .count(1)
        .into_items()
        .collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(results[1].as_ref().unwrap_err().is_not_found());
}

#[test]
fn a_server_ignoring_start_index_is_an_error_not_an_endless_loop() {
    let server = MockServer::start();
    server.respond_json(200, &page(1, &["a"], 3));
    server.respond_json(200, &page(1, &["a"], 3));
    let results: Vec<_> = client(&server)
        .get_scim_v2_users()
        .count(1)
        .into_pages()
        .collect();
    assert_eq!(results.len(), 2);
    let err = results[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("startIndex 2"), "{err}");
}
