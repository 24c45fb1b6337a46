//! The generator's own layout must print exactly what prettyplease prints.
//!
//! Each test renders specs twice, once as usual and once with prettyplease
//! laying out every item (the reference), and compares the files byte for
//! byte. Names of many lengths move every line of every shape across the
//! width at which prettyplease breaks it.

use super::{StageTimes, render_collected};
use crate::Settings;
use serde_json::Value;
use std::path::PathBuf;

fn spec(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn fixtures() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") && name != "unsupported.json" {
            out.push((
                name,
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap(),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Renders `doc` both ways for both runtimes and fails on any difference.
fn assert_layout_matches_prettyplease(name: &str, doc: &Value) {
    let api = crate::lower(&crate::parse(&doc.to_string()).unwrap()).unwrap();
    let runtimes = [
        Settings::new("spec.json"),
        Settings::new("spec.json")
            .runtime_crate("scim_sdk")
            .unwrap(),
    ];
    for settings in &runtimes {
        let mut times = StageTimes::default();
        let ours = render_collected(&api, settings, &mut times, false).unwrap();
        let reference = render_collected(&api, settings, &mut StageTimes::default(), true).unwrap();
        assert_eq!(ours.len(), reference.len());
        for (a, b) in ours.iter().zip(&reference) {
            assert_eq!(a.path, b.path);
            if a.contents != b.contents {
                let line = a
                    .contents
                    .lines()
                    .zip(b.contents.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                let around = |text: &str| -> String {
                    let lines: Vec<&str> = text.lines().collect();
                    lines[line.saturating_sub(3)..(line + 4).min(lines.len())].join("\n")
                };
                panic!(
                    "{name} ({:?}), {} line {}:\n--- ours\n{}\n--- prettyplease\n{}",
                    settings.runtime,
                    a.path,
                    line + 1,
                    around(&a.contents),
                    around(&b.contents)
                );
            }
        }
    }
}

/// Suffixes added to each kind of name in one variant of a spec.
struct Pads {
    types: String,
    properties: String,
    values: String,
    operations: String,
    parameters: String,
    tags: String,
    paths: String,
}

impl Pads {
    /// Variant `i`: each kind of name grows at its own pace, so that lines
    /// cross the width limit at different points in different variants.
    fn variant(i: usize) -> Self {
        let pad = |step: usize, modulo: usize, letter: &str| letter.repeat(i * step % modulo);
        Self {
            types: pad(3, 41, "T"),
            properties: pad(7, 37, "P"),
            values: pad(5, 43, "v"),
            operations: pad(11, 47, "O"),
            parameters: pad(13, 29, "Q"),
            tags: pad(2, 31, "G"),
            paths: pad(17, 53, "p"),
        }
    }
}

/// Names that give operations and models their meaning (paging, entity
/// tags): kept as they are.
const KEEP: [&str; 6] = [
    "Resources",
    "totalResults",
    "startIndex",
    "itemsPerPage",
    "If-Match",
    "If-None-Match",
];

/// `doc` with every name of a kind lengthened by its pad.
fn stretch(doc: &Value, pads: &Pads) -> Value {
    let mut doc = doc.clone();
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let old = std::mem::take(schemas);
        for (name, schema) in old {
            schemas.insert(format!("{name}{}", pads.types), schema);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        let old = std::mem::take(paths);
        for (path, mut item) in old {
            let mut path = format!("/{}{path}", pads.paths);
            stretch_operations(&mut item, &mut path, pads);
            paths.insert(path, item);
        }
    }
    if let Some(tags) = doc.get_mut("tags").and_then(Value::as_array_mut) {
        for tag in tags {
            append(&mut tag["name"], &pads.tags);
        }
    }
    stretch_schemas(&mut doc, pads);
    doc
}

fn append(value: &mut Value, pad: &str) {
    if let Value::String(s) = value {
        s.push_str(pad);
    }
}

/// Operation ids, tags and parameter names (path parameters also in the
/// path template).
fn stretch_operations(item: &mut Value, path: &mut String, pads: &Pads) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for op in item.values_mut() {
        append(&mut op["operationId"], &pads.operations);
        if let Some(tags) = op.get_mut("tags").and_then(Value::as_array_mut) {
            tags.iter_mut().for_each(|t| append(t, &pads.tags));
        }
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            continue;
        };
        for p in params {
            let Some(name) = p.get("name").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            if KEEP.contains(&name.as_str()) || name == "count" {
                continue;
            }
            let renamed = format!("{name}{}", pads.parameters);
            if p["in"] == "path" {
                // Each method of the path names it alike: rename once.
                let template = format!("{{{name}}}");
                if path.contains(&template) {
                    *path = path.replace(&template, &format!("{{{renamed}}}"));
                }
            }
            p["name"] = Value::String(renamed);
        }
    }
}

/// Property names, enum values and references, wherever they appear.
fn stretch_schemas(value: &mut Value, pads: &Pads) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && r.starts_with("#/components/schemas/")
            {
                r.push_str(&pads.types);
            }
            let rename = |key: &str| -> String {
                if KEEP.contains(&key) {
                    key.to_owned()
                } else {
                    format!("{key}{}", pads.properties)
                }
            };
            for key in ["properties", "x-rust-names"] {
                if let Some(Value::Object(props)) = map.get_mut(key) {
                    let old = std::mem::take(props);
                    for (name, mut prop) in old {
                        if key == "x-rust-names" && !pads.properties.is_empty() {
                            append(&mut prop, &format!("_{}", pads.properties.to_lowercase()));
                        }
                        props.insert(rename(&name), prop);
                    }
                }
            }
            if let Some(Value::Array(required)) = map.get_mut("required") {
                for r in required.iter_mut() {
                    if let Value::String(s) = r {
                        *s = rename(s);
                    }
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.iter_mut().for_each(|v| append(v, &pads.values));
            }
            map.values_mut().for_each(|v| stretch_schemas(v, pads));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| stretch_schemas(v, pads)),
        _ => {}
    }
}

