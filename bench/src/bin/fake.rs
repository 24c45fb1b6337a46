//! How fast `scim-fake` answers, measured side by side in one run.
//!
//! 1. A keep-alive `GET /api/v2/scim/v2/users?count=25` (a full page of
//!    users with a few attributes each), against a canned loopback server
//!    that writes the same bytes without doing any work: the wire floor.
//! 2. Throughput of 8 concurrent keep-alive clients against 1, with the
//!    fake's `service_time` set to 20 ms (what a real API spends per
//!    request), and again with no service time, where 2 cores of CPU are
//!    the limit.
//! 3. Listing a large org page by page (`startIndex`/`count=100`): every
//!    user of an org of 100,000 (`active eq true`, then `active eq false`,
//!    as an export or a sync reads them), and the default listing. It
//!    prints the time per user against an org of 1,000: a ratio near 1
//!    means a page costs the same however many users the org holds.
//!
//! `cargo run --release -p scim-bench --bin fake` (add `-- --smoke` for a
//! run of a few seconds).
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use scim_bench::canned::CannedServer;
use scim_bench::{interleaved, ms, per_second, ratio, smoke};
use scim_fake::FakeServer;
use serde_json::json;

const PAGE: &str = "/api/v2/scim/v2/users?count=25";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn get(agent: &ureq::Agent, url: &str, token: &str) -> usize {
    let body = agent
        .get(url)
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .and_then(|r| r.into_body().read_to_vec());
    match body {
        Ok(b) => b.len(),
        Err(e) => panic!("GET {url}: {e}"),
    }
}

fn seeded(builder: scim_fake::FakeServerBuilder) -> FakeServer {
    let server = builder.start().expect("start the fake");
    for i in 0..30 {
        server.seed_user(json!({
            "userName": format!("user{i}@example.com"),
            "displayName": format!("User Number {i}"),
            "title": "Agent",
            "emails": [{"value": format!("user{i}@example.com"), "type": "work", "primary": true}],
            "phoneNumbers": [{"value": format!("+1555000{i:04}"), "type": "work"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Customer Care", "division": "Home", "employeeNumber": format!("E{i}")
            },
        }));
    }
    server
}

/// The fake's page body, for the canned server to answer with.
fn page_body(server: &FakeServer) -> Arc<[u8]> {
    let body = agent()
        .get(format!("{}{PAGE}", server.base_url()))
        .header("Authorization", format!("Bearer {}", server.token()))
        .call()
        .and_then(|r| r.into_body().read_to_vec())
        .expect("a page");
    Arc::from(body)
}

fn keep_alive_page(rounds: usize) {
    let server = seeded(FakeServer::builder());
    let body = page_body(&server);
    let floor = CannedServer::start(Arc::new(move |_: &str, _| (200, Arc::clone(&body))))
        .expect("bind")
        .url();
    let (fake_agent, floor_agent) = (agent(), agent());
    let fake_url = format!("{}{PAGE}", server.base_url());
    let floor_url = format!("{floor}{PAGE}");
    let token = server.token();
    let size = get(&fake_agent, &fake_url, &token);
    get(&floor_agent, &floor_url, &token);
    let times = interleaved(
        rounds,
        &mut [
            &mut || {
                get(&fake_agent, &fake_url, &token);
            },
            &mut || {
                get(&floor_agent, &floor_url, &token);
            },
        ],
    );
    println!(
        "keep-alive GET users?count=25 ({size} bytes): fake {:.3} ms, canned floor {:.3} ms, ratio {:.2}x",
        ms(times[0]),
        ms(times[1]),
        ratio(times[0], times[1])
    );
}

/// `clients` threads, each with its own keep-alive connection, each
/// sending `per_client` GETs of one user.
fn burst(url: &str, token: &str, clients: usize, per_client: usize) {
    thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| {
                let agent = agent();
                for _ in 0..per_client {
                    get(&agent, url, token);
                }
            });
        }
    });
}

