//! Pacing end to end: a sync applied through a paced client against a fake
//! that allows N requests per short window gets through without a storm of
//! `429`s, whether or not the server announces its limit in headers.
//!
//! Only a lower bound on time is checked (the house rule allows no timing
//! assertion, and the one here follows from the limit itself): a slow
//! machine can make the sync late, never early.

use scim_fake::{FakeServer, RecordedRequest};
use scim_sdk::models::ScimV2User;
use scim_sdk::{Client, RateLimit};
use scim_sync::{ApplyOptions, DesiredUser, Memberships, Report, Scope};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The fake's limit: N requests per window.
const N: u32 = 10;
const WINDOW: Duration = Duration::from_secs(1);

/// What one paced sync did.
struct Run {
    report: Report,
    journal: Vec<RecordedRequest>,
    elapsed: Duration,
}

impl Run {
    /// Requests sent more than once: each is a retry after a `429` (the
    /// fake injects no other failure here).
    fn resent(&self) -> usize {
        let distinct: HashSet<(String, String, Option<String>, Vec<u8>)> = self
            .journal
            .iter()
            .map(|r| {
                (
                    r.method.clone(),
                    r.path.clone(),
                    r.query.clone(),
                    r.body.clone(),
                )
            })
            .collect();
        self.journal.len() - distinct.len()
    }

    /// The shortest time the fake's fixed windows allow for the requests it
    /// counted: they fill `ceil(counted / N)` windows, and the last of those
    /// cannot open before the others have closed.
    fn least_possible(&self) -> Duration {
        let counted = (self.journal.len() - self.resent()) as u32;
        WINDOW * (counted.div_ceil(N) - 1)
    }
}

/// Plans and applies a sync of 3N new users through a client paced at the
/// fake's limit.
fn paced_sync(headers: bool) -> Run {
    let server = FakeServer::builder()
        .rate_limit(N)
        .rate_limit_window(WINDOW)
        .rate_limit_headers(headers)
        .start()
        .expect("start the fake");
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .rate_limit(RateLimit::new(N, WINDOW))
        .build()
        .expect("client");
    let feed: Vec<DesiredUser> = (0..3 * N)
        .map(|i| {
            DesiredUser::new(
                ScimV2User::new()
                    .with_user_name(format!("paced{i}@example.com"))
                    .with_display_name(format!("Paced {i}"))
                    .with_external_id(format!("P-{i}")),
            )
        })
        .collect();
    let started = Instant::now();
    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");
    let report =
        scim_sync::apply(&client, &plan, &ApplyOptions::default().workers(4)).expect("apply");
    Run {
        report,
        journal: server.journal(),
        elapsed: started.elapsed(),
    }
}

#[test]
fn a_paced_sync_at_the_announced_limit_gets_no_429() {
    let run = paced_sync(true);
    let creates = run.journal.iter().filter(|r| r.method == "POST").count();
    assert_eq!(
        (run.report.summary.created, run.report.failed, creates),
        (30, 0, 30),
        "{:?}",
        run.report
    );
    assert_eq!(run.resent(), 0, "no request was refused and sent again");
    assert_eq!(
        run.report.requests,
        run.journal.len() as u64,
        "the plan's reads and each create once"
    );
    assert!(
        run.elapsed >= run.least_possible(),
        "{:?} is faster than {} requests at {N} per {WINDOW:?} allow",
        run.elapsed,
        run.journal.len()
    );
}

#[test]
fn with_retry_after_alone_a_paced_sync_completes_after_a_handful_of_429s() {
    // Genesys stopped sending the inin-ratelimit-* headers in 2021: the
    // client sees a 429 and its Retry-After, nothing before.
    let run = paced_sync(false);
    assert_eq!(
        (run.report.summary.created, run.report.failed),
        (30, 0),
        "{:?}",
        run.report
    );
    let windows = run.journal.len().div_ceil(N as usize);
    assert!(
        run.resent() <= windows,
        "{} requests refused and sent again: more than one per window ({windows})",
        run.resent()
    );
    assert!(
        run.elapsed >= run.least_possible(),
        "{:?} is faster than the limit allows",
        run.elapsed
    );
}
