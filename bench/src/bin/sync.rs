//! The sync engine against scim-fake: what a realistic sync costs in
//! requests and time, that a second run only reads, and how provisioning
//! scales from 1 to 8 worker threads.
//!
//! ```text
//! cargo run --release -p scim-bench --bin sync            # 500-user sync, 10,000-user provisioning
//! cargo run --release -p scim-bench --bin sync -- --smoke # the same paths, small sizes
//! ```
//!
//! Times are wall-clock on loopback and include the fake's own work; the
//! ratio between worker counts, measured side by side in one run, is the
//! figure to compare across machines.
#![forbid(unsafe_code)]

use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk::sync::{ApplyOptions, DesiredUser, Memberships, Plan, Report, Scope};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn person(i: usize, title: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(format!("user{i}@example.com"))
            .with_display_name(format!("User {i}"))
            .with_external_id(format!("HR-{i}"))
            .with_work_email(format!("user{i}@example.com"))
            .with_title(title)
            .with_department("Care"),
    )
}

fn seed(server: &FakeServer, i: usize, title: &str) {
    server.seed_user(serde_json::json!({
        "userName": format!("user{i}@example.com"), "displayName": format!("User {i}"),
        "externalId": format!("HR-{i}"), "title": title,
        "emails": [{"type": "work", "value": format!("user{i}@example.com")}],
        scim_sdk::schemas::ENTERPRISE_USER: {"department": "Care"},
    }));
}

struct Setup {
    server: FakeServer,
    client: Client,
}

fn setup() -> Result<Setup, String> {
    let server = FakeServer::start().map_err(|e| format!("start the fake: {e}"))?;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Setup { server, client })
}

fn writes(server: &FakeServer) -> usize {
    server
        .journal()
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

fn run(
    s: &Setup,
    feed: &[DesiredUser],
    workers: usize,
) -> Result<(Plan, Report, Duration, Duration), String> {
    let started = Instant::now();
    let plan = s
        .client
        .plan(feed, &Memberships::new(), &Scope::ExternalId)
        .map_err(|e| e.to_string())?;
    let planned = started.elapsed();
    let options = ApplyOptions::default().workers(workers).rate_limit(None);
    let report = s.client.apply(&plan, &options).map_err(|e| e.to_string())?;
    Ok((plan, report, planned, started.elapsed()))
}

/// 100 new, 50 changed, 350 unchanged (scaled down for --smoke), then the same feed again.
fn realistic(scale: usize) -> Result<(), String> {
    let (new, changed, same) = (100 / scale, 50 / scale, 350 / scale);
    let s = setup()?;
    for i in 0..changed + same {
        seed(&s.server, i, if i < changed { "Trainee" } else { "Agent" });
    }
    let feed: Vec<DesiredUser> = (0..changed + same + new)
        .map(|i| person(i, "Agent"))
        .collect();
    let reads_before = s.client.requests_sent();
    s.server.clear_journal();
    let (plan, report, planned, total) = run(&s, &feed, 8)?;
    let plan_reads = plan_reads(&s, reads_before, &report);
    let written = writes(&s.server);
    println!(
        "sync of {} desired users ({new} new, {changed} changed, {same} unchanged), 8 workers:",
        feed.len()
    );
    println!(
        "  plan:  {plan_reads} reads in {planned:.2?}; summary {:?}",
        plan.summary
    );
    println!(
        "  apply: {} requests ({written} writes) in {:.2?}; total {total:.2?}",
        report.requests,
        total - planned
    );
    if written != new + changed || report.failed != 0 {
        return Err(format!(
            "expected {} writes and no failure, got {written} and {report:?}",
            new + changed
        ));
    }
    println!(
        "  an unchanged user costs no write: {written} writes = {new} creates + {changed} updates"
    );

    s.server.clear_journal();
    let (plan, report, _, total) = run(&s, &feed, 8)?;
    let journal = s.server.journal();
    let only_reads = journal.iter().all(|r| r.method == "GET");
    println!(
        "second run, same feed: {} requests, all reads: {only_reads}; {} writes planned; {total:.2?}",
        journal.len(),
        plan.summary.created + plan.summary.updated
    );
    if !only_reads || !plan.is_empty() || report.requests != 0 {
        return Err("the second run wrote something".into());
    }
    Ok(())
}

fn plan_reads(s: &Setup, before: u64, report: &Report) -> u64 {
    s.client.requests_sent() - before - report.requests
}

/// First provisioning of `n` users into an empty org with 1 and 8 workers, side by side.
fn provisioning(n: usize) -> Result<(), String> {
    let feed: Vec<DesiredUser> = (0..n).map(|i| person(i, "Agent")).collect();
    let mut times = Vec::new();
    for workers in [1, 8] {
        let s = setup()?;
        let (_, report, planned, total) = run(&s, &feed, workers)?;
        let apply = total - planned;
        println!(
            "provisioning {n} users with {workers} worker(s): {} created, {} failed, {} requests, apply {apply:.2?} ({:.0} users/s)",
            report.created,
            report.failed,
            report.requests,
            n as f64 / apply.as_secs_f64().max(f64::MIN_POSITIVE)
        );
        if report.created != n {
            return Err(format!("created {} of {n}", report.created));
        }
        times.push(apply);
    }
    println!(
        "  8 workers vs 1: {:.2}x faster",
        scim_bench::ratio(times[0], times[1])
    );
    Ok(())
}

fn main() -> ExitCode {
    let smoke = scim_bench::smoke();
    let result = realistic(if smoke { 10 } else { 1 })
        .and_then(|()| provisioning(if smoke { 200 } else { 10_000 }));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sync bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}
