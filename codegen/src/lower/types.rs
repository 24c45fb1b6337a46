//! Schemas used in place (fields, bodies, responses) → [`TypeRef`], and
//! string enums → [`Variant`]s.

use super::context::{Context, non_empty};
use crate::error::Error;
use crate::ir::{TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::{CATCH_ALL_VARIANT, distinct, pascal_case};
use openapiv3::{
    ArrayType, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::BTreeSet;

/// The Rust name and document origin (`Model.property`) an inline string
/// enum gets when it becomes a named type.
#[derive(Clone, Copy)]
pub(super) struct InlineEnumName<'n> {
    pub(super) name: &'n str,
    pub(super) origin: &'n str,
    /// The struct declaring the property.
    pub(super) owner: &'n str,
}

/// The type of a schema used in place. With `enum_name`, an inline string
/// enum becomes a new named type; without it, inline enums are plain strings.
pub(super) fn type_ref(
    cx: &mut Context<'_>,
    schema: &ReferenceOr<Box<Schema>>,
    pointer: &str,
    enum_name: Option<InlineEnumName<'_>>,
) -> Result<TypeRef, Error> {
    let schema = match schema {
        ReferenceOr::Reference { reference } => return cx.named_ref(reference, pointer),
        ReferenceOr::Item(s) => s,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => string_type(cx, schema, s, pointer, enum_name),
        SchemaKind::Type(Type::Integer(i)) => Ok(match &i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        }),
        SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::F64),
        SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
        SchemaKind::Type(Type::Array(array)) => list_type(cx, array, pointer, enum_name),
        SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => Ok(TypeRef::Any),
        SchemaKind::Any(any)
            if any.properties.is_empty()
                && any.typ.is_none()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty() =>
        {
            Ok(TypeRef::Any)
        }
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            let only = match &all_of[0] {
                ReferenceOr::Reference { reference } => return cx.named_ref(reference, pointer),
                ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s.clone())),
            };
            type_ref(cx, &only, &format!("{pointer}/allOf/0"), enum_name)
        }
        other => Err(Error::unsupported(pointer, refusal(other))),
    }
}

/// Why a schema kind that [`type_ref`] does not handle is refused.
fn refusal(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Type(Type::Object(_)) => {
            "inline object schemas with properties are not supported; move it to components/schemas"
        }
        SchemaKind::OneOf { .. } => "`oneOf` is not supported",
        SchemaKind::AnyOf { .. } => "`anyOf` is not supported",
        SchemaKind::AllOf { .. } => "`allOf` with more than one member is not supported",
        SchemaKind::Not { .. } => "`not` is not supported",
        _ => "schema mixes keywords of several types",
    }
}

fn string_type(
    cx: &mut Context<'_>,
    schema: &Schema,
    string: &StringType,
    pointer: &str,
    enum_name: Option<InlineEnumName<'_>>,
) -> Result<TypeRef, Error> {
    if let Some(named) = enum_name.filter(|_| !string.enumeration.is_empty()) {
        let variants = enum_variants(&string.enumeration, pointer)?;
        let name = cx.add_inline_type(TypeDef {
            name: named.name.to_owned(),
            origin: named.origin.to_owned(),
            owner: Some(named.owner.to_owned()),
            description: non_empty(&schema.schema_data.description),
            kind: TypeKind::Enum { variants },
        });
        return Ok(TypeRef::Named(name));
    }
    match &string.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ok(TypeRef::DateTime),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte) => Err(
            Error::unsupported(pointer, "binary string formats are not supported"),
        ),
        _ => Ok(TypeRef::String),
    }
}

fn list_type(
    cx: &mut Context<'_>,
    array: &ArrayType,
    pointer: &str,
    enum_name: Option<InlineEnumName<'_>>,
) -> Result<TypeRef, Error> {
    let items = array
        .items
        .as_ref()
        .ok_or_else(|| Error::unsupported(pointer, "array schema without `items`"))?;
    let item = type_ref(cx, items, &format!("{pointer}/items"), enum_name)?;
    Ok(TypeRef::List(Box::new(item)))
}

/// The variants of a string enum, in document order. Every value gets a
/// variant: a value that would take the catch-all's name is called
/// `UnknownValue`, one without identifier characters `Empty` (for `""`) or
/// `Value`, and values that sanitise alike are numbered (`V2Headed2`).
pub(super) fn enum_variants(
    values: &[Option<String>],
    pointer: &str,
) -> Result<Vec<Variant>, Error> {
    let mut wire_values = Vec::new();
    for value in values {
        let value = value.as_ref().ok_or_else(|| {
            Error::unsupported(pointer, "`null` in a string enum is not supported")
        })?;
        // A repeated value needs no second variant.
        if !wire_values.contains(value) {
            wire_values.push(value.clone());
        }
    }
    let wanted: Vec<String> = wire_values.iter().map(|v| variant_name(v)).collect();
    let taken = BTreeSet::from([CATCH_ALL_VARIANT.to_owned()]);
    let names = distinct(&wanted, &taken, "");
    Ok(wire_values
        .into_iter()
        .zip(names)
        .map(|(wire_value, rust_name)| Variant {
            wire_value,
            rust_name,
        })
        .collect())
}

fn variant_name(value: &str) -> String {
    match pascal_case(value) {
        Some(name) if name == CATCH_ALL_VARIANT => format!("{name}Value"),
        Some(name) => name,
        None if value.is_empty() => "Empty".into(),
        None => "Value".into(),
    }
}

/// A `ReferenceOr<Schema>` (bodies, responses) in the boxed form that
/// [`type_ref`] takes (properties, items).
pub(super) fn boxed(schema: &ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s.clone())),
    }
}
