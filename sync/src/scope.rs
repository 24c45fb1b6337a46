//! Which existing users a sync may change, take over or deactivate.

use crate::Error;
use scim_sdk::models::ScimV2User;
use std::sync::Arc;

/// The users a sync is responsible for. Users outside the scope are never
/// changed, taken over or deactivated, even when the feed does not mention
/// them: this is what keeps a sync away from admins and service accounts.
///
/// Parse one from the text the CLI takes: `external-id` (the default),
/// `all`, or `division:NAME`.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::Scope;
///
/// let admin = ScimV2User::new().with_user_name("admin@example.com");
/// let hired = ScimV2User::new().with_external_id("E-1").with_division("Care");
/// assert!(!Scope::default().contains(&admin)); // no externalId: not ours
/// assert!(Scope::default().contains(&hired));
/// assert!("division:Care".parse::<Scope>()?.contains(&hired));
/// assert!(Scope::custom(|u| u.title.as_deref() == Some("Agent")).contains(&hired.with_title("Agent")));
/// # Ok::<(), scim_sync::Error>(())
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Scope {
    /// Users with a non-empty `externalId`: those some provisioning system
    /// created. The default.
    #[default]
    ExternalId,
    /// Every user.
    All,
    /// Users in this division (the enterprise extension's `division`).
    Division(String),
    /// Users for which the function returns `true`.
    Custom(Arc<dyn Fn(&ScimV2User) -> bool + Send + Sync>),
}

impl Scope {
    /// A scope decided by `f`.
    ///
    /// ```
    /// let contractors = scim_sync::Scope::custom(|u| {
    ///     u.user_name.as_deref().is_some_and(|n| n.ends_with("@contractors.example.com"))
    /// });
    /// # let _ = contractors;
    /// ```
    pub fn custom(f: impl Fn(&ScimV2User) -> bool + Send + Sync + 'static) -> Self {
        Scope::Custom(Arc::new(f))
    }

    /// Whether `user` is in the scope.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::Scope;
    /// assert!(Scope::All.contains(&ScimV2User::new()));
    /// ```
    pub fn contains(&self, user: &ScimV2User) -> bool {
        match self {
            Scope::ExternalId => user.external_id.as_deref().is_some_and(|x| !x.is_empty()),
            Scope::All => true,
            Scope::Division(name) => user.division() == Some(name.as_str()),
            Scope::Custom(f) => f(user),
        }
    }

    /// The scope in the words the CLI takes (`custom` for a function).
    ///
    /// ```
    /// use scim_sync::Scope;
    /// assert_eq!(Scope::Division("Care".into()).describe(), "division:Care");
    /// ```
    pub fn describe(&self) -> String {
        match self {
            Scope::ExternalId => "external-id".into(),
            Scope::All => "all".into(),
            Scope::Division(name) => format!("division:{name}"),
            Scope::Custom(_) => "custom".into(),
        }
    }
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl PartialEq for Scope {
    /// Two custom scopes are equal only when they share one function.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Scope::Custom(a), Scope::Custom(b)) => Arc::ptr_eq(a, b),
            (Scope::Custom(_), _) | (_, Scope::Custom(_)) => false,
            (a, b) => a.describe() == b.describe(),
        }
    }
}

/// A scope serializes as the text the CLI takes, so that a saved plan
/// keeps the rule its writes are checked against.
impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.describe())
    }
}

/// A custom scope is a function and cannot be read back: a saved plan made
/// with one is refused rather than applied without its rule.
impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "custom" {
            return Err(serde::de::Error::custom(
                "a plan made with a custom scope cannot be restored: plan again",
            ));
        }
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Scope {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "external-id" => Ok(Scope::ExternalId),
            "all" => Ok(Scope::All),
            other => match other.strip_prefix("division:") {
                Some(name) if !name.trim().is_empty() => {
                    Ok(Scope::Division(name.trim().to_owned()))
                }
                _ => Err(Error::invalid_input(format!(
                    "unknown scope `{other}`: use external-id, all or division:NAME"
                ))),
            },
        }
    }
}