fn concurrency(service_time: Duration, rounds: usize, per_client: usize) {
    let server = seeded(FakeServer::builder().service_time(service_time));
    let id = server.seed_user(json!({"userName": "one@example.com", "displayName": "One"}))["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let url = format!("{}/api/v2/scim/v2/users/{id}", server.base_url());
    let token = server.token();
    burst(&url, &token, 8, 2);
    let times = interleaved(
        rounds,
        &mut [&mut || burst(&url, &token, 1, per_client), &mut || {
            burst(&url, &token, 8, per_client)
        }],
    );
    // Eight clients do eight times the work of one.
    let gain = 8.0 / ratio(times[1], times[0]);
    println!(
        "service time {:>2} ms: 1 client {:.0} req/s, 8 clients {:.0} req/s, throughput gain {gain:.2}x",
        service_time.as_millis(),
        per_second(per_client, times[0]),
        per_second(8 * per_client, times[1]),
    );
}

/// An org of `n` users, every tenth of them inactive.
fn large_org(n: usize) -> FakeServer {
    let server = FakeServer::builder().start().expect("start the fake");
    for i in 0..n {
        server.seed_user(json!({
            "userName": format!("user{i}@example.com"),
            "displayName": format!("User Number {i}"),
            "active": i % 10 != 0,
            "externalId": format!("E-{i}"),
        }));
    }
    server
}

/// Walks every page of each filter (`None`: the default listing), 100 at a
/// time; returns how many users came back.
fn list_all(server: &FakeServer, filters: &[Option<&str>]) -> usize {
    filters.iter().map(|f| list_one(server, *f)).sum()
}

fn list_one(server: &FakeServer, filter: Option<&str>) -> usize {
    let agent = agent();
    let token = server.token();
    let base = format!("{}/api/v2/scim/v2/users", server.base_url());
    let mut seen = 0;
    loop {
        let mut req = agent
            .get(&base)
            .query("startIndex", (seen + 1).to_string())
            .query("count", "100")
            .query("attributes", "userName")
            .header("Authorization", format!("Bearer {token}"));
        if let Some(f) = filter {
            req = req.query("filter", f);
        }
        let body = match req.call().and_then(|r| r.into_body().read_to_vec()) {
            Ok(b) => b,
            Err(e) => panic!("GET {base}: {e}"),
        };
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let got = page["Resources"].as_array().map_or(0, Vec::len);
        seen += got;
        let total = page["totalResults"].as_u64().unwrap_or(0) as usize;
        if got == 0 || seen >= total {
            return seen;
        }
    }
}

fn large_listing(large: usize, rounds: usize) {
    let small = large / 100;
    let started = Instant::now();
    let (big, little) = (large_org(large), large_org(small));
    println!(
        "seeded {large} + {small} users in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let both = [Some("active eq true"), Some("active eq false")];
    for (what, filters) in [
        ("all users, active then inactive", &both[..]),
        ("the default listing (active users)", &[None]),
    ] {
        let (mut n_big, mut n_little) = (0, 0);
        let times = interleaved(
            rounds,
            &mut [&mut || n_big = list_all(&big, filters), &mut || {
                n_little = list_all(&little, filters)
            }],
        );
        let per_user = |d: Duration, n: usize| d / u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        println!(
            "list {what}: {n_big} of {large} in {:.2} s; per user {:.2} us vs {:.2} us in an org of {small}, ratio {:.2}x",
            times[0].as_secs_f64(),
            scim_bench::us(per_user(times[0], n_big)),
            scim_bench::us(per_user(times[1], n_little)),
            ratio(per_user(times[0], n_big), per_user(times[1], n_little)),
        );
    }
}

fn main() {
    let quick = smoke();
    large_listing(
        if quick { 2_000 } else { 100_000 },
        if quick { 1 } else { 3 },
    );
    keep_alive_page(if quick { 20 } else { 400 });
    let (rounds, per_client) = if quick { (2, 5) } else { (9, 25) };
    concurrency(Duration::from_millis(20), rounds, per_client);
    concurrency(Duration::ZERO, rounds, per_client * 8);
}
