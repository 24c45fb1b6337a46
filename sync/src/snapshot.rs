//! The org as one reading saw it: every user, and the groups read by id.
//! A plan made in this process keeps the reading it was made from, so that
//! applying it at once checks each write on that reading instead of
//! reading again; a plan read back from a file has none, and apply reads
//! the org for it.

use scim_sdk::RequestCounts;
use scim_sdk::models::{ScimV2Group, ScimV2User};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// Users and groups as read, indexed for the write rule's look-ups.
pub(crate) struct Snapshot {
    users: Vec<ScimV2User>,
    by_id: HashMap<String, usize>,
    by_external_id: HashMap<String, usize>,
    /// Group id → the group, with members and version (only those read).
    groups: BTreeMap<String, ScimV2Group>,
    /// For a plan's reading: the client's request counts before the plan
    /// read, and how long planning took, so an apply reports both.
    pub(crate) cost: Option<(RequestCounts, Duration)>,
    /// What the mass-deactivation guard compares deactivations with.
    pub(crate) denominator: Denominator,
}

/// What the deactivation guard divides by, for a plan made in this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denominator {
    /// The active users in scope among those read: the whole org was.
    Count,
    /// A count read from the org another way (an incremental plan).
    Known(usize),
    /// People named one by one: no mass deactivation to guard against.
    Named,
}

impl Snapshot {
    pub(crate) fn new(users: Vec<ScimV2User>, groups: BTreeMap<String, ScimV2Group>) -> Snapshot {
        let mut by_id = HashMap::new();
        let mut by_external_id = HashMap::new();
        for (i, u) in users.iter().enumerate() {
            if let Some(id) = u.id.as_deref() {
                by_id.insert(id.to_owned(), i);
            }
            if let Some(x) = crate::matching::external_id_key(u.external_id.as_deref()) {
                by_external_id.entry(x.to_owned()).or_insert(i);
            }
        }
        Snapshot {
            users,
            by_id,
            by_external_id,
            groups,
            cost: None,
            denominator: Denominator::Count,
        }
    }

    pub(crate) fn users(&self) -> &[ScimV2User] {
        &self.users
    }

    pub(crate) fn user(&self, id: &str) -> Option<&ScimV2User> {
        self.by_id.get(id).map(|i| &self.users[*i])
    }

    pub(crate) fn user_by_external_id(&self, external_id: &str) -> Option<&ScimV2User> {
        let key = crate::matching::external_id_key(Some(external_id))?;
        self.by_external_id.get(key).map(|i| &self.users[*i])
    }

    /// The groups this reading read.
    pub(crate) fn groups(&self) -> impl Iterator<Item = &ScimV2Group> {
        self.groups.values()
    }

    /// The group, when this reading read it.
    pub(crate) fn group(&self, id: &str) -> Option<&ScimV2Group> {
        self.groups.get(id)
    }
}
