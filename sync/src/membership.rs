//! Group membership: add, remove or set members with one minimal PATCH,
//! guarded by the group's version.

use super::update::{Updated, conditional_patch};
use super::wire::Wire;
use crate::Error;
use scim_sdk::Client;
use scim_sdk::models::{ScimV2Group, ScimV2PatchRequest};
use serde_json::{Value, json};

/// The PATCH that adds `add` and removes `remove` from `group`, skipping
/// what already holds; `None` when nothing is left to do.
pub(crate) fn membership_patch(
    group: &ScimV2Group,
    add: &[String],
    remove: &[String],
) -> Option<ScimV2PatchRequest> {
    let mut new: Vec<Value> = Vec::new();
    for id in add {
        if !group.has_member(id)
            && !remove.contains(id)
            && !new.iter().any(|v| v["value"] == id.as_str())
        {
            new.push(json!({ "value": id }));
        }
    }
    let mut patch = ScimV2PatchRequest::patch_op();
    if !new.is_empty() {
        patch = patch.add("members", Value::Array(new));
    }
    for id in remove.iter().filter(|id| group.has_member(id)) {
        patch = patch.remove(format!("members[value eq {}]", Value::String(id.clone())));
    }
    let any = patch.operations.as_ref().is_some_and(|ops| !ops.is_empty());
    any.then_some(patch)
}

fn ids<I, S>(ids: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    ids.into_iter()
        .map(|s| s.as_ref().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Adds users (by id) to a group: one PATCH with those not yet members,
/// guarded by the group's version; nothing is sent when all are members.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let sales = client.find_group_by_name("Sales")?.and_then(|g| g.id).unwrap_or_default();
/// scim_sync::add_members(client, &sales, ["8f2b…", "77aa…"])?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`update_group`](crate::update_group); an unknown user id is
/// refused by the server.
pub fn add_members<I, S>(
    client: &Client,
    group_id: &str,
    user_ids: I,
) -> Result<Updated<ScimV2Group>, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let add = ids(user_ids);
    conditional_patch(&Wire::new(client), group_id, None, |g| {
        Ok(membership_patch(g, &add, &[]))
    })
}

/// Removes users (by id) from a group: one PATCH naming those that are
/// members; nothing is sent when none is.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// scim_sync::remove_members(client, "0c1d…", ["8f2b…"])?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`update_group`](crate::update_group).
pub fn remove_members<I, S>(
    client: &Client,
    group_id: &str,
    user_ids: I,
) -> Result<Updated<ScimV2Group>, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let remove = ids(user_ids);
    conditional_patch(&Wire::new(client), group_id, None, |g| {
        Ok(membership_patch(g, &[], &remove))
    })
}

/// Makes the group's members exactly `user_ids`: one PATCH adding the
/// missing and removing the extra members.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::set_members(client, "0c1d…", ["8f2b…", "77aa…"])?;
/// assert_eq!(done.resource.member_ids().count(), 2);
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`update_group`](crate::update_group).
pub fn set_members<I, S>(
    client: &Client,
    group_id: &str,
    user_ids: I,
) -> Result<Updated<ScimV2Group>, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let wanted = ids(user_ids);
    conditional_patch(&Wire::new(client), group_id, None, |g: &ScimV2Group| {
        let extra: Vec<String> = g
            .member_ids()
            .filter(|m| !wanted.iter().any(|w| w == m))
            .map(str::to_owned)
            .collect();
        Ok(membership_patch(g, &wanted, &extra))
    })
}
