//! Applying a plan: bounded worker threads on one shared client, managers
//! before their reports, retryable failures retried at the end, a progress
//! callback per item, and a report.

use super::diff::{diff_user, to_patch};
use super::membership::membership_patch;
use super::plan::{
    ItemRef, Plan, PlannedCreate, PlannedDeactivation, PlannedMembership, PlannedUpdate,
};
use super::report::{Failure, Report};
use super::update::{patch_planned, scoped};
use super::upsert::{Outcome, create_or_take_over};
use crate::{Error, RefusalKind, Scope};
use scim_sdk::models::{ScimV2Group, ScimV2PatchRequest, ScimV2User};
use scim_sdk::{Client, RateLimit};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The pace `apply` keeps unless told otherwise: 300 requests a minute, a
/// conservative share of a Genesys Cloud org's limit. The client slows
/// down further when the server's rate-limit headers ask for it.
pub const DEFAULT_APPLY_RATE: RateLimit = RateLimit::per_minute(300);

/// The kind of one item of a plan.
///
/// ```
/// assert_eq!(serde_json::to_value(scim_sync::ItemKind::Membership).unwrap(), "membership");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemKind {
    /// A user to create.
    Create,
    /// A user to change.
    Update,
    /// A user to reactivate.
    Reactivate,
    /// A user to deactivate.
    Deactivate,
    /// A group whose members change.
    Membership,
}

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
    /// Failed in a way that may pass later: it is retried at the end.
    Deferred(String),
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
    progress: Option<ProgressFn>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            workers: 4,
            rate_limit: Some(DEFAULT_APPLY_RATE),
            max_deactivation_ratio: 0.10,
            allow_mass_deactivation: false,
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

