//! One `Client` shared by many threads, measured side by side in one run.
//!
//! ```sh
//! cargo run --release -p scim-bench --bin concurrency            # about 1 minute
//! cargo run --release -p scim-bench --bin concurrency -- --smoke # a few seconds
//! ```
//!
//! 1. **The client's memory.** The resident set size of this process after
//!    1,000, 10,000 and 50,000 calls by 8 threads through one client, on a
//!    canned loopback server (which holds no state): it must stay flat.
//! 2. **The fake's create as the store grows.** A `POST` of a new user to a
//!    fake holding 100 users and to one holding 10,000 users (all of them
//!    members of a group), interleaved: a create should not cost more in a
//!    bigger org.
//! 3. **Provisioning through one shared client.** Users are created with
//!    `post_scim_v2_users` by 1 thread and by 8 threads sharing one
//!    `Client`, against a fake with a 20 ms service time (what a real API
//!    spends per request). The 8 threads create 10,000 users; the single
//!    thread, at about 50 creates a second, creates 1,000 into a fake seeded
//!    with 9,000 users, so both end at the same org size. Throughput is
//!    compared in users per second.
#![forbid(unsafe_code)]

use scim_bench::canned::CannedServer;
use scim_bench::{interleaved, ms, per_second, ratio, smoke};
use scim_fake::FakeServer;
use scim_sdk::Client;
use scim_sdk::models::{ScimV2CreateUser, ScimV2PatchRequest};
use serde_json::json;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

type Outcome<T> = Result<T, String>;

fn client(server_url: &str, token: &str) -> Outcome<Client> {
    Client::builder()
        .base_url(server_url)
        .bearer(token)
        .build()
        .map_err(|e| e.to_string())
}

/// A fake holding `users` users, every one of them in the `Sales` group.
fn org(users: usize, service_time: Duration) -> Outcome<FakeServer> {
    let server = FakeServer::builder()
        .service_time(service_time)
        .start()
        .map_err(|e| format!("start the fake: {e}"))?;
    let mut ids = Vec::with_capacity(users);
    for i in 0..users {
        let user = server.seed_user(json!({
            "userName": format!("seeded{i}@example.com"), "displayName": format!("Seeded {i}"),
            "externalId": format!("S-{i}"), "title": "Agent",
            "emails": [{"type": "work", "value": format!("seeded{i}@example.com")}],
        }));
        ids.push(user["id"].as_str().unwrap_or_default().to_owned());
    }
    let group = server.group_id("Sales").ok_or("no Sales group")?;
    let c = client(&server.base_url(), &server.token())?;
    for chunk in ids.chunks(500) {
        let members: Vec<_> = chunk.iter().map(|id| json!({"value": id})).collect();
        c.patch_scim_v2_group(
            &group,
            ScimV2PatchRequest::patch_op().add("members", members.into()),
        )
        .send()
        .map_err(|e| format!("fill the group: {e}"))?;
    }
    Ok(server)
}

fn create(client: &Client, name: &str) -> Outcome<()> {
    client
        .post_scim_v2_users(ScimV2CreateUser::new(format!("{name}@example.com"), name))
        .send()
        .map(drop)
        .map_err(|e| format!("create {name}: {e}"))
}

/// 2: the median cost of a create in a small and in a large org.
fn create_cost(rounds: usize, large: usize) -> Outcome<()> {
    let small_org = org(100, Duration::ZERO)?;
    let large_org = org(large, Duration::ZERO)?;
    let small = client(&small_org.base_url(), &small_org.token())?;
    let big = client(&large_org.base_url(), &large_org.token())?;
    let (mut n_small, mut n_big) = (0, 0);
    let (mut small_failed, mut big_failed) = (Ok(()), Ok(()));
    let times = interleaved(
        rounds,
        &mut [
            &mut || {
                n_small += 1;
                small_failed = small_failed
                    .clone()
                    .and(create(&small, &format!("new{n_small}")));
            },
            &mut || {
                n_big += 1;
                big_failed = big_failed.clone().and(create(&big, &format!("new{n_big}")));
            },
        ],
    );
    small_failed.and(big_failed)?;
    println!(
        "POST a user, keep-alive, no service time: org of 100 users {:.3} ms, org of {large} users {:.3} ms: {:.2}x",
        ms(times[0]),
        ms(times[1]),
        ratio(times[1], times[0])
    );
    Ok(())
}

