//! Property tests of the fake through the SDK over real HTTP: any sequence
//! of writes keeps the fake's invariants, and ids and filter values made of
//! arbitrary characters reach its handlers exactly as they were given.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use scim_fake::FakeServer;
use scim_sdk::models::{ScimV2CreateUser, ScimV2PatchRequest, ScimV2User};
use scim_sdk::{Client, Filter, Response};
use scim_sdk_integration_tests::fake::{client_with_token, start};
use serde_json::json;

/// One write, aimed at the `slot`-th live user (modulo how many there are).
#[derive(Debug, Clone)]
enum Write {
    Create,
    PatchTitle(usize, String),
    Deactivate(usize, bool),
    Put(usize, String),
    StalePatch(usize),
    Delete(usize),
}

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        2 => Just(Write::Create),
        2 => (any::<usize>(), "\\PC{0,12}").prop_map(|(s, t)| Write::PatchTitle(s, t)),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(s, a)| Write::Deactivate(s, a)),
        1 => (any::<usize>(), "\\PC{0,12}").prop_map(|(s, t)| Write::Put(s, t)),
        1 => any::<usize>().prop_map(Write::StalePatch),
        1 => any::<usize>().prop_map(Write::Delete),
    ]
}

/// What the test believes the fake holds: version and `active` by id.
#[derive(Default)]
struct Model {
    users: BTreeMap<String, (u64, bool)>,
    created: usize,
}

impl Model {
    fn pick(&self, slot: usize) -> Option<String> {
        let n = self.users.len();
        (n > 0)
            .then(|| self.users.keys().nth(slot % n).cloned())
            .flatten()
    }
}

/// The number inside a `meta.version` or ETag such as `W/"3"`.
fn version_number(text: &str) -> Result<u64, TestCaseError> {
    let digits = text.trim_start_matches("W/").trim_matches('"');
    digits
        .parse()
        .map_err(|_| TestCaseError::fail(format!("version {text:?} is not a quoted number")))
}

/// Checks an answer carrying a user: its ETag is its `meta.version`, and
/// the version went up from `before` (if any). Returns the new version.
fn checked(resp: &Response<ScimV2User>, before: Option<u64>) -> Result<u64, TestCaseError> {
    let meta_version = resp.body().meta.as_ref().and_then(|m| m.version.clone());
    prop_assert_eq!(resp.etag().map(str::to_owned), meta_version.clone());
    let version = version_number(&meta_version.unwrap_or_default())?;
    if let Some(old) = before {
        prop_assert!(
            version > old,
            "version {} did not go up from {}",
            version,
            old
        );
    }
    Ok(version)
}

/// Runs one update of the `slot`-th user and checks its answer: the
/// version went up, and `active` is `to` (or unchanged).
fn update(
    model: &mut Model,
    slot: usize,
    to: Option<bool>,
    send: impl FnOnce(&str) -> Result<Response<ScimV2User>, scim_sdk::Error>,
) -> Result<(), TestCaseError> {
    let Some(id) = model.pick(slot) else {
        return Ok(());
    };
    let (old, active) = model.users[&id];
    let resp = send(&id).map_err(|e| TestCaseError::fail(format!("update {id}: {e}")))?;
    let version = checked(&resp, Some(old))?;
    let active = to.unwrap_or(active);
    prop_assert_eq!(resp.body().active, Some(active));
    model.users.insert(id, (version, active));
    Ok(())
}

fn apply(client: &Client, model: &mut Model, w: &Write) -> Result<(), TestCaseError> {
    let fail = |e: scim_sdk::Error| TestCaseError::fail(format!("{w:?}: {e}"));
    match w {
        Write::Create => {
            model.created += 1;
            let body = ScimV2CreateUser::new(format!("u{}@example.com", model.created), "U");
            let resp = client
                .post_scim_v2_users(body)
                .send_with_response()
                .map_err(fail)?;
            let version = checked(&resp, None)?;
            let id = resp.body().id.clone().unwrap_or_default();
            model.users.insert(id, (version, true));
        }
        Write::PatchTitle(slot, title) => {
            let change = ScimV2PatchRequest::patch_op().replace("title", json!(title));
            update(model, *slot, None, |id| {
                client.patch_scim_v2_user(id, change).send_with_response()
            })?;
        }
        Write::Deactivate(slot, to) => {
            let change = ScimV2PatchRequest::patch_op().replace("active", json!(to));
            update(model, *slot, Some(*to), |id| {
                client.patch_scim_v2_user(id, change).send_with_response()
            })?;
        }
        Write::Put(slot, title) => {
            update(model, *slot, None, |id| {
                let current = client.get_scim_v2_user(id).send()?;
                let body = current.with_title(title.clone());
                client.put_scim_v2_user(id, body).send_with_response()
            })?;
        }
        Write::StalePatch(slot) => {
            let Some(id) = model.pick(*slot) else {
                return Ok(());
            };
            let (current, _) = model.users[&id];
            let stale = format!("W/\"{}\"", current + 1);
            let change = ScimV2PatchRequest::patch_op().replace("title", json!("stale"));
            let err = client
                .patch_scim_v2_user(&id, change)
                .if_match(&stale)
                .send();
            prop_assert!(err.is_err_and(|e| e.is_version_mismatch()), "{:?}", w);
        }
        Write::Delete(slot) => {
            let Some(id) = model.pick(*slot) else {
                return Ok(());
            };
            client.delete_scim_v2_user(&id).send().map_err(fail)?;
            let gone = client.get_scim_v2_user(&id).send();
            prop_assert!(gone.is_err_and(|e| e.is_not_found()));
            model.users.remove(&id);
        }
    }
    Ok(())
}

