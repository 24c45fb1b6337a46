//! In-memory resources: the store and its indexes, input normalization and
//! validation, and rendering to the wire shape.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::filter::Pred;
use crate::http::Reply;
use crate::record::Record;
use crate::schema::{
    Attr, ENTERPRISE_URN, ERROR_URN, GENESYS_URN, GROUP_URN, ResourceDef, USER_URN, find_attr,
};
use crate::table::{SeqList, Table};
use crate::text::{encode_segment, strip_prefix_ci};

/// An error answer: HTTP status, optional SCIM error type and a message.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ScimError {
    pub status: u16,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub(crate) fn new(
        status: u16,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }
    pub(crate) fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        ScimError::new(400, Some(scim_type), detail)
    }
    pub(crate) fn not_found(detail: impl Into<String>) -> Self {
        ScimError::new(404, None, detail)
    }
    /// The answer carrying this error.
    pub(crate) fn reply(&self) -> Reply {
        Reply::scim(self.status, &self.body())
    }
    /// The SCIM error body.
    pub(crate) fn body(&self) -> Value {
        error_body(self.status, self.scim_type, &self.detail)
    }
}

/// A SCIM error body, status as a string as Genesys sends it.
pub(crate) fn error_body(status: u16, scim_type: Option<&str>, detail: &str) -> Value {
    let mut v = json!({
        "schemas": [ERROR_URN],
        "status": status.to_string(),
        "detail": detail,
    });
    if let (Some(t), Some(m)) = (scim_type, v.as_object_mut()) {
        m.insert("scimType".into(), Value::String(t.into()));
    }
    v
}

/// Everything the fake stores about users and groups, with the indexes that
/// keep a request's cost independent of how many users the org holds: a
/// create checks its userName and renders its groups without a scan.
///
/// Every change goes through the methods below, which keep the indexes in
/// step with the records.
#[derive(Debug, Default)]
pub(crate) struct Store {
    users: Table,
    groups: Table,
    /// userName folded to ASCII lower case → the users holding it, by
    /// sequence number. `seed_user` skips the uniqueness check, so a name
    /// can have several holders.
    user_names: HashMap<String, BTreeSet<u64>>,
    /// externalId → the users holding it, by sequence number.
    external_ids: HashMap<String, BTreeSet<u64>>,
    /// User id → the groups listing it as a member, by sequence number.
    groups_of: HashMap<String, BTreeSet<u64>>,
    /// Active users, and inactive ones, in creation order: a list page
    /// (which always chooses one of the two) is a slice of one of them.
    active_users: SeqList,
    inactive_users: SeqList,
}

/// Attributes pulled out of a request body that are not stored as data.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    pub id: Option<Value>,
    pub password: Option<String>,
}

/// A filter condition that names at most a few users through an index.
enum Lookup<'a> {
    Id(&'a str),
    UserName(&'a str),
    ExternalId(&'a str),
}

impl Lookup<'_> {
    /// The first indexed `eq` condition the predicate requires, if any.
    fn find(p: &Pred) -> Option<Lookup<'_>> {
        match p {
            Pred::Id(x) => Some(Lookup::Id(x)),
            Pred::UserName(x) => Some(Lookup::UserName(x)),
            Pred::ExternalId(x) => Some(Lookup::ExternalId(x)),
            Pred::All(all) => all.iter().find_map(Lookup::find),
            _ => None,
        }
    }
}

