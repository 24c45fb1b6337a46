//! A guided provisioning story: create a user, read it back, change it, put it
//! in a group, find it, check it conditionally, deactivate it and delete it.
//!
//! ```text
//! cargo run -p scim-sdk --example tour
//! ```
//!
//! With no credentials in the environment it starts the embedded fake Genesys
//! Cloud (`scim-fake`) on loopback. With `GENESYS_REGION` (e.g. `us-east-1`
//! or `mypurecloud.ie`) and `GENESYS_CLIENT_ID`/`GENESYS_CLIENT_SECRET` (or
//! `GENESYS_TOKEN`) set, read by `Client::from_env`, the same steps run
//! against that real org; set
//! `GENESYS_TOUR_GROUP` to the display name of a group the tour may add its
//! user to (default `Sales`). The process exits 0 only if every step behaved
//! as expected.
#![forbid(unsafe_code)]

use scim_sdk::models::{ScimEmail, ScimEmailType, ScimV2CreateUser, ScimV2PatchRequest};
use scim_sdk::{
    Client, Conditional, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REGION, ENV_TOKEN, Filter,
};
use serde_json::json;
use std::process::ExitCode;

type StepResult<T> = Result<T, String>;

/// Runs one numbered step and prints what happened.
fn step<T>(n: u32, title: &str, f: impl FnOnce() -> StepResult<(T, String)>) -> StepResult<T> {
    print!("{n:>2}. {title:<44}");
    match f() {
        Ok((value, summary)) => {
            println!("ok    {summary}");
            Ok(value)
        }
        Err(why) => {
            println!("FAILED\n    {why}");
            Err(format!("step {n} ({title}) failed"))
        }
    }
}

