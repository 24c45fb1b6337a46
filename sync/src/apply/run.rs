//! The work loop of an apply: workers take due items off the queue and run
//! one try of each. A try sends every request once; the item, not the
//! client, is tried again when it failed in a way that may pass, within
//! one budget per item (the client's `RetryPolicy`: attempts and total
//! wait). Each item that ends is tallied, recorded and reported before its
//! dependents may start. Three things stop a run from starting writes: a
//! server that stopped answering, the same refusal on write after write,
//! and a record that could not be written.

use super::ApplyOptions;
use super::breaker::{Breaker, backoff, is_connection_failure};
use super::members::membership;
use super::rule::Rule;
use super::view::View;
use super::writers::{self, Try};
use crate::failure::{ItemError, retry_after};
use crate::plan::ItemRef;
use crate::progress::Outcome;
use crate::progress::{Attempt, ItemStatus, MemberStatus, Progress};
use crate::queue::Queue;
use crate::report::Report;
use crate::schedule::Job;
use crate::wire::{Ledger, Wire};
use crate::{Error, RefusalKind};
use scim_sdk::{Client, RetryPolicy};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Shared state of one apply run.
pub(crate) struct Run<'a> {
    /// Paced, and sending each request once: retries are the queue's.
    pub(crate) client: Client,
    /// The caller's retry policy: each item's budget.
    pub(crate) policy: RetryPolicy,
    pub(crate) rule: Rule<'a>,
    pub(crate) view: View,
    /// The plan has no reading of its own.
    pub(crate) saved: bool,
    pub(crate) options: &'a ApplyOptions,
    pub(crate) queue: Queue<Job<'a>>,
    pub(crate) total: usize,
    items: Mutex<HashMap<usize, ItemState>>,
    created: Mutex<HashMap<String, String>>,
    pub(crate) report: Mutex<Report>,
    pub(crate) breaker: Mutex<Breaker>,
    /// Items ended so far. Held while an item is counted, recorded and
    /// reported, so that reports (and audit lines) come in counter order.
    finished: Mutex<usize>,
    pub(crate) unrecorded: Mutex<Option<(std::io::Error, Vec<Progress>)>>,
    /// The last item that ended, for a write outside a plan.
    pub(crate) last: Mutex<Option<Progress>>,
}

/// What the tries of one item have spent and sent so far.
#[derive(Default)]
struct ItemState {
    tries: u32,
    waited: Duration,
    maybe_applied: bool,
    attempts: Vec<Attempt>,
    /// The userName a try found, for an item known only by its id.
    name: Option<String>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Stops the queue when a worker panics (in a callback, say), so that the
/// others do not wait for its job forever and the panic reaches the caller.
struct StopOnPanic<'q, J: Copy>(&'q Queue<J>);

impl<J: Copy> Drop for StopOnPanic<'_, J> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

