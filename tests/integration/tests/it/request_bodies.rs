//! What generated builders put in request bodies: `schemas` always lists the
//! core schema and every extension present (RFC 7643 §3), and the
//! attributes the server sets (`id`, `meta`, `groups`) are left out
//! (RFC 7644 §3.5.1), while attributes the SDK does not know go out as read.

use scim_sdk::Client;
use scim_sdk::models::{ScimV2CreateUser, ScimV2EnterpriseUser, ScimV2Group, ScimV2User};
use scim_sdk::schemas::{ENTERPRISE_USER, GROUP, USER};
use scim_sdk_integration_tests::MockServer;
use scim_sdk_integration_tests::fake::{seed, start};
use serde_json::{Value, json};

/// Sends one call to a scripted server answering `reply`, and returns the
/// JSON body that went over the wire.
fn body_sent(reply: Value, call: impl FnOnce(&Client)) -> Value {
    let server = MockServer::start();
    server.respond_json(200, &reply);
    call(&server.client());
    server.last().body_json().expect("the body is JSON")
}

#[test]
fn a_create_body_built_with_new_lists_the_core_schema() {
    let body = body_sent(json!({"id": "u1"}), |c| {
        c.post_scim_v2_users(ScimV2CreateUser::new("jane@example.com", "Jane"))
            .send()
            .expect("created");
    });
    assert_eq!(body["schemas"], json!([USER]));
}

#[test]
fn an_extension_set_by_hand_is_listed_after_the_core_schema() {
    let user = ScimV2CreateUser::new("jane@example.com", "Jane")
        .with_enterprise_user(ScimV2EnterpriseUser::new().with_department("Support"));
    let body = body_sent(json!({"id": "u1"}), |c| {
        c.post_scim_users(user).send().expect("created");
    });
    assert_eq!(body["schemas"], json!([USER, ENTERPRISE_USER]));
    assert_eq!(body[ENTERPRISE_USER]["department"], "Support");
}

#[test]
fn schemas_the_caller_listed_are_kept_as_they_are() {
    let listed = vec![ENTERPRISE_USER.to_owned(), USER.to_owned()];
    let user = ScimV2CreateUser::new("jane@example.com", "Jane")
        .with_schemas(listed.clone())
        .with_enterprise_user(ScimV2EnterpriseUser::new().with_division("Home"));
    let body = body_sent(json!({"id": "u1"}), |c| {
        c.post_scim_v2_users(user).send().expect("created");
    });
    assert_eq!(body["schemas"], json!(listed));
}

#[test]
fn an_extension_the_sdk_does_not_know_is_listed_and_sent_as_read() {
    let vendor = "urn:example:params:scim:schemas:extension:badges:1.0:User";
    let read: ScimV2User = serde_json::from_value(json!({
        "id": "u1",
        "schemas": [USER],
        "userName": "jane@example.com",
        vendor: {"badge": "gold"},
        "meta": {"version": "\"4\""},
        "groups": [{"value": "g1"}]
    }))
    .expect("a user");
    let body = body_sent(json!({"id": "u1"}), |c| {
        c.put_scim_v2_user("u1", read).send().expect("replaced");
    });
    assert_eq!(
        body,
        json!({"schemas": [USER, vendor], "userName": "jane@example.com", vendor: {"badge": "gold"}})
    );
}

#[test]
fn a_group_put_lists_the_group_schema_and_leaves_out_id_and_meta() {
    let group: ScimV2Group = serde_json::from_value(
        json!({"id": "g1", "displayName": "Sales", "meta": {"version": "\"2\""}}),
    )
    .expect("a group");
    let body = body_sent(json!({"id": "g1"}), |c| {
        c.put_scim_v2_group("g1", group).send().expect("replaced");
    });
    assert_eq!(body, json!({"schemas": [GROUP], "displayName": "Sales"}));
}

#[test]
fn a_get_then_put_against_the_fake_sends_what_it_read_but_the_server_set_parts() {
    let (server, client) = start();
    let acme = "urn:example:params:scim:schemas:extension:acme:1.0:User";
    // Seeding bypasses validation, so the fake returns attributes the SDK's
    // models do not describe.
    let id = seed(
        &server,
        json!({
            "userName": "pat@example.com",
            "displayName": "Pat",
            "nickName": "P",
            acme: {"badge": 42}
        }),
    );
    let mut user = client.get_scim_v2_user(&id).send().expect("read");
    assert!(user.meta.is_some() && user.id.is_some());
    user.title = Some("Lead".into());
    let replaced = client.put_scim_v2_user(&id, user).send().expect("replaced");
    assert_eq!(replaced.id.as_deref(), Some(id.as_str()));
    assert_eq!(replaced.title.as_deref(), Some("Lead"));

    let sent = server
        .journal()
        .pop()
        .expect("the PUT")
        .body_json()
        .expect("JSON");
    assert_eq!((sent.get("id"), sent.get("meta")), (None, None));
    assert_eq!(sent["nickName"], "P");
    assert_eq!(sent[acme], json!({"badge": 42}));
    let schemas = sent["schemas"].as_array().expect("schemas");
    assert!(
        schemas.contains(&json!(USER)) && schemas.contains(&json!(acme)),
        "{schemas:?}"
    );
}

#[test]
fn the_schemas_the_spec_names_are_the_sdk_constants() {
    use scim_sdk::Model;
    use scim_sdk::models::ScimV2PatchRequest;
    assert_eq!(ScimV2CreateUser::INFO.schema, Some(USER));
    assert_eq!(ScimV2User::INFO.schema, Some(USER));
    assert_eq!(ScimV2Group::INFO.schema, Some(GROUP));
    assert_eq!(
        ScimV2PatchRequest::INFO.schema,
        Some(scim_sdk::schemas::PATCH_OP)
    );
}
