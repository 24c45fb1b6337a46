//! The demo org that `--fake` starts: `demo/org.csv`, seeded into scim-fake.
//!
//! It is designed together with `examples/people.csv`: syncing that file
//! creates four new hires, reactivates a rehire, updates a handful of
//! people, deactivates two leavers and changes some memberships, while the
//! admin and the service account (no externalId) are out of scope.

use crate::error::Error;
use crate::people::{self, Column, Desired, Format, Person, ReadOptions};
use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2PatchRequest;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io;

const ORG: &str = include_str!("../demo/org.csv");

/// Starts the fake and fills it with the demo org.
pub fn start() -> Result<FakeServer, Error> {
    // Costly pages are refused as Genesys refuses them.
    let server = FakeServer::builder()
        .emulate_page_cost(true)
        .start()
        .map_err(Error::Fake)?;
    seed(&server).map_err(|e| Error::Fake(io::Error::other(e)))?;
    Ok(server)
}

/// Ids are fixed so that examples can name users across runs.
fn demo_id(index: usize) -> String {
    format!("00000000-0000-4000-8000-{:012}", index + 1)
}

fn seed(server: &FakeServer) -> Result<(), String> {
    let org = people::parse(
        "demo/org.csv",
        ORG.as_bytes(),
        Format::Csv,
        &ReadOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    let ids: HashMap<&str, String> = org
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| (row.person.user_name.as_str(), demo_id(i)))
        .collect();
    let mut members: HashMap<&str, Vec<Value>> = HashMap::new();
    for row in &org.rows {
        let id = &ids[row.person.user_name.as_str()];
        let mut user = user_json(&row.person, &ids);
        user.insert("id".into(), Value::from(id.as_str()));
        server.seed_user(Value::Object(user));
        if let Desired::Set(groups) = &row.person.groups {
            for g in groups {
                members.entry(g).or_default().push(json!({ "value": id }));
            }
        }
    }
    // The fake has no way to seed members directly; its PATCH endpoint does.
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .map_err(|e| e.to_string())?;
    for (group, list) in members {
        let group_id = server
            .group_id(group)
            .ok_or_else(|| format!("the demo org names an unknown group `{group}`"))?;
        let add = ScimV2PatchRequest::patch_op().add("members", Value::Array(list));
        client
            .patch_scim_v2_group(group_id, add)
            .send()
            .map(|_| ())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The SCIM user a demo row describes.
fn user_json(person: &Person, ids: &HashMap<&str, String>) -> Map<String, Value> {
    let mut user = Map::new();
    user.insert("userName".into(), Value::from(person.user_name.as_str()));
    user.insert("active".into(), Value::from(person.active));
    let cell = |c: Column| person.text(c).cloned().unwrap_or_default();
    let set = |cell: &Desired<String>| match cell {
        Desired::Set(v) => Some(Value::from(v.as_str())),
        _ => None,
    };
    let put = |map: &mut Map<String, Value>, key: &str, value: Option<Value>| {
        if let Some(v) = value {
            map.insert(key.into(), v);
        }
    };
    put(&mut user, "displayName", set(&cell(Column::DISPLAY_NAME)));
    put(&mut user, "externalId", set(&cell(Column::EXTERNAL_ID)));
    put(&mut user, "title", set(&cell(Column::TITLE)));
    put(
        &mut user,
        "emails",
        set(&cell(Column::EMAIL)).map(|v| json!([{ "value": v, "type": "work", "primary": true }])),
    );
    put(
        &mut user,
        "phoneNumbers",
        set(&cell(Column::PHONE)).map(|v| json!([{ "value": v, "type": "work", "primary": true }])),
    );
    let mut enterprise = Map::new();
    put(
        &mut enterprise,
        "department",
        set(&cell(Column::DEPARTMENT)),
    );
    put(&mut enterprise, "division", set(&cell(Column::DIVISION)));
    put(
        &mut enterprise,
        "employeeNumber",
        set(&cell(Column::EMPLOYEE_NUMBER)),
    );
    if let Desired::Set(manager) = &person.manager {
        put(
            &mut enterprise,
            "manager",
            ids.get(manager.as_str()).map(|id| json!({ "value": id })),
        );
    }
    if !enterprise.is_empty() {
        user.insert(
            scim_sdk::schemas::ENTERPRISE_USER.into(),
            Value::Object(enterprise),
        );
    }
    user
}