impl<'a> Run<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        client: Client,
        policy: RetryPolicy,
        rule: Rule<'a>,
        view: View,
        saved: bool,
        options: &'a ApplyOptions,
        jobs: Vec<(Job<'a>, Vec<usize>, bool)>,
    ) -> Run<'a> {
        Run {
            client,
            policy,
            rule,
            view,
            saved,
            options,
            total: jobs.len(),
            queue: Queue::new(jobs),
            items: Mutex::default(),
            created: Mutex::default(),
            report: Mutex::default(),
            breaker: Mutex::default(),
            finished: Mutex::new(0),
            unrecorded: Mutex::default(),
            last: Mutex::default(),
        }
    }

    /// Runs the workers until the queue is done or stopped.
    pub(crate) fn go(&self) {
        lock(&self.breaker).answered();
        std::thread::scope(|s| {
            for _ in 0..self.options.workers.min(self.total) {
                s.spawn(|| self.work());
            }
        });
    }

    /// Whether no further write may start.
    fn halted(&self) -> bool {
        self.options.cancelled()
            || lock(&self.unrecorded).is_some()
            || lock(&self.breaker).stopped.is_some()
    }

    /// One worker: takes due jobs until the queue is done or stopped.
    fn work(&self) {
        let _guard = StopOnPanic(&self.queue);
        while let Some((index, job)) = self.queue.next() {
            let quiet = lock(&self.breaker).quiet();
            if let Some(pause) = quiet {
                std::thread::sleep(pause);
            }
            if self.halted() {
                // Taken but not started: it stays unfinished.
                self.queue.stop();
                return;
            }
            let (tries, maybe_applied) = {
                let items = lock(&self.items);
                let state = items.get(&index);
                (
                    state.map_or(0, |s| s.tries),
                    state.is_some_and(|s| s.maybe_applied),
                )
            };
            let ledger = Ledger::default();
            let t = Try {
                wire: Wire::noting(&self.client, &ledger),
                ledger: &ledger,
                view: &self.view,
                rule: &self.rule,
                created: &self.created,
                saved: self.saved,
                again: tries > 0,
                maybe_applied,
            };
            let result = run(job, &t);
            let Some(result) = self.unless_the_server_is_gone(result) else {
                // Not finished: it is listed as not done.
                self.queue.stop();
                return;
            };
            self.end_try(index, job, result, ledger);
        }
    }

    /// Decides what becomes of the item after a try, reports it, and puts
    /// it back or lets its dependents go.
    fn end_try(&self, index: usize, job: Job<'_>, result: Result<Outcome, Error>, ledger: Ledger) {
        let name = self.name_of(index, ledger.name());
        let (attempts, members, id) = ledger.into_parts();
        let (status, retry, attempts) = self.decide(index, &result, attempts);
        let ended = retry.is_none();
        let mut finished = lock(&self.finished);
        if ended {
            *finished += 1;
        }
        let done = *finished;
        let item = match (job, name) {
            (Job::Account(..), Some(name)) => ItemRef::User(name),
            _ => job.item(),
        };
        let last = attempts
            .iter()
            .rev()
            .find(|a| a.is_write())
            .or(attempts.last());
        let progress = Progress {
            done,
            total: self.total,
            kind: job.kind(),
            item,
            status,
            id,
            http_status: last.and_then(|a| a.status),
            correlation_id: last.and_then(|a| a.correlation_id.clone()),
            attempts,
            members,
        };
        if ended {
            self.tally(job, &progress);
            self.count_failure(&progress);
            self.record(&progress);
        }
        // Reported before its dependents may start.
        if let Some(f) = &self.options.progress {
            f(&progress);
        }
        drop(finished);
        match retry {
            Some(at) => {
                lock(&self.report).items_retried += 1;
                self.queue.defer(index, at);
            }
            None => {
                *lock(&self.last) = Some(progress);
                self.queue.finish(index);
            }
        }
    }

    /// The userName the item's tries found, the latest one (a try after
    /// a lost answer may find the account gone).
    fn name_of(&self, index: usize, found: Option<String>) -> Option<String> {
        let mut items = lock(&self.items);
        let state = items.entry(index).or_default();
        if found.is_some() {
            state.name = found;
        }
        state.name.clone()
    }

    /// What becomes of the item after a try that ended in `result`: done,
    /// drifted, failed, or tried again at the instant returned, within
    /// the item's budget. Returns the item's attempts so far too.
    fn decide(
        &self,
        index: usize,
        result: &Result<Outcome, Error>,
        sent: Vec<Attempt>,
    ) -> (ItemStatus, Option<Instant>, Vec<Attempt>) {
        let mut items = lock(&self.items);
        let state = items.entry(index).or_default();
        state.tries += 1;
        state.attempts.extend(sent);
        let attempts = state.attempts.clone();
        let e = match result {
            Ok(outcome) => return (ItemStatus::Done(*outcome), None, attempts),
            Err(e) => e,
        };
        state.maybe_applied |= e.api().is_some_and(scim_sdk::Error::may_have_been_applied);
        if e.refusal().is_some_and(|r| r.kind == RefusalKind::Drifted) {
            return (ItemStatus::Drifted, None, attempts);
        }
        let mut failure = ItemError::of(e);
        if !e.is_retryable() {
            return (ItemStatus::Failed(failure), None, attempts);
        }
        if state.tries >= self.policy.max_attempts {
            failure.message += &format!(" (tried {} times)", state.tries);
            return (ItemStatus::Failed(failure), None, attempts);
        }
        let wait = retry_after(e).unwrap_or_else(|| backoff(&self.policy, state.tries));
        let within = state
            .waited
            .checked_add(wait)
            .filter(|total| *total <= self.policy.max_total_wait);
        match within.and_then(|total| Some((total, Instant::now().checked_add(wait)?))) {
            Some((total, due)) => {
                state.waited = total;
                (ItemStatus::Deferred(failure), Some(due), attempts)
            }
            None => {
                failure.message += &format!(
                    " (the server asks to wait {} s, more than the {} s left of this item's \
                     retry budget: not tried again)",
                    wait.as_secs(),
                    self.policy
                        .max_total_wait
                        .saturating_sub(state.waited)
                        .as_secs()
                );
                (ItemStatus::Failed(failure), None, attempts)
            }
        }
    }

    /// Counts an item that ended in the report.
    fn tally(&self, job: Job<'_>, p: &Progress) {
        let mut report = lock(&self.report);
        let members = p
            .members
            .iter()
            .filter(|m| m.status == MemberStatus::Done)
            .count();
        report.summary.memberships_changed += members;
        let outcome = match &p.status {
            ItemStatus::Done(outcome) => *outcome,
            ItemStatus::Failed(e) => return report.fail(p.item.clone(), e.clone()),
            ItemStatus::Drifted => return report.drifted.push(p.item.clone()),
            ItemStatus::Deferred(_) => return,
        };
        let done = &mut report.summary;
        match (outcome, job) {
            (_, Job::Membership(_) | Job::LinkManager(_)) => {}
            (Outcome::Created, Job::Create { create, .. }) if create.out_of_scope => {
                done.created += 1;
                done.creates_out_of_scope += 1;
            }
            (Outcome::Created, _) => done.created += 1,
            (Outcome::Deactivated, _) => done.deactivated += 1,
            (Outcome::Updated, _) => done.updated += 1,
            (Outcome::Reactivated, _) => done.reactivated += 1,
            (Outcome::Unchanged, _) => done.unchanged += 1,
            (Outcome::Deleted, _) => {}
        }
    }

    /// Item after item refused alike stops the run from starting more.
    fn count_failure(&self, p: &Progress) {
        if lock(&self.breaker).item_ended(&p.status) {
            self.queue.stop();
        }
    }

    /// Records an item that ended; once a record fails, nothing more is
    /// recorded or started, and what could not be recorded is kept.
    fn record(&self, p: &Progress) {
        let Some(record) = &self.options.record else {
            return;
        };
        let mut unrecorded = lock(&self.unrecorded);
        if let Some((_, items)) = unrecorded.as_mut() {
            items.push(p.clone());
            return;
        }
        if let Err(e) = record(p) {
            *unrecorded = Some((e, vec![p.clone()]));
            self.queue.stop();
        }
    }

    /// The result back, unless it is a connection failure that ends a
    /// burst long enough to stop the run (or comes after one): then the
    /// error is kept for the run's and `None` returned.
    fn unless_the_server_is_gone(
        &self,
        result: Result<Outcome, Error>,
    ) -> Option<Result<Outcome, Error>> {
        let mut breaker = lock(&self.breaker);
        let failure = match result {
            Err(Error::Api(e)) if is_connection_failure(&e) => e,
            other => {
                breaker.answered();
                return Some(other);
            }
        };
        let pause = backoff(&self.policy, breaker.rounds(self.options.workers) + 1);
        breaker
            .connection_failed(failure, self.options.workers, pause)
            .map(|e| Err(Error::Api(e)))
    }

    /// The items not finished, in plan order.
    pub(crate) fn left(&self) -> Vec<ItemRef> {
        self.queue.unfinished().iter().map(Job::item).collect()
    }
}

fn run(job: Job<'_>, t: &Try<'_>) -> Result<Outcome, Error> {
    match job {
        Job::Create {
            create,
            with_manager,
        } => writers::create(t, create, with_manager),
        Job::LinkManager(c) => writers::link_manager(t, c),
        Job::Update(u, kind) => writers::update(t, u, kind),
        Job::Deactivate(d) => writers::deactivate(t, d),
        Job::Membership(m) => membership(t, m),
        Job::Account(id, action) => writers::account(t, id, action),
    }
}