#[test]
fn fixtures_and_the_real_spec_are_laid_out_as_prettyplease_does() {
    for (name, doc) in fixtures() {
        assert_layout_matches_prettyplease(&name, &doc);
    }
    assert_layout_matches_prettyplease("genesys-scim", &spec("../spec/genesys-scim.openapi.json"));
}

#[test]
fn names_of_every_length_are_laid_out_as_prettyplease_does() {
    let fixtures = fixtures();
    for i in 1..12 {
        let pads = Pads::variant(i);
        for (name, doc) in &fixtures {
            assert_layout_matches_prettyplease(&format!("{name} #{i}"), &stretch(doc, &pads));
        }
    }
    let real = spec("../spec/genesys-scim.openapi.json");
    for i in [5, 9] {
        let pads = Pads::variant(i);
        assert_layout_matches_prettyplease(&format!("genesys-scim #{i}"), &stretch(&real, &pads));
    }
}

#[test]
fn a_carriage_return_in_spec_text_becomes_a_space_in_docs() {
    let mut doc = spec("tests/fixtures/parameters.json");
    let text = "First line\rsecond line\r\nthird line";
    let get = doc
        .pointer_mut("/paths/~1users~1{userId}~1items~1{itemNo}/get")
        .and_then(Value::as_object_mut)
        .unwrap();
    get.insert("description".into(), Value::String(text.into()));
    assert_layout_matches_prettyplease("parameters with CRs", &doc);
    let api = crate::lower(&crate::parse(&doc.to_string()).unwrap()).unwrap();
    let files = render_collected(&api, &Settings::new("s"), &mut StageTimes::default(), false);
    let all: String = files.unwrap().into_iter().map(|f| f.contents).collect();
    assert!(all.contains("/// First line second line\n    /// third line\n"));
    assert!(!all.contains('\r'));
}

/// The same over many more variants of the real spec: a minute in a debug
/// build, so run on demand (`cargo test --release -p scim-codegen -- --ignored`).
#[test]
#[ignore]
fn names_of_every_length_in_the_real_spec_are_laid_out_as_prettyplease_does() {
    let real = spec("../spec/genesys-scim.openapi.json");
    for i in 1..120 {
        let pads = Pads::variant(i);
        assert_layout_matches_prettyplease(&format!("genesys-scim #{i}"), &stretch(&real, &pads));
    }
}
