//! Incremental runs: plan the people whose rows changed, appeared or
//! disappeared since a [`SyncState`] recorded them, by the rules of a full
//! sync, and record in the state what the apply did.

use crate::desired::{DesiredUser, Memberships};
use crate::feed::validate;
use crate::listing::{CHEAP_PAGE_SIZE, costly_attributes, count_users};
use crate::lookup::{Gone, read_people};
use crate::matching::{Org, external_id_key, user_name_key};
use crate::one::{PeopleRows, observed, plan_found, take};
use crate::plan::Aside;
use crate::planner::claim_all;
use crate::snapshot::Denominator;
use crate::state::{Hints, fingerprint, identity, person_key};
use crate::tracking::{FullRun, Person, Tracking};
use crate::{ApplyOptions, Error, Feed, Plan, Report, Scope, SyncState};
use scim_sdk::models::ScimV2User;
use scim_sdk::{Client, RECOMMENDED_PAGE_SIZE};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

/// Plans a [`Feed`] since `state` (see [`SyncState`]): when the state holds a
/// full run and the groups listed whole are the same, it reads only the
/// accounts of the people whose rows changed, appeared or disappeared since
/// (by the ids recorded, checked on what is read; by lookups for the
/// others), their managers and the groups they join or leave, and plans
/// them as [`plan_feed`](crate::plan_feed) would, deactivating the accounts
/// of rows that left the feed. Otherwise, or when those reads would cost more
/// requests than listing the org, it is a full reconcile, as `plan_feed`. A
/// changed row whose recorded account was deleted or no longer carries its
/// key is looked up again, never written blindly.
///
/// Changes made in Genesys to people whose rows did not change are seen
/// only by a full reconcile: run one now and then (a new state, or
/// [`SyncState::new`]).
///
/// The mass-deactivation guard of an incremental plan compares its
/// deactivations with the users in scope the last full reconcile read,
/// never more than the active users the org counts now (one request when
/// there is a deactivation), nor fewer than the active users in scope its
/// own reads found.
///
/// ```no_run
/// use scim_sync::{ApplyOptions, Scope, StateFile, SyncState};
/// # fn demo(client: &scim_sdk::Client, feed: &scim_sync::Feed) -> Result<(), scim_sync::Error> {
/// let file = StateFile::open("state.json")?;
/// let scope = Scope::default();
/// let org = client.base_url(); // with the OAuth client's id when there is one (see SyncState)
/// let mut state = match file.load()? {
///     Some(saved) => saved.resume(org, &scope, "v1")?,
///     None => SyncState::new(org, &scope, "v1"),
/// };
/// let plan = scim_sync::plan_since(client, feed, &scope, &state)?;
/// let report = state.apply_and_record(client, &plan, &ApplyOptions::default());
/// file.save(&state)?; // what was applied, even when the apply stopped short
/// println!("{}", report?);
/// # Ok(()) }
/// ```
///
/// # Errors
/// As for [`plan()`](crate::plan()).
pub fn plan_since(
    client: &Client,
    feed: &Feed,
    scope: &Scope,
    state: &SyncState,
) -> Result<Plan, Error> {
    let (users, memberships) = (&feed.users[..], &feed.memberships);
    validate(users)?;
    if state.needs_full_reconcile() || state.whole_groups_changed(memberships) {
        return full(client, feed, scope);
    }
    let started = (client.request_counts(), Instant::now());
    let rows = Rows::of(users, memberships);
    let changed = changed_rows(users, &rows, state);
    let gone = gone(state, &rows, scope);
    if costs_more_than_a_listing(state, users, scope, &changed, &rows, gone.len()) {
        return full(client, feed, scope);
    }
    let people: Vec<DesiredUser> = changed.iter().map(|i| users[*i].clone()).collect();
    let mut found = read_people(client, &people, memberships, &gone, &Hints::new(state))?;
    // An account a row of the feed still claims is not absent from it.
    let claimed: HashSet<String> = (found.users.iter())
        .filter(|u| rows.claims(u))
        .filter_map(|u| u.id.clone())
        .collect();
    found.absent.retain(|id| !claimed.contains(id));
    let gone: Vec<(String, Vec<String>)> = (gone.iter().zip(&found.gone))
        .map(|(g, ids)| {
            let key = person_key(&g.user_name, g.external_id.as_deref());
            let judged = ids.iter().filter(|id| !claimed.contains(*id)).cloned();
            (key, judged.collect())
        })
        .collect();
    let confirmed = (found.users.iter())
        .filter(|u| u.is_active() && scope.contains(u))
        .count();
    let recorded = state.full.map_or(0, |f| f.in_scope);
    let estimate = Denominator::Known(confirmed.max(recorded));
    let planned = PeopleRows {
        people: &people,
        others: unchanged_rows(feed, &changed),
        memberships,
        leave_out: feed.leave_out_conflicts,
    };
    let mut plan = plan_found(planned, scope, found, estimate, started)?;
    if !plan.deactivations.is_empty() {
        let now = count_users(client, true)?;
        let in_scope = confirmed.max(recorded.min(now));
        plan.in_scope = in_scope;
        if let Some(reading) = plan.reading.0.as_mut().and_then(Arc::get_mut) {
            reading.denominator = Denominator::Known(in_scope);
        }
    }
    let tracking = track(&plan, &people, &rows.pick(&changed), memberships, None);
    plan.warnings.splice(0..0, feed.warnings.iter().cloned());
    plan.tracked = Aside(Some(Arc::new(Tracking {
        gone,
        feed_warnings: feed.warnings.len(),
        ..tracking
    })));
    Ok(plan)
}

