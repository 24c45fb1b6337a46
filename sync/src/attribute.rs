//! The attribute a change is about, rendered to its SCIM path in one place.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What one [`Change`](crate::Change) is about. It renders to the SCIM path
/// a PATCH names with [`path`](Attribute::path), and to a label for a
/// person with `Display` (the people file's words where there are some:
/// `email`, `phone`, `department`, `manager`). It serializes as its path.
///
/// ```
/// use scim_sync::Attribute;
/// let email = Attribute::Typed { name: "emails".into(), kind: "work".into(), field: Some("value".into()) };
/// assert_eq!(email.path(), r#"emails[type eq "work"].value"#);
/// assert_eq!(email.to_string(), "email");
/// let manager = Attribute::enterprise("manager");
/// assert!(manager.is_manager());
/// assert_eq!(manager.to_string(), "manager");
/// assert_eq!(Attribute::Core("title".into()).path(), "title");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Attribute {
    /// A core attribute, such as `title`, `active` or `roles`.
    Core(String),
    /// An attribute of a schema extension, such as the enterprise
    /// extension's `department`.
    Extension {
        /// The extension's schema URN.
        schema: String,
        /// The attribute's name in it.
        name: String,
    },
    /// The element of a multi-valued attribute keyed by `type` (the work
    /// email), or one field of it.
    Typed {
        /// The multi-valued attribute, such as `emails`.
        name: String,
        /// The element's `type`, such as `work`.
        kind: String,
        /// The field changed; `None` for the whole element.
        field: Option<String>,
    },
    /// One member of a group, by user id.
    Member(String),
}

impl Attribute {
    /// An attribute of the enterprise extension.
    ///
    /// ```
    /// assert_eq!(
    ///     scim_sync::Attribute::enterprise("division").path(),
    ///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division"
    /// );
    /// ```
    pub fn enterprise(name: impl Into<String>) -> Self {
        Attribute::Extension {
            schema: scim_sdk::schemas::ENTERPRISE_USER.to_owned(),
            name: name.into(),
        }
    }

    /// The SCIM path a PATCH operation names.
    ///
    /// ```
    /// assert_eq!(scim_sync::Attribute::Core("title".into()).path(), "title");
    /// ```
    pub fn path(&self) -> String {
        match self {
            Attribute::Core(name) => name.clone(),
            Attribute::Extension { schema, name } => format!("{schema}:{name}"),
            Attribute::Typed { name, kind, field } => {
                let kind = serde_json::Value::String(kind.clone());
                match field {
                    Some(field) => format!("{name}[type eq {kind}].{field}"),
                    None => format!("{name}[type eq {kind}]"),
                }
            }
            Attribute::Member(id) => {
                format!(
                    "members[value eq {}]",
                    serde_json::Value::String(id.clone())
                )
            }
        }
    }

    /// Whether this is the enterprise extension's `manager`, whose values
    /// are user ids.
    ///
    /// ```
    /// assert!(scim_sync::Attribute::enterprise("manager").is_manager());
    /// ```
    pub fn is_manager(&self) -> bool {
        matches!(self, Attribute::Extension { schema, name }
            if schema == scim_sdk::schemas::ENTERPRISE_USER && name == "manager")
    }

    /// The attribute a path names: the inverse of [`path`](Self::path),
    /// for reading a stored plan back.
    fn from_path(path: &str) -> Self {
        if let Some(id) = path
            .strip_prefix("members[value eq ")
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|literal| serde_json::from_str::<String>(literal).ok())
        {
            return Attribute::Member(id);
        }
        if let Some((name, rest)) = path.split_once("[type eq ")
            && let Some((literal, tail)) = rest.split_once(']')
            && let Ok(kind) = serde_json::from_str::<String>(literal)
        {
            return Attribute::Typed {
                name: name.to_owned(),
                kind,
                field: tail.strip_prefix('.').map(str::to_owned),
            };
        }
        match path
            .strip_prefix("urn:")
            .and_then(|_| path.rsplit_once(':'))
        {
            Some((schema, name)) => Attribute::Extension {
                schema: schema.to_owned(),
                name: name.to_owned(),
            },
            None => Attribute::Core(path.to_owned()),
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attribute::Core(name) => f.write_str(name),
            // The people file's words: `routingSkills`, not its URN path.
            Attribute::Extension { schema, name }
                if schema == scim_sdk::schemas::ENTERPRISE_USER
                    || schema == scim_sdk::schemas::GENESYS_USER =>
            {
                f.write_str(name)
            }
            Attribute::Extension { .. } => f.write_str(&self.path()),
            Attribute::Typed { name, kind, field } => {
                match (name.as_str(), kind.as_str()) {
                    ("emails", "work") => f.write_str("email")?,
                    ("phoneNumbers", "work") => f.write_str("phone")?,
                    _ => write!(f, "{name} ({kind})")?,
                }
                match field.as_deref() {
                    None | Some("value") => Ok(()),
                    Some(field) => write!(f, " {field}"),
                }
            }
            Attribute::Member(id) => write!(f, "member {id}"),
        }
    }
}

impl Serialize for Attribute {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.path())
    }
}

impl<'de> Deserialize<'de> for Attribute {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let path = String::deserialize(d)?;
        Ok(Attribute::from_path(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_reads_back_from_its_path() {
        let all = [
            Attribute::Core("title".into()),
            Attribute::enterprise("manager"),
            Attribute::Typed {
                name: "emails".into(),
                kind: "work".into(),
                field: Some("value".into()),
            },
            Attribute::Typed {
                name: "phoneNumbers".into(),
                kind: "mobile \"x\"".into(),
                field: None,
            },
            Attribute::Member("8f2b-]".into()),
        ];
        for a in all {
            assert_eq!(Attribute::from_path(&a.path()), a, "{}", a.path());
        }
    }
}
