//! From a row of the people file to what a sync wants of that person.

use super::{Cell, Person};
use scim_sdk::models::{ScimPhoneNumberType, ScimV2User};
use scim_sync::DesiredUser;

/// The desired user a person stands for. A kept cell leaves the attribute
/// unmanaged (`None`), a cleared one asks for its removal (an empty value),
/// the manager is named by userName, and the groups cell manages the
/// person's memberships by group name.
pub fn desired_user(person: &Person) -> DesiredUser {
    let mut user = ScimV2User::new().with_user_name(person.user_name.as_str());
    user.active = Some(person.active);
    user.display_name = wanted(&person.display_name);
    user.external_id = wanted(&person.external_id);
    user.title = wanted(&person.title);
    if let Some(v) = wanted(&person.department) {
        user = user.with_department(v);
    }
    if let Some(v) = wanted(&person.division) {
        user = user.with_division(v);
    }
    if let Some(v) = wanted(&person.employee_number) {
        user = user.with_employee_number(v);
    }
    if let Some(v) = wanted(&person.email) {
        user = user.with_work_email(v);
    }
    if let Some(v) = wanted(&person.phone) {
        user = user.with_phone(ScimPhoneNumberType::Work, v);
    }
    let mut desired = DesiredUser::new(user);
    if let Some(manager) = wanted(&person.manager) {
        desired = desired.with_manager(manager);
    }
    match &person.groups {
        Cell::Keep => desired,
        Cell::Set(names) => desired.with_groups(names.iter().cloned()),
        Cell::Clear => desired.with_groups(Vec::<String>::new()),
    }
}

/// The sync toolkit's convention: `None` leaves alone, `""` clears.
fn wanted(cell: &Cell<String>) -> Option<String> {
    match cell {
        Cell::Keep => None,
        Cell::Set(v) => Some(v.clone()),
        Cell::Clear => Some(String::new()),
    }
}
