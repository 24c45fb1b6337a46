//! The description of one API call: which operation, which filled-in path,
//! which query parameters, headers and body.
//!
//! Generated builders produce a [`Request`]; the runtime sends it. Nothing in
//! here performs I/O.

use crate::Error;
use crate::encoding::{encode_into, encode_path_segment};
use crate::model::Model;

/// HTTP methods used by the SCIM API.
///
/// ```
/// use scim_sdk::{operations::PatchScimV2User, Method};
/// assert_eq!(PatchScimV2User::INFO.method, Method::Patch);
/// // Why a PATCH is not re-sent after a dropped connection: it may have been applied.
/// assert!(!PatchScimV2User::INFO.method.is_idempotent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name as sent on the wire.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Method::Patch.as_str(), "PATCH");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once
    /// (RFC 9110 §9.2.2). Only `POST` and `PATCH` are not.
    ///
    /// ```
    /// assert!(scim_sdk::Method::Put.is_idempotent());
    /// assert!(!scim_sdk::Method::Post.is_idempotent());
    /// ```
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static facts about one API operation, taken from the OpenAPI document.
///
/// Every generated operation has one; see for example
/// [`GetScimV2User::INFO`](crate::operations::GetScimV2User::INFO).
///
/// ```
/// use scim_sdk::operations::GetScimV2User;
/// let info = GetScimV2User::INFO;
/// assert_eq!(info.id, "getScimV2User");
/// assert_eq!(info.path, "/api/v2/scim/v2/users/{userId}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// The OpenAPI `operationId`, e.g. `getScimV2User`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/api/v2/scim/v2/users/{userId}`.
    pub path: &'static str,
    /// The media type sent as `Content-Type` when the operation has a body.
    pub content_type: Option<&'static str>,
    /// For an operation that may answer `204 No Content` instead of the
    /// resource (a SCIM PATCH, RFC 7644 §3.5.2): the GET on the same path,
    /// which `send()` then uses to read the resource back.
    pub read_back_on_no_content: Option<&'static OperationInfo>,
}

impl OperationInfo {
    /// Describes an operation. Used by generated code.
    ///
    /// ```
    /// use scim_sdk::{Method, OperationInfo};
    /// const OP: OperationInfo = OperationInfo::new("getScimUsers", Method::Get, "/api/v2/scim/users", None);
    /// assert_eq!(OP.method, Method::Get);
    /// ```
    pub const fn new(
        id: &'static str,
        method: Method,
        path: &'static str,
        content_type: Option<&'static str>,
    ) -> Self {
        Self {
            id,
            method,
            path,
            content_type,
            read_back_on_no_content: None,
        }
    }

    /// Declares that a `204 No Content` answer is followed by `get`, a GET
    /// of the same path, whose answer `send()` returns. Used by generated
    /// code.
    ///
    /// ```
    /// use scim_sdk::{Method, OperationInfo};
    /// const GET: OperationInfo = OperationInfo::new("getThing", Method::Get, "/things/{id}", None);
    /// const PATCH: OperationInfo =
    ///     OperationInfo::new("patchThing", Method::Patch, "/things/{id}", Some("application/json"))
    ///         .read_back_on_no_content(&GET);
    /// assert_eq!(PATCH.read_back_on_no_content.map(|op| op.id), Some("getThing"));
    /// ```
    pub const fn read_back_on_no_content(mut self, get: &'static OperationInfo) -> Self {
        self.read_back_on_no_content = Some(get);
        self
    }
}

