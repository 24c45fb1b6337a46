//! Lowering: OpenAPI document → [`ir::Api`](crate::ir::Api).
//!
//! Resolves references, chooses Rust names (through [`crate::naming`]) and
//! refuses, with a JSON pointer, anything the emitters could not express.

use crate::error::{Error, pointer_token};
use crate::ir::*;
use crate::naming::{pascal_case, snake_case};
use openapiv3::{
    ArrayType, IntegerFormat, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle,
    ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// Extension on an object schema mapping property keys to the Rust field
/// names to use instead of the derived ones (for URN keys, say).
pub const RUST_NAMES_EXTENSION: &str = "x-rust-names";

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const RESPONSE_PREFIX: &str = "#/components/responses/";
const PARAMETER_PREFIX: &str = "#/components/parameters/";
const REQUEST_BODY_PREFIX: &str = "#/components/requestBodies/";

/// Lowers a parsed document into the IR.
///
/// # Errors
/// [`Error::Unsupported`] naming the JSON pointer of the first construct
/// that cannot be generated.
pub fn lower(doc: &OpenAPI) -> Result<Api, Error> {
    let mut lowerer = Lowerer {
        doc,
        types: BTreeMap::new(),
    };
    lowerer.lower_schemas()?;
    let operations = lowerer.lower_operations()?;
    Ok(Api {
        title: doc.info.title.clone(),
        operations,
        types: lowerer.types.into_values().collect(),
    })
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Named types by Rust name; a BTreeMap keeps the output order stable.
    types: BTreeMap<String, TypeDef>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

impl<'a> Lowerer<'a> {
    fn add_type(&mut self, def: TypeDef, pointer: &str) -> Result<(), Error> {
        if let Some(existing) = self.types.get(&def.name) {
            return Err(Error::unsupported(
                pointer,
                format!(
                    "Rust type name `{}` is also used by `{}`",
                    def.name, existing.origin
                ),
            ));
        }
        self.types.insert(def.name.clone(), def);
        Ok(())
    }

    fn lower_schemas(&mut self) -> Result<(), Error> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        for (key, schema) in &components.schemas {
            let pointer = format!("/components/schemas/{}", pointer_token(key));
            let name = pascal_case(key).ok_or_else(|| {
                Error::unsupported(&pointer, "schema name has no identifier characters")
            })?;
            let schema = match schema {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::unsupported(
                        &pointer,
                        "a schema that is only a $ref (an alias) is not supported",
                    ));
                }
            };
            let description = non_empty(&schema.schema_data.description);
            let kind = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    let overrides = rust_name_overrides(schema, &pointer)?;
                    let mut fields = Vec::new();
                    let mut seen = BTreeSet::new();
                    for (prop_key, prop) in &object.properties {
                        let prop_pointer =
                            format!("{pointer}/properties/{}", pointer_token(prop_key));
                        let rust_name = match overrides.get(prop_key.as_str()) {
                            Some(n) => n.clone(),
                            None => snake_case(prop_key).ok_or_else(|| {
                                Error::unsupported(
                                    &prop_pointer,
                                    "property name has no identifier characters",
                                )
                            })?,
                        };
                        if rust_name == "additional_properties" || !seen.insert(rust_name.clone()) {
                            return Err(Error::unsupported(
                                &prop_pointer,
                                format!(
                                    "Rust field name `{rust_name}` is taken; set it with `{RUST_NAMES_EXTENSION}`"
                                ),
                            ));
                        }
                        let field = self.lower_field(
                            &name,
                            prop_key,
                            rust_name,
                            prop,
                            object.required.contains(prop_key),
                            &prop_pointer,
                        )?;
                        fields.push(field);
                    }
                    for req in &object.required {
                        if !object.properties.contains_key(req) {
                            return Err(Error::unsupported(
                                format!("{pointer}/required"),
                                format!("`{req}` is required but not a property"),
                            ));
                        }
                    }
                    TypeKind::Struct { fields }
                }
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
            self.add_type(
                TypeDef {
                    name,
                    origin: key.clone(),
                    description,
                    kind,
                },
                &pointer,
            )?;
        }
        Ok(())
    }

    fn lower_field(
        &mut self,
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
                s.schema_data.write_only
                    || matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)),
                constraints(s),
            ),
            ReferenceOr::Reference { .. } => (None, false, false, Vec::new()),
        };
        let enum_name = format!("{model}{}", pascal_case(wire_name).unwrap_or_default());
        let ty = self.type_ref(
            prop,
            pointer,
            Some((&enum_name, &format!("{model}.{wire_name}"))),
        )?;
        Ok(Field {
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

    /// The type of a schema used in place. `enum_name` names an inline string
    /// enum, which becomes a new named type; without it, inline enums are
    /// plain strings.
    fn type_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        enum_name: Option<(&str, &str)>,
    ) -> Result<TypeRef, Error> {
        let schema = match schema {
            ReferenceOr::Reference { reference } => return self.named_ref(reference, pointer),
            ReferenceOr::Item(s) => s,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if let Some((name, origin)) = enum_name.filter(|_| !s.enumeration.is_empty()) {
                    let variants = enum_variants(&s.enumeration, pointer)?;
                    self.add_type(
                        TypeDef {
                            name: name.to_owned(),
                            origin: origin.to_owned(),
                            description: non_empty(&schema.schema_data.description),
                            kind: TypeKind::Enum { variants },
                        },
                        pointer,
                    )?;
                    return Ok(TypeRef::Named(name.to_owned()));
                }
                Ok(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte) => {
                        return Err(Error::unsupported(
                            pointer,
                            "binary string formats are not supported",
                        ));
                    }
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(i)) => Ok(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::F64),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(ArrayType { items, .. })) => {
                let items = items
                    .as_ref()
                    .ok_or_else(|| Error::unsupported(pointer, "array schema without `items`"))?;
                let item_pointer = format!("{pointer}/items");
                Ok(TypeRef::List(Box::new(self.type_ref(
                    items,
                    &item_pointer,
                    enum_name,
                )?)))
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => Ok(TypeRef::Any),
            SchemaKind::Type(Type::Object(_)) => Err(Error::unsupported(
                pointer,
                "inline object schemas with properties are not supported; move it to components/schemas",
            )),
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
                    ReferenceOr::Reference { reference } => {
                        return self.named_ref(reference, pointer);
                    }
                    ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s.clone())),
                };
                self.type_ref(&only, &format!("{pointer}/allOf/0"), enum_name)
            }
            SchemaKind::OneOf { .. } => {
                Err(Error::unsupported(pointer, "`oneOf` is not supported"))
            }
            SchemaKind::AnyOf { .. } => {
                Err(Error::unsupported(pointer, "`anyOf` is not supported"))
            }
            SchemaKind::AllOf { .. } => Err(Error::unsupported(
                pointer,
                "`allOf` with more than one member is not supported",
            )),
            SchemaKind::Not { .. } => Err(Error::unsupported(pointer, "`not` is not supported")),
            SchemaKind::Any(_) => Err(Error::unsupported(
                pointer,
                "schema mixes keywords of several types",
            )),
        }
    }

    fn named_ref(&self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let key = reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
            Error::unsupported(
                pointer,
                format!("only local schema references are supported, got `{reference}`"),
            )
        })?;
        let exists = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(key));
        if !exists {
            return Err(Error::unsupported(
                pointer,
                format!("reference `{reference}` does not resolve"),
            ));
        }
        let name = pascal_case(key).ok_or_else(|| {
            Error::unsupported(pointer, "schema name has no identifier characters")
        })?;
        Ok(TypeRef::Named(name))
    }

    fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        let mut method_names = BTreeSet::new();
        for (path, item) in self.doc.paths.iter() {
            let path_pointer = format!("/paths/{}", pointer_token(path));
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::unsupported(
                        &path_pointer,
                        "path item references are not supported",
                    ));
                }
            };
            let unsupported_methods = [
                ("options", &item.options),
                ("head", &item.head),
                ("trace", &item.trace),
            ];
            for (name, op) in unsupported_methods {
                if op.is_some() {
                    return Err(Error::unsupported(
                        format!("{path_pointer}/{name}"),
                        "only GET, POST, PUT, PATCH and DELETE are supported",
                    ));
                }
            }
            let methods = [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Put, &item.put),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Delete, &item.delete),
                (HttpMethod::Patch, &item.patch),
            ];
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let pointer = format!("{path_pointer}/{}", method.as_str().to_ascii_lowercase());
                let lowered = self.lower_operation(path, method, op, &item.parameters, &pointer)?;
                if !method_names.insert(lowered.method_name.clone()) {
                    return Err(Error::unsupported(
                        &pointer,
                        format!("method name `{}` is used twice", lowered.method_name),
                    ));
                }
                operations.push(lowered);
            }
        }
        Ok(operations)
    }

    fn lower_operation(
        &mut self,
        path: &str,
        http_method: HttpMethod,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Result<Operation, Error> {
        let id = op
            .operation_id
            .clone()
            .ok_or_else(|| Error::unsupported(pointer, "operation has no operationId"))?;
        let method_name = snake_case(&id).ok_or_else(|| {
            Error::unsupported(pointer, "operationId has no identifier characters")
        })?;
        let builder_name = pascal_case(&id).ok_or_else(|| {
            Error::unsupported(pointer, "operationId has no identifier characters")
        })?;

        let mut params = Vec::new();
        let all_params = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    format!(
                        "{}/parameters/{i}",
                        pointer.rsplit_once('/').map_or(pointer, |(a, _)| a)
                    ),
                )
            })
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
            );
        for (param, param_pointer) in all_params {
            let param = self.lower_param(param, &param_pointer)?;
            if params
                .iter()
                .any(|p: &Param| p.rust_name == param.rust_name)
            {
                return Err(Error::unsupported(
                    &param_pointer,
                    format!("parameter name `{}` is used twice", param.rust_name),
                ));
            }
            params.push(param);
        }
        check_path_params(path, &params, pointer)?;
        if params.iter().any(|p| p.rust_name == "body") && op.request_body.is_some() {
            return Err(Error::unsupported(
                pointer,
                "a parameter named `body` clashes with the request body",
            ));
        }

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let body_pointer = format!("{pointer}/requestBody");
                let rb = match rb {
                    ReferenceOr::Item(rb) => rb,
                    ReferenceOr::Reference { reference } => {
                        self.resolve(reference, REQUEST_BODY_PREFIX, &body_pointer, |c, k| {
                            c.request_bodies.get(k)
                        })?
                    }
                };
                let (content_type, schema) =
                    json_content(&rb.content, &body_pointer)?.ok_or_else(|| {
                        Error::unsupported(&body_pointer, "request body has no JSON media type")
                    })?;
                let ty = self.type_ref(
                    &boxed(schema),
                    &format!(
                        "{body_pointer}/content/{}/schema",
                        pointer_token(content_type)
                    ),
                    None,
                )?;
                Some(Body {
                    ty,
                    required: rb.required,
                    content_type: content_type.to_owned(),
                    description: non_empty(&rb.description),
                })
            }
        };

        let mut responses = Vec::new();
        let cases = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (code, response) in cases {
            let status = match code {
                Some(openapiv3::StatusCode::Code(c)) => Status::Code(*c),
                Some(openapiv3::StatusCode::Range(r)) => {
                    return Err(Error::unsupported(
                        format!("{pointer}/responses/{r}XX"),
                        "status ranges are not supported",
                    ));
                }
                None => Status::Default,
            };
            let key = match status {
                Status::Code(c) => c.to_string(),
                Status::Default => "default".into(),
            };
            let resp_pointer = format!("{pointer}/responses/{key}");
            let response = match response {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    self.resolve(reference, RESPONSE_PREFIX, &resp_pointer, |c, k| {
                        c.responses.get(k)
                    })?
                }
            };
            let body = match json_content(&response.content, &resp_pointer)? {
                None if response.content.is_empty() => None,
                None => {
                    return Err(Error::unsupported(
                        &resp_pointer,
                        "response has content but no JSON media type",
                    ));
                }
                Some((media, schema)) => Some(self.type_ref(
                    &boxed(schema),
                    &format!("{resp_pointer}/content/{}/schema", pointer_token(media)),
                    None,
                )?),
            };
            if matches!(status, Status::Code(204 | 304)) && body.is_some() {
                return Err(Error::unsupported(
                    &resp_pointer,
                    "204 and 304 responses cannot have a body",
                ));
            }
            responses.push(ResponseCase {
                status,
                body,
                description: response.description.trim().to_owned(),
            });
        }
        responses.sort_by_key(|r| r.status);
        let success_bodies: BTreeSet<_> = responses
            .iter()
            .filter(|r| r.status.is_success() && r.body.is_some())
            .map(|r| format!("{:?}", r.body))
            .collect();
        if success_bodies.len() > 1 {
            return Err(Error::unsupported(
                format!("{pointer}/responses"),
                "success responses with different body types are not supported",
            ));
        }
        if !responses.iter().any(|r| r.status.is_success()) {
            return Err(Error::unsupported(
                format!("{pointer}/responses"),
                "operation documents no 2xx response",
            ));
        }

        let mut operation = Operation {
            id,
            method_name,
            builder_name,
            http_method,
            path: path.to_owned(),
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            params,
            body,
            responses,
            pagination: None,
        };
        operation.pagination = self.pagination(&operation);
        Ok(operation)
    }

    /// Recognises a SCIM list operation: an optional integer `startIndex`
    /// query parameter and a success body with `Resources` (a list) and
    /// `totalResults` (an integer).
    fn pagination(&self, op: &Operation) -> Option<Pagination> {
        let start = op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && p.wire_name == "startIndex"
                && !p.required
                && matches!(p.ty, ParamType::I32 | ParamType::I64)
        })?;
        let TypeRef::Named(page_type) = op.success_type()? else {
            return None;
        };
        let TypeKind::Struct { fields } = &self.types.get(page_type)?.kind else {
            return None;
        };
        let items = fields.iter().find(|f| f.wire_name == "Resources")?;
        let TypeRef::List(item_type) = &items.ty else {
            return None;
        };
        let total = fields.iter().find(|f| {
            f.wire_name == "totalResults" && matches!(f.ty, TypeRef::I32 | TypeRef::I64)
        })?;
        Some(Pagination {
            start_param: start.rust_name.clone(),
            start_type: start.ty,
            items_field: items.rust_name.clone(),
            item_type: (**item_type).clone(),
            total_field: int_field(total),
            echoed_start_field: fields
                .iter()
                .find(|f| {
                    f.wire_name == "startIndex" && matches!(f.ty, TypeRef::I32 | TypeRef::I64)
                })
                .map(int_field),
        })
    }

    fn resolve<T>(
        &self,
        reference: &str,
        prefix: &str,
        pointer: &str,
        section: impl Fn(&'a openapiv3::Components, &str) -> Option<&'a ReferenceOr<T>>,
    ) -> Result<&'a T, Error> {
        let key = reference.strip_prefix(prefix).ok_or_else(|| {
            Error::unsupported(
                pointer,
                format!("expected a reference into `{prefix}`, got `{reference}`"),
            )
        })?;
        match self.doc.components.as_ref().and_then(|c| section(c, key)) {
            Some(ReferenceOr::Item(item)) => Ok(item),
            Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                pointer,
                "chained references are not supported",
            )),
            None => Err(Error::unsupported(
                pointer,
                format!("reference `{reference}` does not resolve"),
            )),
        }
    }

    fn lower_param(
        &mut self,
        param: &ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<Param, Error> {
        let param = match param {
            ReferenceOr::Item(p) => p,
            ReferenceOr::Reference { reference } => {
                self.resolve(reference, PARAMETER_PREFIX, pointer, |c, k| {
                    c.parameters.get(k)
                })?
            }
        };
        let (data, location) = match param {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
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
                (parameter_data, ParamLocation::Query)
            }
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { .. } => {
                return Err(Error::unsupported(
                    pointer,
                    "cookie parameters are not supported",
                ));
            }
        };
        let rust_name = snake_case(&data.name).ok_or_else(|| {
            Error::unsupported(pointer, "parameter name has no identifier characters")
        })?;
        let schema_pointer = format!("{pointer}/schema");
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => s,
            ParameterSchemaOrContent::Schema(ReferenceOr::Reference { .. }) => {
                return Err(Error::unsupported(
                    &schema_pointer,
                    "parameter schemas must be inline",
                ));
            }
            ParameterSchemaOrContent::Content(_) => {
                return Err(Error::unsupported(
                    pointer,
                    "parameters with `content` are not supported",
                ));
            }
        };
        let mut known_values = Vec::new();
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                known_values = s.enumeration.iter().flatten().cloned().collect();
                ParamType::String
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
                match a.items.as_ref() {
                    Some(ReferenceOr::Item(item)) => match &item.schema_kind {
                        SchemaKind::Type(Type::String(s)) => {
                            known_values = s.enumeration.iter().flatten().cloned().collect();
                        }
                        _ => {
                            return Err(Error::unsupported(
                                format!("{schema_pointer}/items"),
                                "only arrays of strings are supported as parameters",
                            ));
                        }
                    },
                    _ => {
                        return Err(Error::unsupported(
                            format!("{schema_pointer}/items"),
                            "array parameter items must be an inline string schema",
                        ));
                    }
                }
                ParamType::CsvList
            }
            _ => {
                return Err(Error::unsupported(
                    &schema_pointer,
                    "parameter type is not supported",
                ));
            }
        };
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
}

