//! SCIM PATCH: path parsing and the `add` / `replace` / `remove` operations,
//! applied to a working copy of a resource's attribute map. The caller
//! re-validates the result with `store::normalize` before committing.

use serde_json::{Map, Value};

use crate::filter::{Filter, eq_pairs, matches_element, parse};
use crate::schema::{Attr, PATCH_URN, ResourceDef, find_attr};
use crate::store::ScimError;
use crate::text::{ci_key, strip_prefix_ci};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// A resolved PATCH path.
struct Target {
    /// Extension URN holding the attribute, if any.
    ext: Option<&'static str>,
    /// `None` means the whole extension object.
    attr: Option<&'static Attr>,
    filter: Option<Filter>,
    sub: Option<&'static Attr>,
}

fn bad_path(path: &str, why: &str) -> ScimError {
    ScimError::bad("invalidPath", format!("invalid path '{path}': {why}"))
}

fn resolve(def: &ResourceDef, path: &str) -> Result<Target, ScimError> {
    let path = path.trim();
    let mut ext = None;
    let mut attrs = def.core;
    let mut rest = path;
    if strip_prefix_ci(path, "urn:").is_some() {
        let mut found = false;
        for (urn, ext_attrs) in def.extensions {
            if let Some(r) = strip_prefix_ci(path, urn) {
                if r.is_empty() {
                    return Ok(Target {
                        ext: Some(urn),
                        attr: None,
                        filter: None,
                        sub: None,
                    });
                }
                if let Some(r) = r.strip_prefix(':') {
                    ext = Some(*urn);
                    attrs = ext_attrs;
                    rest = r;
                    found = true;
                    break;
                }
            }
        }
        if !found {
            match strip_prefix_ci(path, &format!("{}:", def.core_urn)) {
                Some(r) => rest = r,
                None => return Err(bad_path(path, "unknown schema URN")),
            }
        }
    }
    let (name, filter_text, sub_name) = match rest.find('[') {
        Some(open) => {
            let close = closing_bracket(rest, open).ok_or_else(|| bad_path(path, "missing ']'"))?;
            let after = &rest[close + 1..];
            let sub = if after.is_empty() {
                None
            } else {
                Some(
                    after
                        .strip_prefix('.')
                        .ok_or_else(|| bad_path(path, "unexpected text after ']'"))?,
                )
            };
            (&rest[..open], Some(&rest[open + 1..close]), sub)
        }
        None => match rest.split_once('.') {
            Some((a, s)) => (a, None, Some(s)),
            None => (rest, None, None),
        },
    };
    let attr = find_attr(attrs, name)
        .ok_or_else(|| bad_path(path, &format!("unknown attribute '{name}'")))?;
    let sub = match sub_name {
        Some(s) => Some(
            attr.find_sub(s)
                .ok_or_else(|| bad_path(path, &format!("unknown sub-attribute '{s}'")))?,
        ),
        None => None,
    };
    let filter = match filter_text {
        Some(t) => {
            if !attr.multi {
                return Err(bad_path(
                    path,
                    "value filters need a multi-valued attribute",
                ));
            }
            Some(parse(t).map_err(|e| bad_path(path, &e))?)
        }
        None => None,
    };
    Ok(Target {
        ext,
        attr: Some(attr),
        filter,
        sub,
    })
}

fn closing_bracket(s: &str, open: usize) -> Option<usize> {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s[open + 1..].char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
        } else if c == '"' {
            in_str = true;
        } else if c == ']' {
            return Some(open + 1 + i);
        }
    }
    None
}

