//! A webhook-style provisioning service on `scim-sync`: each event the HR
//! system sends ("employee E-1001 was hired", "… changed", "… left")
//! becomes one `sync_one`, which reads only that person's accounts, their
//! manager and the groups they join or leave, and applies the engine's
//! rules (matching, scope, guarded writes, manager links). Its cost does
//! not grow with the org. Here the org is scim-fake's, in this process.
//!
//! ```text
//! cargo run -p scim-sync --example webhook
//! ```

use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sync::{ApplyOptions, DesiredUser, Scope};

/// What the HR system says happened to one employee: `title` is `None`
/// for a leaver.
struct Event {
    what: &'static str,
    id: &'static str,
    name: &'static str,
    title: Option<&'static str>,
}

/// The person as the event wants them: the engine works out the rest.
fn desired(event: &Event) -> DesiredUser {
    let user_name = format!(
        "{}@example.com",
        event.name.to_lowercase().replace(' ', ".")
    );
    let mut user = ScimV2User::new()
        .with_user_name(user_name)
        .with_display_name(event.name)
        .with_external_id(event.id);
    user.title = event.title.map(str::to_owned);
    user.active = Some(event.title.is_some());
    DesiredUser::new(user)
        .with_manager("boss@example.com")
        .with_groups(["Sales"])
}

/// One event, one person synced: what a webhook handler does.
fn handle(client: &Client, event: &Event) -> Result<(), scim_sync::Error> {
    let person = desired(event);
    // The default scope: accounts with an externalId, the HR system's own.
    let options = ApplyOptions::default().rate_limit(None);
    let done = scim_sync::sync_one(client, &person, &Scope::default(), &options)?;
    let (what, requests) = (event.what, done.report.requests);
    println!(
        "{what:<8} {}: {done} ({requests} requests)",
        person.user_name()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = FakeServer::start()?;
    server.seed_user(serde_json::json!({
        "userName": "boss@example.com", "displayName": "The Boss", "externalId": "E-1",
    }));
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()?;
    let (id, name) = ("E-1001", "Jane Doe");
    let events = [
        Event {
            what: "hired",
            id,
            name,
            title: Some("Agent"),
        },
        Event {
            what: "changed",
            id,
            name,
            title: Some("Senior Agent"),
        },
        Event {
            what: "left",
            id,
            name,
            title: None,
        },
    ];
    for event in &events {
        handle(&client, event)?;
    }
    let jane = client
        .find_user_by_external_id("E-1001")?
        .ok_or("Jane is gone")?;
    println!(
        "Jane: active {}, title {:?}, manager {:?}",
        jane.is_active(),
        jane.title,
        jane.manager_id()
    );
    Ok(())
}
