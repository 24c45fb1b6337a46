//! The smallest PATCH that turns a current resource into a desired one.
//!
//! The rules, stated once on [`diff_user`] so that docs.rs shows them,
//! hold for every function here.

use crate::{Attribute, Error};
use scim_sdk::models::{ScimV2CreateUser, ScimV2Group, ScimV2PatchRequest, ScimV2User};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a PATCH operation does to its path.
///
/// ```
/// use scim_sync::ChangeOp;
/// assert_eq!(serde_json::to_value(ChangeOp::Replace).unwrap(), "replace");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ChangeOp {
    /// The attribute or element is missing and is created.
    Add,
    /// The attribute exists and gets a new value.
    Replace,
    /// The attribute or element is removed.
    Remove,
}

/// One attribute change: a PATCH operation with the value before and after.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{user_changes, ChangeOp};
/// let current = ScimV2User::new().with_title("Agent");
/// let desired = ScimV2User::new().with_title("Team lead");
/// let changes = user_changes(&current, &desired);
/// assert_eq!(changes[0].op, ChangeOp::Replace);
/// assert_eq!(changes[0].attribute.path(), "title");
/// assert_eq!(changes[0].before, Some("Agent".into()));
/// assert_eq!(changes[0].after, Some("Team lead".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Change {
    /// The operation.
    pub op: ChangeOp,
    /// The attribute, which renders to the SCIM path (`title`,
    /// `emails[type eq "work"].value`, …); serialized as `path`.
    #[serde(rename = "path")]
    pub attribute: Attribute,
    /// The value before (absent for `add`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value sent (absent for `remove`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// A readable rendering of the change where the values are ids, e.g.
    /// `alice@example.com -> bob@example.com` for a manager. Never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

const IGNORED: &[&str] = &["id", "meta", "groups", "schemas", "password"];

/// The changes that turn `current` into `desired` (see the module docs for
/// what `desired` means). Empty when there is nothing to do.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// let current = ScimV2User::new().with_user_name("jane@example.com").with_title("Agent");
/// // Only the title is managed; the empty department clears it.
/// let desired = ScimV2User::new().with_title("Agent").with_department("");
/// assert!(scim_sync::user_changes(&current, &desired).is_empty());
/// ```
pub fn user_changes(current: &ScimV2User, desired: &ScimV2User) -> Vec<Change> {
    changes(&to_object(current), &to_object(desired))
}

/// The changes that turn group `current` into `desired`: `displayName`,
/// `externalId` and, when `desired` sets them, `members`.
///
/// ```
/// use scim_sdk::models::{ScimV2Group, ScimV2MemberReference};
/// let member = |id: &str| ScimV2MemberReference::new().with_value(id);
/// let current = ScimV2Group::new("Sales").with_members(vec![member("a"), member("b")]);
/// let desired = ScimV2Group::new("Sales").with_members(vec![member("b"), member("c")]);
/// let paths: Vec<_> = scim_sync::group_changes(&current, &desired)
///     .into_iter().map(|c| c.attribute.path()).collect();
/// assert_eq!(paths, ["members", r#"members[value eq "a"]"#]);
/// ```
pub fn group_changes(current: &ScimV2Group, desired: &ScimV2Group) -> Vec<Change> {
    changes(&to_object(current), &to_object(desired))
}

