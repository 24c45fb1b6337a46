//! Upsert: make one user look like a desired user, whatever state it is in.

use super::diff::{create_body, diff_user};
use super::matching::{external_id_key, may_take_over, normalized};
use super::update::conditional_patch;
use super::wire::Wire;
use crate::progress::Outcome;
use crate::{Error, RefusalKind, Scope};
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;

/// Which attribute identifies the desired user among the existing ones.
///
/// ```
/// let key = scim_sync::MatchBy::ExternalId;
/// # let _ = key;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MatchBy {
    /// `userName`, compared ignoring case.
    UserName,
    /// `externalId`: the HR system's key, stable when people change names.
    ExternalId,
}

/// The user after [`ensure_user`], with what was done.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client, desired: &scim_sdk::models::ScimV2User) -> Result<(), scim_sync::Error> {
/// let ensured = scim_sync::ensure_user(client, desired, scim_sync::MatchBy::UserName)?;
/// println!("{:?}: {:?}", ensured.outcome, ensured.user.id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Ensured {
    /// What was done.
    pub outcome: Outcome,
    /// The user as the server last returned it.
    pub user: ScimV2User,
}

/// The desired user with `active` made explicit: a user that is wanted is
/// wanted active unless it says otherwise.
fn wanted_active(desired: &ScimV2User) -> ScimV2User {
    let mut d = desired.clone();
    d.active.get_or_insert(true);
    d
}

/// Brings an existing user in line with `desired` under `If-Match`;
/// `may_write` is checked on every copy read before a write is sent.
pub(crate) fn reconcile(
    wire: &Wire<'_>,
    current: ScimV2User,
    desired: &ScimV2User,
    may_write: impl Fn(&ScimV2User) -> Result<(), Error>,
) -> Result<Ensured, Error> {
    let desired = wanted_active(desired);
    let was_inactive = !current.is_active();
    let id = current.id.clone().unwrap_or_default();
    let done = conditional_patch(wire, &id, Some(current), |cur| {
        let patch = diff_user(cur, &desired);
        if patch.is_some() {
            may_write(cur)?;
        }
        Ok(patch)
    })?;
    let outcome = match (done.changed, was_inactive && done.resource.is_active()) {
        (false, _) => Outcome::Unchanged,
        (true, true) => Outcome::Reactivated,
        (true, false) => Outcome::Updated,
    };
    Ok(Ensured {
        outcome,
        user: done.resource,
    })
}

/// Whether a sync may take over `holder`, the user found holding the
/// userName `desired` was to be created with: when its `externalId` is the
/// row's, or when it has none and is in `scope`. Another system's user is a
/// conflict; an account outside the scope (an admin, a service account) is
/// never taken over, nor reactivated.
pub(crate) fn takeover_rule(
    scope: &Scope,
    desired: &ScimV2User,
    holder: &ScimV2User,
) -> Result<(), Error> {
    let user_name = holder.user_name.clone().unwrap_or_default();
    let theirs = holder.external_id.as_deref().unwrap_or_default();
    let ours = desired.external_id.as_deref().unwrap_or_default();
    if !may_take_over(holder, desired) {
        return Err(Error::refused(
            RefusalKind::Conflict,
            vec![user_name.clone()],
            format!(
                "userName {user_name} belongs to a user with externalId {theirs:?}, not {ours:?}: not taking it over"
            ),
        ));
    }
    // The holder has no externalId or ours: ours is the same person, unless
    // the scope excludes that account.
    let excluded = scope.excludes(holder);
    if !excluded
        && (external_id_key(holder.external_id.as_deref()).is_some() || scope.contains(holder))
    {
        return Ok(());
    }
    Err(Error::refused(
        RefusalKind::OutOfScope,
        vec![user_name.clone()],
        format!(
            "userName {user_name} belongs to an account {} the scope {}: not taking it over",
            if excluded {
                "excluded by"
            } else {
                "without externalId outside"
            },
            scope.describe()
        ),
    ))
}

/// Creates `desired`; on `409` takes over the holder of the userName when
/// [`takeover_rule`] allows it, checked again on every copy read before a
/// write.
fn create_or_take_over(
    client: &Client,
    desired: &ScimV2User,
    scope: &Scope,
) -> Result<Ensured, Error> {
    let wire = Wire::new(client);
    let desired = wanted_active(desired);
    let body = create_body(&desired)?;
    let err = match wire.create_user(body) {
        Ok(user) => {
            return Ok(Ensured {
                outcome: Outcome::Created,
                user,
            });
        }
        Err(e) if e.is_conflict() => e,
        Err(e) => return Err(e.into()),
    };
    let user_name = desired.user_name.clone().unwrap_or_default();
    let Some(holder) = client.find_user_by_user_name(&user_name)? else {
        return Err(err.into());
    };
    let rule = |u: &ScimV2User| takeover_rule(scope, &desired, u);
    rule(&holder)?;
    reconcile(&wire, holder, &desired, rule)
}

/// Makes sure a user exists and looks like `desired`, whatever its state:
///
/// - it finds the user by `key`, inactive users included;
/// - when there is none it creates it; when the create answers `409`
///   (the userName is taken), it takes the holder over only if the
///   holder's `externalId` is empty or equal to ours, and otherwise
///   fails with [`RefusalKind::Conflict`];
/// - when the user exists it sends the difference as a conditional
///   update, and reactivates it unless `desired.active` is `false`.
///
/// `desired` follows the [`diff_user`](crate::diff_user)
/// conventions: unset attributes are left alone, empty ones are cleared.
///
/// A desired user marked inactive (`active: Some(false)`) deactivates the
/// user found (with the other changes), and **is created inactive** when
/// there is none: the account exists, disabled, so that a later
/// reactivation finds it. To create nobody for a leaver, use
/// [`sync_one`](crate::sync_one), which plans a row marked inactive
/// as a sync does: it deactivates an active account and creates none.
///
/// ```no_run
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{MatchBy, Outcome};
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let jane = ScimV2User::new()
///     .with_user_name("jane@example.com")
///     .with_display_name("Jane Doe")
///     .with_external_id("E-1007")
///     .with_department("Care");
/// match scim_sync::ensure_user(client, &jane, MatchBy::ExternalId)?.outcome {
///     Outcome::Created => println!("welcome"),
///     Outcome::Reactivated => println!("welcome back"),
///     _ => {}
/// }
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`RefusalKind::InvalidInput`] when `desired` lacks the key attribute (or a
/// `userName` to create with), [`RefusalKind::Conflict`] for a refused takeover,
/// and errors of the underlying calls.
pub fn ensure_user(client: &Client, desired: &ScimV2User, key: MatchBy) -> Result<Ensured, Error> {
    let desired = &normalized(desired);
    let (attribute, value) = match key {
        MatchBy::UserName => ("userName", desired.user_name.as_deref()),
        MatchBy::ExternalId => ("externalId", desired.external_id.as_deref()),
    };
    let value = value.filter(|v| !v.is_empty()).ok_or_else(|| {
        Error::invalid_input(format!("the desired user has no {attribute} to match on"))
    })?;
    if desired.user_name.as_deref().is_none_or(str::is_empty) {
        return Err(Error::invalid_input("the desired user has no userName"));
    }
    let found = match key {
        MatchBy::UserName => client.find_user_by_user_name(value)?,
        MatchBy::ExternalId => client.find_user_by_external_id(value)?,
    };
    match found {
        // The caller named this user: no scope but the takeover rules.
        Some(current) => reconcile(&Wire::new(client), current, desired, |_| Ok(())),
        None => create_or_take_over(client, desired, &Scope::All),
    }
}
