//! Finding users whatever their state, and groups by name.
//!
//! Genesys Cloud hides inactive users from a user list unless the filter
//! names `active`, and its filters have no `or`. So a listing of every user
//! is two listings (`active eq true`, then `active eq false`), and a lookup
//! that must also find a deactivated user asks twice. Finding the inactive
//! user matters: creating it again fails with `409`, and a sync that misses
//! it would never reactivate it.

use crate::models::{ScimV2Group, ScimV2User};
use crate::operations::{GetScimGroups, GetScimV2Users};
use crate::{Client, DEFAULT_MAX_PAGES, Error, Filter, Pages};
use std::collections::{BTreeMap, HashSet};

/// The page size Genesys Cloud recommends for user and group lists: larger
/// pages can fail with `429` on orgs with many groups or skills. Every
/// listing here uses it, and so does the sync engine (`scim-sync`).
///
/// ```
/// # fn demo(client: &scim_sdk::Client) {
/// let pages = client.get_scim_v2_users().count(scim_sdk::RECOMMENDED_PAGE_SIZE).into_pages();
/// # let _ = pages;
/// # }
/// ```
pub const RECOMMENDED_PAGE_SIZE: i32 = 25;

/// The user attributes Genesys Cloud looks up user by user: `roles`,
/// `groups`, and the Genesys extension's `routingSkills`,
/// `routingLanguages` and `externalIds`. A page of more than 25 users that
/// carries them can fail with `429`; leave them out to list in larger
/// pages.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// // An audit of names and states: 100 users a request instead of 25.
/// let users = client
///     .all_users()
///     .excluded_attributes(scim_sdk::EXPENSIVE_USER_ATTRIBUTES)
///     .page_size(100)
///     .collect::<Result<Vec<_>, _>>()?;
/// # let _ = users;
/// # Ok(()) }
/// ```
pub const EXPENSIVE_USER_ATTRIBUTES: [&str; 5] = [
    "roles",
    "groups",
    "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:routingSkills",
    "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:routingLanguages",
    "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:externalIds",
];

/// The most users one listing reads: a million, 40,000 pages of 25,
/// whatever `totalResults` claims. A server that claims more, or keeps
/// sending pages past it, ends the listing with [`Error::TooManyResults`].
///
/// ```
/// assert_eq!(scim_sdk::MAX_LISTED_USERS, 1_000_000);
/// ```
pub const MAX_LISTED_USERS: u64 = 1_000_000;

/// Every user of the org, active ones first, then inactive ones; see
/// [`Client::all_users`]. A user that changes state between the two
/// listings is yielded once at most.
///
/// Before the first user is read, [`attributes`](Self::attributes),
/// [`excluded_attributes`](Self::excluded_attributes) and
/// [`page_size`](Self::page_size) shape the requests, as on the
/// operations' builders.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// let inactive = client.all_users().filter(|u| u.as_ref().is_ok_and(|u| !u.is_active())).count();
/// println!("{inactive} deactivated users");
/// # Ok(()) }
/// ```
#[must_use = "iterators do nothing until consumed"]
pub struct AllUsers {
    client: Client,
    attributes: Option<Vec<String>>,
    excluded_attributes: Option<Vec<String>>,
    page_size: i32,
    /// `None` until the first user is asked for.
    listings: Option<[Option<Listing>; 2]>,
    seen: HashSet<String>,
}

