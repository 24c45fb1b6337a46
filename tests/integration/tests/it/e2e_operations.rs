//! End to end: each of the 30 operations called through the SDK against the
//! stateful fake (`scim-fake`), checking the typed answer and, through the
//! fake's journal, what reached the server.
//!
//! Both families (`/api/v2/scim/` and `/api/v2/scim/v2/`) share one checker
//! per operation; each `#[test]` passes the family's prefix and a closure that
//! makes the call.

use percent_encoding::percent_decode_str;
use scim_fake::{FakeServer, RecordedRequest};
use scim_sdk::models::{
    Manager, ScimConfigResourceType, ScimConfigResourceTypesListResponse, ScimEmail, ScimEmailType,
    ScimGenesysUserExternalId, ScimGroupListResponse, ScimMetadataResourceType, ScimPhoneNumber,
    ScimPhoneNumberType, ScimServiceProviderConfig,
    ScimServiceProviderConfigAuthenticationSchemeType, ScimUserExtensions, ScimUserListResponse,
    ScimUserRoutingSkill, ScimV2CreateUser, ScimV2EnterpriseUser, ScimV2Group,
    ScimV2MemberReference, ScimV2MemberReferenceType, ScimV2PatchRequest,
    ScimV2SchemaAttributeMutability, ScimV2SchemaAttributeReturned, ScimV2SchemaAttributeType,
    ScimV2SchemaAttributeUniqueness, ScimV2SchemaDefinition, ScimV2SchemaListResponse, ScimV2User,
};
use scim_sdk::{Client, Error, Response};
use scim_sdk_integration_tests::fake::{self, ok, query, start};
use serde_json::{Value, json};

const LEGACY: &str = "/api/v2/scim/";
const V2: &str = "/api/v2/scim/v2/";

const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GENESYS_URN: &str = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";
const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SCIM_JSON: &str = "application/scim+json";

type Sent<T> = Result<Response<T>, Error>;

// ---------------------------------------------------------------- helpers

/// Decodes `%XX` escapes (enough for paths in the journal).
fn pct_decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .expect("utf-8 path")
        .into_owned()
}

/// The single request with `method` in the journal; checks its path
/// (percent-decoded) and that it carried the server's bearer token.
fn sent(server: &FakeServer, method: &str, path: &str) -> RecordedRequest {
    let matching: Vec<RecordedRequest> = server
        .journal()
        .into_iter()
        .filter(|r| r.method == method)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "exactly one {method} expected: {matching:#?}"
    );
    let req = matching.into_iter().next().expect("one request");
    assert_eq!(pct_decode(&req.path), path, "path of the {method}");
    assert_eq!(
        req.header("Authorization"),
        Some(format!("Bearer {}", server.token()).as_str())
    );
    req
}

/// The JSON body of a write request, after checking its media type.
fn json_body(req: &RecordedRequest) -> Value {
    assert_eq!(req.header("Content-Type"), Some(SCIM_JSON));
    req.body_json().expect("a JSON request body")
}

/// Checks `meta` and the ETag header of a user or group answer.
fn check_meta<T>(
    server: &FakeServer,
    resp: &Response<T>,
    meta: Option<&scim_sdk::models::ScimMetadata>,
    kind: ScimMetadataResourceType,
    location: String,
    version: &str,
) {
    let meta = meta.expect("meta");
    assert_eq!(meta.resource_type.as_ref(), Some(&kind));
    assert_eq!(meta.version.as_deref(), Some(version), "meta.version");
    assert_eq!(resp.etag(), Some(version), "ETag header");
    assert_eq!(
        meta.location.as_deref(),
        Some(format!("{}{location}", server.base_url()).as_str())
    );
    let modified = meta.last_modified.as_deref().expect("lastModified");
    assert!(
        modified.len() >= 20 && modified.ends_with('Z') && modified.as_bytes()[10] == b'T',
        "lastModified is RFC 3339 UTC: {modified}"
    );
    let correlation = resp.correlation_id().expect("ININ-Correlation-Id");
    assert!(!correlation.is_empty());
}

fn new_user(user_name: &str) -> ScimV2CreateUser {
    ScimV2CreateUser::new(user_name, "Jane Doe")
        .with_title("Engineer")
        .with_password("s3cret-Passw0rd")
        .with_external_id("ext-jane")
        .with_emails(vec![
            ScimEmail::new()
                .with_value(user_name)
                .with_type(ScimEmailType::Work)
                .with_primary(true),
            ScimEmail::new()
                .with_value("jane.home@example.org")
                .with_type(ScimEmailType::Other),
        ])
        .with_phone_numbers(vec![
            ScimPhoneNumber::new()
                .with_value("+1 555 0100")
                .with_type(ScimPhoneNumberType::Mobile),
        ])
        .with_enterprise_user(
            ScimV2EnterpriseUser::new()
                .with_division("Home")
                .with_department("R&D")
                .with_employee_number("E-7")
                .with_manager(Manager::new().with_value("mgr-1")),
        )
        .with_genesys_user(
            ScimUserExtensions::new()
                .with_external_ids(vec![ScimGenesysUserExternalId::new("hr", "E-7")])
                .with_routing_skills(vec![
                    ScimUserRoutingSkill::new("Support").with_proficiency(4.5),
                ]),
        )
}

