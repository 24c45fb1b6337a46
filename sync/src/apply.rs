//! Applying a plan: a work queue served by worker threads on one shared
//! client, each item after what it depends on, retryable failures tried
//! again when due, the scope checked before every write, a stop when the
//! server stops answering, a progress callback per item, and a report.

use super::diff::{diff_user, to_patch};
use super::matching::user_name_key;
use super::membership::membership_patch;
use super::plan::{
    ItemRef, Member, Plan, PlannedCreate, PlannedDeactivation, PlannedMembership, PlannedUpdate,
};
use super::queue::Queue;
use super::report::{Interrupted, Report};
use super::schedule::{ItemKind, Job, schedule};
use super::update::{Guarded, patch_planned, scoped};
use super::upsert::{Outcome, create_or_take_over};
use crate::{Error, RefusalKind, Scope};
use scim_sdk::models::{ScimV2Group, ScimV2PatchRequest, ScimV2User};
use scim_sdk::{Client, RateLimit, RetryPolicy};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The pace `apply` keeps unless told otherwise: the limit the org
/// announces in its `inin-ratelimit-*` headers, and 300 requests a minute
/// until it has announced one (see [`RateLimit::follow_server`]).
pub const DEFAULT_APPLY_RATE: RateLimit = RateLimit::follow_server();

/// What became of one item, as reported to the progress callback.
///
/// ```
/// use scim_sync::ItemStatus;
/// let status = ItemStatus::Failed("HTTP 400".into());
/// assert!(!status.is_done());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemStatus {
    /// Written (or found already as desired: `Outcome::Unchanged`).
    Done(Outcome),
    /// Failed for good, with the error's text.
    Failed(String),
    /// Failed in a way that may pass later: it is tried again when due
    /// (after `Retry-After`, or a backoff).
    Deferred(String),
    /// Under [`ApplyOptions::exact`]: not written, the target changed
    /// since the plan read it.
    Drifted,
}

impl ItemStatus {
    /// Whether the item is finished successfully.
    ///
    /// ```
    /// use scim_sync::{ItemStatus, Outcome};
    /// assert!(ItemStatus::Done(Outcome::Created).is_done());
    /// ```
    pub fn is_done(&self) -> bool {
        matches!(self, ItemStatus::Done(_))
    }
}

/// One progress step, given to the callback of
/// [`ApplyOptions::on_progress`] after each item.
///
/// ```
/// use scim_sync::{ApplyOptions, Progress};
/// let options = ApplyOptions::default().on_progress(|p: &Progress| {
///     eprintln!("[{}/{}] {:?} {}: {:?}", p.done, p.total, p.kind, p.item, p.status);
/// });
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Progress {
    /// Items finished so far, this one included (deferred items count when retried).
    pub done: usize,
    /// Items in the plan.
    pub total: usize,
    /// The kind of item.
    pub kind: ItemKind,
    /// The user or group.
    pub item: ItemRef,
    /// What became of it.
    pub status: ItemStatus,
    /// The id of the user a create made (for an audit trail); `None` for
    /// other items, whose ids the plan holds.
    pub created_id: Option<String>,
}

type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How [`apply`] runs a plan.
///
/// ```
/// use scim_sync::ApplyOptions;
/// let options = ApplyOptions::default()
///     .workers(8)
///     .rate_limit(Some(scim_sdk::RateLimit::per_minute(600)))
///     .max_deactivation_ratio(0.05);
/// # let _ = options;
/// ```
#[derive(Clone)]
#[must_use]
pub struct ApplyOptions {
    workers: usize,
    rate_limit: Option<RateLimit>,
    max_deactivation_ratio: f64,
    allow_mass_deactivation: bool,
    exact: bool,
    cancel: Option<Arc<AtomicBool>>,
    progress: Option<ProgressFn>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            workers: 4,
            rate_limit: Some(DEFAULT_APPLY_RATE),
            max_deactivation_ratio: 0.10,
            allow_mass_deactivation: false,
            exact: false,
            cancel: None,
            progress: None,
        }
    }
}

