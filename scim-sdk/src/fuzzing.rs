//! Entry points for the fuzz targets in the repository's `fuzz/` directory.
//!
//! **Not part of the API.** This module is hidden from the documentation,
//! exempt from semver and may change with the fuzz targets at any time. It
//! reaches parsers that have no public entry point of their own, running the
//! same code a call over the network runs.

use crate::{Error, Response, decode};

/// The [`Error`] a call gets when the server answers `status` with these
/// headers and this body: the path that parses SCIM error bodies.
///
/// ```
/// let body = br#"{"status":"409","scimType":"uniqueness","detail":"taken"}"#;
/// let err = scim_sdk::fuzzing::http_error(409, Vec::new(), body.to_vec());
/// assert_eq!(err.code(), "uniqueness");
/// ```
/// Header pairs that are not valid HTTP are left out, as ureq would refuse
/// them on the wire.
pub fn http_error(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Error {
    let headers = headers
        .into_iter()
        .filter_map(|(k, v)| {
            let name = ureq::http::HeaderName::try_from(k).ok()?;
            let value = ureq::http::HeaderValue::try_from(v).ok()?;
            Some((name, value))
        })
        .collect();
    decode::http_error("fuzzing", &Response::new(status, headers, body))
}
