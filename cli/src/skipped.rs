//! `--skip-invalid-rows`: the bad rows are reported and left out, and the
//! people they name are left alone, never deactivated as absent.

use crate::people::{InputError, PeopleFile};
use crate::render::escape_for_terminal;
use scim_sync::Plan;

/// Prints each skipped row's problems on stderr.
pub fn report(file: &PeopleFile) {
    if file.skipped.is_empty() {
        return;
    }
    let problems = InputError {
        source: file.source.clone(),
        sheet: file.sheet.clone(),
        problems: file.skipped_problems.clone(),
    };
    for line in problems.to_string().lines() {
        eprintln!("skipped: {}", escape_for_terminal(line));
    }
    eprintln!(
        "{}: {} rows skipped; their people are left as they are",
        file.source,
        file.skipped.len()
    );
}

/// Takes out of the plan every deactivation and membership change of the
/// people whose rows were skipped: the file names them, so they are not
/// absent from it.
pub fn leave_alone(plan: &mut Plan, user_names: &[String]) {
    if user_names.is_empty() {
        return;
    }
    let skipped = |name: &str| user_names.iter().any(|u| u.eq_ignore_ascii_case(name));
    plan.deactivations.retain(|d| !skipped(&d.user_name));
    for m in &mut plan.memberships {
        m.add.retain(|x| !skipped(&x.user_name));
        m.remove.retain(|x| !skipped(&x.user_name));
    }
    plan.memberships
        .retain(|m| !m.add.is_empty() || !m.remove.is_empty());
}
