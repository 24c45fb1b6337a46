//! Apply's work queue: a deferred item waits for its not-before time on
//! the workers, dependent work (memberships, manager links) waits for the
//! items it depends on, a manager cycle is applied in one run, and a run
//! never reports "0 failed" with work left.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::engine::user_named;
use scim_fake::{FakeServer, Fault};
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use scim_sdk_integration_tests::fake::start;
use scim_sync::{ApplyOptions, DesiredUser, ItemRef, ItemStatus, Memberships, Plan, Scope};

fn options() -> ApplyOptions {
    ApplyOptions::default().rate_limit(None)
}

fn person(user_name: &str, external_id: &str) -> DesiredUser {
    DesiredUser::new(
        ScimV2User::new()
            .with_user_name(user_name)
            .with_display_name(user_name)
            .with_external_id(external_id),
    )
}

fn plan(client: &Client, feed: &[DesiredUser]) -> Plan {
    scim_sync::plan(client, feed, &Memberships::new(), &Scope::ExternalId).expect("plan")
}

fn support_members(server: &FakeServer, client: &Client) -> Vec<String> {
    let id = server.group_id("Support").expect("seeded group");
    let group = client.get_scim_v2_group(&id).send().expect("read group");
    group.member_ids().map(str::to_owned).collect()
}

#[test]
fn a_503_on_the_post_of_a_new_group_member_waits_its_retry_after_and_ends_with_an_empty_replan() {
    let (server, client) = start();
    let feed = [person("new@x.test", "E-1").with_groups(["Support"])];
    let planned = plan(&client, &feed);
    assert_eq!((planned.creates.len(), planned.memberships.len()), (1, 1));
    server.inject(Fault::Status {
        status: 503,
        retry_after: Some(1),
        count: 1,
    });
    let seen: Arc<Mutex<Vec<(Instant, ItemRef, ItemStatus)>>> = Arc::default();
    let sink = seen.clone();
    let options = options().workers(4).on_progress(move |p| {
        let entry = (Instant::now(), p.item.clone(), p.status.clone());
        sink.lock().expect("lock").push(entry);
    });

    let report = scim_sync::apply(&client, &planned, &options).expect("apply");

    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(report.summary.created, 1, "{report:?}");
    assert_eq!(report.summary.memberships_changed, 1, "{report:?}");
    let id = user_named(&client, "new@x.test").id.expect("id");
    assert_eq!(support_members(&server, &client), [id]);
    assert!(plan(&client, &feed).is_empty(), "nothing is left to do");
    let seen = seen.lock().expect("lock");
    let user = ItemRef::User("new@x.test".into());
    let deferred = seen
        .iter()
        .find(|(_, item, s)| *item == user && matches!(s, ItemStatus::Deferred(_)))
        .expect("the create was deferred");
    let done = seen
        .iter()
        .find(|(_, item, s)| *item == user && s.is_done())
        .expect("then done");
    assert!(
        done.0 - deferred.0 >= Duration::from_millis(950),
        "it waited the Retry-After: {:?}",
        done.0 - deferred.0
    );
    let membership = seen
        .iter()
        .position(|(_, item, _)| matches!(item, ItemRef::Group(_)))
        .expect("the membership ran");
    let created = seen
        .iter()
        .position(|(_, item, s)| *item == user && s.is_done())
        .expect("created");
    assert!(
        created < membership,
        "the membership waited for its member: {seen:?}"
    );
}

#[test]
fn a_manager_cycle_of_new_users_is_applied_in_one_run() {
    let (_server, client) = start();
    let feed = [
        person("a@x.test", "E-1").with_manager("b@x.test"),
        person("b@x.test", "E-2").with_manager("a@x.test"),
        person("c@x.test", "E-3").with_manager("a@x.test"),
    ];
    let planned = plan(&client, &feed);

    let report = scim_sync::apply(&client, &planned, &options()).expect("apply");

    assert_eq!(report.failed, 0, "{report:?}");
    let (a, b, c) = (
        user_named(&client, "a@x.test"),
        user_named(&client, "b@x.test"),
        user_named(&client, "c@x.test"),
    );
    assert_eq!(a.manager_id(), b.id.as_deref(), "a reports to b");
    assert_eq!(b.manager_id(), a.id.as_deref(), "b reports to a");
    assert_eq!(c.manager_id(), a.id.as_deref(), "c reports to a");
    assert!(plan(&client, &feed).is_empty(), "nothing is left to do");
}

