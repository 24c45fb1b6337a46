//! Why an item failed, typed: what the server answered and whether the
//! write may have landed, or which rule of the engine refused it.

use crate::plan::ItemRef;
use crate::{Error, RefusalKind};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Why one item of an apply failed, or was put off: the text for a person
/// ([`Display`](fmt::Display)), and the facts a program acts on.
///
/// ```
/// # fn demo(report: &scim_sync::Report) {
/// for f in &report.failures {
///     if f.error.status == Some(403) {
///         eprintln!("{}: the OAuth client lacks a permission ({:?})", f.item, f.error.correlation_id);
///     } else if f.error.may_have_been_applied {
///         eprintln!("{}: may be written anyway; plan again to see", f.item);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemError {
    /// What went wrong, in words fit for an operator.
    pub message: String,
    /// The HTTP status of the answer that failed, if one came.
    pub status: Option<u16>,
    /// The SCIM `scimType` of that answer (`uniqueness`, `invalidVers`, …).
    pub scim_type: Option<String>,
    /// Its `ININ-Correlation-Id`: quote it to Genesys support.
    pub correlation_id: Option<String>,
    /// Whether the server may have acted on the write (an answer lost, a
    /// `5xx`): plan again to see where it stands.
    pub may_have_been_applied: bool,
    /// The rule of the engine that refused the item; `None` for a failure
    /// of the API.
    pub refusal: Option<RefusalKind>,
    /// A stable machine-readable name: the refusal's kind, or the SDK's
    /// [`code`](scim_sdk::Error::code) (`http_403`, `uniqueness`, `timeout`, …).
    pub kind: String,
    /// Whether the same write may pass later (`429`, `500`, `502`–`504`,
    /// no answer).
    pub retryable: bool,
    /// The server's `Retry-After`, when it gave one.
    pub retry_after: Option<Duration>,
}

impl ItemError {
    /// The failure of an item from the error that ended it.
    pub(crate) fn of(e: &Error) -> ItemError {
        let api = e.api();
        ItemError {
            // A refusal's kind is in `refusal`: the text is its message.
            message: e
                .refusal()
                .map_or_else(|| e.to_string(), |r| r.message.clone()),
            status: api.and_then(scim_sdk::Error::status),
            scim_type: api
                .and_then(scim_sdk::Error::scim_type)
                .map(|t| t.as_str().to_owned()),
            correlation_id: api
                .and_then(scim_sdk::Error::correlation_id)
                .map(str::to_owned),
            may_have_been_applied: api.is_some_and(scim_sdk::Error::may_have_been_applied),
            refusal: e.refusal().map(|r| r.kind),
            kind: e.code(),
            retryable: e.is_retryable(),
            retry_after: retry_after(e),
        }
    }

    /// A failure that is the engine's own finding, not an answer.
    pub(crate) fn refused(kind: RefusalKind, message: impl Into<String>) -> ItemError {
        ItemError {
            message: message.into(),
            status: None,
            scim_type: None,
            correlation_id: None,
            may_have_been_applied: false,
            refusal: Some(kind),
            kind: kind.as_str().to_owned(),
            retryable: false,
            retry_after: None,
        }
    }
}

/// The `Retry-After` an error carries, if any.
pub(crate) fn retry_after(e: &Error) -> Option<Duration> {
    match e.api() {
        Some(scim_sdk::Error::Http(h)) => h.retry_after.map(Duration::from_secs),
        _ => None,
    }
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ItemError {}

/// An item that failed, with why. In JSON, `error` is the text and the
/// facts sit beside it: `{"userName": …, "error": "…", "status": 403,
/// "scim_type": null, "correlation_id": "…", "may_have_been_applied":
/// false, "kind": "http_403"}`.
///
/// ```
/// # fn demo(report: &scim_sync::Report) {
/// for f in &report.failures {
///     eprintln!("{}: {}", f.item, f.error);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Failure {
    /// The user or group (serialized as `userName` or `group`).
    pub item: ItemRef,
    /// Why it failed.
    pub error: ItemError,
}

/// The JSON form of a [`Failure`].
#[derive(Serialize, Deserialize)]
struct FailureJson {
    #[serde(flatten)]
    item: ItemRef,
    error: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    scim_type: Option<String>,
    #[serde(default)]
    correlation_id: Option<String>,
    #[serde(default)]
    may_have_been_applied: bool,
    #[serde(default)]
    kind: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    retryable: bool,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
}

impl Serialize for Failure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = &self.error;
        FailureJson {
            item: self.item.clone(),
            error: e.message.clone(),
            status: e.status,
            scim_type: e.scim_type.clone(),
            correlation_id: e.correlation_id.clone(),
            may_have_been_applied: e.may_have_been_applied,
            kind: e.kind.clone(),
            retryable: e.retryable,
            retry_after: e.retry_after.map(|d| d.as_secs()),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Failure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = FailureJson::deserialize(d)?;
        Ok(Failure {
            item: j.item,
            error: ItemError {
                message: j.error,
                status: j.status,
                scim_type: j.scim_type,
                correlation_id: j.correlation_id,
                may_have_been_applied: j.may_have_been_applied,
                refusal: RefusalKind::parse(&j.kind),
                kind: j.kind,
                retryable: j.retryable,
                retry_after: j.retry_after.map(Duration::from_secs),
            },
        })
    }
}
