//! Where the write rule reads an account from: the reading the plan was
//! made from (a plan made and applied in one run), one listing read when
//! apply starts (a saved plan, when that costs fewer requests), or a read
//! of each account just before its write. A try after a failed one always
//! reads again, since the failed write may have landed.

use crate::snapshot::Snapshot;
use crate::update::Guarded;
use crate::wire::{ApiError, Wire, absent_on_404};
use scim_sdk::models::{ScimV2Group, ScimV2User};
use std::sync::Arc;

/// The accounts and groups the writes are checked on.
pub(crate) enum View {
    /// A reading, of the plan or of this apply.
    Read(Arc<Snapshot>),
    /// Each account read when its write is due.
    Live,
}

impl View {
    /// The reading, if there is one.
    pub(crate) fn reading(&self) -> Option<&Snapshot> {
        match self {
            View::Read(s) => Some(s),
            View::Live => None,
        }
    }

    /// The user of this id as just read; `None` when there is none.
    /// `again`: an earlier try may have changed it, read it afresh.
    pub(crate) fn user(
        &self,
        wire: &Wire<'_>,
        id: &str,
        again: bool,
    ) -> Result<Option<ScimV2User>, ApiError> {
        match self {
            View::Read(s) if !again => Ok(s.user(id).cloned()),
            _ => absent_on_404(ScimV2User::read(wire, id)),
        }
    }

    /// The user holding this externalId, active or not.
    pub(crate) fn user_by_external_id(
        &self,
        wire: &Wire<'_>,
        external_id: &str,
        again: bool,
    ) -> Result<Option<ScimV2User>, ApiError> {
        match self {
            View::Read(s) if !again => Ok(s.user_by_external_id(external_id).cloned()),
            _ => wire.find_user("externalId", external_id.trim()),
        }
    }

    /// The group of this id, with its members and version.
    pub(crate) fn group(
        &self,
        wire: &Wire<'_>,
        id: &str,
        again: bool,
    ) -> Result<Option<ScimV2Group>, ApiError> {
        match self.reading().and_then(|s| s.group(id)) {
            Some(group) if !again => Ok(Some(group.clone())),
            _ => absent_on_404(ScimV2Group::read(wire, id)),
        }
    }
}
