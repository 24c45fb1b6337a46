//! An identity sync on the embedded fake Genesys Cloud (`scim-fake`): read
//! an HR feed, plan, print the plan, apply it, and show that a second run
//! has nothing left to do.
//!
//! ```text
//! cargo run -p scim-sync --example sync
//! ```
//!
//! The fake is seeded with a few users: one HR already provisioned, one
//! deactivated last month, one who left the company, and an admin the
//! sync must never touch (it has no externalId: it is out of scope).
#![forbid(unsafe_code)]

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sync::{ApplyOptions, Desired, DesiredUser, Field, Memberships, Plan, Scope};
use serde_json::json;

/// The HR export: one person a line. An empty cell leaves the attribute
/// alone; `<clear>` clears it.
const HR_FEED: &str = "\
userName,displayName,externalId,department,title,manager,groups
ada@example.com,Ada Lovelace,HR-1,Engineering,CTO,,Engineering
grace@example.com,Grace Hopper,HR-2,Engineering,Engineer,ada@example.com,Engineering;Support
alan@example.com,Alan Turing,HR-3,Research,<clear>,ada@example.com,
kath@example.com,Katherine Johnson,HR-4,Support,Analyst,grace@example.com,Support
";

/// One row of the feed as the engine wants it.
fn desired(line: &str) -> DesiredUser {
    let cells: Vec<&str> = line.split(',').collect();
    let cell = |i: usize| cells.get(i).copied().unwrap_or_default();
    let wanted = |i: usize| match cell(i) {
        "" => Desired::Keep,
        "<clear>" => Desired::Clear,
        value => Desired::Set(value.to_owned()),
    };
    let user = ScimV2User::new()
        .with_user_name(cell(0))
        .with_display_name(cell(1))
        .with_external_id(cell(2))
        .with_work_email(cell(0));
    let mut person = DesiredUser::new(user)
        .set(Field::Department, wanted(3))
        .set(Field::Title, wanted(4));
    person.manager = wanted(5);
    person.with_groups(cell(6).split(';').filter(|g| !g.is_empty()))
}

/// Plans the feed against the org, prints the plan, and applies it.
fn sync(client: &Client) -> Result<Plan, scim_sync::Error> {
    let feed: Vec<DesiredUser> = HR_FEED.lines().skip(1).map(desired).collect();
    let plan = scim_sync::plan(client, &feed, &Memberships::new(), &Scope::ExternalId)?;
    print!("{plan}");
    let options = ApplyOptions::default()
        .rate_limit(None) // the fake has no rate limit to respect
        .max_deactivation_ratio(0.5) // a demo org of a handful of people
        .on_progress(|p| println!("  [{}/{}] {}: {:?}", p.done, p.total, p.item, p.status));
    let report = scim_sync::apply(client, &plan, &options)?;
    println!("{report}");
    Ok(plan)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = scim_fake::FakeServer::start()?;
    let enterprise = scim_sdk::schemas::ENTERPRISE_USER;
    server.seed_user(json!({"userName": "ada@example.com", "displayName": "Ada Lovelace",
        "externalId": "HR-1", "title": "CTO", "emails": [{"type": "work", "value": "ada@example.com"}],
        enterprise: {"department": "Engineering"}}));
    server.seed_user(
        json!({"userName": "alan@example.com", "displayName": "Alan Turing",
        "externalId": "HR-3", "title": "Researcher", "active": false}),
    );
    server.seed_user(
        json!({"userName": "left@example.com", "displayName": "Left", "externalId": "HR-9"}),
    );
    server.seed_user(json!({"userName": "admin@example.com", "displayName": "Org Admin"}));
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()?;

    println!("== first run");
    let first = sync(&client)?;
    println!("\n== second run, same feed");
    let second = sync(&client)?;
    if first.is_empty() || !second.is_empty() {
        return Err("the second run still had work to do".into());
    }
    println!("\nin sync: the second run planned nothing and wrote nothing");
    Ok(())
}
