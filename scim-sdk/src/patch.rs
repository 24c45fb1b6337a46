//! Building PATCH requests (RFC 7644 §3.5.2) in one expression.
//!
//! The generated [`ScimV2PatchRequest`] model is plain data; these methods
//! add the PatchOp schema URN every request needs and one method per kind of
//! operation, so callers do not assemble `ScimV2PatchOperation`s by hand.

use crate::models::{ScimV2PatchOperation, ScimV2PatchOperationOp, ScimV2PatchRequest};
use serde_json::Value;

impl ScimV2PatchRequest {
    /// The message schema every PATCH body must carry.
    pub const PATCH_OP_SCHEMA: &'static str = crate::schemas::PATCH_OP;

    /// A PATCH body with the PatchOp schema and no operations yet.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2PatchRequest;
    /// use serde_json::json;
    ///
    /// let body = ScimV2PatchRequest::patch_op()
    ///     .replace("title", json!("Team lead"))
    ///     .add("members", json!([{ "value": "user-id" }]))
    ///     .remove(r#"emails[type eq "other"]"#);
    /// assert_eq!(
    ///     serde_json::to_value(&body).unwrap(),
    ///     json!({
    ///         "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///         "Operations": [
    ///             {"op": "replace", "path": "title", "value": "Team lead"},
    ///             {"op": "add", "path": "members", "value": [{"value": "user-id"}]},
    ///             {"op": "remove", "path": "emails[type eq \"other\"]"}
    ///         ]
    ///     })
    /// );
    /// ```
    pub fn patch_op() -> Self {
        Self::new(vec![Self::PATCH_OP_SCHEMA.to_owned()]).with_operations(Vec::new())
    }

    /// Appends an operation built elsewhere.
    ///
    /// ```
    /// use scim_sdk::models::{ScimV2PatchOperation, ScimV2PatchOperationOp, ScimV2PatchRequest};
    /// let op = ScimV2PatchOperation::new(ScimV2PatchOperationOp::Add).with_value(serde_json::json!({"title": "x"}));
    /// let body = ScimV2PatchRequest::patch_op().operation(op);
    /// assert_eq!(body.operations.map(|ops| ops.len()), Some(1));
    /// ```
    #[must_use]
    pub fn operation(mut self, operation: ScimV2PatchOperation) -> Self {
        self.operations.get_or_insert_with(Vec::new).push(operation);
        self
    }

    /// Appends `add` of `value` at `path`.
    ///
    /// ```
    /// # use scim_sdk::models::ScimV2PatchRequest;
    /// let body = ScimV2PatchRequest::patch_op().add("members", serde_json::json!([{"value": "u-1"}]));
    /// # assert!(body.operations.is_some());
    /// ```
    #[must_use]
    pub fn add(self, path: impl Into<String>, value: Value) -> Self {
        self.operation(Self::step(ScimV2PatchOperationOp::Add, path).with_value(value))
    }

    /// Appends `replace` of the value at `path`.
    ///
    /// ```
    /// # use scim_sdk::models::ScimV2PatchRequest;
    /// let body = ScimV2PatchRequest::patch_op().replace("active", serde_json::json!(false));
    /// # assert!(body.operations.is_some());
    /// ```
    #[must_use]
    pub fn replace(self, path: impl Into<String>, value: Value) -> Self {
        self.operation(Self::step(ScimV2PatchOperationOp::Replace, path).with_value(value))
    }

    /// Appends `remove` of whatever `path` selects (`remove` needs a path).
    ///
    /// ```
    /// # use scim_sdk::models::ScimV2PatchRequest;
    /// let body = ScimV2PatchRequest::patch_op().remove(r#"members[value eq "u-1"]"#);
    /// # assert!(body.operations.is_some());
    /// ```
    #[must_use]
    pub fn remove(self, path: impl Into<String>) -> Self {
        self.operation(Self::step(ScimV2PatchOperationOp::Remove, path))
    }

    fn step(op: ScimV2PatchOperationOp, path: impl Into<String>) -> ScimV2PatchOperation {
        ScimV2PatchOperation::new(op).with_path(path)
    }
}