fn seed(server: &FakeServer, user_name: &str, display_name: &str) -> String {
    fake::seed(
        server,
        json!({
            "userName": user_name,
            "displayName": display_name,
            "title": "Clerk",
            "emails": [{"value": user_name, "type": "work", "primary": true}],
        }),
    )
}

fn user_of(v: Value) -> ScimV2User {
    serde_json::from_value(v).expect("a user document")
}

fn member(id: &str) -> ScimV2MemberReference {
    ScimV2MemberReference::new().with_value(id)
}

// ------------------------------------------------------------------ users

fn check_post_user(prefix: &str, post: impl FnOnce(&Client, ScimV2CreateUser) -> Sent<ScimV2User>) {
    let (server, client) = start();
    let resp = ok(post(&client, new_user("jane@example.com")));
    assert_eq!(resp.status(), 201);
    let user = resp.body().clone();
    let id = user.id.clone().expect("server-assigned id");
    assert_eq!(id.len(), 36, "UUID-like id: {id}");
    assert_eq!(user.user_name.as_deref(), Some("jane@example.com"));
    assert_eq!(user.display_name.as_deref(), Some("Jane Doe"));
    assert_eq!(user.title.as_deref(), Some("Engineer"));
    assert_eq!(user.external_id.as_deref(), Some("ext-jane"));
    assert_eq!(user.active, Some(true), "active defaults to true");
    assert_eq!(user.password, None, "password is never returned");
    assert_eq!(user.groups, Some(vec![]));
    let emails = user.emails.as_ref().expect("emails");
    assert_eq!(emails.len(), 2);
    assert_eq!(emails[0].type_, Some(ScimEmailType::Work));
    assert_eq!(emails[0].primary, Some(true));
    assert_eq!(emails[1].value.as_deref(), Some("jane.home@example.org"));
    let phones = user.phone_numbers.as_ref().expect("phones");
    assert_eq!(phones[0].type_, Some(ScimPhoneNumberType::Mobile));
    let ent = user.enterprise_user.as_ref().expect("enterprise extension");
    assert_eq!(ent.division.as_deref(), Some("Home"));
    assert_eq!(ent.employee_number.as_deref(), Some("E-7"));
    assert_eq!(
        ent.manager.as_ref().and_then(|m| m.value.as_deref()),
        Some("mgr-1")
    );
    let gen_ = user.genesys_user.as_ref().expect("genesys extension");
    assert_eq!(
        gen_.external_ids,
        Some(vec![ScimGenesysUserExternalId::new("hr", "E-7")])
    );
    let skills = gen_.routing_skills.as_ref().expect("skills");
    assert_eq!(
        (skills[0].name.as_deref(), skills[0].proficiency),
        (Some("Support"), Some(4.5))
    );
    assert_eq!(
        user.schemas,
        Some(vec![
            USER_URN.to_string(),
            ENTERPRISE_URN.to_string(),
            GENESYS_URN.to_string()
        ])
    );
    let location = format!("{prefix}users/{id}");
    check_meta(
        &server,
        &resp,
        user.meta.as_ref(),
        ScimMetadataResourceType::User,
        location.clone(),
        "\"1\"",
    );
    assert_eq!(
        resp.header("Location"),
        Some(format!("{}{location}", server.base_url()).as_str())
    );

    let req = sent(&server, "POST", &format!("{prefix}users"));
    let body = json_body(&req);
    assert_eq!(body["userName"], "jane@example.com");
    assert_eq!(body["password"], "s3cret-Passw0rd", "the password was sent");
    assert_eq!(body[ENTERPRISE_URN]["manager"]["value"], "mgr-1");
    assert_eq!(body[GENESYS_URN]["externalIds"][0]["authority"], "hr");
    assert!(body.get("id").is_none(), "no id on create: {body}");
}

#[test]
fn post_scim_users() {
    check_post_user(LEGACY, |c, b| c.post_scim_users(b).send_with_response());
}

#[test]
fn post_scim_v2_users() {
    check_post_user(V2, |c, b| c.post_scim_v2_users(b).send_with_response());
}

