//! What `if_match` and `if_none_match` accept: a tag, an optional tag, or
//! the resource whose version is wanted. The resources' implementations are
//! in `resource_etags`, so that this module, which generated code uses, does
//! not itself depend on the generated models.

/// A source of the entity tag sent in `If-Match` or `If-None-Match`.
///
/// ETags reach a caller in different shapes: as a header (`resp.etag()`,
/// an `Option<&str>`), as `meta.version` of a listed resource, or as a
/// string kept from earlier. Each of them can be passed as it is:
///
/// - `&str`, `String`, `&String`: that tag;
/// - `Option` of any of these (and `&Option<String>`): the tag when present;
/// - `&ScimV2User`, `&ScimV2Group`: the resource's `meta.version`.
///
/// `None`, or a resource without a version, sends **no** header: the
/// request is then unconditional (an `If-None-Match` GET simply returns the
/// resource). Bare versions such as `3` get the quotes an entity tag needs.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// use scim_sdk::models::ScimV2PatchRequest;
/// for user in client.get_scim_v2_users().filter("active eq true").into_items() {
///     let user = user?;
///     let id = user.id.clone().unwrap_or_default();
///     let change = ScimV2PatchRequest::patch_op().replace("title", serde_json::json!("Agent"));
///     // Refused with a version mismatch if the user changed since it was listed.
///     client.patch_scim_v2_user(&id, change).if_match(&user).send()?;
/// }
/// # Ok(()) }
/// ```
pub trait IntoETag {
    /// The entity tag, or `None` to send no header.
    ///
    /// ```
    /// use scim_sdk::IntoETag;
    /// assert_eq!("\"3\"".into_etag().as_deref(), Some("\"3\""));
    /// assert_eq!(None::<&str>.into_etag(), None);
    /// ```
    fn into_etag(self) -> Option<String>;
}

impl IntoETag for &str {
    fn into_etag(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoETag for String {
    fn into_etag(self) -> Option<String> {
        Some(self)
    }
}

impl IntoETag for &String {
    fn into_etag(self) -> Option<String> {
        Some(self.clone())
    }
}

impl<T: IntoETag> IntoETag for Option<T> {
    fn into_etag(self) -> Option<String> {
        self.and_then(IntoETag::into_etag)
    }
}

impl<'a, T> IntoETag for &'a Option<T>
where
    &'a T: IntoETag,
{
    fn into_etag(self) -> Option<String> {
        self.as_ref().and_then(IntoETag::into_etag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_a_tag_gives_it() {
        let owned = String::from("\"2\"");
        assert_eq!("1".into_etag().as_deref(), Some("1"));
        assert_eq!((&owned).into_etag().as_deref(), Some("\"2\""));
        assert_eq!(Some(owned.as_str()).into_etag().as_deref(), Some("\"2\""));
        assert_eq!((&Some(owned.clone())).into_etag().as_deref(), Some("\"2\""));
        assert_eq!(owned.into_etag().as_deref(), Some("\"2\""));
        assert_eq!(None::<String>.into_etag(), None);
    }
}
