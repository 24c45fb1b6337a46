//! Operation parameters → [`Param`].

use super::context::{Context, PARAMETER_PREFIX, non_empty};
use crate::error::Error;
use crate::ir::{Param, ParamLocation, ParamType};
use crate::naming::snake_case;
use openapiv3::{
    ArrayType, IntegerFormat, Parameter, ParameterData, ParameterSchemaOrContent, QueryStyle,
    ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

/// Lowers one parameter, following a reference into `components/parameters`.
pub(super) fn lower_param(
    cx: &Context<'_>,
    param: &ReferenceOr<Parameter>,
    pointer: &str,
) -> Result<Param, Error> {
    let param = cx.resolve(param, PARAMETER_PREFIX, pointer, |c, k| c.parameters.get(k))?;
    let (data, location) = location(param, pointer)?;
    let rust_name = snake_case(&data.name).unwrap_or_else(|| "param".into());
    let schema = inline_schema(data, pointer)?;
    let (mut ty, known_values) = param_type(data, schema, location, pointer)?;
    if ty == ParamType::String && location == ParamLocation::Header && !data.required {
        let name = data.name.as_str();
        if name.eq_ignore_ascii_case("If-Match") || name.eq_ignore_ascii_case("If-None-Match") {
            ty = ParamType::ETag;
        }
    }
    if location == ParamLocation::Path && !data.required {
        return Err(Error::unsupported(
            pointer,
            "path parameters must be required",
        ));
    }
    Ok(Param {
        wire_name: data.name.clone(),
        rust_name,
        location,
        required: data.required,
        ty,
        default: schema.schema_data.default.clone(),
        known_values,
        description: non_empty(&data.description),
    })
}

fn location<'p>(
    param: &'p Parameter,
    pointer: &str,
) -> Result<(&'p ParameterData, ParamLocation), Error> {
    match param {
        Parameter::Path { parameter_data, .. } => Ok((parameter_data, ParamLocation::Path)),
        Parameter::Query {
            parameter_data,
            style,
            allow_reserved,
            ..
        } => {
            if *allow_reserved {
                return Err(Error::unsupported(
                    pointer,
                    "`allowReserved` is not supported",
                ));
            }
            if !matches!(style, QueryStyle::Form) {
                return Err(Error::unsupported(
                    pointer,
                    "only `style: form` query parameters are supported",
                ));
            }
            Ok((parameter_data, ParamLocation::Query))
        }
        Parameter::Header { parameter_data, .. } => Ok((parameter_data, ParamLocation::Header)),
        Parameter::Cookie { .. } => Err(Error::unsupported(
            pointer,
            "cookie parameters are not supported",
        )),
    }
}

fn inline_schema<'p>(data: &'p ParameterData, pointer: &str) -> Result<&'p Schema, Error> {
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => Ok(s),
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
            format!("{pointer}/schema"),
            "parameter schemas must be inline",
        )),
        ParameterSchemaOrContent::Content(_) => Err(Error::unsupported(
            pointer,
            "parameters with `content` are not supported",
        )),
    }
}

/// The parameter's type, and the values it documents (string enums only).
fn param_type(
    data: &ParameterData,
    schema: &Schema,
    location: ParamLocation,
    pointer: &str,
) -> Result<(ParamType, Vec<String>), Error> {
    let ty = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            return Ok((
                ParamType::String,
                s.enumeration.iter().flatten().cloned().collect(),
            ));
        }
        SchemaKind::Type(Type::Integer(i)) => match &i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => ParamType::I32,
            _ => ParamType::I64,
        },
        SchemaKind::Type(Type::Number(_)) => ParamType::F64,
        SchemaKind::Type(Type::Boolean(_)) => ParamType::Bool,
        SchemaKind::Type(Type::Array(a)) => {
            if location != ParamLocation::Query || data.explode != Some(false) {
                return Err(Error::unsupported(
                    pointer,
                    "array parameters are supported only in the query with `style: form, explode: false`",
                ));
            }
            return Ok((ParamType::CsvList, csv_values(a, pointer)?));
        }
        _ => {
            return Err(Error::unsupported(
                format!("{pointer}/schema"),
                "parameter type is not supported",
            ));
        }
    };
    Ok((ty, Vec::new()))
}

/// The documented values of a comma-separated list's items, which must be
/// inline strings.
fn csv_values(array: &ArrayType, pointer: &str) -> Result<Vec<String>, Error> {
    let items_pointer = format!("{pointer}/schema/items");
    match array.items.as_ref() {
        Some(ReferenceOr::Item(item)) => match &item.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                Ok(s.enumeration.iter().flatten().cloned().collect())
            }
            _ => Err(Error::unsupported(
                items_pointer,
                "only arrays of strings are supported as parameters",
            )),
        },
        _ => Err(Error::unsupported(
            items_pointer,
            "array parameter items must be an inline string schema",
        )),
    }
}
