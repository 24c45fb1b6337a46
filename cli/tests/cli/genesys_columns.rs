//! The columns for Genesys attributes (hire date, roles, routing skills and
//! languages, external ids, phones by type) over HTTP against scim-fake:
//! an unedited export plans nothing, and an edit is applied and read back.

use crate::common::{on, seed, temp_file};
use scim_fake::FakeServer;
use serde_json::{Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GENESYS: &str = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";

/// An agent holding every new attribute, and Genesys' own external id.
fn agent_org() -> (FakeServer, String) {
    let server = FakeServer::start().expect("fake starts");
    let id = seed(
        &server,
        json!({
            "userName": "ana@example.com", "displayName": "Ana Agent", "externalId": "E-1",
            "roles": [{"value": "agent"}, {"value": "supervisor"}],
            "phoneNumbers": [
                {"type": "work", "value": "+13125550101"},
                {"type": "mobile", "value": "+13125550102"},
                {"type": "home", "value": "+13125550103"}
            ],
            ENTERPRISE: {"dateHire": "2021-04-12"},
            GENESYS: {
                "routingSkills": [{"name": "Billing", "proficiency": 3.0}, {"name": "Chat", "proficiency": 4.5}],
                "routingLanguages": [{"name": "French", "proficiency": 5.0}],
                "externalIds": [
                    {"authority": "x-pc:scimv2:v1", "value": "pc-1"},
                    {"authority": "workday", "value": "W-1"}
                ]
            }
        }),
    );
    server.clear_journal();
    (server, id)
}

fn plan_summary(server: &FakeServer, path: &std::path::Path) -> Value {
    let r = on(
        server,
        &[
            "sync",
            "plan",
            "-o",
            "json",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let plan = r.json();
    assert_eq!(plan["warnings"], json!([]), "{plan}");
    plan["summary"].clone()
}

fn nothing_to_do(people: u64) -> Value {
    json!({"created": 0, "updated": 0, "reactivated": 0, "deactivated": 0,
           "unchanged": people, "memberships_changed": 0, "creates_out_of_scope": 0, "needs_decision": 0})
}

#[test]
fn an_unedited_export_with_every_genesys_column_plans_nothing() {
    let (server, _) = agent_org();
    for format in ["csv", "jsonl"] {
        let r = on(&server, &["export", "users", "--output", format]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stderr.trim().ends_with("exported 1 users"),
            "{}",
            r.stderr
        );
        for cell in [
            "2021-04-12",
            "agent;supervisor",
            "Billing:3;Chat:4.5",
            "French:5",
            "workday:W-1",
            "+13125550102",
        ] {
            assert!(r.stdout.contains(cell), "{format}: {cell} in {}", r.stdout);
        }
        assert!(
            !r.stdout.contains("pc-1"),
            "Genesys' own id is not exported"
        );
        let path = temp_file(&format!("genesys-export.{format}"));
        std::fs::write(&path, &r.stdout).unwrap();
        assert_eq!(plan_summary(&server, &path), nothing_to_do(1), "{format}");
    }
}

#[test]
fn edited_genesys_columns_are_applied_and_read_back() {
    let (server, id) = agent_org();
    let path = temp_file("genesys-edit.csv");
    std::fs::write(
        &path,
        "userName,displayName,externalId,dateHire,roles,routingSkills,routingLanguages,externalIds,phone.mobile,phone.home,phone.work2\n\
         ana@example.com,Ana Agent,E-1,2022-01-03,agent,Billing:5;Voice:2,<clear>,workday:W-2;badge:B-9,+13125550199,<clear>,+13125550177\n",
    )
    .unwrap();
    assert_eq!(plan_summary(&server, &path)["updated"], json!(1));
    let text = on(&server, &["sync", "plan", "--from", path.to_str().unwrap()]);
    for label in [
        "dateHire",
        "roles",
        "routingSkills",
        "routingLanguages",
        "externalIds",
    ] {
        assert!(text.stdout.contains(label), "{label} in {}", text.stdout);
    }
    assert!(!text.stdout.contains("urn:"), "{}", text.stdout);
    let r = on(
        &server,
        &[
            "sync",
            "apply",
            "--yes",
            "--rate-limit",
            "0",
            "--from",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");

    let r = on(&server, &["users", "get", &id]);
    assert_eq!(r.code, 0, "{r:?}");
    let user = r.json();
    assert_eq!(user[ENTERPRISE]["dateHire"], "2022-01-03");
    assert_eq!(user["roles"], json!([{"value": "agent"}]));
    let skills: Vec<(String, f64)> = user[GENESYS]["routingSkills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["proficiency"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        skills,
        [("Billing".to_owned(), 5.0), ("Voice".to_owned(), 2.0)]
    );
    assert!(
        user[GENESYS]
            .get("routingLanguages")
            .is_none_or(|l| l.as_array().is_some_and(Vec::is_empty)),
        "{user}"
    );
    let ids = &user[GENESYS]["externalIds"];
    for (authority, value) in [
        ("x-pc:scimv2:v1", "pc-1"),
        ("workday", "W-2"),
        ("badge", "B-9"),
    ] {
        assert!(
            ids.as_array()
                .unwrap()
                .iter()
                .any(|x| x["authority"] == authority && x["value"] == value),
            "{authority} in {ids}"
        );
    }
    assert_eq!(ids.as_array().unwrap().len(), 3, "{ids}");
    let phone = |kind: &str| {
        user["phoneNumbers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["type"] == kind)
            .map(|p| p["value"].clone())
    };
    assert_eq!(phone("mobile"), Some(json!("+13125550199")));
    assert_eq!(phone("home"), None);
    assert_eq!(phone("work2"), Some(json!("+13125550177")));
    assert_eq!(
        phone("work"),
        Some(json!("+13125550101")),
        "the work phone is left alone"
    );

    // A second run changes nothing.
    assert_eq!(plan_summary(&server, &path), nothing_to_do(1));
}

#[test]
fn bad_genesys_cells_are_refused_naming_the_line_and_column() {
    let path = temp_file("genesys-bad.csv");
    std::fs::write(
        &path,
        "userName,displayName,dateHire,routingSkills,externalIds\n\
         a@example.com,A,03/31/2024,Billing:9,x-pc:scimv2:v1:1\n",
    )
    .unwrap();
    let r = crate::common::run(crate::common::scim().arg("check").arg(&path));
    assert_eq!(r.code, 2, "{r:?}");
    for expected in [
        ":2: column `dateHire`: `03/31/2024` is not a date as YYYY-MM-DD",
        ":2: column `routingSkills`: `Billing:9`: the proficiency `9` is not a number from 0 to 5",
        ":2: column `externalIds`: `x-pc:scimv2:v1:1`: the x-pc:scimv2:v1 id belongs to Genesys Cloud",
    ] {
        assert!(r.stderr.contains(expected), "{expected} in {}", r.stderr);
    }
}