impl std::fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("workers", &self.workers)
            .field("rate_limit", &self.rate_limit)
            .field("max_deactivation_ratio", &self.max_deactivation_ratio)
            .field("allow_mass_deactivation", &self.allow_mass_deactivation)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl ApplyOptions {
    /// Worker threads sending requests at once (default 4, at least 1).
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().workers(8);
    /// # let _ = o;
    /// ```
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// The client-side rate limit (default [`DEFAULT_APPLY_RATE`]); `None`
    /// turns pacing off. A client that is already paced keeps its own limit.
    ///
    /// ```
    /// // Against a local fake there is no limit to respect.
    /// let o = scim_sync::ApplyOptions::default().rate_limit(None);
    /// # let _ = o;
    /// ```
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The share of active in-scope users `apply` may deactivate before it
    /// refuses (default 0.10: 10%). This guards against an empty or
    /// truncated HR file wiping the org.
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().max_deactivation_ratio(0.25);
    /// # let _ = o;
    /// ```
    pub fn max_deactivation_ratio(mut self, ratio: f64) -> Self {
        self.max_deactivation_ratio = if ratio.is_finite() {
            ratio.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Deactivates as planned even above the guard's threshold (default `false`).
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().allow_mass_deactivation(true);
    /// # let _ = o;
    /// ```
    pub fn allow_mass_deactivation(mut self, allow: bool) -> Self {
        self.allow_mass_deactivation = allow;
        self
    }

    /// What [`apply`] would refuse `plan` with before sending
    /// anything (today only the mass-deactivation guard), so a tool can
    /// refuse before asking a person to confirm.
    ///
    /// ```
    /// use scim_sync::{ApplyOptions, Plan};
    /// assert!(ApplyOptions::default().check(&Plan::default()).is_ok());
    /// ```
    ///
    /// # Errors
    /// [`Error::Refused`] with [`RefusalKind::MassDeactivation`].
    pub fn check(&self, plan: &Plan) -> Result<(), Error> {
        check_guard(plan, self)
    }

    /// Applies exactly the plan, as for a saved and reviewed one: an item
    /// whose target's version is no longer the one the plan read is not
    /// read and diffed again but left as it is, and reported in
    /// [`Report::drifted`]. Off by default.
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().exact(true);
    /// # let _ = o;
    /// ```
    pub fn exact(mut self, exact: bool) -> Self {
        self.exact = exact;
        self
    }

    /// Stops starting items once `flag` is set (say, on Ctrl-C): the items
    /// in flight finish, and the others are listed in
    /// [`Report::not_started`].
    ///
    /// ```
    /// let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    /// let o = scim_sync::ApplyOptions::default().cancel_on(stop.clone());
    /// # let _ = o;
    /// ```
    pub fn cancel_on(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
    }

    /// Calls `f` after each item, from the worker thread that ran it.
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().on_progress(|p| eprint!("\r{}/{}", p.done, p.total));
    /// # let _ = o;
    /// ```
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
}

/// What a job achieved: the outcome and the members it changed.
type Done = (Outcome, usize);

/// How many times one item is tried when it keeps failing in a way that
/// may pass (`429`, `5xx`, time-outs), the first try included.
const MAX_ITEM_ATTEMPTS: u32 = 4;

/// Shared state of one apply run.
struct Run<'a> {
    client: Client,
    /// The rule every write is checked against, on what was just read.
    scope: &'a Scope,
    options: &'a ApplyOptions,
    queue: Queue<Job<'a>>,
    /// Tries so far, by job index.
    attempts: Mutex<HashMap<usize, u32>>,
    /// userName key → id of users created by this run.
    created: Mutex<HashMap<String, String>>,
    report: Mutex<Report>,
    breaker: Mutex<Breaker>,
    finished: AtomicUsize,
    total: usize,
}

/// Applies a plan made by [`plan`](crate::plan()):
///
/// 1. refuses with [`RefusalKind::MassDeactivation`] before sending
///    anything when the plan deactivates more than the allowed share of
///    the in-scope users;
/// 2. works through the items on a queue, in plan order (creates,
///    changes, memberships, deactivations), each after what it depends
///    on: a report after its new manager, a change naming a new manager
///    after that create, a membership after the creates of its new
///    members. Of a manager cycle among new users, one is created without
///    its manager and linked once both exist;
/// 3. checks the plan's [`Scope`] on what it has just read before each
///    write (a re-read after a version mismatch, the holder of a taken
///    userName): a user that has left the scope is not written, and the
///    item fails as [`RefusalKind::OutOfScope`]. A user the scope
///    excludes by name ([`Scope::excluding`], [`Scope::only`]) is not
///    written at all, and a plan with deactivations under a scope
///    [`without_deactivations`](Scope::without_deactivations) is refused;
/// 4. defers an item that failed in a way that may pass (`429`, `5xx`,
///    time-outs) until the server's `Retry-After` or the retry policy's
///    backoff, up to four tries in all; its dependents wait for it. Every
///    item not finished in the end is reported failed: an item naming a
///    new user whose create failed fails too, with the rest of it done.
///
/// Items run on [`ApplyOptions::workers`] threads sharing this client,
/// paced by [`ApplyOptions::rate_limit`]. Every write is guarded by the
/// version the plan read; a user changed since is read again and
/// diffed again, so applying a plan twice changes nothing the second
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
/// The guard's refusal, before anything is sent; [`Error::Interrupted`]
/// when the server stopped answering (connection failures on every worker
/// for about two seconds): nothing more is sent, and the error holds the
/// report so far and the items not done. Failures of single items are in
/// the [`Report`].
pub fn apply(client: &Client, plan: &Plan, options: &ApplyOptions) -> Result<Report, Error> {
    check_guard(plan, options)?;
    let client = match options.rate_limit {
        Some(limit) if client.rate_limit().is_none() => client.with_rate_limit(limit),
        _ => client.clone(),
    };
    let started = client.request_counts();
    let jobs = schedule(plan);
    let run = Run {
        client,
        scope: &plan.scope,
        options,
        total: jobs.len(),
        queue: Queue::new(jobs),
        attempts: Mutex::default(),
        created: Mutex::default(),
        report: Mutex::default(),
        breaker: Mutex::new(Breaker {
            streak: 0,
            last_answer: Instant::now(),
            tripped: None,
        }),
        finished: AtomicUsize::new(0),
    };
    std::thread::scope(|s| {
        for _ in 0..options.workers.min(run.total) {
            s.spawn(|| run.work());
        }
    });
    let left: Vec<ItemRef> = run.queue.unfinished().iter().map(Job::item).collect();
    let tripped = lock(&run.breaker).tripped.take();
    let mut report = run
        .report
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    report.summary.unchanged += plan.unchanged;
    report.requests_by_outcome = run.client.request_counts().since(&started);
    report.requests = report.requests_by_outcome.sent;
    match tripped {
        Some(error) => Err(Error::Interrupted(Box::new(Interrupted {
            report,
            not_done: left,
            error,
        }))),
        None if options.cancelled() => {
            report.not_started = left;
            Ok(report)
        }
        None => {
            // Nothing is left unsaid: an item the queue could not run is failed.
            for item in left {
                report.fail(item, "not run: what it depends on never finished".into());
            }
            Ok(report)
        }
    }
}

/// Stops the queue when a worker panics (in a progress callback, say), so
/// that the others do not wait for its job forever and the panic reaches
/// the caller.
struct StopOnPanic<'q, J: Copy>(&'q Queue<J>);

