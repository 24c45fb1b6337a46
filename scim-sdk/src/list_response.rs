//! One page of a SCIM list query (RFC 7644 §3.4.2), for every resource
//! type: the generated list responses are aliases of [`ListResponse`].

use crate::model::{Model, ModelInfo};
use serde::{Deserialize, Serialize};

/// One page of a list query: the resources of type `T` in it, and where the
/// page lies in the whole result.
///
/// The generated `ScimUserListResponse` and its siblings are aliases of this
/// type, such as `ListResponse<ScimV2User>`.
///
/// ```
/// use scim_sdk::{ListResponse, models::{ScimUserListResponse, ScimV2User}};
/// let page: ScimUserListResponse = serde_json::from_str(
///     r#"{"totalResults": 1, "Resources": [{"userName": "jane"}], "nextCursor": "x"}"#,
/// )?;
/// assert_eq!(page.total_results, Some(1));
/// let users: &[ScimV2User] = page.resources.as_deref().unwrap_or_default();
/// assert_eq!(users[0].user_name.as_deref(), Some("jane"));
/// // An attribute the SDK does not know is kept, and sent back.
/// assert_eq!(page.additional_properties["nextCursor"], "x");
/// # Ok::<(), serde_json::Error>(())
/// ```
// No `#[serde(default)]`: a missing `Option` is `None` anyway, and the
// attribute would make serde ask for `T: Default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListResponse<T> {
    /// URNs of the SCIM schemas this object uses.
    ///
    /// JSON key: `schemas`.
    #[serde(rename = "schemas", skip_serializing_if = "Option::is_none")]
    pub schemas: Option<Vec<String>>,
    /// Total number of results matching the query.
    ///
    /// JSON key: `totalResults`.
    #[serde(rename = "totalResults", skip_serializing_if = "Option::is_none")]
    pub total_results: Option<i64>,
    /// 1-based position of the first result in this page.
    ///
    /// JSON key: `startIndex`.
    #[serde(rename = "startIndex", skip_serializing_if = "Option::is_none")]
    pub start_index: Option<i64>,
    /// Number of results in this page.
    ///
    /// JSON key: `itemsPerPage`.
    #[serde(rename = "itemsPerPage", skip_serializing_if = "Option::is_none")]
    pub items_per_page: Option<i64>,
    /// The resources in this page.
    ///
    /// JSON key: `Resources`.
    #[serde(rename = "Resources", skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<T>>,
    /// Attributes the API document does not describe, kept as received
    /// so that sending this value back loses nothing.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

// Not derived: an empty page needs no `T: Default`.
impl<T> Default for ListResponse<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> ListResponse<T> {
    /// Creates an empty page; set the attributes you need on the result.
    pub fn new() -> Self {
        Self {
            schemas: None,
            total_results: None,
            start_index: None,
            items_per_page: None,
            resources: None,
            additional_properties: serde_json::Map::new(),
        }
    }

    /// Sets `schemas` and returns `self`, for building values in one expression.
    #[must_use]
    pub fn with_schemas(mut self, value: Vec<String>) -> Self {
        self.schemas = Some(value);
        self
    }

    /// Sets `totalResults` and returns `self`, for building values in one expression.
    #[must_use]
    pub fn with_total_results(mut self, value: i64) -> Self {
        self.total_results = Some(value);
        self
    }

    /// Sets `startIndex` and returns `self`, for building values in one expression.
    #[must_use]
    pub fn with_start_index(mut self, value: i64) -> Self {
        self.start_index = Some(value);
        self
    }

    /// Sets `itemsPerPage` and returns `self`, for building values in one expression.
    #[must_use]
    pub fn with_items_per_page(mut self, value: i64) -> Self {
        self.items_per_page = Some(value);
        self
    }

    /// Sets `Resources` and returns `self`, for building values in one expression.
    #[must_use]
    pub fn with_resources(mut self, value: Vec<T>) -> Self {
        self.resources = Some(value);
        self
    }
}

impl<T: Serialize> Model for ListResponse<T> {
    const INFO: ModelInfo = ModelInfo::new("ListResponse");
}

#[cfg(test)]
mod tests {
    use super::ListResponse;

    #[test]
    fn a_page_reads_and_writes_the_scim_keys_and_keeps_unknown_ones() {
        let json = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"startIndex":2,"itemsPerPage":1,"Resources":["b"],"extra":true}"#;
        let page: ListResponse<String> = serde_json::from_str(json).unwrap();
        assert_eq!(page.total_results, Some(3));
        assert_eq!(page.start_index, Some(2));
        assert_eq!(page.items_per_page, Some(1));
        assert_eq!(page.resources.as_deref(), Some(&["b".to_owned()][..]));
        assert_eq!(serde_json::to_string(&page).unwrap(), json);
        let built = ListResponse::<String>::new()
            .with_total_results(0)
            .with_resources(Vec::new());
        assert_eq!(
            serde_json::to_string(&built).unwrap(),
            r#"{"totalResults":0,"Resources":[]}"#
        );
    }
}
