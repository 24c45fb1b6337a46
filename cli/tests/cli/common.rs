//! Running the binary and building small orgs in scim-fake.

use scim_fake::FakeServer;
use serde_json::{Value, json};
use std::process::Command;

/// What one run of `genesys-scim` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Both streams, for checks that something appears nowhere.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// `genesys-scim` with an environment that holds no Genesys settings of the
/// machine running the tests.
pub fn scim() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_genesys-scim"));
    for var in [
        "GENESYS_REGION",
        "GENESYS_TOKEN",
        "GENESYS_CLIENT_ID",
        "GENESYS_CLIENT_SECRET",
        "GENESYS_CLIENT_SECRET_FILE",
        "COLUMNS",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the genesys-scim binary runs");
    Run {
        code: out.status.code().expect("genesys-scim exits with a code"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `genesys-scim ARGS` against `server` with its static token.
pub fn on(server: &FakeServer, args: &[&str]) -> Run {
    run(scim()
        .args(["--base-url", &server.base_url(), "--token", &server.token()])
        .args(args))
}

/// A small org: two people with externalIds (one managing the other), an
/// admin without one, and an inactive leaver; Jane and the admin are in
/// Support.
pub struct Org {
    pub server: FakeServer,
    pub jane: String,
    pub bob: String,
    pub admin: String,
    pub leaver: String,
}

pub fn org() -> Org {
    let server = FakeServer::start().expect("fake starts");
    let bob = seed(
        &server,
        json!({
            "userName": "bob@example.com", "displayName": "Bob Boss", "externalId": "E-2",
            "title": "Manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"division": "EMEA"}
        }),
    );
    let jane = seed(
        &server,
        json!({
            "userName": "jane@example.com", "displayName": "Jane Doe", "externalId": "E-1",
            "title": "Agent",
            "emails": [{"value": "jane@example.com", "type": "work", "primary": true}],
            "phoneNumbers": [{"value": "+15550100", "type": "work"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Support", "division": "EMEA", "employeeNumber": "0042",
                "manager": {"value": bob}
            }
        }),
    );
    let admin = seed(
        &server,
        json!({"userName": "admin@example.com", "displayName": "Admin"}),
    );
    let leaver = seed(
        &server,
        json!({
            "userName": "old@example.com", "displayName": "Old Timer", "externalId": "E-3",
            "active": false
        }),
    );
    add_members(&server, "Support", &[&jane, &admin]);
    server.clear_journal();
    Org {
        server,
        jane,
        bob,
        admin,
        leaver,
    }
}

pub fn seed(server: &FakeServer, user: Value) -> String {
    server.seed_user(user)["id"]
        .as_str()
        .expect("seeded user has an id")
        .to_owned()
}

pub fn add_members(server: &FakeServer, group: &str, ids: &[&str]) {
    let client = scim_sdk::Client::builder()
        .base_url(server.base_url())
        .bearer(server.token())
        .build()
        .unwrap();
    let members: Vec<Value> = ids.iter().map(|id| json!({ "value": id })).collect();
    let change =
        scim_sdk::models::ScimV2PatchRequest::patch_op().add("members", Value::Array(members));
    client
        .patch_scim_v2_group(server.group_id(group).unwrap(), change)
        .send()
        .unwrap();
}

/// The columns of [`people`]'s files.
const HEADER: &str = "userName,displayName,externalId,active,title,phone,manager,groups\n";

/// A people file of `rows` under [`HEADER`]'s columns (userName,
/// displayName, externalId, active, title, phone, manager, groups).
pub fn people(name: &str, rows: &str) -> std::path::PathBuf {
    let path = temp_file(name);
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    path
}

/// `sync ARGS --from PATH`, unpaced.
pub fn sync(server: &FakeServer, args: &[&str], path: &std::path::Path) -> Run {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--from", path.to_str().unwrap()]);
    if args.first() == Some(&"apply") {
        all.extend_from_slice(&["--rate-limit", "0"]);
    }
    on(server, &all)
}

/// The user of this id or userName, as `users get` prints it.
pub fn user(server: &FakeServer, id: &str) -> Value {
    let r = on(server, &["users", "get", id]);
    assert_eq!(r.code, 0, "{r:?}");
    r.json()
}

/// The requests the server received, as `METHOD path` lines.
pub fn requests(server: &FakeServer) -> Vec<String> {
    server
        .journal()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// The requests that were not reads, as `METHOD PATH`.
pub fn writes(server: &FakeServer) -> Vec<String> {
    requests(server)
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect()
}

/// The user with this userName, active or not, as `users list` prints it.
pub fn user_named(server: &FakeServer, name: &str) -> Value {
    let filter = format!("userName eq \"{name}\"");
    let r = on(
        server,
        &["users", "list", "--all", "--filter", &filter, "-o", "json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    r.json()[0].clone()
}

/// The decoded query parameters of each user-list request.
pub fn user_list_queries(server: &FakeServer) -> Vec<Vec<(String, String)>> {
    server
        .journal()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/users"))
        .map(|r| r.query_pairs())
        .collect()
}

/// The value of one query parameter.
pub fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A writable temporary file path, unique to the calling test.
pub fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scim-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The keys of `sync apply --output json`, in contract order.
pub const REPORT_KEYS: [&str; 14] = [
    "created",
    "updated",
    "reactivated",
    "deactivated",
    "unchanged",
    "memberships_changed",
    "creates_out_of_scope",
    "needs_decision",
    "failed",
    "requests",
    "requests_by_outcome",
    "items_retried",
    "elapsed_ms",
    "failures",
];

/// The apply report's counts in contract order, after checking it has
/// exactly the contract's keys.
pub fn counts(report: &Value) -> [u64; 7] {
    let mut keys: Vec<&str> = report
        .as_object()
        .expect("one JSON object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = REPORT_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "{report}");
    let number = |k: &str| {
        report[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {report}"))
    };
    [
        number("created"),
        number("updated"),
        number("reactivated"),
        number("deactivated"),
        number("unchanged"),
        number("memberships_changed"),
        number("failed"),
    ]
}

/// Runs `cmd`, failing the test if it has not exited within `seconds`
/// (it is killed then), so that a run that hangs shows as a failure.
pub fn run_within(cmd: &mut Command, seconds: u64) -> Run {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the genesys-scim binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().expect("waits").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("genesys-scim did not exit within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().expect("genesys-scim exits with a code"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}
