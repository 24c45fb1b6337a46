//! Rehires and old records against the stateful fake: an inactive row of
//! the current row's userName is no conflict and links its old externalId,
//! so the account holding it is relinked and reactivated by one guarded
//! write; without such a row the plan asks for a decision instead of
//! going quiet; rows and their warnings are named by where they came from.

use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::start;
use scim_sync::{DesiredUser, Error, Memberships, Plan, Scope};

fn row(user_name: &str, external_id: &str, active: bool, title: &str) -> DesiredUser {
    let mut user = ScimV2User::new()
        .with_user_name(user_name)
        .with_display_name("Emma Brown")
        .with_external_id(external_id)
        .with_title(title);
    user.active = Some(active);
    DesiredUser::new(user)
}

fn plan(client: &Client, feed: &[DesiredUser]) -> Result<Plan, Error> {
    scim_sync::plan(client, feed, &Memberships::new(), &Scope::ExternalId)
}

#[test]
fn an_old_inactive_row_of_the_current_rows_user_name_is_no_conflict() {
    let (_server, client) = start();
    // Same userName, other externalId; or the same one (a position ended).
    for old in ["E-OLD", "E-NEW"] {
        let feed = [
            row("emma@x.test", "E-NEW", true, "Lead"),
            row("EMMA@x.test", old, false, "Agent"),
        ];
        let planned = plan(&client, &feed).expect("no conflict");
        assert_eq!(planned.creates.len(), 1, "{planned:?}");
        assert_eq!(
            planned.unchanged, 0,
            "the old row is no person: {planned:?}"
        );
    }
}
