//! Planning a sync: read the org once, compare it with the desired state,
//! and say what `apply` would do and why.

use super::desired::{Desired, DesiredUser, Memberships, record, validate};
use super::diff::{Change, user_changes};
use super::matching::{Key, Match, Org, external_ids_differ, user_name_key};
use super::plan::{
    ItemRef, Member, Plan, PlannedCreate, PlannedDeactivation, PlannedMembership, PlannedUpdate,
    Reason, Warning,
};
use super::scope::Scope;
use super::snapshot::{Reading, Snapshot};
use super::update::Guarded;
use super::wire::Wire;
use crate::{Error, RefusalKind};
use scim_sdk::Client;
use scim_sdk::models::{ScimV2Group, ScimV2User};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
    validate(users)?;
    let (started, counts) = (Instant::now(), client.request_counts());
    let everyone = client.all_users().collect::<Result<Vec<_>, _>>()?;
    let org = Org::new(&everyone);
    let matches = claims(users, &org)?;
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
        .filter_map(|(_, m)| m.index())
        .flat_map(|i| org.users[i].group_ids())
        .collect();
    let groups = read_groups(client, &names, &held)?;
    let mut plan = build(users, &matches, memberships, scope, org, &groups);
    let mut reading = Snapshot::new(everyone, groups.by_id);
    reading.cost = Some((counts, started.elapsed()));
    plan.reading = Reading(Some(Arc::new(reading)));
    Ok(plan)
}

/// The org account each row stands for, refusing a feed in which two rows
/// stand for one account (one by userName, the other by externalId, say):
/// applied, each would undo the other.
fn claims(users: &[DesiredUser], org: &Org<'_>) -> Result<Vec<Match>, Error> {
    let mut claimed: HashMap<usize, (usize, Key)> = HashMap::new();
    let mut matches = Vec::with_capacity(users.len());
    for (i, d) in users.iter().enumerate() {
        let found = org.matching(d.user_name(), d.user.external_id.as_deref());
        if let Match::One { index, by, .. } = &found
            && let Some((first, first_by)) = claimed.insert(*index, (i, *by))
        {
            return Err(two_rows(users, org, *index, (first, first_by), (i, *by)));
        }
        matches.push(found);
    }
    Ok(matches)
}

fn two_rows(
    users: &[DesiredUser],
    org: &Org<'_>,
    index: usize,
    first: (usize, Key),
    second: (usize, Key),
) -> Error {
    let how = |(i, by): (usize, Key)| match by {
        Key::ExternalId => format!(
            "#{} by externalId {}",
            i + 1,
            users[i]
                .user
                .external_id
                .as_deref()
                .unwrap_or_default()
                .trim()
        ),
        Key::UserName => format!("#{} by userName", i + 1),
    };
    let records = [first, second]
        .iter()
        .map(|(i, _)| record(i + 1, users[*i].user_name()))
        .collect();
    Error::refused(
        RefusalKind::InvalidFeed,
        records,
        format!(
            "rows #{} and #{} both stand for the org user {} ({}, {}): applied, each would undo \
             the other; remove the stale row or correct its userName or externalId",
            first.0 + 1,
            second.0 + 1,
            org.user_name(index),
            how(first),
            how(second)
        ),
    )
}

/// The groups named, and those with the ids given, each read by id for
/// its members and version. A group deleted meanwhile is left out.
fn read_groups(
    client: &Client,
    names: &BTreeSet<&str>,
    held: &BTreeSet<&str>,
) -> Result<Groups, Error> {
    let mut groups = Groups::default();
    for (name, summary) in client.find_groups_by_name(names.iter().copied())? {
        if let Some(id) = summary.id {
            groups.ids.insert(name, id);
        }
    }
    let ids: BTreeSet<String> = groups
        .ids
        .values()
        .cloned()
        .chain(held.iter().map(|id| (*id).to_owned()))
        .collect();
    for id in ids {
        match ScimV2Group::read(&Wire::new(client), &id) {
            Ok(group) => groups.by_id.insert(id, group),
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(e.into()),
        };
    }
    Ok(groups)
}

/// The groups a plan may change.
#[derive(Default)]
struct Groups {
    /// A group name as the feed wrote it → the group's id.
    ids: HashMap<String, String>,
    /// Group id → the group, with its members and version.
    by_id: BTreeMap<String, ScimV2Group>,
}

impl Groups {
    fn named(&self, name: &str) -> Option<&str> {
        self.ids
            .get(name)
            .map(String::as_str)
            .filter(|id| self.by_id.contains_key(*id))
    }
}

