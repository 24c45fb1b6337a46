//! `components/schemas` → named types: structs with fields, string enums.

use super::context::{Context, non_empty};
use super::types::{InlineEnumName, enum_variants, type_ref};
use crate::error::{Error, pointer_token};
use crate::ir::{Field, TypeDef, TypeKind};
use crate::naming::{CATCH_ALL_FIELD, distinct, pascal_case, snake_case};
use openapiv3::{
    ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// Extension on an object schema mapping property keys to the Rust field
/// names to use instead of the derived ones (for URN keys, say).
pub const RUST_NAMES_EXTENSION: &str = "x-rust-names";

/// Extension on an object schema naming its core SCIM schema URN, which
/// request bodies of the model list in `schemas` (RFC 7643 §3).
pub const SCIM_SCHEMA_EXTENSION: &str = "x-scim-schema";

/// Lowers every component schema into a named type.
pub(super) fn lower_schemas(cx: &mut Context<'_>) -> Result<(), Error> {
    let Some(components) = &cx.doc.components else {
        return Ok(());
    };
    for (key, schema) in &components.schemas {
        let pointer = format!("/components/schemas/{}", pointer_token(key));
        let name = cx.schema_name(key).unwrap_or_default().to_owned();
        let ReferenceOr::Item(schema) = schema else {
            return Err(Error::unsupported(
                &pointer,
                "a schema that is only a $ref (an alias) is not supported",
            ));
        };
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => TypeKind::Struct {
                fields: lower_fields(cx, &name, schema, object, &pointer)?,
                scim_schema: scim_schema(schema, &pointer)?,
            },
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => TypeKind::Enum {
                variants: enum_variants(&s.enumeration, &pointer)?,
            },
            _ => {
                return Err(Error::unsupported(
                    &pointer,
                    "only object schemas and string enums can be named types",
                ));
            }
        };
        let def = TypeDef {
            name,
            origin: key.clone(),
            owner: None,
            description: non_empty(&schema.schema_data.description),
            kind,
        };
        cx.add_schema_type(def);
    }
    Ok(())
}

fn lower_fields(
    cx: &mut Context<'_>,
    model: &str,
    schema: &Schema,
    object: &ObjectType,
    pointer: &str,
) -> Result<Vec<Field>, Error> {
    let overrides = rust_name_overrides(schema, pointer)?;
    let wanted: Vec<String> = object
        .properties
        .keys()
        .map(|key| match overrides.get(key.as_str()) {
            Some(name) => name.clone(),
            None => snake_case(key).unwrap_or_else(|| "field".into()),
        })
        .collect();
    let names = distinct(&wanted, &BTreeSet::from([CATCH_ALL_FIELD.to_owned()]), "_");
    let mut fields = Vec::new();
    for ((key, prop), rust_name) in object.properties.iter().zip(names) {
        let prop_pointer = format!("{pointer}/properties/{}", pointer_token(key));
        let required = object.required.contains(key);
        let field = lower_field(cx, model, key, rust_name, prop, required, &prop_pointer)?;
        fields.push(field);
    }
    if let Some(req) = object
        .required
        .iter()
        .find(|r| !object.properties.contains_key(*r))
    {
        return Err(Error::unsupported(
            format!("{pointer}/required"),
            format!("`{req}` is required but not a property"),
        ));
    }
    Ok(fields)
}

fn lower_field(
    cx: &mut Context<'_>,
    model: &str,
    wire_name: &str,
    rust_name: String,
    prop: &ReferenceOr<Box<Schema>>,
    required: bool,
    pointer: &str,
) -> Result<Field, Error> {
    let (description, read_only, sensitive, constraints) = match prop {
        ReferenceOr::Item(s) => (
            non_empty(&s.schema_data.description),
            s.schema_data.read_only,
            is_sensitive(s),
            constraints(s),
        ),
        ReferenceOr::Reference { .. } => (None, false, false, Vec::new()),
    };
    let enum_name = format!("{model}{}", pascal_case(wire_name).unwrap_or_default());
    let enum_origin = format!("{model}.{wire_name}");
    let inline_enum = InlineEnumName {
        name: &enum_name,
        origin: &enum_origin,
        owner: model,
    };
    let ty = type_ref(cx, prop, pointer, Some(inline_enum))?;
    Ok(Field {
        extension: wire_name
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:")),
        wire_name: wire_name.to_owned(),
        rust_name,
        ty,
        required,
        read_only,
        sensitive,
        description,
        constraints,
    })
}

/// `writeOnly` or `format: password`: kept out of `Debug` output.
fn is_sensitive(schema: &Schema) -> bool {
    schema.schema_data.write_only
        || matches!(
            &schema.schema_kind,
            SchemaKind::Type(Type::String(t))
                if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
        )
}

fn scim_schema(schema: &Schema, pointer: &str) -> Result<Option<String>, Error> {
    let Some(value) = schema.schema_data.extensions.get(SCIM_SCHEMA_EXTENSION) else {
        return Ok(None);
    };
    match value.as_str() {
        Some(urn) if !urn.trim().is_empty() => Ok(Some(urn.trim().to_owned())),
        _ => Err(Error::unsupported(
            format!("{pointer}/{SCIM_SCHEMA_EXTENSION}"),
            "must be the schema's URN as a string",
        )),
    }
}

fn rust_name_overrides(schema: &Schema, pointer: &str) -> Result<BTreeMap<String, String>, Error> {
    let Some(value) = schema.schema_data.extensions.get(RUST_NAMES_EXTENSION) else {
        return Ok(BTreeMap::new());
    };
    let ext_pointer = format!("{pointer}/{RUST_NAMES_EXTENSION}");
    let object = value.as_object().ok_or_else(|| {
        Error::unsupported(
            &ext_pointer,
            "must be an object of property key → Rust name",
        )
    })?;
    let mut out = BTreeMap::new();
    for (key, name) in object {
        let name = name.as_str().and_then(snake_case).ok_or_else(|| {
            Error::unsupported(
                &ext_pointer,
                format!("`{key}` must map to a snake_case name"),
            )
        })?;
        out.insert(key.clone(), name);
    }
    Ok(out)
}

/// Human-readable limits of a property, for its docs.
fn constraints(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Number(n)) => {
            if let (Some(min), Some(max)) = (n.minimum, n.maximum) {
                out.push(format!("between {min} and {max}"));
            } else if let Some(min) = n.minimum {
                out.push(format!("at least {min}"));
            } else if let Some(max) = n.maximum {
                out.push(format!("at most {max}"));
            }
        }
        SchemaKind::Type(Type::Integer(i)) => {
            if let (Some(min), Some(max)) = (i.minimum, i.maximum) {
                out.push(format!("between {min} and {max}"));
            }
        }
        SchemaKind::Type(Type::Array(a)) => {
            if let Some(max) = a.max_items {
                out.push(format!("at most {max} items"));
            }
        }
        SchemaKind::Type(Type::String(s)) => {
            if let Some(p) = &s.pattern {
                out.push(format!("matches `{p}`"));
            }
        }
        _ => {}
    }
    out
}
