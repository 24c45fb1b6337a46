//! `ApplyOptions::exact`: a reviewed plan is applied as it is; an item
//! whose target changed since is not diffed again but reported drifted.

use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start};
use scim_sync::{ApplyOptions, DesiredUser, ItemRef, Memberships, Scope};
use serde_json::json;

#[test]
fn exact_apply_leaves_a_changed_target_alone_and_reports_it_drifted() {
    let (server, client) = start();
    let mut ids = Vec::new();
    for name in ["ann@x.test", "bob@x.test"] {
        ids.push(seed(
            &server,
            json!({"userName": name, "displayName": name, "externalId": format!("E-{name}"), "title": "Agent"}),
        ));
    }
    let feed: Vec<DesiredUser> = ["ann@x.test", "bob@x.test"]
        .iter()
        .map(|n| {
            DesiredUser::new(
                ScimV2User::new()
                    .with_user_name(*n)
                    .with_display_name(*n)
                    .with_external_id(format!("E-{n}"))
                    .with_title("Lead"),
            )
        })
        .collect();
    let plan = scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::All).expect("plan");
    scim_sync::update_user(&client, &ids[0], |u| u.title = Some("Director".into()))
        .expect("other writer");

    let options = ApplyOptions::default().rate_limit(None).exact(true);
    let report = scim_sync::apply(&client, &plan, &options).expect("apply");
    assert_eq!(
        report.drifted,
        vec![ItemRef::User("ann@x.test".into())],
        "{report:?}"
    );
    assert_eq!(
        (report.summary.updated, report.failed),
        (1, 0),
        "{report:?}"
    );
    let ann = client.get_scim_v2_user(&ids[0]).send().expect("read");
    assert_eq!(ann.title.as_deref(), Some("Director"));
    let bob = client.get_scim_v2_user(&ids[1]).send().expect("read");
    assert_eq!(bob.title.as_deref(), Some("Lead"));
}
