//! End to end: multi-step flows through the SDK against the stateful fake
//! (`scim-fake`): a user's life cycle with ETags, paging, group membership,
//! conditional GETs, every error the fake can produce, filters, attribute
//! projection and unknown attributes in a read-modify-write cycle.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use scim_fake::FakeServer;
use scim_sdk::models::{
    ScimEmail, ScimEmailType, ScimErrorScimType, ScimGenesysUserExternalId, ScimUserExtensions,
    ScimV2CreateUser, ScimV2Group, ScimV2PatchOperation, ScimV2PatchOperationOp,
    ScimV2PatchRequest, ScimV2User,
};
use scim_sdk::operations::{PatchScimV2User, PutScimV2User};
use scim_sdk::{Client, Conditional, Error, OperationInfo, Request, Response};
use scim_sdk_integration_tests::fake::{
    client_with_token, fails, http, last, ok, query, seed, start,
};
use serde_json::{Value, json};

const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GENESYS_URN: &str = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";
const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

// ---------------------------------------------------------------- helpers

/// Sends `body` exactly as given to a user operation. Builders fill in
/// `schemas` and leave out read-only attributes, which would hide the
/// server's checks these tests provoke.
fn send_raw(
    client: &Client,
    operation: &'static OperationInfo,
    user_id: &str,
    body: &Value,
) -> Result<Response<Vec<u8>>, Error> {
    let mut request = Request::new(operation, &[("userId", user_id)])?;
    request.json_body(body)?;
    client.execute(&request)
}

/// Checks an HTTP error as the SDK's accessors show it, including the
/// correlation id the fake sends on every answer.
fn assert_http_error(err: &Error, status: u16, scim_type: Option<ScimErrorScimType>) {
    assert!(matches!(err, Error::Http(_)), "an HTTP error: {err:?}");
    assert_eq!(err.status(), Some(status), "status of {err:?}");
    assert_eq!(err.scim_type(), scim_type.as_ref(), "scimType of {err:?}");
    assert!(
        err.detail().is_some_and(|d| !d.is_empty()),
        "detail of {err:?}"
    );
    let correlation = err.correlation_id().expect("ININ-Correlation-Id on errors");
    assert_eq!(
        correlation.len(),
        36,
        "UUID-like correlation id: {correlation}"
    );
    assert_eq!(err.is_not_found(), status == 404);
    assert_eq!(err.is_conflict(), status == 409);
    assert_eq!(
        err.is_version_mismatch(),
        scim_type == Some(ScimErrorScimType::InvalidVers)
    );
}

fn create(client: &Client, user_name: &str) -> ScimV2User {
    let body = ScimV2CreateUser::new(user_name, format!("User {user_name}")).with_emails(vec![
        ScimEmail::new()
            .with_value(user_name)
            .with_type(ScimEmailType::Work)
            .with_primary(true),
    ]);
    ok(client.post_scim_v2_users(body).send())
}

fn id_of(user: &ScimV2User) -> String {
    user.id.clone().expect("id")
}

fn version(meta: Option<&scim_sdk::models::ScimMetadata>) -> Option<&str> {
    meta.and_then(|m| m.version.as_deref())
}

// ------------------------------------------------------------- life cycle