/// One unit of work.
#[derive(Clone, Copy)]
enum Job<'p> {
    Create(&'p PlannedCreate),
    Update(&'p PlannedUpdate, ItemKind),
    Deactivate(&'p PlannedDeactivation),
    Membership(&'p PlannedMembership),
}

impl Job<'_> {
    fn kind(&self) -> ItemKind {
        match self {
            Job::Create(_) => ItemKind::Create,
            Job::Update(_, kind) => *kind,
            Job::Deactivate(_) => ItemKind::Deactivate,
            Job::Membership(_) => ItemKind::Membership,
        }
    }

    fn item(&self) -> ItemRef {
        match self {
            Job::Create(c) => ItemRef::User(c.user_name.clone()),
            Job::Update(u, _) => ItemRef::User(u.user_name.clone()),
            Job::Deactivate(d) => ItemRef::User(d.user_name.clone()),
            Job::Membership(m) => ItemRef::Group(m.group.clone()),
        }
    }
}

/// What a job achieved: the outcome and the members it changed.
type Done = (Outcome, usize);

/// Shared state of one apply run.
struct Run<'a> {
    client: Client,
    /// The rule every write is checked against, on what was just read.
    scope: &'a Scope,
    options: &'a ApplyOptions,
    /// Lower-cased userName → id of users created by this run.
    created: Mutex<HashMap<String, String>>,
    report: Mutex<Report>,
    finished: AtomicUsize,
    total: usize,
}

/// Applies a plan made by [`plan`](crate::plan()):
///
/// 1. refuses with [`RefusalKind::MassDeactivation`] before sending
///    anything when the plan deactivates more than the allowed share of
///    the in-scope users;
/// 2. creates users, managers before their reports;
/// 3. updates and reactivates users, then changes group memberships,
///    then deactivates users;
/// 4. retries at the end the items that failed in a way that may pass
///    (`429`, `5xx`, time-outs), once.
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
/// Only the guard's refusal: failures of single items are in the
/// [`Report`].
pub fn apply(client: &Client, plan: &Plan, options: &ApplyOptions) -> Result<Report, Error> {
    check_guard(plan, options)?;
    let client = match options.rate_limit {
        Some(limit) if client.rate_limit().is_none() => client.with_rate_limit(limit),
        _ => client.clone(),
    };
    let started = client.requests_sent();
    let total = plan.len();
    let run = Run {
        client,
        scope: &plan.scope,
        options,
        created: Mutex::new(HashMap::new()),
        report: Mutex::new(Report::default()),
        finished: AtomicUsize::new(0),
        total,
    };
    let mut deferred = Vec::new();
    for wave in create_waves(&plan.creates) {
        deferred.extend(run.all(wave.into_iter().map(Job::Create).collect()));
    }
    let mut changes: Vec<Job<'_>> = plan
        .updates
        .iter()
        .map(|u| Job::Update(u, ItemKind::Update))
        .collect();
    changes.extend(
        plan.reactivations
            .iter()
            .map(|u| Job::Update(u, ItemKind::Reactivate)),
    );
    deferred.extend(run.all(changes));
    deferred.extend(run.all(plan.memberships.iter().map(Job::Membership).collect()));
    deferred.extend(run.all(plan.deactivations.iter().map(Job::Deactivate).collect()));
    for (job, _) in deferred {
        run.finish(job, true);
    }
    let mut report = run
        .report
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    report.summary.unchanged += plan.unchanged;
    report.requests = run.client.requests_sent().saturating_sub(started);
    Ok(report)
}

fn check_guard(plan: &Plan, options: &ApplyOptions) -> Result<(), Error> {
    let planned = plan.deactivations.len();
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

/// Creates grouped so that each user's manager is created in an earlier
/// wave. A manager cycle is broken by creating its members in the last wave
/// (their managers then stay unresolved, which the report shows).
fn create_waves(creates: &[PlannedCreate]) -> Vec<Vec<&PlannedCreate>> {
    let index: HashMap<String, usize> = creates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.user_name.to_lowercase(), i))
        .collect();
    let mut depth: Vec<Option<usize>> = vec![None; creates.len()];
    for start in 0..creates.len() {
        let mut chain = vec![start];
        let mut cursor = start;
        while let Some(next) = creates[cursor]
            .manager
            .as_deref()
            .and_then(|m| index.get(&m.to_lowercase()))
        {
            if chain.contains(next) || chain.len() > creates.len() || depth[*next].is_some() {
                break;
            }
            chain.push(*next);
            cursor = *next;
        }
        let mut level = creates[cursor]
            .manager
            .as_deref()
            .and_then(|m| index.get(&m.to_lowercase()))
            .and_then(|m| depth[*m])
            .map_or(0, |d| d + 1);
        for i in chain.into_iter().rev() {
            if depth[i].is_none() {
                depth[i] = Some(level);
            }
            level = depth[i].unwrap_or(level) + 1;
        }
    }
    let waves = depth.iter().flatten().max().map_or(0, |m| m + 1);
    let mut out = vec![Vec::new(); waves];
    for (i, c) in creates.iter().enumerate() {
        out[depth[i].unwrap_or(0)].push(c);
    }
    out
}

