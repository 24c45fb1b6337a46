//! What a successful call gives back: the typed body, plus status and headers
//! for callers who need them, and the "not modified" outcome of conditional GETs.

/// A decoded response body together with the HTTP status and headers.
///
/// Returned by every builder's `send_with_response()`.
///
/// ```
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// let resp = client.get_scim_v2_user("8f2b…").send_with_response()?;
/// println!("status {} etag {:?} correlation {:?}", resp.status(), resp.etag(), resp.correlation_id());
/// let user = resp.into_body();
/// # let _ = user; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: Vec<(String, String)>,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: u16, headers: Vec<(String, String)>, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of header `name` (case-insensitive).
    ///
    /// ```
    /// # fn demo(r: &scim_sdk::Response<()>) {
    /// let ct = r.header("content-type");
    /// # let _ = ct; }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All response headers, in the order received, names in lower case.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The `ETag` header, quotes included (e.g. `"42"`): pass it to
    /// `if_match` or `if_none_match`.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The `ININ-Correlation-Id` header that Genesys support asks for.
    pub fn correlation_id(&self) -> Option<&str> {
        self.header("inin-correlation-id")
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

/// The outcome of a GET sent with `If-None-Match`.
///
/// ```
/// use scim_sdk::Conditional;
/// # fn demo(client: &scim_sdk::Client, etag: &str) -> Result<(), scim_sdk::Error> {
/// match client.get_scim_v2_user("8f2b…").if_none_match(etag).send()? {
///     Conditional::Modified(user) => println!("changed: {:?}", user.meta),
///     Conditional::NotModified => println!("cached copy is current"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Conditional<T> {
    /// The resource changed (or the tag did not match): here is its current state.
    Modified(T),
    /// 304: the resource still has the version the caller sent.
    NotModified,
}

impl<T> Conditional<T> {
    /// The new state, or `None` when not modified.
    pub fn modified(self) -> Option<T> {
        match self {
            Conditional::Modified(t) => Some(t),
            Conditional::NotModified => None,
        }
    }

    /// `true` for the 304 outcome.
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Conditional::NotModified)
    }
}