#[test]
fn user_life_cycle_with_etags() {
    let (server, client) = start();

    // Create: the ETag header and meta.version agree.
    let body = ScimV2CreateUser::new("lena@example.com", "Lena Berg").with_emails(vec![
        ScimEmail::new()
            .with_value("lena@example.com")
            .with_type(ScimEmailType::Work)
            .with_primary(true),
        ScimEmail::new()
            .with_value("lena@home.example.org")
            .with_type(ScimEmailType::Other),
    ]);
    let created = ok(client.post_scim_v2_users(body).send_with_response());
    assert_eq!(created.status(), 201);
    let tag1 = created.etag().expect("ETag on create").to_string();
    assert_eq!(tag1, "\"1\"");
    assert_eq!(version(created.body().meta.as_ref()), Some(tag1.as_str()));
    let id = id_of(created.body());

    // Fetch.
    let fetched = ok(client.get_scim_v2_user(&id).send_with_response());
    assert_eq!(fetched.etag(), Some(tag1.as_str()));
    assert!(
        fetched.body() == created.body(),
        "GET returns what POST did"
    );

    // PATCH through a value-filter path, guarded by If-Match.
    let patched = ok(client
        .patch_scim_v2_user(
            &id,
            ScimV2PatchRequest::patch_op()
                .replace(
                    "emails[type eq \"work\"].value",
                    json!("lena.berg@example.com"),
                )
                .add("title", json!("Analyst")),
        )
        .if_match(&tag1)
        .send_with_response());
    let tag2 = patched.etag().expect("ETag on PATCH").to_string();
    assert_eq!(tag2, "\"2\"");
    let user = patched.into_body();
    assert_eq!(version(user.meta.as_ref()), Some(tag2.as_str()));
    assert_eq!(user.title.as_deref(), Some("Analyst"));
    let emails: Vec<(Option<&str>, Option<&ScimEmailType>, Option<bool>)> = user
        .emails
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|e| (e.value.as_deref(), e.type_.as_ref(), e.primary))
        .collect();
    assert_eq!(
        emails,
        vec![
            (
                Some("lena.berg@example.com"),
                Some(&ScimEmailType::Work),
                Some(true)
            ),
            (
                Some("lena@home.example.org"),
                Some(&ScimEmailType::Other),
                None
            ),
        ],
        "only the work address changed"
    );
    let req = last(&server);
    assert_eq!(req.method, "PATCH");
    assert_eq!(req.header("If-Match"), Some("\"1\""));
    assert_eq!(
        req.body_json().expect("PATCH body")["Operations"][0]["path"],
        "emails[type eq \"work\"].value"
    );

    // PUT with the current ETag.
    let mut replacement = user.clone();
    replacement.display_name = Some("Lena Berg-Olsen".into());
    let put = ok(client
        .put_scim_v2_user(&id, replacement.clone())
        .if_match(&tag2)
        .send_with_response());
    let tag3 = put.etag().expect("ETag on PUT").to_string();
    assert_eq!(tag3, "\"3\"");
    assert_eq!(version(put.body().meta.as_ref()), Some(tag3.as_str()));
    assert_eq!(put.body().display_name.as_deref(), Some("Lena Berg-Olsen"));
    assert_eq!(last(&server).header("If-Match"), Some("\"2\""));

    // PUT with a stale ETag: version mismatch, and nothing changes.
    replacement.display_name = Some("Stale Write".into());
    let err = fails(
        client
            .put_scim_v2_user(&id, replacement)
            .if_match(&tag1)
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidVers));
    assert!(err.is_version_mismatch());
    let now = ok(client.get_scim_v2_user(&id).send_with_response());
    assert_eq!(now.etag(), Some(tag3.as_str()));
    assert_eq!(now.body().display_name.as_deref(), Some("Lena Berg-Olsen"));

    // A stale DELETE is refused too; the current one succeeds.
    let err = fails(client.delete_scim_v2_user(&id).if_match(&tag2).send());
    assert!(err.is_version_mismatch(), "{err:?}");
    let deleted = ok(client
        .delete_scim_v2_user(&id)
        .if_match(&tag3)
        .send_with_response());
    assert_eq!(deleted.status(), 204);

    // Gone: 404 for GET, PUT, PATCH and DELETE.
    let err = fails(client.get_scim_v2_user(&id).send());
    assert_http_error(&err, 404, None);
    assert!(err.is_not_found());
    let err = fails(client.delete_scim_v2_user(&id).send());
    assert!(err.is_not_found(), "{err:?}");
    let err = fails(client.put_scim_v2_user(&id, user).send());
    assert!(err.is_not_found(), "{err:?}");
    let err = fails(
        client
            .patch_scim_v2_user(&id, ScimV2PatchRequest::patch_op().remove("title"))
            .send(),
    );
    assert!(err.is_not_found(), "{err:?}");
}

// ----------------------------------------------------------------- paging

fn seed_many(server: &FakeServer, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            seed(
                server,
                json!({
                    "userName": format!("user{i:03}@example.com"),
                    "displayName": format!("User {i}"),
                }),
            )
        })
        .collect()
}

#[test]
fn into_items_pages_through_120_users_exactly_once() {
    let (server, client) = start();
    let ids = seed_many(&server, 120);

    let got: Vec<String> = client
        .get_scim_v2_users()
        .count(25)
        .into_items()
        .map(|u| id_of(&ok(u)))
        .collect();
    assert_eq!(got.len(), 120);
    assert_eq!(got, ids, "every user once, in creation order");
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), 120);

    let reqs = server.journal();
    let starts: Vec<(String, Option<String>, Option<String>)> = reqs
        .iter()
        .map(|r| {
            (
                format!("{} {}", r.method, r.path),
                query(r, "startIndex"),
                query(r, "count"),
            )
        })
        .collect();
    // The first request leaves startIndex out (the server's default is 1).
    let expected: Vec<(String, Option<String>, Option<String>)> =
        [None, Some("26"), Some("51"), Some("76"), Some("101")]
            .iter()
            .map(|s| {
                (
                    "GET /api/v2/scim/v2/users".to_string(),
                    s.map(str::to_string),
                    Some("25".to_string()),
                )
            })
            .collect();
    assert_eq!(starts, expected);

    // Starting explicitly at 1 sends it.
    server.clear_journal();
    let again = client
        .get_scim_v2_users()
        .start_index(1)
        .count(25)
        .into_items()
        .count();
    assert_eq!(again, 120);
    let sent: Vec<Option<String>> = server
        .journal()
        .iter()
        .map(|r| query(r, "startIndex"))
        .collect();
    let want: Vec<Option<String>> = ["1", "26", "51", "76", "101"]
        .iter()
        .map(|s| Some(s.to_string()))
        .collect();
    assert_eq!(sent, want);
}

