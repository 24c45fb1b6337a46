//! What the planner keeps while it plans: the scope, the org as read,
//! who the feed accounts for, and the plan so far.

use crate::desired::DesiredUser;
use crate::feed::Link;
use crate::matching::Org;
use crate::plan::{ItemRef, Plan, Warning};
use crate::scope::Scope;
use std::collections::{HashMap, HashSet};

/// Who a membership is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// An in-scope user of the org, by index.
    Existing(usize),
    /// A user of the org outside the scope: never added or removed.
    Outside(usize),
    /// A user the plan creates, by userName.
    New(String),
}

/// Planning state shared by the steps below.
pub(super) struct Planner<'a> {
    pub(super) scope: &'a Scope,
    pub(super) org: Org<'a>,
    pub(super) feed_names: HashSet<String>,
    /// Org users (by index) that the feed accounts for.
    pub(super) matched: HashSet<usize>,
    /// Lower-cased userNames the plan creates.
    pub(super) creating: HashSet<String>,
    /// The old externalIds the feed links to each current row, by the
    /// row's userName key: a rehire's account holding one is relinked.
    pub(super) links: HashMap<String, Vec<Link>>,
    /// Org users (by index) holding a row's userName under another
    /// externalId, not taken over: no membership of theirs changes.
    pub(super) not_taken: HashSet<usize>,
    /// Org users (by index) the plan renames, by the lower-cased new
    /// userName: a group's member of that name is that account.
    pub(super) renaming: HashMap<String, usize>,
    /// Users whose groups the feed gives, with those group names.
    pub(super) listed: Vec<(Target, Vec<String>)>,
    /// For a plan of some people: the only accounts judged absent.
    pub(super) absent: Option<&'a HashSet<String>>,
    /// For a plan of some people: managers known without a read.
    pub(super) managers: Option<&'a HashMap<String, String>>,
    pub(super) plan: Plan,
}

impl Planner<'_> {
    pub(super) fn warn(&mut self, user_name: Option<&str>, message: String) {
        let mut warning = Warning::new(message);
        warning.about = user_name.map(|n| ItemRef::User(n.to_owned()));
        self.plan.warnings.push(warning);
    }

    /// A warning about a row of the feed: its userName, at its place.
    pub(super) fn warn_row(&mut self, d: &DesiredUser, message: String) {
        let mut warning = Warning::new(message).for_user(d.user_name());
        warning.line = d.source.clone();
        self.plan.warnings.push(warning);
    }

    /// Warns about each exclusion that matches no account: a typo in an
    /// exclusion list would otherwise leave unprotected the account meant.
    pub(super) fn unmatched_exclusions(&mut self) {
        for x in self.scope.exclusions() {
            if !self.org.holds(x) {
                self.plan.warnings.push(Warning::new(format!(
                    "the exclusion `{x}` matches no account in the org (a typo?): it keeps nobody out"
                )));
            }
        }
    }
}
