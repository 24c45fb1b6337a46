//! The matching rules, stated once: how names compare, which org account a
//! feed row stands for, and whose account a sync may take over.
//!
//! - A `userName` compares trimmed and ignoring case, as Genesys does; an
//!   `externalId` compares trimmed, with case.
//! - A row matches the org account with its `externalId`, else the one
//!   with its `userName`.
//! - Org accounts can share a key: a rehire's old, inactive account keeps
//!   the externalId of the new one, or two accounts differ only in the case
//!   of their userName. Then the row matches the active account whose
//!   userName equals its own; the other holders are named in a warning and
//!   never deactivated, renamed or taken over. Without such an account the
//!   row matches none of them, and none is touched.

use scim_sdk::models::ScimV2User;
use std::collections::HashMap;

/// The form in which userNames compare: trimmed, lower case.
pub(crate) fn user_name_key(user_name: &str) -> String {
    user_name.trim().to_lowercase()
}

/// The form in which externalIds compare: trimmed; `None` when empty.
pub(crate) fn external_id_key(external_id: Option<&str>) -> Option<&str> {
    external_id.map(str::trim).filter(|x| !x.is_empty())
}

/// The user with its userName and externalId in the form they compare
/// in, the form the engine looks users up and writes with.
pub(crate) fn normalized(user: &ScimV2User) -> ScimV2User {
    let mut user = user.clone();
    user.user_name = user.user_name.map(|n| n.trim().to_owned());
    user.external_id = user.external_id.map(|x| x.trim().to_owned());
    user
}

/// Whether a sync may take over `holder`, an account holding the userName
/// it wants: only when the holder has no externalId or has ours.
pub(crate) fn may_take_over(holder: &ScimV2User, desired: &ScimV2User) -> bool {
    match external_id_key(holder.external_id.as_deref()) {
        None => true,
        theirs => theirs == external_id_key(desired.external_id.as_deref()),
    }
}

/// Whether a row and the account it matched by userName both have an
/// externalId, and they differ: the account belongs to another person or
/// system, and is not taken over.
pub(crate) fn external_ids_differ(account: &ScimV2User, desired: &ScimV2User) -> bool {
    match (
        external_id_key(account.external_id.as_deref()),
        external_id_key(desired.external_id.as_deref()),
    ) {
        (Some(theirs), Some(ours)) => theirs != ours,
        _ => false,
    }
}

/// Which key a row matched an account by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    ExternalId,
    UserName,
}

/// The org account a feed row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Match {
    /// No account: the row is a new user.
    None,
    /// This account (by index); `others` share its key and are left alone.
    One {
        index: usize,
        by: Key,
        others: Vec<usize>,
    },
    /// Several accounts share the key and none is clearly the row's: all
    /// are left alone.
    Ambiguous { by: Key, holders: Vec<usize> },
}

impl Match {
    /// The account matched, if exactly one.
    pub(crate) fn index(&self) -> Option<usize> {
        match self {
            Match::One { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// Every account the row accounts for: never deactivated as absent.
    pub(crate) fn accounted(&self) -> Vec<usize> {
        match self {
            Match::None => Vec::new(),
            Match::One { index, others, .. } => std::iter::once(*index)
                .chain(others.iter().copied())
                .collect(),
            Match::Ambiguous { holders, .. } => holders.clone(),
        }
    }
}

/// The org as read, indexed by the matching keys.
pub(crate) struct Org<'a> {
    pub(crate) users: &'a [ScimV2User],
    by_name: HashMap<String, Vec<usize>>,
    by_external_id: HashMap<&'a str, Vec<usize>>,
    pub(crate) by_id: HashMap<&'a str, usize>,
}

impl<'a> Org<'a> {
    pub(crate) fn new(users: &'a [ScimV2User]) -> Self {
        let mut org = Org {
            users,
            by_name: HashMap::new(),
            by_external_id: HashMap::new(),
            by_id: HashMap::new(),
        };
        for (i, u) in users.iter().enumerate() {
            if let Some(n) = u.user_name.as_deref() {
                org.by_name.entry(user_name_key(n)).or_default().push(i);
            }
            if let Some(x) = external_id_key(u.external_id.as_deref()) {
                org.by_external_id.entry(x).or_default().push(i);
            }
            if let Some(id) = u.id.as_deref() {
                org.by_id.insert(id, i);
            }
        }
        org
    }

    /// The account a userName names (for a manager or a member): the only
    /// one, else the only active one, else none.
    pub(crate) fn named(&self, user_name: &str) -> Option<usize> {
        let holders = self.by_name.get(&user_name_key(user_name))?;
        match holders.as_slice() {
            [one] => Some(*one),
            many => {
                let mut active = many.iter().filter(|i| self.users[**i].is_active());
                match (active.next(), active.next()) {
                    (Some(i), None) => Some(*i),
                    _ => None,
                }
            }
        }
    }

    /// The account a row with this userName and externalId stands for.
    pub(crate) fn matching(&self, user_name: &str, external_id: Option<&str>) -> Match {
        if let Some(x) = external_id_key(external_id)
            && let Some(holders) = self.by_external_id.get(x)
        {
            return self.pick(holders, user_name, Key::ExternalId);
        }
        match self.by_name.get(&user_name_key(user_name)) {
            Some(holders) => self.pick(holders, user_name, Key::UserName),
            None => Match::None,
        }
    }

    /// One of several holders of a key: the active one whose userName is
    /// the row's (ignoring case; exactly, when that still leaves several).
    fn pick(&self, holders: &[usize], user_name: &str, by: Key) -> Match {
        let key = user_name_key(user_name);
        let live = |i: &&usize| {
            let u = &self.users[**i];
            u.is_active()
                && u.user_name
                    .as_deref()
                    .is_some_and(|n| user_name_key(n) == key)
        };
        let mut candidates: Vec<usize> = holders.iter().filter(live).copied().collect();
        if candidates.len() > 1 {
            let exact = user_name.trim();
            candidates
                .retain(|i| self.users[*i].user_name.as_deref().map(str::trim) == Some(exact));
        }
        match (holders, candidates.as_slice()) {
            ([one], _) => Match::One {
                index: *one,
                by,
                others: Vec::new(),
            },
            (_, [index]) => Match::One {
                index: *index,
                by,
                others: holders.iter().copied().filter(|i| i != index).collect(),
            },
            _ => Match::Ambiguous {
                by,
                holders: holders.to_vec(),
            },
        }
    }

    /// Whether an account has the userName or the externalId `x` names.
    pub(crate) fn holds(&self, x: &crate::Exclusion) -> bool {
        x.user_name().is_some_and(|n| self.by_name.contains_key(n))
            || x.external_id()
                .is_some_and(|e| self.by_external_id.contains_key(e))
    }

    pub(crate) fn id(&self, index: usize) -> &'a str {
        self.users[index].id.as_deref().unwrap_or_default()
    }

    pub(crate) fn user_name(&self, index: usize) -> String {
        self.users[index].user_name.clone().unwrap_or_default()
    }
}
