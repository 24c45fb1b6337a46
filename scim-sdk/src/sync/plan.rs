//! Planning a sync: read the org once, compare it with the desired state,
//! and say what `apply` would do and why. A plan is plain data that
//! serializes to JSON, so a dry run is "plan and print".

use super::desired::{DesiredUser, Memberships, validate};
use super::diff::{Change, user_changes};
use super::scope::Scope;
use crate::models::{ScimV2Group, ScimV2User};
use crate::{Client, Error};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many items of each kind a plan holds (or a report counts).
///
/// ```
/// let s = scim_sdk::sync::Summary::default();
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
/// # fn demo(plan: &scim_sdk::sync::Plan) {
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
/// # fn demo(plan: &scim_sdk::sync::Plan) {
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
/// # fn demo(plan: &scim_sdk::sync::Plan) {
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
/// let m = scim_sdk::sync::Member { user_name: "a@b.c".into(), id: None };
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
/// # fn demo(plan: &scim_sdk::sync::Plan) {
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
/// # fn demo(plan: &scim_sdk::sync::Plan) {
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

/// What [`Client::apply`](crate::Client::apply) would do, and why. Serialize
/// it for a dry run; apply it as is, or after a human has read it.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client, users: &[scim_sdk::sync::DesiredUser]) -> Result<(), scim_sdk::Error> {
/// use scim_sdk::sync::{Memberships, Scope};
/// let plan = client.plan(users, &Memberships::new(), &Scope::default())?;
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
    /// The scope planned with (`external-id`, `all`, `division:NAME`, `custom`).
    pub scope: String,
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
    /// assert!(scim_sdk::sync::Plan::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.creates.is_empty()
            && self.updates.is_empty()
            && self.reactivations.is_empty()
            && self.deactivations.is_empty()
            && self.memberships.is_empty()
    }
}

impl Client {
    /// Plans a sync: checks the feed, reads the org once (every user,
    /// inactive included, and the groups `memberships` names), and returns
    /// what [`apply`](Client::apply) would do. It sends no write.
    ///
    /// - Desired users match existing ones by `externalId`, else by
    ///   `userName` (ignoring case). Unmatched ones are created.
    /// - Matched users outside `scope` are left alone, with a warning.
    /// - In-scope users the feed does not mention, or marks inactive, are
    ///   deactivated (never deleted).
    /// - Managers are named by `userName` and resolved against the org and
    ///   the feed; one found in neither is a warning, and the manager is
    ///   left alone.
    /// - Only the groups `memberships` names change, and in them only
    ///   in-scope users.
    ///
    /// ```no_run
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sdk::sync::{DesiredUser, Memberships, Scope};
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let feed = vec![DesiredUser::new(
    ///     ScimV2User::new().with_user_name("jane@example.com").with_display_name("Jane").with_external_id("E-1"),
    /// )];
    /// let mut groups = Memberships::new();
    /// groups.insert("Sales".into(), vec!["jane@example.com".into()]);
    /// let plan = client.plan(&feed, &groups, &Scope::ExternalId)?;
    /// println!("{:?}", plan.summary);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Sync`] with [`SyncErrorKind::InvalidFeed`](crate::SyncErrorKind::InvalidFeed)
    /// for a user without `userName` or a duplicate `userName` or
    /// `externalId`, before anything is sent; errors of the reads.
    pub fn plan(
        &self,
        users: &[DesiredUser],
        memberships: &Memberships,
        scope: &Scope,
    ) -> Result<Plan, Error> {
        validate(users)?;
        let org = self.all_users().collect::<Result<Vec<_>, _>>()?;
        let groups = self.read_groups(memberships.keys())?;
        Ok(build(users, memberships, scope, &org, &groups))
    }

    /// The named groups, each read by id for its members and version.
    fn read_groups<'a>(
        &self,
        names: impl Iterator<Item = &'a String>,
    ) -> Result<BTreeMap<String, ScimV2Group>, Error> {
        let found = self.find_groups_by_name(names.cloned())?;
        let mut groups = BTreeMap::new();
        for (name, summary) in found {
            let Some(id) = summary.id.as_deref() else {
                continue;
            };
            let resp = self.get_scim_v2_group(id).send_with_response()?;
            let etag = resp.etag().map(str::to_owned);
            let mut group = resp.into_body();
            if group.version().is_none() {
                group.meta.get_or_insert_with(Default::default).version = etag;
            }
            groups.insert(name, group);
        }
        Ok(groups)
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

    fn named(&self, user_name: &str) -> Option<&'a ScimV2User> {
        self.by_name
            .get(&user_name.to_lowercase())
            .map(|i| &self.users[*i])
    }

    /// The existing user a desired one stands for: same externalId, else same userName.
    fn matching(&self, d: &DesiredUser) -> Option<usize> {
        d.user
            .external_id
            .as_deref()
            .filter(|x| !x.is_empty())
            .and_then(|x| self.by_external_id.get(x).copied())
            .or_else(|| self.by_name.get(&d.user_name().to_lowercase()).copied())
    }
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
    plan: Plan,
}

fn build(
    users: &[DesiredUser],
    memberships: &Memberships,
    scope: &Scope,
    org: &[ScimV2User],
    groups: &BTreeMap<String, ScimV2Group>,
) -> Plan {
    let org = Org::new(org);
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
        plan: Plan {
            scope: scope.describe(),
            in_scope,
            ..Plan::default()
        },
    };
    for d in users {
        p.plan_user(d);
    }
    p.plan_absent();
    for (name, members) in memberships {
        p.plan_group(name, members, groups.get(name));
    }
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
    fn warn(&mut self, user_name: &str, message: String) {
        self.plan.warnings.push(Warning {
            user_name: Some(user_name.to_owned()),
            message,
        });
    }