#[test]
fn into_pages_reports_each_page_of_120_users() {
    let (server, client) = start();
    seed_many(&server, 120);
    let pages: Vec<(usize, Option<i64>, Option<i64>)> = client
        .get_scim_users()
        .count(25)
        .into_pages()
        .map(|p| {
            let p = ok(p);
            (p.items.len(), p.total_results, p.start_index)
        })
        .collect();
    assert_eq!(
        pages,
        [
            (25, Some(120), Some(1)),
            (25, Some(120), Some(26)),
            (25, Some(120), Some(51)),
            (25, Some(120), Some(76)),
            (20, Some(120), Some(101)),
        ]
    );
    assert_eq!(server.journal().len(), 5);
}

// ------------------------------------------------------------- membership

fn group_ids(user: &ScimV2User) -> Vec<String> {
    user.groups
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|g| g.value.clone())
        .collect()
}

fn member_ids(group: &ScimV2Group) -> Vec<String> {
    group
        .members
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.value.clone())
        .collect()
}

#[test]
fn group_membership_add_and_remove() {
    let (server, client) = start();
    let sales = server.group_id("Sales").expect("Sales");
    let ann = id_of(&create(&client, "ann@example.com"));
    let ben = id_of(&create(&client, "ben@example.com"));

    let added = ok(client
        .patch_scim_v2_group(
            &sales,
            ScimV2PatchRequest::patch_op().add("members", json!([{"value": ann}, {"value": ben}])),
        )
        .if_match("\"1\"")
        .send_with_response());
    assert_eq!(added.etag(), Some("\"2\""), "membership bumps the group");
    assert_eq!(member_ids(added.body()), [ann.clone(), ben.clone()]);

    // Adding a member again is ignored.
    let again = ok(client
        .patch_scim_v2_group(
            &sales,
            ScimV2PatchRequest::patch_op().add("members", json!([{"value": ann}])),
        )
        .send());
    assert_eq!(member_ids(&again), [ann.clone(), ben.clone()]);

    // The user's `groups` reflects membership, without bumping its version.
    let user = ok(client.get_scim_v2_user(&ann).send());
    assert_eq!(group_ids(&user), [sales.as_str()]);
    let reference = &user.groups.as_deref().unwrap_or_default()[0];
    assert_eq!(
        reference.type_,
        Some(scim_sdk::models::ScimV2GroupReferenceType::Group)
    );
    assert_eq!(
        reference.ref_.as_deref(),
        Some(format!("{}/api/v2/scim/v2/groups/{sales}", server.base_url()).as_str())
    );
    assert_eq!(version(user.meta.as_ref()), Some("\"1\""));
    let listed = ok(client
        .get_scim_v2_users()
        .filter("userName eq \"ann@example.com\"")
        .send());
    assert_eq!(
        group_ids(&listed.resources.unwrap_or_default()[0]),
        [sales.as_str()]
    );

    // Remove one member through a value filter.
    let removed = ok(client
        .patch_scim_v2_group(
            &sales,
            ScimV2PatchRequest::patch_op().remove(format!("members[value eq \"{ann}\"]")),
        )
        .send());
    assert_eq!(member_ids(&removed), [ben.as_str()]);
    assert_eq!(version(removed.meta.as_ref()), Some("\"4\""));
    assert!(group_ids(&ok(client.get_scim_v2_user(&ann).send())).is_empty());
    assert_eq!(
        group_ids(&ok(client.get_scim_user(&ben).send())),
        [sales.as_str()]
    );

    // An unknown user cannot be added, and the failed PATCH changes nothing.
    let err = fails(
        client
            .patch_scim_group(
                &sales,
                ScimV2PatchRequest::patch_op().add("members", json!([{"value": "no-such-user"}])),
            )
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidValue));

    // Deleting a user takes it out of its groups.
    ok(client.delete_scim_v2_user(&ben).send());
    let group = ok(client.get_scim_group(&sales).send());
    assert!(member_ids(&group).is_empty(), "{:?}", group.members);
    assert_eq!(version(group.meta.as_ref()), Some("\"5\""));
}

// ------------------------------------------------------- conditional GETs

