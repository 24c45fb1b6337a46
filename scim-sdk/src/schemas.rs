//! The SCIM schema URNs this API uses, as constants.
//!
//! Extension attributes travel under their schema's URN as a JSON key, and
//! PATCH paths into an extension are qualified with it, for example
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
//! [`attribute`] builds such a path without string formatting at the call site.
//!
//! ```
//! use scim_sdk::schemas;
//! assert_eq!(
//!     schemas::attribute(schemas::ENTERPRISE_USER, "department"),
//!     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
//! );
//! ```

/// The core User schema (RFC 7643 §4.1).
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// The core Group schema (RFC 7643 §4.2).
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// The enterprise User extension (RFC 7643 §4.3): division, department,
/// employee number, manager.
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Genesys Cloud's own User extension: routing skills and languages, and
/// external ids by authority.
pub const GENESYS_USER: &str = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";

/// The body of a PATCH request (RFC 7644 §3.5.2).
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The envelope of a list answer (RFC 7644 §3.4.2).
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// The body of an error answer (RFC 7644 §3.12).
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The service provider configuration document (RFC 7643 §5).
pub const SERVICE_PROVIDER_CONFIG: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// A resource type description (RFC 7643 §6).
pub const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

/// A schema description (RFC 7643 §7).
pub const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// The URN-qualified name of `attribute` in `schema`, as used in PATCH paths
/// and filters: `{schema}:{attribute}`.
///
/// ```
/// use scim_sdk::schemas::{attribute, GENESYS_USER};
/// let path = attribute(GENESYS_USER, "routingSkills");
/// assert!(path.ends_with(":User:routingSkills"));
/// ```
pub fn attribute(schema: &str, attribute: &str) -> String {
    format!("{schema}:{attribute}")
}
