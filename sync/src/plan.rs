//! A plan: what `apply` would do and why, as plain data that serializes to
//! JSON and prints as text, so a dry run is "plan and print". Its counts
//! are derived from its items, never stored beside them.

use super::diff::Change;
use crate::snapshot::Snapshot;
use crate::tracking::Tracking;
use crate::{Decision, Scope};
use scim_sdk::models::ScimV2User;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// How many items of each kind a plan holds ([`Plan::summary`], derived
/// from its items), or an apply did (embedded in [`Report`](crate::Report)).
///
/// ```
/// let s = scim_sync::Summary::default();
/// assert_eq!(serde_json::to_value(&s).unwrap()["memberships_changed"], 0);
/// assert_eq!(s.to_string(), "0 to create, 0 to update, 0 to reactivate, 0 to deactivate, 0 unchanged, 0 membership changes");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Users to create.
    pub created: usize,
    /// Active users whose attributes change.
    pub updated: usize,
    /// Inactive users made active again.
    pub reactivated: usize,
    /// Users to deactivate (never deleted).
    pub deactivated: usize,
    /// Users of the feed that already look as desired.
    pub unchanged: usize,
    /// Members added to or removed from groups.
    pub memberships_changed: usize,
    /// Users to create that would be outside the scope once created (under
    /// the default scope: rows without an externalId): later syncs will
    /// neither update nor deactivate them. Each is also a warning.
    #[serde(default)]
    pub creates_out_of_scope: usize,
    /// Rows left for a person to decide ([`Plan::decisions`]): nothing is
    /// written for them, and the sync is not done until they are settled.
    #[serde(default)]
    pub needs_decision: usize,
}

impl fmt::Display for Summary {
    /// The plan's words: `4 to create, 6 to update, …, 2 membership changes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} to create, {} to update, {} to reactivate, {} to deactivate, {} unchanged, {}",
            self.created,
            self.updated,
            self.reactivated,
            self.deactivated,
            self.unchanged,
            membership_changes(self.memberships_changed)
        )?;
        if self.creates_out_of_scope > 0 {
            write!(f, " ({} created out of scope)", self.creates_out_of_scope)?;
        }
        if self.needs_decision > 0 {
            write!(f, ", {} needing a decision", self.needs_decision)?;
        }
        Ok(())
    }
}

/// `1 membership change`, `3 membership changes`.
pub(crate) fn membership_changes(n: usize) -> String {
    if n == 1 {
        "1 membership change".into()
    } else {
        format!("{n} membership changes")
    }
}

/// Why an item is in a plan.
///
/// ```
/// use scim_sync::Reason;
/// assert_eq!(Reason::AbsentFromFeed.to_string(), "in scope and absent from the feed");
/// assert_eq!(serde_json::to_value(Reason::AbsentFromFeed).unwrap(), "absent_from_feed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// A create: nobody in the org stands for the row.
    NotInOrg,
    /// An update: attributes differ from the feed.
    AttributesDiffer,
    /// An update: the manager is a user this plan creates.
    NewManager,
    /// A reactivation: inactive in the org, active in the feed.
    InactiveInOrg,
    /// A rehire under a new HR id: the account holds the old `externalId`,
    /// which an inactive row of the feed with the same `userName` (the old
    /// record) links to the new one (see [`PlannedUpdate::relink`]).
    Rehire,
    /// A deactivation: the feed marks the user inactive.
    InactiveInFeed,
    /// A deactivation: in scope and absent from the feed.
    AbsentFromFeed,
    /// A membership change: the group's members differ from the feed.
    MembersDiffer,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::NotInOrg => "not in the org",
            Reason::AttributesDiffer => "attributes differ from the feed",
            Reason::NewManager => "new manager, created by this plan",
            Reason::InactiveInOrg => "inactive in the org, active in the feed",
            Reason::Rehire => "a rehire: the feed links the old externalId to the new one",
            Reason::InactiveInFeed => "inactive in the feed",
            Reason::AbsentFromFeed => "in scope and absent from the feed",
            Reason::MembersDiffer => "members differ from the feed",
        })
    }
}

/// What one item of a plan (or a report's failure) is about: a user by
/// `userName`, or a group by name. It serializes as `{"userName": …}` or
/// `{"group": …}`.
///
/// ```
/// use scim_sync::ItemRef;
/// assert_eq!(ItemRef::Group("Sales".into()).to_string(), "group Sales");
/// assert_eq!(serde_json::to_value(ItemRef::User("a@b.c".into())).unwrap(), serde_json::json!({"userName": "a@b.c"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ItemRef {
    /// A user, by `userName`.
    #[serde(rename = "userName")]
    User(String),
    /// A group, by display name.
    #[serde(rename = "group")]
    Group(String),
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemRef::User(name) => f.write_str(name),
            ItemRef::Group(name) => write!(f, "group {name}"),
        }
    }
}

