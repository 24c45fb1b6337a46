//! A sync in proportion to what changed: the requests a full sync, an
//! incremental run (with no change, and with 200 changed people) and
//! `sync_one` send to orgs of 10,000 and 100,000 users in scim-fake, and
//! the time those requests take at Genesys's 300 requests a minute.
//!
//! ```text
//! cargo run --release -p scim-bench --bin since            # a few minutes
//! cargo run --release -p scim-bench --bin since -- --smoke # small orgs, a few seconds
//! ```
//!
//! Requests are counted by the client (the fake emulates Genesys's cost
//! of large pages carrying groups, so the listing pages by 25 when the
//! feed gives people's groups, as this one does). The time at 300 a
//! minute is what the org's API budget pays; the wall time on loopback is
//! printed beside it. Ratios to the full sync are of one run.
//!
//! The 200 changed people are 40 hires (joining a group), 100 changes of
//! title (20 of them moving from one group to another), 30 people marked
//! inactive and 30 gone from the feed. The targets: an incremental run
//! with no change sends at most 3 requests; with changes, at most 2 per
//! changed person the state knows, 5 per hire, 2 per group touched, and 5
//! more; `sync_one` sends as many in both orgs.
#![forbid(unsafe_code)]

use scim_bench::{ms, smoke};
use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::{ScimV2PatchRequest, ScimV2User};
use scim_sync::{ApplyOptions, DesiredUser, Feed, Scope, SyncState};
use std::process::ExitCode;
use std::time::{Duration, Instant};

type Outcome<T> = Result<T, String>;

const GROUPS: [&str; 4] = ["Sales", "Support", "Billing", "Field"];

/// People in groups: the first `IN_GROUPS`, spread over the four groups.
const IN_GROUPS: usize = 2_000;

fn group_of(i: usize) -> Vec<&'static str> {
    if i < IN_GROUPS {
        vec![GROUPS[i % GROUPS.len()]]
    } else {
        Vec::new()
    }
}

fn person(i: usize, title: &str, groups: Vec<&str>) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(format!("user{i}@example.com"))
            .with_display_name(format!("User {i}"))
            .with_external_id(format!("HR-{i}"))
            .with_title(title),
    )
    .with_groups(groups)
}

/// A fake org of `size` users agreeing with `feed(size)`.
fn org(size: usize) -> Outcome<(FakeServer, Client)> {
    let server = FakeServer::builder()
        .emulate_page_cost(true)
        // Every request of a full sync of 100,000 users is counted.
        .journal_limit(20_000, 256 << 20)
        .seed_groups(GROUPS.to_vec())
        .start()
        .map_err(|e| format!("start the fake: {e}"))?;
    let mut members: Vec<Vec<serde_json::Value>> = vec![Vec::new(); GROUPS.len()];
    for i in 0..size {
        let user = server.seed_user(serde_json::json!({
            "userName": format!("user{i}@example.com"), "displayName": format!("User {i}"),
            "externalId": format!("HR-{i}"), "title": "Agent",
        }));
        if i < IN_GROUPS {
            members[i % GROUPS.len()].push(serde_json::json!({"value": user["id"]}));
        }
    }
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .map_err(|e| e.to_string())?;
    for (name, members) in GROUPS.iter().zip(members) {
        let id = server.group_id(name).ok_or("no group")?;
        for chunk in members.chunks(500) {
            let add = ScimV2PatchRequest::patch_op().add("members", chunk.to_vec().into());
            client
                .patch_scim_v2_group(&id, add)
                .send()
                .map_err(|e| format!("fill {name}: {e}"))?;
        }
    }
    Ok((server, client))
}

fn feed(size: usize) -> Vec<DesiredUser> {
    (0..size).map(|i| person(i, "Agent", group_of(i))).collect()
}

/// The 200 changes (scaled down for a smoke run) of the module's docs.
fn changed(mut rows: Vec<DesiredUser>, size: usize, scale: usize) -> Vec<DesiredUser> {
    let n = |count: usize| count / scale;
    for i in 0..n(100) {
        // Among the grouped people; the first 20 move to the next group.
        let groups = if i < n(20) {
            vec![GROUPS[(i + 1) % GROUPS.len()]]
        } else {
            group_of(i)
        };
        rows[i] = person(i, "Trainer", groups);
    }
    for row in rows.iter_mut().skip(n(100)).take(n(30)) {
        row.user.active = Some(false);
    }
    rows.extend((size..size + n(40)).map(|i| person(i, "Agent", vec!["Sales"])));
    let gone = n(100) + n(30)..n(100) + n(30) + n(30);
    rows.drain(gone);
    rows
}

