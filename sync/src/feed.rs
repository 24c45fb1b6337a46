//! The feed as a whole: its rows, the groups it lists by members, what its
//! reader warned about while reading it, and which rows may not stand
//! side by side (two rows claiming one person) or plan nothing of their own
//! (an old record beside the current row).

use crate::desired::{DesiredUser, Memberships};
use crate::matching::{external_id_key, user_name_key};
use crate::plan::Warning;
use crate::{Error, RefusalKind};
use std::collections::HashMap;

/// A feed as a file reader gives it: the desired users (each with where
/// its row came from, see [`DesiredUser::with_source`]), the groups it
/// lists by members, and what the reader found worth saying about rows it
/// read all the same (a phone left as it is, a row repeated whole, letters
/// lost before the file reached us), each with its line.
/// [`plan_feed`](crate::plan_feed) plans it; the reader's warnings open
/// the plan's, so a plan in JSON carries them too.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{DesiredUser, Feed, Warning};
/// let feed = Feed::new(vec![
///     DesiredUser::new(ScimV2User::new().with_user_name("a@x.test")).with_source("hr.csv:2"),
/// ])
/// .with_warnings([Warning::new("`TBC` is no phone number: left as it is").for_user("a@x.test").at("hr.csv:2")]);
/// assert_eq!(feed.warnings.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Feed {
    /// The rows.
    pub users: Vec<DesiredUser>,
    /// Groups listed by members, as [`plan`](crate::plan()) takes them.
    pub memberships: Memberships,
    /// What the reader warned about.
    pub warnings: Vec<Warning>,
    /// Whether rows that stand for one account (one by userName, another
    /// by externalId) are left out instead of refusing the feed (see
    /// [`Feed::leaving_out_conflicts`]).
    pub leave_out_conflicts: bool,
    /// Rows of the same source that a plan of some people does not plan
    /// (see [`Feed::beside`]).
    pub others: Vec<DesiredUser>,
}

impl Feed {
    /// A feed of these rows, listing no group by members, without warnings.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// let feed = scim_sync::Feed::new(vec![ScimV2User::new().with_user_name("a@x.test").into()]);
    /// assert!(feed.memberships.is_empty() && feed.warnings.is_empty());
    /// ```
    pub fn new(users: Vec<DesiredUser>) -> Feed {
        Feed {
            users,
            ..Feed::default()
        }
    }

    /// The same feed, listing these groups by members.
    ///
    /// ```
    /// let mut groups = scim_sync::Memberships::new();
    /// groups.insert("Sales".into(), vec!["a@x.test".into()]);
    /// let feed = scim_sync::Feed::new(Vec::new()).with_memberships(groups);
    /// assert_eq!(feed.memberships.len(), 1);
    /// ```
    #[must_use]
    pub fn with_memberships(mut self, memberships: Memberships) -> Feed {
        self.memberships = memberships;
        self
    }

    /// The same feed, with these warnings of its reader added.
    ///
    /// ```
    /// use scim_sync::{Feed, Warning};
    /// let feed = Feed::new(Vec::new()).with_warnings([Warning::new("read as windows-1252")]);
    /// assert_eq!(feed.warnings.len(), 1);
    /// ```
    #[must_use]
    pub fn with_warnings(mut self, warnings: impl IntoIterator<Item = Warning>) -> Feed {
        self.warnings.extend(warnings);
        self
    }

    /// The same feed, whose plans leave out rows that stand for one
    /// account (one by userName, another by externalId) instead of
    /// refusing it: each such row is a warning naming both, and the plan's
    /// scope keeps that account and both rows' people out, so nothing is
    /// written for them, not even a deactivation. For a reader that skips
    /// bad rows and syncs the rest.
    ///
    /// ```
    /// let feed = scim_sync::Feed::default().leaving_out_conflicts();
    /// assert!(feed.leave_out_conflicts);
    /// ```
    pub fn leaving_out_conflicts(mut self) -> Feed {
        self.leave_out_conflicts = true;
        self
    }

    /// The same feed, for [`plan_people`](crate::plan_people) picking some
    /// rows of a source: `others` are the rest of it. They are not
    /// planned, but a planned row that finds the account one of them finds
    /// (one by userName, the other by externalId) is refused, or left out,
    /// as it would be in a plan of every row.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::{DesiredUser, Feed};
    /// let row = |name: &str| DesiredUser::new(ScimV2User::new().with_user_name(name));
    /// let feed = Feed::new(vec![row("jane@x.test")]).beside(vec![row("bob@x.test")]);
    /// assert_eq!((feed.users.len(), feed.others.len()), (1, 1));
    /// ```
    pub fn beside(mut self, others: Vec<DesiredUser>) -> Feed {
        self.others = others;
        self
    }
}

/// The key two rows of a feed both claim (see [`duplicates`]).
///
/// ```
/// # fn demo(found: &[scim_sync::Duplicate]) {
/// let by_id = found.iter().filter(|d| d.key == scim_sync::DuplicateKey::ExternalId).count();
/// # let _ = by_id;
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DuplicateKey {
    /// The same `userName`, ignoring case.
    UserName,
    /// The same `externalId`.
    ExternalId,
}

/// Two rows of a feed that claim one person: applied, each would undo the
/// other.
///
/// ```
/// # fn demo(feed: &[scim_sync::DesiredUser]) {
/// for d in scim_sync::duplicates(feed) {
///     let [a, b] = d.rows;
///     eprintln!("rows {a} and {b} both claim {:?} {}", d.key, d.value);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Duplicate {
    /// The rows, by position in the feed (from 0), the earlier first.
    pub rows: [usize; 2],
    /// The key both claim.
    pub key: DuplicateKey,
    /// Its value, as the later row gives it.
    pub value: String,
}