fn name_key(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// What the user indexes hold about one user.
struct UserKeys {
    user_name: Option<String>,
    external_id: Option<String>,
    active: bool,
}

impl UserKeys {
    fn of(rec: &Record) -> UserKeys {
        UserKeys {
            user_name: rec.user_name().map(name_key),
            external_id: rec.str_attr("externalId").map(str::to_owned),
            active: rec.active(),
        }
    }
}

/// Adds or removes `seq` under `key` in an index.
fn index(map: &mut HashMap<String, BTreeSet<u64>>, key: Option<&str>, seq: u64, add: bool) {
    let Some(key) = key else { return };
    if add {
        map.entry(key.to_owned()).or_default().insert(seq);
    } else if let Some(set) = map.get_mut(key) {
        set.remove(&seq);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

impl Store {
    /// Every user, oldest first, and lookups by id.
    pub(crate) fn users(&self) -> &Table {
        &self.users
    }

    /// Every group, oldest first, and lookups by id.
    pub(crate) fn groups(&self) -> &Table {
        &self.groups
    }

    /// Adds or removes a user's index entries.
    fn index_user(&mut self, keys: &UserKeys, seq: u64, add: bool) {
        index(&mut self.user_names, keys.user_name.as_deref(), seq, add);
        index(
            &mut self.external_ids,
            keys.external_id.as_deref(),
            seq,
            add,
        );
        let list = self.state_list(keys.active);
        if add {
            list.insert(seq);
        } else {
            list.remove(seq);
        }
    }

    /// Moves a changed user's index entries, touching only the keys that
    /// changed: moving a user between ordered lists shifts their tails.
    fn reindex_user(&mut self, before: &UserKeys, after: &UserKeys, seq: u64) {
        if before.user_name != after.user_name {
            index(
                &mut self.user_names,
                before.user_name.as_deref(),
                seq,
                false,
            );
            index(&mut self.user_names, after.user_name.as_deref(), seq, true);
        }
        if before.external_id != after.external_id {
            let ids = &mut self.external_ids;
            index(ids, before.external_id.as_deref(), seq, false);
            index(ids, after.external_id.as_deref(), seq, true);
        }
        if before.active != after.active {
            self.state_list(before.active).remove(seq);
            self.state_list(after.active).insert(seq);
        }
    }

    fn state_list(&mut self, active: bool) -> &mut SeqList {
        if active {
            &mut self.active_users
        } else {
            &mut self.inactive_users
        }
    }

    /// Stores a user, replacing the one with the same id where it stands.
    pub(crate) fn put_user(&mut self, rec: Record) {
        let keys = UserKeys::of(&rec);
        let (seq, old) = self.users.put(rec);
        match old {
            Some(old) => self.reindex_user(&UserKeys::of(&old), &keys, seq),
            None => self.index_user(&keys, seq, true),
        }
    }

    /// Changes a stored user with `change`; false if there is none with this id.
    pub(crate) fn update_user(&mut self, id: &str, change: impl FnOnce(&mut Record)) -> bool {
        let Some(seq) = self.users.seq(id) else {
            return false;
        };
        let Some(rec) = self.users.by_seq_mut(seq) else {
            return false;
        };
        let before = UserKeys::of(rec);
        change(rec);
        let after = UserKeys::of(rec);
        self.reindex_user(&before, &after, seq);
        true
    }

    /// Deletes a user and takes it out of every group (which counts as a
    /// change to the group). False if there is no user with this id.
    pub(crate) fn remove_user(&mut self, id: &str) -> bool {
        let Some(seq) = self.users.seq(id) else {
            return false;
        };
        if let Some(rec) = self.users.remove(id) {
            self.index_user(&UserKeys::of(&rec), seq, false);
        }
        for group in self.groups_of.remove(id).unwrap_or_default() {
            if let Some(g) = self.groups.by_seq_mut(group) {
                if let Some(Value::Array(members)) = g.data.get_mut("members") {
                    members.retain(|m| m.get("value").and_then(Value::as_str) != Some(id));
                }
                g.touch();
            }
        }
        true
    }

    /// Stores a group, replacing the one with the same id where it stands.
    pub(crate) fn put_group(&mut self, rec: Record) {
        let members = rec.member_ids();
        let (seq, old) = self.groups.put(rec);
        let before = old.map(|g| g.member_ids()).unwrap_or_default();
        self.index_members(&before, &members, seq);
    }

    /// Changes a stored group with `change`; false if there is none with this id.
    pub(crate) fn update_group(&mut self, id: &str, change: impl FnOnce(&mut Record)) -> bool {
        let Some(seq) = self.groups.seq(id) else {
            return false;
        };
        let Some(rec) = self.groups.by_seq_mut(seq) else {
            return false;
        };
        let before = rec.member_ids();
        change(rec);
        let after = rec.member_ids();
        self.index_members(&before, &after, seq);
        true
    }

    /// Moves group `seq`'s membership entries from `before` to `after`,
    /// touching only the members that changed.
    fn index_members(&mut self, before: &[String], after: &[String], seq: u64) {
        let old: HashSet<&str> = before.iter().map(String::as_str).collect();
        let new: HashSet<&str> = after.iter().map(String::as_str).collect();
        for gone in old.difference(&new) {
            index(&mut self.groups_of, Some(gone), seq, false);
        }
        for came in new.difference(&old) {
            index(&mut self.groups_of, Some(came), seq, true);
        }
    }

    /// The users a predicate can match, oldest first, when it requires an
    /// id, userName or externalId; `None` when every user must be checked.
    /// The caller still checks the whole predicate on each.
    fn user_candidates(&self, p: &Pred) -> Option<Vec<&Record>> {
        let seqs: Vec<u64> = match Lookup::find(p)? {
            Lookup::Id(id) => self.users.seq(id).into_iter().collect(),
            Lookup::UserName(name) => self
                .user_names
                .get(&name_key(name))
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default(),
            Lookup::ExternalId(x) => self
                .external_ids
                .get(x)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default(),
        };
        Some(
            seqs.into_iter()
                .filter_map(|s| self.users.by_seq(s))
                .collect(),
        )
    }

    /// One page of the users `pred` matches (`start` counts from 1), and
    /// how many it matches in all, oldest first. Without a condition on
    /// `active`, only active users match, as on Genesys.
    ///
    /// A filter is a conjunction, so it always picks active or inactive
    /// users: the page comes from that ordered list, as a slice when the
    /// filter says nothing else, or through an id, userName or externalId
    /// index. Only other conditions (division, title, …) scan the list.
    pub(crate) fn users_page(
        &self,
        pred: Option<&Pred>,
        start: usize,
        count: usize,
    ) -> (usize, Vec<&Record>) {
        let active = pred.is_none_or(Pred::required_active);
        let skip = start.saturating_sub(1);
        let matches = |u: &&Record| u.active() == active && pred.is_none_or(|p| user_matches(p, u));
        if let Some(few) = pred.and_then(|p| self.user_candidates(p)) {
            let matched: Vec<&Record> = few.into_iter().filter(matches).collect();
            let total = matched.len();
            return (total, matched.into_iter().skip(skip).take(count).collect());
        }
        let list = if active {
            &self.active_users
        } else {
            &self.inactive_users
        };
        let records = |seqs: &mut dyn Iterator<Item = u64>| -> Vec<&Record> {
            seqs.filter_map(|s| self.users.by_seq(s)).collect()
        };
        if pred.is_none_or(|p| p.only_active(active)) {
            let seqs = list.window(skip, count);
            return (list.len(), records(&mut seqs.iter().copied()));
        }
        let mut total = 0;
        let mut page = Vec::new();
        for u in list.iter().filter_map(|s| self.users.by_seq(s)) {
            if matches(&u) {
                if total >= skip && page.len() < count {
                    page.push(u);
                }
                total += 1;
            }
        }
        (total, page)
    }

    /// Fails with 409 uniqueness if another user already has this userName (ignoring case).
    pub(crate) fn check_unique_user_name(
        &self,
        name: &str,
        except: Option<&str>,
    ) -> Result<(), ScimError> {
        let taken = self.user_names.get(&name_key(name)).is_some_and(|holders| {
            holders
                .iter()
                .filter_map(|&s| self.users.by_seq(s))
                .any(|u| Some(u.id.as_str()) != except)
        });
        if taken {
            Err(ScimError::new(
                409,
                Some("uniqueness"),
                format!("userName '{name}' is already in use"),
            ))
        } else {
            Ok(())
        }
    }

    /// Fails with 400 invalidValue if a member id does not name a user; drops duplicates.
    pub(crate) fn check_members(&self, data: &mut Map<String, Value>) -> Result<(), ScimError> {
        let Some(Value::Array(members)) = data.get_mut("members") else {
            return Ok(());
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for m in members.iter() {
            let id = m.get("value").and_then(Value::as_str).unwrap_or_default();
            if self.users.get(id).is_none() {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("member '{id}' is not a known user"),
                ));
            }
            if seen.insert(id) {
                out.push(json!({"value": id}));
            }
        }
        *members = out;
        Ok(())
    }

    /// The wire form of a user. `base` is base URL plus SCIM prefix, ending with '/'.
    pub(crate) fn render_user(&self, u: &Record, base: &str) -> Value {
        let mut m = u.data.clone();
        m.insert("id".into(), Value::String(u.id.clone()));
        let groups: Vec<Value> = self
            .groups_of
            .get(&u.id)
            .into_iter()
            .flatten()
            .filter_map(|&seq| self.groups.by_seq(seq))
            .map(|g| {
                json!({
                    "value": g.id,
                    "$ref": format!("{base}groups/{}", encode_segment(&g.id)),
                    "type": "Group",
                })
            })
            .collect();
        m.insert("groups".into(), Value::Array(groups));
        m.insert("meta".into(), meta("User", u, &format!("{base}users/")));
        Value::Object(m)
    }

    /// The wire form of a group. `base` is base URL plus SCIM prefix, ending with '/'.
    pub(crate) fn render_group(&self, g: &Record, base: &str) -> Value {
        let mut m = g.data.clone();
        m.insert("id".into(), Value::String(g.id.clone()));
        let members: Vec<Value> = g
            .member_ids()
            .into_iter()
            .map(|id| {
                json!({
                    "value": id,
                    "$ref": format!("{base}users/{}", encode_segment(&id)),
                    "type": "User",
                })
            })
            .collect();
        m.insert("members".into(), Value::Array(members));
        m.insert("meta".into(), meta("Group", g, &format!("{base}groups/")));
        Value::Object(m)
    }
}

fn meta(kind: &str, r: &Record, collection: &str) -> Value {
    json!({
        "resourceType": kind,
        "lastModified": r.last_modified,
        "location": format!("{collection}{}", encode_segment(&r.id)),
        "version": r.etag(),
    })
}

/// Checks `pred` against a user.
pub(crate) fn user_matches(p: &Pred, u: &Record) -> bool {
    let ci = |a: Option<&str>, b: &str| a.is_some_and(|a| a.eq_ignore_ascii_case(b));
    match p {
        Pred::All(v) => v.iter().all(|p| user_matches(p, u)),
        Pred::Id(x) => u.id == *x,
        Pred::UserName(x) => ci(u.user_name(), x),
        Pred::ExternalId(x) => u.str_attr("externalId") == Some(x.as_str()),
        Pred::Active(b) => u.active() == *b,
        Pred::Manager(x) => {
            u.data
                .get(ENTERPRISE_URN)
                .and_then(|e| e.get("manager"))
                .and_then(|m| m.get("value"))
                .and_then(Value::as_str)
                == Some(x.as_str())
        }
        Pred::Email(x) => u
            .data
            .get("emails")
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter()
                    .any(|e| ci(e.get("value").and_then(Value::as_str), x))
            }),
        Pred::Division(x) => u.ext_str(ENTERPRISE_URN, "division") == Some(x.as_str()),
        Pred::EmployeeNumber(x) => u.ext_str(ENTERPRISE_URN, "employeeNumber") == Some(x.as_str()),
        Pred::ExternalIds { authority, value } => u
            .data
            .get(GENESYS_URN)
            .and_then(|g| g.get("externalIds"))
            .and_then(Value::as_array)
            .is_some_and(|ids| {
                ids.iter().any(|e| {
                    let a = e.get("authority").and_then(Value::as_str);
                    let v = e.get("value").and_then(Value::as_str);
                    authority.as_deref().is_none_or(|x| a == Some(x))
                        && value.as_deref().is_none_or(|x| v == Some(x))
                })
            }),
        Pred::DisplayName(x) => u.display_name() == Some(x.as_str()),
    }
}

