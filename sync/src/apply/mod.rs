//! Applying a plan: the guards, where each write reads its account, and
//! the run that ends in a report. The work loop and its breakers are in
//! `run`, the one rule every write obeys in `rule`, the writers in
//! `writers` and `members`.

mod breaker;
mod guard;
mod members;
mod options;
mod rule;
mod run;
mod view;
mod writers;

pub use options::{ApplyOptions, DEFAULT_APPLY_RATE};

use crate::listing::count_users;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::report::{Interrupted, Report, Unrecorded};
use crate::schedule::{AccountAction, Job, schedule};
use crate::snapshot::Snapshot;
use crate::wire::absent_on_404;
use crate::{Error, Scope};
use rule::Rule;
use run::{Run, lock};
use scim_sdk::{Client, RetryPolicy};
use std::sync::Arc;
use std::time::Instant;
use view::View;

/// Applies a plan made by [`plan`](crate::plan()), or read back from a file:
///
/// 1. refuses, before sending anything, a plan holding what the planner
///    never writes ([`RefusalKind::InvalidPlan`](crate::RefusalKind::InvalidPlan):
///    a password, `active` inside an update, a rename its row does not
///    ask for), a scope wider than [`ApplyOptions::within`], deactivations
///    under a scope [`without_deactivations`](Scope::without_deactivations),
///    and mass changes ([`RefusalKind::MassDeactivation`](crate::RefusalKind::MassDeactivation)):
///    more deactivations than the allowed share of the active users in
///    scope, or, in one group, at least five and more than that share of
///    its members leaving. The counts come from the org, never from the plan;
/// 2. works through the items on a queue, in plan order (creates,
///    changes, memberships, deactivations), each after what it depends
///    on: a report after its new manager, a change naming a new manager
///    after that create, a membership after the creates of its new
///    members. Of a manager cycle among new users, one is created without
///    its manager and linked once both exist;
/// 3. checks one rule on what it has just read before each write: the
///    account the item's id names carries the userName (or externalId)
///    the item names, it is in every scope (rule, exclusions by userName
///    or externalId, `only`), and under [`ApplyOptions::exact`] it is at
///    the version the plan read; each member of a group's item is checked
///    the same way. A plan made in this process is checked on the reading
///    it was made from; one read back from a file is checked on the org as
///    apply reads it (one listing, or each account before its write,
///    whichever costs fewer requests), and a create of it looks its
///    externalId up first. An item failing the rule is not written and
///    fails with its reason;
/// 4. sends each request once and tries an item again when it failed in a
///    way that may pass (`429`, `500`, `502`–`504`, no answer), a create
///    too (a copy that landed is found by its userName), after the
///    server's `Retry-After` or the client's backoff, within one budget per
///    item: the client's [`RetryPolicy`] (`max_attempts` tries,
///    `max_total_wait` of waiting). An item whose `Retry-After` reaches past its budget
///    fails at once. A deferred item waits on the queue, not on a worker.
///    Every item not finished in the end is reported failed;
/// 5. stops starting writes when the server stops answering
///    ([`Error::Interrupted`]), when ten items in a row fail with the same
///    status no retry cures ([`Report::stopped`]), and when an item
///    cannot be recorded ([`Error::Unrecorded`]).
///
/// Items run on [`ApplyOptions::workers`] threads sharing this client,
/// paced by [`ApplyOptions::rate_limit`]. Every write is guarded by the
/// version read, so applying a plan twice changes nothing the second
/// time, and planning again after an apply gives an empty plan.
///
/// ```no_run
/// use scim_sync::{ApplyOptions, Memberships, Scope};
/// # fn demo(client: &scim_sdk::Client, feed: &[scim_sync::DesiredUser]) -> Result<(), scim_sync::Error> {
/// let plan = scim_sync::plan(client, feed, &Memberships::new(), &Scope::default())?;
/// let report = scim_sync::apply(client, &plan, &ApplyOptions::default().workers(8))?;
/// println!("{report}");
/// # Ok(()) }
/// ```
///
/// # Errors
/// The refusals above, before anything is sent; errors reading the org for
/// a plan from a file; [`Error::Interrupted`] when the server stopped
/// answering (connection failures on every worker for about two seconds);
/// [`Error::Unrecorded`] when [`ApplyOptions::record`] failed. Both hold
/// the report so far. Failures of single items are in the [`Report`].
pub fn apply(client: &Client, plan: &Plan, options: &ApplyOptions) -> Result<Report, Error> {
    let started = Instant::now();
    let counts = client.request_counts();
    guard::check_offline(plan, options)?;
    let (view, saved) = match &plan.reading.0 {
        Some(reading) => (View::Read(reading.clone()), false),
        None => (view_for_saved(client, plan)?, true),
    };
    guard::check_with(plan, options, view.reading(), |id| members_of(client, id))?;
    let rule = Rule::new(&plan.scope, options.within.as_ref(), options.exact);
    let run = Run::new(
        sender(client, options),
        client.retry_policy(),
        rule,
        view,
        saved,
        options,
        schedule(plan),
    );
    run.go();
    let mut report = finish(&run)?;
    report.summary.unchanged += plan.unchanged;
    // Not done either: what the plan left for a person to decide.
    report.summary.needs_decision = plan.decisions.len();
    report.decisions.clone_from(&plan.decisions);
    // A plan made in this process: its reads and its time count too.
    let (since, took) = match plan.reading.0.as_ref().and_then(|r| r.cost) {
        Some((before, took)) => (before, took),
        None => (counts, std::time::Duration::ZERO),
    };
    report.requests_by_outcome = client.request_counts().since(&since);
    report.requests = report.requests_by_outcome.sent;
    report.elapsed = took + started.elapsed();
    Ok(report)
}