/// Every live user reads back at the version the model holds, with a
/// matching ETag, and the lists count the active and inactive users.
fn check_store(client: &Client, model: &Model) -> Result<(), TestCaseError> {
    let fail = |e: scim_sdk::Error| TestCaseError::fail(e.to_string());
    for (id, (version, _)) in &model.users {
        let resp = client
            .get_scim_v2_user(id)
            .send_with_response()
            .map_err(fail)?;
        prop_assert_eq!(checked(&resp, None)?, *version);
    }
    let active = model.users.values().filter(|(_, a)| *a).count();
    let listed = client.get_scim_v2_users().send().map_err(fail)?;
    prop_assert_eq!(listed.total_results, Some(active as i64));
    let inactive = Filter::eq("active", false).map_err(fail)?;
    let listed = client
        .get_scim_v2_users()
        .filter(inactive)
        .send()
        .map_err(fail)?;
    prop_assert_eq!(
        listed.total_results,
        Some((model.users.len() - active) as i64)
    );
    Ok(())
}

#[test]
fn any_sequence_of_writes_keeps_versions_etags_and_counts() {
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&prop::collection::vec(write(), 1..12), |writes| {
        let server = FakeServer::start().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let client = client_with_token(&server, &server.token());
        let mut model = Model::default();
        for w in &writes {
            apply(&client, &mut model, w)?;
            check_store(&client, &model)?;
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

/// Text with the characters that break URLs and filters, and any other.
fn hostile() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "%", "%25", "+", "&", "=", "?", "#", "/", "\\", "\"", " ", ".", "..", "\n", "\u{0}", "é",
        "😀", "%2F", ";", ",", "[", "]", "'",
    ]);
    let piece = prop_oneof![
        special.prop_map(str::to_owned),
        "\\PC{1,3}",
        any::<char>().prop_map(String::from)
    ];
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

#[test]
fn an_arbitrary_external_id_is_found_by_filter() {
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&hostile(), |external_id| {
        let fail = |e: scim_sdk::Error| TestCaseError::fail(format!("{external_id:?}: {e}"));
        let server = FakeServer::start().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let client = client_with_token(&server, &server.token());
        let body = ScimV2CreateUser::new("ext@example.com", "E").with_external_id(&external_id);
        let created = client.post_scim_v2_users(body).send().map_err(fail)?;
        let decoy = ScimV2CreateUser::new("decoy@example.com", "D")
            .with_external_id(format!("{external_id}~decoy"));
        client.post_scim_v2_users(decoy).send().map_err(fail)?;

        let filter = Filter::eq("externalId", external_id.as_str()).map_err(fail)?;
        let found = client
            .get_scim_v2_users()
            .filter(filter.clone())
            .send()
            .map_err(fail)?;
        let ids: Vec<_> = found
            .resources
            .unwrap_or_default()
            .into_iter()
            .map(|u| u.id)
            .collect();
        prop_assert_eq!(ids, vec![created.id]);
        // The handler saw the filter exactly as built.
        let seen = server.journal().pop().and_then(|r| {
            r.query_pairs()
                .into_iter()
                .find(|(k, _)| k == "filter")
                .map(|(_, v)| v)
        });
        prop_assert_eq!(seen.as_deref(), Some(filter.as_str()));
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn an_arbitrary_id_reaches_the_handler_exactly() {
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let (server, client) = start();
    let outcome = runner.run(&hostile(), |id| {
        server.clear_journal();
        let err = client.get_scim_v2_user(&id).send();
        prop_assert!(
            err.is_err_and(|e| e.is_not_found()),
            "GET {:?} is not a 404",
            id
        );
        let journal = server.journal();
        prop_assert_eq!(journal.len(), 1, "one request for {:?}", id);
        let path = &journal[0].path;
        let segment = path.strip_prefix("/api/v2/scim/v2/users/");
        prop_assert!(
            segment.is_some_and(|s| !s.contains('/')),
            "{:?} sent to {}",
            id,
            path
        );
        let decoded = percent_decode_str(segment.unwrap_or_default())
            .decode_utf8()
            .map(|d| d.into_owned());
        prop_assert_eq!(decoded.ok(), Some(id.clone()), "{}", path);
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
