//! [`IntoETag`] for the resources: a resource as read or listed carries its
//! version in `meta.version`, the same value as the `ETag` header.

use crate::IntoETag;
use crate::models::{ScimV2Group, ScimV2User};

impl IntoETag for &ScimV2User {
    fn into_etag(self) -> Option<String> {
        self.meta.as_ref()?.version.clone()
    }
}

impl IntoETag for &ScimV2Group {
    fn into_etag(self) -> Option<String> {
        self.meta.as_ref()?.version.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_gives_its_meta_version() {
        let user: ScimV2User =
            serde_json::from_value(serde_json::json!({"meta": {"version": "W/\"5\""}})).unwrap();
        assert_eq!((&user).into_etag().as_deref(), Some("W/\"5\""));
        assert_eq!((&ScimV2Group::new("g")).into_etag(), None);
        assert_eq!(Some(&user).into_etag().as_deref(), Some("W/\"5\""));
    }
}
