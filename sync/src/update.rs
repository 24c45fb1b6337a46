//! Conditional updates: read, change, send the difference guarded by the
//! version read, and start over when someone else wrote in between.
//!
//! A PATCH sent with `If-Match` is safe to send again after a `500`,
//! `502`–`504` or a dropped connection: if the first one was applied, the
//! version moved on and the copy is refused as a version mismatch, which
//! leads to a fresh read, which then shows nothing left to do.

use super::diff::{diff_group, diff_user};
use crate::Error;
use crate::wire::{ApiError, Wire};
use scim_sdk::models::{ScimMetadata, ScimV2Group, ScimV2PatchRequest, ScimV2User};
use scim_sdk::{Client, Response};
use serde::{Deserialize, Serialize};

/// How many times a conditional update reads again after a version
/// mismatch before it gives up with that mismatch.
///
/// ```
/// assert_eq!(scim_sync::MAX_VERSION_RETRIES, 5);
/// ```
pub const MAX_VERSION_RETRIES: u32 = 5;

/// The result of a conditional update: the resource as the server last
/// returned it, and whether anything was written.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::update_user(client, "8f2b…", |u| u.title = Some("Team lead".into()))?;
/// if !done.changed {
///     println!("already a team lead: nothing was sent");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Updated<T> {
    /// The resource after the update (or as read, when nothing changed).
    pub resource: T,
    /// Whether a write was made.
    pub changed: bool,
}

