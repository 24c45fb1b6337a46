//! Which existing users a sync may change, take over or deactivate.

use crate::Error;
use crate::matching::user_name_key;
use scim_sdk::models::ScimV2User;
use std::collections::BTreeSet;
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
    /// Another scope narrowed by userName, and perhaps forbidden to
    /// deactivate: see [`Scope::excluding`], [`Scope::only`] and
    /// [`Scope::without_deactivations`].
    Limited(Arc<Limits>),
}

/// How a [`Scope::Limited`] narrows its rule. userNames compare trimmed and
/// ignoring case, as everywhere in a sync.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Limits {
    /// The rule narrowed.
    pub rule: Scope,
    /// Users never changed, whatever the rule says.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub exclude: BTreeSet<String>,
    /// When set, the only users the scope holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<BTreeSet<String>>,
    /// Whether the sync may deactivate anyone.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub deactivate: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Limits {
    fn admits(&self, user_name: &str) -> bool {
        let key = user_name_key(user_name);
        !self.exclude.contains(&key) && self.only.as_ref().is_none_or(|o| o.contains(&key))
    }
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

    fn limits(self) -> Limits {
        match self {
            Scope::Limited(l) => Arc::unwrap_or_clone(l),
            rule => Limits {
                rule,
                deactivate: true,
                ..Limits::default()
            },
        }
    }

    /// This scope without the users of these userNames: they are never
    /// changed, taken over or deactivated, and apply checks it again on
    /// what it reads just before each write.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::Scope;
    /// let okta = ScimV2User::new().with_user_name("okta.svc@example.com").with_external_id("OKTA-1");
    /// assert!(!Scope::default().excluding(["OKTA.svc@example.com "]).contains(&okta));
    /// ```
    pub fn excluding<S: AsRef<str>>(self, user_names: impl IntoIterator<Item = S>) -> Scope {
        let mut limits = self.limits();
        limits
            .exclude
            .extend(user_names.into_iter().map(|n| user_name_key(n.as_ref())));
        Scope::Limited(Arc::new(limits))
    }

    /// This scope narrowed to the users of these userNames.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::Scope;
    /// let ann = ScimV2User::new().with_user_name("ann@example.com");
    /// assert!(Scope::All.only(["ann@example.com"]).contains(&ann));
    /// assert!(!Scope::All.only(["bob@example.com"]).contains(&ann));
    /// ```
    pub fn only<S: AsRef<str>>(self, user_names: impl IntoIterator<Item = S>) -> Scope {
        let mut limits = self.limits();
        let named: BTreeSet<String> = user_names
            .into_iter()
            .map(|n| user_name_key(n.as_ref()))
            .collect();
        limits.only = Some(match limits.only {
            Some(before) => before.intersection(&named).cloned().collect(),
            None => named,
        });
        Scope::Limited(Arc::new(limits))
    }

    /// This scope, deactivating nobody: a plan made with it has no
    /// deactivation, and apply refuses one that has.
    ///
    /// ```
    /// assert!(!scim_sync::Scope::All.without_deactivations().deactivates());
    /// ```
    pub fn without_deactivations(self) -> Scope {
        let mut limits = self.limits();
        limits.deactivate = false;
        Scope::Limited(Arc::new(limits))
    }

    /// Whether a sync in this scope may deactivate users.
    ///
    /// ```
    /// assert!(scim_sync::Scope::default().deactivates());
    /// ```
    pub fn deactivates(&self) -> bool {
        match self {
            Scope::Limited(l) => l.deactivate,
            _ => true,
        }
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
            Scope::Limited(l) => {
                l.rule.contains(user) && l.admits(user.user_name.as_deref().unwrap_or_default())
            }
        }
    }

    /// Whether a user of this userName is kept out by an exclusion or an
    /// `only` list, whatever the rule says.
    ///
    /// ```
    /// assert!(scim_sync::Scope::All.excluding(["a@x.test"]).shuts_out("A@x.test"));
    /// ```
    pub fn shuts_out(&self, user_name: &str) -> bool {
        match self {
            Scope::Limited(l) => !l.admits(user_name) || l.rule.shuts_out(user_name),
            _ => false,
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
            Scope::Limited(l) => {
                let mut text = l.rule.describe();
                if let Some(only) = &l.only {
                    text += &format!(", only {}", people(only.len()));
                }
                if !l.exclude.is_empty() {
                    text += &format!(", excluding {}", people(l.exclude.len()));
                }
                if !l.deactivate {
                    text += ", no deactivation";
                }
                text
            }
        }
    }
}

fn people(n: usize) -> String {
    match n {
        1 => "1 user".into(),
        n => format!("{n} users"),
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
            (Scope::Limited(a), Scope::Limited(b)) => a == b,
            (Scope::Limited(_), _) | (_, Scope::Limited(_)) => false,
            (a, b) => a.describe() == b.describe(),
        }
    }
}

/// A scope serializes as the text the CLI takes, so that a saved plan
/// keeps the rule its writes are checked against.
impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // {"rule": …, "exclude": […], "only": […], "deactivate": false}
            Scope::Limited(limits) => limits.serialize(serializer),
            _ => serializer.serialize_str(&self.describe()),
        }
    }
}

/// A custom scope is a function and cannot be read back: a saved plan made
/// with one is refused rather than applied without its rule.
impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Limited(Box<Limits>),
        }
        let text = match Form::deserialize(deserializer)? {
            Form::Text(text) => text,
            Form::Limited(limits) => return Ok(Scope::Limited(Arc::new(*limits))),
        };
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
