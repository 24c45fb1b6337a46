//! What one SDK call costs above the wire floor, measured side by side.
//!
//! ```sh
//! cargo run --release -p scim-bench --bin call_cost            # about 20 s
//! cargo run --release -p scim-bench --bin call_cost -- --smoke # a few seconds
//! ```
//!
//! A canned keep-alive server on loopback answers `GET` of one user. The
//! peer is raw ureq with no time limit, decoding the same body into the same
//! model; the SDK adds credentials, retries, time limits, tracing and error
//! mapping. Rounds interleave the contenders, and the medians' ratio is
//! printed.

use scim_bench::canned::CannedServer;
use scim_bench::{interleaved, median, ratio, smoke, us};
use scim_sdk::models::ScimV2User;
use scim_sdk::{Client, RetryPolicy};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A user as Genesys returns it, about 1 KB.
const USER: &str = r#"{"id":"3f0c2a71-9d44-4c1e-a2a8-6b1d5f0e9c31","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"],"active":true,"userName":"jane.doe@example.com","displayName":"Jane Doe","title":"Agent","phoneNumbers":[{"value":"tel:+13175550123","type":"work","primary":true}],"emails":[{"value":"jane.doe@example.com","type":"work","primary":true}],"photos":[{"value":"https://example.com/jane.png","type":"photo"}],"groups":[{"value":"b1d6a3c0-1111-4c1e-a2a8-6b1d5f0e9c31","display":"Sales","$ref":"https://api.mypurecloud.com/api/v2/scim/v2/groups/b1d6a3c0-1111-4c1e-a2a8-6b1d5f0e9c31"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"division":"Customer Care","department":"Support","manager":{"value":"6a2f0e1b-2222-4c1e-a2a8-6b1d5f0e9c31"},"employeeNumber":"E-10432"},"urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User":{"externalIds":[{"authority":"hr","value":"10432"}]},"meta":{"resourceType":"User","lastModified":"2026-01-12T09:30:00.000Z","location":"https://api.mypurecloud.com/api/v2/scim/v2/users/3f0c2a71-9d44-4c1e-a2a8-6b1d5f0e9c31","version":"7"}}"#;

const FAILED_503: &str = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503","detail":"try again"}"#;

/// Counts calls that did not succeed: a benchmark of failing calls would
/// measure the wrong thing.
#[derive(Default)]
struct Failures(AtomicU64);

impl Failures {
    fn check<T, E: std::fmt::Display>(&self, result: Result<T, E>) {
        match result {
            Ok(value) => {
                black_box(value);
            }
            Err(e) => {
                if self.0.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("a call failed: {e}");
                }
            }
        }
    }
}

/// Medians of one batch: peer, SDK, SDK retrying once.
struct Batch {
    peer: Duration,
    sdk: Duration,
    retried: Duration,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (batches, rounds) = if smoke() { (2, 200) } else { (5, 5_000) };
    let user: Arc<[u8]> = Arc::from(USER.as_bytes());
    let failed: Arc<[u8]> = Arc::from(FAILED_503.as_bytes());
    // `/flaky` answers every other request on a connection with 503.
    let server = CannedServer::start(Arc::new(move |line: &str, n: u64| {
        if line.contains("/flaky") && n.is_multiple_of(2) {
            (503, Arc::clone(&failed))
        } else {
            (200, Arc::clone(&user))
        }
    }))?;
    let failures = Failures::default();
    // Fresh connections (and server threads) per batch: how the scheduler
    // places them moves one batch's figures more than anything the
    // contenders do, so several batches are shown.
    let mut results = Vec::new();
    for _ in 0..batches {
        results.push(batch(&server.url(), rounds, &failures)?);
    }
    let failed = failures.0.load(Ordering::Relaxed);
    if failed > 0 {
        return Err(format!("{failed} calls failed; the figures would be meaningless").into());
    }
    report(&results, rounds, tracing_without_subscriber(rounds));
    Ok(())
}

