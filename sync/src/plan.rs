//! Planning a sync: read the org once, compare it with the desired state,
//! and say what `apply` would do and why. A plan is plain data that
//! serializes to JSON, so a dry run is "plan and print".

use super::desired::{DesiredUser, Memberships, validate};
use super::diff::{Change, user_changes};
use super::scope::Scope;
use super::update::Guarded;
use crate::Error;
use scim_sdk::Client;
use scim_sdk::models::{ScimV2Group, ScimV2User};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How many items of each kind a plan holds (or a report counts).
///
/// ```
/// let s = scim_sync::Summary::default();
/// assert_eq!(serde_json::to_value(&s).unwrap()["memberships_changed"], 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Users to create.
    pub created: usize,
    /// Active users whose attributes change.
    pub updated: usize,
    /// Inactive users made active again.
    pub reactivated: usize,
    /// Users to deactivate (never deleted).
    pub deactivated: usize,
    /// Users of the feed that already look as desired.
    pub unchanged: usize,
    /// Members added to or removed from groups.
    pub memberships_changed: usize,
}

/// A user to create.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for c in &plan.creates {
///     println!("create {} ({})", c.user_name, c.reason);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedCreate {
    /// The new user's `userName`.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The attributes it is created with.
    pub user: ScimV2User,
    /// A manager created by the same plan, by `userName`: resolved to an id
    /// once that manager exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Why.
    pub reason: String,
}

/// An existing user to change (or to reactivate).
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for u in &plan.updates {
///     for c in &u.changes {
///         println!("{}: {} {:?} -> {:?}", u.user_name, c.path, c.before, c.after);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedUpdate {
    /// The user's `userName` in the org.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The user's id.
    pub id: String,
    /// The version read, sent as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Attribute by attribute, before and after.
    pub changes: Vec<Change>,
    /// The desired attributes, to diff again if the user changed meanwhile.
    pub desired: ScimV2User,
    /// A new manager created by the same plan, by `userName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Why.
    pub reason: String,
}

/// An in-scope user to deactivate.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// let names: Vec<&str> = plan.deactivations.iter().map(|d| d.user_name.as_str()).collect();
/// # let _ = names;
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedDeactivation {
    /// The user's `userName`.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The user's id.
    pub id: String,
    /// The version read, sent as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Why.
    pub reason: String,
}

/// A member of a planned membership change.
///
/// ```
/// let m = scim_sync::Member { user_name: "a@b.c".into(), id: None };
/// # let _ = m;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's `userName`.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The member's id; `None` for a user the same plan creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Members to add to and remove from one group.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for m in &plan.memberships {
///     println!("{}: +{} -{}", m.group, m.add.len(), m.remove.len());
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedMembership {
    /// The group's display name.
    pub group: String,
    /// The group's id.
    pub group_id: String,
    /// The version read, sent as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Members to add.
    pub add: Vec<Member>,
    /// Members to remove.
    pub remove: Vec<Member>,
    /// Why.
    pub reason: String,
}

/// Something the plan will not do, and why: an unresolvable manager, an
/// unknown group, a user out of scope.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for w in &plan.warnings {
///     eprintln!("warning: {}: {}", w.user_name.as_deref().unwrap_or("-"), w.message);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The user concerned, if any.
    #[serde(rename = "userName", default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// What and why.
    pub message: String,
}

/// What [`apply`](crate::apply()) would do, and why. Serialize
/// it for a dry run; apply it as is, or after a human has read it.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client, users: &[scim_sync::DesiredUser]) -> Result<(), scim_sync::Error> {
/// use scim_sync::{Memberships, Scope};
/// let plan = scim_sync::plan(client, users, &Memberships::new(), &Scope::default())?;
/// println!("{}", serde_json::to_string_pretty(&plan).unwrap_or_default());
/// if plan.is_empty() {
///     println!("the org is in sync");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// The counts.
    pub summary: Summary,
    /// The scope planned with: [`apply`](crate::apply()) checks every
    /// write against it, on what it has just read. Serialized as
    /// `external-id`, `all`, `division:NAME` (a `custom` one cannot be read back).
    pub scope: Scope,
    /// Active in-scope users in the org when planned: what the
    /// mass-deactivation guard compares deactivations with.
    pub in_scope: usize,
    /// Users to create.
    pub creates: Vec<PlannedCreate>,
    /// Active users to change.
    pub updates: Vec<PlannedUpdate>,
    /// Inactive users to make active (and change as needed).
    pub reactivations: Vec<PlannedUpdate>,
    /// Users to deactivate.
    pub deactivations: Vec<PlannedDeactivation>,
    /// Group membership changes.
    pub memberships: Vec<PlannedMembership>,
    /// What will not be done, and why.
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// Whether applying the plan would send no write.
    ///
    /// ```
    /// assert!(scim_sync::Plan::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many items applying the plan works through: one per create,
    /// update, reactivation, deactivation and group membership change (what
    /// [`Progress::total`](super::Progress::total) counts).
    ///
    /// ```
    /// assert_eq!(scim_sync::Plan::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.creates.len()
            + self.updates.len()
            + self.reactivations.len()
            + self.deactivations.len()
            + self.memberships.len()
    }
}

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
/// println!("{:?}", plan.summary);
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
    let everyone = client.all_users().collect::<Result<Vec<_>, _>>()?;
    let org = Org::new(&everyone);
    let names: BTreeSet<&str> = memberships
        .keys()
        .chain(users.iter().flat_map(|d| d.groups.iter().flatten()))
        .map(String::as_str)
        .collect();
    // The groups that listed users are in now: they may have to leave them.
    let held: BTreeSet<&str> = users
        .iter()
        .filter(|d| d.groups.is_some())
        .filter_map(|d| org.matching(d))
        .flat_map(|i| org.users[i].group_ids())
        .collect();
    let groups = read_groups(client, &names, &held)?;
    Ok(build(users, memberships, scope, org, &groups))
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
        match ScimV2Group::read(client, &id) {
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

/// The org as the planner looks things up in it.
struct Org<'a> {
    users: &'a [ScimV2User],
    by_name: HashMap<String, usize>,
    by_external_id: HashMap<&'a str, usize>,
    by_id: HashMap<&'a str, usize>,
}

