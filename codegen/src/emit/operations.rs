//! Emits `operations.rs`: for each operation, a method on `Client` taking the
//! required parameters, and a request builder with one method per optional
//! parameter and `send()`. All behaviour lives in the runtime.

use super::docs::{doc, doc_lines, escape_markdown};
use super::types::{doc_type, ident, rust_type};
use crate::ir::{Api, IntField, Operation, Param, ParamLocation, ParamType, Status, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit(api: &Api) -> TokenStream {
    let items = api.operations.iter().map(emit_operation);
    quote! {
        //! Request builders, one per API operation, and the `Client` methods
        //! that create them.
        use crate::models;
        #(#items)*
    }
}

fn param_type(ty: ParamType) -> TokenStream {
    match ty {
        ParamType::String => quote!(String),
        ParamType::I32 => quote!(i32),
        ParamType::I64 => quote!(i64),
        ParamType::F64 => quote!(f64),
        ParamType::Bool => quote!(bool),
        ParamType::CsvList => quote!(Vec<String>),
    }
}

/// The argument type a caller passes, and the expression turning it into the stored value.
fn param_arg(p: &Param) -> (TokenStream, TokenStream) {
    let name = ident(&p.rust_name);
    match p.ty {
        ParamType::String => (quote!(impl Into<String>), quote!(#name.into())),
        ParamType::CsvList => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#name.into_iter().map(Into::into).collect()),
        ),
        other => (param_type(other), quote!(#name)),
    }
}

fn param_doc(p: &Param) -> String {
    let mut text = p
        .description
        .as_deref()
        .map(escape_markdown)
        .unwrap_or_else(|| format!("The `{}` parameter.", p.wire_name));
    let place = match p.location {
        ParamLocation::Path => "path segment",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
    };
    text.push_str(&format!("\n\nSent as the `{}` {place}", p.wire_name));
    if p.ty == ParamType::CsvList {
        text.push_str(", comma-separated");
    }
    text.push('.');
    if let Some(default) = &p.default {
        text.push_str(&format!(" The server uses `{default}` when it is not set."));
    }
    if !p.known_values.is_empty() {
        let shown: Vec<String> = p
            .known_values
            .iter()
            .take(12)
            .map(|v| format!("`{v}`"))
            .collect();
        let more = p.known_values.len().saturating_sub(12);
        text.push_str(&format!("\n\nDocumented values: {}", shown.join(", ")));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text.push('.');
    }
    text
}

/// A placeholder argument for the generated usage example.
fn example_arg(p: &Param) -> String {
    match p.ty {
        ParamType::String => match p.known_values.first() {
            Some(v) => format!("{v:?}"),
            None if p.location == ParamLocation::Path => {
                format!("{:?}", format!("{}-value", p.rust_name.replace('_', "-")))
            }
            None => format!("{:?}", "value"),
        },
        ParamType::I32 | ParamType::I64 => "1".into(),
        ParamType::F64 => "1.0".into(),
        ParamType::Bool => "true".into(),
        ParamType::CsvList => "[\"id\"]".into(),
    }
}

fn emit_operation(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let id = &op.id;
    let path = &op.path;
    let http_method = ident(match op.http_method.as_str() {
        "GET" => "Get",
        "POST" => "Post",
        "PUT" => "Put",
        "PATCH" => "Patch",
        _ => "Delete",
    });
    let content_type = match &op.body {
        Some(b) => {
            let ct = &b.content_type;
            quote!(Some(#ct))
        }
        None => quote!(None),
    };
    let models = quote!(models::);
    let output = match op.success_type() {
        Some(ty) => rust_type(ty, &models),
        None => quote!(()),
    };
    let conditional = op.is_conditional();

    // Stored parameters: everything but the If-None-Match header of a
    // conditional operation, which `IfNoneMatch` carries instead.
    let stored: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| !(conditional && p.is_if_none_match()))
        .collect();
    let required: Vec<&Param> = stored.iter().copied().filter(|p| p.required).collect();
    let optional: Vec<&Param> = stored.iter().copied().filter(|p| !p.required).collect();

    // Client method.
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let (ty, _) = param_arg(p);
            quote!(#name: #ty)
        })
        .collect();
    let mut inits: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let (_, conv) = param_arg(p);
            quote!(#name: #conv)
        })
        .collect();
    inits.extend(optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote!(#name: None)
    }));
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, &models);
        if body.required {
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }

    let success_doc = match op.success_type() {
        Some(ty) => format!("On success, `send()` returns `{}`.", doc_type(ty)),
        None => "On success (204 No Content), `send()` returns `()`.".into(),
    };
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| match r.status {
            Status::Code(c) => c.to_string(),
            Status::Default => "default".into(),
        })
        .collect();
    let mut arg_docs = Vec::new();
    for p in &required {
        arg_docs.push(format!(
            "- `{}`: {}",
            p.rust_name,
            param_doc(p).replace("\n\n", " ")
        ));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let text = body
            .description
            .as_deref()
            .map(escape_markdown)
            .unwrap_or_default();
        arg_docs.push(format!(
            "- `body`: the `{}` to send. {text}",
            doc_type(&body.ty)
        ));
    }
    let mut example_args: Vec<String> = required.iter().map(|p| example_arg(p)).collect();
    let mut example_setup = String::new();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        example_setup = format!(
            "# let body: scim_sdk::models::{} = unimplemented!();\n",
            doc_type(&body.ty)
        );
        example_args.push("body".into());
    }
    let example_optional = optional
        .iter()
        .find(|p| p.location == ParamLocation::Query)
        .map(|p| format!("\n    .{}({})", p.rust_name, example_arg(p)))
        .unwrap_or_default();
    let example = format!(
        "# Example\n\n```no_run\n# fn demo(client: &scim_sdk::Client) -> Result<(), scim_sdk::Error> {{\n{example_setup}let result = client\n    .{}({}){example_optional}\n    .send()?;\n# let _ = result;\n# Ok(())\n# }}\n```",
        op.method_name,
        example_args.join(", ")
    );
    let mut method_extra = vec![format!(
        "`{} {}` (operation `{id}`). Documented statuses: {}.",
        op.http_method.as_str(),
        op.path,
        statuses.join(", ")
    )];
    if !arg_docs.is_empty() {
        method_extra.push(format!("# Arguments\n\n{}", arg_docs.join("\n")));
    }
    method_extra.push(format!(
        "Optional parameters are methods of the returned [`{}`]; finish with [`send`]({}::send). {success_doc}",
        op.builder_name, op.builder_name
    ));
    method_extra.push(example);
    let method_doc = doc(
        &[op.summary.as_deref(), op.description.as_deref()],
        &method_extra,
    );

    // Builder fields and setters.
    let mut fields: Vec<TokenStream> = stored
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = param_type(p.ty);
            if p.required {
                quote!(#name: #ty)
            } else {
                quote!(#name: Option<#ty>)
            }
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, &models);
        fields.push(if body.required {
            quote!(body: #ty)
        } else {
            quote!(body: Option<#ty>)
        });
    }
    let mut setters: Vec<TokenStream> = optional
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let (ty, conv) = param_arg(p);
            let docs = doc_lines(&param_doc(p));
            quote! {
                #docs
                pub fn #name(mut self, #name: #ty) -> Self {
                    self.#name = Some(#conv);
                    self
                }
            }
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let ty = rust_type(&body.ty, &models);
        let docs = doc(
            &[body.description.as_deref()],
            &["The request body.".into()],
        );
        setters.push(quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(body);
                self
            }
        });
    }
    if conditional {
        let p = op.params.iter().find(|p| p.is_if_none_match());
        let mut text = p.map(param_doc).unwrap_or_default();
        text.push_str(
            "\n\nReturns an [`IfNoneMatch`](crate::IfNoneMatch) whose `send()` yields \
             [`Conditional::NotModified`](crate::Conditional::NotModified) on 304 instead of a body. \
             Set the other options first.",
        );
        let docs = doc_lines(&text);
        setters.push(quote! {
            #docs
            pub fn if_none_match(self, etag: impl Into<String>) -> crate::IfNoneMatch<Self> {
                crate::IfNoneMatch::new(self, etag)
            }
        });
    }

    // Request construction.
    let path_pairs = stored
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| {
            let name = ident(&p.rust_name);
            let wire = &p.wire_name;
            match p.ty {
                ParamType::String => quote!((#wire, self.#name.as_str())),
                _ => quote!((#wire, self.#name.to_string().as_str())),
            }
        });
    let adds = stored
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let name = ident(&p.rust_name);
            let wire = &p.wire_name;
            let value = match (p.required, p.ty) {
                (true, ParamType::String) => quote!(Some(self.#name.as_str())),
                (false, ParamType::String) => quote!(self.#name.as_deref()),
                (true, ParamType::CsvList) => quote!(Some(self.#name.as_slice())),
                (false, ParamType::CsvList) => quote!(self.#name.as_deref()),
                (true, _) => quote!(Some(&self.#name)),
                (false, _) => quote!(self.#name.as_ref()),
            };
            match (p.location, p.ty) {
                (ParamLocation::Query, ParamType::CsvList) => {
                    quote!(request.query_csv(#wire, #value);)
                }
                (ParamLocation::Query, ParamType::String) => quote!(request.query(#wire, #value);),
                (ParamLocation::Query, _) => quote!(request.query_display(#wire, #value);),
                (_, ParamType::String) => quote!(request.header(#wire, #value);),
                _ => quote!(request.header(#wire, #value.map(ToString::to_string).as_deref());),
            }
        })
        .collect::<Vec<_>>();
    let body_add = op.body.as_ref().map(|b| {
        if b.required {
            quote!(request.json_body(&self.body)?;)
        } else {
            quote!(if let Some(body) = &self.body {
                request.json_body(body)?;
            })
        }
    });

    let pagination = op.pagination.as_ref().map(|pg| {
        let item = rust_type(&pg.item_type, &models);
        let start = ident(&pg.start_param);
        let items = ident(&pg.items_field);
        let items_expr = quote!(page.#items.unwrap_or_default());
        let option_i64 = |field: &IntField| {
            let name = ident(&field.rust_name);
            if field.ty == TypeRef::I64 { quote!(page.#name) } else { quote!(page.#name.map(i64::from)) }
        };
        let total_expr = option_i64(&pg.total_field);
        let echoed_expr = pg.echoed_start_field.as_ref().map_or_else(|| quote!(None), option_i64);
        let (widen, narrow) = match pg.start_type {
            ParamType::I32 => (quote!(self.#start.map(i64::from)), quote!(i32::try_from(start_index).unwrap_or(i32::MAX))),
            _ => (quote!(self.#start), quote!(start_index)),
        };
        let item_doc = doc_type(&pg.item_type);
        let pages_doc = doc_lines(&format!(
            "Iterates over the pages of the list, starting at `{}` (default 1) and \
             asking for `count` items per page, until `totalResults` is reached. \
             Each page is one request.",
            pg.start_param
        ));
        let items_doc = doc_lines(&format!(
            "Iterates over every `{item_doc}` of the list across pages, fetching the next page when needed. \
             An error ends the iteration after it is yielded."
        ));
        quote! {
            impl #builder {
                #pages_doc
                pub fn into_pages(self) -> crate::Pages<Self> {
                    crate::Pages::new(self)
                }

                #items_doc
                pub fn into_items(self) -> crate::Items<Self> {
                    crate::Items::new(self)
                }
            }

            impl crate::Paginated for #builder {
                type Item = #item;

                fn start_index(&self) -> Option<i64> {
                    #widen
                }

                fn with_start_index(mut self, start_index: i64) -> Self {
                    self.#start = Some(#narrow);
                    self
                }

                fn into_page(page: Self::Output) -> crate::Page<Self::Item> {
                    crate::Page::new(#items_expr, #total_expr, #echoed_expr)
                }
            }
        }
    });

    let request_binding = if adds.is_empty() && body_add.is_none() {
        quote!(request)
    } else {
        quote!(mut request)
    };

    let builder_doc = doc_lines(&format!(
        "Request builder for [`Client::{}`](crate::Client::{}): set optional parameters, then call [`send`](Self::send).",
        op.method_name, op.method_name
    ));
    let info_doc = doc_lines(&format!("Static description of the `{id}` operation."));
    quote! {
        impl crate::Client {
            #method_doc
            pub fn #method(&self, #(#args),*) -> #builder {
                #builder {
                    client: self.clone(),
                    #(#inits,)*
                }
            }
        }

        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is called"]
        pub struct #builder {
            client: crate::Client,
            #(#fields,)*
        }

        impl #builder {
            #info_doc
            pub const INFO: crate::OperationInfo =
                crate::OperationInfo::new(#id, crate::Method::#http_method, #path, #content_type);

            #(#setters)*

            /// Sends the request and decodes the answer.
            ///
            /// # Errors
            /// [`Error::Http`](crate::Error::Http) for an error status, and the other
            /// [`Error`](crate::Error) variants for transport, time-out and decoding failures.
            pub fn send(self) -> Result<#output, crate::Error> {
                crate::operation::send_with_response(self).map(crate::Response::into_body)
            }

            /// Like [`send`](Self::send), also returning the status and headers
            /// (`ETag`, `ININ-Correlation-Id`).
            ///
            /// # Errors
            /// As for [`send`](Self::send).
            pub fn send_with_response(self) -> Result<crate::Response<#output>, crate::Error> {
                crate::operation::send_with_response(self)
            }
        }

        impl crate::Operation for #builder {
            type Output = #output;

            fn into_parts(self) -> Result<(crate::Client, crate::Request), crate::Error> {
                let #request_binding = crate::Request::new(&Self::INFO, &[#(#path_pairs),*])?;
                #(#adds)*
                #body_add
                Ok((self.client, request))
            }
        }

        #pagination
    }
}