/// A resource that can be read with its version and patched under `If-Match`.
pub(crate) trait Guarded: Sized + Clone {
    /// The GET of the resource, headers included.
    fn get(wire: &Wire<'_>, id: &str) -> Result<Response<Self>, ApiError>;
    fn patch(
        wire: &Wire<'_>,
        id: &str,
        body: ScimV2PatchRequest,
        version: &str,
    ) -> Result<Self, ApiError>;
    fn version(&self) -> Option<&str>;
    fn meta_mut(&mut self) -> &mut Option<ScimMetadata>;

    /// Reads the resource, its `meta.version` set to the `ETag` header when
    /// there is one: the version a guarded write is sent under. The header
    /// wins because it is what the server compares `If-Match` with.
    fn read(wire: &Wire<'_>, id: &str) -> Result<Self, ApiError> {
        let resp = Self::get(wire, id)?;
        let etag = resp.etag().map(str::to_owned);
        let mut resource = resp.into_body();
        if let Some(etag) = etag {
            resource
                .meta_mut()
                .get_or_insert_with(Default::default)
                .version = Some(etag);
        }
        Ok(resource)
    }
}

impl Guarded for ScimV2User {
    fn get(wire: &Wire<'_>, id: &str) -> Result<Response<Self>, ApiError> {
        wire.get_user(id)
    }
    fn patch(
        wire: &Wire<'_>,
        id: &str,
        body: ScimV2PatchRequest,
        version: &str,
    ) -> Result<Self, ApiError> {
        wire.patch_user(id, body, version)
    }
    fn version(&self) -> Option<&str> {
        ScimV2User::version(self)
    }
    fn meta_mut(&mut self) -> &mut Option<ScimMetadata> {
        &mut self.meta
    }
}

impl Guarded for ScimV2Group {
    fn get(wire: &Wire<'_>, id: &str) -> Result<Response<Self>, ApiError> {
        wire.get_group(id)
    }
    fn patch(
        wire: &Wire<'_>,
        id: &str,
        body: ScimV2PatchRequest,
        version: &str,
    ) -> Result<Self, ApiError> {
        wire.patch_group(id, body, version)
    }
    fn version(&self) -> Option<&str> {
        ScimV2Group::version(self)
    }
    fn meta_mut(&mut self) -> &mut Option<ScimMetadata> {
        &mut self.meta
    }
}

/// The conditional update loop, generic over users and groups.
///
/// `known` is a copy already in hand (from a list or a plan) whose version
/// is tried first, saving a read. `make` turns the current resource into
/// the PATCH to send, or `None` when there is nothing to do; it sees every
/// copy before a write is sent under its version, so it is where the rules
/// of a write (scope) are checked, and its error stops the update.
pub(crate) fn conditional_patch<R: Guarded>(
    wire: &Wire<'_>,
    id: &str,
    known: Option<R>,
    mut make: impl FnMut(&R) -> Result<Option<ScimV2PatchRequest>, Error>,
) -> Result<Updated<R>, Error> {
    let mut current = match known.filter(|r| r.version().is_some()) {
        Some(r) => r,
        None => R::read(wire, id)?,
    };
    let mut maybe_applied = false;
    let mut mismatches = 0;
    loop {
        let Some(body) = make(&current)? else {
            return Ok(Updated {
                resource: current,
                changed: maybe_applied,
            });
        };
        let version = match current.version() {
            Some(v) => v.to_owned(),
            None => {
                return Err(Error::invalid_input(format!(
                    "the server gave resource `{id}` no version to guard the update with"
                )));
            }
        };
        match send_guarded::<R>(wire, id, body, &version, &mut maybe_applied) {
            Ok(updated) => {
                return Ok(Updated {
                    resource: updated,
                    changed: true,
                });
            }
            Err(e) if e.is_version_mismatch() && mismatches < MAX_VERSION_RETRIES => {
                mismatches += 1;
                tracing::info!(
                    id,
                    mismatches,
                    "version mismatch: reading again and re-applying"
                );
                current = R::read(wire, id)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Sends one guarded PATCH. A client with retries re-sends it after a
/// `500`, `502`–`504` or a dropped connection (its `If-Match` makes a
/// duplicate harmless); apply's client sends it once and tries the item
/// again. When an earlier copy may have landed, `maybe_applied` says so.
fn send_guarded<R: Guarded>(
    wire: &Wire<'_>,
    id: &str,
    body: ScimV2PatchRequest,
    version: &str,
    maybe_applied: &mut bool,
) -> Result<R, ApiError> {
    R::patch(wire, id, body, version).inspect_err(|e| *maybe_applied |= e.may_have_been_applied())
}

/// Reads the resource, lets `change` edit a copy, and sends the difference.
fn update_in_place<R: Guarded>(
    client: &Client,
    id: &str,
    mut change: impl FnMut(&mut R),
    diff: fn(&R, &R) -> Option<ScimV2PatchRequest>,
) -> Result<Updated<R>, Error> {
    conditional_patch(&Wire::new(client), id, None, |current: &R| {
        let mut desired = current.clone();
        change(&mut desired);
        Ok(diff(current, &desired))
    })
}

/// Changes a user in place: reads it, lets `change` edit a copy, and
/// sends only the difference as a PATCH guarded by the version read. When
/// someone else changed the user in between, it reads again and re-applies
/// `change`, up to [`MAX_VERSION_RETRIES`] times, so neither write is lost.
/// When `change` changes nothing, nothing is sent. Set an attribute to an
/// empty string to remove it (see [`diff_user`](crate::diff_user)).
///
/// After a `500`, `502`–`504` or a dropped connection the client sends the
/// PATCH again, as its [`RetryPolicy`](scim_sdk::RetryPolicy) allows: its
/// `If-Match` guard makes a duplicate harmless.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// let done = scim_sync::update_user(client, "8f2b…", |user| {
///     user.title = Some("Team lead".into());
///     *user = user.clone().with_department("Care");
/// })?;
/// println!("changed: {}, now version {:?}", done.changed, done.resource.version());
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for the underlying GET and PATCH; a version mismatch that persists
/// after the retries is returned as is ([`scim_sdk::Error::is_version_mismatch`]).
pub fn update_user(
    client: &Client,
    id: &str,
    change: impl FnMut(&mut ScimV2User),
) -> Result<Updated<ScimV2User>, Error> {
    update_in_place(client, id, change, diff_user)
}

/// Changes a group in place, like [`update_user`]:
/// editing `members` adds and removes exactly the difference.
///
/// ```no_run
/// use scim_sdk::models::ScimV2MemberReference;
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
/// scim_sync::update_group(client, "0c1d…", |group| {
///     group.members.get_or_insert_with(Vec::new).push(ScimV2MemberReference::new().with_value("8f2b…"));
/// })?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`update_user`].
pub fn update_group(
    client: &Client,
    id: &str,
    change: impl FnMut(&mut ScimV2Group),
) -> Result<Updated<ScimV2Group>, Error> {
    update_in_place(client, id, change, diff_group)
}
