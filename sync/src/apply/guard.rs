//! What apply refuses a whole plan for, before it sends anything: items the
//! planner never makes, a scope wider than the caller's, and mass changes
//! (too many deactivations of the users in scope, too many members leaving
//! one group), counted on what was read from the org, never on the file.

use super::ApplyOptions;
use super::rule::Rule;
use crate::diff::Change;
use crate::matching::{external_id_key, user_name_key};
use crate::plan::PlannedUpdate;
use crate::snapshot::{Denominator, Snapshot};
use crate::{Error, Plan, Reason, RefusalKind};
use serde_json::Value;

/// Removals from one group below this many are never a mass change.
const GROUP_GUARD_FLOOR: usize = 5;

/// The checks that need no reading of the org.
pub(crate) fn check_offline(plan: &Plan, options: &ApplyOptions) -> Result<(), Error> {
    if let Some(within) = &options.within
        && !plan.scope.is_within(within)
    {
        return Err(Error::invalid_input(format!(
            "the plan's scope `{}` is wider than `{}`: a plan may narrow the scope, never \
             widen it; plan again with this scope",
            plan.scope.describe(),
            within.describe()
        )));
    }
    let planned = plan.deactivations.len();
    let rule = Rule::new(&plan.scope, options.within.as_ref(), false);
    if planned > 0 && !rule.deactivates() {
        // A saved plan edited, or made with another scope: refused whole.
        return Err(Error::invalid_input(format!(
            "the plan deactivates {planned} users, but its scope `{}` deactivates nobody",
            plan.scope.describe()
        )));
    }
    never_planned(plan)
}

/// Refuses a plan holding an item the planner never makes: it was edited
/// by hand, and nothing of it is sent.
fn never_planned(plan: &Plan) -> Result<(), Error> {
    let mut found: Vec<String> = Vec::new();
    for c in &plan.creates {
        if c.user.password.is_some() {
            found.push(format!("{}: a password", c.user_name));
        }
        if c.user.active == Some(false) {
            found.push(format!("{}: a create of an inactive user", c.user_name));
        }
    }
    for u in &plan.updates {
        found.extend(odd_changes(u, false));
    }
    for u in &plan.reactivations {
        found.extend(odd_changes(u, true));
    }
    if found.is_empty() {
        return Ok(());
    }
    let records = found
        .iter()
        .filter_map(|f| f.split(':').next())
        .map(str::to_owned)
        .collect();
    Err(Error::refused(
        RefusalKind::InvalidPlan,
        records,
        format!(
            "the plan holds what sync plan never writes ({}): it was edited; plan again. Nothing \
             was sent",
            found.join("; ")
        ),
    ))
}

/// What in an update (or a reactivation) the planner would never plan: a
/// password, `active` other than a reactivation's `true`, a rename the
/// row does not ask for (or asks without the externalId that matched it),
/// or taking over another externalId.
fn odd_changes(u: &PlannedUpdate, reactivation: bool) -> Vec<String> {
    let mut odd = Vec::new();
    let mut say = |what: &str| odd.push(format!("{}: {what}", u.user_name));
    if u.desired.password.is_some() {
        say("a password");
    }
    let wanted_active = u.desired.active.unwrap_or(true);
    if !wanted_active {
        say("`active` false in an update");
    }
    for c in &u.changes {
        let path = c.attribute.path();
        let lower = path.to_ascii_lowercase();
        if lower.contains("password") {
            say("a password");
        } else if lower == "active" && !(reactivation && c.after == Some(Value::Bool(true))) {
            say("`active` inside an update");
        } else if lower == "username" && !asked_rename(u, c) {
            say("a userName change its row does not ask for");
        } else if lower == "externalid" && value_text(&c.before).is_some() && !relinks(u, c) {
            say("a change of an externalId already set");
        }
    }
    // A rehire keeps the account's userName: the row matched it by that.
    let keeps_name =
        u.desired.user_name.as_deref().map(user_name_key) == Some(user_name_key(&u.user_name));
    if u.relink.is_some() && (u.reason != Reason::Rehire || !keeps_name) {
        say("a rehire that is not one");
    }
    odd
}

/// A change of an externalId already set is the planner's only for a
/// rehire the feed linked: from the old record's id to the row's.
fn relinks(u: &PlannedUpdate, c: &Change) -> bool {
    let Some(r) = &u.relink else {
        return false;
    };
    let to = external_id_key(Some(&r.to));
    value_text(&c.before).as_deref() == external_id_key(Some(&r.from))
        && value_text(&c.after).as_deref() == to
        && external_id_key(u.desired.external_id.as_deref()) == to
}

/// A rename is the row's when the row gives that userName and the
/// externalId it was matched by; a change of case alone is no rename.
fn asked_rename(u: &PlannedUpdate, c: &Change) -> bool {
    let wanted = u.desired.user_name.as_deref().map(user_name_key);
    let to = value_text(&c.after).map(|t| user_name_key(&t));
    if to.is_some() && to == value_text(&c.before).map(|t| user_name_key(&t)) {
        return to == wanted;
    }
    wanted.is_some() && wanted == to && external_id_key(u.desired.external_id.as_deref()).is_some()
}

