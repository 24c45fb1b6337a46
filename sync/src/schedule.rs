//! The items of a plan as jobs of the work queue, each with the jobs it
//! must wait for: a report's create waits for its new manager's, a change
//! naming a new manager waits for that create, a membership for the
//! creates of its new members. A manager cycle among new users is broken
//! by creating one of them without the manager and linking it after.

use super::matching::user_name_key;
use super::plan::{
    ItemRef, Plan, PlannedCreate, PlannedDeactivation, PlannedMembership, PlannedUpdate,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
    /// A user to delete ([`delete_user`](crate::delete_user); a sync never deletes).
    Delete,
}

impl std::fmt::Display for ItemKind {
    /// The word a plan uses, as serialized: `create`, `update`, …
    ///
    /// ```
    /// assert_eq!(scim_sync::ItemKind::Membership.to_string(), "membership");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ItemKind::Create => "create",
            ItemKind::Update => "update",
            ItemKind::Reactivate => "reactivate",
            ItemKind::Deactivate => "deactivate",
            ItemKind::Membership => "membership",
            ItemKind::Delete => "delete",
        })
    }
}

/// What a write by id outside a plan does to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountAction<'a> {
    Deactivate,
    Delete,
    /// Gives it this externalId (settling a plan's decision).
    SetExternalId(&'a str),
}