/// Applies a PatchOp request body to `data` (the stored attributes of
/// resource `id`). Password changes come back through `password`.
pub(crate) fn apply(
    def: &ResourceDef,
    id: &str,
    data: &mut Map<String, Value>,
    body: &Value,
) -> Result<(), ScimError> {
    let obj = body
        .as_object()
        .ok_or_else(|| ScimError::bad("invalidSyntax", "the PATCH body must be a JSON object"))?;
    let schemas_ok = obj
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|s| s.as_str() == Some(PATCH_URN)));
    if !schemas_ok {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("'schemas' must contain '{PATCH_URN}'"),
        ));
    }
    let ops = ci_key(obj, "Operations")
        .and_then(|k| obj.get(&k))
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::bad("invalidSyntax", "'Operations' must be an array"))?;
    for (i, op) in ops.iter().enumerate() {
        let o = op.as_object().ok_or_else(|| {
            ScimError::bad("invalidSyntax", format!("operation {i} is not an object"))
        })?;
        let field = |name: &str| ci_key(o, name).and_then(|k| o.get(&k));
        let kind = match field("op")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
        {
            Some(s) if s == "add" => Op::Add,
            Some(s) if s == "replace" => Op::Replace,
            Some(s) if s == "remove" => Op::Remove,
            Some(s) => {
                return Err(ScimError::bad(
                    "invalidSyntax",
                    format!("operation {i}: unknown op '{s}'"),
                ));
            }
            None => {
                return Err(ScimError::bad(
                    "invalidSyntax",
                    format!("operation {i}: 'op' is missing"),
                ));
            }
        };
        let path = match field("path") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("operation {i}: 'path' must be a string"),
                ));
            }
        };
        let value = field("value").filter(|v| !v.is_null());
        apply_one(def, id, data, kind, path, value)?;
    }
    Ok(())
}

fn apply_one(
    def: &ResourceDef,
    id: &str,
    data: &mut Map<String, Value>,
    op: Op,
    path: Option<&str>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let Some(path) = path else {
        if op == Op::Remove {
            return Err(ScimError::bad("noTarget", "'remove' needs a path"));
        }
        let obj = value.and_then(Value::as_object).ok_or_else(|| {
            ScimError::bad("invalidValue", "without a path, 'value' must be an object")
        })?;
        for (k, v) in obj {
            if k.eq_ignore_ascii_case("schemas") {
                data.insert("schemas".into(), v.clone());
                continue;
            }
            match apply_path(def, id, data, op, k, Some(v)) {
                // Unknown attributes in a path-less value are ignored, as on create.
                Err(e) if e.scim_type == Some("invalidPath") => {}
                other => other?,
            }
        }
        return Ok(());
    };
    apply_path(def, id, data, op, path, value)
}

fn need<'v>(value: Option<&'v Value>, path: &str) -> Result<&'v Value, ScimError> {
    value.ok_or_else(|| ScimError::bad("invalidValue", format!("'{path}' needs a value")))
}

fn apply_path(
    def: &ResourceDef,
    id: &str,
    data: &mut Map<String, Value>,
    op: Op,
    path: &str,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let t = resolve(def, path)?;
    let done = match t.attr {
        Some(attr) => check_special(attr, t.ext.is_none(), id, data, op, value)?,
        None => false,
    };
    if done {
        return Ok(());
    }
    // The object that holds the attribute: the resource itself or an extension.
    let container = match t.ext {
        None => data,
        Some(urn) => match extension_slot(data, urn, t.attr.is_some(), op, value, path)? {
            Some(m) => m,
            None => return Ok(()),
        },
    };
    let Some(attr) = t.attr else {
        return Ok(());
    };
    match (&t.filter, t.sub) {
        (None, None) => apply_whole(container, attr, op, value, path),
        (None, Some(sub)) if attr.multi => apply_sub_of_each(container, attr, sub, op, value, path),
        (None, Some(sub)) => apply_sub(container, attr, sub, op, value, path),
        (Some(filter), sub) => apply_filtered(container, attr, filter, sub, op, value, path),
    }
}