    /// The desired attributes with the manager resolved to an id, and the
    /// manager's userName when the plan itself creates that manager.
    fn resolve_manager(&mut self, d: &DesiredUser) -> (ScimV2User, Option<String>) {
        let mut user = d.user.clone();
        let Some(manager) = d.manager.as_deref().map(str::trim) else {
            return (user, None);
        };
        if manager.is_empty() {
            return (user.with_manager_id(""), None);
        }
        if let Some(id) = self.org.named(manager).and_then(|m| m.id.clone()) {
            return (user.with_manager_id(id), None);
        }
        if self.feed_names.contains(&manager.to_lowercase()) {
            return (user, Some(manager.to_owned()));
        }
        self.warn(
            d.user_name(),
            format!(
                "manager {manager} is neither in the org nor in the feed: the manager is left alone"
            ),
        );
        if let Some(e) = user.enterprise_user.as_mut() {
            e.manager = None;
        }
        (user, None)
    }

    fn plan_user(&mut self, d: &DesiredUser) {
        let name = d.user_name().trim().to_owned();
        let Some(index) = self.org.matching(d) else {
            return self.plan_create(d, name);
        };
        self.matched.insert(index);
        let current = &self.org.users[index];
        if !self.scope.contains(current) {
            let held = current.user_name.clone().unwrap_or_default();
            return self.warn(
                &name,
                format!(
                    "matches {held}, which is outside the scope `{}`: left alone",
                    self.scope.describe()
                ),
            );
        }
        if let (Some(ours), Some(theirs)) = (
            d.user.external_id.as_deref(),
            current.external_id.as_deref(),
        ) && !ours.is_empty()
            && !theirs.is_empty()
            && ours != theirs
        {
            return self.warn(
                &name,
                format!("userName belongs to a user with externalId {theirs}, not {ours}: not taken over"),
            );
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
        let (mut desired, manager) = self.resolve_manager(d);
        desired.active = Some(true);
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
        let (mut user, manager) = self.resolve_manager(d);
        user.active = Some(true);
        self.creating.insert(name.to_lowercase());
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

    fn plan_group(&mut self, name: &str, members: &[String], group: Option<&ScimV2Group>) {
        let Some(group) = group else {
            self.plan.warnings.push(Warning {
                user_name: None,
                message: format!("group {name} does not exist (groups are created in Genesys Cloud, not by the sync)"),
            });
            return;
        };
        let mut wanted_ids = HashSet::new();
        let mut add = Vec::new();
        for member in members {
            let existing = self.org.named(member);
            if let Some(u) = existing.filter(|u| !self.scope.contains(u)) {
                let held = u.user_name.clone().unwrap_or_default();
                self.warn(
                    member,
                    format!("{held} is outside the scope: membership of {name} left alone"),
                );
                continue;
            }
            match existing.and_then(|u| u.id.clone()) {
                Some(id) => {
                    if !group.has_member(&id) {
                        add.push(Member {
                            user_name: member.clone(),
                            id: Some(id.clone()),
                        });
                    }
                    wanted_ids.insert(id);
                }
                None if self.creating.contains(&member.to_lowercase()) => {
                    add.push(Member {
                        user_name: member.clone(),
                        id: None,
                    });
                }
                None => self.warn(
                    member,
                    format!("not in the org nor created by this plan: not added to {name}"),
                ),
            }
        }
        let remove: Vec<Member> = group
            .member_ids()
            .filter(|id| !wanted_ids.contains(*id))
            .filter_map(|id| self.org.by_id.get(id).map(|i| &self.org.users[*i]))
            .filter(|u| self.scope.contains(u))
            .map(|u| Member {
                user_name: u.user_name.clone().unwrap_or_default(),
                id: u.id.clone(),
            })
            .collect();
        if add.is_empty() && remove.is_empty() {
            return;
        }
        self.plan.memberships.push(PlannedMembership {
            group: name.to_owned(),
            group_id: group.id.clone().unwrap_or_default(),
            version: group.version().map(str::to_owned),
            add,
            remove,
            reason: "members differ from the feed".into(),
        });
    }
}
