//! Property test of `diff_user` through the fake: for generated pairs of a
//! current and a desired user, the PATCH it computes, applied by the
//! server, gives a user that has every value `desired` sets, lacks every
//! attribute `desired` clears, keeps every attribute `desired` leaves
//! unset, and diffs empty against `desired` afterwards.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scim_sdk::models::{ScimEmailType, ScimPhoneNumberType, ScimV2User};
use scim_sdk_integration_tests::fake::{seed, start};
use scim_sync::{diff_user, user_changes};

/// What the desired user says about one attribute.
#[derive(Debug, Clone, PartialEq)]
enum Want {
    Unset,
    Clear,
    Set(String),
}

const FIELDS: usize = 9;
const EMAILS: [ScimEmailType; 2] = [ScimEmailType::Work, ScimEmailType::Other];
const PHONES: [ScimPhoneNumberType; 3] = [
    ScimPhoneNumberType::Work,
    ScimPhoneNumberType::Mobile,
    ScimPhoneNumberType::Home,
];

/// Reads attribute `i` of a user, in the order the strategies generate them.
fn read(user: &ScimV2User, i: usize) -> Option<String> {
    let s = match i {
        0 => user.title.as_deref(),
        1 => user.external_id.as_deref(),
        2 => user.department(),
        3 => user.division(),
        4 => user.employee_number(),
        5 => user.manager_id(),
        6 | 7 => user.email(&EMAILS[i - 6]),
        _ => user.phone(&PHONES[i - 8]),
    };
    s.map(str::to_owned)
}

/// Sets attribute `i` ("" clears it).
fn write(user: ScimV2User, i: usize, value: &str) -> ScimV2User {
    match i {
        0 => user.with_title(value),
        1 => user.with_external_id(value),
        2 => user.with_department(value),
        3 => user.with_division(value),
        4 => user.with_employee_number(value),
        5 => user.with_manager_id(value),
        6 => user.with_work_email(value),
        7 => {
            let mut u = user;
            let e = scim_sdk::models::ScimEmail::new()
                .with_type(ScimEmailType::Other)
                .with_value(value);
            u.emails.get_or_insert_with(Vec::new).push(e);
            u
        }
        _ => user.with_phone(PHONES[i - 8].clone(), value),
    }
}

fn value() -> impl Strategy<Value = String> {
    "[a-z]{1,5}"
}

fn want() -> impl Strategy<Value = Want> {
    prop_oneof![
        Just(Want::Unset),
        Just(Want::Clear),
        value().prop_map(Want::Set)
    ]
}

fn pairs() -> impl Strategy<Value = (Vec<Option<String>>, Vec<Want>)> {
    (
        proptest::collection::vec(proptest::option::of(value()), FIELDS),
        proptest::collection::vec(want(), FIELDS),
    )
}

#[test]
fn applying_the_diff_reaches_the_desired_user_and_leaves_the_rest() {
    let (server, client) = start();
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let n = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&pairs(), |(have, want)| {
            let n = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut current = ScimV2User::new()
                .with_user_name(format!("p{n}@x.test"))
                .with_display_name("P");
            for (i, v) in have.iter().enumerate() {
                if let Some(v) = v {
                    current = write(current, i, v);
                }
            }
            let id = seed(&server, serde_json::to_value(&current).expect("json"));
            let current = client.get_scim_v2_user(&id).send().expect("read");
            let mut desired = ScimV2User::new();
            for (i, w) in want.iter().enumerate() {
                match w {
                    Want::Unset => {}
                    Want::Clear => desired = write(desired, i, ""),
                    Want::Set(v) => desired = write(desired, i, v),
                }
            }

            if let Some(patch) = diff_user(&current, &desired) {
                let version = current.version().expect("version").to_owned();
                client
                    .patch_scim_v2_user(&id, patch)
                    .if_match(version)
                    .send()
                    .expect("the server accepts the diff");
            }
            let after = client.get_scim_v2_user(&id).send().expect("read");

            for (i, w) in want.iter().enumerate() {
                let expected = match w {
                    Want::Unset => read(&current, i),
                    Want::Clear => None,
                    Want::Set(v) => Some(v.clone()),
                };
                prop_assert_eq!(read(&after, i), expected, "attribute {} wanted {:?}", i, w);
            }
            prop_assert_eq!(user_changes(&after, &desired), Vec::new());
            Ok(())
        })
        .expect("property holds");
}