fn value_text(v: &Option<Value>) -> Option<String> {
    v.as_ref()
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The mass-change guards, on `reading` (the org as read; a plan without
/// deactivations needs none) and on each group's member count, from the
/// reading or, for a group it lacks, from `members_of`.
pub(crate) fn check_with(
    plan: &Plan,
    options: &ApplyOptions,
    reading: Option<&Snapshot>,
    members_of: impl Fn(&str) -> Result<Option<usize>, Error>,
) -> Result<(), Error> {
    if options.allow_mass_deactivation {
        return Ok(());
    }
    if !plan.deactivations.is_empty() {
        let rule = Rule::new(&plan.scope, options.within.as_ref(), false);
        let in_scope = match reading.map(|r| (r, r.denominator)) {
            None => Some(0),
            Some((r, Denominator::Count)) => Some(
                r.users()
                    .iter()
                    .filter(|u| u.is_active() && rule.contains(u))
                    .count(),
            ),
            Some((_, Denominator::Known(n))) => Some(n),
            Some((_, Denominator::Named)) => None,
        };
        if let Some(in_scope) = in_scope {
            deactivations(plan.deactivations.len(), in_scope, options)?;
        }
    }
    for m in plan
        .memberships
        .iter()
        .filter(|m| m.remove.len() >= GROUP_GUARD_FLOOR)
    {
        let members = match reading.and_then(|r| r.group(&m.group_id)) {
            Some(group) => Some(group.member_ids().count()),
            None => members_of(&m.group_id)?,
        };
        group_removals(&m.group, m.remove.len(), members, options)?;
    }
    Ok(())
}

/// How many of `of` the ratio allows. The epsilon keeps a ratio such as
/// 0.29 (28.999… in binary) from allowing one fewer than the percentage says.
fn allowed(options: &ApplyOptions, of: usize) -> usize {
    (options.max_deactivation_ratio * of as f64 + 1e-9).floor() as usize
}

fn percent(options: &ApplyOptions) -> f64 {
    (options.max_deactivation_ratio * 100_000.0).round() / 1000.0
}

pub(crate) fn deactivations(
    planned: usize,
    in_scope: usize,
    options: &ApplyOptions,
) -> Result<(), Error> {
    if planned == 0 || planned <= allowed(options, in_scope) || options.allow_mass_deactivation {
        return Ok(());
    }
    Err(Error::refused(
        RefusalKind::MassDeactivation,
        Vec::new(),
        format!(
            "the plan deactivates {planned} of {in_scope} active in-scope users, more than the {}% \
             allowed; nothing was sent (allow mass deactivation to go ahead)",
            percent(options)
        ),
    ))
}

/// A group losing at least five members, and more than the ratio of them.
/// A group that cannot be read (deleted since) is left to its item.
pub(crate) fn group_removals(
    group: &str,
    removals: usize,
    members: Option<usize>,
    options: &ApplyOptions,
) -> Result<(), Error> {
    let Some(members) = members else {
        return Ok(());
    };
    if removals < GROUP_GUARD_FLOOR
        || removals <= allowed(options, members)
        || options.allow_mass_deactivation
    {
        return Ok(());
    }
    Err(Error::refused(
        RefusalKind::MassDeactivation,
        vec![format!("group {group}")],
        format!(
            "the plan removes {removals} of the {members} members of group {group}, more than the \
             {}% allowed; nothing was sent (check the groups column; allow mass deactivation to \
             go ahead)",
            percent(options)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_allows_up_to_the_ratio() {
        let options = ApplyOptions::default();
        assert!(deactivations(10, 100, &options).is_ok());
        assert!(deactivations(11, 100, &options).is_err());
        assert!(deactivations(1, 5, &options).is_err());
        let allow = options.clone().allow_mass_deactivation(true);
        assert!(deactivations(1, 5, &allow).is_ok());
        assert!(deactivations(0, 0, &options).is_ok());
    }

    #[test]
    fn the_guard_counts_a_percentage_exactly_and_names_it_plainly() {
        let options = ApplyOptions::default().max_deactivation_ratio(0.29);
        assert!(deactivations(29, 100, &options).is_ok(), "29% of 100 is 29");
        let refused = deactivations(30, 100, &options).expect_err("30 > 29");
        assert!(
            refused.to_string().contains("more than the 29% allowed"),
            "{refused}"
        );
        let seven = ApplyOptions::default().max_deactivation_ratio(0.07);
        let refused = deactivations(8, 100, &seven).expect_err("8 > 7");
        assert!(refused.to_string().contains("the 7% allowed"), "{refused}");
    }

    #[test]
    fn a_group_is_guarded_once_five_members_would_leave() {
        let options = ApplyOptions::default();
        assert!(
            group_removals("G", 4, Some(4), &options).is_ok(),
            "fewer than five"
        );
        assert!(
            group_removals("G", 5, Some(50), &options).is_ok(),
            "10% of 50"
        );
        let refused = group_removals("Support", 6, Some(50), &options).expect_err("12%");
        assert!(refused.is_mass_deactivation());
        assert!(refused.to_string().contains("group Support"), "{refused}");
        assert!(group_removals("G", 30, None, &options).is_ok(), "unread");
    }
}