/// The minimal PATCH request turning user `current` into `desired`, or
/// `None` when they agree on every attribute `desired` sets.
///
/// # What the desired resource means
///
/// The same for [`diff_group`], [`user_changes`] and [`group_changes`], and
/// for the desired users of [`ensure_user`](crate::ensure_user),
/// [`update_user`](crate::update_user) and a sync:
/// - **Unset is unmanaged.** An attribute the desired resource leaves `None`
///   is never touched, so a role or skill the sync does not manage survives.
/// - **Empty clears.** An empty string removes the attribute
///   (`with_title("")`); a typed element whose `value` is empty removes that
///   element (an empty work email removes the work email); a complex
///   attribute whose fields are all empty (`manager` with an empty `value`)
///   is removed; an empty list removes the whole attribute.
/// - **Typed lists are keyed by `type`.** Emails, phone numbers and
///   addresses are matched by `type`: a missing element is created with
///   `add`, an existing one has its changed fields replaced, and elements of
///   other types are left alone. Give one element per type.
/// - **Other lists** (roles, routing skills, external ids) are compared as
///   sets and replaced as a whole when they differ. A group's `members` are
///   the exception: missing members are added and extra ones removed one by
///   one, so the PATCH stays small.
/// - **Complex attributes** such as `manager` are replaced by exactly what
///   the desired resource sets (`{"value": id}` for a manager).
/// - **Extensions** are compared attribute by attribute, with URN-qualified
///   paths such as `urn:…:enterprise:2.0:User:department`.
/// - **Ignored:** `id`, `meta`, `groups` and `schemas` (read-only or set by
///   the server) and `password` (never returned, so it cannot be compared).
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::diff_user;
/// let current = ScimV2User::new().with_work_email("old@example.com").with_title("Agent");
/// let desired = ScimV2User::new().with_work_email("new@example.com");
/// let patch = diff_user(&current, &desired).expect("the email changed");
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap()["Operations"],
///     serde_json::json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "new@example.com"}])
/// );
/// assert_eq!(diff_user(&desired, &desired), None);
/// ```
pub fn diff_user(current: &ScimV2User, desired: &ScimV2User) -> Option<ScimV2PatchRequest> {
    to_patch(&user_changes(current, desired))
}

/// The minimal PATCH request turning group `current` into `desired`, or `None`.
///
/// ```
/// use scim_sdk::models::ScimV2Group;
/// let current = ScimV2Group::new("Sales");
/// assert!(scim_sync::diff_group(&current, &ScimV2Group::new("Sales EMEA")).is_some());
/// assert!(scim_sync::diff_group(&current, &current).is_none());
/// ```
pub fn diff_group(current: &ScimV2Group, desired: &ScimV2Group) -> Option<ScimV2PatchRequest> {
    to_patch(&group_changes(current, desired))
}

/// The PATCH request carrying `changes`, or `None` for no changes.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{to_patch, user_changes};
/// let changes = user_changes(&ScimV2User::new(), &ScimV2User::new().with_title("Agent"));
/// let patch = to_patch(&changes).expect("one change");
/// assert_eq!(patch.operations.map(|ops| ops.len()), Some(1));
/// ```
pub fn to_patch(changes: &[Change]) -> Option<ScimV2PatchRequest> {
    if changes.is_empty() {
        return None;
    }
    let mut patch = ScimV2PatchRequest::patch_op();
    for c in changes {
        let value = c.after.clone().unwrap_or(Value::Null);
        patch = match c.op {
            ChangeOp::Add => patch.add(c.attribute.path(), value),
            ChangeOp::Replace => patch.replace(c.attribute.path(), value),
            ChangeOp::Remove => patch.remove(c.attribute.path()),
        };
    }
    Some(patch)
}

/// The create body for a desired user: what it sets, minus the empty
/// values that mean "clear" (there is nothing to clear on a new user) and
/// the read-only attributes.
pub(crate) fn create_body(desired: &ScimV2User) -> Result<ScimV2CreateUser, Error> {
    let mut value = Value::Object(to_object(desired));
    prune(&mut value);
    if let Value::Object(map) = &mut value {
        for key in ["id", "meta", "groups"] {
            map.remove(key);
        }
    }
    serde_json::from_value(value)
        .map_err(|e| Error::invalid_input(format!("the desired user cannot be sent: {e}")))
}

fn to_object<T: Serialize>(resource: &T) -> Map<String, Value> {
    match serde_json::to_value(resource) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn changes(current: &Map<String, Value>, desired: &Map<String, Value>) -> Vec<Change> {
    let mut out = Vec::new();
    for (key, want) in desired {
        if IGNORED.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            continue;
        }
        let have = present(current.get(key));
        match want {
            // An extension: compare its attributes one by one.
            Value::Object(fields) if key.starts_with("urn:") => {
                let empty = Map::new();
                let have = have.and_then(Value::as_object).unwrap_or(&empty);
                for (field, want) in fields {
                    let attribute = Attribute::Extension {
                        schema: key.clone(),
                        name: field.clone(),
                    };
                    let want = keep_immutable_ids(key, field, have.get(field), want);
                    value_changes(&attribute, field, present(have.get(field)), &want, &mut out);
                }
            }
            _ => value_changes(&Attribute::Core(key.clone()), key, have, want, &mut out),
        }
    }
    out
}

