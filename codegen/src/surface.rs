//! A compact, line-per-item text view of the IR, for snapshot tests: a spec
//! change shows up as a small readable diff.

use crate::emit::types_for_surface as doc_type;
use crate::ir::{
    Api, Field, Operation, Pagination, Param, ParamLocation, ParamType, TypeDef, TypeKind,
};
use std::fmt::Write;

/// One line per operation, parameter, body, response, type, field and enum.
pub fn surface(api: &Api) -> String {
    let mut out = String::new();
    for op in &api.operations {
        operation(&mut out, op);
    }
    for ty in &api.types {
        type_def(&mut out, ty);
    }
    out
}

fn operation(out: &mut String, op: &Operation) {
    let _ = writeln!(
        out,
        "op {} = {} {} -> {}",
        op.method_name,
        op.http_method.as_str(),
        op.path,
        op.success_type().map_or_else(|| "()".to_owned(), doc_type)
    );
    for p in &op.params {
        let _ = writeln!(out, "{}", param(op, p));
    }
    if let Some(b) = &op.body {
        let _ = writeln!(
            out,
            "  body {}{} as {}",
            doc_type(&b.ty),
            if b.required { " required" } else { "" },
            b.content_type
        );
    }
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| match &r.body {
            Some(t) => format!("{}:{}", r.status, doc_type(t)),
            None => r.status.to_string(),
        })
        .collect();
    let _ = writeln!(out, "  responses {}", statuses.join(" "));
    if let Some(get) = &op.read_back {
        let _ = writeln!(out, "  after 204 reads back with {get}");
    }
    match &op.pagination {
        Some(Pagination::StartIndex(pg)) => {
            let _ = writeln!(
                out,
                "  pages by {} over {}: {}",
                pg.start_param,
                pg.items_field,
                doc_type(&pg.item_type)
            );
        }
        None => {}
    }
}

fn param(op: &Operation, p: &Param) -> String {
    let loc = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let ty = match p.ty {
        ParamType::String => "String",
        ParamType::I32 => "i32",
        ParamType::I64 => "i64",
        ParamType::F64 => "f64",
        ParamType::Bool => "bool",
        ParamType::CsvList => "csv[String]",
        ParamType::ETag => "etag",
    };
    let mut line = format!("  {loc} {}: {ty}", p.wire_name);
    if p.required {
        line.push_str(" required");
    }
    if let Some(d) = &p.default {
        let _ = write!(line, " default={d}");
    }
    if !p.known_values.is_empty() {
        let _ = write!(line, " values={}", p.known_values.len());
    }
    if p.is_if_none_match() && op.is_conditional() {
        line.push_str(" conditional");
    }
    line
}

fn type_def(out: &mut String, ty: &TypeDef) {
    match &ty.kind {
        TypeKind::Struct {
            fields,
            scim_schema,
        } => {
            let schema = scim_schema
                .as_ref()
                .map(|s| format!(" schema {s}"))
                .unwrap_or_default();
            let _ = writeln!(out, "struct {} ({}){schema}", ty.name, ty.origin);
            for f in fields {
                let _ = writeln!(out, "{}", field(f));
            }
        }
        TypeKind::Enum { variants } => {
            let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
            let _ = writeln!(
                out,
                "enum {} ({}) = {}",
                ty.name,
                ty.origin,
                values.join(" | ")
            );
        }
    }
}

fn field(f: &Field) -> String {
    let mut flags = String::new();
    if f.required {
        flags.push_str(" required");
    }
    if f.read_only {
        flags.push_str(" read-only");
    }
    if f.sensitive {
        flags.push_str(" sensitive");
    }
    if f.extension {
        flags.push_str(" extension");
    }
    for c in &f.constraints {
        let _ = write!(flags, " [{c}]");
    }
    format!(
        "  {} {:?}: {}{flags}",
        f.rust_name,
        f.wire_name,
        doc_type(&f.ty)
    )
}