#[test]
fn conditional_get_not_modified_then_modified() {
    let (server, client) = start();
    let created = ok(client
        .post_scim_v2_users(ScimV2CreateUser::new("cg@example.com", "Cond Get"))
        .send_with_response());
    let id = id_of(created.body());
    let tag = created.etag().expect("ETag").to_string();

    let resp = ok(client
        .get_scim_v2_user(&id)
        .if_none_match(&tag)
        .send_with_response());
    assert_eq!(resp.status(), 304);
    assert_eq!(resp.etag(), Some(tag.as_str()));
    assert!(resp.body().is_not_modified());
    assert_eq!(last(&server).header("If-None-Match"), Some("\"1\""));

    // The SDK adds the quotes when they are missing.
    let bare = ok(client.get_scim_user(&id).if_none_match("1").send());
    assert!(matches!(bare, Conditional::NotModified));
    assert_eq!(last(&server).header("If-None-Match"), Some("\"1\""));

    ok(client
        .patch_scim_v2_user(
            &id,
            ScimV2PatchRequest::patch_op().replace("title", json!("Changed")),
        )
        .send());
    match ok(client.get_scim_v2_user(&id).if_none_match(&tag).send()) {
        Conditional::Modified(user) => {
            assert_eq!(user.title.as_deref(), Some("Changed"));
            assert_eq!(version(user.meta.as_ref()), Some("\"2\""));
        }
        Conditional::NotModified => panic!("the user changed; expected Modified"),
    }

    // Groups: a membership change is a change of the group.
    let sales = server.group_id("Sales").expect("Sales");
    let g = ok(client.get_scim_v2_group(&sales).send_with_response());
    let gtag = g.etag().expect("group ETag").to_string();
    assert!(ok(client.get_scim_v2_group(&sales).if_none_match(&gtag).send()).is_not_modified());
    ok(client
        .patch_scim_group(
            &sales,
            ScimV2PatchRequest::patch_op().add("members", json!([{"value": id}])),
        )
        .send());
    let modified = ok(client.get_scim_group(&sales).if_none_match(&gtag).send())
        .modified()
        .expect("Modified after a membership change");
    assert_eq!(modified.members.as_ref().map(Vec::len), Some(1));

    // The service provider configuration has a fixed version.
    let spc = ok(client
        .get_scim_v2_serviceproviderconfig()
        .if_none_match("\"1\"")
        .send());
    assert!(spc.is_not_modified());
    let spc = ok(client
        .get_scim_serviceproviderconfig()
        .if_none_match("\"0\"")
        .send());
    assert!(spc.modified().and_then(|c| c.patch).is_some());
}

// ----------------------------------------------------------------- errors

#[test]
fn error_404_for_unknown_ids() {
    let (server, client) = start();
    let missing = "00000000-0000-4000-8000-00000000dead";
    assert_http_error(&fails(client.get_scim_v2_user(missing).send()), 404, None);
    assert_http_error(&fails(client.get_scim_user(missing).send()), 404, None);
    assert_http_error(&fails(client.delete_scim_user(missing).send()), 404, None);
    assert_http_error(&fails(client.get_scim_v2_group(missing).send()), 404, None);
    assert_http_error(
        &fails(client.put_scim_group(missing, ScimV2Group::new("X")).send()),
        404,
        None,
    );
    assert_http_error(
        &fails(client.get_scim_v2_schema("urn:nope").send()),
        404,
        None,
    );
    assert_http_error(
        &fails(client.get_scim_resourcetype("Nope").send()),
        404,
        None,
    );
    // An id with a slash stays one path segment, so it is an unknown id, not a route.
    assert_http_error(&fails(client.get_scim_v2_user("a/b").send()), 404, None);
    assert_eq!(last(&server).path, "/api/v2/scim/v2/users/a%2Fb");

    // Each answer has its own correlation id.
    let a = fails(client.get_scim_v2_user(missing).send());
    let b = fails(client.get_scim_v2_user(missing).send());
    assert_ne!(a.correlation_id(), b.correlation_id());
}

#[test]
fn error_409_for_a_duplicate_user_name() {
    let (_server, client) = start();
    let first = create(&client, "dup@example.com");
    let err = fails(
        client
            .post_scim_v2_users(ScimV2CreateUser::new("DUP@example.com", "Copy"))
            .send(),
    );
    assert_http_error(&err, 409, Some(ScimErrorScimType::Uniqueness));
    assert!(err.is_conflict());
    assert!(
        err.detail().is_some_and(|d| d.contains("DUP@example.com")),
        "{err:?}"
    );

    // Renaming another user onto a taken name conflicts as well.
    let other = create(&client, "other@example.com");
    let mut renamed = other.clone();
    renamed.user_name = Some("Dup@Example.com".into());
    let err = fails(client.put_scim_user(id_of(&other), renamed).send());
    assert_http_error(&err, 409, Some(ScimErrorScimType::Uniqueness));
    let list = ok(client.get_scim_v2_users().send());
    assert_eq!(list.total_results, Some(2));
    assert_eq!(first.user_name.as_deref(), Some("dup@example.com"));
}

