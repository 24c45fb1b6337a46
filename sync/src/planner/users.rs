//! Planning each user of the feed: create, change, reactivate or
//! deactivate it, resolve its manager, and deactivate the in-scope users
//! the feed leaves out.

use super::state::{Planner, Target};
use crate::Decision;
use crate::desired::{Desired, DesiredUser};
use crate::diff::{Change, user_changes};
use crate::matching::{Key, Match, external_id_key, external_ids_differ, user_name_key};
use crate::plan::{PlannedCreate, PlannedDeactivation, PlannedUpdate, Reason, Relink};
use crate::scope::Scope;
use scim_sdk::models::ScimV2User;

/// Whose account a row matched.
enum Holder {
    /// The row's: no externalId, or the row's.
    Ours,
    /// A rehire's: its old externalId is linked to the row's by the feed.
    Rehire(Relink),
    /// Someone else's: left alone (the plan says why).
    NotOurs,
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

impl Planner<'_> {
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
        if let Some(id) = self.managers.and_then(|m| m.get(&user_name_key(manager))) {
            return ManagerRef::Id(id.clone());
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
            self.warn_row(
                d,
                format!(
                    "manager {name} is neither in the org nor in the feed: the manager is left alone"
                ),
            );
        }
        self.desired(d, &manager)
    }

    pub(super) fn plan_user(&mut self, d: &DesiredUser, found: &Match) {
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
        let relink = match self.holder(d, index) {
            Holder::Ours => None,
            Holder::Rehire(relink) => Some(relink),
            Holder::NotOurs => return,
        };
        let current = &self.org.users[index];
        if let Some(groups) = d.group_names() {
            self.listed.push((Target::Existing(index), groups.to_vec()));
        }
        let id = current.id.clone().unwrap_or_default();
        let version = current.version().map(str::to_owned);
        let current_name = current.user_name.clone().unwrap_or(name);
        if d.user.active == Some(false) {
            if current.is_active() && !self.scope.deactivates() {
                self.warn_row(
                    d,
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
        } else if user_name_key(&current_name) != user_name_key(d.user_name()) {
            self.renaming.insert(user_name_key(d.user_name()), index);
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
                _ if relink.is_some() => Reason::Rehire,
                (true, _) => Reason::InactiveInOrg,
                (false, Some(_)) => Reason::NewManager,
                (false, None) => Reason::AttributesDiffer,
            },
            manager,
            relink,
        };
        if reactivating {
            self.plan.reactivations.push(update);
        } else {
            self.plan.updates.push(update);
        }
    }

    /// Whether account `index`, which the row matched, is the row's to
    /// write: it holds no externalId or the row's; or it holds an old one
    /// the feed links to the row's (a rehire), and the row's identity is
    /// not excluded. Any other holder is not taken over: for an active row,
    /// a person decides whether it is the row's (a [`Decision`]).
    fn holder(&mut self, d: &DesiredUser, index: usize) -> Holder {
        let current = &self.org.users[index];
        if !external_ids_differ(current, &d.user) {
            return Holder::Ours;
        }
        let theirs = external_id_key(current.external_id.as_deref()).unwrap_or_default();
        let ours = external_id_key(d.user.external_id.as_deref()).unwrap_or_default();
        let link = (d.user.active != Some(false))
            .then(|| self.links.get(&user_name_key(d.user_name())))
            .flatten()
            .and_then(|links| links.iter().find(|l| l.external_id == theirs));
        let Some(link) = link else {
            self.not_taken.insert(index);
            if d.user.active == Some(false) {
                self.warn_row(
                    d,
                    format!("userName belongs to a user with externalId {theirs}, not {ours}: not taken over"),
                );
            } else {
                self.plan.decisions.push(Decision {
                    user_name: d.user_name().to_owned(),
                    line: d.source.clone(),
                    holder_id: self.org.id(index).to_owned(),
                    holder_external_id: theirs.to_owned(),
                    row_external_id: ours.to_owned(),
                    holder_active: current.is_active(),
                });
            }
            return Holder::NotOurs;
        };
        if self.scope.excludes(&d.user) {
            self.not_taken.insert(index);
            let scope = self.scope.describe();
            self.warn_row(
                d,
                format!("a rehire excluded by the scope `{scope}`: not relinked"),
            );
            return Holder::NotOurs;
        }
        Holder::Rehire(Relink {
            from: theirs.to_owned(),
            to: ours.to_owned(),
            line: link.line.clone(),
        })
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
        self.warn_row(
            d,
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
        self.warn_row(
            d,
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
        self.warn_row(
            d,
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
            return self.warn_row(
                d,
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
            self.warn_row(
                d,
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

    pub(super) fn plan_absent(&mut self) {
        for (i, u) in self.org.users.iter().enumerate() {
            let judged = self
                .absent
                .is_none_or(|ids| ids.contains(u.id.as_deref().unwrap_or_default()));
            if !judged
                || self.matched.contains(&i)
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
}