impl<J: Copy> Drop for StopOnPanic<'_, J> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Stops a run against a server that no longer answers: a burst of
/// consecutive connection failures (refused, reset, timed out), one per
/// worker at least, and no answer for a few seconds.
struct Breaker {
    streak: u32,
    /// When the server last answered (anything: an answer is no
    /// connection failure), or the run started.
    last_answer: Instant,
    /// The failure that stopped the run.
    tripped: Option<scim_sdk::Error>,
}

/// How long connection failures must go on, with no answer between them,
/// before a run stops.
const DEAD_AFTER: Duration = Duration::from_secs(2);

/// The wait before try number `retry + 1` of an item, on the client's
/// retry schedule: a random time in the upper half of its
/// [`backoff_ceiling`](RetryPolicy::backoff_ceiling), so that items deferred
/// together do not come back in lock step.
fn backoff(policy: &RetryPolicy, retry: u32) -> Duration {
    let ceiling = policy.backoff_ceiling(retry);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    ceiling / 2 + (ceiling / 2).mul_f64(f64::from(nanos % 1000) / 1000.0)
}

/// Versions compare as entity tags, weak or strong alike (a list gives
/// `"3"`, a read's ETag may give `W/"3"`).
fn same_version(current: Option<&str>, planned: &str) -> bool {
    let tag = |v: &str| v.trim().trim_start_matches("W/").to_owned();
    current.is_some_and(|c| tag(c) == tag(planned))
}

