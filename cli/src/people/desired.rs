//! From a row of the people file to what a sync wants of that person.

use super::{Cell, Person};
use scim_sdk::models::ScimV2User;
use scim_sync::{Desired, DesiredUser};

/// The desired user a person stands for: each cell kept, set or cleared,
/// the manager named by userName, and the groups cell managing the
/// person's memberships by group name.
pub fn desired_user(person: &Person) -> DesiredUser {
    let mut user = ScimV2User::new().with_user_name(person.user_name.as_str());
    user.active = Some(person.active);
    let mut desired = person
        .values()
        .fold(DesiredUser::new(user), |d, (column, cell)| {
            column.fill(d, &wanted(cell))
        });
    desired.manager = wanted(&person.manager);
    desired.groups = wanted(&person.groups);
    desired
}

/// A cell is exactly a desired value: keep, set or clear.
fn wanted<T: Clone>(cell: &Cell<T>) -> Desired<T> {
    match cell {
        Cell::Keep => Desired::Keep,
        Cell::Set(v) => Desired::Set(v.clone()),
        Cell::Clear => Desired::Clear,
    }
}