impl AllUsers {
    /// Asks only for these attributes (`id`, `userName`, `active` and
    /// `meta` come back regardless), as
    /// [`GetScimV2Users::attributes`](crate::operations::GetScimV2Users::attributes)
    /// does. Fewer attributes cost Genesys less, and let a listing use
    /// larger pages (see [`EXPENSIVE_USER_ATTRIBUTES`]).
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// for user in client.all_users().attributes(["userName", "externalId"]).page_size(100) {
    ///     let user = user?;
    ///     println!("{:?} {:?}", user.user_name, user.external_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn attributes(mut self, attributes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.attributes = Some(attributes.into_iter().map(Into::into).collect());
        self
    }

    /// Leaves these attributes out of each user, as
    /// [`GetScimV2Users::excluded_attributes`](crate::operations::GetScimV2Users::excluded_attributes)
    /// does; [`EXPENSIVE_USER_ATTRIBUTES`] are the ones worth leaving out.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let users = client
    ///     .all_users()
    ///     .excluded_attributes(scim_sdk::EXPENSIVE_USER_ATTRIBUTES)
    ///     .page_size(100)
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// # let _ = users;
    /// # Ok(()) }
    /// ```
    pub fn excluded_attributes(
        mut self,
        excluded_attributes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.excluded_attributes = Some(excluded_attributes.into_iter().map(Into::into).collect());
        self
    }

    /// Users per request (default [`RECOMMENDED_PAGE_SIZE`], 25; Genesys
    /// serves at most 100). Pages over 25 that carry the
    /// [`EXPENSIVE_USER_ATTRIBUTES`] can fail with `429`: leave those out
    /// with [`excluded_attributes`](Self::excluded_attributes) or
    /// [`attributes`](Self::attributes) first. A size below 1 makes the
    /// first item an [`Error::InvalidInput`], before anything is sent.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // 2,000 users: 20 requests per listing instead of 80.
    /// let names = client.all_users().attributes(["userName"]).page_size(100);
    /// for user in names {
    ///     println!("{:?}", user?.user_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn page_size(mut self, size: i32) -> Self {
        self.page_size = size;
        self
    }

    /// The two listings, as the settings say.
    fn start(&self) -> Result<[Option<Listing>; 2], Error> {
        if self.page_size < 1 {
            return Err(Error::invalid_input(
                "allUsers",
                format!("the page size must be at least 1, not {}", self.page_size),
            ));
        }
        let listing = |active: bool| -> Result<Option<Listing>, Error> {
            let mut request = self
                .client
                .get_scim_v2_users()
                .filter(Filter::eq("active", active)?)
                .count(self.page_size);
            if let Some(a) = &self.attributes {
                request = request.attributes(a.iter().cloned());
            }
            if let Some(x) = &self.excluded_attributes {
                request = request.excluded_attributes(x.iter().cloned());
            }
            Ok(Some(Listing::new(request)))
        };
        Ok([listing(true)?, listing(false)?])
    }
}

/// One of the two listings, paged. Its page cap follows the `totalResults`
/// of its first page instead of the fixed [`DEFAULT_MAX_PAGES`] (an org of
/// a million users is 40,000 pages of 25), and it reads at most
/// [`MAX_LISTED_USERS`].
struct Listing {
    pages: Option<Pages<GetScimV2Users>>,
    current: std::vec::IntoIter<ScimV2User>,
    capped: bool,
    /// Users read so far.
    read: u64,
}

impl Listing {
    fn new(first: GetScimV2Users) -> Self {
        Listing {
            pages: Some(first.into_pages()),
            current: Vec::new().into_iter(),
            capped: false,
            read: 0,
        }
    }

    /// The next user; `None` at the end or after an error.
    fn next(&mut self) -> Option<Result<ScimV2User, Error>> {
        loop {
            if let Some(user) = self.current.next() {
                return Some(Ok(user));
            }
            let page = match self.pages.as_mut()?.next() {
                Some(Ok(page)) => page,
                Some(Err(e)) => {
                    self.pages = None;
                    return Some(Err(e));
                }
                None => {
                    self.pages = None;
                    return None;
                }
            };
            self.read = self.read.saturating_add(page.items.len() as u64);
            if let Err(e) = within_bound(self.read, page.total_results) {
                self.pages = None;
                return Some(Err(e));
            }
            if !self.capped {
                self.capped = true;
                let cap = page_cap(page.total_results, page.items.len());
                self.pages = self.pages.take().map(|p| p.max_pages(cap));
            }
            self.current = page.items.into_iter();
        }
    }
}

/// Refuses a listing that claims, or has read, more than [`MAX_LISTED_USERS`].
fn within_bound(read: u64, total: Option<i64>) -> Result<(), Error> {
    let claimed = total.filter(|t| u64::try_from(*t).is_ok_and(|t| t > MAX_LISTED_USERS));
    if claimed.is_some() || read > MAX_LISTED_USERS {
        return Err(Error::TooManyResults {
            operation: "getScimV2Users",
            limit: MAX_LISTED_USERS,
            claimed: total,
        });
    }
    Ok(())
}

