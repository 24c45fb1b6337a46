//! Provisioning on demand: a plan of some people that reads only their
//! accounts, their managers and the groups they join or leave, applied by
//! the same rules as a whole sync. What it costs does not depend on the
//! size of the org.

use crate::feed::validate;
use crate::lookup::{Found, Nothing, read_people};
use crate::matching::Org;
use crate::planner::{Claimed, Extent, build, claim, with_reading};
use crate::progress::Outcome;
use crate::progress::{ItemStatus, Progress};
use crate::schedule::ItemKind;
use crate::snapshot::Denominator;
use crate::{ApplyOptions, DesiredUser, Error, Feed, Memberships, Plan, Report, Scope};
use scim_sdk::Client;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// Plans the people of `feed` only, as [`plan_feed`](crate::plan_feed)
/// would plan them in a whole sync, reading nothing else: each person's
/// accounts (by `externalId` and by `userName`, inactive ones included),
/// the managers they name, and the groups they join or leave (by
/// [`DesiredUser::with_groups`], or in the feed's memberships, where only
/// these people are added or removed). Its feed holds just the people to
/// plan, not a whole file: nobody else is deactivated, only the accounts
/// of rows marked inactive, and the mass-deactivation guard does not apply
/// (people named one by one are no mass deactivation). The reader's
/// warnings about them open the plan's, as in `plan_feed`. Its requests do
/// not depend on the size of the org: about four per person, two per
/// manager, one or two per group joined or left.
///
/// ```no_run
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{ApplyOptions, DesiredUser, Feed, Scope};
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let hires = Feed::new(vec![DesiredUser::new(
///     ScimV2User::new().with_user_name("jane@example.com").with_display_name("Jane").with_external_id("E-1"),
/// )
/// .with_groups(["Sales"])]);
/// let plan = scim_sync::plan_people(client, &hires, &Scope::default())?;
/// let report = scim_sync::apply(client, &plan, &ApplyOptions::default())?;
/// println!("{report}");
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`plan()`](crate::plan()).
pub fn plan_people(client: &Client, feed: &Feed, scope: &Scope) -> Result<Plan, Error> {
    let rows = PeopleRows {
        people: &feed.users,
        others: feed.others.iter().collect(),
        memberships: &feed.memberships,
        leave_out: feed.leave_out_conflicts,
    };
    let mut plan = plan_some(client, rows, scope)?;
    plan.warnings.splice(0..0, feed.warnings.iter().cloned());
    Ok(plan)
}

/// The rows a plan of some people is made of.
pub(crate) struct PeopleRows<'a> {
    /// The rows planned.
    pub(crate) people: &'a [DesiredUser],
    /// The rest of their feed, not planned (see [`Feed::beside`]).
    pub(crate) others: Vec<&'a DesiredUser>,
    pub(crate) memberships: &'a Memberships,
    /// [`Feed::leave_out_conflicts`].
    pub(crate) leave_out: bool,
}

/// The plan of these people, on what is read for them alone.
fn plan_some(client: &Client, rows: PeopleRows<'_>, scope: &Scope) -> Result<Plan, Error> {
    validate(rows.people)?;
    let started = (client.request_counts(), Instant::now());
    let found = read_people(client, rows.people, rows.memberships, &[], &Nothing)?;
    plan_found(rows, scope, found, Denominator::Named, started)
}

/// The plan of `people` on what was read for them.
pub(crate) fn plan_found(
    rows: PeopleRows<'_>,
    scope: &Scope,
    found: Found,
    denominator: Denominator,
    started: (scim_sdk::RequestCounts, Instant),
) -> Result<Plan, Error> {
    let PeopleRows {
        people,
        others,
        memberships,
        leave_out,
    } = rows;
    let Found {
        users,
        groups,
        managers,
        absent,
        group_names,
        ..
    } = found;
    // Only the groups these people join or leave are spoken for.
    let memberships: Memberships = memberships
        .iter()
        .filter(|(name, _)| group_names.contains(*name))
        .map(|(name, members)| (name.clone(), members.clone()))
        .collect();
    let org = Org::new(&users);
    let Claimed {
        matches,
        scope,
        left_out,
    } = claim(people, &others, &org, scope, leave_out)?;
    let scope = &scope;
    let in_scope = match denominator {
        Denominator::Known(n) => n,
        _ => (org.users.iter())
            .filter(|u| u.is_active() && scope.contains(u))
            .count(),
    };
    let extent = Extent::Part {
        absent,
        in_scope,
        managers,
    };
    let mut plan = build(people, &matches, &memberships, scope, org, &groups, &extent);
    plan.warnings.splice(0..0, left_out);
    Ok(with_reading(
        plan,
        users,
        groups,
        started,
        Some(denominator),
    ))
}

/// What [`sync_one`] did: to the person's account, and in all (the
/// plan it applied and the report of the apply).
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client, hire: &scim_sync::DesiredUser) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::sync_one(client, hire, &scim_sync::Scope::default(), &scim_sync::ApplyOptions::default())?;
/// match done.outcome {
///     Some(outcome) => println!("{}: {outcome} (id {:?})", hire.user_name(), done.id),
///     None => eprintln!("not done: {done}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Synced {
    /// What became of the person's account: `Unchanged` when it already
    /// looked as desired; `None` when nothing was done to it, because it
    /// is left alone (see the plan's warnings and decisions) or its write
    /// failed (see the report's failures).
    pub outcome: Option<Outcome>,
    /// The id of the person's account (the one created, for a hire);
    /// `None` when it is not known to be theirs (a plan's decision).
    pub id: Option<String>,
    /// What was planned, warnings included.
    pub plan: Plan,
    /// What the apply did, memberships included.
    pub report: Report,
}

