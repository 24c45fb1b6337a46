//! The fake's faults as a user's test meets them through the SDK: aimed at
//! one method and path, carrying a `scimType`, losing an answer after the
//! write was made; and users seeded from the SDK's models.

use scim_fake::{Fault, Match};
use scim_sdk::models::{ScimErrorScimType, ScimV2CreateUser, ScimV2PatchRequest, ScimV2User};

use scim_sdk_integration_tests::fake::{fails, ok, start};

#[test]
fn a_user_seeded_from_a_model_reads_back_through_the_sdk() {
    let (server, client) = start();
    let seeded = server.seed_user(
        ScimV2User::new()
            .with_user_name("jane@example.com")
            .with_display_name("Jane Doe")
            .with_external_id("E-1")
            .with_department("Sales"),
    );
    let id = seeded["id"].as_str().expect("an id");
    let jane = ok(client.get_scim_v2_user(id).send());
    assert_eq!(jane.user_name.as_deref(), Some("jane@example.com"));
    assert_eq!(jane.external_id.as_deref(), Some("E-1"));
    assert_eq!(jane.department(), Some("Sales"));
    assert!(jane.is_active());
}

#[test]
fn a_version_fault_aimed_at_the_patch_spares_the_read_before_it() {
    let (server, client) = start();
    let id =
        server.seed_user(serde_json::json!({"userName": "a@x.test", "displayName": "A"}))["id"]
            .as_str()
            .expect("an id")
            .to_owned();
    server.inject_on(
        Match::method("PATCH").path("/users/*"),
        Fault::status(400).scim_type("invalidVers"),
    );
    let read = ok(client.get_scim_v2_user(&id).send_with_response());
    let etag = read.etag().expect("an ETag").to_owned();
    let change = ScimV2PatchRequest::patch_op().replace("title", "Lead".into());
    let err = fails(
        client
            .patch_scim_v2_user(&id, change)
            .if_match(&etag)
            .send(),
    );
    assert!(err.is_version_mismatch(), "{err}");
    assert_eq!(err.scim_type(), Some(&ScimErrorScimType::InvalidVers));
    assert_eq!(server.journal().len(), 2, "one read, one refused PATCH");
}

#[test]
fn a_uniqueness_fault_is_a_conflict() {
    let (server, client) = start();
    server.inject_on(
        Match::method("POST").path("/users"),
        Fault::status(409).scim_type("uniqueness"),
    );
    let err = fails(
        client
            .post_scim_v2_users(ScimV2CreateUser::new("a@x.test", "A"))
            .send(),
    );
    assert!(err.is_conflict(), "{err}");
    assert_eq!(err.code(), "uniqueness");
}

#[test]
fn a_lost_create_answer_may_have_been_applied_and_was() {
    let (server, client) = start();
    server.inject_on(Match::method("POST"), Fault::drop_answer());
    let err = fails(
        client
            .post_scim_v2_users(ScimV2CreateUser::new("lost@x.test", "Lost"))
            .send(),
    );
    assert!(err.may_have_been_applied(), "{err}");
    // Never sent twice, and there all the same.
    let posts = server
        .journal()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1);
    let found = ok(client.find_user_by_user_name("lost@x.test"));
    assert!(found.is_some());
}
