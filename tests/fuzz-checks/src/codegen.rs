//! The generator on small OpenAPI documents: built from the input's bytes
//! (structure-aware), or the bytes themselves as JSON.

use arbitrary::{Result, Unstructured};
use scim_codegen::{Error, Settings};
use serde_json::{Map, Value, json};

/// Names that collide once made Rust names, or are keywords, or are empty.
const NAMES: &[&str] = &[
    "user",
    "User",
    "user_name",
    "userName",
    "UserName",
    "type",
    "self",
    "Self",
    "fn",
    "r#type",
    "unknown",
    "Unknown",
    "additionalProperties",
    "additional_properties",
    "",
    "1st",
    "a-b",
    "a b",
    "é",
    "_",
    "__",
    "id",
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "schemas",
];

/// Parses, lowers and renders a document made from `data`. The first byte
/// chooses: even builds a small document from the rest (structure-aware),
/// odd takes the rest as the document's JSON text. Every failure is an
/// [`Error::Parse`] or an [`Error::Unsupported`] whose JSON pointer names a
/// node of the document; the emitted code always parses.
///
/// ```
/// scim_fuzz_checks::codegen_lower(b"\x01{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{}}");
/// scim_fuzz_checks::codegen_lower(b"\x00\x07\x01\x02\x03");
/// ```
pub fn codegen_lower(data: &[u8]) {
    let [mode, rest @ ..] = data else {
        return;
    };
    let text = if mode % 2 == 0 {
        match small_document(&mut Unstructured::new(rest)) {
            Ok(doc) => doc.to_string(),
            Err(_) => return,
        }
    } else {
        match std::str::from_utf8(rest) {
            Ok(t) => t.to_owned(),
            Err(_) => return,
        }
    };
    check_generate(&text);
}

fn check_generate(text: &str) {
    let doc = match scim_codegen::parse(text) {
        Ok(doc) => doc,
        Err(Error::Parse { .. }) => return,
        Err(other) => panic!("parse failed with a non-parse error: {other}"),
    };
    let api = match scim_codegen::lower(&doc) {
        Ok(api) => api,
        Err(Error::Unsupported { pointer, reason }) => {
            let json: Value = serde_json::from_str(text).unwrap_or_default();
            assert!(
                json.pointer(&pointer).is_some(),
                "refused at `{pointer}`, which is no node of the document ({reason}): {text}"
            );
            return;
        }
        Err(other) => panic!("lower failed without a pointer: {other}\n{text}"),
    };
    if let Err(e) = scim_codegen::emit::render(&api, &Settings::new("fuzz.json")) {
        panic!("{e}\n{text}");
    }
}

fn name(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(if u.ratio(3, 4)? {
        (*u.choose(NAMES)?).to_owned()
    } else {
        u.arbitrary()?
    })
}

fn list<T>(
    u: &mut Unstructured<'_>,
    max: usize,
    mut item: impl FnMut(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| item(u)).collect()
}

/// A schema without references: a primitive, a free-form object or `{}`.
fn scalar(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=8u8)? {
        0 => json!({"type": "string"}),
        1 => json!({"type": "string", "format": "date-time"}),
        2 => json!({"type": "string", "format": "binary"}),
        3 => json!({"type": "integer", "format": "int32"}),
        4 => json!({"type": "integer"}),
        5 => json!({"type": "number"}),
        6 => json!({"type": "boolean"}),
        7 => json!({"type": "object"}),
        _ => json!({}),
    })
}

/// A schema used in place: a reference (maybe dangling), a scalar, an
/// array, an inline enum, an allOf wrapper or an inline object.
fn schema_use(u: &mut Unstructured<'_>, names: &[String], depth: usize) -> Result<Value> {
    let kind = if depth > 2 {
        0
    } else {
        u.int_in_range(0..=6u8)?
    };
    Ok(match kind {
        0 => scalar(u)?,
        1 => match u.choose(names) {
            Ok(target) => json!({"$ref": format!("#/components/schemas/{}", token(target))}),
            Err(_) => json!({"$ref": format!("#/components/schemas/{}", name(u)?)}),
        },
        2 => json!({"type": "array", "items": schema_use(u, names, depth + 1)?}),
        3 => {
            let values = list(u, 4, |u| {
                Ok(if u.ratio(1, 8)? {
                    Value::Null
                } else {
                    Value::String(name(u)?)
                })
            })?;
            json!({"type": "string", "enum": values})
        }
        4 => json!({"allOf": list(u, 2, |u| schema_use(u, names, depth + 1))?}),
        5 => json!({"type": "object", "properties": {name(u)?: scalar(u)?}}),
        _ => json!({"oneOf": [scalar(u)?, scalar(u)?]}),
    })
}

