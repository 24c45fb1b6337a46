//! Reading what a plan of some people needs, and nothing else: their
//! accounts (by externalId and by userName, inactive included, or by the
//! id an earlier run recorded, checked), their managers, and the groups
//! they join or leave. What it costs depends on the people, never on the
//! size of the org.

use crate::Error;
use crate::desired::{Desired, DesiredUser, Memberships};
use crate::matching::{Match, Org, external_id_key, user_name_key};
use crate::planner::{Groups, claim_all};
use crate::update::Guarded;
use crate::wire::{Wire, absent_on_404};
use scim_sdk::models::{ScimV2Group, ScimV2User};
use scim_sdk::{Client, Filter, RECOMMENDED_PAGE_SIZE};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What an earlier run learnt: ids that save a lookup, each checked on
/// what is read before it is trusted with a write.
pub(crate) trait Known {
    /// The id of the account this person's row was last applied to.
    fn account(&self, _person: &DesiredUser) -> Option<&str> {
        None
    }
    /// The id of the account of this userName.
    fn user_id(&self, _user_name: &str) -> Option<&str> {
        None
    }
    /// The id of the group of this name.
    fn group_id(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// Nothing known: every person is looked up.
pub(crate) struct Nothing;

impl Known for Nothing {}

/// An account that left the feed: the identity its row had, and the id
/// it was applied to.
pub(crate) struct Gone {
    pub(crate) user_name: String,
    pub(crate) external_id: Option<String>,
    /// `None` for a row recorded without an account: nothing to read.
    pub(crate) id: Option<String>,
}

/// What was read for some people.
pub(crate) struct Found {
    /// The accounts read, each once.
    pub(crate) users: Vec<ScimV2User>,
    /// The groups the people join or leave, read; others named, by id.
    pub(crate) groups: Groups,
    /// Managers not read, by userName key → id: the person's account
    /// already names that id, so no write depends on it.
    pub(crate) managers: HashMap<String, String>,
    /// Ids of the accounts of people who left the feed.
    pub(crate) absent: HashSet<String>,
    /// For each of those gone, the ids of the accounts found for them.
    pub(crate) gone: Vec<Vec<String>>,
    /// The group names a plan may speak of: those resolved or looked up.
    pub(crate) group_names: BTreeSet<String>,
}

/// Reads the accounts of `people`, of those `gone`, the managers they
/// name and the groups they join or leave.
pub(crate) fn read_people(
    client: &Client,
    people: &[DesiredUser],
    memberships: &Memberships,
    gone: &[Gone],
    known: &dyn Known,
) -> Result<Found, Error> {
    let mut r = Reader {
        client,
        users: Vec::new(),
        ids: HashSet::new(),
    };
    for person in people {
        r.person(person, known)?;
    }
    let mut absent = HashSet::new();
    let mut gone_ids = Vec::new();
    for g in gone {
        let ids = r.gone(g)?;
        absent.extend(ids.iter().cloned());
        gone_ids.push(ids);
    }
    let managers = r.managers(people, known)?;
    let org = Org::new(&r.users);
    // A conflict is refused, or left out, when the plan is made.
    let (matches, _) = claim_all(people, &org);
    let mut groups = GroupReader {
        client,
        known,
        ids: HashMap::new(),
        read: BTreeMap::new(),
        looked_up: BTreeSet::new(),
        needed: BTreeSet::new(),
    };
    groups.plan(people, &matches, &org, memberships, &absent)?;
    let (groups, group_names) = groups.finish()?;
    Ok(Found {
        users: r.users,
        groups,
        managers,
        absent,
        gone: gone_ids,
        group_names,
    })
}

struct Reader<'c> {
    client: &'c Client,
    users: Vec<ScimV2User>,
    ids: HashSet<String>,
}

/// Whether `account` carries the person's key: its externalId, or, for a
/// person without one, its userName.
fn carries(account: &ScimV2User, user_name: &str, external_id: Option<&str>) -> bool {
    match external_id_key(external_id) {
        Some(x) => external_id_key(account.external_id.as_deref()) == Some(x),
        None => account
            .user_name
            .as_deref()
            .is_some_and(|n| user_name_key(n) == user_name_key(user_name)),
    }
}

impl Reader<'_> {
    fn add(&mut self, user: ScimV2User) {
        let id = user.id.clone().unwrap_or_default();
        if self.ids.insert(id) {
            self.users.push(user);
        }
    }

