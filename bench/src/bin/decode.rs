//! What decoding a 100-user page costs, measured side by side in one run.
//!
//! ```sh
//! cargo run --release -p scim-bench --bin decode            # about 15 s
//! cargo run --release -p scim-bench --bin decode -- --smoke # a few seconds
//! ```
//!
//! The contenders decode the same bytes of a `ListResponse` of 100 users:
//!
//! - `serde_json::Value`, the untyped peer;
//! - `scim_sdk::models::ScimUserListResponse`, what the SDK decodes;
//!   its structs keep unknown attributes with `#[serde(flatten)]` into a
//!   `Map`;
//! - mirrors of the same structs, with the same field types and enums,
//!   derived by serde: without the catch-all map (the floor), and with it
//!   present but `#[serde(skip)]` (what merely having the field costs).
//!
//! A hand-written visitor that decodes unknown attributes in one pass,
//! without serde's intermediate buffer, was tried in place of `flatten`: it
//! measured within ±4 % of `flatten` on both pages, since building the
//! unknown values is most of the capture's cost, so the models keep
//! `flatten`.
//!
//! The page is decoded twice: as the fake sends it (every attribute known
//! to the spec), and with three attributes per user that the spec does not
//! describe (what a newer Genesys release could send), where the capture
//! has work to do.
#![forbid(unsafe_code)]

use scim_bench::{interleaved, ratio, smoke, us};
use scim_sdk::models::ScimUserListResponse;
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::Duration;

/// The mirrored model tree, once with the capture given as `$capture`
/// (extra fields appended to every struct) and once without.
macro_rules! mirror {
    ($module:ident { $($capture:tt)* }) => {
        #[allow(dead_code)] // decoded to be measured, never read
        mod $module {
            use scim_sdk::models::{
                ScimEmailType, ScimMetadataResourceType, ScimPhoneNumberType,
                ScimV2GroupReferenceType,
            };
            use serde::Deserialize;

            #[derive(Deserialize)]
            pub struct Page {
                #[serde(default)] pub schemas: Option<Vec<String>>,
                #[serde(rename = "totalResults", default)] pub total_results: Option<i64>,
                #[serde(rename = "startIndex", default)] pub start_index: Option<i64>,
                #[serde(rename = "itemsPerPage", default)] pub items_per_page: Option<i64>,
                #[serde(rename = "Resources", default)] pub resources: Option<Vec<User>>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct User {
                #[serde(default)] pub id: Option<String>,
                #[serde(default)] pub schemas: Option<Vec<String>>,
                #[serde(default)] pub active: Option<bool>,
                #[serde(rename = "userName", default)] pub user_name: Option<String>,
                #[serde(rename = "displayName", default)] pub display_name: Option<String>,
                #[serde(default)] pub password: Option<String>,
                #[serde(default)] pub title: Option<String>,
                #[serde(rename = "phoneNumbers", default)] pub phone_numbers: Option<Vec<Phone>>,
                #[serde(default)] pub emails: Option<Vec<Email>>,
                #[serde(rename = "externalId", default)] pub external_id: Option<String>,
                #[serde(default)] pub groups: Option<Vec<GroupRef>>,
                #[serde(default)] pub roles: Option<Vec<Role>>,
                #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", default)]
                pub enterprise_user: Option<Enterprise>,
                #[serde(rename = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User", default)]
                pub genesys_user: Option<Genesys>,
                #[serde(default)] pub meta: Option<Meta>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Phone {
                #[serde(default)] pub value: Option<String>,
                #[serde(rename = "type", default)] pub type_: Option<ScimPhoneNumberType>,
                #[serde(default)] pub primary: Option<bool>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Email {
                #[serde(default)] pub value: Option<String>,
                #[serde(rename = "type", default)] pub type_: Option<ScimEmailType>,
                #[serde(default)] pub primary: Option<bool>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct GroupRef {
                #[serde(rename = "type", default)] pub type_: Option<ScimV2GroupReferenceType>,
                #[serde(default)] pub value: Option<String>,
                #[serde(rename = "$ref", default)] pub ref_: Option<String>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Role {
                #[serde(default)] pub value: Option<String>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Enterprise {
                #[serde(default)] pub division: Option<String>,
                #[serde(default)] pub department: Option<String>,
                #[serde(default)] pub manager: Option<Manager>,
                #[serde(rename = "employeeNumber", default)] pub employee_number: Option<String>,
                #[serde(rename = "dateHire", default)] pub date_hire: Option<String>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Manager {
                #[serde(default)] pub value: Option<String>,
                #[serde(rename = "$ref", default)] pub ref_: Option<String>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Genesys {
                #[serde(rename = "routingSkills", default)] pub routing_skills: Option<Vec<Proficiency>>,
                #[serde(rename = "routingLanguages", default)] pub routing_languages: Option<Vec<Proficiency>>,
                #[serde(rename = "externalIds", default)] pub external_ids: Option<Vec<ExternalId>>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Proficiency {
                #[serde(default)] pub name: Option<String>,
                #[serde(default)] pub proficiency: Option<f64>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct ExternalId {
                #[serde(default)] pub authority: Option<String>,
                #[serde(default)] pub value: Option<String>,
                $($capture)*
            }

            #[derive(Deserialize)]
            pub struct Meta {
                #[serde(rename = "resourceType", default)] pub resource_type: Option<ScimMetadataResourceType>,
                #[serde(rename = "lastModified", default)] pub last_modified: Option<String>,
                #[serde(default)] pub location: Option<String>,
                #[serde(default)] pub version: Option<String>,
                $($capture)*
            }
        }
    };
}

mirror!(plain {});
mirror!(skipped {
    #[serde(skip)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
});

