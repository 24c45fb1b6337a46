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
    ///
    /// ```no_run
    /// use scim_sdk::models::ScimV2CreateUser;
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let jane = ScimV2CreateUser::new("jane@example.com", "Jane Doe");
    /// let resp = client.post_scim_v2_users(jane).send_with_response()?;
    /// assert_eq!(resp.status(), 201);
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_users().count(1).send_with_response()?;
    /// // Genesys' own headers (rate limits, correlation id) help diagnose throttling.
    /// for (name, value) in resp.headers().iter().filter(|(n, _)| n.starts_with("inin-")) {
    ///     println!("{name}: {value}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The `ETag` header, quotes included (e.g. `"42"`): pass it to
    /// `if_match` or `if_none_match`.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let read = client.get_scim_v2_user("8f2b…").send_with_response()?;
    /// if let Some(etag) = read.etag().map(str::to_owned) {
    ///     // Fails with a version mismatch if someone changed the user since our read.
    ///     client.put_scim_v2_user("8f2b…", read.into_body()).if_match(etag).send()?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The `ININ-Correlation-Id` header that Genesys support asks for.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_users().filter("active eq false").send_with_response()?;
    /// // Worth logging on success too: support can trace a slow call by it.
    /// println!("listed in request {:?}", resp.correlation_id());
    /// # Ok(()) }
    /// ```
    pub fn correlation_id(&self) -> Option<&str> {
        self.header("inin-correlation-id")
    }

    /// The decoded body.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // count(0) asks only for the total, which is cheap.
    /// let resp = client.get_scim_v2_users().count(0).send_with_response()?;
    /// println!("{:?} active users", resp.body().total_results);
    /// # Ok(()) }
    /// ```
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body, dropping status and headers.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_user("8f2b…").send_with_response()?;
    /// let etag = resp.etag().map(str::to_owned);
    /// let user = resp.into_body();
    /// # let _ = (etag, user);
    /// # Ok(()) }
    /// ```
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_users().send_with_response()?;
    /// // Keep status and headers, drop everything but the user names.
    /// let names = resp.map(|list| {
    ///     let users = list.resources.unwrap_or_default();
    ///     users.into_iter().filter_map(|u| u.user_name).collect::<Vec<_>>()
    /// });
    /// println!("{}: {:?}", names.status(), names.body());
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// use scim_sdk::Conditional;
    /// let mut cached = "old copy";
    /// // Replace the cached copy only when the server sent a new version.
    /// if let Some(fresh) = Conditional::Modified("new copy").modified() {
    ///     cached = fresh;
    /// }
    /// assert_eq!(cached, "new copy");
    /// assert_eq!(Conditional::<&str>::NotModified.modified(), None);
    /// ```
    pub fn modified(self) -> Option<T> {
        match self {
            Conditional::Modified(t) => Some(t),
            Conditional::NotModified => None,
        }
    }

    /// `true` for the 304 outcome.
    ///
    /// ```
    /// use scim_sdk::Conditional;
    /// assert!(Conditional::<()>::NotModified.is_not_modified());
    /// assert!(!Conditional::Modified(()).is_not_modified());
    /// ```
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Conditional::NotModified)
    }
}
