//! Finding users whatever their state, and groups by name, against the
//! stateful fake: both listings of `all_users`, lookups that find inactive
//! users, and the batch group lookup that costs one page.

use scim_fake::FakeServer;
use scim_sdk::{Error, RECOMMENDED_PAGE_SIZE};
use scim_sdk_integration_tests::fake::{self, start};
use serde_json::json;

fn seed(server: &FakeServer, user_name: &str, external_id: Option<&str>, active: bool) -> String {
    let mut user = json!({"userName": user_name, "displayName": user_name, "active": active});
    if let Some(x) = external_id {
        user["externalId"] = json!(x);
    }
    fake::seed(server, user)
}

#[test]
fn all_users_lists_active_and_inactive_users_page_by_page() {
    let (server, client) = start();
    let mut ids: Vec<String> = (0..30)
        .map(|i| seed(&server, &format!("a{i}@x.test"), None, true))
        .collect();
    ids.extend((0..7).map(|i| seed(&server, &format!("i{i}@x.test"), None, false)));

    let listed: Vec<String> = client
        .all_users()
        .map(|u| u.expect("a user").id.unwrap_or_default())
        .collect();

    let (mut got, mut want) = (listed.clone(), ids.clone());
    got.sort();
    want.sort();
    assert_eq!(got, want, "every user exactly once");
    let filters: Vec<String> = server
        .journal()
        .iter()
        .flat_map(|r| r.query_pairs())
        .filter(|(k, _)| k == "filter")
        .map(|(_, v)| v)
        .collect();
    assert!(
        filters.contains(&"active eq true".to_owned())
            && filters.contains(&"active eq false".to_owned())
    );
    let counts: Vec<String> = server
        .journal()
        .iter()
        .flat_map(|r| r.query_pairs())
        .filter(|(k, _)| k == "count")
        .map(|(_, v)| v)
        .collect();
    assert!(
        counts
            .iter()
            .all(|c| *c == RECOMMENDED_PAGE_SIZE.to_string()),
        "{counts:?}"
    );
}

