//! A stateful, in-memory fake of the Genesys Cloud SCIM API for offline tests.
//!
//! [`FakeServer::start`] binds an ephemeral port on 127.0.0.1 and serves the
//! Genesys SCIM endpoints (users, groups, schemas, resource types, service
//! provider configuration) under both `/api/v2/scim/` and `/api/v2/scim/v2/`,
//! plus an OAuth client-credentials endpoint at `/oauth/token`. Every request
//! is recorded in a journal, and faults (error statuses with or without a
//! `scimType`, HTML pages, latency, stalls, dropped connections, lost
//! answers, damaged bodies) can be queued, for every request or for those
//! of a method and path ([`Match`]), to exercise a client's error handling.
//! It can also emulate the per-token rate limit, the `429` Genesys gives a
//! costly page of users
//! ([`emulate_page_cost`](FakeServerBuilder::emulate_page_cost)) and a
//! server's service time.
//!
//! The server speaks HTTP/1.1 itself over `std::net`, one thread per open
//! connection up to a cap, and bounds everything a client can make it hold:
//! body size, request time, journal, issued tokens and filter nesting. It is
//! meant to live inside test binaries, so bad input gets an answer, never a
//! crash.
//!
//! ```
//! let server = scim_fake::FakeServer::start()?;
//! let url = format!("{}/api/v2/scim/v2/users", server.base_url());
//! // ... point the client at `url` with `Authorization: Bearer {server.token()}` ...
//! assert!(server.journal().is_empty());
//! # let _ = url;
//! # Ok::<(), std::io::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod auth;
mod config;
mod conn;
mod fault;
mod filter;
// Entry points for the fuzz targets, hidden and outside semver (see the module).
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod journal;
mod patch;
mod project;
mod ratelimit;
mod record;
mod request_match;
mod schema;
mod server;
mod service;
mod store;
mod table;
mod text;

pub use fault::Fault;
pub use journal::RecordedRequest;
pub use request_match::Match;
pub use server::{FakeServer, FakeServerBuilder};