#[test]
fn a_membership_whose_member_was_not_created_is_reported_failed() {
    let (server, client) = start();
    let feed = [
        person("new@x.test", "E-1").with_groups(["Support"]),
        person("ok@x.test", "E-2").with_groups(["Support"]),
    ];
    let planned = plan(&client, &feed);
    // The first create is refused for good.
    server.inject(Fault::Status {
        status: 400,
        retry_after: None,
        count: 1,
    });

    let report = scim_sync::apply(&client, &planned, &options().workers(1)).expect("apply");

    let failed: Vec<&ItemRef> = report.failures.iter().map(|f| &f.item).collect();
    assert!(
        failed.contains(&&ItemRef::Group("Support".into())),
        "{report:?}"
    );
    assert_eq!(
        report.failed, 2,
        "the create and its membership: {report:?}"
    );
    let membership = report
        .failures
        .iter()
        .find(|f| matches!(f.item, ItemRef::Group(_)))
        .expect("membership failure");
    assert!(
        membership.error.message.contains("new@x.test"),
        "names the member: {}",
        membership.error
    );
    // The member that exists was still added.
    let ok = user_named(&client, "ok@x.test").id.expect("id");
    assert_eq!(support_members(&server, &client), [ok]);
}

#[test]
fn faults_that_outlast_the_retries_leave_every_unfinished_item_failed() {
    let (server, client) = start();
    let feed = [person("new@x.test", "E-1").with_groups(["Support"])];
    let planned = plan(&client, &feed);
    server.inject(Fault::Status {
        status: 503,
        retry_after: Some(0),
        count: 1000,
    });

    let report = scim_sync::apply(&client, &planned, &options()).expect("apply");

    server.clear_faults();
    let left = plan(&client, &feed);
    assert!(!left.is_empty());
    assert_eq!(report.failed, left.len(), "{report:?}\n{left}");
}

#[test]
fn a_panicking_progress_callback_reaches_the_caller_instead_of_hanging_the_run() {
    let (_server, client) = start();
    // The membership waits for the create, whose callback panics.
    let feed = [person("new@x.test", "E-1").with_groups(["Support"])];
    let planned = plan(&client, &feed);
    let first = std::sync::atomic::AtomicBool::new(true);
    let options = options().workers(2).on_progress(move |_| {
        if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
            panic!("a broken callback");
        }
    });
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            scim_sync::apply(&client, &planned, &options)
        }));
        let _ = tx.send(outcome.is_err());
    });
    let panicked = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("apply returns instead of hanging");
    assert!(panicked);
}

/// Progress reports (and the audit lines written from them) come in the
/// order of their counter, whichever worker finishes first: a log reading
/// `[16/16]` before `[15/16]` looks like a lost item.
#[test]
fn progress_reports_come_in_the_order_of_their_counter() {
    let (_server, client) = start();
    let feed: Vec<DesiredUser> = (0..12)
        .map(|i| person(&format!("u{i}@x.test"), &format!("E-{i}")))
        .collect();
    let planned = plan(&client, &feed);
    assert_eq!(planned.creates.len(), 12);
    let seen: Arc<Mutex<Vec<usize>>> = Arc::default();
    let sink = seen.clone();
    let options = options().workers(4).on_progress(move |p| {
        // A slow reporter for odd counters lets the next item overtake it
        // unless reports are serialised with their counter.
        if p.done % 2 == 1 {
            std::thread::sleep(Duration::from_millis(20));
        }
        sink.lock().expect("lock").push(p.done);
    });

    let report = scim_sync::apply(&client, &planned, &options).expect("apply");

    assert_eq!(report.summary.created, 12, "{report:?}");
    let seen = seen.lock().expect("lock").clone();
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    assert_eq!(seen, sorted, "reports out of order");
    assert_eq!(seen, (1..=12).collect::<Vec<_>>());
}
