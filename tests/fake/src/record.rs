//! One stored user or group, and how its version shows on the wire.

use serde_json::{Map, Value};

/// The current time as RFC 3339 in UTC with milliseconds.
pub(crate) fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// The ETag / meta.version text for a version number: the number in double quotes.
pub(crate) fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// One stored user or group.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub id: String,
    pub version: u64,
    pub last_modified: String,
    /// Every attribute except `id`, `meta`, `groups` and `password`.
    pub data: Map<String, Value>,
    pub password: Option<String>,
}

impl Record {
    pub(crate) fn new(id: String, data: Map<String, Value>, password: Option<String>) -> Record {
        Record {
            id,
            version: 1,
            last_modified: now_rfc3339(),
            data,
            password,
        }
    }
    /// Marks a change: bumps the version and the modification time.
    pub(crate) fn touch(&mut self) {
        self.version += 1;
        self.last_modified = now_rfc3339();
    }
    pub(crate) fn etag(&self) -> String {
        etag(self.version)
    }
    pub(crate) fn str_attr(&self, name: &str) -> Option<&str> {
        self.data.get(name).and_then(Value::as_str)
    }
    pub(crate) fn ext_str(&self, urn: &str, name: &str) -> Option<&str> {
        self.data.get(urn)?.get(name)?.as_str()
    }
    pub(crate) fn user_name(&self) -> Option<&str> {
        self.str_attr("userName")
    }
    pub(crate) fn active(&self) -> bool {
        self.data
            .get("active")
            .and_then(Value::as_bool)
            .unwrap_or(true)
    }
    pub(crate) fn display_name(&self) -> Option<&str> {
        self.str_attr("displayName")
    }
    /// Member user ids of a group record.
    pub(crate) fn member_ids(&self) -> Vec<String> {
        self.data
            .get("members")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}