fn batch(
    url: &str,
    rounds: usize,
    failures: &Failures,
) -> Result<Batch, Box<dyn std::error::Error>> {
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let user_url = format!("{url}/api/v2/scim/v2/users/u1");
    let client = Client::builder().base_url(url).bearer("t").build()?;
    let retrying = Client::builder()
        .base_url(url)
        .bearer("t")
        .retry(RetryPolicy::default().base_backoff(Duration::ZERO))
        .build()?;
    // Warm up connections, allocator and caches.
    for _ in 0..200 {
        failures.check(raw_get(&agent, &user_url));
        failures.check(client.get_scim_v2_user("u1").send());
        failures.check(retrying.get_scim_v2_user("flaky").send());
    }
    let times = interleaved(
        rounds,
        &mut [
            &mut || failures.check(raw_get(&agent, &user_url)),
            &mut || failures.check(client.get_scim_v2_user("u1").send()),
            &mut || failures.check(retrying.get_scim_v2_user("flaky").send()),
        ],
    );
    Ok(Batch {
        peer: times[0],
        sdk: times[1],
        retried: times[2],
    })
}

/// The peer: raw ureq with no time limit, the same headers, the same typed decode.
fn raw_get(agent: &ureq::Agent, url: &str) -> Result<ScimV2User, Box<dyn std::error::Error>> {
    let mut response = agent
        .get(url)
        .header("Authorization", "Bearer t")
        .header("Accept", "application/scim+json, application/json")
        .call()?;
    let body = response.body_mut().read_to_vec()?;
    Ok(serde_json::from_slice(&body)?)
}

fn report(batches: &[Batch], rounds: usize, tracing_cost: Duration) {
    let single: Vec<f64> = batches.iter().map(|b| ratio(b.sdk, b.peer)).collect();
    let retried: Vec<f64> = batches
        .iter()
        .map(|b| ratio(b.retried, b.peer * 2))
        .collect();
    println!(
        "GET one user, loopback canned keep-alive server: {} batches of {rounds} interleaved rounds",
        batches.len()
    );
    println!(
        "batch   raw ureq (peer)   client.get_scim_v2_user(id).send()   503 then 200 (vs 2 peer calls)"
    );
    for (n, b) in batches.iter().enumerate() {
        println!(
            "{:>5}   {:>11.1} µs   {:>15.1} µs  {:>5.2}×   {:>15.1} µs  {:>5.2}×",
            n + 1,
            us(b.peer),
            us(b.sdk),
            single[n],
            us(b.retried),
            retried[n]
        );
    }
    println!(
        "median ratio: one call {:.2}× the peer (range {:.2}–{:.2}); a call retried once {:.2}× two peer calls",
        middle(&single),
        min(&single),
        max(&single),
        middle(&retried)
    );
    let sdk = median(batches.iter().map(|b| b.sdk).collect());
    println!(
        "tracing of one attempt, log_bodies(false), no subscriber: {:.3} µs ({:.3} % of an SDK call)",
        us(tracing_cost),
        100.0 * ratio(tracing_cost, sdk)
    );
}

fn middle(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// The median cost of the span and events one attempt emits, with
/// `log_bodies(false)` and no subscriber installed: what every call pays for
/// being observable. Timed in batches, since one is far below the clock's
/// resolution.
fn tracing_without_subscriber(rounds: usize) -> Duration {
    const BATCH: u32 = 1000;
    let samples = (0..rounds.min(2_000))
        .map(|_| {
            let started = Instant::now();
            for attempt in 0..BATCH {
                let span = tracing::debug_span!(
                    "scim.request",
                    operation = "getScimV2User",
                    method = "GET",
                    path = "/api/v2/scim/v2/users/{userId}",
                    attempt
                );
                let _entered = span.enter();
                let logging_bodies = black_box(false) && tracing::enabled!(tracing::Level::DEBUG);
                black_box(logging_bodies);
                tracing::debug!(
                    operation = "getScimV2User",
                    method = "GET",
                    path = "/api/v2/scim/v2/users/{userId}",
                    attempt,
                    status = 200u16,
                    duration_ms = 0u64,
                    correlation_id = Some("c"),
                    "SCIM request finished"
                );
            }
            started.elapsed() / BATCH
        })
        .collect();
    median(samples)
}