fn is_connection_failure(e: &scim_sdk::Error) -> bool {
    matches!(
        e,
        scim_sdk::Error::Transport(_) | scim_sdk::Error::Timeout(_)
    )
}

fn check_guard(plan: &Plan, options: &ApplyOptions) -> Result<(), Error> {
    let planned = plan.deactivations.len();
    if planned > 0 && !plan.scope.deactivates() {
        // A saved plan edited, or made with another scope: refused whole.
        return Err(Error::refused(
            RefusalKind::InvalidInput,
            Vec::new(),
            format!(
                "the plan deactivates {planned} users, but its scope `{}` deactivates nobody",
                plan.scope.describe()
            ),
        ));
    }
    // The epsilon keeps a ratio such as 0.29 (28.999… in binary) from
    // allowing one user fewer than the percentage says.
    let allowed = (options.max_deactivation_ratio * plan.in_scope as f64 + 1e-9).floor() as usize;
    if planned == 0 || planned <= allowed || options.allow_mass_deactivation {
        return Ok(());
    }
    Err(Error::refused(
        RefusalKind::MassDeactivation,
        Vec::new(),
        format!(
            "the plan deactivates {planned} of {} active in-scope users, more than the {}% allowed; \
             nothing was sent (allow mass deactivation to go ahead)",
            plan.in_scope,
            (options.max_deactivation_ratio * 100_000.0).round() / 1000.0
        ),
    ))
}

impl<'a> Run<'a> {
    /// One worker: takes due jobs until the queue is done or stopped.
    fn work(&self) {
        let _guard = StopOnPanic(&self.queue);
        while let Some((index, job)) = self.queue.next() {
            if self.options.cancelled() {
                // Taken but not started: it stays unfinished.
                self.queue.stop();
                return;
            }
            let Some(result) = self.unless_the_server_is_gone(self.run(job)) else {
                // Not finished: it is listed as not done.
                self.queue.stop();
                return;
            };
            let retry = match &result {
                Err(e) => self.retry_at(index, e),
                Ok(_) => None,
            };
            let status = match (&result, retry) {
                (Ok((outcome, _)), _) => ItemStatus::Done(*outcome),
                (Err(e), Some(_)) => ItemStatus::Deferred(e.to_string()),
                (Err(Error::Refused(r)), None) if r.kind == RefusalKind::Drifted => {
                    ItemStatus::Drifted
                }
                (Err(e), None) => ItemStatus::Failed(e.to_string()),
            };
            if retry.is_none() {
                self.record(job, &result);
                self.finished.fetch_add(1, Ordering::Relaxed);
            }
            // Reported before its dependents may start.
            if let Some(progress) = &self.options.progress {
                progress(&Progress {
                    done: self.finished.load(Ordering::Relaxed),
                    total: self.total,
                    kind: job.kind(),
                    item: job.item(),
                    status,
                    created_id: match job {
                        Job::Create { create, .. } => self.created_id(&create.user_name),
                        _ => None,
                    },
                });
            }
            match retry {
                Some(at) => {
                    lock(&self.report).items_retried += 1;
                    self.queue.defer(index, at);
                }
                None => self.queue.finish(index),
            }
        }
    }

