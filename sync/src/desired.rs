//! The desired state a sync plans toward, and the checks it must pass
//! before anything is read or sent.

use crate::matching::{external_id_key, user_name_key};
use crate::{Error, RefusalKind};
use scim_sdk::models::ScimV2User;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One user as the feed (an HR export, an identity provider) wants it.
///
/// `user` follows the [`diff_user`](crate::diff_user) conventions:
/// attributes left `None` are not managed and never touched, an empty
/// string clears an attribute. `active` left unset means active. The
/// manager is named by `userName`, because the feed does not know Genesys
/// ids: the engine resolves it against the org and the feed, and creates
/// managers before their reports.
///
/// `groups` manages the user's group memberships, by group name: `None`
/// leaves them alone, a list makes the user a member of exactly those groups
/// (an empty list: of none). This suits feeds that list each person's
/// groups; [`Memberships`] suits feeds that list each group's members.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::DesiredUser;
///
/// let jane = DesiredUser::new(
///     ScimV2User::new()
///         .with_user_name("jane@example.com")
///         .with_display_name("Jane Doe")
///         .with_external_id("E-1007")
///         .with_title("") // clear the title
///         .with_department("Care"),
/// )
/// .with_manager("boss@example.com");
/// assert_eq!(jane.manager.as_deref(), Some("boss@example.com"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DesiredUser {
    /// The attributes to manage.
    pub user: ScimV2User,
    /// The manager's `userName`: `None` leaves the manager alone, an empty
    /// string removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The names of the groups the user belongs to: `None` leaves the
    /// user's memberships alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
}

impl DesiredUser {
    /// A desired user with no manager reference.
    ///
    /// ```
    /// let d = scim_sync::DesiredUser::new(scim_sdk::models::ScimV2User::new().with_user_name("a@b.c"));
    /// assert_eq!(d.user_name(), "a@b.c");
    /// ```
    pub fn new(user: ScimV2User) -> Self {
        Self {
            user,
            manager: None,
            groups: None,
        }
    }

    /// Names the manager by `userName` (empty to remove the manager).
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::DesiredUser;
    /// let d = DesiredUser::new(ScimV2User::new()).with_manager("");
    /// assert_eq!(d.manager.as_deref(), Some(""));
    /// ```
    #[must_use]
    pub fn with_manager(mut self, user_name: impl Into<String>) -> Self {
        self.manager = Some(user_name.into());
        self
    }

    /// Makes the user a member of exactly these groups, by display name,
    /// and of no other (none for an empty list). Only in-scope users'
    /// memberships change.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::DesiredUser;
    /// let d = DesiredUser::new(ScimV2User::new().with_user_name("a@b.c")).with_groups(["Sales", "Support"]);
    /// assert_eq!(d.groups, Some(vec!["Sales".to_owned(), "Support".to_owned()]));
    /// let none = DesiredUser::new(ScimV2User::new()).with_groups(Vec::<String>::new());
    /// assert_eq!(none.groups, Some(vec![]));
    /// ```
    #[must_use]
    pub fn with_groups<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.groups = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// The `userName` without surrounding spaces, or `""` when missing:
    /// the form the engine matches, plans and creates with.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// assert_eq!(scim_sync::DesiredUser::default().user_name(), "");
    /// let d = scim_sync::DesiredUser::new(ScimV2User::new().with_user_name(" a@x.com "));
    /// assert_eq!(d.user_name(), "a@x.com");
    /// ```
    pub fn user_name(&self) -> &str {
        self.user.user_name.as_deref().unwrap_or_default().trim()
    }
}

impl From<ScimV2User> for DesiredUser {
    /// ```
    /// let d: scim_sync::DesiredUser = scim_sdk::models::ScimV2User::new().into();
    /// assert_eq!(d.manager, None);
    /// ```
    fn from(user: ScimV2User) -> Self {
        Self::new(user)
    }
}

/// Desired group memberships: group display name → member `userName`s.
///
/// Only the groups named here are touched, and in them only in-scope users
/// are added or removed. For a feed that lists each person's groups, use
/// [`DesiredUser::with_groups`] instead: it leaves alone the people whose
/// groups the feed does not give.
///
/// ```
/// let mut memberships = scim_sync::Memberships::new();
/// memberships.entry("Sales".into()).or_default().push("jane@example.com".into());
/// # let _ = memberships;
/// ```
pub type Memberships = BTreeMap<String, Vec<String>>;

/// How a refusal names a feed row: its position (from 1) and userName,
/// such as `#3 (jane@example.com)`.
pub(crate) fn record(position: usize, user_name: &str) -> String {
    let user_name = user_name.trim();
    if user_name.is_empty() {
        format!("#{position}")
    } else {
        format!("#{position} ({user_name})")
    }
}

fn invalid(position: usize, user_name: &str, message: String) -> Error {
    Error::refused(
        RefusalKind::InvalidFeed,
        vec![record(position, user_name)],
        message,
    )
}

/// Refuses a feed that cannot be planned: a user without `userName`, two
/// users with the same `userName` (ignoring case) or the same non-empty
/// `externalId`. Positions count from 1.
pub(crate) fn validate(users: &[DesiredUser]) -> Result<(), Error> {
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut external: HashMap<&str, usize> = HashMap::new();
    for (i, d) in users.iter().enumerate() {
        let position = i + 1;
        let name = d.user_name().trim();
        if name.is_empty() {
            return Err(invalid(
                position,
                "",
                format!("user #{position} has no userName"),
            ));
        }
        if let Some(first) = names.insert(user_name_key(name), position) {
            return Err(invalid(
                position,
                name,
                format!("userName {name} appears twice in the feed: #{first} and #{position}"),
            ));
        }
        if let Some(x) = external_id_key(d.user.external_id.as_deref())
            && let Some(first) = external.insert(x, position)
        {
            return Err(invalid(
                position,
                name,
                format!("externalId {x} appears twice in the feed: #{first} and #{position}"),
            ));
        }
    }
    Ok(())
}
