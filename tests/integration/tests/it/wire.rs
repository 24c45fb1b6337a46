//! Every one of the 30 operations over real HTTP: what went over the wire
//! (method, path, query, headers, body) and what the answer decoded into.

use scim_sdk::models::{
    ScimV2CreateUser, ScimV2Group, ScimV2PatchOperation, ScimV2PatchOperationOp,
    ScimV2PatchRequest, ScimV2User,
};
use scim_sdk::schemas::{ENTERPRISE_USER as ENTERPRISE, GENESYS_USER as GENESYS, GROUP, USER};
use scim_sdk::{Client, Conditional, Error};
use scim_sdk_integration_tests::{MockServer, RecordedRequest};
use serde_json::{Value, json};

const ACCEPT: &str = "application/scim+json, application/json";

/// Queues one answer, runs `call` against the server and returns the request
/// the server recorded together with the call's result.
fn exchange<T>(
    status: u16,
    headers: &[(&str, &str)],
    reply: Option<Value>,
    call: impl FnOnce(&Client) -> Result<T, Error>,
) -> (RecordedRequest, T) {
    let server = MockServer::start();
    let mut all_headers = vec![("Content-Type", "application/scim+json")];
    all_headers.extend_from_slice(headers);
    server.respond(
        status,
        &all_headers,
        reply.map(|v| v.to_string()).unwrap_or_default(),
    );
    let client = Client::builder()
        .base_url(server.url())
        .bearer("test-token")
        .build()
        .expect("client");
    let result = call(&client).unwrap_or_else(|e| panic!("call failed: {e}"));
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "exactly one request expected, got {requests:#?}"
    );
    (requests[0].clone(), result)
}

/// Checks method, path, query and the headers every request carries.
fn assert_request(req: &RecordedRequest, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(req.method, method, "method");
    assert_eq!(req.path, path, "path");
    assert_eq!(req.query.as_deref(), query, "query");
    assert_eq!(req.header("accept"), Some(ACCEPT));
    assert_eq!(req.header("authorization"), Some("Bearer test-token"));
    assert!(
        req.header("user-agent")
            .is_some_and(|ua| ua.starts_with("scim-sdk/")),
        "user agent: {:?}",
        req.header("user-agent")
    );
}

/// Checks that a body-less request carries neither body nor content type.
fn assert_no_body(req: &RecordedRequest) {
    assert!(
        req.body.is_empty(),
        "unexpected body {:?}",
        String::from_utf8_lossy(&req.body)
    );
    assert_eq!(req.header("content-type"), None);
}

/// Checks a JSON body and its media type.
fn assert_json_body(req: &RecordedRequest, expected: &Value) {
    assert_eq!(req.header("content-type"), Some("application/scim+json"));
    assert_eq!(&req.body_json().expect("a JSON body"), expected);
}

fn user_json(id: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": id,
        "userName": "jane@example.com",
        "displayName": "Jane Doe",
        "active": true,
        "emails": [{"value": "jane@example.com", "type": "work", "primary": true}],
        "phoneNumbers": [{"value": "+1 555 0100", "type": "mobile"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "Home", "manager": {"value": "m-1"}},
        "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User": {
            "routingSkills": [{"name": "Support", "proficiency": 4.5}],
            "externalIds": [{"authority": "hr", "value": "E-7"}]
        },
        "meta": {"resourceType": "User", "version": "\"3\"", "lastModified": "2026-01-02T03:04:05.678Z", "location": "https://api.mypurecloud.com/api/v2/scim/v2/users/u-1"}
    })
}

/// A resource as a PUT sends it: the server-set `id` and `meta` left out,
/// and `schemas` listing the core schema and each extension present.
fn put_body(mut resource: Value, schemas: &[&str]) -> Value {
    let object = resource.as_object_mut().expect("an object");
    object.remove("id");
    object.remove("meta");
    object.insert("schemas".into(), json!(schemas));
    resource
}