    /// The account of this id, as just read; `None` when it is gone.
    fn by_id(&self, id: &str) -> Result<Option<ScimV2User>, Error> {
        Ok(absent_on_404(ScimV2User::read(
            &Wire::new(self.client),
            id,
        ))?)
    }

    /// Every account, active or not, whose `attribute` is `value`.
    fn holders(&mut self, attribute: &str, value: &str) -> Result<Vec<ScimV2User>, Error> {
        let mut found = Vec::new();
        for active in [true, false] {
            let filter = Filter::eq(attribute, value.trim())?.and(Filter::eq("active", active)?);
            let page = self
                .client
                .get_scim_v2_users()
                .filter(filter)
                .count(RECOMMENDED_PAGE_SIZE)
                .send()?;
            found.extend(page.resources.unwrap_or_default());
        }
        for user in &found {
            self.add(user.clone());
        }
        Ok(found)
    }

    /// Looks up every account a row with this identity may stand for.
    fn look_up(&mut self, user_name: &str, external_id: Option<&str>) -> Result<(), Error> {
        if let Some(x) = external_id_key(external_id) {
            self.holders("externalId", x)?;
        }
        if !user_name.trim().is_empty() {
            self.holders("userName", user_name)?;
        }
        Ok(())
    }

    /// The person's account by the id known, when it still carries the
    /// person's key; else, or when the row renames it, a lookup: a stale
    /// id never leads to a write.
    fn person(&mut self, d: &DesiredUser, known: &dyn Known) -> Result<(), Error> {
        let (name, external_id) = (d.user_name(), d.user.external_id.as_deref());
        let Some(id) = known.account(d) else {
            return self.look_up(name, external_id);
        };
        match self.by_id(id)? {
            Some(account) if carries(&account, name, external_id) => {
                let renamed = account
                    .user_name
                    .as_deref()
                    .is_none_or(|n| user_name_key(n) != user_name_key(name));
                self.add(account);
                if renamed {
                    // Someone may hold the userName the row wants.
                    self.holders("userName", name)?;
                }
                Ok(())
            }
            _ => self.look_up(name, external_id),
        }
    }

    /// The account of a row that left the feed, when it still carries the
    /// row's key (else the holders of that key): the ids returned are
    /// judged absent.
    fn gone(&mut self, g: &Gone) -> Result<Vec<String>, Error> {
        let (name, x) = (g.user_name.as_str(), g.external_id.as_deref());
        let Some(id) = &g.id else {
            return Ok(Vec::new());
        };
        let found = match self.by_id(id)? {
            Some(account) if carries(&account, name, x) => vec![account],
            _ => match external_id_key(x) {
                Some(x) => self.holders("externalId", x)?,
                None => self.holders("userName", name)?,
            },
        };
        let ids = found.iter().filter_map(|u| u.id.clone()).collect();
        for user in found {
            self.add(user);
        }
        Ok(ids)
    }

    /// Reads the managers the people name that are not read yet. One whose
    /// id is known and already set on the person's account is not read: no
    /// write depends on it.
    fn managers(
        &mut self,
        people: &[DesiredUser],
        known: &dyn Known,
    ) -> Result<HashMap<String, String>, Error> {
        let planned: HashSet<String> = people
            .iter()
            .map(|d| user_name_key(d.user_name()))
            .collect();
        let mut trusted = HashMap::new();
        for d in people {
            let Desired::Set(manager) = &d.manager else {
                continue;
            };
            let key = user_name_key(manager);
            if key.is_empty() || planned.contains(&key) || self.holds_name(&key) {
                continue;
            }
            let account = Org::new(&self.users)
                .matching(d.user_name(), d.user.external_id.as_deref())
                .index()
                .map(|i| self.users[i].clone());
            match known.user_id(manager) {
                Some(id) if account.as_ref().and_then(|a| a.manager_id()) == Some(id) => {
                    trusted.insert(key, id.to_owned());
                }
                Some(id) => match self.by_id(id)? {
                    Some(m) if carries(&m, manager, None) => self.add(m),
                    _ => drop(self.holders("userName", manager)?),
                },
                None => drop(self.holders("userName", manager)?),
            }
        }
        Ok(trusted)
    }

    fn holds_name(&self, key: &str) -> bool {
        self.users.iter().any(|u| {
            u.user_name
                .as_deref()
                .is_some_and(|n| user_name_key(n) == key)
        })
    }
}

