//! Paging through SCIM lists (RFC 7644 §3.4.2.4): iterators over pages and
//! over items, generic over every list operation.

use crate::operation::{Operation, send_with_response};
use crate::{Error, Response};

/// One page of a SCIM list.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// if let Some(page) = client.get_scim_v2_users().count(50).into_pages().next() {
///     let page = page?;
///     println!("first {} of {:?} users", page.items.len(), page.total_results);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The resources on this page.
    pub items: Vec<T>,
    /// `totalResults`: how many resources match overall.
    pub total_results: Option<i64>,
    /// The `startIndex` the server says this page starts at.
    pub start_index: Option<i64>,
}

impl<T> Page<T> {
    /// Assembles a page. Used by generated code.
    ///
    /// ```
    /// let page = scim_sdk::Page::new(vec!["a", "b"], Some(10), Some(1));
    /// assert_eq!(page.items.len(), 2);
    /// ```
    pub fn new(items: Vec<T>, total_results: Option<i64>, start_index: Option<i64>) -> Self {
        Self {
            items,
            total_results,
            start_index,
        }
    }
}

/// Implemented by the builders of list operations (those with a
/// `startIndex` parameter whose answer has `Resources` and `totalResults`).
///
/// ```no_run
/// use scim_sdk::{Items, Paginated};
/// // One helper for every list operation, users and groups alike.
/// fn all<O: Paginated>(first: O) -> Result<Vec<O::Item>, scim_sdk::Error> {
///     Items::new(first).collect()
/// }
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// let inactive = all(client.get_scim_v2_users().filter("active eq false"))?;
/// let sales = all(client.get_scim_v2_groups("displayName eq \"Sales\""))?;
/// # let _ = (inactive, sales);
/// # Ok(()) }
/// ```
pub trait Paginated: Operation + Clone {
    /// One resource of a page. Comparable, so that a server that repeats a
    /// page instead of moving on is caught.
    type Item: Clone + PartialEq;

    /// The 1-based start index the builder asks for, if set.
    fn start_index(&self) -> Option<i64>;

    /// The same request, starting at `start_index`.
    fn with_start_index(self, start_index: i64) -> Self;

    /// Splits a decoded answer into a [`Page`].
    fn into_page(page: Self::Output) -> Page<Self::Item>;
}

/// Most pages one [`Pages`] or [`Items`] iterator fetches unless told
/// otherwise ([`Pages::max_pages`]): a million users at 100 per page, and a
/// bound on a server that never stops answering.
///
/// ```
/// assert_eq!(scim_sdk::DEFAULT_MAX_PAGES, 10_000);
/// ```
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// An iterator over the pages of a list; see the `into_pages` method of list
/// builders such as
/// [`GetScimV2Users::into_pages`](crate::operations::GetScimV2Users::into_pages).
///
/// It stops after the page that reaches `totalResults`, after an empty page,
/// or after yielding an error. A server that does not page as asked ends the
/// iteration with an error instead of an endless loop: when it answers with
/// another `startIndex` than requested, with the same resources as the
/// previous page, or with more than [`max_pages`](Self::max_pages) pages.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// for page in client.get_scim_v2_users().count(25).into_pages() {
///     let page = page?;
///     println!("{} of {:?}", page.items.len(), page.total_results);
/// }
/// # Ok(()) }
/// ```
#[must_use = "iterators do nothing until consumed"]
pub struct Pages<O: Paginated> {
    next: Option<O>,
    fetched: usize,
    max_pages: usize,
    /// First and last resource of the previous page, to recognise a repeat.
    previous: Option<(O::Item, O::Item)>,
}

impl<O: Paginated + std::fmt::Debug> std::fmt::Debug for Pages<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> Pages<O> {
    /// Starts paging with `first` as the first request.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // Resume an interrupted export at the 201st user.
    /// let pages = scim_sdk::Pages::new(client.get_scim_v2_users().start_index(201).count(25));
    /// for page in pages {
    ///     println!("{} users", page?.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn new(first: O) -> Self {
        Self {
            next: Some(first),
            fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
            previous: None,
        }
    }

    /// Sets the most pages fetched (default [`DEFAULT_MAX_PAGES`]); asking for
    /// one more yields an error and ends the iteration.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // A preview in a CLI: at most three pages, whatever the org's size.
    /// for page in client.get_scim_v2_users().count(20).into_pages().max_pages(3) {
    ///     println!("{} users", page?.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }
}