/// Rules for `id`, read-only attributes and `password` (`core` is false for
/// an extension's attributes). Returns true when
/// the operation needs nothing more.
fn check_special(
    attr: &Attr,
    core: bool,
    id: &str,
    data: &mut Map<String, Value>,
    op: Op,
    value: Option<&Value>,
) -> Result<bool, ScimError> {
    if core && attr.name == "id" {
        if op != Op::Remove && value.and_then(Value::as_str) == Some(id) {
            return Ok(true);
        }
        return Err(ScimError::bad("mutability", "'id' cannot be changed"));
    }
    if attr.is_read_only() {
        return Err(ScimError::bad(
            "mutability",
            format!("'{}' is read-only", attr.name),
        ));
    }
    // The password is stored outside the attribute map; the caller picks up
    // a new one from `data`.
    if core && attr.name == "password" && op == Op::Remove {
        data.remove("password");
        return Ok(true);
    }
    Ok(false)
}

/// The object of extension `urn`, created if needed. A path naming the
/// whole extension (`has_attr` false) is applied here, and `None` returned.
fn extension_slot<'m>(
    data: &'m mut Map<String, Value>,
    urn: &str,
    has_attr: bool,
    op: Op,
    value: Option<&Value>,
    path: &str,
) -> Result<Option<&'m mut Map<String, Value>>, ScimError> {
    if op == Op::Remove && !data.contains_key(urn) {
        return Ok(None);
    }
    if !has_attr && op == Op::Remove {
        data.remove(urn);
        return Ok(None);
    }
    let Some(target) = object_slot(data, urn) else {
        return Ok(None);
    };
    if has_attr {
        return Ok(Some(target));
    }
    let obj = need(value, path)?
        .as_object()
        .ok_or_else(|| ScimError::bad("invalidValue", format!("'{urn}' must be an object")))?;
    target.extend(obj.clone());
    Ok(None)
}

/// A path naming a whole attribute, without filter or sub-attribute.
fn apply_whole(
    container: &mut Map<String, Value>,
    attr: &Attr,
    op: Op,
    value: Option<&Value>,
    path: &str,
) -> Result<(), ScimError> {
    let name = attr.name;
    match op {
        Op::Remove => {
            if let (true, Some(v)) = (attr.multi, value) {
                // Remove only the listed elements (matched by `value`).
                let drop: Vec<Value> = as_list(v)
                    .iter()
                    .filter_map(|x| x.get("value").cloned())
                    .collect();
                if let Some(Value::Array(a)) = container.get_mut(name) {
                    a.retain(|e| !e.get("value").is_some_and(|x| drop.contains(x)));
                }
                return Ok(());
            }
            container.remove(name);
        }
        Op::Add if attr.multi => {
            let v = need(value, path)?;
            let Some(a) = list_slot(container, name) else {
                return Ok(());
            };
            for item in as_list(v) {
                if !a.contains(&item) {
                    a.push(item);
                }
            }
        }
        Op::Add | Op::Replace => {
            let v = need(value, path)?;
            let v = if attr.multi && !v.is_array() {
                Value::Array(vec![v.clone()])
            } else if attr.ty == "complex" && !attr.multi && op == Op::Add {
                // Merge into an existing complex value.
                match (container.get(name), v) {
                    (Some(Value::Object(old)), Value::Object(new)) => {
                        let mut m = old.clone();
                        m.extend(new.clone());
                        Value::Object(m)
                    }
                    _ => v.clone(),
                }
            } else {
                v.clone()
            };
            container.insert(name.to_string(), v);
        }
    }
    Ok(())
}

/// The list stored under `name`, created (or replacing a non-list) if needed.
fn list_slot<'m>(container: &'m mut Map<String, Value>, name: &str) -> Option<&'m mut Vec<Value>> {
    let slot = container
        .entry(name.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut()
}

/// The object stored under `name`, created (or replacing a non-object) if needed.
fn object_slot<'m>(
    container: &'m mut Map<String, Value>,
    name: &str,
) -> Option<&'m mut Map<String, Value>> {
    let slot = container
        .entry(name.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
}