fn check_get_user(prefix: &str, get: impl FnOnce(&Client, &str) -> Sent<ScimV2User>) {
    let (server, client) = start();
    let id = seed(&server, "sam@example.com", "Sam Smith");
    let resp = ok(get(&client, &id));
    assert_eq!(resp.status(), 200);
    let user = resp.body();
    assert_eq!(user.id.as_deref(), Some(id.as_str()));
    assert_eq!(user.user_name.as_deref(), Some("sam@example.com"));
    assert_eq!(user.display_name.as_deref(), Some("Sam Smith"));
    assert_eq!(user.title.as_deref(), Some("Clerk"));
    assert_eq!(user.active, Some(true));
    assert_eq!(user.groups, Some(vec![]), "no memberships yet");
    let email = &user.emails.as_ref().expect("emails")[0];
    assert_eq!(email.value.as_deref(), Some("sam@example.com"));
    check_meta(
        &server,
        &resp,
        user.meta.as_ref(),
        ScimMetadataResourceType::User,
        format!("{prefix}users/{id}"),
        "\"1\"",
    );
    let req = sent(&server, "GET", &format!("{prefix}users/{id}"));
    assert!(req.body.is_empty());
    assert_eq!(req.query, None);
}

#[test]
fn get_scim_user() {
    check_get_user(LEGACY, |c, id| c.get_scim_user(id).send_with_response());
}

#[test]
fn get_scim_v2_user() {
    check_get_user(V2, |c, id| c.get_scim_v2_user(id).send_with_response());
}

fn check_list_users(
    prefix: &str,
    list: impl Fn(&Client, Option<&str>, i32, i32) -> Sent<ScimUserListResponse>,
) {
    let (server, client) = start();
    let ids: Vec<String> = ["alice", "bob", "carol"]
        .iter()
        .map(|n| seed(&server, &format!("{n}@example.com"), n))
        .collect();
    server
        .seed_user(json!({"userName": "dave@example.com", "displayName": "dave", "active": false}));

    // A page from the middle: inactive users are not listed without an `active` filter.
    let page = ok(list(&client, None, 2, 2)).into_body();
    assert_eq!(page.schemas, Some(vec![LIST_URN.to_string()]));
    assert_eq!(page.total_results, Some(3));
    assert_eq!(page.start_index, Some(2));
    assert_eq!(page.items_per_page, Some(2));
    let got: Vec<Option<String>> = page
        .resources
        .expect("Resources")
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(got, vec![Some(ids[1].clone()), Some(ids[2].clone())]);

    // A filter, which the fake compares ignoring case for userName.
    let found = ok(list(
        &client,
        Some("userName eq \"BOB@example.com\""),
        1,
        10,
    ))
    .into_body();
    assert_eq!(found.total_results, Some(1));
    let bob = &found.resources.expect("Resources")[0];
    assert_eq!(bob.user_name.as_deref(), Some("bob@example.com"));
    assert_eq!(bob.id.as_deref(), Some(ids[1].as_str()));

    let reqs = server.journal();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("GET", &*format!("{prefix}users"))
        );
    }
    assert_eq!(query(&reqs[0], "startIndex").as_deref(), Some("2"));
    assert_eq!(query(&reqs[0], "count").as_deref(), Some("2"));
    assert_eq!(query(&reqs[0], "filter"), None);
    assert_eq!(
        query(&reqs[1], "filter").as_deref(),
        Some("userName eq \"BOB@example.com\"")
    );
}

#[test]
fn get_scim_users() {
    check_list_users(LEGACY, |c, f, start, count| {
        let mut b = c.get_scim_users().start_index(start).count(count);
        if let Some(f) = f {
            b = b.filter(f);
        }
        b.send_with_response()
    });
}

#[test]
fn get_scim_v2_users() {
    check_list_users(V2, |c, f, start, count| {
        let mut b = c.get_scim_v2_users().start_index(start).count(count);
        if let Some(f) = f {
            b = b.filter(f);
        }
        b.send_with_response()
    });
}

fn check_put_user(
    prefix: &str,
    put: impl FnOnce(&Client, &str, ScimV2User, &str) -> Sent<ScimV2User>,
) {
    let (server, client) = start();
    let seeded = server.seed_user(json!({
        "userName": "pat@example.com",
        "displayName": "Pat",
        "title": "Clerk",
        "emails": [{"value": "pat@example.com", "type": "work"}],
    }));
    let mut user = user_of(seeded);
    let id = user.id.clone().expect("id");
    user.display_name = Some("Pat Q. Public".into());
    user.title = Some("Manager".into());
    user.phone_numbers = Some(vec![
        ScimPhoneNumber::new()
            .with_value("+1 555 0199")
            .with_type(ScimPhoneNumberType::Work),
    ]);
    let resp = ok(put(&client, &id, user, "\"1\""));
    assert_eq!(resp.status(), 200);
    let got = resp.body();
    assert_eq!(got.id.as_deref(), Some(id.as_str()));
    assert_eq!(got.display_name.as_deref(), Some("Pat Q. Public"));
    assert_eq!(got.title.as_deref(), Some("Manager"));
    assert_eq!(
        got.phone_numbers.as_ref().expect("phones")[0]
            .value
            .as_deref(),
        Some("+1 555 0199")
    );
    assert_eq!(got.active, Some(true), "active kept");
    check_meta(
        &server,
        &resp,
        got.meta.as_ref(),
        ScimMetadataResourceType::User,
        format!("{prefix}users/{id}"),
        "\"2\"",
    );

    let req = sent(&server, "PUT", &format!("{prefix}users/{id}"));
    assert_eq!(req.header("If-Match"), Some("\"1\""));
    let body = json_body(&req);
    assert_eq!(body.get("id"), None, "read-only attributes are left out");
    assert_eq!(body["title"], "Manager");
    assert_eq!(body["phoneNumbers"][0]["type"], "work");
}