/// What `f` sent (all requests, and the reads among them, from the
/// fake's journal) and its wall time.
fn measured<T>(
    server: &FakeServer,
    client: &Client,
    f: impl FnOnce() -> Outcome<T>,
) -> Outcome<(T, (u64, usize), Duration)> {
    server.clear_journal();
    let (before, started) = (client.request_counts(), Instant::now());
    let value = f()?;
    let sent = client.request_counts().since(&before).sent;
    let reads = server
        .journal()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    Ok((value, (sent, reads), started.elapsed()))
}

struct Row {
    org: usize,
    what: &'static str,
    requests: u64,
    reads: usize,
    wall: Duration,
    target: Option<u64>,
}

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None).workers(4)
}

fn run(size: usize, scale: usize, rows: &mut Vec<Row>) -> Outcome<()> {
    let (server, client) = org(size)?;
    let scope = Scope::default();
    let mut state = SyncState::new(client.base_url(), &scope, "bench");
    let whole = Feed::new(feed(size));
    let sync = |state: &mut SyncState, feed: &Feed| -> Outcome<scim_sync::Report> {
        let plan =
            scim_sync::plan_since(&client, feed, &scope, state).map_err(|e| e.to_string())?;
        state
            .apply_and_record(&client, &plan, &options())
            .map_err(|e| e.to_string())
    };
    type Measured = (scim_sync::Report, (u64, usize), Duration);
    let mut row = |what, (report, (requests, reads), wall): Measured, target| {
        if report.failed > 0 {
            return Err(format!("{what}: {} items failed: {report}", report.failed));
        }
        rows.push(Row {
            org: size,
            what,
            requests,
            reads,
            wall,
            target,
        });
        Ok(())
    };
    row(
        "full sync, no change",
        measured(&server, &client, || sync(&mut state, &whole))?,
        None,
    )?;
    row(
        "incremental, no change",
        measured(&server, &client, || sync(&mut state, &whole))?,
        Some(3),
    )?;
    let changes = Feed::new(changed(feed(size), size, scale));
    let known = (100 + 30 + 30) / scale as u64;
    let target = 2 * known + 5 * (40 / scale as u64) + 2 * GROUPS.len() as u64 + 5;
    let what = if scale == 1 {
        "incremental, 200 changed"
    } else {
        "incremental, 20 changed"
    };
    row(
        what,
        measured(&server, &client, || sync(&mut state, &changes))?,
        Some(target),
    )?;
    // The same person in both orgs: in a group, with a new title.
    let one = person(1_001, "Team lead", group_of(1_001));
    let done = measured(&server, &client, || {
        scim_sync::sync_one(&client, &one, &scope, &options()).map_err(|e| e.to_string())
    })?;
    row(
        "sync_one, one change",
        (done.0.report, done.1, done.2),
        None,
    )
}

/// The time `requests` take at 300 a minute.
fn at_300_a_minute(requests: u64) -> String {
    let seconds = requests as f64 / 5.0;
    if seconds < 120.0 {
        format!("{seconds:.1} s")
    } else {
        format!("{:.1} min", seconds / 60.0)
    }
}

fn print(rows: &[Row]) {
    println!("| org | run | requests | reads | at 300/min | vs full | wall (loopback) | target |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        let full = rows
            .iter()
            .find(|f| f.org == r.org && f.what.starts_with("full"))
            .map_or(1, |f| f.requests.max(1));
        println!(
            "| {} | {} | {} | {} | {} | {:.4} | {:.0} ms | {} |",
            r.org,
            r.what,
            r.requests,
            r.reads,
            at_300_a_minute(r.requests),
            r.requests as f64 / full as f64,
            ms(r.wall),
            r.target.map_or("".into(), |t| format!("≤ {t}")),
        );
    }
}

fn check(rows: &[Row]) -> Outcome<()> {
    for r in rows {
        if let Some(t) = r.target.filter(|t| r.requests > *t) {
            return Err(format!(
                "{} users, {}: {} requests, over {t}",
                r.org, r.what, r.requests
            ));
        }
    }
    let ones: Vec<u64> = (rows.iter())
        .filter(|r| r.what.starts_with("sync_one"))
        .map(|r| r.requests)
        .collect();
    if ones.windows(2).any(|w| w[0] != w[1]) {
        return Err(format!(
            "sync_one costs differ with the org's size: {ones:?}"
        ));
    }
    Ok(())
}

fn main() -> ExitCode {
    // A smoke run: small orgs and a tenth of the changes, the same paths.
    let (sizes, scale) = if smoke() {
        (vec![1_500, 3_000], 10)
    } else {
        (vec![10_000, 100_000], 1)
    };
    let mut rows = Vec::new();
    for size in sizes {
        if let Err(e) = run(size, scale, &mut rows) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    print(&rows);
    match check(&rows) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
