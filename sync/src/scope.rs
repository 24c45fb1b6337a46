//! Which existing users a sync may change, take over or deactivate.

use crate::Error;
use crate::exclusion::Exclusion;
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
/// ignoring case, externalIds trimmed, as everywhere in a sync.
///
/// ```
/// use scim_sync::Scope;
/// if let Scope::Limited(limits) = Scope::default().excluding(["bob@x.test"]) {
///     assert_eq!(limits.exclude.len(), 1);
/// }
/// ```
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Limits {
    /// The rule narrowed.
    pub rule: Scope,
    /// People never changed, whatever the rule says.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub exclude: BTreeSet<Exclusion>,
    /// When set, the only people the scope holds, each by userName,
    /// externalId or both (an account with either is held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<BTreeSet<Exclusion>>,
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
    /// Whether no exclusion and no `only` list keeps out the user of this
    /// userName and externalId.
    fn admits(&self, user_name: &str, external_id: Option<&str>) -> bool {
        let named = |x: &Exclusion| x.names(user_name, external_id);
        !self.exclude.iter().any(named) && self.only.as_ref().is_none_or(|o| o.iter().any(named))
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
    /// changed, taken over, created or deactivated, and apply checks it
    /// again on what it reads just before each write.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::Scope;
    /// let okta = ScimV2User::new().with_user_name("okta.svc@example.com").with_external_id("OKTA-1");
    /// assert!(!Scope::default().excluding(["OKTA.svc@example.com "]).contains(&okta));
    /// ```
    pub fn excluding<S: AsRef<str>>(self, user_names: impl IntoIterator<Item = S>) -> Scope {
        self.excluding_people(
            user_names
                .into_iter()
                .map(|n| Exclusion::by_user_name(n.as_ref())),
        )
    }

    /// This scope without the users of these externalIds, as
    /// [`excluding`](Scope::excluding) does by userName.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::Scope;
    /// let okta = ScimV2User::new().with_user_name("svc@example.com").with_external_id("OKTA-1");
    /// assert!(!Scope::default().excluding_external_ids(["OKTA-1"]).contains(&okta));
    /// ```
    pub fn excluding_external_ids<S: AsRef<str>>(
        self,
        external_ids: impl IntoIterator<Item = S>,
    ) -> Scope {
        self.excluding_people(
            external_ids
                .into_iter()
                .map(|x| Exclusion::by_external_id(x.as_ref())),
        )
    }

    /// This scope without these people, each by userName, externalId or
    /// both ([`Exclusion`]). A plan made with it warns about an exclusion
    /// that matches no account (a typo, say).
    ///
    /// ```
    /// use scim_sync::{Exclusion, Scope};
    /// let scope = Scope::default().excluding_people(["bob@x.test".parse::<Exclusion>()?, "externalId:OKTA-1".parse()?]);
    /// assert_eq!(scope.exclusions().len(), 2);
    /// # Ok::<(), scim_sync::Error>(())
    /// ```
    pub fn excluding_people(self, exclusions: impl IntoIterator<Item = Exclusion>) -> Scope {
        let mut more = exclusions.into_iter().filter(|x| !x.is_empty()).peekable();
        if more.peek().is_none() {
            // Nothing excluded: the scope stays as it is, and says so.
            return self;
        }
        let mut limits = self.limits();
        limits.exclude.extend(more);
        Scope::Limited(Arc::new(limits))
    }

    /// The people this scope excludes.
    ///
    /// ```
    /// assert!(scim_sync::Scope::All.exclusions().is_empty());
    /// ```
    pub fn exclusions(&self) -> Vec<&Exclusion> {
        match self {
            Scope::Limited(l) => l.exclude.iter().chain(l.rule.exclusions()).collect(),
            _ => Vec::new(),
        }
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
        self.only_people(
            user_names
                .into_iter()
                .map(|n| Exclusion::by_user_name(n.as_ref())),
        )
    }

    /// This scope narrowed to these people, each by userName, externalId or
    /// both, as an [`Exclusion`] names a person: a row's person is held by
    /// the account of its externalId even before the sync gives that
    /// account the row's new userName. Narrowing again keeps the people
    /// named alike both times.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::{Exclusion, Scope};
    /// let jo = Scope::default().only_people([Exclusion::person("jo.new@x.test", Some("E-7"))]);
    /// // HR renamed Jo; the account has the old name until the sync renames it.
    /// assert!(jo.contains(&ScimV2User::new().with_user_name("jo.old@x.test").with_external_id("E-7")));
    /// assert!(!jo.contains(&ScimV2User::new().with_user_name("ann@x.test").with_external_id("E-1")));
    /// ```
    pub fn only_people(self, people: impl IntoIterator<Item = Exclusion>) -> Scope {
        let mut limits = self.limits();
        let named: BTreeSet<Exclusion> = people.into_iter().filter(|p| !p.is_empty()).collect();
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
            Scope::Limited(l) => l.rule.contains(user) && !self.excludes(user),
        }
    }

    /// Whether `user` is kept out by an exclusion (by userName or
    /// externalId) or an `only` list, whatever the rule says: such a user
    /// is never written, created or taken over.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// let scope = scim_sync::Scope::All.excluding_external_ids(["OKTA-1"]);
    /// assert!(scope.excludes(&ScimV2User::new().with_user_name("a@x.test").with_external_id("OKTA-1")));
    /// ```
    pub fn excludes(&self, user: &ScimV2User) -> bool {
        match self {
            Scope::Limited(l) => {
                let name = user.user_name.as_deref().unwrap_or_default();
                !l.admits(name, user.external_id.as_deref()) || l.rule.excludes(user)
            }
            _ => false,
        }
    }

    /// Whether this scope is no wider than `other`: every user it holds,
    /// `other` holds, every exclusion of `other` is among its own, and it
    /// deactivates only if `other` does. A saved plan's scope must be
    /// within the one it is applied under: a file may narrow a sync, never
    /// widen it. A custom rule is within only itself (or `all`).
    ///
    /// ```
    /// use scim_sync::Scope;
    /// let cli = Scope::default().excluding(["okta.svc@x.test"]);
    /// assert!(cli.clone().excluding(["bob@x.test"]).is_within(&cli));
    /// assert!(!Scope::default().is_within(&cli), "the exclusion is missing");
    /// assert!(!Scope::All.is_within(&Scope::default()));
    /// assert!(Scope::default().is_within(&Scope::All));
    /// assert!(!Scope::All.is_within(&Scope::All.without_deactivations()));
    /// ```
    pub fn is_within(&self, other: &Scope) -> bool {
        let (mine, theirs) = (self.flat(), other.flat());
        let rule = match (mine.rule, theirs.rule) {
            (_, Scope::All) => true,
            (Scope::Custom(a), Scope::Custom(b)) => Arc::ptr_eq(a, b),
            (a, b) => a == b,
        };
        let names: BTreeSet<&str> = mine.exclude.iter().filter_map(|x| x.user_name()).collect();
        let ids: BTreeSet<&str> = mine
            .exclude
            .iter()
            .filter_map(|x| x.external_id())
            .collect();
        let excludes_theirs = theirs.exclude.iter().all(|x| {
            x.user_name().is_none_or(|n| names.contains(n))
                && x.external_id().is_none_or(|e| ids.contains(e))
        });
        let only = match (&mine.only, &theirs.only) {
            (_, None) => true,
            (Some(a), Some(b)) => a.is_subset(b),
            (None, Some(_)) => false,
        };
        rule && excludes_theirs && only && (!mine.deactivate || theirs.deactivate)
    }

    /// The rule under any limits, with the limits gathered.
    fn flat(&self) -> Flat<'_> {
        match self {
            Scope::Limited(l) => {
                let mut inner = l.rule.flat();
                inner.exclude.extend(&l.exclude);
                inner.only = match (inner.only, &l.only) {
                    (Some(a), Some(b)) => Some(a.intersection(b).cloned().collect()),
                    (a, b) => a.or_else(|| b.clone()),
                };
                inner.deactivate &= l.deactivate;
                inner
            }
            rule => Flat {
                rule,
                exclude: Vec::new(),
                only: None,
                deactivate: true,
            },
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

/// A scope's rule with its limits gathered, for comparing scopes.
struct Flat<'a> {
    rule: &'a Scope,
    exclude: Vec<&'a Exclusion>,
    only: Option<BTreeSet<Exclusion>>,
    deactivate: bool,
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
