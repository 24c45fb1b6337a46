//! Planning a sync of a large org: the time `scim_sync::plan` takes to read
//! 100,000 users from scim-fake and compare them with a 100,000-person feed,
//! and the memory it needs for that.
//!
//! ```text
//! cargo run --release -p scim-bench --bin plan_scale            # about a minute
//! cargo run --release -p scim-bench --bin plan_scale -- --smoke # 500 users
//! ```
//!
//! The fake runs in the same process, so the peak resident size is read
//! twice: once when the org is seeded and the feed built (the fake's store
//! and the feed), and once after the plan. The difference is what reading
//! the org and planning added at their peak. Times are wall-clock on
//! loopback and include the fake's own work.
#![forbid(unsafe_code)]

use scim_bench::{ms, per_second, smoke};
use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sync::{DesiredUser, Memberships, Scope};
use std::time::Instant;

fn person(i: usize, title: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(format!("user{i}@example.com"))
            .with_display_name(format!("User {i}"))
            .with_external_id(format!("HR-{i}"))
            .with_title(title),
    )
}

/// The process's peak resident set size (VmHWM) in MiB, where Linux reports it.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn mib(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.0} MiB"))
}

fn main() -> Result<(), String> {
    let users = if smoke() { 500 } else { 100_000 };
    let changed = users / 100;
    let server = FakeServer::start().map_err(|e| format!("start the fake: {e}"))?;
    for i in 0..users {
        server.seed_user(serde_json::json!({
            "userName": format!("user{i}@example.com"), "displayName": format!("User {i}"),
            "externalId": format!("HR-{i}"), "title": if i < changed { "Trainee" } else { "Agent" },
        }));
    }
    let feed: Vec<DesiredUser> = (0..users).map(|i| person(i, "Agent")).collect();
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .map_err(|e| e.to_string())?;
    let before = peak_rss_mib();

    let started = Instant::now();
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId)
        .map_err(|e| e.to_string())?;
    let took = started.elapsed();
    let after = peak_rss_mib();

    let summary = plan.summary();
    println!("plan of {users} desired users against an org of {users}:");
    println!(
        "  {:.0} ms ({:.0} users/s), {} requests; {summary:?}",
        ms(took),
        per_second(users, took),
        client.requests_sent()
    );
    println!(
        "  peak RSS: {} with the org seeded and the feed built, {} after the plan (+{})",
        mib(before),
        mib(after),
        mib(after.zip(before).map(|(a, b)| a - b))
    );
    if summary.updated != changed || summary.created != 0 || summary.deactivated != 0 {
        return Err(format!(
            "expected {changed} updates and nothing else; got {summary:?}"
        ));
    }
    Ok(())
}
