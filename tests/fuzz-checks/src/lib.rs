//! The checks behind the fuzz targets in the repository's `fuzz/` directory.
//!
//! Each target under `fuzz/fuzz_targets/` is one line calling a function of
//! this crate, and this crate's replay test runs the same function on every
//! file of `fuzz/corpus/<target>/`, so the nightly fuzzers and the stable CI
//! run one check and cannot drift apart. A check panics when it finds a
//! defect; any other outcome, an `Err` included, is a pass.
//!
//! ```
//! // Every target, by the name of its corpus directory.
//! for (name, check) in scim_fuzz_checks::TARGETS {
//!     check(b"{}");
//!     assert!(!name.is_empty());
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod codegen;
mod fake;
mod filter;
mod models;

pub use codegen::codegen_lower;
pub use fake::{fake_filter, fake_http, fake_patch};
pub use filter::filter_build;
pub use models::{decode_models, scim_error};

/// A check: panics on a defect, returns on anything else.
pub type Check = fn(&[u8]);

/// Every check, by the name of its fuzz target and corpus directory.
pub const TARGETS: &[(&str, Check)] = &[
    ("decode_models", decode_models),
    ("scim_error", scim_error),
    ("filter_build", filter_build),
    ("fake_filter", fake_filter),
    ("fake_patch", fake_patch),
    ("fake_http", fake_http),
    ("codegen_lower", codegen_lower),
];
