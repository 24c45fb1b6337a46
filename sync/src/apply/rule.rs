//! The one rule of every write, checked on the copy just read before each
//! write is sent: the account is the one the item names, it is in every
//! scope the apply answers to (rule, exclusions, `only`), and, for an
//! exact apply, it is still at the version the plan read.

use crate::matching::{external_id_key, user_name_key};
use crate::upsert::takeover_rule;
use crate::{Error, RefusalKind, Relink, Scope};
use scim_sdk::models::ScimV2User;

/// The scopes a write must be in, and whether versions must be the planned ones.
pub(crate) struct Rule<'a> {
    /// The plan's scope, and the caller's when it gave one.
    scopes: Vec<&'a Scope>,
    exact: bool,
}

/// How an item names the account it writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Names<'a> {
    /// The userName the account had when planned.
    pub(crate) user_name: &'a str,
    /// The externalId the item's row gives (an update's desired user).
    pub(crate) external_id: Option<&'a str>,
}

impl<'a> Rule<'a> {
    pub(crate) fn new(plan: &'a Scope, caller: Option<&'a Scope>, exact: bool) -> Rule<'a> {
        Rule {
            scopes: std::iter::once(plan).chain(caller).collect(),
            exact,
        }
    }

    /// Whether versions must be the planned ones.
    pub(crate) fn exact(&self) -> bool {
        self.exact
    }

    /// A rename is sent only to the account holding the externalId of the
    /// row that asks for it: the one the planner matched it by.
    pub(crate) fn rename(&self, current: &ScimV2User, names: Names<'_>) -> Result<(), Error> {
        let ours = external_id_key(names.external_id);
        if ours.is_some() && ours == external_id_key(current.external_id.as_deref()) {
            return Ok(());
        }
        Err(Error::refused(
            RefusalKind::WrongAccount,
            vec![names.user_name.to_owned()],
            format!(
                "{} would be renamed, but it does not hold the externalId of the row asking \
                 for it: not written",
                names.user_name
            ),
        ))
    }

    /// A rehire's new externalId is sent only to the account still holding
    /// the old one the feed linked (or the new one, when an earlier try may
    /// have landed), and only when no exclusion keeps the row's person out
    /// by its new identity.
    pub(crate) fn relink(
        &self,
        current: &ScimV2User,
        relink: &Relink,
        desired: &ScimV2User,
    ) -> Result<(), Error> {
        let held = external_id_key(current.external_id.as_deref());
        let name = current.user_name.clone().unwrap_or_default();
        if held != external_id_key(Some(&relink.from)) && held != external_id_key(Some(&relink.to))
        {
            return Err(Error::refused(
                RefusalKind::WrongAccount,
                vec![name.clone()],
                format!(
                    "{name} holds externalId {} now, not {} as planned: not relinked to {}",
                    held.unwrap_or("(none)"),
                    relink.from,
                    relink.to
                ),
            ));
        }
        self.create(desired)
    }

    /// Whether the scopes allow deactivations.
    pub(crate) fn deactivates(&self) -> bool {
        self.scopes.iter().all(|s| s.deactivates())
    }

    /// Whether `user` is in every scope.
    pub(crate) fn contains(&self, user: &ScimV2User) -> bool {
        self.scopes.iter().all(|s| s.contains(user))
    }

    /// The rule for a write to an existing account, on `current` as just
    /// read: it carries the userName or externalId the item names, and is
    /// in every scope.
    pub(crate) fn user(&self, current: &ScimV2User, names: Names<'_>) -> Result<(), Error> {
        let held = current.user_name.as_deref().unwrap_or_default();
        let same_name = user_name_key(held) == user_name_key(names.user_name);
        let same_id = external_id_key(names.external_id).is_some()
            && external_id_key(names.external_id)
                == external_id_key(current.external_id.as_deref());
        if !same_name && !same_id {
            let id = current.id.as_deref().unwrap_or_default();
            return Err(Error::refused(
                RefusalKind::WrongAccount,
                vec![names.user_name.to_owned()],
                format!(
                    "the plan's id {id} names {held}, not {}{}: not written",
                    names.user_name,
                    names
                        .external_id
                        .map(|x| format!(" (externalId {x})"))
                        .unwrap_or_default()
                ),
            ));
        }
        self.in_scope(current)
    }

    /// `current`, as just read, is in every scope.
    pub(crate) fn in_scope(&self, current: &ScimV2User) -> Result<(), Error> {
        match self.scopes.iter().find(|s| !s.contains(current)) {
            None => Ok(()),
            Some(scope) => {
                let name = current.user_name.clone().unwrap_or_default();
                let how = if scope.excludes(current) {
                    "excluded by"
                } else {
                    "outside"
                };
                Err(Error::refused(
                    RefusalKind::OutOfScope,
                    vec![name.clone()],
                    format!(
                        "{name} is {how} the scope {} as read just now: not written",
                        scope.describe()
                    ),
                ))
            }
        }
    }

    /// The rule for a create: no exclusion or `only` list keeps the new
    /// user out, by userName or externalId.
    pub(crate) fn create(&self, desired: &ScimV2User) -> Result<(), Error> {
        match self.scopes.iter().find(|s| s.excludes(desired)) {
            None => Ok(()),
            Some(scope) => {
                let name = desired.user_name.clone().unwrap_or_default();
                Err(Error::refused(
                    RefusalKind::OutOfScope,
                    vec![name.clone()],
                    format!(
                        "{name} is excluded by the scope {}: not created",
                        scope.describe()
                    ),
                ))
            }
        }
    }

    /// The rule for taking over the holder of the userName a create wanted
    /// (see [`takeover_rule`]), in every scope.
    pub(crate) fn takeover(&self, desired: &ScimV2User, holder: &ScimV2User) -> Result<(), Error> {
        self.scopes
            .iter()
            .try_for_each(|scope| takeover_rule(scope, desired, holder))
    }

    /// Under an exact apply, a target whose version is not the planned one
    /// is not written.
    pub(crate) fn version(
        &self,
        current: Option<&str>,
        planned: Option<&str>,
    ) -> Result<(), Error> {
        match planned {
            Some(p) if self.exact && !same_version(current, p) => Err(Error::refused(
                RefusalKind::Drifted,
                Vec::new(),
                format!(
                    "changed since the plan was made (version {} now, {p} planned): not written",
                    current.unwrap_or("none")
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Versions compare as entity tags, weak or strong alike (a list gives
/// `"3"`, a read's ETag may give `W/"3"`).
pub(crate) fn same_version(current: Option<&str>, planned: &str) -> bool {
    let tag = |v: &str| v.trim().trim_start_matches("W/").to_owned();
    current.is_some_and(|c| tag(c) == tag(planned))
}
