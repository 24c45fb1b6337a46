//! Paths and their methods → [`Operation`]s: names, parameters, request
//! body and responses.

use super::context::{Context, REQUEST_BODY_PREFIX, RESPONSE_PREFIX, non_empty};
use super::params::lower_param;
use super::types::{boxed, type_ref};
use crate::error::{Error, pointer_token};
use crate::ir::{
    Body, BodyEncoding, HttpMethod, Operation, Param, ParamLocation, ResponseCase, Status, TypeRef,
};
use crate::naming::{RESERVED_TYPE_NAMES, distinct, pascal_case, snake_case};
use openapiv3::{MediaType, Parameter, PathItem, ReferenceOr, Response, Schema, StatusCode};
use std::collections::BTreeSet;

/// Every operation of the document, in path order then method order.
pub(super) fn lower_operations(cx: &mut Context<'_>) -> Result<Vec<Operation>, Error> {
    let mut operations = Vec::new();
    for (path, item) in cx.doc.paths.iter() {
        let path_pointer = format!("/paths/{}", pointer_token(path));
        let ReferenceOr::Item(item) = item else {
            return Err(Error::unsupported(
                &path_pointer,
                "path item references are not supported",
            ));
        };
        for (method, op) in methods(item, &path_pointer)? {
            let pointer = format!("{path_pointer}/{}", method.as_str().to_ascii_lowercase());
            operations.push(lower_operation(
                cx,
                path,
                method,
                op,
                &item.parameters,
                &pointer,
            )?);
        }
    }
    name_operations(&mut operations);
    Ok(operations)
}

/// Gives operations whose ids sanitise alike (`getUser`, `get_user`)
/// distinct method and builder names, numbered in document order.
fn name_operations(operations: &mut [Operation]) {
    let methods: Vec<String> = operations.iter().map(|o| o.method_name.clone()).collect();
    let builders: Vec<String> = operations.iter().map(|o| o.builder_name.clone()).collect();
    let reserved = RESERVED_TYPE_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let methods = distinct(&methods, &BTreeSet::new(), "_");
    let builders = distinct(&builders, &reserved, "");
    for ((op, method), builder) in operations.iter_mut().zip(methods).zip(builders) {
        op.method_name = method;
        op.builder_name = builder;
    }
}

/// The operations of one path item, refusing methods the runtime lacks.
fn methods<'i>(
    item: &'i PathItem,
    pointer: &str,
) -> Result<Vec<(HttpMethod, &'i openapiv3::Operation)>, Error> {
    let unsupported = [
        ("options", &item.options),
        ("head", &item.head),
        ("trace", &item.trace),
    ];
    if let Some((name, _)) = unsupported.iter().find(|(_, op)| op.is_some()) {
        return Err(Error::unsupported(
            format!("{pointer}/{name}"),
            "only GET, POST, PUT, PATCH and DELETE are supported",
        ));
    }
    let methods = [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Patch, &item.patch),
    ];
    Ok(methods
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
        .collect())
}

fn lower_operation(
    cx: &mut Context<'_>,
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
    let method_name = snake_case(&id).unwrap_or_else(|| "operation".into());
    let builder_name = pascal_case(&id).unwrap_or_else(|| "Operation".into());
    let params = lower_params(cx, op, shared_params, pointer)?;
    check_path_params(path, &params, pointer)?;
    let body = match &op.request_body {
        None => None,
        Some(rb) => Some(request_body(cx, rb, &format!("{pointer}/requestBody"))?),
    };
    let responses = lower_responses(cx, op, pointer)?;
    Ok(Operation {
        id,
        method_name,
        builder_name,
        http_method,
        tag: op.tags.first().cloned(),
        path: path.to_owned(),
        summary: non_empty(&op.summary),
        description: non_empty(&op.description),
        params,
        body,
        responses,
        pagination: None,
        read_back: None,
    })
}

/// Names a builder uses for itself, which a parameter's setter may not take.
const BUILDER_NAMES: [&str; 5] = [
    "client",
    "send",
    "send_with_response",
    "into_pages",
    "into_items",
];

