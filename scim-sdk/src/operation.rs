//! The contract between generated request builders and the runtime, and the
//! runtime's generic handling of each call: send, decode, conditional GET.

use crate::{Client, Conditional, Error, IntoETag, Request, Response};
use serde::de::DeserializeOwned;

/// Implemented by every generated request builder. The runtime needs nothing
/// else to send an operation and decode its answer.
///
/// You do not normally use this trait: call the builder's `send()`.
///
/// ```
/// use scim_sdk::Operation;
/// // Generic over every builder: describe a call without sending it, e.g. for a dry run.
/// fn describe(op: impl Operation) -> Result<String, scim_sdk::Error> {
///     let (_client, request) = op.into_parts()?;
///     Ok(format!("{} {}", request.operation().method, request.path_and_query()))
/// }
/// let client = scim_sdk::Client::builder().bearer("t").build()?;
/// assert_eq!(describe(client.delete_scim_v2_user("42"))?, "DELETE /api/v2/scim/v2/users/42");
/// # Ok::<(), scim_sdk::Error>(())
/// ```
pub trait Operation: Sized {
    /// The decoded success body (`()` for operations that answer 204).
    type Output: DeserializeOwned;

    /// Splits the builder into the client to use and the request to send.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when an argument cannot be encoded.
    fn into_parts(self) -> Result<(Client, Request), Error>;

    /// Sends the request and decodes the success body. Every builder's own
    /// `send()` calls this; use it in code that is generic over operations.
    ///
    /// # Errors
    /// [`Error::Http`] for an error status, and the other [`Error`] variants
    /// for transport, time-out and decoding failures.
    ///
    /// ```no_run
    /// use scim_sdk::Operation;
    /// // Sends any operation and reports how it went, whatever it returns.
    /// fn send_logged<O: Operation>(op: O) -> Option<O::Output> {
    ///     op.send().map_err(|e| eprintln!("failed: {e}")).ok()
    /// }
    /// # fn demo(client: &scim_sdk::Client) {
    /// let user = send_logged(client.get_scim_v2_user("8f2b…"));
    /// # let _ = user;
    /// # }
    /// ```
    fn send(self) -> Result<Self::Output, Error> {
        send_with_response(self).map(Response::into_body)
    }

    /// Like [`send`](Operation::send), also returning the status and headers.
    ///
    /// # Errors
    /// As for [`send`](Operation::send).
    ///
    /// ```no_run
    /// use scim_sdk::Operation;
    /// fn correlation<O: Operation>(op: O) -> Result<Option<String>, scim_sdk::Error> {
    ///     Ok(op.send_with_response()?.correlation_id().map(str::to_owned))
    /// }
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// println!("{:?}", correlation(client.get_scim_v2_groups("displayName pr"))?);
    /// # Ok(()) }
    /// ```
    fn send_with_response(self) -> Result<Response<Self::Output>, Error> {
        send_with_response(self)
    }
}

/// Sends `op` and decodes its success body.
pub(crate) fn send_with_response<O: Operation>(op: O) -> Result<Response<O::Output>, Error> {
    let (client, request) = op.into_parts()?;
    let raw = client.execute(&request)?;
    match (raw.status(), request.operation.read_back_on_no_content) {
        // Only requests sent through `IfNoneMatch` expect 304.
        (304, _) => Err(crate::transport::decode_failure(
            &request,
            &raw,
            "",
            "unexpected 304 Not Modified for a request without If-None-Match".into(),
        )),
        // The change is applied but its result not returned: fetch it, so
        // that callers get the resource whichever answer the server chose.
        // The GET's own response (status, ETag) is what the caller sees.
        (204, Some(get)) => {
            let read_back = request.read_back(get);
            let raw = client.execute(&read_back)?;
            crate::transport::decode_body(&read_back, raw)
        }
        _ => crate::transport::decode_body(&request, raw),
    }
}

/// A request builder with an `If-None-Match` tag: its `send()` returns
/// [`Conditional`], so a 304 answer is an outcome to match on, not an error.
///
/// Created by the `if_none_match` method of builders whose operation
/// supports it, for example [`GetScimV2User::if_none_match`](crate::operations::GetScimV2User::if_none_match).
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client, etag: &str) -> Result<(), scim_sdk::Error> {
/// let outcome = client.get_scim_v2_group("0c1d…").if_none_match(etag).send()?;
/// if outcome.is_not_modified() {
///     // Nothing to do: the group is as we last synced it.
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is called"]
pub struct IfNoneMatch<O> {
    operation: O,
    etag: Option<String>,
}

impl<O: Operation> IfNoneMatch<O> {
    /// Wraps `operation`; `etag` is sent as `If-None-Match` (quotes are added
    /// when missing). It may be anything [`IntoETag`] accepts; when it holds
    /// no tag (`None`, or a resource without `meta.version`) no header is
    /// sent and the answer is always `Modified`.
    ///
    /// ```no_run
    /// use scim_sdk::IfNoneMatch;
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // Same as `client.get_scim_v2_user("8f2b…").if_none_match("42")`.
    /// let outcome = IfNoneMatch::new(client.get_scim_v2_user("8f2b…"), "42").send()?;
    /// # let _ = outcome;
    /// # Ok(()) }
    /// ```
    pub fn new(operation: O, etag: impl IntoETag) -> Self {
        Self {
            operation,
            etag: etag.into_etag(),
        }
    }

    /// Sends the request: `Modified(body)` on 200, `NotModified` on 304.
    ///
    /// # Errors
    /// As for the operation's plain `send()`.
    ///
    /// ```no_run
    /// use scim_sdk::Conditional;
    /// # fn demo(client: &scim_sdk::Client, etag: &str) -> Result<(), scim_sdk::Error> {
    /// match client.get_scim_serviceproviderconfig().if_none_match(etag).send()? {
    ///     Conditional::Modified(config) => println!("new capabilities: {:?}", config.patch),
    ///     Conditional::NotModified => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> Result<Conditional<O::Output>, Error> {
        self.send_with_response().map(Response::into_body)
    }

    /// Like [`send`](Self::send), keeping the status and headers.
    ///
    /// # Errors
    /// As for the operation's plain `send()`.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client, etag: &str) -> Result<(), scim_sdk::Error> {
    /// let resp = client.get_scim_v2_user("8f2b…").if_none_match(etag).send_with_response()?;
    /// // Remember the newest version for the next conditional GET.
    /// let next_etag = resp.etag().unwrap_or(etag).to_owned();
    /// let user = resp.into_body().modified();
    /// # let _ = (next_etag, user);
    /// # Ok(()) }
    /// ```
    pub fn send_with_response(self) -> Result<Response<Conditional<O::Output>>, Error> {
        let (client, mut request) = self.operation.into_parts()?;
        request.header("If-None-Match", self.etag.as_deref());
        let raw = client.execute(&request)?;
        if raw.status() == 304 {
            return Ok(raw.map(|_| Conditional::NotModified));
        }
        crate::transport::decode_body(&request, raw).map(|r| r.map(Conditional::Modified))
    }
}