    /// The result back, unless it is a connection failure that ends a
    /// burst long enough to stop the run (or comes after one): then the
    /// error is kept for the run's and `None` returned.
    fn unless_the_server_is_gone(
        &self,
        result: Result<Done, Error>,
    ) -> Option<Result<Done, Error>> {
        let mut breaker = lock(&self.breaker);
        match &result {
            Err(Error::Api(e)) if is_connection_failure(e) => {}
            _ => {
                breaker.streak = 0;
                breaker.last_answer = Instant::now();
                return Some(result);
            }
        }
        breaker.streak += 1;
        let burst = breaker.streak as usize >= self.options.workers.max(3);
        let silent = breaker.last_answer.elapsed() >= DEAD_AFTER;
        if !(burst && silent) && breaker.tripped.is_none() {
            return Some(result);
        }
        if let Err(Error::Api(e)) = result {
            breaker.tripped.get_or_insert(e);
        }
        None
    }

    /// When a job that failed with `e` runs again: after the server's
    /// `Retry-After`, or the retry policy's backoff; `None` when it may
    /// not pass, or its tries are used up.
    fn retry_at(&self, index: usize, e: &Error) -> Option<Instant> {
        if !e.is_retryable() {
            return None;
        }
        let mut attempts = lock(&self.attempts);
        let tries = attempts.entry(index).or_insert(1);
        if *tries >= MAX_ITEM_ATTEMPTS {
            return None;
        }
        *tries += 1;
        let server = e.api().and_then(|e| match e {
            scim_sdk::Error::Http(h) => h.retry_after.map(Duration::from_secs),
            _ => None,
        });
        let wait = server.unwrap_or_else(|| backoff(&self.client.retry_policy(), *tries - 1));
        Some(Instant::now() + wait)
    }