/// The rows whose people changed since the state's runs (by position):
/// every row of a userName when one of them changed, since a rehire's old
/// record links the account it names to the current row.
fn changed_rows(users: &[DesiredUser], rows: &Rows, state: &SyncState) -> Vec<usize> {
    let changed: HashSet<String> = (0..users.len())
        .filter(|i| !state.unchanged(&rows.keys[*i], &rows.fingerprints[*i]))
        .map(|i| user_name_key(users[i].user_name()))
        .collect();
    (0..users.len())
        .filter(|i| changed.contains(&user_name_key(users[*i].user_name())))
        .collect()
}

/// The rows not planned now, and the feed's own others: a changed row
/// finding the account one of them finds is a conflict, as in a full plan.
fn unchanged_rows<'a>(feed: &'a Feed, changed: &[usize]) -> Vec<&'a DesiredUser> {
    let picked: HashSet<usize> = changed.iter().copied().collect();
    (feed.users.iter().enumerate())
        .filter(|(i, _)| !picked.contains(i))
        .map(|(_, u)| u)
        .chain(&feed.others)
        .collect()
}

/// A full reconcile, tracked so that its apply fills the state anew.
fn full(client: &Client, feed: &Feed, scope: &Scope) -> Result<Plan, Error> {
    let (users, memberships) = (&feed.users[..], &feed.memberships);
    let mut plan = crate::plan_feed(client, feed, scope)?;
    let everyone = plan.reading.0.as_ref().map_or(0, |r| r.users().len());
    let run = FullRun {
        at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        in_scope: plan.in_scope,
        users: everyone,
    };
    let rows = Rows::of(users, memberships);
    let all: Vec<usize> = (0..users.len()).collect();
    let tracking = track(&plan, users, &rows.pick(&all), memberships, Some(run));
    plan.tracked = Aside(Some(Arc::new(Tracking {
        feed_warnings: feed.warnings.len(),
        ..tracking
    })));
    Ok(plan)
}

/// Each row's key and fingerprint.
struct Rows {
    keys: Vec<String>,
    fingerprints: Vec<String>,
    external_ids: HashSet<String>,
    user_names: HashSet<String>,
}

impl Rows {
    fn of(users: &[DesiredUser], memberships: &Memberships) -> Rows {
        let mut listed: HashMap<String, Vec<&String>> = HashMap::new();
        for (group, members) in memberships {
            for m in members {
                listed.entry(user_name_key(m)).or_default().push(group);
            }
        }
        let key = |d: &DesiredUser| person_key(d.user_name(), d.user.external_id.as_deref());
        let keys: Vec<String> = users.iter().map(key).collect();
        let mut fingerprints: Vec<String> = (users.iter())
            .map(|d| {
                let groups = listed.get(&user_name_key(d.user_name()));
                fingerprint(d, groups.map(Vec::as_slice).unwrap_or_default())
            })
            .collect();
        // Rows sharing a key (a rehire's old record beside the current row)
        // are one person: one fingerprint of them all, so they are planned
        // together or not at all.
        let mut by_key: HashMap<&str, String> = HashMap::new();
        for (k, f) in keys.iter().zip(&fingerprints) {
            by_key.entry(k).or_default().push_str(f);
        }
        for (k, f) in keys.iter().zip(fingerprints.iter_mut()) {
            let all = &by_key[k.as_str()];
            if all.len() > f.len() {
                *f = crate::state::digest(all.as_bytes());
            }
        }
        Rows {
            keys,
            fingerprints,
            external_ids: (users.iter())
                .filter_map(|d| external_id_key(d.user.external_id.as_deref()))
                .map(str::to_owned)
                .collect(),
            user_names: users.iter().map(|d| user_name_key(d.user_name())).collect(),
        }
    }