fn group_json(id: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": id,
        "displayName": "Sales",
        "members": [{"value": "u-1", "type": "User", "$ref": "https://api.mypurecloud.com/api/v2/scim/v2/users/u-1"}],
        "meta": {"resourceType": "Group", "version": "\"7\""}
    })
}

fn list_json(resources: Vec<Value>) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 40, "startIndex": 2, "itemsPerPage": resources.len(), "Resources": resources
    })
}

fn schema_json() -> Value {
    json!({
        "id": "urn:ietf:params:scim:schemas:core:2.0:User", "name": "User", "description": "User account",
        "attributes": [{"name": "userName", "type": "string", "multiValued": false, "required": true,
            "caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "server"},
            {"name": "emails", "type": "complex", "multiValued": true, "subAttributes": [{"name": "value", "type": "string"}]}],
        "meta": {"resourceType": "Schema", "location": "https://api.mypurecloud.com/api/v2/scim/v2/schemas/urn:ietf:params:scim:schemas:core:2.0:User"}
    })
}

fn resource_type_json() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User",
        "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
        "schemaExtensions": [{"schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "required": false}],
        "meta": {"resourceType": "ResourceType"}
    })
}

fn spc_json() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true}, "filter": {"supported": true, "maxResults": 25},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "etag": {"supported": true}, "sort": {"supported": false}, "changePassword": {"supported": false},
        "authenticationSchemes": [{"name": "OAuth", "description": "Bearer tokens", "type": "oauthbearertoken", "primary": true}],
        "meta": {"resourceType": "ServiceProviderConfig", "version": "\"1\""}
    })
}

fn patch_body() -> ScimV2PatchRequest {
    let mut title = ScimV2PatchOperation::new(ScimV2PatchOperationOp::Replace);
    title.path = Some("title".into());
    title.value = Some(json!("Lead"));
    let mut remove = ScimV2PatchOperation::new(ScimV2PatchOperationOp::Remove);
    remove.path = Some("emails[type eq \"other\"]".into());
    let mut body =
        ScimV2PatchRequest::new(vec!["urn:ietf:params:scim:api:messages:2.0:PatchOp".into()]);
    body.operations = Some(vec![title, remove]);
    body
}

fn patch_json() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "title", "value": "Lead"}, {"op": "remove", "path": "emails[type eq \"other\"]"}]
    })
}

fn new_user() -> ScimV2CreateUser {
    let mut user = ScimV2CreateUser::new("jane@example.com", "Jane Doe");
    user.password = Some("s3cret!".into());
    user.title = Some("Agent".into());
    user
}

// ---- users, legacy path family -------------------------------------------

#[test]
fn delete_scim_user() {
    let (req, out) = exchange(204, &[], None, |c| {
        c.delete_scim_user("u-1").if_match("\"3\"").send()
    });
    assert_request(&req, "DELETE", "/api/v2/scim/users/u-1", None);
    assert_eq!(req.header("if-match"), Some("\"3\""));
    assert_no_body(&req);
    assert_eq!(out, ());
}

#[test]
fn get_scim_user() {
    let (req, user) = exchange(200, &[("ETag", "\"3\"")], Some(user_json("u-1")), |c| {
        c.get_scim_user("u-1")
            .attributes([
                "userName",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
            ])
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/users/u-1",
        Some(
            "attributes=userName,urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Aextension%3Aenterprise%3A2.0%3AUser%3Adivision",
        ),
    );
    assert_no_body(&req);
    assert_eq!(req.header("if-none-match"), None);
    assert_eq!(user.user_name.as_deref(), Some("jane@example.com"));
    let enterprise = user.enterprise_user.expect("enterprise extension");
    assert_eq!(enterprise.division.as_deref(), Some("Home"));
    assert_eq!(
        enterprise.manager.and_then(|m| m.value).as_deref(),
        Some("m-1")
    );
}

#[test]
fn get_scim_users() {
    let (req, page) = exchange(
        200,
        &[],
        Some(list_json(vec![user_json("u-1"), user_json("u-2")])),
        |c| {
            c.get_scim_users()
                .start_index(2)
                .count(10)
                .filter("userName eq \"a+b@x.org\"")
                .excluded_attributes(["roles", "groups"])
                .send()
        },
    );
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/users",
        Some(
            "startIndex=2&count=10&excludedAttributes=roles,groups&filter=userName%20eq%20%22a%2Bb%40x.org%22",
        ),
    );
    assert_no_body(&req);
    assert_eq!(page.total_results, Some(40));
    assert_eq!(page.start_index, Some(2));
    let ids: Vec<_> = page
        .resources
        .unwrap_or_default()
        .into_iter()
        .filter_map(|u| u.id)
        .collect();
    assert_eq!(ids, ["u-1", "u-2"]);
}