#[test]
fn lookups_find_inactive_users_by_user_name_and_external_id() {
    let (server, client) = start();
    let id = seed(&server, "Gone@X.test", Some("E-9"), false);

    let by_name = client
        .find_user_by_user_name("gone@x.test")
        .expect("lookup")
        .expect("found");
    let by_external = client
        .find_user_by_external_id("E-9")
        .expect("lookup")
        .expect("found");
    assert_eq!(by_name.id.as_deref(), Some(id.as_str()));
    assert_eq!(by_external.id.as_deref(), Some(id.as_str()));
    assert!(!by_name.is_active());
    assert_eq!(
        client.find_user_by_external_id("E-10").expect("lookup"),
        None
    );
    assert!(matches!(
        client.find_user_by_user_name(""),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn groups_are_found_by_name_on_both_list_endpoints() {
    let (server, client) = start();
    server.clear_journal();

    let found = client
        .find_groups_by_name(["Sales", "support", "Nope"])
        .expect("batch");
    assert_eq!(found.keys().collect::<Vec<_>>(), ["Sales", "support"]);
    let requests = server.journal();
    assert_eq!(requests.len(), 1, "one page of the v1 list for three names");
    assert_eq!(requests[0].path, "/api/v2/scim/groups");

    let one = client
        .find_group_by_name("Engineering")
        .expect("lookup")
        .expect("exists");
    assert_eq!(one.id, server.group_id("Engineering"));
    assert_eq!(
        server.journal().last().map(|r| r.path.clone()).as_deref(),
        Some("/api/v2/scim/v2/groups")
    );
    assert_eq!(client.find_group_by_name("Nope").expect("lookup"), None);
}

/// The query values of `name` across the journal, one per request that had it.
fn sent(server: &FakeServer, name: &str) -> Vec<String> {
    server
        .journal()
        .iter()
        .flat_map(|r| r.query_pairs())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn all_users_asks_for_the_projection_and_page_size_it_is_given() {
    let (server, client) = start();
    for i in 0..60 {
        seed(
            &server,
            &format!("a{i}@x.test"),
            Some(&format!("E{i}")),
            true,
        );
    }
    seed(&server, "gone@x.test", Some("E-gone"), false);
    server.clear_journal();

    let users: Vec<_> = client
        .all_users()
        .attributes(["userName", "externalId"])
        .page_size(100)
        .collect::<Result<_, _>>()
        .expect("every user");
    assert_eq!(users.len(), 61);
    assert!(
        users
            .iter()
            .all(|u| u.external_id.is_some() && u.display_name.is_none())
    );
    assert_eq!(server.journal().len(), 2, "one page of each listing");
    assert_eq!(sent(&server, "attributes"), ["userName,externalId"; 2]);
    assert_eq!(sent(&server, "count"), ["100"; 2]);

    server.clear_journal();
    let users: Vec<_> = client
        .all_users()
        .excluded_attributes(["displayName"])
        .collect::<Result<_, _>>()
        .expect("every user");
    assert_eq!(users.len(), 61);
    assert!(
        users
            .iter()
            .all(|u| u.display_name.is_none() && u.external_id.is_some())
    );
    assert_eq!(sent(&server, "excludedAttributes")[0], "displayName");
    assert!(sent(&server, "count").iter().all(|c| c == "25"));
}

#[test]
fn large_pages_without_the_expensive_attributes_pass_genesys_page_cost() {
    let server = FakeServer::builder()
        .emulate_page_cost(true)
        .start()
        .expect("fake");
    // Sent once: the client would wait out the 429's Retry-After in vain.
    let client = scim_sdk::Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .retry(scim_sdk::RetryPolicy::disabled())
        .build()
        .expect("client");
    for i in 0..30 {
        seed(&server, &format!("a{i}@x.test"), None, true);
    }
    let costly: Result<Vec<_>, _> = client.all_users().page_size(100).collect();
    let err = costly.expect_err("a page of 30 with every attribute");
    assert!(err.is_rate_limited(), "{err}");

    server.clear_journal();
    let users: Vec<_> = client
        .all_users()
        .excluded_attributes(scim_sdk::EXPENSIVE_USER_ATTRIBUTES)
        .page_size(100)
        .collect::<Result<_, _>>()
        .expect("the cheap projection");
    assert_eq!((users.len(), server.journal().len()), (30, 2));
    // The zero-argument listing pages by 25: always accepted.
    assert_eq!(client.all_users().count(), 30);
}

#[test]
fn a_page_size_below_one_is_refused_before_anything_is_sent() {
    let (server, client) = start();
    let first = client.all_users().page_size(0).next();
    assert!(
        matches!(first, Some(Err(Error::InvalidInput { .. }))),
        "{first:?}"
    );
    assert!(server.journal().is_empty());
}

mod bounds {
    use scim_sdk::Error;
    use scim_sdk_integration_tests::MockServer;
    use serde_json::json;

    fn page(start: usize, total: u64) -> serde_json::Value {
        let users: Vec<_> = (start..start + 25)
            .map(|i| json!({"id": format!("u{i}"), "userName": format!("u{i}@x.test")}))
            .collect();
        json!({"totalResults": total, "startIndex": start, "itemsPerPage": 25, "Resources": users})
    }

    #[test]
    fn an_org_claiming_more_than_a_million_users_is_refused_after_one_page() {
        let server = MockServer::start();
        // A server that would page forever: each page new, the total endless.
        for n in 0..40 {
            server.respond_json(200, &page(1 + 25 * n, 1_000_000_000_000_000));
        }
        let client = server.client();
        let first: Vec<_> = client.all_users().take(200).collect();
        let err = first
            .iter()
            .find_map(|r| r.as_ref().err())
            .expect("the listing stops with an error");
        assert!(
            matches!(
                err,
                Error::TooManyResults {
                    claimed: Some(1_000_000_000_000_000),
                    limit: 1_000_000,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(first[0].is_err(), "refused before any user is yielded");
        // One page of each listing (active, inactive), each refused.
        assert_eq!(server.request_count(), 2);
        assert!(first.iter().all(Result::is_err), "{first:?}");
        assert_eq!(err.code(), "too_many_results");
        assert!(err.to_string().contains("1000000"), "{err}");
    }
}