    /// Whether some row stands for this account, by its externalId or userName.
    fn claims(&self, account: &ScimV2User) -> bool {
        external_id_key(account.external_id.as_deref())
            .is_some_and(|x| self.external_ids.contains(x))
            || (account.user_name.as_deref())
                .is_some_and(|n| self.user_names.contains(&user_name_key(n)))
    }

    /// The keys and fingerprints of these rows, in order.
    fn pick(&self, rows: &[usize]) -> Vec<(String, String)> {
        (rows.iter())
            .map(|i| (self.keys[*i].clone(), self.fingerprints[*i].clone()))
            .collect()
    }
}

/// The recorded people whose rows left the feed, but those the scope
/// excludes (a row skipped for a bad value, say: its person stays as is).
fn gone(state: &SyncState, rows: &Rows, scope: &Scope) -> Vec<Gone> {
    let keys: HashSet<&String> = rows.keys.iter().collect();
    (state.people.iter())
        .filter(|(key, _)| !keys.contains(key))
        .filter_map(|(key, entry)| {
            let (user_name, external_id) = identity(key, entry);
            let mut probe = ScimV2User::new().with_user_name(user_name);
            probe.external_id = external_id.map(str::to_owned);
            (!scope.excludes(&probe)).then(|| Gone {
                user_name: user_name.to_owned(),
                external_id: external_id.map(str::to_owned),
                id: entry.id.clone(),
            })
        })
        .collect()
}

/// Whether reading the changed people one by one costs more requests than
/// listing the org: then the run lists, as a full reconcile.
fn costs_more_than_a_listing(
    state: &SyncState,
    users: &[DesiredUser],
    scope: &Scope,
    changed: &[usize],
    rows: &Rows,
    gone: usize,
) -> bool {
    let lookups: usize = (changed.iter())
        .map(|i| {
            if state.people.contains_key(&rows.keys[*i]) {
                1
            } else {
                4
            }
        })
        .sum::<usize>()
        + gone;
    let page = if costly_attributes(users, scope).is_empty() {
        CHEAP_PAGE_SIZE
    } else {
        RECOMMENDED_PAGE_SIZE
    };
    let listed = state.full.map_or(0, |f| f.users);
    let pages = listed.div_ceil(usize::try_from(page).unwrap_or(25)) + 2;
    lookups > pages
}