/// One user as Genesys returns it, about 1.3 KB; `unknown` adds attributes
/// the spec does not describe, at the top level and inside an extension.
fn user(i: usize, unknown: bool) -> Value {
    let id = format!("3f0c2a71-9d44-4c1e-a2a8-{i:012}");
    let mut user = json!({
        "id": id,
        "schemas": [scim_sdk::schemas::USER, scim_sdk::schemas::ENTERPRISE_USER, scim_sdk::schemas::GENESYS_USER],
        "active": true,
        "userName": format!("user{i}@example.com"),
        "displayName": format!("User Number {i}"),
        "title": "Agent",
        "externalId": format!("HR-{i}"),
        "phoneNumbers": [{"value": format!("tel:+1317555{i:04}"), "type": "work", "primary": true}],
        "emails": [{"value": format!("user{i}@example.com"), "type": "work", "primary": true}],
        "groups": [{"value": "b1d6a3c0-1111-4c1e-a2a8-6b1d5f0e9c31", "type": "Group",
                    "$ref": "https://api.mypurecloud.com/api/v2/scim/v2/groups/b1d6a3c0-1111-4c1e-a2a8-6b1d5f0e9c31"}],
        "roles": [{"value": "employee"}],
        scim_sdk::schemas::ENTERPRISE_USER: {
            "division": "Home", "department": "Customer Care", "employeeNumber": format!("E{i}"),
            "manager": {"value": "6a2f0e1b-2222-4c1e-a2a8-6b1d5f0e9c31"}
        },
        scim_sdk::schemas::GENESYS_USER: {
            "routingSkills": [{"name": "Billing", "proficiency": 3.5}],
            "externalIds": [{"authority": "hr", "value": format!("{i}")}]
        },
        "meta": {"resourceType": "User", "lastModified": "2026-01-12T09:30:00.000Z",
                 "location": format!("https://api.mypurecloud.com/api/v2/scim/v2/users/{id}"), "version": "7"}
    });
    if unknown {
        user["name"] = json!({"givenName": "User", "familyName": format!("Number {i}")});
        user["nickName"] = json!(format!("U{i}"));
        user[scim_sdk::schemas::ENTERPRISE_USER]["costCenter"] = json!("CC-42");
    }
    user
}

fn page(unknown: bool) -> Vec<u8> {
    let users: Vec<Value> = (0..100).map(|i| user(i, unknown)).collect();
    let body = json!({
        "schemas": [scim_sdk::schemas::LIST_RESPONSE],
        "totalResults": 1000, "startIndex": 1, "itemsPerPage": 100,
        "Resources": users,
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Fails unless every contender decodes the page, and the SDK keeps every
/// unknown attribute: a figure for a decode that fails would mean nothing.
fn check(bytes: &[u8], unknown: bool) -> Result<(), String> {
    let sdk: ScimUserListResponse = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    serde_json::from_slice::<plain::Page>(bytes).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&sdk).map_err(|e| e.to_string())?;
    let sent: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if back != sent {
        return Err("the SDK's page does not serialize back to what was decoded".into());
    }
    let users = sdk.resources.unwrap_or_default();
    let kept = users.iter().all(|u| {
        u.additional_properties.contains_key("nickName") == unknown
            && u.enterprise_user
                .as_ref()
                .is_some_and(|e| e.additional_properties.contains_key("costCenter") == unknown)
    });
    if users.len() != 100 || !kept {
        return Err("the SDK's page lost users or unknown attributes".into());
    }
    Ok(())
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) {
    match serde_json::from_slice::<T>(bytes) {
        Ok(v) => {
            black_box(v);
        }
        Err(e) => panic!("decode failed after the check passed: {e}"),
    }
}

/// Medians of one page's contenders, in the order of [`measure`]'s table.
struct Times {
    value: Duration,
    sdk: Duration,
    plain: Duration,
    skipped: Duration,
}

fn measure(unknown: bool, rounds: usize) -> Result<Times, String> {
    let bytes = page(unknown);
    check(&bytes, unknown)?;
    let b = bytes.as_slice();
    let t = interleaved(
        rounds,
        &mut [
            &mut || decode::<Value>(b),
            &mut || decode::<ScimUserListResponse>(b),
            &mut || decode::<plain::Page>(b),
            &mut || decode::<skipped::Page>(b),
        ],
    );
    let t = Times {
        value: t[0],
        sdk: t[1],
        plain: t[2],
        skipped: t[3],
    };
    let what = if unknown {
        "3 attributes per user the spec does not know"
    } else {
        "only attributes the spec knows"
    };
    println!("100-user page, {} bytes, {what}:", bytes.len());
    let row = |name: &str, d: Duration| {
        println!(
            "  {name:<44} {:>7.1} µs  {:>5.2}x Value  {:>5.2}x plain derive",
            us(d),
            ratio(d, t.value),
            ratio(d, t.plain)
        );
    };
    row("serde_json::Value", t.value);
    row("SDK models, #[serde(flatten)] capture", t.sdk);
    row("derive, catch-all map present but skipped", t.skipped);
    row("plain derive, unknown attributes dropped", t.plain);
    Ok(t)
}

fn main() -> std::process::ExitCode {
    let rounds = if smoke() { 30 } else { 2_000 };
    let mut worst = 0.0_f64;
    for unknown in [false, true] {
        match measure(unknown, rounds) {
            Ok(t) => worst = worst.max(ratio(t.sdk, t.value)),
            Err(e) => {
                eprintln!("decode bench failed: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    println!("typed decode vs serde_json::Value, worse of both pages: {worst:.2}x");
    std::process::ExitCode::SUCCESS
}
