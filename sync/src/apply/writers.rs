//! The writers of user items: each reads the account it writes (from the
//! view), checks the write rule on it, and sends one guarded write, read
//! and decided again after a version mismatch. Whatever a try sends is
//! noted in its ledger.

use super::rule::{Names, Rule, same_version};
use super::view::View;
use crate::diff::{create_body, diff_user, to_patch};
use crate::matching::{external_id_key, user_name_key};
use crate::plan::{PlannedCreate, PlannedDeactivation, PlannedUpdate};
use crate::progress::Outcome;
use crate::schedule::{AccountAction, ItemKind};
use crate::update::{MAX_VERSION_RETRIES, conditional_patch};
use crate::upsert::reconcile;
use crate::wire::{Ledger, Wire};
use crate::{Error, RefusalKind};
use scim_sdk::models::{ScimV2PatchRequest, ScimV2User};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// One try of one item: where it reads, the rule it writes under, and
/// what earlier tries of it did.
pub(crate) struct Try<'r> {
    pub(crate) wire: Wire<'r>,
    pub(crate) ledger: &'r Ledger,
    pub(crate) view: &'r View,
    pub(crate) rule: &'r Rule<'r>,
    /// userName key → id of the users this run created.
    pub(crate) created: &'r Mutex<HashMap<String, String>>,
    /// The plan came from elsewhere (no reading of its own): a create
    /// looks its externalId up first.
    pub(crate) saved: bool,
    /// An earlier try of this item failed: read afresh.
    pub(crate) again: bool,
    /// An earlier try may have written: what is found done was done by it.
    pub(crate) maybe_applied: bool,
}

impl Try<'_> {
    pub(crate) fn created_id(&self, user_name: &str) -> Option<String> {
        let created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
        created.get(&user_name_key(user_name)).cloned()
    }

    fn note_created(&self, user_name: &str, id: &str) {
        let mut created = self.created.lock().unwrap_or_else(PoisonError::into_inner);
        created.insert(user_name_key(user_name), id.to_owned());
        self.ledger.written(id);
    }

    /// `changed`, or found done after an earlier try that may have done it.
    pub(crate) fn outcome(&self, changed: bool, done: Outcome) -> Outcome {
        if changed || self.maybe_applied {
            done
        } else {
            Outcome::Unchanged
        }
    }

    /// The account of this id as just read, or why there is none.
    fn account(&self, id: &str, user_name: &str) -> Result<ScimV2User, Error> {
        self.ledger.written(id);
        let current = self.view.user(&self.wire, id, self.again)?;
        current.ok_or_else(|| gone(id, user_name))
    }
}

/// The refusal of a write to an account that no longer exists.
fn gone(id: &str, user_name: &str) -> Error {
    Error::refused(
        RefusalKind::Drifted,
        vec![user_name.to_owned()],
        format!("{user_name} (id {id}) no longer exists: not written"),
    )
}

