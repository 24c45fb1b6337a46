//! Snapshot tests that pin what the generator produces.
//!
//! - `surface`: a line-per-item view of the real spec's IR, so a spec change
//!   shows up as a small diff (the full generated files are committed in
//!   `scim-sdk/src/generated/`, which `cargo xtask regenerate --check` guards).
//! - the error (with JSON pointer) for each unsupported construct.
//!
//! It also checks that output is deterministic however it is handed out.
//!
//! The code generated from each fixture in `tests/fixtures/` is not a
//! snapshot here: it is committed as the `scim-codegen-output` crate in
//! `tests/output/`, which the workspace compiles and lints, and whose
//! freshness the xtask's test checks like the SDK's generated files.
//!
//! Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn real_spec_surface() {
    let json = read(&root().join("../spec/genesys-scim.openapi.json"));
    let api = scim_codegen::lower(&scim_codegen::parse(&json).unwrap()).unwrap();
    assert_eq!(api.operations.len(), 30);
    insta::assert_snapshot!("surface", scim_codegen::surface(&api));
}

#[test]
fn output_is_deterministic() {
    let json = read(&root().join("../spec/genesys-scim.openapi.json"));
    let first = scim_codegen::generate(&json, &scim_codegen::Settings::new("spec")).unwrap();
    let second = scim_codegen::generate(&json, &scim_codegen::Settings::new("spec")).unwrap();
    assert_eq!(first, second);
}

#[test]
fn files_handed_out_one_by_one_are_the_files_generate_returns() {
    let json = read(&root().join("../spec/genesys-scim.openapi.json"));
    let settings = scim_codegen::Settings::new("spec");
    let all = scim_codegen::generate(&json, &settings).unwrap();
    let each = std::sync::Mutex::new(Vec::new());
    let times = scim_codegen::generate_each(&json, &settings, &|file| {
        each.lock().unwrap().push(file);
        Ok(())
    })
    .unwrap();
    let mut each = each.into_inner().unwrap();
    each.sort_by(|a, b| a.path.cmp(&b.path));
    let mut all_sorted = all.clone();
    all_sorted.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(each, all_sorted);
    assert!(times.threads >= 1);
    // `generate` lists the root first, then each module's `mod.rs` first.
    let paths: Vec<&str> = all.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(&paths[..2], ["mod.rs", "models/mod.rs"]);
    assert!(paths.contains(&"operations/users.rs"));
}

#[test]
fn a_file_that_cannot_be_written_stops_the_generator_and_is_named() {
    let json = read(&root().join("../spec/genesys-scim.openapi.json"));
    let settings = scim_codegen::Settings::new("spec");
    let err = scim_codegen::generate_each(&json, &settings, &|file| {
        if file.path == "operations/users.rs" {
            Err("disk full".into())
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot output operations/users.rs: disk full"
    );
}

#[test]
fn a_new_query_parameter_changes_the_surface_and_the_code() {
    let json = read(&root().join("../spec/genesys-scim.openapi.json"));
    let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let params = doc["paths"]["/api/v2/scim/v2/users"]["get"]["parameters"]
        .as_array_mut()
        .unwrap();
    params.push(serde_json::json!({"name": "sortBy", "in": "query", "schema": {"type": "string"}}));
    let edited = doc.to_string();
    let surface = |j: &str| {
        scim_codegen::surface(&scim_codegen::lower(&scim_codegen::parse(j).unwrap()).unwrap())
    };
    assert!(!surface(&json).contains("query sortBy"));
    assert!(surface(&edited).contains("query sortBy: String"));
    let ops = |j: &str| {
        scim_codegen::generate(j, &scim_codegen::Settings::new("spec"))
            .unwrap()
            .into_iter()
            .find(|f| f.path == "operations/users.rs")
            .unwrap()
            .contents
    };
    let code = ops(&edited);
    assert!(code.contains("pub fn sort_by(mut self, sort_by: impl Into<String>) -> Self"));
    assert!(code.contains("request.query(\"sortBy\", self.sort_by.as_deref());"));
}

#[test]
fn unsupported_constructs_are_named_by_pointer() {
    let docs: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&read(&root().join("tests/fixtures/unsupported.json"))).unwrap();
    let mut report = String::new();
    for (name, doc) in docs {
        let err = scim_codegen::generate(&doc.to_string(), &scim_codegen::Settings::new("x"))
            .expect_err(&name);
        report.push_str(&format!("{name}: {err}\n"));
    }
    insta::assert_snapshot!("unsupported", report);
}

#[test]
fn a_carriage_return_in_spec_text_becomes_a_space_in_docs() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&read(&root().join("tests/fixtures/parameters.json"))).unwrap();
    let get = doc
        .pointer_mut("/paths/~1users~1{userId}~1items~1{itemNo}/get")
        .and_then(serde_json::Value::as_object_mut)
        .unwrap();
    let text = "First line\rsecond line\r\nthird line";
    get.insert("description".into(), text.into());
    let files =
        scim_codegen::generate(&doc.to_string(), &scim_codegen::Settings::new("s")).unwrap();
    let all: String = files.into_iter().map(|f| f.contents).collect();
    assert!(all.contains("/// First line second line\n    /// third line\n"));
    assert!(!all.contains('\r'));
}