/// What the apply of `plan` records: the rows planned (with the account
/// each matched), the warnings' people left out.
fn track(
    plan: &Plan,
    users: &[DesiredUser],
    rows: &[(String, String)],
    memberships: &Memberships,
    full: Option<FullRun>,
) -> Tracking {
    let reading = plan.reading.0.as_ref();
    let accounts: Vec<ScimV2User> = reading.map(|r| r.users().to_vec()).unwrap_or_default();
    let org = Org::new(&accounts);
    // Rows left out of the plan (a conflict) have no account to record.
    let (matches, _) = claim_all(users, &org);
    let people = (users.iter().zip(rows))
        .enumerate()
        .map(|(i, (d, (key, fingerprint)))| Person {
            key: key.clone(),
            user_name: d.user_name().to_owned(),
            fingerprint: fingerprint.clone(),
            account: matches
                .get(i)
                .and_then(|m| m.as_ref()?.index())
                .map(|i| org.id(i).to_owned()),
        })
        .collect();
    let mut groups = BTreeMap::new();
    let names = (users.iter())
        .flat_map(|d| d.group_names().unwrap_or_default())
        .chain(memberships.keys());
    for name in names {
        let found = reading.and_then(|r| {
            r.groups().find(|g| {
                g.display_name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
        });
        if let Some(id) = found.and_then(|g| g.id.clone()) {
            groups.insert(name.clone(), id);
        }
    }
    Tracking {
        full,
        people,
        gone: Vec::new(),
        feed_warnings: 0,
        groups,
        whole_groups: memberships.keys().cloned().collect(),
    }
}

impl SyncState {
    /// Applies a plan of [`plan_since`](crate::plan_since) (see
    /// [`apply`](crate::apply())) and records in this state what was
    /// applied: each person whose items all ended done (and whom no
    /// warning names), with the id of their account; the groups' ids; for
    /// a full reconcile, what it read. Whatever failed, was not started or
    /// was left alone is planned again by the next run. It records even
    /// when the apply stopped short (an error): save the state then too.
    /// A plan made otherwise records nothing.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client, plan: &scim_sync::Plan, state: &mut scim_sync::SyncState) -> Result<(), scim_sync::Error> {
    /// let report = state.apply_and_record(client, plan, &scim_sync::ApplyOptions::default())?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As for [`apply`](crate::apply()).
    pub fn apply_and_record(
        &mut self,
        client: &Client,
        plan: &Plan,
        options: &ApplyOptions,
    ) -> Result<Report, Error> {
        let (observing, ended) = observed(options);
        let result = crate::apply(client, plan, &observing);
        let ended = take(&ended);
        if let Some(tracking) = &plan.tracked.0 {
            let outcomes = crate::record::Outcomes::of(plan, &ended);
            self.record(tracking, plan, &outcomes);
        }
        result
    }

    fn record(&mut self, t: &Tracking, plan: &Plan, outcomes: &crate::record::Outcomes) {
        if let Some(run) = t.full {
            self.people.clear();
            self.groups.clear();
            // Work left outside the feed's people (an absent account not
            // deactivated, a member not removed) is seen again by a full
            // reconcile only: the next run is one.
            self.full = outcomes.beyond_the_feed_done(plan).then_some(run);
        }
        // The reader's warnings (a phone left as it is) are the row's, not
        // the plan's: they hold the person back from nothing.
        // A row left for a decision is not done either: every run asks again.
        let warned: HashSet<String> = (plan.warnings.iter().skip(t.feed_warnings))
            .filter_map(|w| w.user_name())
            .chain(plan.decisions.iter().map(|d| d.user_name.as_str()))
            .map(user_name_key)
            .collect();
        for p in &t.people {
            let id = outcomes.person(&p.user_name, p.account.as_deref());
            match id {
                Some(id) if !warned.contains(&user_name_key(&p.user_name)) => {
                    // Of rows sharing a key, the one with an account speaks for it.
                    let kept = self
                        .people
                        .get(&p.key)
                        .filter(|e| e.fingerprint == p.fingerprint);
                    let id = id.or_else(|| kept.and_then(|e| e.id.clone()));
                    let entry = crate::state::Entry {
                        id,
                        user_name: p.user_name.clone(),
                        fingerprint: p.fingerprint.clone(),
                    };
                    self.people.insert(p.key.clone(), entry);
                }
                _ => {}
            }
        }
        for (key, ids) in &t.gone {
            if ids.iter().all(|id| outcomes.deactivated_or_untouched(id)) {
                self.people.remove(key);
            }
        }
        self.groups.extend(t.groups.clone());
        self.set_whole_groups(&t.whole_groups);
    }
}

/// How a plan of [`plan_since`] was made.
///
/// ```
/// assert!(scim_sync::Plan::default().since().is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    full: bool,
    changed: usize,
    gone: usize,
}

impl Since {
    /// Whether the plan is a full reconcile (the org listed).
    ///
    /// ```
    /// # fn demo(plan: &scim_sync::Plan) {
    /// if plan.since().is_some_and(|s| s.is_full()) {
    ///     eprintln!("a full reconcile: the state is filled anew");
    /// }
    /// # }
    /// ```
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// The people read because their rows changed or are new (every row,
    /// for a full reconcile).
    ///
    /// ```
    /// # fn demo(plan: &scim_sync::Plan) {
    /// if let Some(since) = plan.since() {
    ///     eprintln!("{} people changed, {} gone", since.changed(), since.gone());
    /// }
    /// # }
    /// ```
    pub fn changed(&self) -> usize {
        self.changed
    }

    /// The people recorded whose rows left the feed.
    ///
    /// ```
    /// # fn demo(plan: &scim_sync::Plan) {
    /// let gone = plan.since().map_or(0, |s| s.gone());
    /// # let _ = gone;
    /// # }
    /// ```
    pub fn gone(&self) -> usize {
        self.gone
    }
}

impl Plan {
    /// For a plan of [`plan_since`]: whether it is a full reconcile, and
    /// how many people it read; `None` for a plan made otherwise.
    ///
    /// ```
    /// assert_eq!(scim_sync::Plan::default().since(), None);
    /// ```
    pub fn since(&self) -> Option<Since> {
        self.tracked.0.as_ref().map(|t| Since {
            full: t.full.is_some(),
            changed: t.people.len(),
            gone: t.gone.len(),
        })
    }
}
