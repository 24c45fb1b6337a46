//! The feed as a whole: its rows, the groups it lists by members, and what
//! its reader warned about while reading it.

use crate::desired::{DesiredUser, Memberships};
use crate::plan::Warning;

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
}

impl Feed {
    /// A feed of these rows, listing no group by members, without warnings.
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
    #[must_use]
    pub fn with_warnings(mut self, warnings: impl IntoIterator<Item = Warning>) -> Feed {
        self.warnings.extend(warnings);
        self
    }
}