/// Path-item parameters, then the operation's own. Rust names are made
/// distinct from each other and from what the builder uses itself
/// (`client`, `send`, … and `body` when there is a request body).
fn lower_params(
    cx: &Context<'_>,
    op: &openapiv3::Operation,
    shared: &[ReferenceOr<Parameter>],
    pointer: &str,
) -> Result<Vec<Param>, Error> {
    let path_pointer = pointer.rsplit_once('/').map_or(pointer, |(a, _)| a);
    let shared = shared
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")));
    let own = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
    let mut params: Vec<Param> = Vec::new();
    for (param, param_pointer) in shared.chain(own) {
        params.push(lower_param(cx, param, &param_pointer)?);
    }
    let mut taken: BTreeSet<String> = BUILDER_NAMES.iter().map(|n| (*n).to_owned()).collect();
    if op.request_body.is_some() {
        taken.insert("body".into());
    }
    let wanted: Vec<String> = params.iter().map(|p| p.rust_name.clone()).collect();
    for (param, name) in params.iter_mut().zip(distinct(&wanted, &taken, "_")) {
        param.rust_name = name;
    }
    Ok(params)
}

fn request_body(
    cx: &mut Context<'_>,
    body: &ReferenceOr<openapiv3::RequestBody>,
    pointer: &str,
) -> Result<Body, Error> {
    let body = cx.resolve(body, REQUEST_BODY_PREFIX, pointer, |c, k| {
        c.request_bodies.get(k)
    })?;
    let (content_type, schema) = json_content(&body.content, pointer)?
        .ok_or_else(|| Error::unsupported(pointer, "request body has no JSON media type"))?;
    let schema_pointer = format!("{pointer}/content/{}/schema", pointer_token(content_type));
    let ty = type_ref(cx, &boxed(schema), &schema_pointer, None)?;
    let encoding = match &ty {
        TypeRef::Named(name) if cx.is_struct(name) => BodyEncoding::Model,
        _ => BodyEncoding::Json,
    };
    Ok(Body {
        ty,
        required: body.required,
        content_type: content_type.to_owned(),
        encoding,
        description: non_empty(&body.description),
    })
}

/// Every documented response, sorted by status, checked for a usable
/// success case.
fn lower_responses(
    cx: &mut Context<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<Vec<ResponseCase>, Error> {
    let cases = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| (Some(code), r))
        .chain(op.responses.default.iter().map(|r| (None, r)));
    let mut responses = Vec::new();
    for (code, response) in cases {
        responses.push(response_case(cx, code, response, pointer)?);
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
    Ok(responses)
}

fn response_case(
    cx: &mut Context<'_>,
    code: Option<&StatusCode>,
    response: &ReferenceOr<Response>,
    pointer: &str,
) -> Result<ResponseCase, Error> {
    let status = match code {
        Some(StatusCode::Code(c)) => Status::Code(*c),
        Some(StatusCode::Range(r)) => {
            return Err(Error::unsupported(
                format!("{pointer}/responses/{r}XX"),
                "status ranges are not supported",
            ));
        }
        None => Status::Default,
    };
    let pointer = format!("{pointer}/responses/{status}");
    let response = cx.resolve(response, RESPONSE_PREFIX, &pointer, |c, k| {
        c.responses.get(k)
    })?;
    let body = match json_content(&response.content, &pointer)? {
        None if response.content.is_empty() => None,
        None => {
            return Err(Error::unsupported(
                &pointer,
                "response has content but no JSON media type",
            ));
        }
        Some((media, schema)) => {
            let schema_pointer = format!("{pointer}/content/{}/schema", pointer_token(media));
            Some(type_ref(cx, &boxed(schema), &schema_pointer, None)?)
        }
    };
    if matches!(status, Status::Code(204 | 304)) && body.is_some() {
        return Err(Error::unsupported(
            &pointer,
            "204 and 304 responses cannot have a body",
        ));
    }
    Ok(ResponseCase {
        status,
        body,
        description: response.description.trim().to_owned(),
    })
}

/// The first JSON media type (`application/json`, `application/scim+json`, …)
/// of a content map, with its schema.
fn json_content<'c>(
    content: impl IntoIterator<Item = (&'c String, &'c MediaType)>,
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

/// The `{name}` segments of the template and the declared path parameters
/// must be the same set.
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
