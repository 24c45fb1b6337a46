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