#[test]
fn put_scim_user() {
    check_put_user(LEGACY, |c, id, body, tag| {
        c.put_scim_user(id, body).if_match(tag).send_with_response()
    });
}

#[test]
fn put_scim_v2_user() {
    check_put_user(V2, |c, id, body, tag| {
        c.put_scim_v2_user(id, body)
            .if_match(tag)
            .send_with_response()
    });
}

fn check_patch_user(
    prefix: &str,
    send: impl FnOnce(&Client, &str, ScimV2PatchRequest) -> Sent<ScimV2User>,
) {
    let (server, client) = start();
    let id = seed(&server, "kim@example.com", "Kim");
    let body = ScimV2PatchRequest::patch_op()
        .replace("displayName", json!("Kim Lee"))
        .remove("title")
        .add(
            "phoneNumbers",
            json!([{"value": "+1 555 0123", "type": "home"}]),
        )
        .replace(format!("{ENTERPRISE_URN}:division"), json!("Field"));
    let resp = ok(send(&client, &id, body));
    assert_eq!(resp.status(), 200);
    let user = resp.body();
    assert_eq!(user.display_name.as_deref(), Some("Kim Lee"));
    assert_eq!(user.title, None, "title removed");
    let phone = &user.phone_numbers.as_ref().expect("phones")[0];
    assert_eq!(phone.type_, Some(ScimPhoneNumberType::Home));
    assert_eq!(
        user.enterprise_user
            .as_ref()
            .and_then(|e| e.division.as_deref()),
        Some("Field")
    );
    assert_eq!(user.user_name.as_deref(), Some("kim@example.com"));
    check_meta(
        &server,
        &resp,
        user.meta.as_ref(),
        ScimMetadataResourceType::User,
        format!("{prefix}users/{id}"),
        "\"2\"",
    );

    let req = sent(&server, "PATCH", &format!("{prefix}users/{id}"));
    let body = json_body(&req);
    assert_eq!(body["schemas"], json!([PATCH_URN]));
    assert_eq!(
        body["Operations"][0],
        json!({"op": "replace", "path": "displayName", "value": "Kim Lee"})
    );
    assert_eq!(
        body["Operations"][1],
        json!({"op": "remove", "path": "title"})
    );
}

#[test]
fn patch_scim_user() {
    check_patch_user(LEGACY, |c, id, b| {
        c.patch_scim_user(id, b).send_with_response()
    });
}

#[test]
fn patch_scim_v2_user() {
    check_patch_user(V2, |c, id, b| {
        c.patch_scim_v2_user(id, b).send_with_response()
    });
}

fn check_delete_user(prefix: &str, delete: impl FnOnce(&Client, &str) -> Sent<()>) {
    let (server, client) = start();
    let id = seed(&server, "gone@example.com", "Gone");
    let keep = seed(&server, "stay@example.com", "Stay");
    let resp = ok(delete(&client, &id));
    assert_eq!(resp.status(), 204);
    assert!(resp.correlation_id().is_some());
    let req = sent(&server, "DELETE", &format!("{prefix}users/{id}"));
    assert!(req.body.is_empty());

    let err = client
        .get_scim_v2_user(&id)
        .send()
        .expect_err("the user is gone");
    assert!(err.is_not_found(), "{err:?}");
    let left = client.get_scim_v2_users().send().expect("list");
    assert_eq!(left.total_results, Some(1));
    assert_eq!(
        left.resources.expect("Resources")[0].id.as_deref(),
        Some(keep.as_str())
    );
}

#[test]
fn delete_scim_user() {
    check_delete_user(LEGACY, |c, id| c.delete_scim_user(id).send_with_response());
}

#[test]
fn delete_scim_v2_user() {
    check_delete_user(V2, |c, id| c.delete_scim_v2_user(id).send_with_response());
}

// ----------------------------------------------------------------- groups

