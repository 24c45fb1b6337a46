//! Rows that stand for one account (one by userName, the other by
//! externalId, say): applied, each would undo the other. A plan refuses
//! them, or, when its feed asks (`Feed::leaving_out_conflicts`), leaves
//! both rows out and keeps that account and both rows' people out of its
//! scope, so that nothing is written for them, not even a deactivation.

use crate::desired::DesiredUser;
use crate::feed::old_records;
use crate::matching::{Key, Match, Org, user_name_key};
use crate::plan::Warning;
use crate::scope::Scope;
use crate::{Error, Exclusion, RefusalKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Two rows (by position, with how each matched) standing for the org
/// user at `index`.
pub(crate) struct Conflict {
    index: usize,
    first: (usize, Key),
    second: (usize, Key),
}

/// The refusal of a feed in which two rows stand for one account.
fn refusal(users: &[DesiredUser], org: &Org<'_>, c: &Conflict) -> Error {
    Error::refused(
        RefusalKind::InvalidFeed,
        [c.first.0, c.second.0]
            .iter()
            .map(|i| users[*i].named(i + 1))
            .collect(),
        format!(
            "{}: applied, each would undo the other; remove the stale row or correct its \
             userName or externalId",
            both_stand_for(users, org, c)
        ),
    )
}

/// What a plan is made of once each row's account is known.
pub(crate) struct Claimed {
    /// Each row's account (see [`claim_all`]).
    pub(crate) matches: Vec<Option<Match>>,
    /// The plan's scope: without the people and accounts of rows left out.
    pub(crate) scope: Scope,
    /// A warning for each row left out.
    pub(crate) left_out: Vec<Warning>,
}

/// The account each `planned` row stands for, refusing two rows that
/// stand for one; or, with `leave_out`, those rows left out (`None`), the
/// scope without their people and accounts, and a warning for each.
/// `others` are rows of the same feed not planned now (an incremental
/// run's unchanged rows, the rest of the file beside a plan of some
/// people): a planned row finding the account one of them finds is a
/// conflict, as it is in a plan of every row.
pub(crate) fn claim(
    planned: &[DesiredUser],
    others: &[&DesiredUser],
    org: &Org<'_>,
    scope: &Scope,
    leave_out: bool,
) -> Result<Claimed, Error> {
    let others = finding_an_account(others, org);
    let all: Cow<'_, [DesiredUser]> = match &others[..] {
        [] => Cow::Borrowed(planned),
        _ => Cow::Owned([planned, &others].concat()),
    };
    let users = &all[..];
    let (mut matches, mut conflicts) = claim_all(users, org);
    matches.truncate(planned.len());
    // Others among themselves are not this plan's to judge.
    conflicts.retain(|c| c.first.0 < planned.len() || c.second.0 < planned.len());
    if !leave_out {
        return match conflicts.first() {
            Some(c) => Err(refusal(users, org, c)),
            None => Ok(Claimed {
                matches,
                scope: scope.clone(),
                left_out: Vec::new(),
            }),
        };
    }
    let (scope, left_out) = leave_out_of(users, org, &conflicts, scope);
    Ok(Claimed {
        matches,
        scope,
        left_out,
    })
}

/// The scope without the people of conflicting rows and the accounts they
/// stand for, and a warning for each row.
fn leave_out_of(
    users: &[DesiredUser],
    org: &Org<'_>,
    conflicts: &[Conflict],
    scope: &Scope,
) -> (Scope, Vec<Warning>) {
    let mut exclusions = Vec::new();
    let mut warnings = Vec::new();
    for c in conflicts {
        let account = &org.users[c.index];
        exclusions.push(Exclusion::person(
            account.user_name.as_deref().unwrap_or_default(),
            account.external_id.as_deref(),
        ));
        let why = format!(
            "{}: both rows are left out, and that account is left alone",
            both_stand_for(users, org, c)
        );
        for i in [c.first.0, c.second.0] {
            let d = &users[i];
            exclusions.push(Exclusion::person(
                d.user_name(),
                d.user.external_id.as_deref(),
            ));
            warnings.push(
                Warning::new(why.clone())
                    .for_user(d.user_name())
                    .at(d.place(i + 1)),
            );
        }
    }
    (scope.clone().excluding_people(exclusions), warnings)
}

/// The rows of `others` whose userName is that of a row finding one of
/// the accounts read: the few that can conflict with a planned row, with
/// the rows beside them (an old record is known by its current row).
fn finding_an_account(others: &[&DesiredUser], org: &Org<'_>) -> Vec<DesiredUser> {
    let finds = |d: &DesiredUser| {
        let found = org.matching(d.user_name(), d.user.external_id.as_deref());
        matches!(found, Match::One { .. })
    };
    let names: HashSet<String> = (others.iter())
        .filter(|d| finds(d))
        .map(|d| user_name_key(d.user_name()))
        .collect();
    (others.iter())
        .filter(|d| names.contains(&user_name_key(d.user_name())))
        .map(|d| (*d).clone())
        .collect()
}

/// The org account each row stands for (`None` for a row that plans
/// nothing of its own: an old record beside the current row, an inactive
/// row whose account another inactive row already deactivates, or a row
/// of a conflict), and the conflicts, in the order of their rows.
pub(crate) fn claim_all(
    users: &[DesiredUser],
    org: &Org<'_>,
) -> (Vec<Option<Match>>, Vec<Conflict>) {
    let old = old_records(users);
    let mut claimed: HashMap<usize, (usize, Key)> = HashMap::new();
    let mut matches = Vec::with_capacity(users.len());
    let mut conflicts = Vec::new();
    for (i, d) in users.iter().enumerate() {
        if old[i].is_some() {
            matches.push(None);
            continue;
        }
        let found = org.matching(d.user_name(), d.user.external_id.as_deref());
        if let Match::One { index, by, .. } = &found
            && let Some((first, first_by)) = claimed.insert(*index, (i, *by))
        {
            let inactive = |d: &DesiredUser| d.user.active == Some(false);
            if inactive(d) && inactive(&users[first]) {
                // Both only deactivate it: the first speaks for both.
                claimed.insert(*index, (first, first_by));
                matches.push(None);
                continue;
            }
            conflicts.push(Conflict {
                index: *index,
                first: (first, first_by),
                second: (i, *by),
            });
        }
        matches.push(Some(found));
    }
    for c in &conflicts {
        matches[c.first.0] = None;
        matches[c.second.0] = None;
    }
    (matches, conflicts)
}

/// `rows A and B both stand for the org user U (A by externalId E, B by
/// userName)`.
fn both_stand_for(users: &[DesiredUser], org: &Org<'_>, c: &Conflict) -> String {
    let at = |i: usize| users[i].place(i + 1);
    let how = |(i, by): (usize, Key)| match by {
        Key::ExternalId => format!(
            "{} by externalId {}",
            at(i),
            users[i]
                .user
                .external_id
                .as_deref()
                .unwrap_or_default()
                .trim()
        ),
        Key::UserName => format!("{} by userName", at(i)),
    };
    format!(
        "rows {} and {} both stand for the org user {} ({}, {})",
        at(c.first.0),
        at(c.second.0),
        org.user_name(c.index),
        how(c.first),
        how(c.second)
    )
}