/// A component schema: an object with properties, or a string enum.
fn component(u: &mut Unstructured<'_>, names: &[String]) -> Result<Value> {
    if u.ratio(1, 4)? {
        let values = list(u, 5, |u| Ok(Value::String(name(u)?)))?;
        return Ok(json!({"type": "string", "enum": values}));
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut rust_names = Map::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let key = name(u)?;
        let mut prop = schema_use(u, names, 0)?;
        if u.ratio(1, 4)?
            && let Some(obj) = prop.as_object_mut()
        {
            obj.insert("readOnly".into(), Value::Bool(true));
            obj.insert("description".into(), Value::String(name(u)?));
        }
        if u.ratio(1, 3)? {
            required.push(Value::String(key.clone()));
        }
        if u.ratio(1, 6)? {
            rust_names.insert(key.clone(), Value::String(name(u)?));
        }
        properties.insert(key, prop);
    }
    if u.ratio(1, 8)? {
        required.push(Value::String(name(u)?));
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    if !rust_names.is_empty() {
        schema["x-rust-names"] = Value::Object(rust_names);
    }
    if u.ratio(1, 4)? {
        schema["x-scim-schema"] = Value::String(name(u)?);
    }
    Ok(schema)
}

fn parameter(u: &mut Unstructured<'_>, names: &[String]) -> Result<Value> {
    let place = *u.choose(&["path", "query", "header", "cookie"])?;
    let mut p = json!({"name": name(u)?, "in": place, "schema": schema_use(u, names, 1)?});
    if place == "path" || u.arbitrary()? {
        p["required"] = Value::Bool(true);
    }
    Ok(p)
}

fn operation(u: &mut Unstructured<'_>, names: &[String], params: &[String]) -> Result<Value> {
    let mut op = Map::new();
    if u.ratio(7, 8)? {
        op.insert("operationId".into(), Value::String(name(u)?));
    }
    if u.arbitrary()? {
        op.insert("tags".into(), json!([name(u)?]));
    }
    let mut parameters: Vec<Value> = params
        .iter()
        .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(list(u, 3, |u| parameter(u, names))?);
    op.insert("parameters".into(), Value::Array(parameters));
    if u.ratio(1, 3)? {
        let media = *u.choose(&["application/json", "application/scim+json", "text/plain"])?;
        let body = json!({"content": {media: {"schema": schema_use(u, names, 0)?}}});
        op.insert("requestBody".into(), body);
    }
    let mut responses = Map::new();
    for _ in 0..u.int_in_range(0..=3)? {
        let status = *u.choose(&["200", "201", "204", "304", "404", "default", "2XX"])?;
        let mut response = json!({"description": "r"});
        if u.ratio(2, 3)? {
            response["content"] = json!({"application/json": {"schema": schema_use(u, names, 0)?}});
        }
        responses.insert(status.into(), response);
    }
    op.insert("responses".into(), Value::Object(responses));
    Ok(Value::Object(op))
}

fn path_item(u: &mut Unstructured<'_>, names: &[String]) -> Result<(String, Value)> {
    let segments = list(u, 3, |u| {
        Ok(if u.ratio(1, 3)? {
            format!("{{{}}}", name(u)?)
        } else {
            name(u)?
        })
    })?;
    let path = format!("/{}", segments.join("/"));
    let params: Vec<String> = segments
        .iter()
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}').map(str::to_owned))
        .collect();
    let mut item = Map::new();
    for _ in 0..u.int_in_range(1..=3)? {
        let method = *u.choose(&["get", "put", "post", "delete", "patch", "head", "options"])?;
        item.insert(method.into(), operation(u, names, &params)?);
    }
    Ok((path, Value::Object(item)))
}

/// A small OpenAPI 3.0 document.
fn small_document(u: &mut Unstructured<'_>) -> Result<Value> {
    let names = list(u, 4, name)?;
    let mut schemas = Map::new();
    for n in &names {
        let schema = component(u, &names)?;
        schemas.insert(n.clone(), schema);
    }
    let mut paths = Map::new();
    for _ in 0..u.int_in_range(0..=3)? {
        let (path, item) = path_item(u, &names)?;
        paths.insert(path, item);
    }
    let tags = list(u, 2, |u| {
        Ok(json!({"name": name(u)?, "description": name(u)?}))
    })?;
    Ok(json!({
        "openapi": "3.0.3",
        "info": {"title": name(u)?, "version": "1"},
        "tags": tags,
        "paths": paths,
        "components": {"schemas": schemas},
    }))
}

/// One JSON pointer token (RFC 6901).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