fn check_get_group(prefix: &str, get: impl FnOnce(&Client, &str) -> Sent<ScimV2Group>) {
    let (server, client) = start();
    let id = server.group_id("Support").expect("seeded group");
    let resp = ok(get(&client, &id));
    assert_eq!(resp.status(), 200);
    let group = resp.body();
    assert_eq!(group.id.as_deref(), Some(id.as_str()));
    assert_eq!(group.display_name.as_deref(), Some("Support"));
    assert_eq!(group.members, Some(vec![]));
    assert_eq!(group.schemas, Some(vec![GROUP_URN.to_string()]));
    check_meta(
        &server,
        &resp,
        group.meta.as_ref(),
        ScimMetadataResourceType::Group,
        format!("{prefix}groups/{id}"),
        "\"1\"",
    );
    sent(&server, "GET", &format!("{prefix}groups/{id}"));
}

#[test]
fn get_scim_group() {
    check_get_group(LEGACY, |c, id| c.get_scim_group(id).send_with_response());
}

#[test]
fn get_scim_v2_group() {
    check_get_group(V2, |c, id| c.get_scim_v2_group(id).send_with_response());
}

fn names(list: &ScimGroupListResponse) -> Vec<&str> {
    list.resources
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|g| g.display_name.as_deref())
        .collect()
}

