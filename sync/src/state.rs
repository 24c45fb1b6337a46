//! What an incremental run remembers of the runs before it: per person,
//! the account their row was applied to and a fingerprint of that row;
//! the group ids; and what the last full reconcile read. It is bound to
//! one org, one scope and one feed layout.

use crate::desired::{DesiredUser, Memberships};
use crate::lookup::Known;
use crate::matching::{external_id_key, user_name_key};
use crate::tracking::FullRun;
use crate::{Error, Scope};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// What the file says it is.
const FORMAT: &str = "scim-sync-state";
/// The version of the layout this release reads and writes.
const VERSION: u32 = 1;

/// The memory of incremental syncs: for each person of the feed, the id
/// of the account their row was last applied to and a fingerprint of the
/// row as applied, so that a later run reads only the people whose row
/// changed, appeared or disappeared ([`plan_since`](crate::plan_since)).
///
/// A state is bound to the org, the scope and the feed's layout (say, a
/// fingerprint of the mapping and the file's columns):
/// [`resume`](Self::resume) refuses another org or scope, and a changed
/// layout makes the next plan a full reconcile. Name the org by its base
/// URL and, when you connect with client credentials, the OAuth client's
/// id: two orgs of one region share a base URL, and an OAuth client belongs
/// to one org (a state of the other org would skip its unchanged people).
/// A custom scope compares as `custom` whatever its rule: name the rule in
/// the layout. A state with no full run
/// recorded plans a full reconcile too, and the apply of that plan fills
/// it. Only items that were applied are recorded; whatever a crash or a
/// failure left undone is planned again next time.
///
/// Every value in it is checked before it is trusted with a write: an id
/// is read and must still carry the person's externalId (or userName), a
/// group id is read before its members change, and the guard's count of
/// users in scope is never taken above what the org says now. No secret
/// is kept: fingerprints leave passwords out.
///
/// It serializes to JSON (what [`StateFile`](crate::StateFile) stores):
///
/// ```json
/// {
///   "format": "scim-sync-state", "version": 1,
///   "org": "https://api.mypurecloud.com", "scope": "external-id",
///   "layout": "sha256:…", "whole_groups": [],
///   "full": {"at": 1765140000, "in_scope": 9000, "users": 10000},
///   "people": {"externalId:E-1": {"id": "8f2b…", "userName": "jane@example.com", "fingerprint": "sha256:…"}},
///   "groups": {"Sales": "0c1d…"}
/// }
/// ```
///
/// ```
/// use scim_sync::{Scope, SyncState};
/// let state = SyncState::new("https://api.mypurecloud.com", &Scope::default(), "v1");
/// assert!(state.needs_full_reconcile());
/// let resumed = state.clone().resume("https://api.mypurecloud.com/", &Scope::default(), "v1")?;
/// assert_eq!(resumed, state);
/// assert!(state.resume("https://api.mypurecloud.ie", &Scope::default(), "v1").is_err());
/// # Ok::<(), scim_sync::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncState {
    format: String,
    version: u32,
    org: String,
    scope: serde_json::Value,
    layout: String,
    #[serde(default)]
    whole_groups: Vec<String>,
    #[serde(default)]
    pub(crate) full: Option<FullRun>,
    #[serde(default)]
    pub(crate) people: BTreeMap<String, Entry>,
    #[serde(default)]
    pub(crate) groups: BTreeMap<String, String>,
}

/// One person as last applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    /// `None` for a row marked inactive that has no account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(rename = "userName")]
    pub(crate) user_name: String,
    pub(crate) fingerprint: String,
}

impl SyncState {
    /// An empty state bound to this org (its base URL, with the OAuth
    /// client's id when there is one), scope and layout (any text that
    /// changes when the feed's meaning does, such as a fingerprint of the
    /// mapping and the file's columns): the next plan is a full reconcile.
    ///
    /// ```
    /// use scim_sync::{Scope, SyncState};
    /// let org = "https://api.mypurecloud.com (OAuth client 5a7c…)";
    /// let state = SyncState::new(org, &Scope::All, "");
    /// assert_eq!(state.len(), 0);
    /// let sandbox = "https://api.mypurecloud.com (OAuth client 9e01…)";
    /// assert!(state.resume(sandbox, &Scope::All, "").is_err(), "another org of the region");
    /// ```
    pub fn new(org: &str, scope: &Scope, layout: &str) -> SyncState {
        SyncState {
            format: FORMAT.into(),
            version: VERSION,
            org: org.trim().trim_end_matches('/').to_owned(),
            scope: scope_value(scope),
            layout: layout.to_owned(),
            whole_groups: Vec::new(),
            full: None,
            people: BTreeMap::new(),
            groups: BTreeMap::new(),
        }
    }

