//! Planning a sync: read the org once, compare it with the desired state,
//! and say what `apply` would do and why. The users are planned in
//! `users`, the group memberships in `memberships`, on the state `state`
//! holds.

mod conflicts;
mod memberships;
mod state;
mod users;

use super::desired::{DesiredUser, Memberships};
use super::feed::{links, validate};
use super::matching::{Match, Org, user_name_key};
use super::plan::{Plan, Warning};
use super::scope::Scope;
use super::snapshot::Snapshot;
use crate::Error;
use crate::Feed;
use crate::plan::Aside;
pub(crate) use conflicts::{Claimed, claim, claim_all};
pub(crate) use memberships::Groups;
use memberships::read_groups;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use state::Planner;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

/// Plans a sync: checks the feed, reads the org once (every user,
/// inactive included, and the groups whose members may change), and
/// returns what [`apply`](crate::apply()) would do. It sends no write.
///
/// - Desired users match existing ones by `externalId`, else by
///   `userName` (ignoring case). Unmatched ones are created.
/// - Matched users outside `scope` are left alone, with a warning when
///   the feed wants them changed.
/// - In-scope users the feed does not mention, or marks inactive, are
///   deactivated (never deleted).
/// - Managers are named by `userName` and resolved against the org and
///   the feed; one found in neither is a warning, and the manager is
///   left alone.
/// - Memberships change only for in-scope users: in the groups
///   `memberships` names, and for users whose
///   [`groups`](DesiredUser::with_groups) the feed gives.
///
/// ```no_run
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{DesiredUser, Memberships, Scope};
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let feed = vec![DesiredUser::new(
///     ScimV2User::new().with_user_name("jane@example.com").with_display_name("Jane").with_external_id("E-1"),
/// )];
/// let mut groups = Memberships::new();
/// groups.insert("Sales".into(), vec!["jane@example.com".into()]);
/// let plan = scim_sync::plan(client, &feed, &groups, &Scope::ExternalId)?;
/// println!("{}", plan.summary());
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::Refused`] with [`RefusalKind::InvalidFeed`](crate::RefusalKind::InvalidFeed)
/// for a user without `userName` or a duplicate `userName` or
/// `externalId`, before anything is sent; errors of the reads.
pub fn plan(
    client: &Client,
    users: &[DesiredUser],
    memberships: &Memberships,
    scope: &Scope,
) -> Result<Plan, Error> {
    plan_rows(client, users, memberships, &[], scope, false)
}

/// Plans a [`Feed`] as [`plan()`] plans its rows and memberships; the
/// warnings of the feed's reader come first among the plan's, each with
/// its line, so the plan (in JSON too) says everything about the feed.
///
/// ```no_run
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{DesiredUser, Feed, Scope, Warning};
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let row = ScimV2User::new().with_user_name("a@x.test").with_display_name("A").with_external_id("1");
/// let feed = Feed::new(vec![DesiredUser::new(row).with_source("hr.csv:2")])
///     .with_warnings([Warning::new("`TBC` is no phone number").for_user("a@x.test").at("hr.csv:2")]);
/// let plan = scim_sync::plan_feed(client, &feed, &Scope::default())?;
/// assert_eq!(plan.warnings[0].line.as_deref(), Some("hr.csv:2"));
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`plan()`].
pub fn plan_feed(client: &Client, feed: &Feed, scope: &Scope) -> Result<Plan, Error> {
    plan_rows(
        client,
        &feed.users,
        &feed.memberships,
        &feed.warnings,
        scope,
        feed.leave_out_conflicts,
    )
}

fn plan_rows(
    client: &Client,
    users: &[DesiredUser],
    memberships: &Memberships,
    warnings: &[Warning],
    scope: &Scope,
    leave_out: bool,
) -> Result<Plan, Error> {
    validate(users)?;
    let (started, counts) = (Instant::now(), client.request_counts());
    let everyone = crate::listing::list_users(client, users, scope)?;
    let org = Org::new(&everyone);
    let Claimed {
        matches,
        scope,
        left_out,
    } = claim(users, &[], &org, scope, leave_out)?;
    let scope = &scope;
    let names: BTreeSet<&str> = memberships
        .keys()
        .chain(
            users
                .iter()
                .flat_map(|d| d.group_names().unwrap_or_default()),
        )
        .map(String::as_str)
        .collect();
    // The groups that listed users are in now: they may have to leave them.
    let held: BTreeSet<&str> = users
        .iter()
        .zip(&matches)
        .filter(|(d, _)| d.group_names().is_some())
        .filter_map(|(_, m)| m.as_ref().and_then(Match::index))
        .flat_map(|i| org.users[i].group_ids())
        .collect();
    let groups = read_groups(client, &names, &held)?;
    let mut plan = build(
        users,
        &matches,
        memberships,
        scope,
        org,
        &groups,
        &Extent::Whole,
    );
    let first = warnings.iter().cloned().chain(left_out);
    plan.warnings.splice(0..0, first);
    Ok(with_reading(
        plan,
        everyone,
        groups,
        (counts, started),
        None,
    ))
}

/// The plan with the reading it was made from, and what that reading cost.
pub(crate) fn with_reading(
    mut plan: Plan,
    users: Vec<ScimV2User>,
    groups: Groups,
    (counts, started): (scim_sdk::RequestCounts, Instant),
    denominator: Option<crate::snapshot::Denominator>,
) -> Plan {
    let mut reading = Snapshot::new(users, groups.by_id);
    reading.cost = Some((counts, started.elapsed()));
    if let Some(d) = denominator {
        reading.denominator = d;
    }
    plan.reading = Aside(Some(Arc::new(reading)));
    plan
}

/// How much of the org a plan is made from.
pub(crate) enum Extent {
    /// Every user: in-scope users the feed does not account for are
    /// deactivated, and the guard counts the users in scope.
    Whole,
    /// Only the accounts read for some people: none but the accounts of
    /// `absent` (by id) is judged absent from the feed, and a member the
    /// reading lacks is no warning; `in_scope` is what the plan reports;
    /// `managers` resolves managers not read (userName key → id).
    Part {
        absent: HashSet<String>,
        in_scope: usize,
        managers: HashMap<String, String>,
    },
}

pub(crate) fn build(
    users: &[DesiredUser],
    matches: &[Option<Match>],
    memberships: &Memberships,
    scope: &Scope,
    org: Org<'_>,
    groups: &Groups,
    extent: &Extent,
) -> Plan {
    let (in_scope, absent, managers) = match extent {
        Extent::Whole => (
            org.users
                .iter()
                .filter(|u| u.is_active() && scope.contains(u))
                .count(),
            None,
            None,
        ),
        Extent::Part {
            absent,
            in_scope,
            managers,
        } => (*in_scope, Some(absent), Some(managers)),
    };
    let mut p = Planner {
        scope,
        org,
        feed_names: users.iter().map(|d| user_name_key(d.user_name())).collect(),
        matched: HashSet::new(),
        creating: HashSet::new(),
        links: links(users),
        not_taken: HashSet::new(),
        renaming: HashMap::new(),
        listed: Vec::new(),
        absent,
        managers,
        plan: Plan {
            scope: scope.clone(),
            in_scope,
            ..Plan::default()
        },
    };
    if p.absent.is_none() {
        p.unmatched_exclusions();
    }
    for (d, found) in users.iter().zip(matches) {
        if let Some(found) = found {
            p.plan_user(d, found);
        }
    }
    p.plan_absent();
    p.plan_memberships(memberships, groups);
    p.plan
}
