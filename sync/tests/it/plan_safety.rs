//! What a plan says before anything is written, against the stateful fake:
//! a create that would leave the scope, a person with an unknown group,
//! and secrets that never reach a serialized plan.

use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::{seed, start};
use scim_sync::{DesiredUser, Memberships, Scope};
use serde_json::json;

#[test]
fn a_create_that_would_be_out_of_scope_is_a_warning_naming_the_row() {
    let (_server, client) = start();
    let feed = vec![
        DesiredUser::new(
            ScimV2User::new()
                .with_user_name("keyless@x.test")
                .with_display_name("No Key"),
        ),
        DesiredUser::new(
            ScimV2User::new()
                .with_user_name("keyed@x.test")
                .with_display_name("Key")
                .with_external_id("E-1"),
        ),
    ];

    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");

    assert_eq!(plan.creates.len(), 2);
    let about: Vec<_> = plan
        .warnings
        .iter()
        .filter(|w| w.message.contains("out of scope") || w.message.contains("outside the scope"))
        .collect();
    assert_eq!(about.len(), 1, "{:?}", plan.warnings);
    assert_eq!(about[0].user_name(), Some("keyless@x.test"));
    assert_eq!(plan.summary().creates_out_of_scope, 1);
    let text = plan.to_string();
    assert!(
        text.contains("! keyless@x.test: would be created outside the scope `external-id`"),
        "{text}"
    );
    assert!(text.contains("(1 created out of scope)"), "{text}");
}

#[test]
fn an_unknown_group_leaves_that_persons_memberships_alone_and_is_named() {
    let (server, client) = start();
    let ann = seed(
        &server,
        json!({"userName": "ann@x.test", "displayName": "Ann", "externalId": "E-1"}),
    );
    let support = server.group_id("Support").expect("Support");
    scim_sync::set_members(&client, &support, [&ann]).expect("seed membership");
    let feed = vec![
        DesiredUser::new(
            ScimV2User::new()
                .with_user_name("ann@x.test")
                .with_display_name("Ann")
                .with_external_id("E-1"),
        )
        .with_groups(["Sales", "Slaes"]),
    ];

    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");

    assert!(plan.memberships.is_empty(), "{:?}", plan.memberships);
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.message.contains("Slaes") && w.user_name() == Some("ann@x.test")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn a_password_never_reaches_a_serialized_plan() {
    let (_server, client) = start();
    let mut user = ScimV2User::new()
        .with_user_name("pw@x.test")
        .with_display_name("Pw")
        .with_external_id("E-1");
    user.password = Some("s3cret-Passw0rd".into());
    let feed = vec![DesiredUser::new(user)];

    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");

    assert_eq!(plan.creates.len(), 1);
    let json = serde_json::to_string(&plan).expect("serialize");
    assert!(!json.contains("s3cret-Passw0rd"), "{json}");
    assert!(!json.contains("password"), "{json}");
    let debug = format!("{plan:?}");
    assert!(!debug.contains("s3cret-Passw0rd"), "{debug}");
}

#[test]
fn an_empty_value_keeps_an_attribute_and_only_clear_removes_one() {
    use scim_sync::{Desired, Field};
    let (server, client) = start();
    let id = seed(
        &server,
        json!({"userName": "jo@x.test", "displayName": "Jo", "externalId": "E-1", "title": "Agent",
               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Care"}}),
    );
    let feed = vec![
        DesiredUser::new(
            ScimV2User::new()
                .with_user_name("jo@x.test")
                .with_external_id("E-1")
                .with_title(""), // empty: not managed
        )
        .set(Field::Department, Desired::Clear),
    ];

    let plan =
        scim_sync::plan(&client, &feed, &Memberships::new(), &Scope::ExternalId).expect("plan");

    assert_eq!(plan.updates.len(), 1, "{plan:?}");
    let changed: Vec<String> = plan.updates[0]
        .changes
        .iter()
        .map(|c| format!("{:?} {}", c.op, c.attribute))
        .collect();
    assert_eq!(changed, ["Remove department"]);
    scim_sync::apply(
        &client,
        &plan,
        &scim_sync::ApplyOptions::default().rate_limit(None),
    )
    .expect("apply");
    let now = client.get_scim_v2_user(&id).send().expect("read");
    assert_eq!(now.title.as_deref(), Some("Agent"));
    assert_eq!(now.department(), None);
}