#[test]
fn error_400_invalid_syntax_for_a_malformed_body() {
    // The SDK only ever sends well-formed JSON, so the malformed body goes out
    // through plain ureq; its answer is decoded with the SDK's error model.
    let (server, _client) = start();
    let auth = format!("Bearer {}", server.token());
    let answer = http(
        &server,
        "POST",
        "/api/v2/scim/v2/users",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/scim+json"),
        ],
        b"{\"userName\": \"broken@example.com\",",
    );
    assert_eq!(answer.status, 400);
    assert!(answer.header("ININ-Correlation-Id").is_some());
    let body: scim_sdk::models::ScimError =
        serde_json::from_slice(&answer.body).expect("a SCIM error body");
    assert_eq!(body.scim_type, Some(ScimErrorScimType::InvalidSyntax));
    assert_eq!(body.status.as_deref(), Some("400"));
    assert_eq!(body.schemas, Some(vec![ERROR_URN.to_string()]));
}

#[test]
fn error_400_invalid_syntax_for_a_bad_patch_through_the_sdk() {
    let (_server, client) = start();
    let id = id_of(&create(&client, "syntax@example.com"));
    // Well-formed JSON that is not a PATCH request: no PatchOp schema.
    let no_schema = json!({"Operations": [{"op": "replace", "path": "title", "value": "x"}]});
    let err = fails(send_raw(&client, &PatchScimV2User::INFO, &id, &no_schema));
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidSyntax));
    // An operation the server does not know (kept verbatim by the SDK).
    let unknown_op = ScimV2PatchRequest::patch_op().operation(
        ScimV2PatchOperation::new(ScimV2PatchOperationOp::Unknown("move".into()))
            .with_path("title")
            .with_value(json!("x")),
    );
    let err = fails(client.patch_scim_v2_user(&id, unknown_op).send());
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidSyntax));
}

#[test]
fn error_400_invalid_value_for_missing_or_bad_values() {
    let (server, client) = start();
    let user = create(&client, "iv@example.com");
    let id = id_of(&user);

    // PUT a user without userName.
    let mut no_name = user.clone();
    no_name.user_name = None;
    let err = fails(client.put_scim_v2_user(&id, no_name).send());
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidValue));
    assert!(
        err.detail().is_some_and(|d| d.contains("userName")),
        "{err:?}"
    );

    // POST with an empty (required) displayName.
    let err = fails(
        client
            .post_scim_users(ScimV2CreateUser::new("empty@example.com", ""))
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidValue));

    // PUT a group whose displayName is blank.
    let sales = server.group_id("Sales").expect("Sales");
    let err = fails(
        client
            .put_scim_v2_group(&sales, ScimV2Group::new("  "))
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidValue));

    // An e-mail type outside the documented list.
    let mut odd = user.clone();
    odd.emails = Some(vec![
        ScimEmail::new()
            .with_value("iv@example.com")
            .with_type(ScimEmailType::Unknown("pager".into())),
    ]);
    let err = fails(client.put_scim_v2_user(&id, odd).send());
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidValue));

    // The required filter of /api/v2/scim/v2/groups left empty.
    let err = fails(client.get_scim_v2_groups("").send());
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidValue));
    let sent = last(&server);
    assert_eq!(sent.path, "/api/v2/scim/v2/groups");
    assert_eq!(query(&sent, "filter").as_deref(), Some(""));

    // Nothing above changed the user.
    let now = ok(client.get_scim_v2_user(&id).send_with_response());
    assert_eq!(now.etag(), Some("\"1\""));
}

#[test]
fn error_400_mutability_for_changing_id() {
    let (_server, client) = start();
    let user = create(&client, "mut@example.com");
    let id = id_of(&user);

    let mut other_id = serde_json::to_value(&user).unwrap();
    other_id["id"] = json!("00000000-0000-4000-8000-000000000001");
    let err = fails(send_raw(&client, &PutScimV2User::INFO, &id, &other_id));
    assert_http_error(&err, 400, Some(ScimErrorScimType::Mutability));

    let err = fails(
        client
            .patch_scim_user(
                &id,
                ScimV2PatchRequest::patch_op().replace("id", json!("new-id")),
            )
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::Mutability));

    // Read-only `groups` cannot be patched either.
    let err = fails(
        client
            .patch_scim_v2_user(
                &id,
                ScimV2PatchRequest::patch_op().add("groups", json!([{"value": "g"}])),
            )
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::Mutability));
    assert!(ok(client.get_scim_v2_user(&id).send()).id == Some(id));
}

#[test]
fn error_400_invalid_path_and_no_target() {
    let (_server, client) = start();
    let id = id_of(&create(&client, "path@example.com"));
    let err = fails(
        client
            .patch_scim_v2_user(
                &id,
                ScimV2PatchRequest::patch_op().replace("name.givenName", json!("Ann")),
            )
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidPath));

    let err = fails(
        client
            .patch_scim_v2_user(
                &id,
                ScimV2PatchRequest::patch_op()
                    .replace("emails[type eq \"other\"].value", json!("x@example.org")),
            )
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::NoTarget));

    // A PATCH applies completely or not at all.
    let err = fails(
        client
            .patch_scim_v2_user(
                &id,
                ScimV2PatchRequest::patch_op()
                    .replace("title", json!("Set"))
                    .remove("bogusAttribute"),
            )
            .send(),
    );
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidPath));
    let user = ok(client.get_scim_v2_user(&id).send());
    assert_eq!(user.title, None);
    assert_eq!(version(user.meta.as_ref()), Some("\"1\""));
}