/// How many pages a listing may fetch, given its first page: enough for
/// `totalResults` (at most [`MAX_LISTED_USERS`]) at that page's length,
/// with room for users added while it pages, and never fewer than
/// [`DEFAULT_MAX_PAGES`].
fn page_cap(total: Option<i64>, page_len: usize) -> usize {
    let (Some(total), true) = (total, page_len > 0) else {
        return DEFAULT_MAX_PAGES;
    };
    let total = u64::try_from(total.max(0))
        .unwrap_or(0)
        .min(MAX_LISTED_USERS);
    let needed = usize::try_from(total)
        .unwrap_or(usize::MAX)
        .div_ceil(page_len);
    needed
        .saturating_add(needed / 100)
        .saturating_add(2)
        .max(DEFAULT_MAX_PAGES)
}

impl std::fmt::Debug for AllUsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AllUsers")
            .field("attributes", &self.attributes)
            .field("excluded_attributes", &self.excluded_attributes)
            .field("page_size", &self.page_size)
            .field("seen", &self.seen.len())
            .finish_non_exhaustive()
    }
}

impl Iterator for AllUsers {
    type Item = Result<ScimV2User, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.listings.is_none() {
            match self.start() {
                Ok(listings) => self.listings = Some(listings),
                Err(e) => {
                    self.listings = Some([None, None]);
                    return Some(Err(e));
                }
            }
        }
        for slot in self.listings.iter_mut().flatten() {
            let Some(listing) = slot else { continue };
            while let Some(item) = listing.next() {
                match item {
                    Ok(user) => {
                        let id = user.id.clone().unwrap_or_default();
                        if id.is_empty() || self.seen.insert(id) {
                            return Some(Ok(user));
                        }
                    }
                    Err(e) => {
                        *slot = None;
                        return Some(Err(e));
                    }
                }
            }
            *slot = None;
        }
        None
    }
}

fn users_where(client: &Client, filter: Filter) -> GetScimV2Users {
    client
        .get_scim_v2_users()
        .filter(filter)
        .count(RECOMMENDED_PAGE_SIZE)
}