/// Who a membership is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// An in-scope user of the org, by index.
    Existing(usize),
    /// A user of the org outside the scope: never added or removed.
    Outside(usize),
    /// A user the plan creates, by userName.
    New(String),
}

/// How the manager a feed names resolves.
enum ManagerRef {
    /// The feed does not manage the manager.
    Unmanaged,
    /// The manager is removed.
    Clear,
    /// A user of the org, by id.
    Id(String),
    /// A user the plan creates, by userName.
    Pending(String),
    /// Neither in the org nor in the feed.
    Unknown(String),
}

/// Planning state shared by the steps below.
struct Planner<'a> {
    scope: &'a Scope,
    org: Org<'a>,
    feed_names: HashSet<String>,
    /// Org users (by index) that the feed accounts for.
    matched: HashSet<usize>,
    /// Lower-cased userNames the plan creates.
    creating: HashSet<String>,
    /// Users whose groups the feed gives, with those group names.
    listed: Vec<(Target, Vec<String>)>,
    plan: Plan,
}

fn build(
    users: &[DesiredUser],
    matches: &[Match],
    memberships: &Memberships,
    scope: &Scope,
    org: Org<'_>,
    groups: &Groups,
) -> Plan {
    let in_scope = org
        .users
        .iter()
        .filter(|u| u.is_active() && scope.contains(u))
        .count();
    let mut p = Planner {
        scope,
        org,
        feed_names: users.iter().map(|d| user_name_key(d.user_name())).collect(),
        matched: HashSet::new(),
        creating: HashSet::new(),
        listed: Vec::new(),
        plan: Plan {
            scope: scope.clone(),
            in_scope,
            ..Plan::default()
        },
    };
    p.unmatched_exclusions();
    for (d, found) in users.iter().zip(matches) {
        p.plan_user(d, found);
    }
    p.plan_absent();
    p.plan_memberships(memberships, groups);
    p.plan
}