/// The authority of the external id Genesys keeps for itself: immutable.
const IMMUTABLE_AUTHORITY: &str = "x-pc:scimv2:v1";

/// The Genesys `externalIds` to want: the desired ones, less any entry of
/// Genesys' own authority, plus the current entries of that authority, so
/// the list replaced never writes or removes it.
fn keep_immutable_ids(schema: &str, field: &str, have: Option<&Value>, want: &Value) -> Value {
    let own = |v: &&Value| {
        v.get("authority")
            .and_then(Value::as_str)
            .is_some_and(|a| a.starts_with(IMMUTABLE_AUTHORITY))
    };
    if schema != scim_sdk::schemas::GENESYS_USER || field != "externalIds" {
        return want.clone();
    }
    let Some(wanted) = want.as_array() else {
        return want.clone();
    };
    let kept = have
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(own);
    let mine = wanted.iter().filter(|v| !own(v));
    Value::Array(kept.chain(mine).cloned().collect())
}

/// `None` for values that mean "not there": null, "", [] and {}.
fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    })
}

fn change(
    op: ChangeOp,
    attribute: Attribute,
    before: Option<&Value>,
    after: Option<Value>,
) -> Change {
    Change {
        op,
        attribute,
        before: before.cloned(),
        after,
        note: None,
    }
}

fn value_changes(
    attribute: &Attribute,
    key: &str,
    have: Option<&Value>,
    want: &Value,
    out: &mut Vec<Change>,
) {
    let set = |op| if have.is_some() { op } else { ChangeOp::Add };
    match want {
        Value::Null => {}
        _ if present(Some(want)).is_none() => {
            if have.is_some() {
                out.push(change(ChangeOp::Remove, attribute.clone(), have, None));
            }
        }
        Value::Array(items) if key == "members" => member_changes(attribute, have, items, out),
        Value::Array(items)
            if items
                .iter()
                .all(|i| i.get("type").is_some_and(Value::is_string)) =>
        {
            let have = have
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            typed_changes(&attribute.path(), have, items, out);
        }
        Value::Array(items) => {
            let have_items = have
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if !same_elements(have_items, items) {
                out.push(change(
                    set(ChangeOp::Replace),
                    attribute.clone(),
                    have,
                    Some(want.clone()),
                ));
            }
        }
        Value::Object(fields) => complex_changes(attribute, have, fields, out),
        _ => {
            if have != Some(want) {
                out.push(change(
                    set(ChangeOp::Replace),
                    attribute.clone(),
                    have,
                    Some(want.clone()),
                ));
            }
        }
    }
}

/// Multi-valued attributes keyed by `type`: one path per element and field.
fn typed_changes(name: &str, have: &[Value], want: &[Value], out: &mut Vec<Change>) {
    let mut seen: Vec<&Value> = Vec::new();
    for element in want {
        let (Some(kind), Some(fields)) = (element.get("type"), element.as_object()) else {
            continue;
        };
        if seen.contains(&kind) {
            continue;
        }
        seen.push(kind);
        let element = |field: Option<&str>| Attribute::Typed {
            name: name.to_owned(),
            kind: kind
                .as_str()
                .map_or_else(|| kind.to_string(), str::to_owned),
            field: field.map(str::to_owned),
        };
        let existing = have.iter().find(|e| e.get("type") == Some(kind));
        if fields.get("value").is_some_and(|v| v == "") {
            if existing.is_some() {
                out.push(change(ChangeOp::Remove, element(None), existing, None));
            }
            continue;
        }
        for (field, want) in fields.iter().filter(|(f, _)| *f != "type") {
            let have = present(existing.and_then(|e| e.get(field)));
            if present(Some(want)).is_none() {
                if want.is_string() && have.is_some() {
                    out.push(change(ChangeOp::Remove, element(Some(field)), have, None));
                }
            } else if have != Some(want) {
                let op = if existing.is_some() {
                    ChangeOp::Replace
                } else {
                    ChangeOp::Add
                };
                out.push(change(op, element(Some(field)), have, Some(want.clone())));
            }
        }
    }
}