    fn record(&self, job: Job<'_>, result: &Result<Done, Error>) {
        let mut report = lock(&self.report);
        let (outcome, members) = match result {
            Ok(done) => *done,
            Err(Error::Refused(r)) if r.kind == RefusalKind::Drifted => {
                return report.drifted.push(job.item());
            }
            Err(e) => return report.fail(job.item(), e.to_string()),
        };
        let done = &mut report.summary;
        done.memberships_changed += members;
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
        }
    }

    fn run(&self, job: Job<'_>) -> Result<Done, Error> {
        self.not_shut_out(&job)?;
        match job {
            Job::Create {
                create,
                with_manager,
            } => self.create(create, with_manager),
            Job::LinkManager(c) => self.link_manager(c),
            Job::Update(u, kind) => self.update(u, kind),
            Job::Deactivate(d) => self.deactivate(d),
            Job::Membership(m) => self.membership(m),
        }
    }

    /// A user the scope excludes by name (or leaves out of its `only`
    /// list) is never written, whatever the plan says: checked before the
    /// plan's own PATCH, which skips the re-read.
    fn not_shut_out(&self, job: &Job<'_>) -> Result<(), Error> {
        let names: Vec<&str> = match job {
            Job::Create { create: c, .. } | Job::LinkManager(c) => vec![c.user_name.as_str()],
            Job::Update(u, _) => vec![u.user_name.as_str()],
            Job::Deactivate(d) => vec![d.user_name.as_str()],
            Job::Membership(m) => m
                .add
                .iter()
                .chain(&m.remove)
                .map(|x| x.user_name.as_str())
                .collect(),
        };
        match names.into_iter().find(|n| self.scope.shuts_out(n)) {
            None => Ok(()),
            Some(name) => Err(Error::refused(
                RefusalKind::OutOfScope,
                vec![name.to_owned()],
                format!(
                    "{name} is excluded by the scope {}: not written",
                    self.scope.describe()
                ),
            )),
        }
    }

    fn create(&self, c: &PlannedCreate, with_manager: bool) -> Result<Done, Error> {
        let mut desired = c.user.clone();
        let manager = c.manager.as_deref().filter(|_| with_manager);
        let manager_id = manager.and_then(|m| self.created_id(m));
        if let Some(id) = &manager_id {
            desired = desired.with_manager_id(id.clone());
        }
        let ensured = create_or_take_over(&self.client, &desired, self.scope)?;
        if let Some(id) = ensured.user.id.clone() {
            lock(&self.created).insert(user_name_key(&c.user_name), id);
        }
        match manager {
            Some(m) if manager_id.is_none() => {
                Err(not_created(&c.user_name, &[m], "done without its manager"))
            }
            _ => Ok((ensured.outcome, 0)),
        }
    }

    /// Sets the manager of a user this run created without it (to break a
    /// cycle): both exist now.
    fn link_manager(&self, c: &PlannedCreate) -> Result<Done, Error> {
        let manager = c.manager.as_deref().unwrap_or_default();
        let (Some(id), Some(manager_id)) =
            (self.created_id(&c.user_name), self.created_id(manager))
        else {
            return Err(not_created(&c.user_name, &[manager], "manager not set"));
        };
        let desired = ScimV2User::new().with_manager_id(manager_id);
        let changed = patch_planned::<ScimV2User>(
            &self.client,
            &id,
            None,
            scoped(self.scope, |cur| diff_user(cur, &desired)),
        )?;
        Ok((
            if changed {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            },
            0,
        ))
    }

    fn deactivate(&self, d: &PlannedDeactivation) -> Result<Done, Error> {
        let off = ScimV2PatchRequest::patch_op().replace("active", serde_json::Value::Bool(false));
        let first = d.version.as_deref().map(|v| (v, off.clone()));
        let done = patch_planned::<ScimV2User>(
            &self.client,
            &d.id,
            first,
            self.as_planned(
                d.version.as_deref(),
                scoped(self.scope, |u| u.is_active().then(|| off.clone())),
            ),
        )?;
        let outcome = if done {
            Outcome::Deactivated
        } else {
            Outcome::Unchanged
        };
        Ok((outcome, 0))
    }

    /// `make`, but under [`ApplyOptions::exact`] only on the version the
    /// plan read: a target changed since is drifted, not diffed again.
    fn as_planned<R: Guarded>(
        &self,
        planned: Option<&str>,
        mut make: impl FnMut(&R) -> Result<Option<ScimV2PatchRequest>, Error>,
    ) -> impl FnMut(&R) -> Result<Option<ScimV2PatchRequest>, Error> {
        let exact = self.options.exact;
        move |current: &R| match (exact, planned) {
            (true, Some(p)) if !same_version(current.version(), p) => Err(Error::refused(
                RefusalKind::Drifted,
                Vec::new(),
                format!(
                    "changed since the plan was made (version {} now, {p} planned): not written",
                    current.version().unwrap_or("none")
                ),
            )),
            _ => make(current),
        }
    }

    fn created_id(&self, user_name: &str) -> Option<String> {
        lock(&self.created).get(&user_name_key(user_name)).cloned()
    }

    fn update(&self, u: &PlannedUpdate, kind: ItemKind) -> Result<Done, Error> {
        let mut desired = u.desired.clone();
        let pending = u.manager.as_deref().and_then(|m| self.created_id(m));
        if let Some(id) = &pending {
            desired = desired.with_manager_id(id.clone());
        }
        // The plan's changes are the PATCH to try first, unless a manager
        // created meanwhile must be added: then read and diff.
        let first = match (&u.version, u.manager.is_none()) {
            (Some(v), true) => to_patch(&u.changes).map(|p| (v.as_str(), p)),
            _ => None,
        };
        let changed = patch_planned::<ScimV2User>(
            &self.client,
            &u.id,
            first,
            self.as_planned(
                u.version.as_deref(),
                scoped(self.scope, |cur| diff_user(cur, &desired)),
            ),
        )?;
        if let (Some(m), None) = (u.manager.as_deref(), &pending) {
            return Err(not_created(
                &u.user_name,
                &[m],
                "changed without its manager",
            ));
        }
        let outcome = match (changed, kind) {
            (false, _) => Outcome::Unchanged,
            (true, ItemKind::Reactivate) => Outcome::Reactivated,
            (true, _) => Outcome::Updated,
        };
        Ok((outcome, 0))
    }

    fn membership<'m>(&self, m: &'m PlannedMembership) -> Result<Done, Error> {
        let mut missing = Vec::new();
        let mut resolve = |members: &'m [Member]| -> Vec<String> {
            let mut ids = Vec::new();
            for x in members {
                match x.id.clone().or_else(|| self.created_id(&x.user_name)) {
                    Some(id) => ids.push(id),
                    None => missing.push(x.user_name.as_str()),
                }
            }
            ids
        };
        let (add, remove) = (resolve(&m.add), resolve(&m.remove));
        let first = m.version.as_deref().and_then(|v| {
            let planned = ScimV2Group::new(m.group.clone()).with_members(
                remove
                    .iter()
                    .map(|id| scim_sdk::models::ScimV2MemberReference::new().with_value(id.clone()))
                    .collect(),
            );
            membership_patch(&planned, &add, &remove).map(|p| (v, p))
        });
        let changed = patch_planned::<ScimV2Group>(
            &self.client,
            &m.group_id,
            first,
            self.as_planned(m.version.as_deref(), |g| {
                Ok(membership_patch(g, &add, &remove))
            }),
        )?;
        if !missing.is_empty() {
            let group = format!("group {}", m.group);
            return Err(not_created(&group, &missing, "the others were changed"));
        }
        Ok(if changed {
            (Outcome::Updated, add.len() + remove.len())
        } else {
            (Outcome::Unchanged, 0)
        })
    }
}

