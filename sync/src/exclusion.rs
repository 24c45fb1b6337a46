//! One person a sync must leave alone, by userName, externalId or both.

use crate::Error;
use crate::matching::{external_id_key, user_name_key};
use scim_sdk::models::ScimV2User;

/// One person a scope keeps out ([`Scope::excluding_people`](crate::Scope::excluding_people)): by
/// userName, by externalId, or by both, when a person is known by both
/// (say, the row of a file left out for a bad value). Any of the two
/// keeps the account out.
///
/// Parsed from the words the CLI takes: `externalId:VALUE`, or a userName.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::Exclusion;
/// let okta: Exclusion = "externalId:OKTA-1".parse()?;
/// assert_eq!(okta.external_id(), Some("OKTA-1"));
/// assert!(okta.matches(&ScimV2User::new().with_user_name("svc@x.test").with_external_id("OKTA-1")));
/// let jane = Exclusion::person("jane.smith@x.test", Some("E100"));
/// // Renamed in HR: the account still has her old userName, and her externalId.
/// assert!(jane.matches(&ScimV2User::new().with_user_name("jane@x.test").with_external_id("E100")));
/// assert_eq!(jane.to_string(), "jane.smith@x.test (externalId E100)");
/// # Ok::<(), scim_sync::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exclusion {
    /// In the form userNames compare in.
    user_name: Option<String>,
    /// Trimmed.
    external_id: Option<String>,
}

impl Exclusion {
    /// The account of this userName (compared trimmed, ignoring case).
    ///
    /// ```
    /// assert_eq!(scim_sync::Exclusion::by_user_name(" Bob@X.test").to_string(), "bob@x.test");
    /// ```
    pub fn by_user_name(user_name: &str) -> Exclusion {
        Exclusion {
            user_name: Some(user_name_key(user_name)).filter(|n| !n.is_empty()),
            external_id: None,
        }
    }

    /// The account of this externalId (compared trimmed, with case).
    ///
    /// ```
    /// assert_eq!(scim_sync::Exclusion::by_external_id("OKTA-1").to_string(), "externalId OKTA-1");
    /// ```
    pub fn by_external_id(external_id: &str) -> Exclusion {
        Exclusion {
            user_name: None,
            external_id: external_id_key(Some(external_id)).map(str::to_owned),
        }
    }

    /// A person known by a userName and perhaps an externalId: an account
    /// with either is kept out.
    ///
    /// ```
    /// let x = scim_sync::Exclusion::person("jane@x.test", None);
    /// assert_eq!(x, scim_sync::Exclusion::by_user_name("jane@x.test"));
    /// ```
    pub fn person(user_name: &str, external_id: Option<&str>) -> Exclusion {
        Exclusion {
            external_id: external_id_key(external_id).map(str::to_owned),
            ..Exclusion::by_user_name(user_name)
        }
    }

    /// The userName it names, in the form userNames compare in (trimmed,
    /// lower case).
    ///
    /// ```
    /// assert_eq!(scim_sync::Exclusion::by_user_name("A@x.test").user_name(), Some("a@x.test"));
    /// ```
    pub fn user_name(&self) -> Option<&str> {
        self.user_name.as_deref()
    }

    /// The externalId it names.
    ///
    /// ```
    /// assert_eq!(scim_sync::Exclusion::by_user_name("a@x.test").external_id(), None);
    /// ```
    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }

    /// Whether it keeps `user` out: the same userName or the same externalId.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// let x = scim_sync::Exclusion::by_user_name("bob@x.test");
    /// assert!(x.matches(&ScimV2User::new().with_user_name("BOB@x.test")));
    /// ```
    pub fn matches(&self, user: &ScimV2User) -> bool {
        self.names(
            user.user_name.as_deref().unwrap_or_default(),
            user.external_id.as_deref(),
        )
    }

    /// Whether it names the account of this userName or externalId.
    pub(crate) fn names(&self, user_name: &str, external_id: Option<&str>) -> bool {
        let by_name = self
            .user_name
            .as_deref()
            .is_some_and(|n| n == user_name_key(user_name));
        let by_id = self.external_id.is_some()
            && self.external_id.as_deref() == external_id_key(external_id);
        by_name || by_id
    }

    /// Whether it names nothing (an empty userName and no externalId).
    pub(crate) fn is_empty(&self) -> bool {
        self.user_name.is_none() && self.external_id.is_none()
    }
}

impl std::fmt::Display for Exclusion {
    /// `bob@x.test`, `externalId OKTA-1`, or `jane@x.test (externalId E100)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.user_name, &self.external_id) {
            (Some(n), Some(x)) => write!(f, "{n} (externalId {x})"),
            (Some(n), None) => f.write_str(n),
            (None, Some(x)) => write!(f, "externalId {x}"),
            (None, None) => f.write_str("nobody"),
        }
    }
}

impl std::str::FromStr for Exclusion {
    type Err = Error;

    /// `externalId:VALUE` (the prefix in any case), else a userName.
    fn from_str(s: &str) -> Result<Self, Error> {
        let text = s.trim();
        let prefix = "externalid:";
        let exclusion = match text.get(..prefix.len()) {
            Some(head) if head.eq_ignore_ascii_case(prefix) => {
                Exclusion::by_external_id(&text[prefix.len()..])
            }
            _ => Exclusion::by_user_name(text),
        };
        if exclusion.is_empty() {
            return Err(Error::invalid_input(format!(
                "`{s}` excludes nobody: give a userName or externalId:VALUE"
            )));
        }
        Ok(exclusion)
    }
}

/// A userName alone serializes as a string (as saved plans always wrote
/// it); anything else as `{"userName": …, "externalId": …}`.
impl serde::Serialize for Exclusion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if let (Some(name), None) = (&self.user_name, &self.external_id) {
            return serializer.serialize_str(name);
        }
        let mut map = serializer.serialize_map(None)?;
        if let Some(name) = &self.user_name {
            map.serialize_entry("userName", name)?;
        }
        if let Some(x) = &self.external_id {
            map.serialize_entry("externalId", x)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Exclusion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Form {
            UserName(String),
            Person {
                #[serde(rename = "userName", default)]
                user_name: Option<String>,
                #[serde(rename = "externalId", default)]
                external_id: Option<String>,
            },
        }
        let exclusion = match Form::deserialize(deserializer)? {
            Form::UserName(name) => Exclusion::by_user_name(&name),
            Form::Person {
                user_name,
                external_id,
            } => Exclusion {
                external_id: external_id_key(external_id.as_deref()).map(str::to_owned),
                ..Exclusion::by_user_name(user_name.as_deref().unwrap_or_default())
            },
        };
        if exclusion.is_empty() {
            return Err(serde::de::Error::custom("an exclusion names nobody"));
        }
        Ok(exclusion)
    }
}
