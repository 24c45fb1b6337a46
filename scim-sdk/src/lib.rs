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
//! let client = Client::from_env()?; // GENESYS_REGION, GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET
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
//!
//! # Connecting
//!
//! A client talks to one org: a [`Region`] (or a base URL, for a proxy or a
//! test server) and credentials. [`Client::from_env`] reads both from the
//! environment: `GENESYS_REGION`, then `GENESYS_CLIENT_ID` and
//! `GENESYS_CLIENT_SECRET` for an OAuth client, or `GENESYS_TOKEN` for a
//! ready access token. A missing variable is an error that names it. The
//! builder does the same by hand:
//!
//! ```no_run
//! use scim_sdk::{Client, Region};
//! let client = Client::builder()
//!     .region(Region::EuWest1) // api.mypurecloud.ie, login.mypurecloud.ie
//!     .client_credentials("my-client-id", "my-client-secret")
//!     .build()?;
//! # let _ = client;
//! # Ok::<(), scim_sdk::Error>(())
//! ```
//!
//! With client credentials the client fetches a token on first use, shares
//! it between threads and clones, renews it before it expires and once more
//! after a `401`. Secrets never appear in `Debug` output, errors or logs.
//! Build one client and clone it: clones share connections, the token and
//! the pacing. Proxies (`HTTPS_PROXY` or [`ClientBuilder::proxy`]), extra CA
//! certificates and the system trust store are set on the builder too.
//!
//! # Retries and time-outs
//!
//! Retries are on by default ([`RetryPolicy`]): a `429` is retried for
//! every request, honouring `Retry-After`; a `500`, a `502`–`504` or a
//! connection that broke after the request went out is retried only when a
//! second copy is harmless ([`Request::is_replay_safe`]: `GET`, `PUT`, `DELETE`, or any
//! request with `If-Match`). A `POST` that creates a user is never sent
//! twice. Sleeps are capped per call by
//! [`RetryPolicy::max_total_wait`]; an error says how many attempts were
//! made ([`Error::attempts`]) and whether the server may have acted anyway
//! ([`Error::may_have_been_applied`]).
//!
//! Each attempt has [`ClientBuilder::timeout`] (default 60 s) to complete,
//! connecting [`ClientBuilder::connect_timeout`] (default 10 s); a server
//! that stalls gives [`Error::Timeout`], never a hang.
//!
//! ```
//! use scim_sdk::{Client, RetryPolicy};
//! use std::time::Duration;
//! let client = Client::builder()
//!     .bearer("token")
//!     .timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default().max_attempts(6).max_total_wait(Duration::from_secs(30)))
//!     .build()?;
//! # let _ = client;
//! # Ok::<(), scim_sdk::Error>(())
//! ```
//!
//! # Pacing
//!
//! An org's API budget is shared by everything that uses it. A paced client
//! ([`RateLimit`]) waits before each request for a permit from a token
//! bucket that all its clones share. [`RateLimit::follow_server`] (the
//! default) spreads requests over the limit the server announces in its
//! `inin-ratelimit-*` headers, per the window its `inin-ratelimit-reset`
//! shows (1 to 300 s), and 300 a minute until it has announced one;
//! [`RateLimit::per_minute`] adds a ceiling of your own. A `429`'s
//! `Retry-After` holds every clone back (Genesys counts per OAuth client),
//! but never longer than the window or the retry budget, a minute by
//! default, so one hostile answer cannot stall a run for an hour; every
//! pause of three seconds or more is logged as a WARN event with its cause.
//!
//! ```
//! use scim_sdk::{Client, RateLimit};
//! let client = Client::builder().bearer("token").build()?;
//! let paced = client.with_rate_limit(RateLimit::follow_server());
//! # let _ = paced;
//! # Ok::<(), scim_sdk::Error>(())
//! ```
//!
//! # Errors
//!
//! Every fallible call returns [`Error`]. Match on its variant for the kind
//! of failure, or ask it: [`Error::status`], [`Error::is_not_found`],
//! [`Error::is_conflict`], [`Error::is_version_mismatch`],
//! [`Error::is_retryable`], [`Error::is_rate_limited`] and
//! [`Error::retry_after`], [`Error::is_connection`], and
//! [`Error::correlation_id`], the id Genesys support asks for.
//! [`Error::code`] is a bounded, stable `&'static str` label for metrics.
//!
//! # Testing with `scim-fake`
//!
//! The `scim-fake` crate is an in-memory Genesys Cloud SCIM server on
//! loopback, with versions and ETags, filters, paging, PATCH, OAuth tokens,
//! the per-token rate limit, fault injection and a journal of every request.
//! Point a client at it to test your own code offline:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = scim_fake::FakeServer::start()?;
//! let client = scim_sdk::Client::builder()
//!     .base_url(server.base_url())
//!     .bearer(server.token())
//!     .build()?;
//! let jane = scim_sdk::models::ScimV2CreateUser::new("jane@example.com", "Jane Doe");
//! client.post_scim_v2_users(jane).send()?;
//! assert_eq!(server.journal().last().map(|r| r.method.as_str()), Some("POST"));
//! # Ok(()) }
//! ```
//!
//! # Logging
//!
//! The SDK reports through `tracing`: each attempt is a DEBUG span and event
//! with the operation, method, path template, status, duration and
//! correlation id; retries are INFO events, long waits WARN events. Header
//! values, query strings, filled-in paths and bodies are never logged
//! (bodies only with [`ClientBuilder::log_bodies`], redacted).
//!
//! **Warning: keep `ureq_proto` below TRACE.** The HTTP engine beneath the
//! SDK logs through the `log` crate, and its protocol layer, `ureq_proto`,
//! writes every request and answer in full at TRACE: the `Authorization`
//! header with the bearer token or the client id and secret, and the token
//! endpoint's answer. A `tracing_subscriber` forwards `log` records by
//! default, so `RUST_LOG=trace` on its own puts credentials in your logs.
//! Cap `ureq_proto` and `ureq` at DEBUG whatever the rest of the program
//! logs (`RUST_LOG=trace,ureq_proto=debug,ureq=debug`, or):
//!
//! ```
//! use tracing_subscriber::filter::{LevelFilter, Targets};
//! use tracing_subscriber::prelude::*;
//! let filter = Targets::new()
//!     .with_default(LevelFilter::TRACE)
//!     .with_target("ureq_proto", LevelFilter::DEBUG) // TRACE would log credentials
//!     .with_target("ureq", LevelFilter::DEBUG);
//! let _ = tracing_subscriber::registry()
//!     .with(tracing_subscriber::fmt::layer())
//!     .with(filter)
//!     .try_init();
//! ```
//!
//! # Features
//!
//! - `platform-verifier` (off by default): verify TLS certificates with the
//!   operating system's trust store, through `rustls-platform-verifier`,
//!   when the builder asks for it with `ClientBuilder::os_trust_store`.
//!   Without it the client trusts the Mozilla roots built in, plus any CA
//!   given to [`ClientBuilder::root_certificates_pem`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// docs.rs builds with `--cfg docsrs` (see Cargo.toml) to badge feature-gated items.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod accessors;
mod auth;
mod client;
mod decode;
mod dispatch;
mod encoding;
mod endpoint;
mod environment;
mod error;
mod etag;
mod filter;
mod find;
mod list_response;
// Entry points for the fuzz targets, hidden and outside semver (see the module).
#[doc(hidden)]
pub mod fuzzing;
// Generated code is formatted by prettyplease; rustfmt would fight the generator.
#[rustfmt::skip]
mod generated;
mod model;
mod network;
mod observability;
// `open_enum!`, exported at the crate root for the generated enums.
mod open_enum;
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
pub use environment::{ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REGION, ENV_TOKEN};
pub use error::{AuthError, DecodeError, Error, HttpError, TransportError};
pub use etag::IntoETag;
pub use filter::{Filter, FilterValue};
pub use find::{AllUsers, EXPENSIVE_USER_ATTRIBUTES, MAX_LISTED_USERS, RECOMMENDED_PAGE_SIZE};
pub use generated::{models, operations};
pub use list_response::ListResponse;
pub use model::{Model, ModelInfo};
pub use operation::{IfNoneMatch, Operation};
pub use pagination::{DEFAULT_MAX_PAGES, Items, Page, Pages, Paginated};
pub use rate_limit::RateLimit;
pub use region::Region;
pub use request::{Method, OperationInfo, Request};
pub use request_counts::RequestCounts;
pub use response::{Conditional, HeaderMap, Response};
pub use retry::RetryPolicy;
