//! The writer of a group's item: each member is checked as a user write is
//! (the account is the one named, in every scope, or one this run
//! created), the group is read and written under its version, and what
//! became of each member is noted, so that a write done for some members
//! and not others is reported as such.

use super::rule::Names;
use super::writers::Try;
use crate::failure::ItemError;
use crate::membership::membership_patch;
use crate::plan::{Member, PlannedMembership};
use crate::progress::Outcome;
use crate::progress::{MemberChange, MemberResult, MemberStatus};
use crate::update::conditional_patch;
use crate::{Error, RefusalKind};
use scim_sdk::models::ScimV2Group;
use std::cell::RefCell;
use std::collections::HashSet;

/// A member of the item, resolved: its id, or why it is left out.
struct Resolved<'m> {
    member: &'m Member,
    change: MemberChange,
    id: Option<String>,
    refused: Option<Error>,
}

pub(crate) fn membership(t: &Try<'_>, m: &PlannedMembership) -> Result<Outcome, Error> {
    t.ledger.written(&m.group_id);
    let resolved = resolve(t, m)?;
    let ids = |change: MemberChange| -> Vec<String> {
        resolved
            .iter()
            .filter(|r| r.change == change && r.refused.is_none())
            .filter_map(|r| r.id.clone())
            .collect()
    };
    let (add, remove) = (ids(MemberChange::Add), ids(MemberChange::Remove));
    let Some(group) = t.view.group(&t.wire, &m.group_id, t.again)? else {
        let gone = Error::refused(
            RefusalKind::Drifted,
            vec![format!("group {}", m.group)],
            format!("group {} no longer exists: not written", m.group),
        );
        note(t, &resolved, &HashSet::new(), Some(&gone));
        return Err(gone);
    };
    // The members the last PATCH computed named: those it wrote.
    let sent: RefCell<HashSet<String>> = RefCell::default();
    let written = conditional_patch(&t.wire, &m.group_id, Some(group), |g: &ScimV2Group| {
        let patch = membership_patch(g, &add, &remove);
        *sent.borrow_mut() = add
            .iter()
            .chain(&remove)
            .filter(|id| g.has_member(id) != add.contains(id))
            .cloned()
            .collect();
        if patch.is_some() {
            t.rule.version(g.version(), m.version.as_deref())?;
        }
        Ok(patch)
    });
    let sent = sent.into_inner();
    match written {
        Ok(done) => {
            note(t, &resolved, &sent, None);
            if let Some(e) = resolved.iter().find_map(|r| r.refused.as_ref()) {
                return Err(half_done(m, &resolved, e));
            }
            Ok(t.outcome(done.changed, Outcome::Updated))
        }
        Err(e) => {
            note(t, &resolved, &HashSet::new(), Some(&e));
            Err(e)
        }
    }
}

/// Each member with its id, checked: a member this run was to create and
/// did not, or whose account is no longer the one named or has left the
/// scope, is refused and left out of the write.
fn resolve<'m>(t: &Try<'_>, m: &'m PlannedMembership) -> Result<Vec<Resolved<'m>>, Error> {
    let members = (m.add.iter().map(|x| (x, MemberChange::Add)))
        .chain(m.remove.iter().map(|x| (x, MemberChange::Remove)));
    let mut resolved = Vec::new();
    for (member, change) in members {
        let (id, refused) = match &member.id {
            Some(id) => (Some(id.clone()), check(t, member, id)?),
            None => match t.created_id(&member.user_name) {
                Some(id) => (Some(id), None),
                None => (
                    None,
                    Some(Error::refused(
                        RefusalKind::NotCreated,
                        vec![member.user_name.clone()],
                        format!("{} not created by this run", member.user_name),
                    )),
                ),
            },
        };
        resolved.push(Resolved {
            member,
            change,
            id,
            refused,
        });
    }
    Ok(resolved)
}

/// Why an existing member may not be written, if it may not: the rule of a
/// user write, on the member's account as just read.
fn check(t: &Try<'_>, member: &Member, id: &str) -> Result<Option<Error>, Error> {
    let names = Names {
        user_name: &member.user_name,
        external_id: None,
    };
    Ok(match t.view.user(&t.wire, id, t.again)? {
        None => Some(Error::refused(
            RefusalKind::Drifted,
            vec![member.user_name.clone()],
            format!("{} (id {id}) no longer exists", member.user_name),
        )),
        Some(account) => t.rule.user(&account, names).err(),
    })
}

/// Notes each member's fate: refused, failed with the group's write,
/// written by it, or found already as planned.
fn note(t: &Try<'_>, resolved: &[Resolved<'_>], sent: &HashSet<String>, failed: Option<&Error>) {
    for r in resolved {
        let status = match (&r.refused, failed, &r.id) {
            (Some(e), _, _) | (None, Some(e), _) => MemberStatus::Failed(ItemError::of(e)),
            (None, None, Some(id)) if sent.contains(id) || t.maybe_applied => MemberStatus::Done,
            _ => MemberStatus::Unchanged,
        };
        t.ledger.member(MemberResult {
            user_name: r.member.user_name.clone(),
            id: r.id.clone(),
            change: r.change,
            status,
        });
    }
}

/// The item's error when some members were written and others refused.
fn half_done(m: &PlannedMembership, resolved: &[Resolved<'_>], first: &Error) -> Error {
    let refused: Vec<String> = resolved
        .iter()
        .filter_map(|r| {
            Some(format!(
                "{} ({})",
                r.member.user_name,
                r.refused.as_ref()?.message()
            ))
        })
        .collect();
    let kind = first.refusal().map_or(RefusalKind::NotCreated, |r| r.kind);
    let done = resolved.len() - refused.len();
    Error::refused(
        kind,
        resolved
            .iter()
            .filter(|r| r.refused.is_some())
            .map(|r| r.member.user_name.clone())
            .collect(),
        format!(
            "group {}: {done} of {} members as planned; not done: {}",
            m.group,
            resolved.len(),
            refused.join(", ")
        ),
    )
}
