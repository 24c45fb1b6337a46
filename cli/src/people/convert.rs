//! From an org's user to a row of the people file.

use super::{Column, Desired, Person};
use scim_sdk::models::ScimV2User;
use std::collections::HashMap;

/// Names for the ids a user refers to: its manager and its groups.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// User id → userName.
    pub user_names: HashMap<String, String>,
    /// Group id → displayName.
    pub group_names: HashMap<String, String>,
}

/// The person a user is, with the attributes the people file carries.
/// Attributes the user lacks are left as [`Desired::Keep`], so the row changes
/// nothing when read back. The warnings name references that could not be
/// resolved, which are left out the same way. A user without a userName
/// gets an empty one: the writer still writes the row, and says why the
/// file will not read back.
pub fn person_from_user(user: &ScimV2User, directory: &Directory) -> (Person, Vec<String>) {
    let user_name = user.user_name.as_deref().unwrap_or_default();
    let mut warnings = Vec::new();
    let mut person = Person::new(user_name);
    person.active = user.is_active();
    for column in Column::all().filter(|c| c.is_value()) {
        if let Some(value) = column.export(user) {
            person.set(column, Desired::Set(value));
        }
    }
    if let Some(id) = user.manager_id().filter(|id| !id.is_empty()) {
        match directory.user_names.get(id) {
            Some(name) => person.manager = Desired::Set(name.clone()),
            None => warnings.push(format!(
                "{user_name}: manager {id} is not a user of the org; the manager cell is left empty"
            )),
        }
    }
    let mut groups = Vec::new();
    let mut unknown = Vec::new();
    for id in user.group_ids() {
        match directory.group_names.get(id) {
            Some(name) if !groups.contains(name) => groups.push(name.clone()),
            Some(_) => {}
            None => unknown.push(id),
        }
    }
    groups.sort();
    // A partial list would mean "member of these only", so an unknown group
    // leaves the whole cell empty rather than drop a membership.
    if !unknown.is_empty() {
        warnings.push(format!(
            "{user_name}: group {} is not in the group list; the groups cell is left empty",
            unknown.join(", ")
        ));
    } else if !groups.is_empty() {
        person.groups = Desired::Set(groups);
    }
    (person, warnings)
}