#[test]
fn post_scim_users() {
    let (req, user) = exchange(201, &[("ETag", "\"1\"")], Some(user_json("u-9")), |c| {
        c.post_scim_users(new_user()).send()
    });
    assert_request(&req, "POST", "/api/v2/scim/users", None);
    assert_json_body(
        &req,
        &json!({"schemas": [USER], "userName": "jane@example.com", "displayName": "Jane Doe", "password": "s3cret!", "title": "Agent"}),
    );
    assert_eq!(user.id.as_deref(), Some("u-9"));
}

#[test]
fn put_scim_user() {
    let body: ScimV2User = serde_json::from_value(user_json("u-1")).unwrap();
    let (req, user) = exchange(200, &[], Some(user_json("u-1")), |c| {
        c.put_scim_user("u-1", body).if_match("3").send()
    });
    assert_request(&req, "PUT", "/api/v2/scim/users/u-1", None);
    assert_eq!(
        req.header("if-match"),
        Some("\"3\""),
        "bare versions are quoted"
    );
    assert_json_body(
        &req,
        &put_body(user_json("u-1"), &[USER, ENTERPRISE, GENESYS]),
    );
    assert_eq!(user.display_name.as_deref(), Some("Jane Doe"));
}

#[test]
fn patch_scim_user() {
    let (req, user) = exchange(200, &[], Some(user_json("u-1")), |c| {
        c.patch_scim_user("u-1", patch_body()).send()
    });
    assert_request(&req, "PATCH", "/api/v2/scim/users/u-1", None);
    assert_eq!(req.header("if-match"), None);
    assert_json_body(&req, &patch_json());
    assert_eq!(user.id.as_deref(), Some("u-1"));
}

// ---- users, v2 path family ------------------------------------------------

#[test]
fn delete_scim_v2_user() {
    let (req, out) = exchange(204, &[], None, |c| c.delete_scim_v2_user("u-1").send());
    assert_request(&req, "DELETE", "/api/v2/scim/v2/users/u-1", None);
    assert_eq!(req.header("if-match"), None);
    assert_no_body(&req);
    assert_eq!(out, ());
}

