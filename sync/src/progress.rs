//! What apply reports of each item as it ends: what became of it, the
//! requests it sent, and, for a group, what became of each member. An
//! audit trail is written from this alone.

use crate::failure::ItemError;
use crate::plan::ItemRef;
use crate::schedule::ItemKind;
use serde::{Deserialize, Serialize};

/// What [`ensure_user`](crate::ensure_user) (or one item of [`apply`](crate::apply())) did.
///
/// ```
/// assert_eq!(serde_json::to_value(scim_sync::Outcome::Reactivated).unwrap(), "reactivated");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The user did not exist and was created.
    Created,
    /// The user existed and was changed.
    Updated,
    /// The user existed inactive and was made active (and changed as needed).
    Reactivated,
    /// The user already looked as desired: nothing was written.
    Unchanged,
    /// The user was deactivated (only [`apply`](crate::apply()) does this).
    Deactivated,
    /// The user was deleted (only [`delete_user`](crate::delete_user) does this).
    Deleted,
}

impl std::fmt::Display for Outcome {
    /// The word a report uses, as serialized: `created`, `updated`, …
    ///
    /// ```
    /// assert_eq!(scim_sync::Outcome::Reactivated.to_string(), "reactivated");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Reactivated => "reactivated",
            Outcome::Unchanged => "unchanged",
            Outcome::Deactivated => "deactivated",
            Outcome::Deleted => "deleted",
        })
    }
}

/// What became of one item, as reported to the progress callback.
///
/// ```
/// use scim_sync::ItemStatus;
/// # fn demo(status: &ItemStatus) {
/// if let ItemStatus::Failed(e) = status {
///     eprintln!("HTTP {:?}: {e}", e.status);
/// }
/// # }
/// assert!(ItemStatus::Done(scim_sync::Outcome::Created).is_done());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemStatus {
    /// Written (or found already as desired: `Outcome::Unchanged`).
    Done(Outcome),
    /// Failed for good. A group's item may be half done: see
    /// [`Progress::members`].
    Failed(ItemError),
    /// Failed in a way that may pass later: it is tried again when due
    /// (after `Retry-After`, or a backoff).
    Deferred(ItemError),
    /// Under [`ApplyOptions::exact`](crate::ApplyOptions::exact): not
    /// written, the target changed since the plan read it.
    Drifted,
}

impl ItemStatus {
    /// Whether the item is finished successfully.
    ///
    /// ```
    /// use scim_sync::{ItemStatus, Outcome};
    /// assert!(ItemStatus::Done(Outcome::Created).is_done());
    /// ```
    pub fn is_done(&self) -> bool {
        matches!(self, ItemStatus::Done(_))
    }

    /// The error of a failed or deferred item.
    ///
    /// ```
    /// assert!(scim_sync::ItemStatus::Drifted.error().is_none());
    /// ```
    pub fn error(&self) -> Option<&ItemError> {
        match self {
            ItemStatus::Failed(e) | ItemStatus::Deferred(e) => Some(e),
            _ => None,
        }
    }
}

/// One request an item sent, as the server answered it.
///
/// ```
/// # fn demo(p: &scim_sync::Progress) {
/// for a in &p.attempts {
///     eprintln!("{} -> {:?} ({:?})", a.method, a.status, a.correlation_id);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Attempt {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    /// The answer's `ININ-Correlation-Id`.
    pub correlation_id: Option<String>,
}

impl Attempt {
    /// Whether the request was a write.
    pub(crate) fn is_write(&self) -> bool {
        self.method != "GET"
    }
}

/// Whether a member was to join or to leave a group.
///
/// ```
/// use scim_sync::MemberChange;
/// assert_eq!(serde_json::to_value(MemberChange::Remove).unwrap(), "remove");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MemberChange {
    /// Added to the group.
    Add,
    /// Removed from it.
    Remove,
}

/// What became of one member of a group's item.
///
/// ```
/// use scim_sync::{MemberChange, MemberStatus};
/// # fn demo(p: &scim_sync::Progress) {
/// for m in &p.members {
///     if let MemberStatus::Failed(e) = &m.status {
///         eprintln!("{} not {:?}: {e}", m.user_name, m.change);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemberResult {
    /// The member's userName.
    pub user_name: String,
    /// The member's id, when known (a user this run failed to create has none).
    pub id: Option<String>,
    /// Joining or leaving.
    pub change: MemberChange,
    /// What became of it.
    pub status: MemberStatus,
}

/// What became of one member: written, found already so, or not done.
///
/// ```
/// # fn demo(p: &scim_sync::Progress) {
/// let written = p.members.iter().filter(|m| m.status == scim_sync::MemberStatus::Done).count();
/// # let _ = written;
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberStatus {
    /// Added or removed by this apply.
    Done,
    /// Already as planned: nothing was sent for it.
    Unchanged,
    /// Not done: a create it needed failed, it left the scope, or the
    /// group's write failed.
    Failed(ItemError),
}

impl MemberStatus {
    /// `done`, `unchanged` or `failed`.
    ///
    /// ```
    /// assert_eq!(scim_sync::MemberStatus::Done.as_str(), "done");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            MemberStatus::Done => "done",
            MemberStatus::Unchanged => "unchanged",
            MemberStatus::Failed(_) => "failed",
        }
    }
}

/// One progress step, given to the callbacks of
/// [`ApplyOptions::on_progress`](crate::ApplyOptions::on_progress) and
/// [`ApplyOptions::record`](crate::ApplyOptions::record) after each item:
/// what became of it and every request it sent, so that an audit trail can
/// be written from it alone.
///
/// ```
/// use scim_sync::{ApplyOptions, Progress};
/// let options = ApplyOptions::default().on_progress(|p: &Progress| {
///     eprintln!("[{}/{}] {:?} {} ({:?}): {:?}, HTTP {:?}", p.done, p.total, p.kind, p.item, p.id, p.status, p.http_status);
/// });
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Progress {
    /// Items finished so far, this one included (deferred items count when retried).
    pub done: usize,
    /// Items in the plan.
    pub total: usize,
    /// The kind of item.
    pub kind: ItemKind,
    /// The user or group.
    pub item: ItemRef,
    /// What became of it.
    pub status: ItemStatus,
    /// The id of the user or group written; for a create, the id it made
    /// (or found, when an earlier attempt's answer was lost).
    pub id: Option<String>,
    /// The HTTP status of the item's last write (or of its last request,
    /// when it sent no write); `None` when it sent nothing or got no answer.
    pub http_status: Option<u16>,
    /// The `ININ-Correlation-Id` of that answer.
    pub correlation_id: Option<String>,
    /// Every request the item sent, in order, over all its tries.
    pub attempts: Vec<Attempt>,
    /// For a group's item: each member to add or remove, and what became
    /// of it. A write of some members and not others is reported here.
    pub members: Vec<MemberResult>,
}

impl Progress {
    /// Whether the item has ended (done, failed or drifted), rather than
    /// being put off to be tried again.
    ///
    /// ```
    /// # fn demo(p: &scim_sync::Progress) {
    /// if p.has_ended() { /* write its audit line */ }
    /// # }
    /// ```
    pub fn has_ended(&self) -> bool {
        !matches!(self.status, ItemStatus::Deferred(_))
    }
}