/// A plan is printed, stored and mailed around: a password it carries for
/// a create is left out of its serialized form.
fn without_password<S: serde::Serializer>(user: &ScimV2User, s: S) -> Result<S::Ok, S::Error> {
    if user.password.is_none() {
        return user.serialize(s);
    }
    let mut shown = user.clone();
    shown.password = None;
    shown.serialize(s)
}

/// The user as `Debug` shows it in a plan: any password redacted, since
/// plans end up in logs.
fn redacted(user: &ScimV2User) -> ScimV2User {
    let mut shown = user.clone();
    if shown.password.is_some() {
        shown.password = Some("<redacted>".into());
    }
    shown
}

impl fmt::Debug for PlannedCreate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlannedCreate")
            .field("user_name", &self.user_name)
            .field("user", &redacted(&self.user))
            .field("manager", &self.manager)
            .field("out_of_scope", &self.out_of_scope)
            .field("reason", &self.reason)
            .finish()
    }
}

impl fmt::Debug for PlannedUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlannedUpdate")
            .field("user_name", &self.user_name)
            .field("id", &self.id)
            .field("version", &self.version)
            .field("changes", &self.changes)
            .field("desired", &redacted(&self.desired))
            .field("manager", &self.manager)
            .field("reason", &self.reason)
            .field("relink", &self.relink)
            .finish()
    }
}

/// A rehire's account given the new `externalId`: the feed links the two
/// by an inactive row (the old record) with the same `userName` as the
/// current row, carrying the account's old `externalId`.
///
/// ```
/// let json = serde_json::json!({"from": "10011", "to": "10021", "line": "hr.csv:14"});
/// let r: scim_sync::Relink = serde_json::from_value(json.clone()).unwrap();
/// assert_eq!((r.from.as_str(), r.to.as_str()), ("10011", "10021"));
/// assert_eq!(serde_json::to_value(&r).unwrap(), json);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relink {
    /// The `externalId` the account holds: the old record's.
    pub from: String,
    /// The current row's `externalId`, which the account is given.
    pub to: String,
    /// Where the old record is in the feed (`FILE:LINE`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
}

/// A user to create.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for c in &plan.creates {
///     println!("create {} ({})", c.user_name, c.reason);
/// }
/// # }
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedCreate {
    /// The new user's `userName`.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The attributes it is created with. A `password` is kept for the
    /// create but never serialized.
    #[serde(serialize_with = "without_password")]
    pub user: ScimV2User,
    /// A manager created by the same plan, by `userName`: resolved to an id
    /// once that manager exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Whether the new user would be outside the scope once created, so
    /// that later syncs would neither update nor deactivate it (the plan
    /// warns about it too).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_scope: bool,
    /// Why.
    pub reason: Reason,
}