#[test]
fn get_scim_v2_user() {
    let (req, user) = exchange(200, &[], Some(user_json("u-1")), |c| {
        c.get_scim_v2_user("u-1")
            .excluded_attributes(["externalId"])
            .if_none_match("\"2\"")
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/v2/users/u-1",
        Some("excludedAttributes=externalId"),
    );
    assert_eq!(req.header("if-none-match"), Some("\"2\""));
    let Conditional::Modified(user) = user else {
        panic!("a 200 is Modified")
    };
    let genesys = user.genesys_user.expect("genesys extension");
    assert_eq!(genesys.routing_skills.unwrap()[0].proficiency, Some(4.5));
    assert_eq!(
        genesys.external_ids.unwrap()[0].value.as_deref(),
        Some("E-7")
    );
}

#[test]
fn get_scim_v2_users() {
    let (req, page) = exchange(200, &[], Some(list_json(vec![])), |c| {
        c.get_scim_v2_users()
            .count(0)
            .filter("active eq false")
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/v2/users",
        Some("count=0&filter=active%20eq%20false"),
    );
    assert_eq!(page.total_results, Some(40));
    assert_eq!(page.resources, Some(vec![]));
}

#[test]
fn post_scim_v2_users() {
    let mut user = new_user();
    user.active = Some(false);
    let (req, created) = exchange(201, &[], Some(user_json("u-10")), |c| {
        c.post_scim_v2_users(user).send_with_response()
    });
    assert_request(&req, "POST", "/api/v2/scim/v2/users", None);
    assert_json_body(
        &req,
        &json!({"schemas": [USER], "active": false, "userName": "jane@example.com", "displayName": "Jane Doe", "password": "s3cret!", "title": "Agent"}),
    );
    assert_eq!(created.status(), 201);
    assert_eq!(created.body().id.as_deref(), Some("u-10"));
}

#[test]
fn put_scim_v2_user() {
    let mut body = ScimV2User::new();
    body.user_name = Some("jane@example.com".into());
    body.active = Some(false);
    let (req, _) = exchange(200, &[], Some(user_json("u-1")), |c| {
        c.put_scim_v2_user("u-1", body).if_match("\"3\"").send()
    });
    assert_request(&req, "PUT", "/api/v2/scim/v2/users/u-1", None);
    assert_eq!(req.header("if-match"), Some("\"3\""));
    assert_json_body(
        &req,
        &json!({"schemas": [USER], "userName": "jane@example.com", "active": false}),
    );
}

#[test]
fn patch_scim_v2_user() {
    let (req, _) = exchange(200, &[], Some(user_json("u-1")), |c| {
        c.patch_scim_v2_user("u-1", patch_body())
            .if_match("\"4\"")
            .send()
    });
    assert_request(&req, "PATCH", "/api/v2/scim/v2/users/u-1", None);
    assert_eq!(req.header("if-match"), Some("\"4\""));
    assert_json_body(&req, &patch_json());
}

// ---- groups -------------------------------------------------------------------

#[test]
fn get_scim_group() {
    let (req, group) = exchange(200, &[], Some(group_json("g-1")), |c| {
        c.get_scim_group("g-1")
            .attributes(["displayName", "members"])
            .if_none_match("\"7\"")
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/groups/g-1",
        Some("attributes=displayName,members"),
    );
    assert_eq!(req.header("if-none-match"), Some("\"7\""));
    let group = group.modified().expect("200 carries the group");
    assert_eq!(group.display_name.as_deref(), Some("Sales"));
    assert_eq!(
        group.members.unwrap()[0].ref_.as_deref(),
        Some("https://api.mypurecloud.com/api/v2/scim/v2/users/u-1")
    );
}

#[test]
fn get_scim_groups() {
    let (req, page) = exchange(200, &[], Some(list_json(vec![group_json("g-1")])), |c| {
        c.get_scim_groups().filter("displayName eq Sales").send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/groups",
        Some("filter=displayName%20eq%20Sales"),
    );
    assert_eq!(page.resources.unwrap()[0].id.as_deref(), Some("g-1"));
}

#[test]
fn put_scim_group() {
    let group: ScimV2Group = serde_json::from_value(group_json("g-1")).unwrap();
    let (req, out) = exchange(200, &[], Some(group_json("g-1")), |c| {
        c.put_scim_group("g-1", group).if_match("\"7\"").send()
    });
    assert_request(&req, "PUT", "/api/v2/scim/groups/g-1", None);
    assert_eq!(req.header("if-match"), Some("\"7\""));
    assert_json_body(&req, &put_body(group_json("g-1"), &[GROUP]));
    assert_eq!(out.id.as_deref(), Some("g-1"));
}

#[test]
fn patch_scim_group() {
    let (req, _) = exchange(200, &[], Some(group_json("g-1")), |c| {
        c.patch_scim_group("g-1", patch_body()).send()
    });
    assert_request(&req, "PATCH", "/api/v2/scim/groups/g-1", None);
    assert_json_body(&req, &patch_json());
}

#[test]
fn get_scim_v2_group() {
    let (req, group) = exchange(200, &[], Some(group_json("g-2")), |c| {
        c.get_scim_v2_group("g-2")
            .excluded_attributes(["members"])
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/v2/groups/g-2",
        Some("excludedAttributes=members"),
    );
    assert_eq!(group.id.as_deref(), Some("g-2"));
}

#[test]
fn get_scim_v2_groups() {
    let (req, page) = exchange(200, &[], Some(list_json(vec![group_json("g-1")])), |c| {
        c.get_scim_v2_groups("displayName eq \"Sales & Ops\"")
            .start_index(1)
            .count(5)
            .attributes(["id"])
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/v2/groups",
        Some(
            "filter=displayName%20eq%20%22Sales%20%26%20Ops%22&startIndex=1&count=5&attributes=id",
        ),
    );
    assert_eq!(page.items_per_page, Some(1));
}

#[test]
fn put_scim_v2_group() {
    let group = ScimV2Group::new("Support");
    let (req, _) = exchange(200, &[], Some(group_json("g-3")), |c| {
        c.put_scim_v2_group("g-3", group).send()
    });
    assert_request(&req, "PUT", "/api/v2/scim/v2/groups/g-3", None);
    assert_json_body(&req, &json!({"schemas": [GROUP], "displayName": "Support"}));
}

#[test]
fn patch_scim_v2_group() {
    let (req, group) = exchange(200, &[], Some(group_json("g-3")), |c| {
        c.patch_scim_v2_group("g-3", patch_body())
            .if_match("\"7\"")
            .send()
    });
    assert_request(&req, "PATCH", "/api/v2/scim/v2/groups/g-3", None);
    assert_eq!(req.header("if-match"), Some("\"7\""));
    assert_json_body(&req, &patch_json());
    assert_eq!(group.display_name.as_deref(), Some("Sales"));
}

// ---- discovery ------------------------------------------------------------------

#[test]
fn get_scim_resourcetype() {
    let (req, rt) = exchange(200, &[], Some(resource_type_json()), |c| {
        c.get_scim_resourcetype("User").send()
    });
    assert_request(&req, "GET", "/api/v2/scim/resourcetypes/User", None);
    assert_eq!(rt.endpoint.as_deref(), Some("/Users"));
    assert_eq!(rt.schema_extensions.unwrap()[0].required, Some(false));
}

#[test]
fn get_scim_resourcetypes() {
    let (req, list) = exchange(200, &[], Some(list_json(vec![resource_type_json()])), |c| {
        c.get_scim_resourcetypes().send()
    });
    assert_request(&req, "GET", "/api/v2/scim/resourcetypes", None);
    assert_eq!(list.resources.unwrap()[0].id.as_deref(), Some("User"));
}

#[test]
fn get_scim_v2_resourcetype() {
    let (req, rt) = exchange(200, &[], Some(resource_type_json()), |c| {
        c.get_scim_v2_resourcetype("Group").send()
    });
    assert_request(&req, "GET", "/api/v2/scim/v2/resourcetypes/Group", None);
    assert_eq!(rt.name.as_deref(), Some("User"));
}

#[test]
fn get_scim_v2_resourcetypes() {
    let (req, list) = exchange(200, &[], Some(list_json(vec![resource_type_json()])), |c| {
        c.get_scim_v2_resourcetypes().send()
    });
    assert_request(&req, "GET", "/api/v2/scim/v2/resourcetypes", None);
    assert_eq!(list.total_results, Some(40));
}

#[test]
fn get_scim_schema() {
    let (req, schema) = exchange(200, &[], Some(schema_json()), |c| {
        c.get_scim_schema("urn:ietf:params:scim:schemas:core:2.0:User")
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/schemas/urn:ietf:params:scim:schemas:core:2.0:User",
        None,
    );
    let attrs = schema.attributes.unwrap();
    assert_eq!(
        attrs[0].uniqueness,
        Some(scim_sdk::models::ScimV2SchemaAttributeUniqueness::Server)
    );
    assert_eq!(
        attrs[1].sub_attributes.as_ref().unwrap()[0].name.as_deref(),
        Some("value")
    );
}

#[test]
fn get_scim_schemas() {
    let (req, list) = exchange(200, &[], Some(list_json(vec![schema_json()])), |c| {
        c.get_scim_schemas().send()
    });
    assert_request(&req, "GET", "/api/v2/scim/schemas", None);
    assert_eq!(list.resources.unwrap()[0].name.as_deref(), Some("User"));
}

#[test]
fn get_scim_v2_schema() {
    let (req, schema) = exchange(200, &[], Some(schema_json()), |c| {
        c.get_scim_v2_schema("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
            .send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/v2/schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        None,
    );
    assert_eq!(
        schema.id.as_deref(),
        Some("urn:ietf:params:scim:schemas:core:2.0:User")
    );
}

#[test]
fn get_scim_v2_schemas() {
    let (req, _) = exchange(200, &[], Some(list_json(vec![])), |c| {
        c.get_scim_v2_schemas().filter("id eq x").send()
    });
    assert_request(
        &req,
        "GET",
        "/api/v2/scim/v2/schemas",
        Some("filter=id%20eq%20x"),
    );
}

#[test]
fn get_scim_serviceproviderconfig() {
    let (req, spc) = exchange(200, &[("ETag", "\"1\"")], Some(spc_json()), |c| {
        c.get_scim_serviceproviderconfig().send_with_response()
    });
    assert_request(&req, "GET", "/api/v2/scim/serviceproviderconfig", None);
    assert_eq!(spc.etag(), Some("\"1\""));
    let spc = spc.into_body();
    assert_eq!(spc.filter.and_then(|f| f.max_results), Some(25));
    assert_eq!(
        spc.authentication_schemes.unwrap()[0].type_,
        Some(scim_sdk::models::ScimServiceProviderConfigAuthenticationSchemeType::Oauthbearertoken)
    );
}

#[test]
fn get_scim_v2_serviceproviderconfig() {
    let (req, outcome) = exchange(304, &[("ETag", "\"1\"")], None, |c| {
        c.get_scim_v2_serviceproviderconfig()
            .if_none_match("\"1\"")
            .send()
    });
    assert_request(&req, "GET", "/api/v2/scim/v2/serviceproviderconfig", None);
    assert_eq!(req.header("if-none-match"), Some("\"1\""));
    assert_eq!(outcome, Conditional::NotModified);
}

// ---- cross-cutting ---------------------------------------------------------------

#[test]
fn hostile_ids_stay_one_path_segment() {
    let (req, _) = exchange(204, &[], None, |c| {
        c.delete_scim_v2_user("../groups/x?y#z").send()
    });
    assert_eq!(req.path, "/api/v2/scim/v2/users/..%2Fgroups%2Fx%3Fy%23z");
    let (req, _) = exchange(200, &[], Some(group_json("g")), |c| {
        c.get_scim_v2_group("..").send()
    });
    assert_eq!(req.path, "/api/v2/scim/v2/groups/%2E%2E");
}

#[test]
fn empty_ids_are_refused_before_sending() {
    let server = MockServer::start();
    let client = Client::builder()
        .base_url(server.url())
        .bearer("t")
        .build()
        .unwrap();
    let err = client.get_scim_v2_user("").send().unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(err.to_string().contains("userId"), "{err}");
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[test]
fn error_status_carries_the_scim_error() {
    let server = MockServer::start();
    server.respond(
        409,
        &[("Content-Type", "application/scim+json"), ("ININ-Correlation-Id", "corr-1")],
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness", "detail": "userName taken"}).to_string(),
    );
    let client = Client::builder()
        .base_url(server.url())
        .bearer("t")
        .build()
        .unwrap();
    let err = client.post_scim_v2_users(new_user()).send().unwrap_err();
    assert!(err.is_conflict());
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.scim_type().map(|t| t.as_str()), Some("uniqueness"));
    assert_eq!(err.detail(), Some("userName taken"));
    assert_eq!(err.correlation_id(), Some("corr-1"));
    assert_eq!(
        err.to_string(),
        "postScimV2Users: HTTP 409 (uniqueness): userName taken [correlation id corr-1]"
    );
}