fn run(client: &Client, group_name: &str) -> StepResult<()> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let user_name = format!("tour.{stamp}@example.com");

    step(1, "Read the service provider configuration", || {
        let config = client
            .get_scim_v2_serviceproviderconfig()
            .send()
            .map_err(|e| e.to_string())?;
        let patch = config.patch.and_then(|p| p.supported).unwrap_or(false);
        let etag = config.etag.and_then(|p| p.supported).unwrap_or(false);
        Ok((
            (),
            format!("PATCH supported: {patch}, ETags supported: {etag}"),
        ))
    })?;

    let id = step(2, "Create a user", || {
        let body = ScimV2CreateUser::new(&user_name, "Tour Guide")
            .with_title("Trainee")
            .with_emails(vec![
                ScimEmail::new()
                    .with_value(&user_name)
                    .with_type(ScimEmailType::Work)
                    .with_primary(true),
            ]);
        let created = client
            .post_scim_v2_users(body)
            .send_with_response()
            .map_err(|e| e.to_string())?;
        let status = created.status();
        let id = created.into_body().id.ok_or("the created user has no id")?;
        Ok((id.clone(), format!("HTTP {status}, id {id}")))
    })?;

    let etag = step(3, "Read it back", || {
        let resp = client
            .get_scim_v2_user(&id)
            .send_with_response()
            .map_err(|e| e.to_string())?;
        let etag = resp.etag().map(str::to_owned).ok_or("no ETag header")?;
        let user = resp.into_body();
        if user.user_name.as_deref() != Some(user_name.as_str()) {
            return Err(format!(
                "userName is {:?}, expected {user_name}",
                user.user_name
            ));
        }
        let version = user.meta.and_then(|m| m.version);
        Ok((
            etag.clone(),
            format!("userName {user_name}, ETag {etag}, meta.version {version:?}"),
        ))
    })?;

    let etag = step(4, "Promote it with a PATCH (If-Match)", || {
        let body = ScimV2PatchRequest::patch_op()
            .replace("title", json!("Senior Guide"))
            .replace(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                json!("Tours"),
            );
        let resp = client
            .patch_scim_v2_user(&id, body)
            .if_match(&etag)
            .send_with_response()
            .map_err(|e| e.to_string())?;
        let new_etag = resp.etag().map(str::to_owned).ok_or("no ETag header")?;
        let user = resp.into_body();
        let department = user.enterprise_user.and_then(|e| e.department);
        if user.title.as_deref() != Some("Senior Guide") || department.as_deref() != Some("Tours") {
            return Err(format!("title {:?}, department {department:?}", user.title));
        }
        Ok((
            new_etag.clone(),
            format!("title Senior Guide, department Tours, ETag {etag} -> {new_etag}"),
        ))
    })?;

    step(5, "A stale If-Match is refused", || {
        let body = ScimV2PatchRequest::patch_op().replace("title", json!("Nope"));
        match client
            .patch_scim_v2_user(&id, body)
            .if_match("\"0\"")
            .send()
        {
            Err(e) if e.is_version_mismatch() => Ok(((), format!("refused: {}", e.code()))),
            Err(e) => Err(format!("expected a version mismatch, got: {e}")),
            Ok(_) => Err("a stale version was accepted".into()),
        }
    })?;

    step(6, &format!("Add it to the group {group_name:?}"), || {
        // Filter::eq escapes the value: a group name with quotes cannot alter the filter.
        let filter = Filter::eq("displayName", group_name).map_err(|e| e.to_string())?;
        let group = client
            .get_scim_v2_groups(filter)
            .send()
            .map_err(|e| e.to_string())?
            .resources
            .and_then(|groups| groups.into_iter().next())
            .ok_or_else(|| format!("no group named {group_name:?}"))?;
        let group_id = group.id.ok_or("the group has no id")?;
        let body = ScimV2PatchRequest::patch_op().add("members", json!([{ "value": id }]));
        let updated = client
            .patch_scim_v2_group(&group_id, body)
            .send()
            .map_err(|e| e.to_string())?;
        let members = updated.members.unwrap_or_default();
        if !members
            .iter()
            .any(|m| m.value.as_deref() == Some(id.as_str()))
        {
            return Err("the user is not among the group's members".into());
        }
        Ok((
            (),
            format!("group {group_id} now has {} member(s)", members.len()),
        ))
    })?;

    step(7, "Find it with a filter", || {
        let found: Vec<_> = client
            .get_scim_v2_users()
            .filter(Filter::eq("userName", &user_name).map_err(|e| e.to_string())?)
            .into_items()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        match found.as_slice() {
            [user] if user.id.as_deref() == Some(id.as_str()) => {
                Ok(((), "exactly one match".to_owned()))
            }
            other => Err(format!("expected one match, got {}", other.len())),
        }
    })?;

    step(8, "Conditional GET with the current ETag", || match client
        .get_scim_v2_user(&id)
        .if_none_match(&etag)
        .send()
        .map_err(|e| e.to_string())?
    {
        Conditional::NotModified => Ok((
            (),
            "304 Not Modified: the cached copy is current".to_owned(),
        )),
        Conditional::Modified(_) => Err("expected 304 Not Modified".into()),
    })?;

    step(9, "Deactivate it", || {
        let body = ScimV2PatchRequest::patch_op().replace("active", json!(false));
        let user = client
            .patch_scim_v2_user(&id, body)
            .send()
            .map_err(|e| e.to_string())?;
        match user.active {
            Some(false) => Ok(((), "active = false".to_owned())),
            other => Err(format!("active is {other:?}")),
        }
    })?;

    step(10, "Delete it", || {
        client
            .delete_scim_v2_user(&id)
            .send()
            .map_err(|e| e.to_string())?;
        match client.get_scim_v2_user(&id).send() {
            Err(e) if e.is_not_found() => Ok((
                (),
                format!(
                    "gone (404, correlation id {})",
                    e.correlation_id().unwrap_or("-")
                ),
            )),
            Err(e) => Err(format!("expected 404 after delete, got: {e}")),
            Ok(_) => Err("the user is still there".into()),
        }
    })?;
    Ok(())
}

fn main() -> ExitCode {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let group = env("GENESYS_TOUR_GROUP").unwrap_or_else(|| "Sales".to_owned());

    // Keeps the embedded fake alive for the whole tour when it is used.
    let mut _fake = None;
    let configured = [ENV_REGION, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_TOKEN]
        .iter()
        .any(|name| env(name).is_some());
    let client = if configured {
        // A partial setting is an error naming what is missing.
        let client = Client::from_env();
        if let Ok(c) = &client {
            println!("Touring the real Genesys Cloud org at {}.\n", c.base_url());
        }
        client
    } else {
        let fake = match scim_fake::FakeServer::start() {
            Ok(f) => f,
            Err(e) => {
                eprintln!("cannot start the embedded fake server: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "No GENESYS_* variables set: touring the embedded fake at {}.\n",
            fake.base_url()
        );
        let client = Client::builder()
            .base_url(fake.base_url())
            .bearer(fake.token())
            .build();
        _fake = Some(fake);
        client
    };
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot build the client: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&client, &group) {
        Ok(()) => {
            println!("\nAll 10 steps behaved as expected.");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("\nTour stopped: {why}.");
            ExitCode::FAILURE
        }
    }
}
