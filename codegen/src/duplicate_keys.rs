//! Refusing JSON objects that repeat a key, before the document is read
//! as OpenAPI.
//!
//! RFC 8259 leaves repeated names to the reader, and readers disagree:
//! `openapiv3` even panics on some (its `$ref`-or-item fallback parses the
//! same node twice, once keeping the first value and once the last). A
//! repeated key in a spec is a mistake, so it is an error that names it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// Checks that no object in `json` repeats a key.
///
/// # Errors
/// serde_json's error naming the repeated key, with its line and column, or
/// any syntax error.
pub(crate) fn check(json: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<Unique>(json).map(|_| ())
}

/// Any JSON value whose objects have distinct keys.
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut seen = HashSet::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            map.next_value::<Unique>()?;
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("the key `{key}` appears twice")));
            }
        }
        Ok(Unique)
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_repeated_key_is_a_parse_error_not_a_panic() {
        // Found by the codegen_lower fuzz target: openapiv3 panicked
        // ("somehow this parsed successfully the second time") on a
        // parameter with two `in` keys.
        let doc = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{
            "operationId":"a","parameters":[{"name":"f","in":"query","in":"header",
            "schema":{"type":"string"}}],"responses":{}}}}}"#;
        let err = crate::parse(doc)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("the key `in` appears twice"), "{err}");
    }

    #[test]
    fn distinct_keys_and_nested_values_pass() {
        assert!(super::check(r#"{"a":[{"a":1},{"a":2}],"b":{"a":null},"c\u0041":true}"#).is_ok());
        assert!(super::check(r#"{"a":1,"\u0061":2}"#).is_err());
    }
}
