//! Emits the models files: one serde struct per object schema, and the
//! string enums it declares (see `enums`).

use super::breaks::Arg;
use super::docs::doc;
use super::layout::Container;
use super::paths::Paths;
use super::types::rust_type;
use super::writer::{Lit, Writer};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef};
use crate::naming::CATCH_ALL_FIELD;
use std::collections::BTreeSet;

/// One models file: its types, importing the models they refer to from
/// the sibling files.
pub(crate) fn emit_file(w: &mut Writer, types: &[&TypeDef], paths: &Paths) {
    w.line("use serde::{Deserialize, Serialize};");
    sibling_imports(w, types);
    for def in types {
        match &def.kind {
            TypeKind::Struct {
                fields,
                scim_schema,
            } => emit_struct(w, def, fields, scim_schema.as_deref(), paths),
            TypeKind::Enum { variants } => super::enums::emit_enum(w, def, variants),
        }
    }
}

/// `use super::{A, B};` for the named types the fields of `types` use and
/// that the file does not define.
fn sibling_imports(w: &mut Writer, types: &[&TypeDef]) {
    let mut used = BTreeSet::new();
    for def in types {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            used.extend(fields.iter().filter_map(|f| named(&f.ty)));
        }
    }
    for def in types {
        used.remove(def.name.as_str());
    }
    let names: Vec<&str> = used.into_iter().collect();
    super::modules::use_list(w, "use super::", &names);
}

/// The named type inside `ty`, if any.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::List(inner) => named(inner),
        _ => None,
    }
}

fn field_doc(field: &Field) -> String {
    let mut extra = Vec::new();
    if !field.constraints.is_empty() {
        extra.push(format!("Allowed: {}.", field.constraints.join("; ")));
    }
    if field.required {
        extra.push(
            "Required in requests (the constructor takes it). An `Option` all the same, because a \
             response may leave it out when the caller narrows `attributes`."
                .to_owned(),
        );
    }
    if field.read_only {
        extra.push("Set by the server; left out of request bodies.".to_owned());
    }
    if field.sensitive {
        extra.push("Sensitive: shown as `<redacted>` in `Debug` output.".to_owned());
    }
    extra.push(format!("JSON key: `{}`.", field.wire_name));
    doc(&[field.description.as_deref()], &extra)
}

fn emit_struct(
    w: &mut Writer,
    def: &TypeDef,
    fields: &[Field],
    scim_schema: Option<&str>,
    paths: &Paths,
) {
    let name = def.name.as_str();
    let has_sensitive = fields.iter().any(|f| f.sensitive);
    let mut derives = Vec::with_capacity(6);
    if !has_sensitive {
        derives.push("Debug".to_owned());
    }
    derives.extend(["Clone", "PartialEq", "Serialize", "Deserialize"].map(String::from));
    if !fields.iter().any(|f| f.required) {
        derives.push("Default".to_owned());
    }
    let mut extra = vec![format!("Schema `{}`.", def.origin)];
    extra.extend(request_body_doc(fields, scim_schema));
    w.unit(Container::File, |w| {
        w.doc(&doc(&[def.description.as_deref()], &extra));
        w.list("#[derive(", &derives, ")]", false);
        w.line("#[non_exhaustive]");
        w.open(format_args!("pub struct {name} {{"));
        for f in fields {
            w.unit(Container::Struct, |w| field_def(w, f));
        }
        w.doc(
            "Attributes the API document does not describe, kept as received\n\
             so that sending this value back loses nothing.",
        );
        w.line("#[serde(flatten)]");
        w.line_fmt(format_args!(
            "pub {CATCH_ALL_FIELD}: ::serde_json::Map<String, ::serde_json::Value>,"
        ));
        w.close("}");
    });
    w.block_item(format_args!("impl {name} {{"), |w| {
        w.unit(Container::Impl, |w| constructor(w, def, fields));
        for f in fields.iter().filter(|f| !f.read_only) {
            w.unit(Container::Impl, |w| setter(w, f));
        }
    });
    if has_sensitive {
        w.unit(Container::File, |w| redacting_debug(w, name, fields));
    }
    w.unit(Container::File, |w| {
        model_impl(w, def, fields, scim_schema, paths)
    });
}

/// `impl Model`: the facts the runtime uses when the struct is a request
/// body, as data.
fn model_impl(
    w: &mut Writer,
    def: &TypeDef,
    fields: &[Field],
    scim_schema: Option<&str>,
    paths: &Paths,
) {
    let runtime = &paths.runtime;
    let mut calls = Vec::new();
    if let Some(urn) = scim_schema {
        calls.push((".schema", vec![Arg::Text(Lit(urn).to_string())]));
    }
    let keys = |pick: fn(&Field) -> bool| -> Vec<String> {
        fields
            .iter()
            .filter(|f| pick(f))
            .map(|f| Lit(&f.wire_name).to_string())
            .collect()
    };
    for (method, keys) in [
        (".extensions", keys(|f| f.extension)),
        (".read_only", keys(|f| f.read_only)),
    ] {
        if !keys.is_empty() {
            calls.push((method, vec![Arg::Array(keys)]));
        }
    }
    w.open(format_args!("impl {runtime}::Model for {} {{", def.name));
    w.unit(Container::Impl, |w| {
        let head = format!("const INFO: {runtime}::ModelInfo = ");
        let receiver = format!("{runtime}::ModelInfo::new");
        let name = [Arg::Text(Lit(&def.name).to_string())];
        if calls.is_empty() {
            w.list(
                &format!("{head}{receiver}("),
                &[Lit(&def.name).to_string()],
                ");",
                true,
            );
        } else {
            w.chain(&head, (&receiver, &name), &calls, ";");
        }
    });
    w.close("}");
}