    /// This state, read back, for a run on this org, scope and layout:
    /// refused when it is not a state of this release, or was made for
    /// another org or scope (its ids mean nothing there, or it would
    /// carry people out of scope); emptied, so that the next plan is a
    /// full reconcile, when the layout changed.
    ///
    /// ```
    /// use scim_sync::{Scope, SyncState};
    /// let state = SyncState::new("https://a.test", &Scope::default(), "v1");
    /// assert!(state.clone().resume("https://a.test", &Scope::All, "v1").is_err());
    /// assert!(state.resume("https://a.test", &Scope::default(), "v2")?.needs_full_reconcile());
    /// # Ok::<(), scim_sync::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`RefusalKind::InvalidInput`](crate::RefusalKind::InvalidInput) for
    /// another format, version, org or scope.
    pub fn resume(self, org: &str, scope: &Scope, layout: &str) -> Result<SyncState, Error> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(Error::invalid_input(format!(
                "not a state of this release (format {:?}, version {}; expected {FORMAT:?}, \
                 version {VERSION}): run a full reconcile without it",
                self.format, self.version
            )));
        }
        if org_key(&self.org) != org_key(org) {
            return Err(Error::invalid_input(format!(
                "the state was made for the org at {}, not {}: its ids mean nothing here; use \
                 another state file, or run a full reconcile to start one",
                self.org,
                org.trim()
            )));
        }
        if self.scope != scope_value(scope) {
            return Err(Error::invalid_input(format!(
                "the state was made under the scope {}, not {}: run a full reconcile to start \
                 it again under this one",
                self.scope,
                scope_value(scope)
            )));
        }
        if self.layout != layout {
            return Ok(SyncState::new(org, scope, layout));
        }
        Ok(self)
    }

    /// Whether the next plan is a full reconcile: no full run is
    /// recorded (a new state, or one whose layout changed).
    ///
    /// ```
    /// assert!(scim_sync::SyncState::new("https://a.test", &scim_sync::Scope::All, "").needs_full_reconcile());
    /// ```
    pub fn needs_full_reconcile(&self) -> bool {
        self.full.is_none()
    }

    /// How many people it records.
    ///
    /// ```
    /// assert!(scim_sync::SyncState::new("https://a.test", &scim_sync::Scope::All, "").is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether it records nobody.
    ///
    /// ```
    /// assert!(scim_sync::SyncState::new("https://a.test", &scim_sync::Scope::All, "").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// When the last full reconcile ran, in seconds since the Unix epoch.
    ///
    /// ```
    /// assert_eq!(scim_sync::SyncState::new("https://a.test", &scim_sync::Scope::All, "").last_full_reconcile(), None);
    /// ```
    pub fn last_full_reconcile(&self) -> Option<u64> {
        self.full.map(|f| f.at)
    }

    /// Whether the groups listed whole are other than when the state was
    /// filled: their members' rows say nothing of the new ones.
    pub(crate) fn whole_groups_changed(&self, memberships: &Memberships) -> bool {
        !self.whole_groups.iter().eq(memberships.keys())
    }

    pub(crate) fn set_whole_groups(&mut self, names: &[String]) {
        self.whole_groups = names.to_vec();
    }

    /// Whether this person is recorded with this fingerprint.
    pub(crate) fn unchanged(&self, key: &str, fingerprint: &str) -> bool {
        self.people
            .get(key)
            .is_some_and(|e| e.fingerprint == fingerprint)
    }
}

/// The form in which orgs compare: trimmed, without a trailing `/`,
/// ignoring case.
fn org_key(org: &str) -> String {
    org.trim().trim_end_matches('/').to_ascii_lowercase()
}

fn scope_value(scope: &Scope) -> serde_json::Value {
    serde_json::to_value(scope).unwrap_or_default()
}

/// The key a person is recorded by: `externalId:…`, or `userName:…` for
/// a row without one.
pub(crate) fn person_key(user_name: &str, external_id: Option<&str>) -> String {
    match external_id_key(external_id) {
        Some(x) => format!("externalId:{x}"),
        None => format!("userName:{}", user_name_key(user_name)),
    }
}

/// The identity a key names: (userName, externalId).
pub(crate) fn identity<'k>(key: &'k str, entry: &'k Entry) -> (&'k str, Option<&'k str>) {
    match key.strip_prefix("externalId:") {
        Some(x) => (entry.user_name.as_str(), Some(x)),
        None => (entry.user_name.as_str(), None),
    }
}

/// The fingerprint of a row as the engine applies it, with the groups the
/// feed lists it in: SHA-256 of its JSON, any password left out.
pub(crate) fn fingerprint(d: &DesiredUser, listed_in: &[&String]) -> String {
    let mut d = d.clone();
    d.user.password = None;
    // Where the row is (its line) is no part of what it asks.
    d.source = None;
    let value = serde_json::json!({"row": d, "listed_in": listed_in});
    digest(value.to_string().as_bytes())
}

/// `sha256:` and the hex SHA-256 of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// The state as the lookups' hints: each id is checked on what is read.
pub(crate) struct Hints<'s> {
    state: &'s SyncState,
    by_name: HashMap<String, &'s str>,
}

impl<'s> Hints<'s> {
    pub(crate) fn new(state: &'s SyncState) -> Hints<'s> {
        let by_name = (state.people.values())
            .filter_map(|e| Some((user_name_key(&e.user_name), e.id.as_deref()?)))
            .collect();
        Hints { state, by_name }
    }
}

impl Known for Hints<'_> {
    fn account(&self, person: &DesiredUser) -> Option<&str> {
        let key = person_key(person.user_name(), person.user.external_id.as_deref());
        self.state.people.get(&key)?.id.as_deref()
    }

    fn user_id(&self, user_name: &str) -> Option<&str> {
        self.by_name.get(&user_name_key(user_name)).copied()
    }

    fn group_id(&self, name: &str) -> Option<&str> {
        self.state.groups.get(name).map(String::as_str)
    }
}