/// An item that names users this run was to create and did not.
fn not_created(item: &str, users: &[&str], what_was_done: &str) -> Error {
    Error::refused(
        RefusalKind::NotCreated,
        users.iter().map(|u| (*u).to_owned()).collect(),
        format!(
            "{item}: {} not created by this run ({what_was_done})",
            users.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan deactivating `deactivations` of `in_scope` users.
    fn plan(deactivations: usize, in_scope: usize) -> Plan {
        Plan {
            in_scope,
            deactivations: (0..deactivations)
                .map(|i| PlannedDeactivation {
                    user_name: format!("u{i}"),
                    id: format!("{i}"),
                    version: None,
                    reason: crate::Reason::AbsentFromFeed,
                })
                .collect(),
            ..Plan::default()
        }
    }

    #[test]
    fn the_guard_allows_up_to_the_ratio() {
        let options = ApplyOptions::default();
        assert!(check_guard(&plan(10, 100), &options).is_ok());
        assert!(check_guard(&plan(11, 100), &options).is_err());
        assert!(check_guard(&plan(1, 5), &options).is_err());
        assert!(check_guard(&plan(1, 5), &options.clone().allow_mass_deactivation(true)).is_ok());
        assert!(check_guard(&plan(0, 0), &options).is_ok());
    }

    #[test]
    fn the_guard_counts_a_percentage_exactly_and_names_it_plainly() {
        let options = ApplyOptions::default().max_deactivation_ratio(0.29);
        assert!(options.check(&plan(29, 100)).is_ok(), "29% of 100 is 29");
        let refused = options.check(&plan(30, 100)).expect_err("30 > 29");
        assert!(
            refused.to_string().contains("more than the 29% allowed"),
            "{refused}"
        );
        let seven = ApplyOptions::default().max_deactivation_ratio(0.07);
        let refused = seven.check(&plan(8, 100)).expect_err("8 > 7");
        assert!(refused.to_string().contains("the 7% allowed"), "{refused}");
    }
}
