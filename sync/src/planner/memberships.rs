//! Planning group memberships: the groups named are read by id, and each
//! group whose members may change gets the in-scope users the feed wants
//! added and the in-scope members it does not want removed.

use super::state::{Planner, Target};
use crate::Error;
use crate::desired::Memberships;
use crate::matching::user_name_key;
use crate::plan::{ItemRef, Member, PlannedMembership, Reason, Warning};
use crate::update::Guarded;
use crate::wire::{Wire, absent_on_404};
use scim_sdk::Client;
use scim_sdk::models::ScimV2Group;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The groups named, and those with the ids given, each read by id for
/// its members and version. A group deleted meanwhile is left out.
pub(crate) fn read_groups(
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
        if let Some(group) = absent_on_404(ScimV2Group::read(&Wire::new(client), &id))? {
            groups.by_id.insert(id, group);
        }
    }
    Ok(groups)
}

/// The groups a plan may change.
#[derive(Default)]
pub(crate) struct Groups {
    /// A group name as the feed wrote it → the group's id.
    pub(crate) ids: HashMap<String, String>,
    /// Group id → the group, with its members and version.
    pub(crate) by_id: BTreeMap<String, ScimV2Group>,
    /// Ids of groups known to exist but not read: nobody joins or leaves
    /// them (a plan of some people reads only the groups they join or leave).
    pub(crate) unread: HashSet<String>,
}

impl Groups {
    fn named(&self, name: &str) -> Option<&str> {
        self.ids
            .get(name)
            .map(String::as_str)
            .filter(|id| self.by_id.contains_key(*id) || self.unread.contains(*id))
    }
}

impl Planner<'_> {
    /// A member named by `userName` in [`Memberships`], as a target.
    fn member_target(&mut self, user_name: &str, group: &str) -> Option<Target> {
        let renamed = || self.renaming.get(&user_name_key(user_name)).copied();
        match self.org.named(user_name).or_else(renamed) {
            // Someone else's account holds the userName: never the row's member.
            Some(i) if self.not_taken.contains(&i) => None,
            Some(i) if self.scope.contains(&self.org.users[i]) => Some(Target::Existing(i)),
            Some(i) => Some(Target::Outside(i)),
            None if self.creating.contains(&user_name_key(user_name)) => {
                Some(Target::New(user_name.trim().to_owned()))
            }
            // A plan of some people read only their accounts.
            None if self.absent.is_some() => None,
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
    pub(super) fn plan_memberships(&mut self, memberships: &Memberships, groups: &Groups) {
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
            let mut warning = Warning::new(
                "does not exist (groups are created in Genesys Cloud, not by the sync)",
            );
            warning.about = Some(ItemRef::Group(name.to_owned()));
            self.plan.warnings.push(warning);
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
            .filter(|i| !self.not_taken.contains(i))
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