/// An existing user to change (or to reactivate).
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for u in &plan.updates {
///     for c in &u.changes {
///         println!("{}: {} {:?} -> {:?}", u.user_name, c.attribute, c.before, c.after);
///     }
/// }
/// # }
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedUpdate {
    /// The user's `userName` in the org.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The user's id.
    pub id: String,
    /// The version read, sent as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Attribute by attribute, before and after.
    pub changes: Vec<Change>,
    /// The desired attributes, to diff again if the user changed meanwhile
    /// (a `password` is never serialized).
    #[serde(serialize_with = "without_password")]
    pub desired: ScimV2User,
    /// A new manager created by the same plan, by `userName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Why.
    pub reason: Reason,
    /// For a rehire ([`Reason::Rehire`]): the old `externalId` the account
    /// holds, and the new one it is given. The write is sent only while the
    /// account still holds the old one (or, after a try that may have
    /// landed, the new one), and no other account holds the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relink: Option<Relink>,
}

/// An in-scope user to deactivate.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// let names: Vec<&str> = plan.deactivations.iter().map(|d| d.user_name.as_str()).collect();
/// # let _ = names;
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedDeactivation {
    /// The user's `userName`.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The user's id.
    pub id: String,
    /// The version read, sent as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Why.
    pub reason: Reason,
}

/// A member of a planned membership change.
///
/// ```
/// let m = scim_sync::Member { user_name: "a@b.c".into(), id: None };
/// # let _ = m;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's `userName`.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The member's id; `None` for a user the same plan creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Members to add to and remove from one group.
///
/// ```
/// # fn demo(plan: &scim_sync::Plan) {
/// for m in &plan.memberships {
///     println!("{}: +{} -{}", m.group, m.add.len(), m.remove.len());
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedMembership {
    /// The group's display name.
    pub group: String,
    /// The group's id.
    pub group_id: String,
    /// The version read, sent as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Members to add.
    pub add: Vec<Member>,
    /// Members to remove.
    pub remove: Vec<Member>,
    /// Why.
    pub reason: Reason,
}

/// Something the plan will not do, and why (an unresolvable manager, an
/// unknown group, a user out of scope), or what the feed's reader found
/// worth saying about a row it read all the same (a phone left as it is, a
/// row repeated whole). It serializes as `{"userName": …, "line": …,
/// "message": …}` (`"group"` for a group; `line` where the feed gives the
/// row's place) and prints as `jane@example.com (hr.csv:13): message`.
///
/// ```
/// use scim_sync::{ItemRef, Warning};
/// # fn demo(plan: &scim_sync::Plan) {
/// for w in &plan.warnings {
///     eprintln!("warning: {w}");
/// }
/// # }
/// let json = serde_json::json!({"group": "Nope", "message": "does not exist"});
/// let w: Warning = serde_json::from_value(json.clone()).unwrap();
/// assert_eq!(w.about, Some(ItemRef::Group("Nope".into())));
/// assert_eq!(serde_json::to_value(&w).unwrap(), json);
/// assert_eq!(w.to_string(), "group Nope: does not exist");
/// let phone = Warning::new("`TBC` is no phone number: left as it is").for_user("a@x.test").at("hr.csv:7");
/// assert_eq!(phone.to_string(), "a@x.test (hr.csv:7): `TBC` is no phone number: left as it is");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Warning {
    /// The user or group concerned, if any.
    #[serde(flatten)]
    pub about: Option<ItemRef>,
    /// Where in the feed: `FILE:LINE` as an editor shows it (or
    /// `FILE:SHEET!ROW`), when the feed gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// What and why.
    pub message: String,
}

impl Warning {
    /// A warning about nothing in particular, at no line.
    ///
    /// ```
    /// assert_eq!(scim_sync::Warning::new("read as windows-1252").to_string(), "read as windows-1252");
    /// ```
    pub fn new(message: impl Into<String>) -> Warning {
        Warning {
            about: None,
            line: None,
            message: message.into(),
        }
    }

    /// The same warning, about the user of this `userName`.
    ///
    /// ```
    /// let w = scim_sync::Warning::new("m").for_user("a@b.c");
    /// assert_eq!(w.user_name(), Some("a@b.c"));
    /// ```
    #[must_use]
    pub fn for_user(mut self, user_name: impl Into<String>) -> Warning {
        self.about = Some(ItemRef::User(user_name.into()));
        self
    }

    /// The same warning, at this place of the feed (`FILE:LINE`).
    ///
    /// ```
    /// assert_eq!(scim_sync::Warning::new("m").at("hr.csv:3").to_string(), "hr.csv:3: m");
    /// ```
    #[must_use]
    pub fn at(mut self, line: impl Into<String>) -> Warning {
        self.line = Some(line.into());
        self
    }