#[test]
fn error_400_invalid_filter() {
    let (server, client) = start();
    for filter in [
        "title eq \"Boss\"",
        "userName co \"a\"",
        "userName eq \"a\" or userName eq \"b\"",
        "userName eq",
    ] {
        let err = fails(client.get_scim_v2_users().filter(filter).send());
        assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidFilter));
        assert_eq!(query(&last(&server), "filter").as_deref(), Some(filter));
    }
    let err = fails(client.get_scim_v2_groups("members eq \"x\"").send());
    assert_http_error(&err, 400, Some(ScimErrorScimType::InvalidFilter));
    // The paging iterator hands the error over and stops.
    let mut items = client.get_scim_users().filter("nope").into_items();
    let first = items.next().expect("one item");
    assert_eq!(
        first.err().and_then(|e| e.scim_type().cloned()),
        Some(ScimErrorScimType::InvalidFilter)
    );
    assert!(items.next().is_none());
}

#[test]
fn error_401_for_wrong_missing_or_expired_tokens() {
    let server = FakeServer::builder()
        .token_lifetime(std::time::Duration::ZERO)
        .start()
        .expect("start");
    let id = seed(
        &server,
        json!({"userName": "auth@example.com", "displayName": "A"}),
    );

    let wrong = client_with_token(&server, "not-the-token");
    let err = fails(wrong.get_scim_v2_user(&id).send());
    assert_http_error(&err, 401, None);
    let err = fails(wrong.delete_scim_v2_user(&id).send());
    assert_http_error(&err, 401, None);
    assert_eq!(
        last(&server).header("Authorization"),
        Some("Bearer not-the-token")
    );

    // An issued token that has already expired (lifetime 0).
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", server.client_id(), server.client_secret()))
    );
    let answer = http(
        &server,
        "POST",
        "/oauth/token",
        &[
            ("Authorization", &basic),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"grant_type=client_credentials",
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let token: Value = serde_json::from_slice(&answer.body).expect("token JSON");
    let expired = client_with_token(&server, token["access_token"].as_str().expect("token"));
    let err = fails(expired.get_scim_v2_user(&id).send());
    assert_http_error(&err, 401, None);
    assert!(
        err.detail().is_some_and(|d| d.contains("expired")),
        "{err:?}"
    );

    // No Authorization header at all (the SDK always sends one).
    let answer = http(
        &server,
        "GET",
        &format!("/api/v2/scim/v2/users/{id}"),
        &[],
        b"",
    );
    assert_eq!(answer.status, 401);

    // None of this touched the user.
    let good = client_with_token(&server, &server.token());
    assert_eq!(ok(good.get_scim_v2_user(&id).send()).id, Some(id));
}

#[test]
fn error_403_for_a_filter_on_schemas() {
    let (_server, client) = start();
    let err = fails(
        client
            .get_scim_v2_schemas()
            .filter("id eq \"urn:ietf:params:scim:schemas:core:2.0:User\"")
            .send(),
    );
    assert_http_error(&err, 403, None);
    let err = fails(client.get_scim_schemas().filter("name eq User").send());
    assert_http_error(&err, 403, None);
    assert!(
        err.detail().is_some_and(|d| d.contains("filter")),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- filters

#[test]
fn filters_through_the_sdk() {
    let (server, client) = start();
    let mut ids = Vec::new();
    for (name, active, authority, value) in [
        ("fa@example.com", true, "hr", "E-1"),
        ("fb@example.com", false, "hr", "E-2"),
        ("fc@example.com", true, "crm", "E-1"),
    ] {
        let body = ScimV2CreateUser::new(name, name)
            .with_active(active)
            .with_genesys_user(
                ScimUserExtensions::new()
                    .with_external_ids(vec![ScimGenesysUserExternalId::new(authority, value)]),
            );
        ids.push(id_of(&ok(client.post_scim_v2_users(body).send())));
    }
    let users = |filter: &str| -> Vec<String> {
        ok(client.get_scim_v2_users().filter(filter).send())
            .resources
            .unwrap_or_default()
            .iter()
            .map(id_of)
            .collect()
    };
    assert_eq!(users("userName eq \"fa@example.com\""), [ids[0].clone()]);
    assert_eq!(users("userName eq \"FC@EXAMPLE.COM\""), [ids[2].clone()]);
    // Inactive users are hidden unless the filter mentions `active`.
    assert!(users("userName eq \"fb@example.com\"").is_empty());
    assert_eq!(users("active eq false"), [ids[1].clone()]);
    assert_eq!(users("active eq true"), [ids[0].clone(), ids[2].clone()]);
    assert_eq!(
        users("externalIds[authority eq \"hr\" and value eq \"E-1\"]"),
        [ids[0].clone()]
    );
    assert_eq!(
        users(&format!(
            "{GENESYS_URN}:externalIds[authority eq \"hr\" and value eq \"E-2\"] and active eq false"
        )),
        [ids[1].clone()]
    );
    assert_eq!(
        query(&last(&server), "filter"),
        Some(format!(
            "{GENESYS_URN}:externalIds[authority eq \"hr\" and value eq \"E-2\"] and active eq false"
        ))
    );

    let sales = server.group_id("Sales").expect("Sales");
    let groups = ok(client.get_scim_v2_groups("displayName eq Sales").send());
    let found: Vec<Option<String>> = groups
        .resources
        .unwrap_or_default()
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(found, [Some(sales.clone())]);
    assert_eq!(
        query(&last(&server), "filter").as_deref(),
        Some("displayName eq Sales")
    );
    let legacy = ok(client
        .get_scim_groups()
        .filter("displayName eq Sales")
        .send());
    assert_eq!(legacy.total_results, Some(1));
    assert_eq!(
        legacy.resources.unwrap_or_default()[0]
            .display_name
            .as_deref(),
        Some("Sales")
    );
}

// ------------------------------------------------------------- projection

#[test]
fn attribute_projection_on_users() {
    let (server, client) = start();
    let body = ScimV2CreateUser::new("proj@example.com", "Pro Jection")
        .with_title("Lead")
        .with_emails(vec![ScimEmail::new().with_value("proj@example.com")])
        .with_enterprise_user(scim_sdk::models::ScimV2EnterpriseUser::new().with_division("D1"))
        .with_genesys_user(
            ScimUserExtensions::new()
                .with_external_ids(vec![ScimGenesysUserExternalId::new("hr", "P-1")])
                .with_routing_skills(vec![scim_sdk::models::ScimUserRoutingSkill::new("Sales")]),
        );
    let id = id_of(&ok(client.post_scim_v2_users(body).send()));

    let only = ok(client
        .get_scim_v2_user(&id)
        .attributes(["displayName"])
        .send());
    assert_eq!(only.display_name.as_deref(), Some("Pro Jection"));
    assert_eq!(only.id.as_deref(), Some(id.as_str()));
    assert_eq!(only.user_name.as_deref(), Some("proj@example.com"));
    assert_eq!(only.active, Some(true));
    assert_eq!(version(only.meta.as_ref()), Some("\"1\""));
    assert!(only.schemas.is_some());
    assert_eq!(only.title, None);
    assert_eq!(only.emails, None);
    assert_eq!(only.groups, None);
    assert_eq!(only.enterprise_user, None);
    assert_eq!(only.genesys_user, None);
    assert_eq!(
        query(&last(&server), "attributes").as_deref(),
        Some("displayName")
    );

    let trimmed = ok(client
        .get_scim_user(&id)
        .excluded_attributes([
            "emails",
            "title",
            "userName",
            ENTERPRISE_URN,
            &format!("{GENESYS_URN}:externalIds"),
        ])
        .send());
    assert_eq!(trimmed.emails, None);
    assert_eq!(trimmed.title, None);
    assert_eq!(trimmed.enterprise_user, None);
    let genesys = trimmed.genesys_user.expect("the rest of the extension");
    assert_eq!(genesys.external_ids, None);
    assert_eq!(genesys.routing_skills.map(|s| s.len()), Some(1));
    assert_eq!(trimmed.display_name.as_deref(), Some("Pro Jection"));
    assert_eq!(
        trimmed.user_name.as_deref(),
        Some("proj@example.com"),
        "userName is always returned"
    );
    assert!(trimmed.meta.is_some() && trimmed.id.is_some());
    assert_eq!(
        query(&last(&server), "excludedAttributes"),
        Some(format!(
            "emails,title,userName,{ENTERPRISE_URN},{GENESYS_URN}:externalIds"
        ))
    );

    // Lists and writes project too.
    let list = ok(client
        .get_scim_v2_users()
        .attributes(["emails", "urn:ietf:params:scim:schemas:core:2.0:User:title"])
        .send());
    let listed = &list.resources.unwrap_or_default()[0];
    assert_eq!(listed.title.as_deref(), Some("Lead"));
    assert!(listed.emails.is_some());
    assert_eq!(listed.display_name, None);
    assert!(listed.meta.is_some() && listed.user_name.is_some());
}

#[test]
fn attribute_projection_on_groups() {
    let (server, client) = start();
    let sales = server.group_id("Sales").expect("Sales");
    let without_members = ok(client
        .get_scim_v2_group(&sales)
        .excluded_attributes(["members"])
        .send());
    assert_eq!(without_members.members, None);
    assert_eq!(without_members.display_name.as_deref(), Some("Sales"));
    assert!(without_members.meta.is_some() && without_members.id.is_some());

    let listed = ok(client.get_scim_groups().attributes(["displayName"]).send());
    for g in listed.resources.unwrap_or_default() {
        assert_eq!(g.members, None);
        assert!(g.id.is_some() && g.meta.is_some());
    }
}

/// Required attributes are `Option`s in the models precisely so that a
/// projected response that leaves them out still decodes.
#[test]
fn group_projection_without_display_name_decodes() {
    let (server, client) = start();
    let sales = server.group_id("Sales").expect("Sales");
    let members_only = client
        .get_scim_v2_group(&sales)
        .attributes(["members"])
        .send();
    let group = ok(members_only);
    assert_eq!(group.id.as_deref(), Some(sales.as_str()));
    assert_eq!(group.members, Some(vec![]));
    assert_eq!(group.display_name, None);
}

// ------------------------------------------------------ unknown attributes

#[test]
fn unknown_attributes_survive_get_then_put() {
    let (server, client) = start();
    const ACME_URN: &str = "urn:example:params:scim:schemas:extension:acme:1.0:User";
    // Seeding bypasses validation, so the fake stores and returns attributes
    // the SDK's models do not describe.
    let seeded = server.seed_user(json!({
        "userName": "legacy@example.com",
        "displayName": "Legacy",
        "favouriteColour": "teal",
        "emails": [{"value": "legacy@example.com", "type": "work", "display": "Work mail"}],
        ENTERPRISE_URN: {"division": "Home", "costCenter": "CC-9",
                         "manager": {"value": "m-1", "displayName": "Boss"}},
        ACME_URN: {"badge": 42},
    }));
    let id = seeded["id"].as_str().expect("id").to_string();

    let user = ok(client.get_scim_v2_user(&id).send());
    assert_eq!(
        user.additional_properties.get("favouriteColour"),
        Some(&json!("teal"))
    );
    assert_eq!(
        user.additional_properties.get(ACME_URN),
        Some(&json!({"badge": 42}))
    );
    let email = &user.emails.as_deref().unwrap_or_default()[0];
    assert_eq!(
        email.additional_properties.get("display"),
        Some(&json!("Work mail"))
    );
    let ent = user.enterprise_user.as_ref().expect("enterprise");
    assert_eq!(
        ent.additional_properties.get("costCenter"),
        Some(&json!("CC-9"))
    );
    assert_eq!(
        ent.manager
            .as_ref()
            .and_then(|m| m.additional_properties.get("displayName")),
        Some(&json!("Boss"))
    );

    let mut changed = user.clone();
    changed.title = Some("Archivist".into());
    let put = ok(client
        .put_scim_v2_user(&id, changed)
        .if_match("\"1\"")
        .send());
    assert_eq!(put.title.as_deref(), Some("Archivist"));

    // What the SDK sent: every unknown attribute, where it was.
    let sent = last(&server).body_json().expect("PUT body");
    assert_eq!(sent["favouriteColour"], "teal");
    assert_eq!(sent[ACME_URN], json!({"badge": 42}));
    assert_eq!(sent["emails"][0]["display"], "Work mail");
    assert_eq!(sent[ENTERPRISE_URN]["costCenter"], "CC-9");
    assert_eq!(sent[ENTERPRISE_URN]["manager"]["displayName"], "Boss");
    assert_eq!(sent["title"], "Archivist");

    // The fake documents that it drops unknown attributes on write.
    assert!(!put.additional_properties.contains_key("favouriteColour"));
    assert_eq!(
        put.enterprise_user.and_then(|e| e.division),
        Some("Home".to_string())
    );
}

// ------------------------------------------------------ hostile filter values

#[test]
fn filter_values_cannot_widen_the_filter() {
    let (server, client) = start();
    for name in ["victim@example.com", "other@example.com"] {
        ok(client
            .post_scim_v2_users(ScimV2CreateUser::new(name, name))
            .send());
    }
    // Pasted into a format! string, this value would close the literal early
    // and add a condition of its own; escaped, it stays one literal that
    // matches no user name.
    let hostile = r#"x" and userName eq "victim@example.com"#;
    let filter = scim_sdk::Filter::eq("userName", hostile).expect("valid attribute");
    server.clear_journal();
    let found = ok(client.get_scim_v2_users().filter(filter).send());
    assert_eq!(
        found.total_results,
        Some(0),
        "the hostile value matched users"
    );
    let sent = server.journal().pop().expect("one request");
    let pairs = sent.query_pairs();
    let (_, value) = pairs
        .iter()
        .find(|(k, _)| k == "filter")
        .expect("filter sent");
    assert_eq!(
        value,
        r#"userName eq "x\" and userName eq \"victim@example.com""#
    );

    let typed = scim_sdk::Filter::eq("userName", "victim@example.com").expect("valid attribute");
    let found = ok(client.get_scim_v2_users().filter(typed).send());
    assert_eq!(found.total_results, Some(1));
}
