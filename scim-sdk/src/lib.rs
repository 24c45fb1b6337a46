//! A blocking Rust SDK for the Genesys Cloud SCIM API.
//!
//! Every operation of the API is a method on [`Client`] named as in the
//! official SDKs (`get_scim_v2_user`, `post_scim_v2_users`, …). Required
//! parameters are arguments; optional ones are methods on the returned builder;
//! `.send()` performs the call and returns the typed model from [`models`].
//!
//! ```no_run
//! use scim_sdk::{models::ScimV2CreateUser, Client};
//!
//! let client = Client::builder().bearer("access-token").build()?;
//! let created = client
//!     .post_scim_v2_users(ScimV2CreateUser::new("jane@example.com", "Jane Doe"))
//!     .send()?;
//! let id = created.id.clone().unwrap_or_default();
//! let fetched = client.get_scim_v2_user(&id).attributes(["userName", "title"]).send()?;
//! println!("{:?}", fetched.user_name);
//! # Ok::<(), scim_sdk::Error>(())
//! ```
//!
//! Models keep attributes this SDK does not know in `additional_properties`,
//! and enums keep unknown values in an `Unknown` variant, so a GET followed by
//! a PUT sends back everything the server returned, except the attributes the
//! server sets itself (`id`, `meta`, `groups`). Request bodies always list
//! their `schemas`: see [`Model`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod accessors;
mod auth;
mod client;
mod decode;
mod dispatch;
mod encoding;
mod endpoint;
mod error;
mod etag;
mod filter;
mod find;
// Entry points for the fuzz targets, hidden and outside semver (see the module).
#[doc(hidden)]
pub mod fuzzing;
// Generated code is formatted by prettyplease; rustfmt would fight the generator.
#[rustfmt::skip]
mod generated;
mod model;
mod network;
mod observability;
mod operation;
mod pagination;
mod patch;
mod rate_limit;
mod region;
mod request;
mod request_counts;
mod resource_etags;
mod response;
mod retry;
pub mod schemas;
mod secret;
mod transport;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TIMEOUT,
};
pub use error::{AuthError, DecodeError, Error, HttpError, TransportError};
pub use etag::IntoETag;
pub use filter::{Filter, FilterValue};
pub use find::{AllUsers, RECOMMENDED_PAGE_SIZE};
pub use generated::{models, operations};
pub use model::{Model, ModelInfo};
pub use operation::{IfNoneMatch, Operation};
pub use pagination::{DEFAULT_MAX_PAGES, Items, Page, Pages, Paginated};
pub use rate_limit::RateLimit;
pub use region::Region;
pub use request::{Method, OperationInfo, Request};
pub use request_counts::RequestCounts;
pub use response::{Conditional, Response};
pub use retry::RetryPolicy;

// Compiles (and runs) the README's Rust examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