/// Which groups the people join or leave, and reading them.
struct GroupReader<'a> {
    client: &'a Client,
    known: &'a dyn Known,
    /// Group name → id, as resolved.
    ids: HashMap<String, String>,
    read: BTreeMap<String, ScimV2Group>,
    /// Names looked up by name (found or not).
    looked_up: BTreeSet<String>,
    needed: BTreeSet<String>,
}

impl GroupReader<'_> {
    /// The id of the group of this name: known, or looked up (which reads it).
    fn resolve(&mut self, name: &str) -> Result<Option<String>, Error> {
        if let Some(id) = self.ids.get(name) {
            return Ok(Some(id.clone()));
        }
        if let Some(id) = self.known.group_id(name) {
            self.ids.insert(name.to_owned(), id.to_owned());
            return Ok(Some(id.to_owned()));
        }
        self.look_up(name)
    }

    fn look_up(&mut self, name: &str) -> Result<Option<String>, Error> {
        self.looked_up.insert(name.to_owned());
        let Some(group) = self.client.find_group_by_name(name)? else {
            return Ok(None);
        };
        let id = group.id.clone().unwrap_or_default();
        self.ids.insert(name.to_owned(), id.clone());
        self.read.insert(id.clone(), group);
        Ok(Some(id))
    }

    /// Notes the groups each person joins or leaves, and those the people
    /// who left the feed leave (the groups the feed lists whole).
    fn plan(
        &mut self,
        people: &[DesiredUser],
        matches: &[Option<Match>],
        org: &Org<'_>,
        memberships: &Memberships,
        absent: &HashSet<String>,
    ) -> Result<(), Error> {
        let whole: Vec<&String> = memberships.keys().collect();
        for (d, found) in people.iter().zip(matches) {
            let key = user_name_key(d.user_name());
            let listed = d.group_names();
            let mut names: Vec<&String> = listed.unwrap_or_default().iter().collect();
            names.extend(
                memberships
                    .iter()
                    .filter(|(_, members)| members.iter().any(|m| user_name_key(m) == key))
                    .map(|(name, _)| name),
            );
            if listed.is_none() && whole.is_empty() {
                continue;
            }
            let held: Vec<&str> = (found.as_ref().and_then(Match::index))
                .map(|i| org.users[i].group_ids().collect())
                .unwrap_or_default();
            let mut wanted = HashSet::new();
            for name in names {
                if let Some(id) = self.resolve(name)? {
                    if !held.contains(&id.as_str()) {
                        self.needed.insert(id.clone());
                    }
                    wanted.insert(id);
                }
            }
            let spoken: Vec<String> = if listed.is_some() {
                held.iter().map(|id| (*id).to_owned()).collect()
            } else {
                self.whole_held(&whole, &held)?
            };
            let leaving = spoken.into_iter().filter(|id| !wanted.contains(id));
            self.needed.extend(leaving);
        }
        for u in org
            .users
            .iter()
            .filter(|u| absent.contains(u.id.as_deref().unwrap_or_default()))
        {
            let held: Vec<&str> = u.group_ids().collect();
            let leaving = self.whole_held(&whole, &held)?;
            self.needed.extend(leaving);
        }
        Ok(())
    }

    /// The ids among `held` of the groups the feed lists whole.
    fn whole_held(&mut self, whole: &[&String], held: &[&str]) -> Result<Vec<String>, Error> {
        let mut ids = Vec::new();
        if held.is_empty() {
            return Ok(ids);
        }
        for name in whole {
            if let Some(id) = self.resolve(name)?
                && held.contains(&id.as_str())
            {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Reads the groups needed; a known id that is gone is looked up by name.
    fn finish(mut self) -> Result<(Groups, BTreeSet<String>), Error> {
        let wire = Wire::new(self.client);
        for id in std::mem::take(&mut self.needed) {
            if self.read.contains_key(&id) {
                continue;
            }
            match ScimV2Group::read(&wire, &id) {
                Ok(group) => {
                    self.read.insert(id, group);
                }
                Err(e) if e.is_not_found() => {
                    let names: Vec<String> = (self.ids.iter())
                        .filter(|(_, v)| **v == id)
                        .map(|(n, _)| n.clone())
                        .collect();
                    for name in names {
                        self.ids.remove(&name);
                        if !self.looked_up.contains(&name) {
                            self.look_up(&name)?;
                        }
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        let unread = (self.ids.values())
            .filter(|id| !self.read.contains_key(*id))
            .cloned()
            .collect();
        let names = self.ids.keys().chain(&self.looked_up).cloned().collect();
        let groups = Groups {
            ids: self.ids,
            by_id: self.read,
            unread,
        };
        Ok((groups, names))
    }
}