#[test]
fn get_scim_groups() {
    let (server, client) = start();
    // The filter is optional on this family.
    let all = ok(client.get_scim_groups().send_with_response()).into_body();
    assert_eq!(all.total_results, Some(3));
    assert_eq!(names(&all), ["Sales", "Support", "Engineering"]);
    let sales = server.group_id("Sales").expect("Sales");
    assert_eq!(
        all.resources.as_ref().expect("Resources")[0].id.as_deref(),
        Some(sales.as_str())
    );

    let page = ok(client
        .get_scim_groups()
        .start_index(2)
        .count(1)
        .send_with_response())
    .into_body();
    assert_eq!(
        (page.total_results, page.start_index, page.items_per_page),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(names(&page), ["Support"]);

    let filtered = ok(client
        .get_scim_groups()
        .filter("displayName eq \"Engineering\"")
        .send_with_response())
    .into_body();
    assert_eq!(names(&filtered), ["Engineering"]);

    let reqs = server.journal();
    assert_eq!(reqs.len(), 3);
    assert!(reqs.iter().all(|r| r.path == "/api/v2/scim/groups"));
    assert_eq!(reqs[0].query, None);
    assert_eq!(query(&reqs[1], "startIndex").as_deref(), Some("2"));
    assert_eq!(query(&reqs[1], "count").as_deref(), Some("1"));
    assert_eq!(
        query(&reqs[2], "filter").as_deref(),
        Some("displayName eq \"Engineering\"")
    );
}

#[test]
fn get_scim_v2_groups() {
    let (server, client) = start();
    let resp = ok(client
        .get_scim_v2_groups("displayName eq \"Support\"")
        .send_with_response());
    assert_eq!(resp.status(), 200);
    let list = resp.into_body();
    assert_eq!(list.schemas, Some(vec![LIST_URN.to_string()]));
    assert_eq!(list.total_results, Some(1));
    assert_eq!(names(&list), ["Support"]);
    let support = server.group_id("Support").expect("Support");
    let group = &list.resources.as_ref().expect("Resources")[0];
    assert_eq!(group.id.as_deref(), Some(support.as_str()));
    assert_eq!(
        group.meta.as_ref().and_then(|m| m.location.as_deref()),
        Some(format!("{}{V2}groups/{support}", server.base_url()).as_str())
    );

    let by_id = ok(client
        .get_scim_v2_groups(format!("id eq \"{support}\""))
        .count(5)
        .send_with_response())
    .into_body();
    assert_eq!(names(&by_id), ["Support"]);

    let reqs = server.journal();
    assert_eq!(reqs.len(), 2);
    assert!(reqs.iter().all(|r| r.path == "/api/v2/scim/v2/groups"));
    assert_eq!(
        query(&reqs[0], "filter").as_deref(),
        Some("displayName eq \"Support\"")
    );
    assert_eq!(query(&reqs[1], "count").as_deref(), Some("5"));
}

fn check_put_group(
    prefix: &str,
    put: impl FnOnce(&Client, &str, ScimV2Group, &str) -> Sent<ScimV2Group>,
) {
    let (server, client) = start();
    let u1 = seed(&server, "m1@example.com", "Member One");
    let u2 = seed(&server, "m2@example.com", "Member Two");
    let id = server.group_id("Sales").expect("Sales");
    let body = ScimV2Group::new("Sales EMEA")
        .with_external_id("crm-sales")
        .with_members(vec![member(&u1), member(&u2), member(&u1)]);
    let resp = ok(put(&client, &id, body, "\"1\""));
    assert_eq!(resp.status(), 200);
    let group = resp.body();
    assert_eq!(group.id.as_deref(), Some(id.as_str()));
    assert_eq!(group.display_name.as_deref(), Some("Sales EMEA"));
    assert_eq!(group.external_id.as_deref(), Some("crm-sales"));
    let members = group.members.as_ref().expect("members");
    let got: Vec<(&str, Option<&ScimV2MemberReferenceType>, &str)> = members
        .iter()
        .map(|m| {
            (
                m.value.as_deref().unwrap_or_default(),
                m.type_.as_ref(),
                m.ref_.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let r1 = format!("{}{prefix}users/{u1}", server.base_url());
    let r2 = format!("{}{prefix}users/{u2}", server.base_url());
    assert_eq!(
        got,
        vec![
            (
                u1.as_str(),
                Some(&ScimV2MemberReferenceType::User),
                r1.as_str()
            ),
            (
                u2.as_str(),
                Some(&ScimV2MemberReferenceType::User),
                r2.as_str()
            ),
        ],
        "duplicates dropped"
    );
    check_meta(
        &server,
        &resp,
        group.meta.as_ref(),
        ScimMetadataResourceType::Group,
        format!("{prefix}groups/{id}"),
        "\"2\"",
    );
    let req = sent(&server, "PUT", &format!("{prefix}groups/{id}"));
    assert_eq!(req.header("If-Match"), Some("\"1\""));
    let body = json_body(&req);
    assert_eq!(body["displayName"], "Sales EMEA");
    assert_eq!(body["members"][1]["value"], u2.as_str());
}

#[test]
fn put_scim_group() {
    check_put_group(LEGACY, |c, id, b, tag| {
        c.put_scim_group(id, b).if_match(tag).send_with_response()
    });
}

#[test]
fn put_scim_v2_group() {
    check_put_group(V2, |c, id, b, tag| {
        c.put_scim_v2_group(id, b)
            .if_match(tag)
            .send_with_response()
    });
}

fn check_patch_group(
    prefix: &str,
    send: impl FnOnce(&Client, &str, ScimV2PatchRequest) -> Sent<ScimV2Group>,
) {
    let (server, client) = start();
    let u1 = seed(&server, "p1@example.com", "P One");
    let id = server.group_id("Engineering").expect("Engineering");
    let body = ScimV2PatchRequest::patch_op()
        .add("members", json!([{"value": u1}]))
        .replace("externalId", json!("eng-1"));
    let resp = ok(send(&client, &id, body));
    assert_eq!(resp.status(), 200);
    let group = resp.body();
    assert_eq!(group.display_name.as_deref(), Some("Engineering"));
    assert_eq!(group.external_id.as_deref(), Some("eng-1"));
    let members = group.members.as_ref().expect("members");
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].value.as_deref(), Some(u1.as_str()));
    check_meta(
        &server,
        &resp,
        group.meta.as_ref(),
        ScimMetadataResourceType::Group,
        format!("{prefix}groups/{id}"),
        "\"2\"",
    );
    let req = sent(&server, "PATCH", &format!("{prefix}groups/{id}"));
    let body = json_body(&req);
    assert_eq!(
        body["Operations"][0],
        json!({"op": "add", "path": "members", "value": [{"value": u1}]})
    );
}

#[test]
fn patch_scim_group() {
    check_patch_group(LEGACY, |c, id, b| {
        c.patch_scim_group(id, b).send_with_response()
    });
}

#[test]
fn patch_scim_v2_group() {
    check_patch_group(V2, |c, id, b| {
        c.patch_scim_v2_group(id, b).send_with_response()
    });
}

// -------------------------------------------------------------- discovery

const ALL_SCHEMAS: [&str; 7] = [
    USER_URN,
    GROUP_URN,
    ENTERPRISE_URN,
    GENESYS_URN,
    SPC_URN,
    RESOURCE_TYPE_URN,
    SCHEMA_URN,
];

fn check_user_schema(server: &FakeServer, prefix: &str, schema: &ScimV2SchemaDefinition) {
    assert_eq!(schema.id.as_deref(), Some(USER_URN));
    assert_eq!(schema.name.as_deref(), Some("User"));
    let attrs = schema.attributes.as_ref().expect("attributes");
    let attr = |n: &str| {
        attrs
            .iter()
            .find(|a| a.name.as_deref() == Some(n))
            .unwrap_or_else(|| panic!("attribute {n}"))
    };
    let user_name = attr("userName");
    assert_eq!(user_name.type_, Some(ScimV2SchemaAttributeType::String));
    assert_eq!(user_name.required, Some(true));
    assert_eq!(user_name.multi_valued, Some(false));
    assert_eq!(
        user_name.returned,
        Some(ScimV2SchemaAttributeReturned::Always)
    );
    assert_eq!(
        user_name.uniqueness,
        Some(ScimV2SchemaAttributeUniqueness::Server)
    );
    assert_eq!(
        user_name.mutability,
        Some(ScimV2SchemaAttributeMutability::ReadWrite)
    );
    let emails = attr("emails");
    assert_eq!(emails.type_, Some(ScimV2SchemaAttributeType::Complex));
    assert_eq!(emails.multi_valued, Some(true));
    let subs = emails.sub_attributes.as_ref().expect("subAttributes");
    let sub_names: Vec<_> = subs.iter().filter_map(|a| a.name.as_deref()).collect();
    assert_eq!(sub_names, ["value", "type", "primary"]);
    assert_eq!(
        subs[1].canonical_values,
        Some(vec!["work".to_string(), "other".to_string()])
    );
    assert_eq!(
        attr("groups").mutability,
        Some(ScimV2SchemaAttributeMutability::ReadOnly)
    );
    assert_eq!(
        attr("password").returned,
        Some(ScimV2SchemaAttributeReturned::Never)
    );
    let meta = schema.meta.as_ref().expect("meta");
    assert_eq!(meta.resource_type, Some(ScimMetadataResourceType::Schema));
    assert_eq!(
        meta.location.as_deref(),
        Some(format!("{}{prefix}schemas/{USER_URN}", server.base_url()).as_str())
    );
}

fn check_schemas(prefix: &str, list: impl FnOnce(&Client) -> Sent<ScimV2SchemaListResponse>) {
    let (server, client) = start();
    let resp = ok(list(&client));
    assert_eq!(resp.status(), 200);
    let list = resp.body();
    assert_eq!(list.total_results, Some(7));
    let resources = list.resources.as_ref().expect("Resources");
    let ids: Vec<_> = resources.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ALL_SCHEMAS);
    check_user_schema(&server, prefix, &resources[0]);
    let group_attrs: Vec<_> = resources[1]
        .attributes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(group_attrs, ["id", "displayName", "externalId", "members"]);
    let req = sent(&server, "GET", &format!("{prefix}schemas"));
    assert_eq!(req.query, None);
}

#[test]
fn get_scim_schemas() {
    check_schemas(LEGACY, |c| c.get_scim_schemas().send_with_response());
}

#[test]
fn get_scim_v2_schemas() {
    check_schemas(V2, |c| c.get_scim_v2_schemas().send_with_response());
}

fn check_schema(prefix: &str, get: impl Fn(&Client, &str) -> Sent<ScimV2SchemaDefinition>) {
    let (server, client) = start();
    let resp = ok(get(&client, USER_URN));
    assert_eq!(resp.status(), 200);
    check_user_schema(&server, prefix, resp.body());
    sent(&server, "GET", &format!("{prefix}schemas/{USER_URN}"));

    let genesys = ok(get(&client, GENESYS_URN)).into_body();
    assert_eq!(genesys.name.as_deref(), Some("GenesysUser"));
    let attrs: Vec<_> = genesys
        .attributes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(attrs, ["routingSkills", "routingLanguages", "externalIds"]);
}

#[test]
fn get_scim_schema() {
    check_schema(LEGACY, |c, id| c.get_scim_schema(id).send_with_response());
}

#[test]
fn get_scim_v2_schema() {
    check_schema(V2, |c, id| c.get_scim_v2_schema(id).send_with_response());
}

fn check_user_resource_type(server: &FakeServer, prefix: &str, rt: &ScimConfigResourceType) {
    assert_eq!(rt.id.as_deref(), Some("User"));
    assert_eq!(rt.name.as_deref(), Some("User"));
    assert_eq!(rt.endpoint.as_deref(), Some("/users"));
    assert_eq!(rt.schema.as_deref(), Some(USER_URN));
    assert_eq!(rt.schemas, Some(vec![RESOURCE_TYPE_URN.to_string()]));
    let ext: Vec<(Option<&str>, Option<bool>)> = rt
        .schema_extensions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|e| (e.schema.as_deref(), e.required))
        .collect();
    assert_eq!(
        ext,
        [
            (Some(ENTERPRISE_URN), Some(false)),
            (Some(GENESYS_URN), Some(false))
        ]
    );
    let meta = rt.meta.as_ref().expect("meta");
    assert_eq!(
        meta.resource_type,
        Some(ScimMetadataResourceType::ResourceType)
    );
    assert_eq!(
        meta.location.as_deref(),
        Some(format!("{}{prefix}resourcetypes/User", server.base_url()).as_str())
    );
}

