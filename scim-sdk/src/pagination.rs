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
    /// One resource of a page.
    type Item;

    /// The 1-based start index the builder asks for, if set.
    fn start_index(&self) -> Option<i64>;

    /// The same request, starting at `start_index`.
    fn with_start_index(self, start_index: i64) -> Self;

    /// Splits a decoded answer into a [`Page`].
    fn into_page(page: Self::Output) -> Page<Self::Item>;
}

/// An iterator over the pages of a list; see the `into_pages` method of list
/// builders such as
/// [`GetScimV2Users::into_pages`](crate::operations::GetScimV2Users::into_pages).
///
/// It stops after the page that reaches `totalResults`, after an empty page,
/// or after yielding an error.
///
/// ```no_run
/// # fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {
/// for page in client.get_scim_v2_users().count(25).into_pages() {
///     let page = page?;
///     println!("{} of {:?}", page.items.len(), page.total_results);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "iterators do nothing until consumed"]
pub struct Pages<O> {
    next: Option<O>,
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
        Self { next: Some(first) }
    }
}

impl<O: Paginated> Iterator for Pages<O> {
    type Item = Result<Page<O::Item>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let request = self.next.take()?;
        let start = request.start_index().unwrap_or(1).max(1);
        let following = request.clone();
        let id = request_id(&request);
        let page = match send_with_response(request).map(Response::into_body) {
            Ok(output) => O::into_page(output),
            Err(e) => return Some(Err(e)),
        };
        // A server that ignores startIndex would make us loop forever on the
        // first page; refuse instead of silently repeating items.
        if let Some(echoed) = page
            .start_index
            .filter(|s| *s != start && !page.items.is_empty())
        {
            return Some(Err(Error::invalid_input(
                id,
                format!(
                    "asked for the page at startIndex {start} but the server answered startIndex {echoed}"
                ),
            )));
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
