//! The one place where names from the spec become Rust identifiers.
//!
//! Wire names such as `userName`, `$ref`, `Resources`,
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` or `2fa` all go
//! through [`snake_case`] or [`pascal_case`], which split words, drop
//! characters Rust does not allow, avoid keywords and leading digits.
//!
//! Sanitising can map two names to one identifier (`user-name` and
//! `userName`), or onto a name the generated code needs for itself (an enum
//! value `unknown` onto the `Unknown` catch-all). The generator never refuses
//! such a spec: [`distinct`] gives every name a unique identifier, the same
//! one on every run.

use std::collections::BTreeSet;

/// Words that cannot be used as plain identifiers (strict and reserved
/// keywords of every edition, plus `self`-like path keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits a name into words: at non-alphanumeric characters, at
/// lower-to-upper and digit-to-upper changes, and before the last capital
/// of an acronym (`HTTPServer` → `HTTP`, `Server`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A `snake_case` identifier for a field, parameter or method.
///
/// Returns `None` when nothing identifier-like is left (e.g. `"$$"`).
pub fn snake_case(name: &str) -> Option<String> {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    finish(joined, "v")
}

/// A `PascalCase` identifier for a type or enum variant.
pub fn pascal_case(name: &str) -> Option<String> {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    finish(joined, "V")
}

fn finish(ident: String, digit_prefix: &str) -> Option<String> {
    if ident.is_empty() {
        return None;
    }
    let ident = if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{ident}")
    } else {
        ident
    };
    if KEYWORDS.contains(&ident.as_str()) {
        Some(format!("{ident}_"))
    } else {
        Some(ident)
    }
}

/// The enum variant that keeps values the spec does not list.
pub const CATCH_ALL_VARIANT: &str = "Unknown";

/// The struct field that keeps attributes the spec does not list.
pub const CATCH_ALL_FIELD: &str = "additional_properties";

/// Type names that generated code uses unqualified next to the generated
/// types (prelude items, serde's derives); a schema or operation may not
/// take them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Default",
    "Deserialize",
    "Err",
    "From",
    "Into",
    "IntoIterator",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Some",
    "String",
    "ToString",
    "Vec",
];

/// One identifier for each of `wanted`, distinct from each other and from
/// `taken`. A name keeps its identifier when it is the first in `wanted` to
/// ask for it and `taken` does not hold it; the others get the smallest free
/// numbered form from [`unique`] (`user_name_2`), in order. The result
/// depends only on the inputs, so regeneration is stable.
pub fn distinct(wanted: &[String], taken: &BTreeSet<String>, separator: &str) -> Vec<String> {
    let mut used = taken.clone();
    let mut out: Vec<Option<String>> = wanted
        .iter()
        .map(|w| used.insert(w.clone()).then(|| w.clone()))
        .collect();
    for (slot, want) in out.iter_mut().zip(wanted) {
        if slot.is_none() {
            let name = unique(want, separator, |c| used.contains(c));
            used.insert(name.clone());
            *slot = Some(name);
        }
    }
    out.into_iter().flatten().collect()
}

/// `base` if `taken` refuses it, otherwise `base` followed by `separator`
/// and the smallest number from 2 up that is free. Deterministic: the same
/// names taken in the same order always give the same result.
pub fn unique(base: &str, separator: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u32..)
        .map(|n| format!("{base}{separator}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        let cases = [
            ("userName", "user_name"),
            ("getScimV2Users", "get_scim_v2_users"),
            (
                "getScimServiceproviderconfig",
                "get_scim_serviceproviderconfig",
            ),
            ("Resources", "resources"),
            ("$ref", "ref_"),
            ("type", "type_"),
            ("If-None-Match", "if_none_match"),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn_ietf_params_scim_schemas_extension_enterprise_2_0_user",
            ),
            ("2fa", "v2fa"),
            ("HTTPServer", "http_server"),
            ("maxPayloadSize", "max_payload_size"),
        ];
        for (input, want) in cases {
            assert_eq!(snake_case(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(snake_case("$$"), None);
    }

    #[test]
    fn unique_names_take_the_first_free_number() {
        let taken = ["users", "users_2"];
        assert_eq!(unique("users", "_", |n| taken.contains(&n)), "users_3");
        assert_eq!(unique("groups", "_", |n| taken.contains(&n)), "groups");
    }

    #[test]
    fn distinct_names_keep_the_first_claim_and_number_the_rest() {
        let wanted: Vec<String> = ["a", "b", "a", "Unknown", "a_2"].map(String::from).into();
        let taken = BTreeSet::from(["Unknown".to_owned()]);
        assert_eq!(
            distinct(&wanted, &taken, "_"),
            ["a", "b", "a_3", "Unknown_2", "a_2"]
        );
    }

    #[test]
    fn pascal_names() {
        assert_eq!(
            pascal_case("getScimV2User").as_deref(),
            Some("GetScimV2User")
        );
        assert_eq!(pascal_case("work2").as_deref(), Some("Work2"));
        assert_eq!(pascal_case("dateTime").as_deref(), Some("DateTime"));
        assert_eq!(
            pascal_case("microsoftteams").as_deref(),
            Some("Microsoftteams")
        );
        assert_eq!(pascal_case("self").as_deref(), Some("Self_"));
        assert_eq!(pascal_case("3d").as_deref(), Some("V3d"));
    }
}
