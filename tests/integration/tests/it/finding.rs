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