impl<'a> Org<'a> {
    fn new(users: &'a [ScimV2User]) -> Self {
        let mut org = Org {
            users,
            by_name: HashMap::new(),
            by_external_id: HashMap::new(),
            by_id: HashMap::new(),
        };
        for (i, u) in users.iter().enumerate() {
            if let Some(n) = u.user_name.as_deref() {
                org.by_name.insert(n.to_lowercase(), i);
            }
            if let Some(x) = u.external_id.as_deref().filter(|x| !x.is_empty()) {
                org.by_external_id.insert(x, i);
            }
            if let Some(id) = u.id.as_deref() {
                org.by_id.insert(id, i);
            }
        }
        org
    }

    fn named(&self, user_name: &str) -> Option<usize> {
        self.by_name.get(&user_name.to_lowercase()).copied()
    }

    /// The existing user a desired one stands for: same externalId, else same userName.
    fn matching(&self, d: &DesiredUser) -> Option<usize> {
        d.user
            .external_id
            .as_deref()
            .filter(|x| !x.is_empty())
            .and_then(|x| self.by_external_id.get(x).copied())
            .or_else(|| self.named(d.user_name()))
    }

    fn id(&self, index: usize) -> &'a str {
        self.users[index].id.as_deref().unwrap_or_default()
    }

    fn user_name(&self, index: usize) -> String {
        self.users[index].user_name.clone().unwrap_or_default()
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
        feed_names: users.iter().map(|d| d.user_name().to_lowercase()).collect(),
        matched: HashSet::new(),
        creating: HashSet::new(),
        listed: Vec::new(),
        plan: Plan {
            scope: scope.clone(),
            in_scope,
            ..Plan::default()
        },
    };
    for d in users {
        p.plan_user(d);
    }
    p.plan_absent();
    p.plan_memberships(memberships, groups);
    let s = &mut p.plan.summary;
    s.created = p.plan.creates.len();
    s.updated = p.plan.updates.len();
    s.reactivated = p.plan.reactivations.len();
    s.deactivated = p.plan.deactivations.len();
    s.memberships_changed = p
        .plan
        .memberships
        .iter()
        .map(|m| m.add.len() + m.remove.len())
        .sum();
    p.plan
}

