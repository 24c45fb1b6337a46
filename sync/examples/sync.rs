//! An identity sync in about fifty lines: read an HR feed, plan, print the
//! plan, apply it with a progress line, and show that a second run has
//! nothing left to do.
//!
//! ```text
//! cargo run -p scim-sync --example sync
//! ```
//!
//! It runs against the embedded fake Genesys Cloud (`scim-fake`), seeded
//! with a few users: one HR already provisioned, one deactivated last month,
//! one who left the company, and an admin the sync must never touch.
#![forbid(unsafe_code)]

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sync::{ApplyOptions, DesiredUser, Error, Memberships, Plan, Scope};
use std::process::ExitCode;

/// The HR export: one person a line. An empty cell leaves the attribute
/// alone; `<clear>` clears it, as in the `scim` CLI's people files.
const HR_FEED: &str = "\
userName,displayName,externalId,department,title,manager,groups
ada@example.com,Ada Lovelace,HR-1,Engineering,CTO,,Engineering
grace@example.com,Grace Hopper,HR-2,Engineering,Engineer,ada@example.com,Engineering;Support
alan@example.com,Alan Turing,HR-3,Research,<clear>,ada@example.com,
kath@example.com,Katherine Johnson,HR-4,Support,Analyst,grace@example.com,Support
";

// ---- the sync: everything here is about which people and which attributes

fn desired_state(feed: &str) -> (Vec<DesiredUser>, Memberships) {
    let mut users = Vec::new();
    let mut groups = Memberships::new();
    for line in feed.lines().skip(1) {
        let cell: Vec<&str> = line.split(',').collect();
        let cell = |i: usize| cell.get(i).copied().unwrap_or_default();
        let mut user = ScimV2User::new()
            .with_user_name(cell(0))
            .with_display_name(cell(1))
            .with_external_id(cell(2))
            .with_work_email(cell(0));
        if !cell(3).is_empty() {
            user = user.with_department(if cell(3) == "<clear>" { "" } else { cell(3) });
        }
        if !cell(4).is_empty() {
            user = user.with_title(if cell(4) == "<clear>" { "" } else { cell(4) });
        }
        let mut person = DesiredUser::new(user);
        if !cell(5).is_empty() {
            person = person.with_manager(cell(5));
        }
        for group in cell(6).split(';').filter(|g| !g.is_empty()) {
            groups
                .entry(group.to_owned())
                .or_default()
                .push(cell(0).to_owned());
        }
        users.push(person);
    }
    (users, groups)
}

fn sync(client: &Client, feed: &str) -> Result<Plan, Error> {
    let (users, groups) = desired_state(feed);
    let plan = scim_sync::plan(client, &users, &groups, &Scope::ExternalId)?;
    print_plan(&plan);
    let options = ApplyOptions::default()
        .rate_limit(None) // the fake has no rate limit to respect
        .max_deactivation_ratio(0.5) // a demo org of a handful of people
        .on_progress(|p| {
            println!(
                "  [{}/{}] {:?} {}: {:?}",
                p.done, p.total, p.kind, p.name, p.status
            )
        });
    let report = scim_sync::apply(client, &plan, &options)?;
    println!(
        "applied: {} created, {} updated, {} reactivated, {} deactivated, {} unchanged, {} memberships, {} failed, {} requests",
        report.created,
        report.updated,
        report.reactivated,
        report.deactivated,
        report.unchanged,
        report.memberships_changed,
        report.failed,
        report.requests
    );
    Ok(plan)
}

// ---- presentation and setup

fn print_plan(plan: &Plan) {
    let s = plan.summary;
    println!(
        "plan: {} to create, {} to update, {} to reactivate, {} to deactivate, {} unchanged, {} membership changes",
        s.created, s.updated, s.reactivated, s.deactivated, s.unchanged, s.memberships_changed
    );
    for c in &plan.creates {
        println!("  + {} ({})", c.user_name, c.reason);
    }
    for u in plan.updates.iter().chain(&plan.reactivations) {
        println!("  ~ {} ({})", u.user_name, u.reason);
        for c in &u.changes {
            let (before, after) = (show(&c.before), show(&c.after));
            let shown = c.note.clone().unwrap_or(format!("{before} -> {after}"));
            println!("      {}: {shown}", c.path);
        }
    }
    for d in &plan.deactivations {
        println!("  - {} ({})", d.user_name, d.reason);
    }
    for m in &plan.memberships {
        let names =
            |ms: &[scim_sync::Member]| ms.iter().map(|m| m.user_name.clone()).collect::<Vec<_>>();
        println!(
            "  group {}: add {:?}, remove {:?}",
            m.group,
            names(&m.add),
            names(&m.remove)
        );
    }
    for w in &plan.warnings {
        println!(
            "  ! {}: {}",
            w.user_name.as_deref().unwrap_or("-"),
            w.message
        );
    }
}

fn show(value: &Option<serde_json::Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "(none)".to_owned(), |v| v.to_string())
}

fn seeded_fake() -> std::io::Result<scim_fake::FakeServer> {
    let server = scim_fake::FakeServer::start()?;
    let enterprise = scim_sdk::schemas::ENTERPRISE_USER;
    server.seed_user(serde_json::json!({"userName": "ada@example.com", "displayName": "Ada Lovelace",
        "externalId": "HR-1", "title": "CTO", "emails": [{"type": "work", "value": "ada@example.com"}],
        enterprise: {"department": "Engineering"}}));
    server.seed_user(
        serde_json::json!({"userName": "alan@example.com", "displayName": "Alan Turing",
        "externalId": "HR-3", "title": "Researcher", "active": false}),
    );
    server.seed_user(serde_json::json!({"userName": "left@example.com", "displayName": "Left Company", "externalId": "HR-9"}));
    server.seed_user(
        serde_json::json!({"userName": "admin@example.com", "displayName": "Org Admin"}),
    );
    Ok(server)
}

fn main() -> ExitCode {
    let server = match seeded_fake() {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot start the embedded fake: {e}");
            return ExitCode::FAILURE;
        }
    };
    let client = match Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("== first run");
    let first = sync(&client, HR_FEED);
    println!("\n== second run, same feed");
    let second = sync(&client, HR_FEED);
    match (first, second) {
        (Ok(first), Ok(second)) if !first.is_empty() && second.is_empty() => {
            println!("\nin sync: the second run planned nothing and wrote nothing");
            ExitCode::SUCCESS
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("sync failed: {e}");
            ExitCode::FAILURE
        }
        _ => {
            eprintln!("the second run still had work to do");
            ExitCode::FAILURE
        }
    }
}