impl Planner<'_> {
    fn warn(&mut self, user_name: Option<&str>, message: String) {
        self.plan.warnings.push(Warning {
            about: user_name.map(|n| ItemRef::User(n.to_owned())),
            message,
        });
    }

    /// Warns about each exclusion that matches no account: a typo in an
    /// exclusion list would otherwise leave unprotected the account meant.
    fn unmatched_exclusions(&mut self) {
        for x in self.scope.exclusions() {
            if !self.org.holds(x) {
                self.plan.warnings.push(Warning {
                    about: None,
                    message: format!(
                        "the exclusion `{x}` matches no account in the org (a typo?): it keeps nobody out"
                    ),
                });
            }
        }
    }

    fn manager_ref(&self, d: &DesiredUser) -> ManagerRef {
        let manager = match &d.manager {
            Desired::Keep => return ManagerRef::Unmanaged,
            Desired::Clear => return ManagerRef::Clear,
            // An empty name is no name: never a removal.
            Desired::Set(name) if name.trim().is_empty() => return ManagerRef::Unmanaged,
            Desired::Set(name) => name.trim(),
        };
        if let Some(i) = self.org.named(manager) {
            return ManagerRef::Id(self.org.id(i).to_owned());
        }
        if self.feed_names.contains(&user_name_key(manager)) {
            return ManagerRef::Pending(manager.to_owned());
        }
        ManagerRef::Unknown(manager.to_owned())
    }

    /// The desired attributes with the manager resolved to an id, and the
    /// manager's userName when the plan itself creates that manager.
    fn desired(&self, d: &DesiredUser, manager: &ManagerRef) -> (ScimV2User, Option<String>) {
        let mut user = d.model();
        user.active = Some(d.user.active != Some(false));
        match manager {
            ManagerRef::Unmanaged => (user, None),
            ManagerRef::Clear => (user.with_manager_id(""), None),
            ManagerRef::Id(id) => (user.with_manager_id(id.clone()), None),
            ManagerRef::Pending(name) => (user, Some(name.clone())),
            ManagerRef::Unknown(_) => {
                if let Some(e) = user.enterprise_user.as_mut() {
                    e.manager = None;
                }
                (user, None)
            }
        }
    }

    /// The desired attributes, warning when the manager cannot be resolved.
    fn resolve_manager(&mut self, d: &DesiredUser) -> (ScimV2User, Option<String>) {
        let manager = self.manager_ref(d);
        if let ManagerRef::Unknown(name) = &manager {
            self.warn(
                Some(d.user_name()),
                format!(
                    "manager {name} is neither in the org nor in the feed: the manager is left alone"
                ),
            );
        }
        self.desired(d, &manager)
    }

    fn plan_user(&mut self, d: &DesiredUser, found: &Match) {
        let name = d.user_name().to_owned();
        self.matched.extend(found.accounted());
        let index = match found {
            Match::None => return self.plan_create(d, name),
            Match::Ambiguous { by, holders } => return self.shared_key(d, *by, holders, true),
            Match::One { index, by, others } => {
                if !others.is_empty() {
                    self.shared_key(d, *by, others, false);
                }
                *index
            }
        };
        let current = &self.org.users[index];
        if !self.scope.contains(current) {
            return self.leave_outside(d, index);
        }
        if external_ids_differ(current, &d.user) {
            let theirs = current.external_id.as_deref().unwrap_or_default();
            let ours = d.user.external_id.as_deref().unwrap_or_default();
            return self.warn(
                Some(&name),
                format!("userName belongs to a user with externalId {theirs}, not {ours}: not taken over"),
            );
        }
        if let Some(groups) = d.group_names() {
            self.listed.push((Target::Existing(index), groups.to_vec()));
        }
        let id = current.id.clone().unwrap_or_default();
        let version = current.version().map(str::to_owned);
        let current_name = current.user_name.clone().unwrap_or(name);
        if d.user.active == Some(false) {
            if current.is_active() && !self.scope.deactivates() {
                self.warn(
                    Some(d.user_name()),
                    "marked inactive, but this sync deactivates nobody: left active".to_owned(),
                );
            } else if current.is_active() {
                self.plan.deactivations.push(PlannedDeactivation {
                    user_name: current_name,
                    id,
                    version,
                    reason: Reason::InactiveInFeed,
                });
            } else {
                self.plan.unchanged += 1;
            }
            return;
        }
        let (mut desired, manager) = self.resolve_manager(d);
        if self.rename_blocked(d, index) {
            desired.user_name = current.user_name.clone();
        }
        let mut changes = user_changes(current, &desired);
        self.name_managers(&mut changes);
        if changes.is_empty() && manager.is_none() {
            self.plan.unchanged += 1;
            return;
        }
        let reactivating = !current.is_active();
        let update = PlannedUpdate {
            user_name: current_name,
            id,
            version,
            changes,
            desired,
            reason: match (reactivating, &manager) {
                (true, _) => Reason::InactiveInOrg,
                (false, Some(_)) => Reason::NewManager,
                (false, None) => Reason::AttributesDiffer,
            },
            manager,
        };
        if reactivating {
            self.plan.reactivations.push(update);
        } else {
            self.plan.updates.push(update);
        }
    }

    /// Whether the row would rename account `index` onto a userName another
    /// org account holds: the rename would fail, so it is not planned, and
    /// that account is never deactivated for being absent from the feed.
    fn rename_blocked(&mut self, d: &DesiredUser, index: usize) -> bool {
        let wanted = d.user_name();
        if user_name_key(&self.org.user_name(index)) == user_name_key(wanted) {
            return false;
        }
        let Some(holder) = self.org.named(wanted).filter(|h| *h != index) else {
            return false;
        };
        self.matched.insert(holder);
        let (from, to) = (self.org.user_name(index), self.org.user_name(holder));
        self.warn(
            Some(wanted),
            format!(
                "{from} would be renamed to {wanted}, which org user {to} holds: not renamed, \
                 and {to} is left alone"
            ),
        );
        true
    }

    /// Warns about org accounts sharing the row's key that the plan leaves
    /// alone: all of them (`none_chosen`), or all but the one it matched.
    fn shared_key(&mut self, d: &DesiredUser, by: Key, holders: &[usize], none_chosen: bool) {
        let key = match by {
            Key::ExternalId => format!(
                "externalId {}",
                d.user.external_id.as_deref().unwrap_or_default().trim()
            ),
            Key::UserName => format!("userName {} (ignoring case)", d.user_name()),
        };
        let names: Vec<String> = holders
            .iter()
            .map(|i| {
                let state = if self.org.users[*i].is_active() {
                    "active"
                } else {
                    "inactive"
                };
                format!("{} ({state})", self.org.user_name(*i))
            })
            .collect();
        let what = if none_chosen {
            "none is the active account with this userName, so none is changed, taken over or deactivated"
        } else {
            "left alone; the active account with this userName is the one synced"
        };
        self.warn(
            Some(d.user_name()),
            format!("org users {} share the {key}: {what}", names.join(", ")),
        );
    }

    /// A matched user outside the scope is never changed; the feed is told
    /// only when it wants a change, so a feed that agrees stays quiet.
    fn leave_outside(&mut self, d: &DesiredUser, index: usize) {
        if let Some(groups) = d.group_names() {
            self.listed.push((Target::Outside(index), groups.to_vec()));
        }
        let current = &self.org.users[index];
        let manager = self.manager_ref(d);
        let pending = matches!(manager, ManagerRef::Pending(_));
        let (desired, _) = self.desired(d, &manager);
        if !pending && user_changes(current, &desired).is_empty() {
            self.plan.unchanged += 1;
            return;
        }
        let held = self.org.user_name(index);
        self.warn(
            Some(d.user_name()),
            format!(
                "matches {held}, which is outside the scope `{}`: left alone",
                self.scope.describe()
            ),
        );
    }

    /// Notes manager changes by userName: ids mean nothing to a reader.
    fn name_managers(&self, changes: &mut [Change]) {
        let name = |v: &Option<serde_json::Value>| {
            let id = v.as_ref()?.get("value")?.as_str()?;
            let user = self.org.by_id.get(id).map(|i| &self.org.users[*i]);
            Some(
                user.and_then(|u| u.user_name.clone())
                    .unwrap_or_else(|| id.to_owned()),
            )
        };
        for c in changes.iter_mut().filter(|c| c.attribute.is_manager()) {
            let show = |n: Option<String>| n.unwrap_or_else(|| "(none)".into());
            c.note = Some(format!(
                "{} -> {}",
                show(name(&c.before)),
                show(name(&c.after))
            ));
        }
    }

    fn plan_create(&mut self, d: &DesiredUser, name: String) {
        if self.scope.excludes(&d.user) {
            return self.warn(
                Some(&name),
                format!(
                    "excluded by the scope `{}`: not created",
                    self.scope.describe()
                ),
            );
        }
        if d.user.active == Some(false) {
            // Nobody to deactivate, and no reason to create a disabled user.
            self.plan.unchanged += 1;
            return;
        }
        let (user, manager) = self.resolve_manager(d);
        let out_of_scope = !self.scope.contains(&user);
        if out_of_scope {
            self.warn(
                Some(&name),
                format!(
                    "would be created outside the scope `{}`{}: later syncs would never update \
                     or deactivate it",
                    self.scope.describe(),
                    match self.scope {
                        Scope::ExternalId => " (the row has no externalId)",
                        _ => "",
                    }
                ),
            );
        }
        self.creating.insert(user_name_key(&name));
        if let Some(groups) = d.group_names() {
            self.listed
                .push((Target::New(name.clone()), groups.to_vec()));
        }
        self.plan.creates.push(PlannedCreate {
            user_name: name,
            user,
            manager,
            out_of_scope,
            reason: Reason::NotInOrg,
        });
    }

    fn plan_absent(&mut self) {
        for (i, u) in self.org.users.iter().enumerate() {
            if self.matched.contains(&i)
                || !u.is_active()
                || !self.scope.contains(u)
                || !self.scope.deactivates()
            {
                continue;
            }
            self.plan.deactivations.push(PlannedDeactivation {
                user_name: u.user_name.clone().unwrap_or_default(),
                id: u.id.clone().unwrap_or_default(),
                version: u.version().map(str::to_owned),
                reason: Reason::AbsentFromFeed,
            });
        }
    }

    /// A member named by `userName` in [`Memberships`], as a target.
    fn member_target(&mut self, user_name: &str, group: &str) -> Option<Target> {
        match self.org.named(user_name) {
            Some(i) if self.scope.contains(&self.org.users[i]) => Some(Target::Existing(i)),
            Some(i) => Some(Target::Outside(i)),
            None if self.creating.contains(&user_name_key(user_name)) => {
                Some(Target::New(user_name.trim().to_owned()))
            }
            None => {
                self.warn(
                    Some(user_name),
                    format!("not in the org nor created by this plan: not added to {group}"),
                );
                None
            }
        }
    }

    /// Gathers, group by group, who should be a member, then plans each
    /// group whose members may change.
    fn plan_memberships(&mut self, memberships: &Memberships, groups: &Groups) {
        let mut wanted: BTreeMap<&str, Vec<Target>> = BTreeMap::new();
        // Groups the feed lists by members: it speaks for all their in-scope members.
        let mut whole: HashSet<&str> = HashSet::new();
        let mut missing: BTreeSet<&str> = BTreeSet::new();
        for (name, members) in memberships {
            let Some(id) = groups.named(name) else {
                missing.insert(name);
                continue;
            };
            whole.insert(id);
            let targets: Vec<Target> = members
                .iter()
                .filter_map(|m| self.member_target(m, name))
                .collect();
            wanted.entry(id).or_default().extend(targets);
        }
        let listed = self.known_groups(groups);
        for (target, names) in &listed {
            for name in names {
                if let Some(id) = groups.named(name) {
                    wanted.entry(id).or_default().push(target.clone());
                }
            }
        }
        for name in missing {
            self.plan.warnings.push(Warning {
                about: Some(ItemRef::Group(name.to_owned())),
                message: "does not exist (groups are created in Genesys Cloud, not by the sync)"
                    .into(),
            });
        }
        let speaks_for: HashSet<usize> = listed
            .iter()
            .filter_map(|(t, _)| match t {
                Target::Existing(i) | Target::Outside(i) => Some(*i),
                Target::New(_) => None,
            })
            .collect();
        let holds_listed = |g: &ScimV2Group| {
            g.member_ids().any(|m| {
                self.org
                    .by_id
                    .get(m)
                    .is_some_and(|i| speaks_for.contains(i))
            })
        };
        let mut order: Vec<&ScimV2Group> = groups
            .by_id
            .iter()
            .filter(|(id, g)| wanted.contains_key(id.as_str()) || holds_listed(g))
            .map(|(_, g)| g)
            .collect();
        order.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        for group in order {
            let id = group.id.as_deref().unwrap_or_default();
            let targets = wanted.get(id).map(Vec::as_slice).unwrap_or_default();
            self.plan_group(group, targets, whole.contains(id), &speaks_for);
        }
    }

    /// The people whose groups the feed gives, but for those naming a group
    /// that does not exist: a typo must not strip anyone of their groups,
    /// so their memberships are left alone, with a warning.
    fn known_groups(&mut self, groups: &Groups) -> Vec<(Target, Vec<String>)> {
        let mut known = Vec::new();
        for (target, names) in std::mem::take(&mut self.listed) {
            let unknown: Vec<&str> = names
                .iter()
                .filter(|n| groups.named(n).is_none())
                .map(String::as_str)
                .collect();
            if unknown.is_empty() {
                known.push((target, names));
                continue;
            }
            let who = match &target {
                Target::Existing(i) | Target::Outside(i) => self.org.user_name(*i),
                Target::New(name) => name.clone(),
            };
            self.warn(
                Some(&who),
                format!(
                    "group {} does not exist (groups are created in Genesys Cloud, not by the \
                     sync): this person's memberships are left alone",
                    unknown.join(", ")
                ),
            );
        }
        known
    }

    /// Adds the wanted in-scope users who are not members, and removes the
    /// in-scope members that are not wanted: any of them when the feed lists
    /// the `whole` group, else those whose groups the feed gives (`listed`).
    fn plan_group(
        &mut self,
        group: &ScimV2Group,
        targets: &[Target],
        whole: bool,
        listed: &HashSet<usize>,
    ) {
        let name = group.display_name.clone().unwrap_or_default();
        let mut keep: HashSet<&str> = HashSet::new();
        let mut add: Vec<Member> = Vec::new();
        for target in targets {
            match target {
                Target::Existing(i) => {
                    let id = self.org.id(*i);
                    if keep.insert(id) && !group.has_member(id) {
                        add.push(Member {
                            user_name: self.org.user_name(*i),
                            id: Some(id.to_owned()),
                        });
                    }
                }
                Target::Outside(i) => {
                    let id = self.org.id(*i);
                    if keep.insert(id) && !group.has_member(id) {
                        self.outside_member(*i, &name);
                    }
                }
                Target::New(user_name) => {
                    if !add
                        .iter()
                        .any(|m| m.id.is_none() && m.user_name == *user_name)
                    {
                        add.push(Member {
                            user_name: user_name.clone(),
                            id: None,
                        });
                    }
                }
            }
        }
        let mut remove = Vec::new();
        let leaving: Vec<usize> = group
            .member_ids()
            .filter(|id| !keep.contains(id))
            .filter_map(|id| self.org.by_id.get(id).copied())
            .filter(|i| whole || listed.contains(i))
            .collect();
        for i in leaving {
            if self.scope.contains(&self.org.users[i]) {
                remove.push(Member {
                    user_name: self.org.user_name(i),
                    id: Some(self.org.id(i).to_owned()),
                });
            } else if listed.contains(&i) {
                self.outside_member(i, &name);
            }
        }
        if add.is_empty() && remove.is_empty() {
            return;
        }
        self.plan.memberships.push(PlannedMembership {
            group: name,
            group_id: group.id.clone().unwrap_or_default(),
            version: group.version().map(str::to_owned),
            add,
            remove,
            reason: Reason::MembersDiffer,
        });
    }

    fn outside_member(&mut self, index: usize, group: &str) {
        let held = self.org.user_name(index);
        self.warn(
            Some(&held),
            format!("{held} is outside the scope: membership of {group} left alone"),
        );
    }
}