/// What happens to the struct when it is sent, when that is more than
/// serialising it.
fn request_body_doc(fields: &[Field], scim_schema: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(urn) = scim_schema {
        out.push(format!(
            "Sent as a request body, `schemas` lists `{urn}` and the URN of every extension \
             present, unless the value already lists them."
        ));
    }
    let read_only: Vec<String> = fields
        .iter()
        .filter(|f| f.read_only)
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    if !read_only.is_empty() {
        out.push(format!(
            "Read-only attributes ({}) are left out of request bodies: the server sets them.",
            read_only.join(", ")
        ));
    }
    out
}

fn field_def(w: &mut Writer, f: &Field) {
    w.doc(&field_doc(f));
    let serde = [
        format!("rename = {}", Lit(&f.wire_name)),
        "default".to_owned(),
        "skip_serializing_if = \"Option::is_none\"".to_owned(),
    ];
    w.list("#[serde(", &serde, ")]", false);
    let ty = rust_type(&f.ty, "").to_string();
    w.list(&format!("pub {}: Option<", f.rust_name), &[ty], ">,", true);
}

/// `new(required…)`: every required attribute is an argument.
fn constructor(w: &mut Writer, def: &TypeDef, fields: &[Field]) {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params: Vec<String> = required
        .iter()
        .map(|f| format!("{}: {}", f.rust_name, field_arg(f)))
        .collect();
    let mut inits: Vec<String> = fields
        .iter()
        .map(|f| match (f.required, takes_into(f)) {
            (true, true) => format!("{0}: Some({0}.into())", f.rust_name),
            (true, false) => format!("{0}: Some({0})", f.rust_name),
            (false, _) => format!("{}: None", f.rust_name),
        })
        .collect();
    inits.push(format!("{CATCH_ALL_FIELD}: ::serde_json::Map::new()"));
    let text = if required.is_empty() {
        format!(
            "Creates an empty `{}`; set the attributes you need on the result.",
            def.name
        )
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.wire_name))
            .collect();
        format!(
            "Creates a `{}` from its required attributes ({}); every optional attribute starts unset.",
            def.name,
            names.join(", ")
        )
    };
    w.doc(&text);
    w.open_fn("pub fn new(", &params, ") -> Self {");
    w.struct_literal("Self", &inits, "");
    w.close("}");
}

/// Whether the constructor and setter take `f` as `impl Into<String>`,
/// converting it with `.into()`.
fn takes_into(f: &Field) -> bool {
    matches!(f.ty, TypeRef::String | TypeRef::DateTime)
}

/// The argument type the constructor and setter take for `f`.
fn field_arg(f: &Field) -> String {
    if takes_into(f) {
        "impl Into<String>".to_owned()
    } else {
        rust_type(&f.ty, "").to_string()
    }
}

/// `with_x(value)`, for building values in one expression.
fn setter(w: &mut Writer, f: &Field) {
    w.doc(&format!(
        "Sets `{}` and returns `self`, for building values in one expression.",
        f.wire_name
    ));
    w.line("#[must_use]");
    let setter = f.rust_name.trim_end_matches('_');
    let conv = if takes_into(f) {
        "value.into()"
    } else {
        "value"
    };
    let params = ["mut self".to_owned(), format!("value: {}", field_arg(f))];
    w.open_fn(&format!("pub fn with_{setter}("), &params, ") -> Self {");
    w.list(
        &format!("self.{} = Some(", f.rust_name),
        &[conv],
        ");",
        true,
    );
    w.line("self");
    w.close("}");
}

/// A `Debug` that shows sensitive fields as `<redacted>`.
fn redacting_debug(w: &mut Writer, name: &str, fields: &[Field]) {
    w.open(format_args!("impl std::fmt::Debug for {name} {{"));
    w.unit(Container::Impl, |w| {
        w.open(format_args!(
            "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{"
        ));
        // The chain is always too wide for one line: prettyplease lays it out.
        let mut chain = format!("f.debug_struct(stringify!({name}))");
        for f in fields {
            let label = Lit(&f.rust_name);
            if f.sensitive {
                let redacted = "map(|_| \"<redacted>\")";
                chain.push_str(&format!(
                    ".field({label}, &self.{}.as_ref().{redacted})",
                    f.rust_name
                ));
            } else {
                chain.push_str(&format!(".field({label}, &self.{})", f.rust_name));
            }
        }
        chain.push_str(&format!(
            ".field({}, &self.{CATCH_ALL_FIELD}).finish()",
            Lit(CATCH_ALL_FIELD)
        ));
        w.line(&chain);
        w.close("}");
    });
    w.close("}");
}