fn check_resource_types(
    prefix: &str,
    list: impl FnOnce(&Client) -> Sent<ScimConfigResourceTypesListResponse>,
) {
    let (server, client) = start();
    let resp = ok(list(&client));
    assert_eq!(resp.status(), 200);
    let list = resp.body();
    assert_eq!(list.total_results, Some(5));
    let types = list.resources.as_ref().expect("Resources");
    let names: Vec<_> = types.iter().filter_map(|t| t.name.as_deref()).collect();
    assert_eq!(
        names,
        [
            "User",
            "Group",
            "ServiceProviderConfig",
            "ResourceType",
            "Schema"
        ]
    );
    check_user_resource_type(&server, prefix, &types[0]);
    assert_eq!(types[1].endpoint.as_deref(), Some("/groups"));
    sent(&server, "GET", &format!("{prefix}resourcetypes"));
}

#[test]
fn get_scim_resourcetypes() {
    check_resource_types(LEGACY, |c| c.get_scim_resourcetypes().send_with_response());
}

#[test]
fn get_scim_v2_resourcetypes() {
    check_resource_types(V2, |c| c.get_scim_v2_resourcetypes().send_with_response());
}

fn check_resource_type(prefix: &str, get: impl Fn(&Client, &str) -> Sent<ScimConfigResourceType>) {
    let (server, client) = start();
    let resp = ok(get(&client, "User"));
    assert_eq!(resp.status(), 200);
    check_user_resource_type(&server, prefix, resp.body());
    sent(&server, "GET", &format!("{prefix}resourcetypes/User"));

    let group = ok(get(&client, "Group")).into_body();
    assert_eq!(group.schema.as_deref(), Some(GROUP_URN));
    assert_eq!(group.endpoint.as_deref(), Some("/groups"));
    assert_eq!(group.schema_extensions, Some(vec![]));
}