/// The pairs of rows that claim one person, each later row with the first
/// earlier one it clashes with: two rows of one `userName` (ignoring case),
/// or two rows of one `externalId` with different userNames. Rows that
/// only ever deactivate cannot undo each other, so an inactive row is no
/// clash with a row of its userName (the old record of a rehire or of a
/// converted contractor beside the current row, or two leaver records), nor
/// with another inactive row of its externalId.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{DesiredUser, DuplicateKey};
/// let row = |name: &str, id: &str, active: bool| {
///     let mut u = ScimV2User::new().with_user_name(name).with_external_id(id);
///     u.active = Some(active);
///     DesiredUser::new(u)
/// };
/// let feed = [row("emma@x.test", "10021", true), row("Emma@x.test", "10011", false)];
/// assert!(scim_sync::duplicates(&feed).is_empty(), "an old record");
/// let feed = [row("a@x.test", "1", true), row("b@x.test", "2", true), row("A@x.test", "3", true)];
/// let found = scim_sync::duplicates(&feed);
/// assert_eq!((found[0].rows, found[0].key), ([0, 2], DuplicateKey::UserName));
/// ```
pub fn duplicates(users: &[DesiredUser]) -> Vec<Duplicate> {
    let mut found = Vec::new();
    let mut active_by_name: HashMap<String, usize> = HashMap::new();
    let mut by_external_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in users.iter().enumerate() {
        let key = user_name_key(d.user_name());
        if is_active(d) {
            match active_by_name.get(&key) {
                Some(&first) => found.push(Duplicate {
                    rows: [first, i],
                    key: DuplicateKey::UserName,
                    value: d.user_name().to_owned(),
                }),
                None => {
                    active_by_name.insert(key.clone(), i);
                }
            }
        }
        let Some(x) = external_id_key(d.user.external_id.as_deref()) else {
            continue;
        };
        let earlier = by_external_id.entry(x).or_default();
        let clash = earlier.iter().copied().find(|&j| {
            let other = &users[j];
            user_name_key(other.user_name()) != key && (is_active(d) || is_active(other))
        });
        if let Some(first) = clash {
            found.push(Duplicate {
                rows: [first, i],
                key: DuplicateKey::ExternalId,
                value: x.to_owned(),
            });
        }
        earlier.push(i);
    }
    found
}

fn is_active(d: &DesiredUser) -> bool {
    d.user.active != Some(false)
}

/// For each row, the active row of its userName when it is an inactive
/// row beside one (the old record of a rehire, say): such a row plans
/// nothing of its own.
pub(crate) fn old_records(users: &[DesiredUser]) -> Vec<Option<usize>> {
    let active: HashMap<String, usize> = users
        .iter()
        .enumerate()
        .filter(|(_, d)| is_active(d))
        .map(|(i, d)| (user_name_key(d.user_name()), i))
        .collect();
    users
        .iter()
        .map(|d| {
            (!is_active(d))
                .then(|| active.get(&user_name_key(d.user_name())).copied())
                .flatten()
        })
        .collect()
}

/// An old `externalId` the feed links to a current row: the externalId of
/// an old record, and where that record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) external_id: String,
    pub(crate) line: Option<String>,
}

/// The old externalIds each current row's old records link to it, by the
/// row's userName (in the form userNames compare in).
pub(crate) fn links(users: &[DesiredUser]) -> HashMap<String, Vec<Link>> {
    let mut links: HashMap<String, Vec<Link>> = HashMap::new();
    for (d, current) in users.iter().zip(old_records(users)) {
        let Some(current) = current.map(|i| &users[i]) else {
            continue;
        };
        let old = external_id_key(d.user.external_id.as_deref());
        if old.is_none() || old == external_id_key(current.user.external_id.as_deref()) {
            continue;
        }
        links
            .entry(user_name_key(current.user_name()))
            .or_default()
            .extend(old.map(|x| Link {
                external_id: x.to_owned(),
                line: d.source.clone(),
            }));
    }
    links
}

/// Refuses a feed that cannot be planned, before anything is read: a row
/// without `userName`, or rows that claim one person ([`duplicates`]),
/// every pair named by the rows' places.
pub(crate) fn validate(users: &[DesiredUser]) -> Result<(), Error> {
    if let Some((i, d)) = users
        .iter()
        .enumerate()
        .find(|(_, d)| d.user_name().is_empty())
    {
        let at = d.place(i + 1);
        return Err(Error::refused(
            RefusalKind::InvalidFeed,
            vec![d.named(i + 1)],
            format!("user {at} has no userName"),
        ));
    }
    let found = duplicates(users);
    if found.is_empty() {
        return Ok(());
    }
    let mut records: Vec<String> = Vec::new();
    let mut said = Vec::new();
    for dup in &found {
        let [a, b] = dup.rows;
        for i in [a, b] {
            let named = users[i].named(i + 1);
            if !records.contains(&named) {
                records.push(named);
            }
        }
        let key = match dup.key {
            DuplicateKey::UserName => "userName",
            DuplicateKey::ExternalId => "externalId",
        };
        said.push(format!(
            "{key} {} appears twice in the feed: {} and {}",
            dup.value,
            users[a].place(a + 1),
            users[b].place(b + 1)
        ));
    }
    Err(Error::refused(
        RefusalKind::InvalidFeed,
        records,
        format!(
            "{}: applied, each row would undo the other",
            said.join("; ")
        ),
    ))
}