/// One API call, ready to send: the operation, the encoded path, the query,
/// extra headers and an optional JSON body.
///
/// Generated builders create it; [`Client`](crate::Client) sends it. Build one
/// yourself only to call an operation this SDK does not know yet.
///
/// ```
/// use scim_sdk::{Method, OperationInfo, Request};
/// const OP: OperationInfo =
///     OperationInfo::new("getScimV2User", Method::Get, "/api/v2/scim/v2/users/{userId}", None);
/// let mut req = Request::new(&OP, &[("userId", "a/b")])?;
/// req.query("filter", Some("userName eq \"x\""));
/// assert_eq!(req.path_and_query(), "/api/v2/scim/v2/users/a%2Fb?filter=userName%20eq%20%22x%22");
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Clone)]
pub struct Request {
    pub(crate) operation: &'static OperationInfo,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl std::fmt::Debug for Request {
    // Header values and bodies may carry secrets (passwords in user bodies), so
    // only their names and sizes are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

impl Request {
    /// Starts a request for `operation`, filling the path template with
    /// `path_params`, each percent-encoded as a single segment.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a parameter is empty (it would address the
    /// collection instead of one resource) or when the template names a
    /// parameter that was not given.
    ///
    /// ```
    /// use scim_sdk::{operations::GetScimV2User, Request};
    /// let req = Request::new(&GetScimV2User::INFO, &[("userId", "8f2b")])?;
    /// assert_eq!(req.path_and_query(), "/api/v2/scim/v2/users/8f2b");
    /// // An empty id would address the whole collection.
    /// assert!(Request::new(&GetScimV2User::INFO, &[("userId", "")]).is_err());
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn new(
        operation: &'static OperationInfo,
        path_params: &[(&str, &str)],
    ) -> Result<Self, Error> {
        let mut path = String::with_capacity(operation.path.len() + 40);
        let mut rest = operation.path;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| {
                Error::invalid_input(operation.id, "path template has an unclosed '{'")
            })?;
            let name = &after[..close];
            let value = path_params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    Error::invalid_input(operation.id, format!("missing path parameter `{name}`"))
                })?;
            if value.is_empty() {
                return Err(Error::invalid_input(
                    operation.id,
                    format!("path parameter `{name}` must not be empty"),
                ));
            }
            path.push_str(&encode_path_segment(value));
            rest = &after[close + 1..];
        }
        path.push_str(rest);
        Ok(Self {
            operation,
            path,
            query: String::new(),
            headers: Vec::new(),
            body: None,
        })
    }

    /// Adds `name=value` to the query string when `value` is present.
    ///
    /// ```
    /// use scim_sdk::{operations::GetScimV2Users, Request};
    /// let mut req = Request::new(&GetScimV2Users::INFO, &[])?;
    /// req.query("filter", Some("userName eq \"jane@example.com\"")).query("sortBy", None);
    /// assert_eq!(
    ///     req.path_and_query(),
    ///     "/api/v2/scim/v2/users?filter=userName%20eq%20%22jane%40example.com%22"
    /// );
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn query(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.query
                .push(if self.query.is_empty() { '?' } else { '&' });
            encode_into(&mut self.query, name);
            self.query.push('=');
            encode_into(&mut self.query, value);
        }
        self
    }

    /// Adds a query parameter from any displayable value, such as an integer.
    ///
    /// ```
    /// use scim_sdk::{operations::GetScimV2Users, Request};
    /// let mut req = Request::new(&GetScimV2Users::INFO, &[])?;
    /// req.query_display("startIndex", Some(&101)).query_display("count", Some(&100));
    /// assert_eq!(req.path_and_query(), "/api/v2/scim/v2/users?startIndex=101&count=100");
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn query_display(
        &mut self,
        name: &str,
        value: Option<&impl std::fmt::Display>,
    ) -> &mut Self {
        if let Some(value) = value {
            self.query(name, Some(&value.to_string()));
        }
        self
    }

    /// Adds a list as one comma-separated value (`style: form, explode: false`),
    /// as RFC 7644 §3.4.2.5 specifies for `attributes` and `excludedAttributes`.
    /// An empty list adds nothing.
    ///
    /// ```
    /// use scim_sdk::{operations::GetScimV2Users, Request};
    /// let mut req = Request::new(&GetScimV2Users::INFO, &[])?;
    /// req.query_csv("attributes", Some(&["userName".to_owned(), "emails".to_owned()]));
    /// assert_eq!(req.path_and_query(), "/api/v2/scim/v2/users?attributes=userName,emails");
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn query_csv(&mut self, name: &str, values: Option<&[String]>) -> &mut Self {
        if let Some(values) = values.filter(|v| !v.is_empty()) {
            self.query
                .push(if self.query.is_empty() { '?' } else { '&' });
            encode_into(&mut self.query, name);
            self.query.push('=');
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    // The separator stays literal; commas inside an item are escaped.
                    self.query.push(',');
                }
                encode_into(&mut self.query, value);
            }
        }
        self
    }

    /// Sets a request header when `value` is present.
    ///
    /// `If-Match` and `If-None-Match` values get the double quotes an entity
    /// tag needs when the caller passed a bare version such as `42`.
    ///
    /// ```
    /// use scim_sdk::{operations::DeleteScimV2User, Request};
    /// let mut req = Request::new(&DeleteScimV2User::INFO, &[("userId", "8f2b")])?;
    /// // Sent as `If-Match: "42"`: the server refuses the delete if the user changed.
    /// req.header("If-Match", Some("42"));
    /// # let _ = req;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn header(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            let value = if name.eq_ignore_ascii_case("if-match")
                || name.eq_ignore_ascii_case("if-none-match")
            {
                quote_etag(value)
            } else {
                value.to_owned()
            };
            self.headers.push((name, value));
        }
        self
    }

    /// Serialises a model as the JSON request body, the way generated
    /// builders send theirs: `schemas` lists the model's core schema and
    /// each extension present, and read-only attributes (`id`, `meta`, …)
    /// are left out, since the server sets them. Attributes the SDK does
    /// not know are sent as they are.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the value cannot be serialised.
    ///
    /// ```
    /// use scim_sdk::{models::ScimV2CreateUser, operations::PostScimV2Users, Request};
    /// let mut req = Request::new(&PostScimV2Users::INFO, &[])?;
    /// // Sent with "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"].
    /// req.model_body(&ScimV2CreateUser::new("jane@example.com", "Jane Doe"))?;
    /// # let _ = req;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn model_body<T: Model + ?Sized>(&mut self, body: &T) -> Result<&mut Self, Error> {
        self.set_body(crate::model::encode(body))
    }

    /// Serialises any value as the JSON request body, exactly as it is: no
    /// `schemas` filled in, nothing left out. Generated builders use
    /// [`model_body`](Self::model_body) for models.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the value cannot be serialised.
    ///
    /// ```
    /// use scim_sdk::{operations::PostScimV2Users, Request};
    /// let mut req = Request::new(&PostScimV2Users::INFO, &[])?;
    /// req.json_body(&serde_json::json!({"userName": "jane@example.com", "displayName": "Jane"}))?;
    /// # let _ = req;
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
    ) -> Result<&mut Self, Error> {
        self.set_body(serde_json::to_vec(body))
    }

    fn set_body(&mut self, encoded: serde_json::Result<Vec<u8>>) -> Result<&mut Self, Error> {
        let bytes = encoded.map_err(|e| {
            Error::invalid_input(
                self.operation.id,
                format!("request body is not valid JSON: {e}"),
            )
        })?;
        self.body = Some(bytes);
        Ok(self)
    }

    /// A GET of this request's path, for `operation`: no query, no extra
    /// headers, no body. Reads back what a `204 No Content` did not return.
    pub(crate) fn read_back(&self, operation: &'static OperationInfo) -> Request {
        Request {
            operation,
            path: self.path.clone(),
            query: String::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// The operation this request calls.
    ///
    /// ```
    /// use scim_sdk::{operations::GetScimV2User, Method, Request};
    /// let req = Request::new(&GetScimV2User::INFO, &[("userId", "8f2b")])?;
    /// assert_eq!((req.operation().id, req.operation().method), ("getScimV2User", Method::Get));
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// Whether sending this request twice does no more than sending it
    /// once: its method is idempotent ([`Method::is_idempotent`]), or it
    /// carries an `If-Match` with an entity tag, so that a second copy finds
    /// the version moved on and is refused. (`If-Match: *` guards nothing.)
    /// The client sends a request again after a failure that may have
    /// reached the server only when this is true.
    ///
    /// ```
    /// use scim_sdk::{operations::PatchScimV2User, Request};
    /// let mut req = Request::new(&PatchScimV2User::INFO, &[("userId", "8f2b")])?;
    /// assert!(!req.is_replay_safe());
    /// req.header("If-Match", Some("42"));
    /// assert!(req.is_replay_safe());
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn is_replay_safe(&self) -> bool {
        self.operation.method.is_idempotent()
            || self
                .headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("if-match") && v.trim() != "*")
    }

    /// The encoded path followed by the encoded query string, as sent.
    ///
    /// ```
    /// use scim_sdk::{operations::GetScimV2User, Request};
    /// // Ids are escaped as one segment, so a hostile id cannot reach another resource.
    /// let req = Request::new(&GetScimV2User::INFO, &[("userId", "../groups")])?;
    /// assert_eq!(req.path_and_query(), "/api/v2/scim/v2/users/..%2Fgroups");
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn path_and_query(&self) -> String {
        format!("{}{}", self.path, self.query)
    }
}

/// Adds the quotes of an entity tag unless the value already is one
/// (`"42"`, `W/"42"`) or the wildcard `*`.
fn quote_etag(value: &str) -> String {
    let v = value.trim();
    if v == "*" || v.starts_with('"') || v.starts_with("W/\"") {
        v.to_owned()
    } else {
        format!("\"{v}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: OperationInfo = OperationInfo::new("op", Method::Get, "/a/{x}/b/{y}", None);

    #[test]
    fn fills_every_template_slot() {
        let r = Request::new(&OP, &[("y", "2"), ("x", "1 1")]).unwrap();
        assert_eq!(r.path, "/a/1%201/b/2");
    }

    #[test]
    fn refuses_empty_or_missing_path_params() {
        assert!(matches!(
            Request::new(&OP, &[("x", ""), ("y", "1")]),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            Request::new(&OP, &[("x", "1")]),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn etags_are_quoted_once() {
        assert_eq!(quote_etag("42"), "\"42\"");
        assert_eq!(quote_etag("\"42\""), "\"42\"");
        assert_eq!(quote_etag("W/\"1\""), "W/\"1\"");
        assert_eq!(quote_etag("*"), "*");
    }
}
