//! Writes to one account the caller names by id (`delete_user`,
//! `deactivate_user`, `set_external_id`): each decided by the write rule on
//! the account as just read, and reported as it happened.

use scim_fake::{Fault, Match};
use scim_sdk_integration_tests::MockServer;
use scim_sdk_integration_tests::fake::{seed, start};
use scim_sync::{ApplyOptions, ItemRef, ItemStatus, Outcome, RefusalKind, Scope};
use serde_json::json;

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

#[test]
fn a_delete_whose_answer_was_lost_is_reported_deleted() {
    let (server, client) = start();
    let id = seed(
        &server,
        json!({"userName": "gone@x.test", "displayName": "Gone", "externalId": "E-1"}),
    );
    // The user is deleted, and the answer never comes.
    server.inject_on(
        Match::method("DELETE").path("/users/*"),
        Fault::drop_answer(),
    );

    let done = scim_sync::delete_user(&client, &id, &options()).expect("ran");

    assert_eq!(done.status, ItemStatus::Done(Outcome::Deleted), "{done:?}");
    assert_eq!(
        done.item,
        ItemRef::User("gone@x.test".into()),
        "named for the record"
    );
    let read = client.get_scim_v2_user(&id).send();
    assert!(read.is_err_and(|e| e.is_not_found()), "deleted");
}

#[test]
fn a_delete_refused_for_its_version_is_decided_again_on_the_account_read_anew() {
    let server = MockServer::start();
    let user = |user_name: &str, version: &str| {
        json!({"id": "u1", "userName": user_name, "displayName": "U", "active": true,
               "meta": {"version": version}})
    };
    let mismatch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                          "status": "412", "detail": "version mismatch"});
    server.respond_json(200, &user("temp@x.test", "1"));
    server.respond_json(412, &mismatch);
    // Meanwhile the account became the admin's, whom the caller excludes.
    server.respond_json(200, &user("admin@x.test", "2"));
    let options = options().within(Scope::All.excluding(["admin@x.test"]));

    let done = scim_sync::delete_user(&server.client(), "u1", &options).expect("ran");

    let ItemStatus::Failed(e) = &done.status else {
        panic!("not refused: {done:?}")
    };
    assert_eq!(e.refusal, Some(RefusalKind::OutOfScope), "{e:?}");
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["GET", "DELETE", "GET"], "no second DELETE");
}

#[test]
fn an_external_id_taken_while_the_write_met_a_version_mismatch_is_not_written() {
    let server = MockServer::start();
    let user = |version: &str| {
        json!({"id": "u1", "userName": "emma@x.test", "displayName": "E", "active": false,
               "externalId": "E-OLD", "meta": {"version": version}})
    };
    let none = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                      "totalResults": 0, "Resources": []});
    let held = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                      "totalResults": 1, "Resources": [
                          {"id": "u2", "userName": "other@x.test", "displayName": "O",
                           "externalId": "E-NEW", "meta": {"version": "1"}}]});
    let mismatch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                          "status": "412", "detail": "version mismatch"});
    server.respond_json(200, &user("1"));
    // The lookup asks for active and inactive accounts.
    server.respond_json(200, &none);
    server.respond_json(200, &none);
    server.respond_json(412, &mismatch);
    // Meanwhile another account was given E-NEW.
    server.respond_json(200, &user("2"));
    server.respond_json(200, &held);

    let done =
        scim_sync::set_external_id(&server.client(), "u1", "E-NEW", &options()).expect("ran");

    let ItemStatus::Failed(e) = &done.status else {
        panic!("not refused: {done:?}")
    };
    assert_eq!(e.refusal, Some(RefusalKind::Conflict), "{e:?}");
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(
        methods.last().map(String::as_str),
        Some("GET"),
        "{methods:?}"
    );
    assert_eq!(
        methods.iter().filter(|m| *m == "PATCH").count(),
        1,
        "no second PATCH: {methods:?}"
    );
}