/// Creates `count` users named `{prefix}{n}` with `threads` threads sharing
/// `client`; returns the wall time.
fn provision(client: &Client, threads: usize, count: usize, prefix: &str) -> Outcome<Duration> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Outcome<()> {
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= count {
                            return Ok(());
                        }
                        create(client, &format!("{prefix}{n}"))?;
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|w| match w.join() {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(e),
                Err(_) => Some("a worker panicked".into()),
            })
            .collect()
    });
    match failures.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(started.elapsed()),
    }
}

/// 3: users per second with 1 and with 8 threads, 20 ms service time.
fn provisioning(total: usize, single: usize) -> Outcome<()> {
    let service = Duration::from_millis(20);
    let one = org(total - single, service)?;
    let eight = org(0, service)?;
    let one_client = client(&one.base_url(), &one.token())?;
    let eight_client = client(&eight.base_url(), &eight.token())?;
    let t1 = provision(&one_client, 1, single, "one")?;
    let t8 = provision(&eight_client, 8, total, "eight")?;
    let (r1, r8) = (per_second(single, t1), per_second(total, t8));
    println!(
        "provisioning through one shared Client, fake service time 20 ms: 1 thread {single} users in {t1:.2?} ({r1:.0} users/s, org {} -> {total}); 8 threads {total} users in {t8:.2?} ({r8:.0} users/s, org 0 -> {total})",
        total - single
    );
    println!("  8 threads vs 1: {:.2}x the throughput", r8 / r1);
    Ok(())
}

/// The resident set size of this process, from `/proc/self/status`.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 1: RSS after growing numbers of calls through one client.
fn memory(checkpoints: &[usize]) -> Outcome<()> {
    const USER: &str = r#"{"id":"u1","userName":"jane@example.com","displayName":"Jane","active":true,"meta":{"version":"\"3\""}}"#;
    let body: Arc<[u8]> = Arc::from(USER.as_bytes());
    let server = CannedServer::start(Arc::new(move |_: &str, _| (200, Arc::clone(&body))))
        .map_err(|e| e.to_string())?;
    let client = client(&server.url(), "t")?;
    let calls = AtomicUsize::new(0);
    let mut done = 0;
    let mut line = Vec::new();
    for &target in checkpoints {
        let batch = target - done;
        let per_thread = batch.div_ceil(8);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..per_thread {
                        if client.get_scim_v2_user("u1").send().is_ok() {
                            calls.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        done += per_thread * 8;
        let rss = rss_kib().ok_or("no /proc/self/status: RSS is measured on Linux only")?;
        line.push((done, rss));
    }
    if calls.load(Ordering::Relaxed) != done {
        return Err("some calls failed".into());
    }
    let shown: Vec<String> = line
        .iter()
        .map(|(n, kib)| format!("{n} calls {:.1} MiB", *kib as f64 / 1024.0))
        .collect();
    let growth = line.last().map_or(0, |l| l.1) as i64 - line.get(1).map_or(0, |l| l.1) as i64;
    println!(
        "client memory, 8 threads sharing one Client: RSS {}; from {} to {} calls: {growth:+} KiB",
        shown.join(", "),
        line.get(1).map_or(0, |l| l.0),
        line.last().map_or(0, |l| l.0),
    );
    Ok(())
}

fn main() -> ExitCode {
    let quick = smoke();
    // Memory first, while no fake has grown the heap.
    let result = if quick {
        memory(&[200, 1_000, 3_000])
            .and_then(|()| create_cost(20, 500))
            .and_then(|()| provisioning(200, 50))
    } else {
        memory(&[1_000, 10_000, 50_000])
            .and_then(|()| create_cost(400, 10_000))
            .and_then(|()| provisioning(10_000, 1_000))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("concurrency bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}