/// Checks `pred` against a group.
pub(crate) fn group_matches(p: &Pred, g: &Record) -> bool {
    match p {
        Pred::All(v) => v.iter().all(|p| group_matches(p, g)),
        Pred::Id(x) => g.id == *x,
        Pred::DisplayName(x) => g.display_name() == Some(x.as_str()),
        _ => false,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn invalid(label: &str, what: &str, v: &Value) -> ScimError {
    ScimError::bad(
        "invalidValue",
        format!("'{label}' must be {what}, got {}", type_name(v)),
    )
}

/// Validates one value against its attribute definition and returns it with
/// sub-attribute names in their canonical spelling (unknown ones dropped).
fn normalize_value(attr: &Attr, v: &Value, label: &str) -> Result<Value, ScimError> {
    if attr.multi {
        let items = match v {
            Value::Array(a) => a,
            other => return Err(invalid(label, "an array", other)),
        };
        if matches!(attr.name, "routingSkills" | "routingLanguages") && items.len() > 50 {
            return Err(ScimError::bad(
                "invalidValue",
                format!("'{label}' holds at most 50 entries"),
            ));
        }
        let out = items
            .iter()
            .filter(|x| !x.is_null())
            .map(|x| normalize_single(attr, x, label))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::Array(out));
    }
    normalize_single(attr, v, label)
}

fn normalize_single(attr: &Attr, v: &Value, label: &str) -> Result<Value, ScimError> {
    match attr.ty {
        "string" | "reference" | "dateTime" => {
            let s = v.as_str().ok_or_else(|| invalid(label, "a string", v))?;
            if !attr.canonical.is_empty()
                && !attr.is_read_only()
                && !attr.canonical.iter().any(|c| c.eq_ignore_ascii_case(s))
            {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("'{label}' must be one of {:?}, got '{s}'", attr.canonical),
                ));
            }
            if attr.name == "dateHire" && !is_date(s) {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("'{label}' must be a date as YYYY-MM-DD, got '{s}'"),
                ));
            }
            Ok(v.clone())
        }
        "boolean" => v
            .is_boolean()
            .then(|| v.clone())
            .ok_or_else(|| invalid(label, "a boolean", v)),
        "decimal" | "integer" => {
            let n = v.as_f64().ok_or_else(|| invalid(label, "a number", v))?;
            if attr.name == "proficiency" && !(0.0..=5.0).contains(&n) {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("'{label}' must be between 0 and 5"),
                ));
            }
            Ok(v.clone())
        }
        "complex" => {
            let obj = v
                .as_object()
                .ok_or_else(|| invalid(label, "an object", v))?;
            if attr.sub.is_empty() {
                return Ok(v.clone());
            }
            let mut out = Map::new();
            for (k, sv) in obj {
                if sv.is_null() {
                    continue;
                }
                if let Some(sub) = attr.find_sub(k) {
                    let l = format!("{label}.{}", sub.name);
                    out.insert(sub.name.to_string(), normalize_value(sub, sv, &l)?);
                }
            }
            for sub in attr.sub.iter().filter(|s| s.required) {
                if !out.contains_key(sub.name) {
                    return Err(ScimError::bad(
                        "invalidValue",
                        format!("'{label}.{}' is required", sub.name),
                    ));
                }
            }
            Ok(Value::Object(out))
        }
        _ => Ok(v.clone()),
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Validates a request body (or a patched resource) against `def` and returns
/// the attributes to store plus the id/password found. Attribute names are
/// matched ignoring case and stored in canonical spelling; unknown attributes
/// and read-only ones (`meta`, `groups`) are dropped.
pub(crate) fn normalize(
    def: &ResourceDef,
    body: &Map<String, Value>,
) -> Result<(Map<String, Value>, Extras), ScimError> {
    let mut data = Map::new();
    let mut extras = Extras::default();
    for (k, v) in body {
        if v.is_null() {
            continue;
        }
        if k.eq_ignore_ascii_case("schemas") {
            let ok = v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
            if !ok {
                return Err(invalid("schemas", "an array of strings", v));
            }
            data.insert("schemas".into(), v.clone());
            continue;
        }
        if let Some((urn, attrs)) = def.extension(k) {
            let obj = v.as_object().ok_or_else(|| invalid(urn, "an object", v))?;
            let mut ext = Map::new();
            for (sk, sv) in obj {
                if sv.is_null() {
                    continue;
                }
                if let Some(a) = find_attr(attrs, sk) {
                    ext.insert(
                        a.name.to_string(),
                        normalize_value(a, sv, &format!("{urn}:{}", a.name))?,
                    );
                }
            }
            data.insert(urn.to_string(), Value::Object(ext));
            continue;
        }
        let name = strip_prefix_ci(k, &format!("{}:", def.core_urn)).unwrap_or(k);
        let Some(attr) = find_attr(def.core, name) else {
            continue;
        };
        match attr.name {
            "id" => extras.id = Some(v.clone()),
            "password" => {
                extras.password = Some(
                    v.as_str()
                        .ok_or_else(|| invalid("password", "a string", v))?
                        .to_string(),
                )
            }
            _ if attr.is_read_only() => {}
            _ => {
                data.insert(attr.name.to_string(), normalize_value(attr, v, attr.name)?);
            }
        }
    }
    Ok((data, extras))
}

/// Requires a non-empty string attribute.
pub(crate) fn require_string(data: &Map<String, Value>, name: &str) -> Result<(), ScimError> {
    match data.get(name).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(()),
        _ => Err(ScimError::bad(
            "invalidValue",
            format!("'{name}' is required"),
        )),
    }
}

/// Default `schemas` for a new user: core plus both extensions.
pub(crate) fn default_user_schemas() -> Value {
    json!([USER_URN, ENTERPRISE_URN, GENESYS_URN])
}

/// Default `schemas` for a group.
pub(crate) fn default_group_schemas() -> Value {
    json!([GROUP_URN])
}
