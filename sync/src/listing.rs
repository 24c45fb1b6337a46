//! The listing a plan reads the org with: only the attributes the feed
//! and the rules need. Genesys looks some attributes up user by user
//! (roles, groups, skills, languages, its external ids), so a page of more
//! than 25 users carrying them risks a `429`; without them a page holds
//! 100 users, and a listing costs a quarter of the requests.

use crate::{DesiredUser, Error, Field, Scope};
use scim_sdk::models::ScimV2User;
use scim_sdk::{Client, EXPENSIVE_USER_ATTRIBUTES, Filter, RECOMMENDED_PAGE_SIZE};

/// Users a page holds when it carries none of the costly attributes.
pub(crate) const CHEAP_PAGE_SIZE: i32 = 100;

/// Every user of the org, active or not, with what planning `users` under
/// `scope` needs.
pub(crate) fn list_users(
    client: &Client,
    users: &[DesiredUser],
    scope: &Scope,
) -> Result<Vec<ScimV2User>, Error> {
    let needed = costly_attributes(users, scope);
    let listing = client.all_users();
    let listing = if needed.len() == EXPENSIVE_USER_ATTRIBUTES.len() {
        listing
    } else {
        let left_out = EXPENSIVE_USER_ATTRIBUTES
            .iter()
            .copied()
            .filter(|a| !needed.contains(a));
        let size = if needed.is_empty() {
            CHEAP_PAGE_SIZE
        } else {
            RECOMMENDED_PAGE_SIZE
        };
        listing.excluded_attributes(left_out).page_size(size)
    };
    Ok(listing.collect::<Result<Vec<_>, _>>()?)
}

/// The users the org counts in this state, active or not: one request (a
/// page of one, its id alone).
pub(crate) fn count_users(client: &Client, active: bool) -> Result<usize, Error> {
    let page = client
        .get_scim_v2_users()
        .filter(Filter::eq("active", active)?)
        .attributes(["id"])
        .count(1)
        .send()?;
    Ok(usize::try_from(page.total_results.unwrap_or(0).max(0)).unwrap_or(usize::MAX))
}

/// The costly attributes a plan of `users` reads: those the feed sets or
/// removes, `groups` when it gives people's groups (they leave the others),
/// and all of them for a custom scope, whose rule may look at anything.
pub(crate) fn costly_attributes(users: &[DesiredUser], scope: &Scope) -> Vec<&'static str> {
    let [roles, groups, skills, languages, external_ids] = EXPENSIVE_USER_ATTRIBUTES;
    if custom_rule(scope) {
        return EXPENSIVE_USER_ATTRIBUTES.to_vec();
    }
    let any = |f: &dyn Fn(&DesiredUser) -> bool| users.iter().any(f);
    let manages = |d: &DesiredUser, field: Field| d.clear.contains(&field);
    fn genesys(d: &DesiredUser) -> Option<&scim_sdk::models::ScimUserExtensions> {
        d.user.genesys_user.as_ref()
    }
    let mut needed = Vec::new();
    if any(&|d| d.user.roles.is_some() || manages(d, Field::Roles)) {
        needed.push(roles);
    }
    if any(&|d| d.group_names().is_some()) {
        needed.push(groups);
    }
    if any(&|d| {
        genesys(d).is_some_and(|g| g.routing_skills.is_some()) || manages(d, Field::RoutingSkills)
    }) {
        needed.push(skills);
    }
    if any(&|d| {
        genesys(d).is_some_and(|g| g.routing_languages.is_some())
            || manages(d, Field::RoutingLanguages)
    }) {
        needed.push(languages);
    }
    if any(&|d| {
        genesys(d).is_some_and(|g| g.external_ids.is_some())
            || manages(d, Field::GenesysExternalIds)
    }) {
        needed.push(external_ids);
    }
    needed
}

/// Whether a limited scope narrows a custom rule.
fn custom_rule(scope: &Scope) -> bool {
    match scope {
        Scope::Custom(_) => true,
        Scope::Limited(l) => custom_rule(&l.rule),
        _ => false,
    }
}