/// Creates a user; on `409` takes over the holder of its userName when the
/// rule allows. A holder an earlier try may have created is reported
/// created, with its id.
pub(crate) fn create(t: &Try<'_>, c: &PlannedCreate, with_manager: bool) -> Result<Outcome, Error> {
    let mut desired = c.user.clone();
    desired.active.get_or_insert(true);
    let manager = c.manager.as_deref().filter(|_| with_manager);
    let manager_id = manager.and_then(|m| t.created_id(m));
    if let Some(id) = &manager_id {
        desired = desired.with_manager_id(id.clone());
    }
    t.rule.create(&desired)?;
    let outcome = match existing(t, &desired)? {
        Some(holder) => take_over(t, &desired, holder)?,
        None => match t.wire.create_user(create_body(&desired)?) {
            Ok(user) => {
                t.note_created(&c.user_name, user.id.as_deref().unwrap_or_default());
                Outcome::Created
            }
            Err(e) if e.is_conflict() => {
                let name = desired.user_name.clone().unwrap_or_default();
                match t.wire.find_user("userName", &name)? {
                    Some(holder) => take_over(t, &desired, holder)?,
                    None => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    };
    match manager {
        Some(m) if manager_id.is_none() => {
            Err(not_created(&c.user_name, &[m], "done without its manager"))
        }
        _ => Ok(outcome),
    }
}

/// For a plan read back from a file:
/// the account already holding the create's externalId.
fn existing(t: &Try<'_>, desired: &ScimV2User) -> Result<Option<ScimV2User>, Error> {
    let external_id = desired
        .external_id
        .as_deref()
        .filter(|x| !x.trim().is_empty());
    match external_id {
        Some(x) if t.saved => Ok(t.view.user_by_external_id(&t.wire, x, t.again)?),
        _ => Ok(None),
    }
}

/// Makes the account found holding the new user's userName or externalId
/// look as desired, under the takeover rule. One an earlier try of this
/// item may have created is ours: reported created. Under an exact apply,
/// any other is a change since the plan: not written.
fn take_over(t: &Try<'_>, desired: &ScimV2User, holder: ScimV2User) -> Result<Outcome, Error> {
    t.rule.takeover(desired, &holder)?;
    let name = desired.user_name.clone().unwrap_or_default();
    if t.rule.exact() && !t.maybe_applied {
        return Err(Error::refused(
            RefusalKind::Drifted,
            vec![name.clone()],
            format!(
                "{name}: the org holds {} since the plan was made: not written",
                holder.user_name.as_deref().unwrap_or_default()
            ),
        ));
    }
    let ensured = reconcile(&t.wire, holder, desired, |u| t.rule.takeover(desired, u))?;
    let id = ensured.user.id.clone().unwrap_or_default();
    t.note_created(&name, &id);
    Ok(if t.maybe_applied {
        Outcome::Created
    } else {
        ensured.outcome
    })
}

/// Sets the manager of a user this run created without it (to break a
/// cycle): both exist now.
pub(crate) fn link_manager(t: &Try<'_>, c: &PlannedCreate) -> Result<Outcome, Error> {
    let manager = c.manager.as_deref().unwrap_or_default();
    let (Some(id), Some(manager_id)) = (t.created_id(&c.user_name), t.created_id(manager)) else {
        return Err(not_created(&c.user_name, &[manager], "manager not set"));
    };
    let desired = ScimV2User::new().with_manager_id(manager_id);
    let names = names_of(&c.user_name, &c.user);
    let current = t.view.user(&t.wire, &id, true)?;
    t.ledger.written(&id);
    let done = conditional_patch(&t.wire, &id, current, |cur| {
        t.rule.user(cur, names)?;
        Ok(diff_user(cur, &desired))
    })?;
    Ok(t.outcome(done.changed, Outcome::Updated))
}

fn names_of<'n>(user_name: &'n str, user: &'n ScimV2User) -> Names<'n> {
    Names {
        user_name,
        external_id: user.external_id.as_deref(),
    }
}

/// Changes (or reactivates) an account: the plan's own changes under the
/// version it read, else the difference with what is read now.
pub(crate) fn update(t: &Try<'_>, u: &PlannedUpdate, kind: ItemKind) -> Result<Outcome, Error> {
    let mut desired = u.desired.clone();
    let pending = u.manager.as_deref().and_then(|m| t.created_id(m));
    if let Some(id) = &pending {
        desired = desired.with_manager_id(id.clone());
    }
    let names = names_of(&u.user_name, &u.desired);
    let current = t.account(&u.id, &u.user_name)?;
    let planned = u.version.as_deref();
    let as_planned = |cur: &ScimV2User| -> Option<ScimV2PatchRequest> {
        match planned {
            Some(v) if u.manager.is_none() && same_version(cur.version(), v) => {
                to_patch(&u.changes)
            }
            _ => diff_user(cur, &desired),
        }
    };
    let done = conditional_patch(&t.wire, &u.id, Some(current), |cur| {
        t.rule.user(cur, names)?;
        if let Some(r) = &u.relink {
            t.rule.relink(cur, r, &desired)?;
            // Checked on each decision: a version mismatch reads anew.
            new_id_free(t, &u.id, &r.to)?;
        }
        let Some(patch) = as_planned(cur) else {
            return Ok(None);
        };
        let held = cur.user_name.as_deref().map(user_name_key);
        if renamed_to(&patch).is_some_and(|to| Some(user_name_key(&to)) != held) {
            t.rule.rename(cur, names)?;
        }
        t.rule.version(cur.version(), planned)?;
        Ok(Some(patch))
    })?;
    if let (Some(m), None) = (u.manager.as_deref(), &pending) {
        return Err(not_created(
            &u.user_name,
            &[m],
            "changed without its manager",
        ));
    }
    let done_as = match kind {
        ItemKind::Reactivate => Outcome::Reactivated,
        _ => Outcome::Updated,
    };
    Ok(t.outcome(done.changed, done_as))
}

/// No account but `id` holds `external_id`: a rehire's new id, or the one
/// `set_external_id` gives, never makes two accounts share one.
pub(crate) fn new_id_free(t: &Try<'_>, id: &str, external_id: &str) -> Result<(), Error> {
    match t.view.user_by_external_id(&t.wire, external_id, t.again)? {
        Some(other) if other.id.as_deref() != Some(id) => {
            let name = other.user_name.clone().unwrap_or_default();
            let other_id = other.id.unwrap_or_default();
            Err(Error::refused(
                RefusalKind::Conflict,
                vec![name.clone()],
                format!(
                    "externalId {external_id} is held by {name} (id {other_id}): two accounts \
                     would share it; not written"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The userName the PATCH sets, by its path or inside a value without one
/// (an empty string when it sets something else than a string).
fn renamed_to(patch: &ScimV2PatchRequest) -> Option<String> {
    let is_user_name = |key: &str| key.eq_ignore_ascii_case("userName");
    let text = |v: Option<&serde_json::Value>| v.map(|v| v.as_str().unwrap_or_default().to_owned());
    patch
        .operations
        .iter()
        .flatten()
        .find_map(|op| match &op.path {
            Some(path) if is_user_name(path) => text(op.value.as_ref()).or(Some(String::new())),
            Some(_) => None,
            None => op
                .value
                .as_ref()
                .and_then(serde_json::Value::as_object)
                .and_then(|o| o.iter().find(|(k, _)| is_user_name(k)))
                .and_then(|(_, v)| text(Some(v))),
        })
}

/// Deactivates an account that is still active.
pub(crate) fn deactivate(t: &Try<'_>, d: &PlannedDeactivation) -> Result<Outcome, Error> {
    let names = Names {
        user_name: &d.user_name,
        external_id: None,
    };
    let current = t.account(&d.id, &d.user_name)?;
    let off = ScimV2PatchRequest::patch_op().replace("active", serde_json::Value::Bool(false));
    let done = conditional_patch(&t.wire, &d.id, Some(current), |cur| {
        t.rule.user(cur, names)?;
        if !cur.is_active() {
            return Ok(None);
        }
        t.rule.version(cur.version(), d.version.as_deref())?;
        Ok(Some(off.clone()))
    })?;
    Ok(t.outcome(done.changed, Outcome::Deactivated))
}

/// Deactivates, deletes or gives an externalId to the account of this id,
/// under `If-Match` of the version just read: the caller named it, so no
/// scope but the rule's.
pub(crate) fn account(t: &Try<'_>, id: &str, action: AccountAction<'_>) -> Result<Outcome, Error> {
    t.ledger.written(id);
    let current = match t.view.user(&t.wire, id, t.again)? {
        Some(current) => current,
        // The delete an earlier try sent landed, and its answer was lost.
        None if action == AccountAction::Delete && t.maybe_applied => return Ok(Outcome::Deleted),
        None => return Err(gone(id, id)),
    };
    t.ledger
        .named(current.user_name.as_deref().unwrap_or_default());
    let (patch, outcome) = match action {
        AccountAction::Delete => return delete(t, id, current),
        AccountAction::Deactivate => (
            ScimV2PatchRequest::patch_op().replace("active", serde_json::Value::Bool(false)),
            Outcome::Deactivated,
        ),
        AccountAction::SetExternalId(x) => {
            t.rule.in_scope(&current)?;
            (
                ScimV2PatchRequest::patch_op().replace("externalId", serde_json::Value::from(x)),
                Outcome::Updated,
            )
        }
    };
    let done = conditional_patch(&t.wire, id, Some(current), |cur| {
        t.rule.in_scope(cur)?;
        let needed = match action {
            AccountAction::SetExternalId(x) => {
                // Free when first read, and again after a version mismatch:
                // another account may have been given it meanwhile.
                let needed = external_id_key(cur.external_id.as_deref()) != Some(x);
                if needed {
                    new_id_free(t, id, x)?;
                }
                needed
            }
            _ => cur.is_active(),
        };
        Ok(needed.then(|| patch.clone()))
    })?;
    Ok(t.outcome(done.changed, outcome))
}

/// Deletes the account under `If-Match` of the version of `current`; after
/// a version mismatch, reads it again and decides again on that copy.
fn delete(t: &Try<'_>, id: &str, mut current: ScimV2User) -> Result<Outcome, Error> {
    let mut mismatches = 0;
    loop {
        t.rule.in_scope(&current)?;
        let version = current.version().unwrap_or_default().to_owned();
        match t.wire.delete_user(id, &version) {
            Ok(()) => return Ok(Outcome::Deleted),
            Err(e) if e.is_not_found() && t.maybe_applied => return Ok(Outcome::Deleted),
            Err(e) if e.is_version_mismatch() && mismatches < MAX_VERSION_RETRIES => {
                mismatches += 1;
                current = t
                    .view
                    .user(&t.wire, id, true)?
                    .ok_or_else(|| gone(id, id))?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// An item that names users this run was to create and did not.
pub(crate) fn not_created(item: &str, users: &[&str], what_was_done: &str) -> Error {
    Error::refused(
        RefusalKind::NotCreated,
        users.iter().map(|u| (*u).to_owned()).collect(),
        format!(
            "{item}: {} not created by this run ({what_was_done})",
            users.join(", ")
        ),
    )
}