impl Planner<'_> {
    fn warn(&mut self, user_name: Option<&str>, message: String) {
        self.plan.warnings.push(Warning {
            user_name: user_name.map(str::to_owned),
            message,
        });
    }

    fn manager_ref(&self, d: &DesiredUser) -> ManagerRef {
        let Some(manager) = d.manager.as_deref().map(str::trim) else {
            return ManagerRef::Unmanaged;
        };
        if manager.is_empty() {
            return ManagerRef::Clear;
        }
        if let Some(i) = self.org.named(manager) {
            return ManagerRef::Id(self.org.id(i).to_owned());
        }
        if self.feed_names.contains(&manager.to_lowercase()) {
            return ManagerRef::Pending(manager.to_owned());
        }
        ManagerRef::Unknown(manager.to_owned())
    }

    /// The desired attributes with the manager resolved to an id, and the
    /// manager's userName when the plan itself creates that manager.
    fn desired(&self, d: &DesiredUser, manager: &ManagerRef) -> (ScimV2User, Option<String>) {
        let mut user = d.user.clone();
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

    fn plan_user(&mut self, d: &DesiredUser) {
        let name = d.user_name().trim().to_owned();
        let Some(index) = self.org.matching(d) else {
            return self.plan_create(d, name);
        };
        self.matched.insert(index);
        let current = &self.org.users[index];
        if !self.scope.contains(current) {
            return self.leave_outside(d, index);
        }
        if let (Some(ours), Some(theirs)) = (
            d.user.external_id.as_deref(),
            current.external_id.as_deref(),
        ) && !ours.is_empty()
            && !theirs.is_empty()
            && ours != theirs
        {
            return self.warn(
                Some(&name),
                format!("userName belongs to a user with externalId {theirs}, not {ours}: not taken over"),
            );
        }
        if let Some(groups) = &d.groups {
            self.listed.push((Target::Existing(index), groups.clone()));
        }
        let id = current.id.clone().unwrap_or_default();
        let version = current.version().map(str::to_owned);
        let current_name = current.user_name.clone().unwrap_or(name);
        if d.user.active == Some(false) {
            if current.is_active() {
                self.plan.deactivations.push(PlannedDeactivation {
                    user_name: current_name,
                    id,
                    version,
                    reason: "inactive in the feed".into(),
                });
            } else {
                self.plan.summary.unchanged += 1;
            }
            return;
        }
        let (desired, manager) = self.resolve_manager(d);
        let mut changes = user_changes(current, &desired);
        self.name_managers(&mut changes);
        if changes.is_empty() && manager.is_none() {
            self.plan.summary.unchanged += 1;
            return;
        }
        let reactivating = !current.is_active();
        let update = PlannedUpdate {
            user_name: current_name,
            id,
            version,
            changes,
            desired,
            manager: manager.clone(),
            reason: match (reactivating, manager) {
                (true, _) => "inactive in the org, active in the feed".into(),
                (false, Some(m)) => format!("new manager {m}, created by this plan"),
                (false, None) => "attributes differ from the feed".into(),
            },
        };
        if reactivating {
            self.plan.reactivations.push(update);
        } else {
            self.plan.updates.push(update);
        }
    }

    /// A matched user outside the scope is never changed; the feed is told
    /// only when it wants a change, so a feed that agrees stays quiet.
    fn leave_outside(&mut self, d: &DesiredUser, index: usize) {
        if let Some(groups) = &d.groups {
            self.listed.push((Target::Outside(index), groups.clone()));
        }
        let current = &self.org.users[index];
        let manager = self.manager_ref(d);
        let pending = matches!(manager, ManagerRef::Pending(_));
        let (desired, _) = self.desired(d, &manager);
        if !pending && user_changes(current, &desired).is_empty() {
            self.plan.summary.unchanged += 1;
            return;
        }
        let held = self.org.user_name(index);
        self.warn(
            Some(d.user_name().trim()),
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
        for c in changes.iter_mut().filter(|c| c.path.ends_with(":manager")) {
            let show = |n: Option<String>| n.unwrap_or_else(|| "(none)".into());
            c.note = Some(format!(
                "{} -> {}",
                show(name(&c.before)),
                show(name(&c.after))
            ));
        }
    }

    fn plan_create(&mut self, d: &DesiredUser, name: String) {
        if d.user.active == Some(false) {
            // Nobody to deactivate, and no reason to create a disabled user.
            self.plan.summary.unchanged += 1;
            return;
        }
        let (user, manager) = self.resolve_manager(d);
        self.creating.insert(name.to_lowercase());
        if let Some(groups) = &d.groups {
            self.listed
                .push((Target::New(name.clone()), groups.clone()));
        }
        self.plan.creates.push(PlannedCreate {
            user_name: name,
            user,
            manager,
            reason: "not in the org".into(),
        });
    }

    fn plan_absent(&mut self) {
        for (i, u) in self.org.users.iter().enumerate() {
            if self.matched.contains(&i) || !u.is_active() || !self.scope.contains(u) {
                continue;
            }
            self.plan.deactivations.push(PlannedDeactivation {
                user_name: u.user_name.clone().unwrap_or_default(),
                id: u.id.clone().unwrap_or_default(),
                version: u.version().map(str::to_owned),
                reason: "in scope and absent from the feed".into(),
            });
        }
    }

    /// A member named by `userName` in [`Memberships`], as a target.
    fn member_target(&mut self, user_name: &str, group: &str) -> Option<Target> {
        match self.org.named(user_name) {
            Some(i) if self.scope.contains(&self.org.users[i]) => Some(Target::Existing(i)),
            Some(i) => Some(Target::Outside(i)),
            None if self.creating.contains(&user_name.to_lowercase()) => {
                Some(Target::New(user_name.to_owned()))
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
        let listed = std::mem::take(&mut self.listed);
        for (target, names) in &listed {
            for name in names {
                match groups.named(name) {
                    Some(id) => wanted.entry(id).or_default().push(target.clone()),
                    None => {
                        missing.insert(name);
                    }
                }
            }
        }
        for name in missing {
            self.warn(
                None,
                format!("group {name} does not exist (groups are created in Genesys Cloud, not by the sync)"),
            );
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
            reason: "members differ from the feed".into(),
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