impl fmt::Display for Synced {
    /// The outcome, then the plan's warnings and decisions and the
    /// report's failures.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.outcome {
            Some(outcome) => write!(f, "{outcome}")?,
            None => f.write_str("not done")?,
        }
        for w in &self.plan.warnings {
            write!(f, "\n  warning: {w}")?;
        }
        for d in &self.plan.decisions {
            write!(f, "\n  needs a decision: {d}")?;
        }
        for failure in &self.report.failures {
            write!(f, "\n  failed: {}: {}", failure.item, failure.error)?;
        }
        Ok(())
    }
}

/// Syncs one person, as a whole sync would sync them, reading only their
/// accounts, their manager and the groups they join or leave (see
/// [`plan_people`]): found by `externalId`, else by `userName`, inactive
/// accounts included; created, changed, reactivated or (marked inactive)
/// deactivated under the scope and its exclusions, checked again on what
/// is read just before each write; the manager linked by id; groups joined
/// and left. Nobody else is touched, so the deactivation guard does not
/// apply. For a webhook ("employee 1234 was hired"): its request count does
/// not depend on the size of the org.
///
/// ```no_run
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{ApplyOptions, DesiredUser, Scope};
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let hire = DesiredUser::new(
///     ScimV2User::new().with_user_name("jane@example.com").with_display_name("Jane Doe").with_external_id("E-1"),
/// )
/// .with_manager("boss@example.com")
/// .with_groups(["Sales"]);
/// let done = scim_sync::sync_one(client, &hire, &Scope::default(), &ApplyOptions::default())?;
/// println!("{done}");
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`plan_people`] and [`apply`](crate::apply()); a failed write is
/// in [`Synced::report`].
pub fn sync_one(
    client: &Client,
    desired: &DesiredUser,
    scope: &Scope,
    options: &ApplyOptions,
) -> Result<Synced, Error> {
    let people = std::slice::from_ref(desired);
    let rows = PeopleRows {
        people,
        others: Vec::new(),
        memberships: &Memberships::new(),
        leave_out: false,
    };
    let plan = plan_some(client, rows, scope)?;
    let (observing, ended) = observed(options);
    let report = crate::apply(client, &plan, &observing)?;
    let ended = take(&ended);
    let mine = ended
        .iter()
        .find(|p| p.kind != ItemKind::Membership && matches!(&p.item, crate::ItemRef::User(_)));
    let (outcome, id) = match mine {
        Some(p) => match &p.status {
            ItemStatus::Done(o) => (Some(*o), p.id.clone()),
            _ => (None, p.id.clone()),
        },
        None => unchanged(&plan, desired),
    };
    Ok(Synced {
        outcome,
        id,
        plan,
        report,
    })
}

/// A person the plan had no item for: unchanged when it matched an
/// account and no warning names them; else left alone. The account a
/// decision names is nobody's until a person decides.
fn unchanged(plan: &Plan, desired: &DesiredUser) -> (Option<Outcome>, Option<String>) {
    let name = crate::matching::user_name_key(desired.user_name());
    let named = |n: &str| crate::matching::user_name_key(n) == name;
    if plan.decisions.iter().any(|d| named(&d.user_name)) {
        return (None, None);
    }
    let warned = (plan.warnings.iter()).any(|w| w.user_name().is_some_and(named));
    let Some(reading) = plan.reading.0.as_ref() else {
        return (None, None);
    };
    let org = Org::new(reading.users());
    let id = org
        .matching(desired.user_name(), desired.user.external_id.as_deref())
        .index()
        .map(|i| org.id(i).to_owned());
    match (warned, id) {
        (false, Some(id)) => (Some(Outcome::Unchanged), Some(id)),
        (_, id) => (None, id),
    }
}

type Ended = Arc<Mutex<Vec<Progress>>>;

/// `options` with a callback that keeps every item that ended, beside the
/// caller's own.
pub(crate) fn observed(options: &ApplyOptions) -> (ApplyOptions, Ended) {
    let ended: Ended = Arc::default();
    let keep = ended.clone();
    let theirs = options.progress.clone();
    let mut observing = options.clone();
    observing.progress = Some(Arc::new(move |p: &Progress| {
        if p.has_ended() {
            keep.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(p.clone());
        }
        if let Some(f) = &theirs {
            f(p);
        }
    }));
    (observing, ended)
}

pub(crate) fn take(ended: &Ended) -> Vec<Progress> {
    std::mem::take(&mut *ended.lock().unwrap_or_else(PoisonError::into_inner))
}
