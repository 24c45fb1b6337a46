//! Reading whole lists from the org, page by page, with progress.

use crate::error::Error;
use crate::progress::Progress;
use scim_sdk::Client;
use scim_sdk::models::{ScimV2Group, ScimV2User};

/// Items per request: the SDK's page size (larger pages can fail with 429).
pub const PAGE_SIZE: i32 = scim_sdk::RECOMMENDED_PAGE_SIZE;

/// Which users a listing covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum States {
    /// What the API shows by default: active users only, unless the
    /// filter names `active`.
    Default,
    /// Active and inactive users. Genesys hides inactive users unless the
    /// filter names `active`, and filters have no `or`, so this takes two
    /// queries.
    Both,
}

/// The filters to run for a listing.
pub fn user_queries(filter: Option<&str>, states: States) -> Result<Vec<Option<String>>, Error> {
    if states == States::Default {
        return Ok(vec![filter.map(str::to_owned)]);
    }
    if let Some(f) = filter.filter(|f| names_active(f)) {
        return Err(Error::Usage(format!(
            "--all lists active and inactive users, but the filter `{f}` already chooses by `active`; drop one of them"
        )));
    }
    Ok([true, false]
        .into_iter()
        .map(|active| {
            Some(match filter {
                Some(f) => format!("({f}) and active eq {active}"),
                None => format!("active eq {active}"),
            })
        })
        .collect())
}

/// Whether a filter mentions the `active` attribute outside string literals.
fn names_active(filter: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut word = String::new();
    for c in filter.chars().chain([' ']) {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_alphanumeric() || matches!(c, ':' | '.' | '_' | '$' | '-') {
            word.push(c);
            continue;
        }
        let name = word.rsplit(':').next().unwrap_or_default();
        if name.eq_ignore_ascii_case("active") {
            return true;
        }
        word.clear();
        in_string = c == '"';
    }
    false
}

/// Calls `each` for every user the queries find, page after page.
pub fn for_each_user(
    client: &Client,
    queries: &[Option<String>],
    attributes: &[String],
    progress: &Progress,
    mut each: impl FnMut(ScimV2User) -> Result<(), Error>,
) -> Result<(), Error> {
    for query in queries {
        let mut request = client.get_scim_v2_users().count(PAGE_SIZE);
        if let Some(f) = query {
            request = request.filter(f);
        }
        if !attributes.is_empty() {
            request = request.attributes(attributes);
        }
        for (i, page) in request.into_pages().enumerate() {
            let page = page?;
            if i == 0 {
                progress.grow(page.total_results.map_or(0, |n| n.max(0) as u64));
            }
            progress.advance(page.items.len() as u64);
            for user in page.items {
                each(user)?;
            }
        }
    }
    Ok(())
}

/// Every group of the org.
pub fn all_groups(client: &Client) -> Result<Vec<ScimV2Group>, Error> {
    Ok(client
        .get_scim_groups()
        .count(PAGE_SIZE)
        .into_items()
        .collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_states_take_two_queries_around_the_filter() {
        let q = user_queries(Some(r#"division eq "EMEA""#), States::Both).unwrap();
        assert_eq!(
            q,
            [
                Some(r#"(division eq "EMEA") and active eq true"#.to_owned()),
                Some(r#"(division eq "EMEA") and active eq false"#.to_owned()),
            ]
        );
        assert_eq!(
            user_queries(None, States::Both).unwrap(),
            [
                Some("active eq true".into()),
                Some("active eq false".into())
            ]
        );
    }

    #[test]
    fn all_with_a_filter_on_active_is_a_usage_error() {
        for f in [
            "active eq false",
            "(userName eq \"a\") and ACTIVE eq true",
            "urn:ietf:params:scim:schemas:core:2.0:User:active eq true",
        ] {
            let err = user_queries(Some(f), States::Both).unwrap_err();
            assert!(matches!(err, Error::Usage(_)), "{f}");
        }
        // `active` inside a value is not the attribute.
        let q = user_queries(Some(r#"userName eq "active \" active""#), States::Both);
        assert!(q.is_ok());
        assert!(user_queries(Some(r#"title eq "inactive""#), States::Both).is_ok());
    }
}
