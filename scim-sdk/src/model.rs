//! What the runtime knows about each generated model, and the one place
//! where a model becomes a request body: `schemas` filled in (RFC 7643 §3)
//! and read-only attributes left out (RFC 7644 §3.5.1).

use serde::Serialize;
use serde_json::{Map, Value};

/// Implemented by every generated struct: the facts about it that request
/// encoding needs, read from the OpenAPI document.
///
/// You do not normally use this trait: builders encode their bodies through
/// it. It is public so that code generic over models can read them.
///
/// ```
/// use scim_sdk::{Model, models::ScimV2User, schemas};
/// assert_eq!(ScimV2User::INFO.schema, Some(schemas::USER));
/// assert!(ScimV2User::INFO.read_only.contains(&"meta"));
/// ```
pub trait Model: Serialize {
    /// The model's SCIM facts.
    ///
    /// ```
    /// use scim_sdk::{Model, models::ScimV2Group};
    /// assert_eq!(ScimV2Group::INFO.read_only, &["id", "meta"]);
    /// ```
    const INFO: ModelInfo;
}

/// SCIM facts about a model, from the OpenAPI document.
///
/// ```
/// use scim_sdk::{ModelInfo, schemas};
/// const INFO: ModelInfo = ModelInfo::new("Badge")
///     .schema("urn:example:Badge")
///     .extensions(&[schemas::ENTERPRISE_USER])
///     .read_only(&["id"]);
/// assert_eq!(INFO.name, "Badge");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelInfo {
    /// The model's Rust name.
    pub name: &'static str,
    /// Its core schema URN (the spec's `x-scim-schema`), for SCIM resources
    /// and messages; `None` for plain data types.
    pub schema: Option<&'static str>,
    /// The properties that hold schema extensions: their keys are URNs.
    pub extensions: &'static [&'static str],
    /// The properties the server sets (`readOnly` in the spec).
    pub read_only: &'static [&'static str],
}

impl ModelInfo {
    /// Facts about a model with no schema, extensions or read-only
    /// attributes; the other methods add them. Used by generated code.
    ///
    /// ```
    /// let info = scim_sdk::ModelInfo::new("Manager");
    /// assert!(info.schema.is_none() && info.read_only.is_empty());
    /// ```
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            schema: None,
            extensions: &[],
            read_only: &[],
        }
    }

    /// Sets the core schema URN.
    ///
    /// ```
    /// let info = scim_sdk::ModelInfo::new("ScimV2Group").schema(scim_sdk::schemas::GROUP);
    /// assert_eq!(info.schema, Some(scim_sdk::schemas::GROUP));
    /// ```
    #[must_use]
    pub const fn schema(mut self, urn: &'static str) -> Self {
        self.schema = Some(urn);
        self
    }

    /// Sets the properties that hold schema extensions.
    ///
    /// ```
    /// let info = scim_sdk::ModelInfo::new("U").extensions(&[scim_sdk::schemas::GENESYS_USER]);
    /// assert_eq!(info.extensions.len(), 1);
    /// ```
    #[must_use]
    pub const fn extensions(mut self, keys: &'static [&'static str]) -> Self {
        self.extensions = keys;
        self
    }

    /// Sets the properties the server sets.
    ///
    /// ```
    /// let info = scim_sdk::ModelInfo::new("U").read_only(&["id", "meta"]);
    /// assert!(info.read_only.contains(&"id"));
    /// ```
    #[must_use]
    pub const fn read_only(mut self, keys: &'static [&'static str]) -> Self {
        self.read_only = keys;
        self
    }
}

/// `body` as the JSON of a request:
/// - read-only attributes are left out, since the server sets them;
/// - for a model with a core schema, `schemas` lists that schema and the URN
///   of every extension present (also extensions this SDK does not know,
///   kept in `additional_properties`): what the caller listed stays, in its
///   order, and what is missing is added, the core schema first.
///
/// A model with neither is serialised as it is, at no extra cost.
pub(crate) fn encode<T: Model + ?Sized>(body: &T) -> Result<Vec<u8>, serde_json::Error> {
    let info = T::INFO;
    if info.schema.is_none() && info.read_only.is_empty() {
        return serde_json::to_vec(body);
    }
    let mut value = serde_json::to_value(body)?;
    if let Value::Object(object) = &mut value {
        for key in info.read_only {
            object.remove(*key);
        }
        if let Some(core) = info.schema {
            fill_schemas(object, core, info.extensions);
        }
    }
    serde_json::to_vec(&value)
}

fn fill_schemas(object: &mut Map<String, Value>, core: &str, extensions: &[&str]) {
    let present: Vec<String> = object
        .iter()
        .filter(|(key, value)| {
            value.is_object() && (extensions.contains(&key.as_str()) || is_urn(key))
        })
        .map(|(key, _)| key.clone())
        .collect();
    let mut schemas = match object.remove("schemas") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(listed)) => listed,
        // Not a list: not ours to repair; sent back as it came.
        Some(other) => {
            object.insert("schemas".into(), other);
            return;
        }
    };
    let listed = |schemas: &[Value], urn: &str| {
        schemas
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)))
    };
    if !listed(&schemas, core) {
        schemas.insert(0, Value::from(core));
    }
    for urn in present {
        if !listed(&schemas, &urn) {
            schemas.push(Value::from(urn));
        }
    }
    object.insert("schemas".into(), Value::Array(schemas));
}

/// Extension attributes travel under their schema's URN (RFC 7643 §3.3).
fn is_urn(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Raw(Value);

    impl Serialize for Raw {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(s)
        }
    }

    impl Model for Raw {
        const INFO: ModelInfo = ModelInfo::new("Raw")
            .schema("urn:core")
            .extensions(&["urn:ext:a"])
            .read_only(&["id", "meta"]);
    }

    fn encoded(value: Value) -> Value {
        serde_json::from_slice(&encode(&Raw(value)).unwrap()).unwrap()
    }

    #[test]
    fn schemas_gain_the_core_and_present_extensions_only() {
        let body = encoded(json!({"userName": "a", "urn:ext:a": {"x": 1}}));
        assert_eq!(body["schemas"], json!(["urn:core", "urn:ext:a"]));
        let body = encoded(json!({"userName": "a", "urn:ext:a": null}));
        assert_eq!(body["schemas"], json!(["urn:core"]));
    }

    #[test]
    fn listed_schemas_are_kept_in_order_and_not_repeated() {
        let body =
            encoded(json!({"schemas": ["urn:ext:a", "URN:CORE", "urn:other"], "urn:ext:a": {}}));
        assert_eq!(
            body["schemas"],
            json!(["urn:ext:a", "URN:CORE", "urn:other"])
        );
        let body = encoded(json!({"schemas": ["urn:ext:a"]}));
        assert_eq!(body["schemas"], json!(["urn:core", "urn:ext:a"]));
    }

    #[test]
    fn unknown_extensions_are_listed_and_read_only_attributes_dropped() {
        let body = encoded(json!({"id": "1", "meta": {}, "urn:vendor:x": {"k": true}, "kept": 2}));
        assert_eq!(
            body,
            json!({"schemas": ["urn:core", "urn:vendor:x"], "urn:vendor:x": {"k": true}, "kept": 2})
        );
    }

    #[test]
    fn schemas_that_are_not_a_list_are_left_alone() {
        assert_eq!(
            encoded(json!({"schemas": "urn:core"}))["schemas"],
            json!("urn:core")
        );
    }
}