/// `attr.sub` of every element of a multi-valued attribute.
fn apply_sub_of_each(
    container: &mut Map<String, Value>,
    attr: &Attr,
    sub: &Attr,
    op: Op,
    value: Option<&Value>,
    path: &str,
) -> Result<(), ScimError> {
    let slot = container
        .entry(attr.name.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(a) = slot else {
        return Err(bad_path(path, "the attribute is not a list"));
    };
    match op {
        Op::Remove => a.iter_mut().for_each(|e| {
            if let Value::Object(m) = e {
                m.remove(sub.name);
            }
        }),
        Op::Add | Op::Replace => {
            let v = need(value, path)?;
            if a.is_empty() {
                a.push(Value::Object(Map::new()));
            }
            for e in a.iter_mut() {
                if let Value::Object(m) = e {
                    m.insert(sub.name.to_string(), v.clone());
                }
            }
        }
    }
    Ok(())
}

/// `attr.sub` of a single-valued complex attribute.
fn apply_sub(
    container: &mut Map<String, Value>,
    attr: &Attr,
    sub: &Attr,
    op: Op,
    value: Option<&Value>,
    path: &str,
) -> Result<(), ScimError> {
    let name = attr.name;
    match op {
        Op::Remove => {
            if let Some(Value::Object(m)) = container.get_mut(name) {
                m.remove(sub.name);
                if m.is_empty() {
                    container.remove(name);
                }
            }
        }
        Op::Add | Op::Replace => {
            let v = need(value, path)?;
            if let Some(m) = object_slot(container, name) {
                m.insert(sub.name.to_string(), v.clone());
            }
        }
    }
    Ok(())
}

/// `attr[filter]` or `attr[filter].sub`: the elements the filter matches.
fn apply_filtered(
    container: &mut Map<String, Value>,
    attr: &Attr,
    filter: &Filter,
    sub: Option<&Attr>,
    op: Op,
    value: Option<&Value>,
    path: &str,
) -> Result<(), ScimError> {
    let Some(a) = list_slot(container, attr.name) else {
        return Ok(());
    };
    let hits: Vec<usize> = a
        .iter()
        .enumerate()
        .filter(|(_, e)| matches_element(filter, e))
        .map(|(i, _)| i)
        .collect();
    match op {
        Op::Remove => match sub {
            None => {
                let mut i = 0;
                a.retain(|_| {
                    let keep = !hits.contains(&i);
                    i += 1;
                    keep
                });
            }
            Some(s) => {
                for i in hits {
                    if let Some(Value::Object(m)) = a.get_mut(i) {
                        m.remove(s.name);
                    }
                }
            }
        },
        Op::Add | Op::Replace => {
            let v = need(value, path)?;
            if hits.is_empty() {
                if op == Op::Replace {
                    return Err(ScimError::bad(
                        "noTarget",
                        format!("no element matches '{path}'"),
                    ));
                }
                let mut m = Map::new();
                for (k, x) in eq_pairs(filter) {
                    let k = attr.find_sub(&k).map(|s| s.name.to_string()).unwrap_or(k);
                    m.insert(k, x);
                }
                merge_into(&mut m, sub, v);
                a.push(Value::Object(m));
            } else {
                for i in hits {
                    if let Some(Value::Object(m)) = a.get_mut(i) {
                        merge_into(m, sub, v);
                    }
                }
            }
        }
    }
    Ok(())
}

fn merge_into(m: &mut Map<String, Value>, sub: Option<&Attr>, v: &Value) {
    match (sub, v) {
        (Some(s), v) => {
            m.insert(s.name.to_string(), v.clone());
        }
        (None, Value::Object(o)) => m.extend(o.clone()),
        (None, other) => {
            m.insert("value".into(), other.clone());
        }
    }
}

fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    }
}