impl<O: Paginated> Iterator for Pages<O> {
    type Item = Result<Page<O::Item>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let request = self.next.take()?;
        let start = request.start_index().unwrap_or(1).max(1);
        let id = request_id(&request);
        if self.fetched >= self.max_pages {
            return Some(Err(paging_error(
                id,
                format!(
                    "stopped before the page at startIndex {start}: {} pages fetched, the iterator's limit",
                    self.fetched
                ),
            )));
        }
        self.fetched += 1;
        let following = request.clone();
        let page = match send_with_response(request).map(Response::into_body) {
            Ok(output) => O::into_page(output),
            Err(e) => return Some(Err(e)),
        };
        if let Err(e) = self.check(id, start, &page) {
            return Some(Err(e));
        }
        let next_start = start.saturating_add(i64::try_from(page.items.len()).unwrap_or(i64::MAX));
        let more =
            !page.items.is_empty() && page.total_results.is_none_or(|total| next_start <= total);
        if more {
            self.next = Some(following.with_start_index(next_start));
        }
        Some(Ok(page))
    }
}

impl<O: Paginated> Pages<O> {
    /// Refuses a page that shows the server is not paging as asked: going on
    /// would repeat resources, maybe forever.
    fn check(&mut self, id: &'static str, start: i64, page: &Page<O::Item>) -> Result<(), Error> {
        if let Some(echoed) = page
            .start_index
            .filter(|s| *s != start && !page.items.is_empty())
        {
            return Err(paging_error(
                id,
                format!(
                    "asked for the page at startIndex {start} but the server answered startIndex {echoed}"
                ),
            ));
        }
        let mark = page.items.first().cloned().zip(page.items.last().cloned());
        if mark.is_some() && mark == self.previous {
            return Err(paging_error(
                id,
                format!(
                    "the page at startIndex {start} holds the same resources as the previous page: the server ignores startIndex"
                ),
            ));
        }
        self.previous = mark;
        Ok(())
    }
}

fn paging_error(id: &'static str, message: String) -> Error {
    Error::invalid_input(id, message)
}

fn request_id<O: Paginated>(request: &O) -> &'static str {
    request
        .clone()
        .into_parts()
        .map(|(_, r)| r.operation().id)
        .unwrap_or("list")
}

/// An iterator over every item of a list, across pages; see the
/// `into_items` method of list builders such as
/// [`GetScimV2Users::into_items`](crate::operations::GetScimV2Users::into_items).
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// for user in client.get_scim_v2_users().count(25).into_items() {
///     println!("{:?}", user?.user_name);
/// }
/// # Ok(()) }
/// ```
#[must_use = "iterators do nothing until consumed"]
pub struct Items<O: Paginated> {
    pages: Pages<O>,
    current: std::vec::IntoIter<O::Item>,
}

impl<O: Paginated> Items<O> {
    /// Starts iterating with `first` as the first request.
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// let groups = scim_sdk::Items::new(client.get_scim_v2_groups("displayName eq \"Sales\""));
    /// for group in groups {
    ///     println!("{:?}", group?.display_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn new(first: O) -> Self {
        Self {
            pages: Pages::new(first),
            current: Vec::new().into_iter(),
        }
    }

    /// Sets the most pages fetched (default [`DEFAULT_MAX_PAGES`]); see
    /// [`Pages::max_pages`].
    ///
    /// ```no_run
    /// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
    /// // This filter should match a handful of users: fail loudly if it does not.
    /// let admins = client.get_scim_v2_users().filter("title eq \"Admin\"").count(100);
    /// for user in admins.into_items().max_pages(2) {
    ///     println!("{:?}", user?.user_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }
}

impl<O: Paginated + std::fmt::Debug> std::fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

impl<O: Paginated> Iterator for Items<O> {
    type Item = Result<O::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.current = page.items.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}
