//! The sync engine against scim-fake: what a realistic sync costs in
//! requests and time, that a second run only reads, and how provisioning
//! scales from 1 to 8 worker threads.
//!
//! ```text
//! cargo run --release -p scim-bench --bin sync            # about 1 minute
//! cargo run --release -p scim-bench --bin sync -- --smoke # the same paths, small sizes
//! ```
//!
//! Provisioning is measured twice. With no service time the fake answers as
//! fast as this machine's 2 cores allow, shared with the client, so more
//! workers mostly compete for CPU. With a 20 ms service time per request,
//! what a real API spends, the workers wait in parallel; there the single
//! worker provisions a tenth of the users (at about 50 a second, 10,000
//! would take minutes) and the figures are users per second.
//!
//! Times are wall-clock on loopback and include the fake's own work; the
//! ratio between worker counts, measured in one run, is the figure to
//! compare across machines.
#![forbid(unsafe_code)]

use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sync::{ApplyOptions, DesiredUser, Memberships, Plan, Report, Scope};
use std::collections::HashSet;
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

fn seed(server: &FakeServer, i: usize, title: &str) -> serde_json::Value {
    server.seed_user(serde_json::json!({
        "userName": format!("user{i}@example.com"), "displayName": format!("User {i}"),
        "externalId": format!("HR-{i}"), "title": title,
        "emails": [{"type": "work", "value": format!("user{i}@example.com")}],
        scim_sdk::schemas::ENTERPRISE_USER: {"department": "Care"},
    }))
}

struct Setup {
    server: FakeServer,
    client: Client,
}

fn setup(service_time: Duration) -> Result<Setup, String> {
    let server = FakeServer::builder()
        .service_time(service_time)
        .start()
        .map_err(|e| format!("start the fake: {e}"))?;
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

/// A plan and its apply: the plan, the report, the requests the apply
/// sent (the report counts the plan's reads too), and the times taken.
fn run(
    s: &Setup,
    feed: &[DesiredUser],
    workers: usize,
) -> Result<(Plan, Report, u64, Duration, Duration), String> {
    let started = Instant::now();
    let plan = scim_sync::plan(&s.client, feed, &Memberships::new(), &Scope::ExternalId)
        .map_err(|e| e.to_string())?;
    let planned = started.elapsed();
    let before = s.client.requests_sent();
    let options = ApplyOptions::default().workers(workers).rate_limit(None);
    let report = scim_sync::apply(&s.client, &plan, &options).map_err(|e| e.to_string())?;
    let applied = s.client.requests_sent() - before;
    Ok((plan, report, applied, planned, started.elapsed()))
}

/// 100 new, 50 changed, 350 unchanged (scaled down for --smoke), then the same feed again.
fn realistic(scale: usize) -> Result<(), String> {
    let (new, changed, same) = (100 / scale, 50 / scale, 350 / scale);
    let s = setup(Duration::ZERO)?;
    let mut unchanged_ids = HashSet::new();
    for i in 0..changed + same {
        let user = seed(&s.server, i, if i < changed { "Trainee" } else { "Agent" });
        if i >= changed {
            unchanged_ids.insert(user["id"].as_str().unwrap_or_default().to_owned());
        }
    }
    let feed: Vec<DesiredUser> = (0..changed + same + new)
        .map(|i| person(i, "Agent"))
        .collect();
    let reads_before = s.client.requests_sent();
    s.server.clear_journal();
    let (plan, report, applied, planned, total) = run(&s, &feed, 8)?;
    let plan_reads = s.client.requests_sent() - reads_before - applied;
    let written = writes(&s.server);
    let touched_unchanged = s
        .server
        .journal()
        .iter()
        .filter(|r| r.method != "GET")
        .filter(|r| {
            r.path
                .rsplit('/')
                .next()
                .is_some_and(|id| unchanged_ids.contains(id))
        })
        .count();
    println!(
        "sync of {} desired users ({new} new, {changed} changed, {same} unchanged), 8 workers:",
        feed.len()
    );
    println!(
        "  plan:  {plan_reads} reads in {planned:.2?}; summary {:?}",
        plan.summary()
    );
    println!(
        "  apply: {applied} requests ({written} writes) in {:.2?}; total {total:.2?}",
        total - planned
    );
    if written != new + changed || report.failed != 0 || touched_unchanged != 0 {
        return Err(format!(
            "expected {} writes, none to an unchanged user, and no failure; got {written}, {touched_unchanged} and {report:?}",
            new + changed
        ));
    }
    println!(
        "  an unchanged user costs no write: {written} writes = {new} creates + {changed} updates; none of the {} writes names one of the {same} unchanged users",
        written
    );

    s.server.clear_journal();
    let (plan, _, applied, _, total) = run(&s, &feed, 8)?;
    let journal = s.server.journal();
    let only_reads = journal.iter().all(|r| r.method == "GET");
    println!(
        "second run, same feed: {} requests, all reads: {only_reads}; {} writes planned; {total:.2?}",
        journal.len(),
        plan.summary().created + plan.summary().updated
    );
    if !only_reads || !plan.is_empty() || applied != 0 {
        return Err("the second run wrote something".into());
    }
    Ok(())
}

/// First provisioning into an empty org: `single` users with 1 worker and
/// `n` users with 8, against a fake with `service_time` per request.
fn provisioning(n: usize, single: usize, service_time: Duration) -> Result<(), String> {
    println!(
        "first provisioning, fake service time {} ms:",
        service_time.as_millis()
    );
    let mut rates = Vec::new();
    for (workers, count) in [(1, single), (8, n)] {
        let feed: Vec<DesiredUser> = (0..count).map(|i| person(i, "Agent")).collect();
        let s = setup(service_time)?;
        let (_, report, applied, planned, total) = run(&s, &feed, workers)?;
        let apply = total - planned;
        let rate = scim_bench::per_second(count, apply);
        println!(
            "  {count} users with {workers} worker(s): {} created, {} failed, {applied} requests, apply {apply:.2?} ({rate:.0} users/s)",
            report.summary.created, report.failed,
        );
        if report.summary.created != count {
            return Err(format!("created {} of {count}", report.summary.created));
        }
        rates.push(rate);
    }
    println!(
        "  8 workers vs 1: {:.2}x the throughput",
        rates[1] / rates[0]
    );
    Ok(())
}

fn main() -> ExitCode {
    let smoke = scim_bench::smoke();
    let result = realistic(if smoke { 10 } else { 1 }).and_then(|()| {
        if smoke {
            provisioning(200, 200, Duration::ZERO)
                .and_then(|()| provisioning(200, 20, Duration::from_millis(20)))
        } else {
            provisioning(10_000, 10_000, Duration::ZERO)
                .and_then(|()| provisioning(10_000, 1_000, Duration::from_millis(20)))
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sync bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}