/// A group's members: add the missing ones in one operation, remove the
/// extra ones one by one (a value filter names each).
fn member_changes(
    attribute: &Attribute,
    have: Option<&Value>,
    want: &[Value],
    out: &mut Vec<Change>,
) {
    let ids = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .filter_map(|m| m.get("value").and_then(Value::as_str))
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let have_ids = ids(have
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default());
    let want_ids = ids(want);
    let mut missing: Vec<Value> = Vec::new();
    for id in &want_ids {
        if !have_ids.contains(id) && !missing.iter().any(|m| m["value"] == id.as_str()) {
            missing.push(serde_json::json!({ "value": id }));
        }
    }
    if !missing.is_empty() {
        out.push(change(
            ChangeOp::Add,
            attribute.clone(),
            None,
            Some(Value::Array(missing)),
        ));
    }
    for id in have_ids.iter().filter(|id| !want_ids.contains(id)) {
        let before = serde_json::json!({ "value": id });
        out.push(change(
            ChangeOp::Remove,
            Attribute::Member(id.clone()),
            Some(&before),
            None,
        ));
    }
}

/// A single complex attribute (e.g. `manager`): replaced by exactly the
/// non-empty fields `desired` sets, or removed when it sets only empty ones.
fn complex_changes(
    attribute: &Attribute,
    have: Option<&Value>,
    want: &Map<String, Value>,
    out: &mut Vec<Change>,
) {
    let wanted: Map<String, Value> = want
        .iter()
        .filter(|(_, v)| present(Some(v)).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if wanted.is_empty() {
        if have.is_some() {
            out.push(change(ChangeOp::Remove, attribute.clone(), have, None));
        }
        return;
    }
    let differs = wanted
        .iter()
        .any(|(k, v)| have.and_then(|h| h.get(k)) != Some(v));
    if differs {
        let op = if have.is_some() {
            ChangeOp::Replace
        } else {
            ChangeOp::Add
        };
        out.push(change(
            op,
            attribute.clone(),
            have,
            Some(Value::Object(wanted)),
        ));
    }
}

fn same_elements(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

/// Drops what means "clear" from a value about to be created.
fn prune(value: &mut Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => {
            items.retain_mut(|item| {
                let cleared = item.get("value").is_some_and(|v| v == "");
                !cleared && prune(item)
            });
            !items.is_empty()
        }
        Value::Object(map) => {
            map.retain(|_, v| prune(v));
            !map.is_empty()
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scim_sdk::models::{Manager, ScimPhoneNumberType, ScimUserRole, ScimV2EnterpriseUser};
    use serde_json::json;

    fn ops(current: &ScimV2User, desired: &ScimV2User) -> Value {
        diff_user(current, desired)
            .map(|p| serde_json::to_value(p).unwrap()["Operations"].clone())
            .unwrap_or(json!([]))
    }

    #[test]
    fn genesys_own_external_id_is_never_written_or_removed() {
        use scim_sdk::models::{ScimGenesysUserExternalId as Id, ScimUserExtensions};
        let with = |ids: Vec<Id>| {
            ScimV2User::new().with_genesys_user(ScimUserExtensions::new().with_external_ids(ids))
        };
        let own = Id::new("x-pc:scimv2:v1:abc", "u-1");
        let current = with(vec![own.clone(), Id::new("hr", "1")]);
        let path = format!("{}:externalIds", scim_sdk::schemas::GENESYS_USER);
        // Not listed: kept. Listed with another value: not written.
        assert_eq!(ops(&current, &with(vec![Id::new("hr", "1")])), json!([]));
        assert_eq!(
            ops(
                &current,
                &with(vec![
                    Id::new("x-pc:scimv2:v1:abc", "other"),
                    Id::new("hr", "2")
                ])
            ),
            json!([{"op": "replace", "path": path, "value": [
                {"authority": "x-pc:scimv2:v1:abc", "value": "u-1"},
                {"authority": "hr", "value": "2"}]}])
        );
        // Cleared: every entry but Genesys' own goes.
        assert_eq!(
            ops(&current, &with(vec![])),
            json!([{"op": "replace", "path": path, "value": [
                {"authority": "x-pc:scimv2:v1:abc", "value": "u-1"}]}])
        );
    }

    #[test]
    fn extension_attributes_get_urn_qualified_paths() {
        let current = ScimV2User::new()
            .with_department("Care")
            .with_division("Home");
        let desired = ScimV2User::new()
            .with_department("Sales")
            .with_employee_number("E-1");
        let ent = scim_sdk::schemas::ENTERPRISE_USER;
        assert_eq!(
            ops(&current, &desired),
            json!([
                {"op": "replace", "path": format!("{ent}:department"), "value": "Sales"},
                {"op": "add", "path": format!("{ent}:employeeNumber"), "value": "E-1"},
            ])
        );
    }

    #[test]
    fn a_manager_is_sent_as_its_value_only() {
        let mut current = ScimV2User::new();
        current.enterprise_user = Some(
            ScimV2EnterpriseUser::new().with_manager(
                Manager::new()
                    .with_value("old")
                    .with_ref("https://x/users/old"),
            ),
        );
        let desired = ScimV2User::new().with_manager_id("new");
        let ent = scim_sdk::schemas::ENTERPRISE_USER;
        assert_eq!(
            ops(&current, &desired),
            json!([{"op": "replace", "path": format!("{ent}:manager"), "value": {"value": "new"}}])
        );
        let cleared = ScimV2User::new().with_manager_id("");
        assert_eq!(
            ops(&current, &cleared),
            json!([{"op": "remove", "path": format!("{ent}:manager")}])
        );
        assert_eq!(ops(&ScimV2User::new(), &cleared), json!([]));
    }

    #[test]
    fn typed_elements_are_added_replaced_or_removed_by_type() {
        let current = ScimV2User::new()
            .with_phone(ScimPhoneNumberType::Work, "+1")
            .with_phone(ScimPhoneNumberType::Home, "+2");
        let desired = ScimV2User::new()
            .with_phone(ScimPhoneNumberType::Work, "+10")
            .with_phone(ScimPhoneNumberType::Mobile, "+3")
            .with_phone(ScimPhoneNumberType::Home, "");
        assert_eq!(
            ops(&current, &desired),
            json!([
                {"op": "replace", "path": "phoneNumbers[type eq \"work\"].value", "value": "+10"},
                {"op": "add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+3"},
                {"op": "remove", "path": "phoneNumbers[type eq \"home\"]"},
            ])
        );
    }

    #[test]
    fn unmanaged_and_read_only_attributes_are_left_alone() {
        let current: ScimV2User = serde_json::from_value(json!({
            "id": "1", "userName": "a@b.c", "title": "Agent",
            "roles": [{"value": "admin"}], "meta": {"version": "\"2\""},
            "groups": [{"value": "g"}], "x-custom": 1
        }))
        .unwrap();
        let mut desired = ScimV2User::new().with_title("Agent");
        desired.id = Some("other".into());
        desired.groups = Some(Vec::new());
        assert_eq!(diff_user(&current, &desired), None);
    }

    #[test]
    fn other_lists_are_compared_as_sets_and_replaced_whole() {
        let role = |r: &str| ScimUserRole::new().with_value(r);
        let current = ScimV2User::new().with_roles(vec![role("a"), role("b")]);
        assert_eq!(
            ops(
                &current,
                &ScimV2User::new().with_roles(vec![role("b"), role("a")])
            ),
            json!([])
        );
        assert_eq!(
            ops(&current, &ScimV2User::new().with_roles(vec![role("a")])),
            json!([{"op": "replace", "path": "roles", "value": [{"value": "a"}]}])
        );
        assert_eq!(
            ops(&current, &ScimV2User::new().with_roles(Vec::new())),
            json!([{"op": "remove", "path": "roles"}])
        );
    }

    #[test]
    fn create_bodies_leave_out_clears() {
        let desired = ScimV2User::new()
            .with_user_name("a@b.c")
            .with_title("")
            .with_work_email("")
            .with_phone(ScimPhoneNumberType::Work, "+1")
            .with_manager_id("");
        let body = serde_json::to_value(create_body(&desired).unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"userName": "a@b.c", "phoneNumbers": [{"type": "work", "value": "+1"}]})
        );
    }
}