impl Client {
    /// Every user of the org, active and inactive, paged by
    /// [`RECOMMENDED_PAGE_SIZE`] and guarded like the other paginators,
    /// except that the page cap follows the `totalResults` the server
    /// gives, up to [`MAX_LISTED_USERS`] a listing.
    /// It is two listings, because Genesys lists only active users unless
    /// the filter names `active`. The returned iterator takes a projection
    /// and a page size before its first user is read:
    /// [`AllUsers::attributes`], [`AllUsers::excluded_attributes`],
    /// [`AllUsers::page_size`].
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// for user in client.all_users() {
    ///     let user = user?;
    ///     println!("{:?} active={}", user.user_name, user.is_active());
    /// }
    /// // A cheaper read of what an audit needs: 100 users a request.
    /// let audit = client.all_users().attributes(["userName", "externalId", "active"]).page_size(100);
    /// for user in audit {
    ///     println!("{:?}", user?.user_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn all_users(&self) -> AllUsers {
        AllUsers {
            client: self.clone(),
            attributes: None,
            excluded_attributes: None,
            page_size: RECOMMENDED_PAGE_SIZE,
            listings: None,
            seen: HashSet::new(),
        }
    }

    /// The user with this `userName` (compared ignoring case, as Genesys
    /// does), active or not. Asks for active users first, then for inactive
    /// ones: at most two requests.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// match client.find_user_by_user_name("jane@example.com")? {
    ///     Some(user) if !user.is_active() => println!("deactivated: reactivate instead of creating"),
    ///     Some(user) => println!("exists: {:?}", user.id),
    ///     None => println!("free to create"),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As for [`get_scim_v2_users`](Client::get_scim_v2_users).
    pub fn find_user_by_user_name(&self, user_name: &str) -> Result<Option<ScimV2User>, Error> {
        self.find_user_where("userName", user_name)
    }

    /// The user with this `externalId`, active or not; see
    /// [`find_user_by_user_name`](Client::find_user_by_user_name).
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// if let Some(user) = client.find_user_by_external_id("E-1007")? {
    ///     println!("HR record E-1007 is {:?}", user.user_name);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As for [`get_scim_v2_users`](Client::get_scim_v2_users).
    pub fn find_user_by_external_id(&self, external_id: &str) -> Result<Option<ScimV2User>, Error> {
        self.find_user_where("externalId", external_id)
    }

    fn find_user_where(&self, attribute: &str, value: &str) -> Result<Option<ScimV2User>, Error> {
        if value.is_empty() {
            return Err(Error::invalid_input(
                "findUser",
                format!("cannot look a user up by an empty {attribute}"),
            ));
        }
        for active in [true, false] {
            let filter = Filter::eq(attribute, value)?.and(Filter::eq("active", active)?);
            let page = users_where(self, filter).count(1).send()?;
            if let Some(user) = page.resources.unwrap_or_default().into_iter().next() {
                return Ok(Some(user));
            }
        }
        Ok(None)
    }

    /// The group with this display name, through the v2 group list (whose
    /// filter is required): one request. Members are included.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// if let Some(sales) = client.find_group_by_name("Sales")? {
    ///     println!("Sales has {} members", sales.member_ids().count());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As for [`get_scim_v2_groups`](Client::get_scim_v2_groups).
    pub fn find_group_by_name(&self, display_name: &str) -> Result<Option<ScimV2Group>, Error> {
        let filter = Filter::eq("displayName", display_name)?;
        let page = self.get_scim_v2_groups(filter).count(1).send()?;
        Ok(page.resources.unwrap_or_default().into_iter().next())
    }

    /// Several groups by display name in as few requests as the API allows:
    /// filters have no `or`, so this pages once through the v1 group list
    /// (whose filter is optional) asking only for names, ids and versions,
    /// instead of one filtered request per name. Keys are the names asked
    /// for; a name no group has is missing from the map. Names match
    /// exactly, or else ignoring case. Members are not included: read a
    /// group by id for them.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let groups = client.find_groups_by_name(["Sales", "Support", "Nope"])?;
    /// assert!(!groups.contains_key("Nope"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As for [`get_scim_groups`](Client::get_scim_groups).
    pub fn find_groups_by_name<I, S>(
        &self,
        names: I,
    ) -> Result<BTreeMap<String, ScimV2Group>, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let wanted: Vec<String> = names.into_iter().map(Into::into).collect();
        let mut found = BTreeMap::new();
        if wanted.is_empty() {
            return Ok(found);
        }
        let listing: GetScimGroups = self
            .get_scim_groups()
            .attributes(["displayName", "meta.version"])
            .count(RECOMMENDED_PAGE_SIZE);
        let groups = listing.into_items().collect::<Result<Vec<_>, _>>()?;
        for name in wanted {
            let exact = groups
                .iter()
                .find(|g| g.display_name.as_deref() == Some(name.as_str()));
            let loose = || {
                groups.iter().find(|g| {
                    g.display_name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&name))
                })
            };
            if let Some(group) = exact.or_else(loose) {
                found.insert(name, group.clone());
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_reads_at_most_a_million_users_whatever_it_claims() {
        assert!(within_bound(25, Some(1_000_000)).is_ok());
        assert!(within_bound(1_000_000, None).is_ok());
        assert!(within_bound(25, Some(1_000_001)).is_err());
        assert!(within_bound(25, Some(i64::MAX)).is_err());
        assert!(
            within_bound(1_000_001, Some(10)).is_err(),
            "served past its claim"
        );
        assert!(within_bound(1_000_001, None).is_err());
        assert!(within_bound(0, Some(-5)).is_ok());
    }

    #[test]
    fn the_page_cap_follows_total_results() {
        assert_eq!(page_cap(None, 25), DEFAULT_MAX_PAGES);
        assert_eq!(page_cap(Some(100), 25), DEFAULT_MAX_PAGES);
        assert_eq!(page_cap(Some(10), 0), DEFAULT_MAX_PAGES);
        // A million users at 25 a page: 40,000 pages, and some room.
        assert_eq!(page_cap(Some(1_000_000), 25), 40_000 + 400 + 2);
        // A server that pages by 10 whatever was asked.
        assert_eq!(page_cap(Some(1_000_000), 10), 100_000 + 1_000 + 2);
        // Never past a million users, whatever the claim.
        assert_eq!(page_cap(Some(i64::MAX), 1), 1_000_000 + 10_000 + 2);
        assert_eq!(page_cap(Some(i64::MAX), 25), 40_000 + 400 + 2);
        assert_eq!(page_cap(Some(-5), 25), DEFAULT_MAX_PAGES);
    }
}