/// The client the writes go through: paced unless the caller's already is,
/// and sending each request once, since the queue owns the retries.
fn sender(client: &Client, options: &ApplyOptions) -> Client {
    let paced = match options.rate_limit {
        Some(limit) if client.rate_limit().is_none() => client.with_rate_limit(limit),
        _ => client.clone(),
    };
    paced.with_retry_policy(RetryPolicy::disabled())
}

/// How a plan from a file is checked against the org: one listing when the
/// guard needs the count of users in scope, or when it costs fewer
/// requests than reading each account the plan names; else each account
/// before its write.
fn view_for_saved(client: &Client, plan: &Plan) -> Result<View, Error> {
    let lookups = plan.updates.len()
        + plan.reactivations.len()
        + plan.deactivations.len()
        + plan.creates.len()
        + (plan.memberships.iter())
            .map(|m| m.add.len() + m.remove.len())
            .sum::<usize>();
    let list = !plan.deactivations.is_empty() || (lookups > 4 && listing_cost(client)? < lookups);
    if !list {
        return Ok(View::Live);
    }
    let users = client.all_users().collect::<Result<Vec<_>, _>>()?;
    Ok(View::Read(Arc::new(Snapshot::new(
        users,
        Default::default(),
    ))))
}

/// The requests a listing of every user takes: a page of each state at
/// least, as the org's counts say (two requests to learn them).
fn listing_cost(client: &Client) -> Result<usize, Error> {
    let mut pages = 0;
    for active in [true, false] {
        pages += count_users(client, active)?
            .div_ceil(scim_sdk::RECOMMENDED_PAGE_SIZE as usize)
            .max(1);
    }
    Ok(pages)
}

/// The member count of a group, read for the guard; `None` when it is gone.
fn members_of(client: &Client, id: &str) -> Result<Option<usize>, Error> {
    let group = absent_on_404(client.get_scim_v2_group(id).send())?;
    Ok(group.map(|g| g.member_ids().count()))
}

