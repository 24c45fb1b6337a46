//! `--managed-groups`: a person's memberships among these groups follow
//! the feed's groups cell; memberships in any other group are never
//! touched, so groups assigned by hand stay.

use crate::error::Error;
use crate::people::{Column, PeopleFile};
use scim_sync::{Desired, DesiredUser, Memberships};
use std::path::Path;

/// Refuses managed groups for a file that gives no groups column: every
/// member of those groups would be taken out of them. `option` names where
/// the groups came from (`--managed-groups`, or `managed_groups` of the
/// mapping `map`).
pub fn refuse_without_groups(
    file: &PeopleFile,
    managed: &[String],
    map: Option<&Path>,
    option: &str,
) -> Result<(), Error> {
    if managed.is_empty() || file.columns.contains(&Column::GROUPS) {
        return Ok(());
    }
    let (given, fix) = match map {
        Some(map) => (
            format!("{option} of {} names", map.display()),
            "map an export column to `groups` under [columns], or take out managed_groups",
        ),
        None => (
            format!("{option} names"),
            "add a groups column (an empty cell there means \"in none of them\"), \
             or leave out --managed-groups",
        ),
    };
    Err(Error::Usage(format!(
        "{given} {}, but {} gives no groups column, so every member of those groups \
         would be removed from them: {fix}. Nothing was sent",
        managed.join(", "),
        file.source,
    )))
}

/// Turns each person's groups cell into memberships of the managed groups
/// (an empty cell is "in none of them"), and leaves every other group
/// alone. Returns the memberships and a warning per group name a cell
/// gives that is not managed (it is ignored).
pub fn memberships(users: &mut [DesiredUser], managed: &[String]) -> (Memberships, Vec<String>) {
    let mut out: Memberships = managed.iter().map(|g| (g.clone(), Vec::new())).collect();
    let mut ignored: Vec<String> = Vec::new();
    for user in users.iter_mut() {
        let names = match std::mem::take(&mut user.groups) {
            Desired::Set(names) => names,
            Desired::Keep | Desired::Clear => Vec::new(),
        };
        for name in names {
            match managed.iter().find(|m| m.eq_ignore_ascii_case(&name)) {
                Some(group) => out
                    .entry(group.clone())
                    .or_default()
                    .push(user.user_name().to_owned()),
                None if !ignored.iter().any(|i| i.eq_ignore_ascii_case(&name)) => {
                    ignored.push(name);
                }
                None => {}
            }
        }
    }
    let warnings = ignored
        .into_iter()
        .map(|g| format!("group `{g}` is not among the managed groups; the groups cells naming it are ignored for it"))
        .collect();
    (out, warnings)
}
