//! A toolkit for keeping Genesys Cloud in step with an HR system or an
//! identity provider: finding users whatever their state, diffing, guarded
//! updates, upserts, group membership, and a plan/apply reconcile engine.
//!
//! Everything here is generic over the generated models and works through
//! the ordinary [`Client`](crate::Client) methods, so it is paced, retried
//! and traced like any other call.
//!
//! | need | use |
//! | --- | --- |
//! | every user, inactive included | [`Client::all_users`](crate::Client::all_users) |
//! | one user by userName or externalId | [`Client::find_user_by_user_name`](crate::Client::find_user_by_user_name), [`Client::find_user_by_external_id`](crate::Client::find_user_by_external_id) |
//! | groups by name | [`Client::find_group_by_name`](crate::Client::find_group_by_name), [`Client::find_groups_by_name`](crate::Client::find_groups_by_name) |
//! | the smallest PATCH between two states | [`diff_user`], [`diff_group`] |
//! | change a user without losing a concurrent write | [`Client::update_user`](crate::Client::update_user) |
//! | create or update, reactivating | [`Client::ensure_user`](crate::Client::ensure_user) |
//! | membership | [`Client::add_members`](crate::Client::add_members), [`Client::remove_members`](crate::Client::remove_members), [`Client::set_members`](crate::Client::set_members) |
//! | a whole sync: what would change, then do it | [`Client::plan`](crate::Client::plan) with [`DesiredUser`]s (each person's groups with [`DesiredUser::with_groups`]), [`Memberships`] and a [`Scope`]; [`Client::apply`](crate::Client::apply) with [`ApplyOptions`], giving a [`Report`] |
//!
//! ```no_run
//! use scim_sdk::models::ScimV2User;
//! use scim_sdk::sync::MatchBy;
//! # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
//! let jane = ScimV2User::new().with_user_name("jane@example.com").with_display_name("Jane Doe");
//! let ensured = client.ensure_user(&jane, MatchBy::UserName)?;
//! client.update_user(ensured.user.id.as_deref().unwrap_or_default(), |u| {
//!     u.title = Some("Team lead".into());
//! })?;
//! # Ok(()) }
//! ```

mod apply;
mod desired;
mod diff;
mod find;
mod membership;
mod plan;
mod scope;
mod update;
mod upsert;

pub use apply::{
    ApplyOptions, DEFAULT_APPLY_RATE, Failure, ItemKind, ItemStatus, Progress, Report,
};
pub use desired::{DesiredUser, Memberships};
pub use plan::{
    Member, Plan, PlannedCreate, PlannedDeactivation, PlannedMembership, PlannedUpdate, Summary,
    Warning,
};
pub use scope::Scope;

pub use diff::{Change, ChangeOp, diff_group, diff_user, group_changes, to_patch, user_changes};
pub use find::{AllUsers, RECOMMENDED_PAGE_SIZE};
pub use update::{MAX_VERSION_RETRIES, Updated};
pub use upsert::{Ensured, MatchBy, Outcome};