impl<'a> Run<'a> {
    /// Runs `jobs` on the worker threads; returns those to retry at the end.
    fn all<'p>(&self, jobs: Vec<Job<'p>>) -> Vec<(Job<'p>, String)> {
        let next = AtomicUsize::new(0);
        let deferred = Mutex::new(Vec::new());
        let workers = self.options.workers.min(jobs.len());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        if let Some(why) = self.finish(*job, false) {
                            deferred
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push((*job, why));
                        }
                    }
                });
            }
        });
        deferred
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one job, records it, reports progress; returns the error text
    /// when it should be retried at the end.
    fn finish(&self, job: Job<'_>, last_chance: bool) -> Option<String> {
        let result = self.run(job);
        let status = match &result {
            Ok((outcome, _)) => ItemStatus::Done(*outcome),
            Err(e) if e.is_retryable() && !last_chance => ItemStatus::Deferred(e.to_string()),
            Err(e) => ItemStatus::Failed(e.to_string()),
        };
        self.record(job, &result, &status);
        let deferred = match &status {
            ItemStatus::Deferred(why) => Some(why.clone()),
            _ => None,
        };
        if deferred.is_none() {
            self.finished.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(progress) = &self.options.progress {
            progress(&Progress {
                done: self.finished.load(Ordering::Relaxed),
                total: self.total,
                kind: job.kind(),
                item: job.item(),
                status,
            });
        }
        deferred
    }

    fn record(&self, job: Job<'_>, result: &Result<Done, Error>, status: &ItemStatus) {
        let mut report = self.report.lock().unwrap_or_else(PoisonError::into_inner);
        match (result, status) {
            (_, ItemStatus::Deferred(_)) => {}
            (Ok((outcome, members)), _) => {
                let done = &mut report.summary;
                done.memberships_changed += members;
                match (outcome, job) {
                    (_, Job::Membership(_)) => {}
                    (Outcome::Created, Job::Create(c)) if c.out_of_scope => {
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
            (Err(e), _) => {
                report.failed += 1;
                report.failures.push(Failure {
                    item: job.item(),
                    error: e.to_string(),
                });
            }
        }
    }

    fn run(&self, job: Job<'_>) -> Result<Done, Error> {
        let client = &self.client;
        match job {
            Job::Create(c) => {
                let mut desired = c.user.clone();
                if let Some(id) = c.manager.as_deref().and_then(|m| self.created_id(m)) {
                    desired = desired.with_manager_id(id);
                }
                let ensured = create_or_take_over(client, &desired, self.scope)?;
                if let Some(id) = ensured.user.id.clone() {
                    let mut created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
                    created.insert(c.user_name.to_lowercase(), id);
                }
                Ok((ensured.outcome, 0))
            }
            Job::Update(u, kind) => self.update(u, kind),
            Job::Deactivate(d) => {
                let off = ScimV2PatchRequest::patch_op()
                    .replace("active", serde_json::Value::Bool(false));
                let first = d.version.as_deref().map(|v| (v, off.clone()));
                let done = patch_planned::<ScimV2User>(
                    client,
                    &d.id,
                    first,
                    scoped(self.scope, |u| u.is_active().then(|| off.clone())),
                )?;
                Ok((
                    if done {
                        Outcome::Deactivated
                    } else {
                        Outcome::Unchanged
                    },
                    0,
                ))
            }
            Job::Membership(m) => self.membership(m),
        }
    }

    fn created_id(&self, user_name: &str) -> Option<String> {
        let created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
        created.get(&user_name.to_lowercase()).cloned()
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
            scoped(self.scope, |cur| diff_user(cur, &desired)),
        )?;
        let outcome = match (changed, kind) {
            (false, _) => Outcome::Unchanged,
            (true, ItemKind::Reactivate) => Outcome::Reactivated,
            (true, _) => Outcome::Updated,
        };
        Ok((outcome, 0))
    }

    fn membership(&self, m: &PlannedMembership) -> Result<Done, Error> {
        let resolve = |members: &[super::plan::Member]| -> Vec<String> {
            members
                .iter()
                .filter_map(|x| x.id.clone().or_else(|| self.created_id(&x.user_name)))
                .collect()
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
        let changed = patch_planned::<ScimV2Group>(&self.client, &m.group_id, first, |g| {
            Ok(membership_patch(g, &add, &remove))
        })?;
        Ok(if changed {
            (Outcome::Updated, add.len() + remove.len())
        } else {
            (Outcome::Unchanged, 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(name: &str, manager: Option<&str>) -> PlannedCreate {
        PlannedCreate {
            user_name: name.into(),
            user: ScimV2User::new().with_user_name(name),
            manager: manager.map(str::to_owned),
            out_of_scope: false,
            reason: crate::Reason::NotInOrg,
        }
    }

    fn names(waves: Vec<Vec<&PlannedCreate>>) -> Vec<Vec<&str>> {
        waves
            .into_iter()
            .map(|w| w.into_iter().map(|c| c.user_name.as_str()).collect())
            .collect()
    }

    #[test]
    fn managers_come_in_earlier_waves() {
        let creates = [
            create("agent", Some("lead")),
            create("lead", Some("HEAD")),
            create("head", Some("someone-in-the-org")),
            create("solo", None),
        ];
        assert_eq!(
            names(create_waves(&creates)),
            [vec!["head", "solo"], vec!["lead"], vec!["agent"]]
        );
    }

    #[test]
    fn a_manager_cycle_does_not_hang_and_creates_everyone() {
        let creates = [
            create("a", Some("b")),
            create("b", Some("a")),
            create("c", Some("a")),
        ];
        let waves = create_waves(&creates);
        assert_eq!(waves.iter().map(Vec::len).sum::<usize>(), 3);
    }

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