#[test]
fn get_scim_resourcetype() {
    check_resource_type(LEGACY, |c, n| {
        c.get_scim_resourcetype(n).send_with_response()
    });
}

#[test]
fn get_scim_v2_resourcetype() {
    check_resource_type(V2, |c, n| {
        c.get_scim_v2_resourcetype(n).send_with_response()
    });
}

fn check_spc(prefix: &str, get: impl FnOnce(&Client) -> Sent<ScimServiceProviderConfig>) {
    let (server, client) = start();
    let resp = ok(get(&client));
    assert_eq!(resp.status(), 200);
    let spc = resp.body();
    assert_eq!(spc.schemas, Some(vec![SPC_URN.to_string()]));
    let supported = |f: Option<&scim_sdk::models::ScimServiceProviderConfigSimpleFeature>| {
        f.and_then(|f| f.supported)
    };
    assert_eq!(supported(spc.patch.as_ref()), Some(true));
    assert_eq!(supported(spc.etag.as_ref()), Some(true));
    assert_eq!(supported(spc.sort.as_ref()), Some(false));
    assert_eq!(supported(spc.change_password.as_ref()), Some(false));
    let filter = spc.filter.as_ref().expect("filter");
    assert_eq!(
        (filter.supported, filter.max_results),
        (Some(true), Some(100))
    );
    let bulk = spc.bulk.as_ref().expect("bulk");
    assert_eq!(
        (bulk.supported, bulk.max_operations, bulk.max_payload_size),
        (Some(false), Some(0), Some(0))
    );
    let schemes = spc.authentication_schemes.as_ref().expect("schemes");
    assert_eq!(schemes.len(), 1);
    assert_eq!(
        schemes[0].type_,
        Some(ScimServiceProviderConfigAuthenticationSchemeType::Oauthbearertoken)
    );
    assert_eq!(schemes[0].name.as_deref(), Some("OAuth Bearer Token"));
    assert_eq!(schemes[0].primary, Some(true));
    let meta = spc.meta.as_ref().expect("meta");
    assert_eq!(
        meta.resource_type,
        Some(ScimMetadataResourceType::ServiceProviderConfig)
    );
    assert_eq!(meta.version.as_deref(), Some("\"1\""));
    assert_eq!(resp.etag(), Some("\"1\""));
    assert_eq!(
        meta.location.as_deref(),
        Some(format!("{}{prefix}serviceproviderconfig", server.base_url()).as_str())
    );
    sent(&server, "GET", &format!("{prefix}serviceproviderconfig"));
}

#[test]
fn get_scim_serviceproviderconfig() {
    check_spc(LEGACY, |c| {
        c.get_scim_serviceproviderconfig().send_with_response()
    });
}

#[test]
fn get_scim_v2_serviceproviderconfig() {
    check_spc(V2, |c| {
        c.get_scim_v2_serviceproviderconfig().send_with_response()
    });
}

#[test]
fn requests_sent_counts_every_api_request_across_clones() {
    let (server, client) = start();
    let clone = client.clone();
    client
        .post_scim_v2_users(ScimV2CreateUser::new("count@example.com", "Count"))
        .send()
        .expect("create");
    let _ = clone.get_scim_v2_user("no-such-user").send();
    assert_eq!(client.requests_sent(), 2);
    assert_eq!(clone.requests_sent(), 2);
    assert_eq!(server.journal().len(), 2);
}
