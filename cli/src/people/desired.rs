//! From a row of the people file to what a sync wants of that person.

use super::Person;
use scim_sdk::models::ScimV2User;
use scim_sync::DesiredUser;

/// The desired user a person stands for: each cell kept, set or cleared,
/// the manager named by userName, and the groups cell managing the
/// person's memberships by group name.
pub fn desired_user(person: &Person) -> DesiredUser {
    let mut user = ScimV2User::new().with_user_name(person.user_name.as_str());
    user.active = Some(person.active);
    let mut desired = person
        .values()
        .fold(DesiredUser::new(user), |d, (column, cell)| {
            column.fill(d, cell)
        });
    desired.manager = person.manager.clone();
    desired.groups = person.groups.clone();
    desired
}
