//! Keeping Genesys Cloud in step with an HR system or an identity provider,
//! on top of [`scim_sdk`]: diffing, guarded updates, upserts, group
//! membership, and a plan/apply reconcile engine.
//!
//! The engine sits on the SDK as kube-runtime sits on kube-client: every
//! entry point is a free function taking the [`Client`](scim_sdk::Client)
//! to use, so calls are paced, retried and traced like any other, and the
//! SDK itself knows nothing of syncing. Finding users whatever their state
//! ([`Client::all_users`](scim_sdk::Client::all_users),
//! [`Client::find_user_by_user_name`](scim_sdk::Client::find_user_by_user_name),
//! …) stays in the SDK: it is useful without a sync.
//!
//! | need | use |
//! | --- | --- |
//! | the smallest PATCH between two states | [`diff_user`], [`diff_group`] |
//! | change a user without losing a concurrent write | [`update_user`], [`update_group`] |
//! | create or update, reactivating | [`ensure_user`] |
//! | membership | [`add_members`], [`remove_members`], [`set_members`] |
//! | one person on demand (a webhook's hire, change or leaver), at a cost that does not grow with the org | [`sync_one`]; several: [`plan_people`] with a [`Feed`] of them, then [`apply()`] |
//! | an hourly or webhook-driven sync that reads only what changed since the last run | [`plan_since`] with a [`SyncState`] (kept in a [`StateFile`]), then [`SyncState::apply_and_record`] |
//! | a whole sync: what would change, then do it | [`plan()`] with [`DesiredUser`]s (each person's groups with [`DesiredUser::with_groups`]), [`Memberships`] and a [`Scope`] (with [`Exclusion`]s); [`apply()`] with [`ApplyOptions`], giving a [`Report`] |
//! | the same from a file, its rows' lines and its reader's warnings in the plan | [`plan_feed`] with a [`Feed`] |
//! | which rows of a file claim one person, to refuse them or leave both out | [`duplicates`] |
//! | apply a plan read back from a file, under your own scope | [`apply()`] with [`ApplyOptions::within`] and [`ApplyOptions::exact`]: each item is checked against the org before its write |
//! | an audit trail that stops the run rather than miss a write | [`ApplyOptions::record`], called with a [`Progress`] per item (status, id, every [`Attempt`], each member) |
//! | deactivate or delete one user, or settle a plan's [`Decision`] by giving it an externalId, guarded and recorded | [`deactivate_user`], [`delete_user`], [`set_external_id`] |
//!
//! ```no_run
//! use scim_sdk::models::ScimV2User;
//! use scim_sync::MatchBy;
//! # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sync::Error> {
//! let jane = ScimV2User::new().with_user_name("jane@example.com").with_display_name("Jane Doe");
//! let ensured = scim_sync::ensure_user(client, &jane, MatchBy::UserName)?;
//! scim_sync::update_user(client, ensured.user.id.as_deref().unwrap_or_default(), |u| {
//!     u.title = Some("Team lead".into());
//! })?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod apply;
mod attribute;
mod decision;
mod desired;
mod diff;
mod error;
mod exclusion;
mod failure;
mod feed;
mod incremental;
mod listing;
mod lookup;
mod matching;
mod membership;
mod one;
mod plan;
mod planner;
mod progress;
mod queue;
mod record;
mod report;
mod schedule;
mod scope;
mod snapshot;
mod state;
mod state_file;
mod text;
mod tracking;
mod update;
mod upsert;
mod wire;

pub use apply::{
    ApplyOptions, DEFAULT_APPLY_RATE, apply, deactivate_user, delete_user, set_external_id,
};
pub use attribute::Attribute;
pub use decision::Decision;
pub use desired::{Desired, DesiredUser, Field, Memberships, PhoneKind};
pub use error::{Error, Refusal, RefusalKind};
pub use exclusion::Exclusion;
pub use failure::{Failure, ItemError};
pub use feed::{Duplicate, DuplicateKey, Feed, duplicates};
pub use incremental::{Since, plan_since};
pub use membership::{add_members, remove_members, set_members};
pub use one::{Synced, plan_people, sync_one};
pub use plan::{
    ItemRef, Member, Plan, PlannedCreate, PlannedDeactivation, PlannedMembership, PlannedUpdate,
    Reason, Relink, Summary, Warning,
};
pub use planner::{plan, plan_feed};
pub use progress::{
    Attempt, ItemStatus, MemberChange, MemberResult, MemberStatus, Outcome, Progress,
};
pub use report::{Interrupted, Report, Unrecorded};
pub use schedule::ItemKind;
pub use scope::{Limits, Scope};
pub use state::SyncState;
pub use state_file::StateFile;

pub use diff::{Change, ChangeOp, diff_group, diff_user, group_changes, to_patch, user_changes};
pub use update::{MAX_VERSION_RETRIES, Updated, update_group, update_user};
pub use upsert::{Ensured, MatchBy, ensure_user};