    /// The `userName` of the user concerned, if the warning is about one.
    ///
    /// ```
    /// let w: scim_sync::Warning = serde_json::from_value(serde_json::json!({"userName": "a@b.c", "message": "m"})).unwrap();
    /// assert_eq!(w.user_name(), Some("a@b.c"));
    /// ```
    pub fn user_name(&self) -> Option<&str> {
        match &self.about {
            Some(ItemRef::User(name)) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Warning {
    /// `jane@example.com (hr.csv:13): manager … is neither in the org nor
    /// in the feed`, `hr.csv:19: message`, or the message alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.about, &self.line) {
            (Some(about), Some(line)) => write!(f, "{about} ({line}): {}", self.message),
            (Some(about), None) => write!(f, "{about}: {}", self.message),
            (None, Some(line)) => write!(f, "{line}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// What [`apply`](crate::apply()) would do, and why. Serialize
/// it for a dry run; apply it as is, or after a human has read it.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client, users: &[scim_sync::DesiredUser]) -> Result<(), scim_sync::Error> {
/// use scim_sync::{Memberships, Scope};
/// let plan = scim_sync::plan(client, users, &Memberships::new(), &Scope::default())?;
/// println!("{}", serde_json::to_string_pretty(&plan).unwrap_or_default());
/// if plan.is_empty() {
///     println!("the org is in sync");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// Users of the feed that already look as desired (serialized within
    /// `summary`).
    #[serde(default, rename = "summary", deserialize_with = "unchanged_of_summary")]
    pub unchanged: usize,
    /// The scope planned with: [`apply`](crate::apply()) checks every
    /// write against it, on what it has just read. Serialized as
    /// `external-id`, `all`, `division:NAME` (a `custom` one cannot be read back).
    pub scope: Scope,
    /// Active in-scope users in the org when planned: what the
    /// mass-deactivation guard compares deactivations with.
    pub in_scope: usize,
    /// Users to create.
    pub creates: Vec<PlannedCreate>,
    /// Active users to change.
    pub updates: Vec<PlannedUpdate>,
    /// Inactive users to make active (and change as needed).
    pub reactivations: Vec<PlannedUpdate>,
    /// Users to deactivate.
    pub deactivations: Vec<PlannedDeactivation>,
    /// Group membership changes.
    pub memberships: Vec<PlannedMembership>,
    /// What will not be done, and why.
    pub warnings: Vec<Warning>,
    /// Rows the sync cannot settle on its own (a `userName` held by an
    /// account with another `externalId`, nothing in the feed linking the
    /// two): nothing is written for them, and they are counted as
    /// `needs_decision`.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// The org as the plan read it, for a plan made in this process: apply
    /// checks its writes on it instead of reading again. Never serialized:
    /// a plan read back from a file is checked on the org as apply reads it.
    #[serde(skip)]
    pub(crate) reading: Aside<Snapshot>,
    /// For a plan made with a [`SyncState`](crate::SyncState): what its
    /// apply records there. Never serialized.
    #[serde(skip)]
    pub(crate) tracked: Aside<Tracking>,
}

/// What a plan made in this process keeps beside it: never serialized,
/// and no part of the plan's value, so two plans that differ only in it
/// are equal.
pub(crate) struct Aside<T>(pub(crate) Option<Arc<T>>);

impl<T> Clone for Aside<T> {
    fn clone(&self) -> Self {
        Aside(self.0.clone())
    }
}

impl<T> Default for Aside<T> {
    fn default() -> Self {
        Aside(None)
    }
}

impl<T> PartialEq for Aside<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> fmt::Debug for Aside<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = if self.0.is_some() { "kept" } else { "none" };
        write!(f, "Aside({kept})")
    }
}

impl Plan {
    /// Whether applying the plan would send no write.
    ///
    /// ```
    /// assert!(scim_sync::Plan::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many items applying the plan works through: one per create,
    /// update, reactivation, deactivation and group membership change (what
    /// [`Progress::total`](super::Progress::total) counts).
    ///
    /// ```
    /// assert_eq!(scim_sync::Plan::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.creates.len()
            + self.updates.len()
            + self.reactivations.len()
            + self.deactivations.len()
            + self.memberships.len()
    }

    /// The counts, derived from the items.
    ///
    /// ```
    /// assert_eq!(scim_sync::Plan::default().summary().created, 0);
    /// ```
    pub fn summary(&self) -> Summary {
        Summary {
            created: self.creates.len(),
            updated: self.updates.len(),
            reactivated: self.reactivations.len(),
            deactivated: self.deactivations.len(),
            unchanged: self.unchanged,
            memberships_changed: self
                .memberships
                .iter()
                .map(|m| m.add.len() + m.remove.len())
                .sum(),
            creates_out_of_scope: self.creates.iter().filter(|c| c.out_of_scope).count(),
            needs_decision: self.decisions.len(),
        }
    }
}

fn unchanged_of_summary<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    Ok(Summary::deserialize(d)?.unchanged)
}

impl Serialize for Plan {
    /// The items, with the counts derived from them under `summary`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Plan", 10)?;
        out.serialize_field("summary", &self.summary())?;
        out.serialize_field("scope", &self.scope)?;
        out.serialize_field("in_scope", &self.in_scope)?;
        out.serialize_field("creates", &self.creates)?;
        out.serialize_field("updates", &self.updates)?;
        out.serialize_field("reactivations", &self.reactivations)?;
        out.serialize_field("deactivations", &self.deactivations)?;
        out.serialize_field("memberships", &self.memberships)?;
        out.serialize_field("warnings", &self.warnings)?;
        out.serialize_field("decisions", &self.decisions)?;
        out.end()
    }
}