fn int_field(field: &Field) -> IntField {
    IntField {
        rust_name: field.rust_name.clone(),
        ty: field.ty.clone(),
    }
}

fn boxed(schema: &ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s.clone())),
    }
}

/// The first JSON media type (`application/json`, `application/scim+json`, …)
/// of a content map, with its schema.
fn json_content<'c>(
    content: impl IntoIterator<Item = (&'c String, &'c openapiv3::MediaType)>,
    pointer: &str,
) -> Result<Option<(&'c str, &'c ReferenceOr<Schema>)>, Error> {
    for (media, value) in content {
        let essence = media
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            let schema = value.schema.as_ref().ok_or_else(|| {
                Error::unsupported(
                    format!("{pointer}/content/{}", pointer_token(media)),
                    "media type without a schema",
                )
            })?;
            return Ok(Some((media.as_str(), schema)));
        }
    }
    Ok(None)
}

fn enum_variants(values: &[Option<String>], pointer: &str) -> Result<Vec<Variant>, Error> {
    let mut variants: Vec<Variant> = Vec::new();
    for value in values {
        let value = value.as_ref().ok_or_else(|| {
            Error::unsupported(pointer, "`null` in a string enum is not supported")
        })?;
        let rust_name = pascal_case(value).ok_or_else(|| {
            Error::unsupported(
                pointer,
                format!("enum value `{value}` has no identifier characters"),
            )
        })?;
        if rust_name == "Unknown" || variants.iter().any(|v| v.rust_name == rust_name) {
            return Err(Error::unsupported(
                pointer,
                format!("enum value `{value}` maps to a variant name that is already taken"),
            ));
        }
        variants.push(Variant {
            wire_value: value.clone(),
            rust_name,
        });
    }
    Ok(variants)
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

fn check_path_params(path: &str, params: &[Param], pointer: &str) -> Result<(), Error> {
    let mut in_template = BTreeSet::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| Error::unsupported(pointer, "path template has an unclosed `{`"))?;
        in_template.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    let declared: BTreeSet<&str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.wire_name.as_str())
        .collect();
    if in_template != declared {
        return Err(Error::unsupported(
            pointer,
            format!("path template names {in_template:?} but path parameters are {declared:?}"),
        ));
    }
    Ok(())
}
