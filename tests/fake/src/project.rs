//! `attributes` / `excludedAttributes` projection of rendered resources.

use serde_json::{Map, Value, json};

use crate::schema::{GENESYS_URN, ResourceDef, USER_DEF};
use crate::text::{ci_key, strip_prefix_ci};

/// Requested projection, from the query string.
#[derive(Clone, Debug, Default)]
pub(crate) struct Projection {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Projection {
    /// Collects every `attributes` / `excludedAttributes` parameter, each a
    /// comma-separated list; repeated parameters add up.
    pub(crate) fn from_query(q: &[(String, String)]) -> Projection {
        let mut p = Projection::default();
        for (k, v) in q {
            let list = if k == "attributes" {
                &mut p.include
            } else if k == "excludedAttributes" {
                &mut p.exclude
            } else {
                continue;
            };
            list.extend(
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
        p
    }

    /// Whether a user shaped by this projection carries any attribute that
    /// Genesys looks up user by user (what makes large pages fail there).
    pub(crate) fn returns_expensive_user_attributes(&self) -> bool {
        let item = json!([{"value": "x", "name": "x"}]);
        let probe = json!({
            "roles": item,
            "groups": item,
            GENESYS_URN: {
                "routingSkills": item,
                "routingLanguages": item,
                "externalIds": item,
            },
        });
        let shaped = self.apply(&USER_DEF, probe);
        let genesys = shaped.get(GENESYS_URN);
        ["roles", "groups"].iter().any(|a| shaped.get(a).is_some())
            || ["routingSkills", "routingLanguages", "externalIds"]
                .iter()
                .any(|a| genesys.and_then(|g| g.get(a)).is_some())
    }

    /// Shapes one rendered resource.
    pub(crate) fn apply(&self, def: &ResourceDef, v: Value) -> Value {
        let Value::Object(full) = v else {
            return v;
        };
        let mut out = if self.include.is_empty() {
            full.clone()
        } else {
            let mut out = Map::new();
            for k in def.always {
                let found = ci_key(&full, k).and_then(|r| full.get(&r).map(|x| (r, x)));
                if let Some((real, x)) = found {
                    out.insert(real, x.clone());
                }
            }
            for r in &self.include {
                include(def, &full, &mut out, r);
            }
            out
        };
        for r in &self.exclude {
            exclude(def, &mut out, r);
        }
        Value::Object(out)
    }
}

/// Splits an attribute reference into (extension URN, attribute, sub-attribute).
fn split<'a>(
    def: &ResourceDef,
    r: &'a str,
) -> (Option<&'static str>, Option<&'a str>, Option<&'a str>) {
    for (urn, _) in def.extensions {
        if let Some(rest) = strip_prefix_ci(r, urn) {
            if rest.is_empty() {
                return (Some(urn), None, None);
            }
            if let Some(rest) = rest.strip_prefix(':') {
                let (a, s) = split_dot(rest);
                return (Some(urn), Some(a), s);
            }
        }
    }
    let rest = strip_prefix_ci(r, &format!("{}:", def.core_urn)).unwrap_or(r);
    let (a, s) = split_dot(rest);
    (None, Some(a), s)
}

fn split_dot(s: &str) -> (&str, Option<&str>) {
    match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    }
}

fn copy_attr(
    src: &Map<String, Value>,
    dst: &mut Map<String, Value>,
    attr: &str,
    sub: Option<&str>,
) {
    let Some(key) = ci_key(src, attr) else {
        return;
    };
    let Some(val) = src.get(&key) else {
        return;
    };
    let Some(sub) = sub else {
        dst.insert(key, val.clone());
        return;
    };
    match val {
        Value::Object(o) => {
            let Some(sk) = ci_key(o, sub) else { return };
            let slot = dst.entry(key).or_insert_with(|| Value::Object(Map::new()));
            if let (Value::Object(m), Some(x)) = (slot, o.get(&sk)) {
                m.insert(sk, x.clone());
            }
        }
        Value::Array(items) => {
            let slot = dst.entry(key).or_insert_with(|| {
                Value::Array(items.iter().map(|_| Value::Object(Map::new())).collect())
            });
            if let Value::Array(out) = slot {
                for (o, i) in out.iter_mut().zip(items) {
                    let found = i
                        .as_object()
                        .and_then(|i| ci_key(i, sub).and_then(|k| i.get(&k).map(|x| (k, x))));
                    if let (Value::Object(o), Some((k, x))) = (o, found) {
                        o.insert(k, x.clone());
                    }
                }
            }
        }
        _ => {}
    }
}

fn include(def: &ResourceDef, full: &Map<String, Value>, out: &mut Map<String, Value>, r: &str) {
    match split(def, r) {
        (Some(urn), None, _) => {
            if let Some(x) = full.get(urn) {
                out.insert(urn.to_string(), x.clone());
            }
        }
        (Some(urn), Some(a), s) => {
            let Some(Value::Object(src)) = full.get(urn) else {
                return;
            };
            let slot = out
                .entry(urn.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(dst) = slot {
                copy_attr(src, dst, a, s);
            }
        }
        (None, Some(a), s) => copy_attr(full, out, a, s),
        (None, None, _) => {}
    }
}

fn remove_attr(m: &mut Map<String, Value>, attr: &str, sub: Option<&str>) {
    let Some(key) = ci_key(m, attr) else { return };
    match sub {
        None => {
            m.remove(&key);
        }
        Some(sub) => match m.get_mut(&key) {
            Some(Value::Object(o)) => {
                if let Some(sk) = ci_key(o, sub) {
                    o.remove(&sk);
                }
            }
            Some(Value::Array(items)) => {
                for i in items.iter_mut() {
                    let key = i.as_object().and_then(|o| ci_key(o, sub));
                    if let (Value::Object(o), Some(sk)) = (i, key) {
                        o.remove(&sk);
                    }
                }
            }
            _ => {}
        },
    }
}

fn exclude(def: &ResourceDef, out: &mut Map<String, Value>, r: &str) {
    match split(def, r) {
        (Some(urn), None, _) => {
            out.remove(urn);
        }
        (Some(urn), Some(a), s) => {
            if let Some(Value::Object(m)) = out.get_mut(urn) {
                remove_attr(m, a, s);
            }
        }
        (None, Some(a), s) => {
            // Attributes that are always returned survive whole exclusion;
            // their sub-attributes (e.g. meta.lastModified) can still go.
            if s.is_none() && def.always.iter().any(|k| k.eq_ignore_ascii_case(a)) {
                return;
            }
            remove_attr(out, a, s);
        }
        (None, None, _) => {}
    }
}