/// The report of a run that has ended, or why it stopped short.
fn finish(run: &Run<'_>) -> Result<Report, Error> {
    let left = run.left();
    let tripped = lock(&run.breaker).tripped.take();
    let stopped = lock(&run.breaker).stopped.take();
    let unrecorded = lock(&run.unrecorded).take();
    let mut report = std::mem::take(&mut *lock(&run.report));
    if let Some(error) = tripped {
        return Err(Error::Interrupted(Box::new(Interrupted {
            report,
            not_done: left,
            error,
        })));
    }
    if let Some((error, items)) = unrecorded {
        report.not_started = left;
        return Err(Error::Unrecorded(Box::new(Unrecorded {
            report,
            error,
            unrecorded: items,
        })));
    }
    if stopped.is_some() || run.options.cancelled() {
        report.not_started = left;
        report.stopped = stopped;
    } else {
        // Nothing is left unsaid: an item the queue could not run is failed.
        for item in left {
            report.fail(
                item,
                crate::failure::ItemError::refused(
                    crate::RefusalKind::NotCreated,
                    "not run: what it depends on never finished",
                ),
            );
        }
    }
    Ok(report)
}

/// Deactivates the user of this id, under `If-Match` of the version read
/// just before: the guarded write `genesys-scim users deactivate` makes,
/// with a sync's retries, record and report. Nothing is sent when the
/// user is already inactive. `options` give the record (an audit line),
/// the progress callback, the pace and, with [`ApplyOptions::within`], a
/// scope the user must be in.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::deactivate_user(client, "8f2b…", &scim_sync::ApplyOptions::default())?;
/// println!("{} {:?} (HTTP {:?})", done.item, done.status, done.http_status);
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::Unrecorded`] when the record failed, [`Error::Interrupted`]
/// when the server did not answer; a failed write is in the returned
/// [`Progress`]'s status.
pub fn deactivate_user(
    client: &Client,
    id: &str,
    options: &ApplyOptions,
) -> Result<Progress, Error> {
    one_account(client, id, AccountAction::Deactivate, options)
}

/// Deletes the user of this id for good, under `If-Match` of the version
/// read just before, like [`deactivate_user`]. A sync never deletes.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::delete_user(client, "8f2b…", &scim_sync::ApplyOptions::default())?;
/// assert!(done.status.is_done());
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`deactivate_user`].
pub fn delete_user(client: &Client, id: &str, options: &ApplyOptions) -> Result<Progress, Error> {
    one_account(client, id, AccountAction::Delete, options)
}

/// Gives the user of this id the `externalId` given (trimmed), under
/// `If-Match` of the version read just before, like [`deactivate_user`]:
/// the write `genesys-scim users set-external-id` makes to settle a plan's
/// [`Decision`](crate::Decision) (a rehire under a new HR id the feed does
/// not link). Refused, with nothing sent, when another account holds that
/// `externalId` ([`RefusalKind::Conflict`](crate::RefusalKind::Conflict)):
/// two accounts never share one. Nothing is sent when the user already
/// holds it.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::set_external_id(client, "8f2b…", "10021", &scim_sync::ApplyOptions::default())?;
/// assert!(done.status.is_done());
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::Refused`] ([`RefusalKind::InvalidInput`](crate::RefusalKind::InvalidInput))
/// for an empty `externalId`, before anything is sent; else as for
/// [`deactivate_user`].
pub fn set_external_id(
    client: &Client,
    id: &str,
    external_id: &str,
    options: &ApplyOptions,
) -> Result<Progress, Error> {
    let external_id = external_id.trim();
    if external_id.is_empty() {
        return Err(Error::invalid_input(
            "an empty externalId: give the one the feed's row gives",
        ));
    }
    one_account(
        client,
        id,
        AccountAction::SetExternalId(external_id),
        options,
    )
}

fn one_account(
    client: &Client,
    id: &str,
    action: AccountAction<'_>,
    options: &ApplyOptions,
) -> Result<Progress, Error> {
    let all = Scope::All;
    let run = Run::new(
        sender(client, options),
        client.retry_policy(),
        Rule::new(&all, options.within.as_ref(), false),
        View::Live,
        true,
        options,
        vec![(Job::Account(id, action), Vec::new(), false)],
    );
    run.go();
    let last = lock(&run.last).take();
    finish(&run)?;
    last.ok_or_else(|| Error::invalid_input("the write was not started (cancelled)"))
}