/// One unit of work.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job<'p> {
    /// A create; `with_manager` is false for the one that breaks a cycle.
    Create {
        create: &'p PlannedCreate,
        with_manager: bool,
    },
    /// Setting the manager of a user created without it, once both exist.
    LinkManager(&'p PlannedCreate),
    Update(&'p PlannedUpdate, ItemKind),
    Deactivate(&'p PlannedDeactivation),
    Membership(&'p PlannedMembership),
    /// A write to one account by id, outside a plan.
    Account(&'p str, AccountAction<'p>),
}

impl Job<'_> {
    pub(crate) fn kind(&self) -> ItemKind {
        match self {
            Job::Create { .. } => ItemKind::Create,
            Job::LinkManager(_) => ItemKind::Update,
            Job::Update(_, kind) => *kind,
            Job::Deactivate(_) => ItemKind::Deactivate,
            Job::Membership(_) => ItemKind::Membership,
            Job::Account(_, AccountAction::Deactivate) => ItemKind::Deactivate,
            Job::Account(_, AccountAction::Delete) => ItemKind::Delete,
            Job::Account(_, AccountAction::SetExternalId(_)) => ItemKind::Update,
        }
    }

    pub(crate) fn item(&self) -> ItemRef {
        match self {
            Job::Create { create, .. } | Job::LinkManager(create) => {
                ItemRef::User(create.user_name.clone())
            }
            Job::Update(u, _) => ItemRef::User(u.user_name.clone()),
            Job::Deactivate(d) => ItemRef::User(d.user_name.clone()),
            Job::Membership(m) => ItemRef::Group(m.group.clone()),
            Job::Account(id, _) => ItemRef::User((*id).to_owned()),
        }
    }
}

/// The plan's jobs in the order they are preferred (creates, changes,
/// memberships, deactivations), each with the indices of its dependencies
/// and whether it waits for all the others: deactivations do, so that a
/// run cut short has provisioned people before it removes anyone.
pub(crate) fn schedule(plan: &Plan) -> Vec<(Job<'_>, Vec<usize>, bool)> {
    let index: HashMap<String, usize> = plan
        .creates
        .iter()
        .enumerate()
        .map(|(i, c)| (user_name_key(&c.user_name), i))
        .collect();
    let new = |name: Option<&str>| name.and_then(|n| index.get(&user_name_key(n)).copied());
    let manager_of: Vec<Option<usize>> = plan
        .creates
        .iter()
        .map(|c| new(c.manager.as_deref()))
        .collect();
    let breakers = cycle_breakers(&manager_of);
    let mut jobs: Vec<(Job<'_>, Vec<usize>, bool)> = Vec::new();
    for (i, create) in plan.creates.iter().enumerate() {
        let with_manager = !breakers.contains(&i);
        let deps = manager_of[i].filter(|_| with_manager).into_iter().collect();
        jobs.push((
            Job::Create {
                create,
                with_manager,
            },
            deps,
            false,
        ));
    }
    for &i in &breakers {
        let deps = std::iter::once(i).chain(manager_of[i]).collect();
        jobs.push((Job::LinkManager(&plan.creates[i]), deps, false));
    }
    let changes = (plan.updates.iter().map(|u| (u, ItemKind::Update)))
        .chain(plan.reactivations.iter().map(|u| (u, ItemKind::Reactivate)));
    for (u, kind) in changes {
        jobs.push((
            Job::Update(u, kind),
            new(u.manager.as_deref()).into_iter().collect(),
            false,
        ));
    }
    for m in &plan.memberships {
        let deps = (m.add.iter().chain(&m.remove))
            .filter(|x| x.id.is_none())
            .filter_map(|x| new(Some(&x.user_name)))
            .collect();
        jobs.push((Job::Membership(m), deps, false));
    }
    jobs.extend(
        plan.deactivations
            .iter()
            .map(|d| (Job::Deactivate(d), Vec::new(), true)),
    );
    jobs
}

/// One member of each cycle of `manager_of` (a new user's new manager),
/// the first in plan order: it is created without its manager.
fn cycle_breakers(manager_of: &[Option<usize>]) -> Vec<usize> {
    // 0: not seen, 1: on the current path, 2: done.
    let mut mark = vec![0u8; manager_of.len()];
    let mut breakers = Vec::new();
    for start in 0..manager_of.len() {
        let mut path = Vec::new();
        let mut cursor = Some(start);
        while let Some(i) = cursor {
            match mark[i] {
                0 => {
                    mark[i] = 1;
                    path.push(i);
                    cursor = manager_of[i];
                }
                1 => {
                    let at = path.iter().position(|p| *p == i).unwrap_or(0);
                    breakers.extend(path[at..].iter().min().copied());
                    break;
                }
                _ => break,
            }
        }
        for i in path {
            mark[i] = 2;
        }
    }
    breakers.sort_unstable();
    breakers
}

#[cfg(test)]
mod tests {
    use super::*;
    use scim_sdk::models::ScimV2User;

    fn create(name: &str, manager: Option<&str>) -> PlannedCreate {
        PlannedCreate {
            user_name: name.into(),
            user: ScimV2User::new().with_user_name(name),
            manager: manager.map(str::to_owned),
            out_of_scope: false,
            reason: crate::Reason::NotInOrg,
        }
    }

    #[test]
    fn reports_wait_for_their_new_managers_and_a_cycle_is_linked_after() {
        let plan = Plan {
            creates: vec![
                create("agent", Some("lead")),
                create("lead", Some("HEAD")),
                create("head", Some("someone-in-the-org")),
                create("a", Some("b")),
                create("b", Some("a")),
            ],
            ..Plan::default()
        };
        let jobs: Vec<(String, Vec<usize>)> = schedule(&plan)
            .into_iter()
            .map(|(job, deps, _)| (format!("{:?} {}", job.kind(), job.item()), deps))
            .collect();
        let expected: Vec<(String, Vec<usize>)> = [
            ("Create agent", vec![1]),
            ("Create lead", vec![2]),
            ("Create head", vec![]),
            ("Create a", vec![]),
            ("Create b", vec![3]),
            ("Update a", vec![3, 4]),
        ]
        .into_iter()
        .map(|(j, d)| (j.to_owned(), d))
        .collect();
        assert_eq!(jobs, expected);
    }

    #[test]
    fn each_cycle_is_broken_once_at_its_first_member() {
        // 0 → 1 → 0 is a cycle; 2 → 0 hangs off it; 3 → 4 → 5 → 3 another; 6 alone.
        let managers = [Some(1), Some(0), Some(0), Some(4), Some(5), Some(3), None];
        assert_eq!(cycle_breakers(&managers), [0, 3]);
        assert_eq!(cycle_breakers(&[Some(0)]), [0], "managing oneself");
        assert!(cycle_breakers(&[Some(1), None]).is_empty());
    }
}
