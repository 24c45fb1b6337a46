//! Shared helpers for the integration tests in `tests/it/`: a scripted
//! server for wire-level tests ([`MockServer`]) and shortcuts for tests
//! against the stateful fake ([`fake`]). Both record requests as
//! [`scim_fake::RecordedRequest`], so one set of accessors serves both.
//!
//! A new test module only needs `use scim_sdk_integration_tests::…;`.
#![forbid(unsafe_code)]

pub mod fake;
mod mock;

pub use mock::{Canned, MockServer};
pub use scim_fake::RecordedRequest;

// The READMEs' Rust examples run as this crate's doctests, so what a reader
// copies from them compiles and works. They live here, in a crate that is not
// published, because the workspace README is outside every package.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct WorkspaceReadme;

#[cfg(doctest)]
#[doc = include_str!("../../../scim-sdk/README.md")]
struct SdkReadme;

#[cfg(doctest)]
#[doc = include_str!("../../fake/README.md")]
struct FakeReadme;
