//! How an apply runs: workers, pace, the guards' thresholds, the caller's
//! scope, exactness, cancellation, and the callbacks that see each item.

use super::guard;
use crate::progress::Progress;
use crate::{Error, Plan, Scope};
use scim_sdk::RateLimit;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The pace `apply` keeps unless told otherwise: the limit the org
/// announces in its `inin-ratelimit-*` headers, and 300 requests a minute
/// until it has announced one (see [`RateLimit::follow_server`]).
///
/// ```
/// let options = scim_sync::ApplyOptions::default().rate_limit(Some(scim_sync::DEFAULT_APPLY_RATE));
/// # let _ = options;
/// ```
pub const DEFAULT_APPLY_RATE: RateLimit = RateLimit::follow_server();

type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;
type RecordFn = Arc<dyn Fn(&Progress) -> std::io::Result<()> + Send + Sync>;

/// How [`apply`](crate::apply()) runs a plan.
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
    pub(crate) workers: usize,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) max_deactivation_ratio: f64,
    pub(crate) allow_mass_deactivation: bool,
    pub(crate) exact: bool,
    pub(crate) within: Option<Scope>,
    cancel: Option<Arc<AtomicBool>>,
    pub(crate) progress: Option<ProgressFn>,
    pub(crate) record: Option<RecordFn>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            workers: 4,
            rate_limit: Some(DEFAULT_APPLY_RATE),
            max_deactivation_ratio: 0.10,
            allow_mass_deactivation: false,
            exact: false,
            within: None,
            cancel: None,
            progress: None,
            record: None,
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
            .field("exact", &self.exact)
            .field("within", &self.within)
            .field("progress", &self.progress.is_some())
            .field("record", &self.record.is_some())
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

    /// The share of active in-scope users `apply` may deactivate, and the
    /// share of a group's members it may remove, before it refuses
    /// (default 0.10: 10%). This guards against an empty or truncated HR
    /// file wiping the org or its groups. A group is held to it once at
    /// least five of its members would leave.
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

    /// Deactivates (and removes members) as planned even above the guard's
    /// threshold (default `false`).
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().allow_mass_deactivation(true);
    /// # let _ = o;
    /// ```
    pub fn allow_mass_deactivation(mut self, allow: bool) -> Self {
        self.allow_mass_deactivation = allow;
        self
    }

    /// What [`apply`](crate::apply()) would refuse `plan` with before
    /// sending anything, as far as it can be told without reading the org:
    /// items the planner never makes, a scope wider than
    /// [`within`](Self::within) allows, and, for a plan made in this
    /// process, the mass-change guards. So a tool can refuse before asking
    /// a person to confirm. A plan read back from a file is guarded by
    /// `apply` on what it reads from the org.
    ///
    /// ```
    /// use scim_sync::{ApplyOptions, Plan};
    /// assert!(ApplyOptions::default().check(&Plan::default()).is_ok());
    /// ```
    ///
    /// # Errors
    /// [`Error::Refused`] with [`RefusalKind::MassDeactivation`](crate::RefusalKind::MassDeactivation),
    /// [`InvalidPlan`](crate::RefusalKind::InvalidPlan) or
    /// [`InvalidInput`](crate::RefusalKind::InvalidInput).
    pub fn check(&self, plan: &Plan) -> Result<(), Error> {
        guard::check_offline(plan, self)?;
        match &plan.reading.0 {
            Some(reading) => guard::check_with(plan, self, Some(reading), |_| Ok(None)),
            None => Ok(()),
        }
    }

    /// Applies exactly the plan, as for a saved and reviewed one: an item
    /// whose target's version is no longer the one the plan read is not
    /// read and diffed again but left as it is, and reported in
    /// [`Report::drifted`](crate::Report::drifted). Off by default.
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().exact(true);
    /// # let _ = o;
    /// ```
    pub fn exact(mut self, exact: bool) -> Self {
        self.exact = exact;
        self
    }

    /// The scope the caller answers for, besides the plan's own: apply
    /// refuses a plan whose scope is wider (see [`Scope::is_within`]), and
    /// checks every write against both. Give it when the plan comes from a
    /// file and the scope from the command line or the configuration.
    ///
    /// ```
    /// use scim_sync::{ApplyOptions, Scope};
    /// let o = ApplyOptions::default().within(Scope::default().excluding(["okta.svc@example.com"]));
    /// # let _ = o;
    /// ```
    pub fn within(mut self, scope: Scope) -> Self {
        self.within = Some(scope);
        self
    }

    /// Stops starting items once `flag` is set (say, on Ctrl-C): the items
    /// in flight finish, and the others are listed in
    /// [`Report::not_started`](crate::Report::not_started).
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

    pub(crate) fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
    }

    /// Calls `f` after each try of an item (deferred ones included), from
    /// the worker thread that ran it: for a display.
    ///
    /// ```
    /// let o = scim_sync::ApplyOptions::default().on_progress(|p| eprint!("\r{}/{}", p.done, p.total));
    /// # let _ = o;
    /// ```
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Records each item that has ended (done, failed, drifted) with `f`,
    /// say as a line of an audit log, before its dependents may start.
    /// Apply fails closed: once `f` fails, no further write starts, the
    /// writes in flight finish, and apply returns
    /// [`Error::Unrecorded`] with every item it could not record.
    ///
    /// ```
    /// use std::io::Write;
    /// let log = std::sync::Mutex::new(Vec::<u8>::new());
    /// let o = scim_sync::ApplyOptions::default().record(move |p| {
    ///     let mut log = log.lock().map_err(|_| std::io::Error::other("poisoned"))?;
    ///     writeln!(log, "{} {:?} {:?}", p.item, p.status, p.http_status)
    /// });
    /// # let _ = o;
    /// ```
    pub fn record(
        mut self,
        f: impl Fn(&Progress) -> std::io::Result<()> + Send + Sync + 'static,
    ) -> Self {
        self.record = Some(Arc::new(f));
        self
    }
}
