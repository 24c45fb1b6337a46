//! What an apply did to each person, from the items that ended: what a
//! state records. An item that failed, was not started or never ended
//! leaves its people unrecorded, so the next run plans them again.

use crate::Plan;
use crate::matching::user_name_key;
use crate::plan::ItemRef;
use crate::progress::{ItemStatus, MemberStatus, Progress};
use crate::schedule::ItemKind;
use std::collections::{HashMap, HashSet};

pub(crate) struct Outcomes {
    /// Accounts (by id) with a user item in the plan.
    planned: HashSet<String>,
    /// Those whose user item ended done.
    done: HashSet<String>,
    /// userName keys of the plan's creates.
    creating: HashSet<String>,
    /// Creates that ended done: userName key → id.
    created: HashMap<String, String>,
    /// Members (by id or userName key) whose membership change is not done.
    members_not_done: HashSet<String>,
}

impl Outcomes {
    pub(crate) fn of(plan: &Plan, ended: &[Progress]) -> Outcomes {
        let planned = (plan.updates.iter().chain(&plan.reactivations))
            .map(|u| u.id.clone())
            .chain(plan.deactivations.iter().map(|d| d.id.clone()))
            .collect();
        let mut o = Outcomes {
            planned,
            done: HashSet::new(),
            creating: plan
                .creates
                .iter()
                .map(|c| user_name_key(&c.user_name))
                .collect(),
            created: HashMap::new(),
            members_not_done: HashSet::new(),
        };
        let mut groups_ended = HashSet::new();
        for p in ended {
            o.note(p, &mut groups_ended);
        }
        for m in plan
            .memberships
            .iter()
            .filter(|m| !groups_ended.contains(&m.group))
        {
            for member in m.add.iter().chain(&m.remove) {
                o.member_not_done(&member.user_name, member.id.as_deref());
            }
        }
        o
    }

    fn note(&mut self, p: &Progress, groups_ended: &mut HashSet<String>) {
        let done = matches!(p.status, ItemStatus::Done(_));
        match (p.kind, &p.item) {
            (ItemKind::Membership, ItemRef::Group(name)) => {
                groups_ended.insert(name.clone());
                for m in &p.members {
                    if m.status != MemberStatus::Done && m.status != MemberStatus::Unchanged {
                        self.member_not_done(&m.user_name, m.id.as_deref());
                    }
                }
            }
            (ItemKind::Create, ItemRef::User(name)) => {
                if let (true, Some(id)) = (done, &p.id) {
                    self.created.insert(user_name_key(name), id.clone());
                }
            }
            (_, _) if done => {
                self.done.extend(p.id.clone());
            }
            _ => {}
        }
    }

    fn member_not_done(&mut self, user_name: &str, id: Option<&str>) {
        self.members_not_done.insert(user_name_key(user_name));
        if let Some(id) = id {
            self.members_not_done.insert(id.to_owned());
        }
    }

    /// The account of a planned person when every item about them ended
    /// done (`Some(None)`: a person with no account and none to make);
    /// `None` when something about them is not done.
    pub(crate) fn person(&self, user_name: &str, account: Option<&str>) -> Option<Option<String>> {
        let key = user_name_key(user_name);
        if self.members_not_done.contains(&key)
            || account.is_some_and(|a| self.members_not_done.contains(a))
        {
            return None;
        }
        if self.creating.contains(&key) {
            return self.created.get(&key).map(|id| Some(id.clone()));
        }
        match account {
            Some(a) if self.planned.contains(a) && !self.done.contains(a) => None,
            account => Some(account.map(str::to_owned)),
        }
    }

    /// Whether the work a later incremental run would never see again was
    /// done: the deactivations of accounts absent from the feed, and every
    /// membership change (a group's member may be nobody of the feed).
    pub(crate) fn beyond_the_feed_done(&self, plan: &Plan) -> bool {
        self.members_not_done.is_empty()
            && (plan.deactivations.iter())
                .filter(|d| d.reason == crate::Reason::AbsentFromFeed)
                .all(|d| self.done.contains(&d.id))
    }

    /// Whether an account needs nothing more: its deactivation ended done,
    /// or none was planned.
    pub(crate) fn deactivated_or_untouched(&self, id: &str) -> bool {
        !self.planned.contains(id) || self.done.contains(id)
    }
}
