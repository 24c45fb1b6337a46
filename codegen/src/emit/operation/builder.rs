//! The request builder: its struct, one setter per optional parameter, the
//! operation's static description and `send`.

use super::params::{OpParams, param_arg, param_doc, param_type};
use crate::emit::breaks::Arg;
use crate::emit::docs::doc;
use crate::emit::layout::Container;
use crate::emit::paths::Paths;
use crate::emit::types::rust_type;
use crate::emit::writer::{Lit, Writer};
use crate::ir::{HttpMethod, Operation, ParamType};

/// The builder struct with its docs.
pub(super) fn builder_struct(w: &mut Writer, op: &Operation, params: &OpParams<'_>, paths: &Paths) {
    w.doc(&format!(
        "Request builder for [`Client::{m}`]({c}::{m}): set optional parameters, then call [`send`](Self::send).",
        m = op.method_name,
        c = paths.client_doc,
    ));
    w.line("#[derive(Debug, Clone)]");
    w.line("#[must_use = \"a request does nothing until `.send()` is called\"]");
    w.open(format_args!("pub struct {} {{", op.builder_name));
    w.line_fmt(format_args!("client: {}::Client,", paths.runtime));
    for p in &params.stored {
        let ty = param_type(p.ty);
        if p.required {
            w.line_fmt(format_args!("{}: {ty},", p.rust_name));
        } else {
            w.line_fmt(format_args!("{}: Option<{ty}>,", p.rust_name));
        }
    }
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, &paths.models);
        if body.required {
            w.line_fmt(format_args!("body: {ty},"));
        } else {
            w.line_fmt(format_args!("body: Option<{ty}>,"));
        }
    }
    w.close("}");
}

/// `impl Builder { INFO, setters, send, send_with_response }`.
pub(super) fn builder_impl(w: &mut Writer, op: &Operation, params: &OpParams<'_>, paths: &Paths) {
    let runtime = &paths.runtime;
    let output = output_type(op, paths);
    w.open(format_args!("impl {} {{", op.builder_name));
    w.unit(Container::Impl, |w| operation_info(w, op, paths));
    setters(w, op, params, paths);
    send_fn(w, "send", &send_doc(op, paths), &output, paths);
    let doc = "Like [`send`](Self::send), also returning the status and headers\n\
               (`ETag`, `ININ-Correlation-Id`).\n\n\
               # Errors\n\
               As for [`send`](Self::send).";
    let ok = format!("{runtime}::Response<{output}>");
    send_fn(w, "send_with_response", doc, &ok, paths);
    w.close("}");
}

/// `pub fn {name}(self) -> Result<{ok}, Error>`, calling the runtime's
/// `Operation` method of the same name.
fn send_fn(w: &mut Writer, name: &str, doc: &str, ok: &str, paths: &Paths) {
    let runtime = &paths.runtime;
    w.unit(Container::Impl, |w| {
        w.doc(doc);
        let error = format!("{runtime}::Error");
        w.open_fn_result(&format!("pub fn {name}("), &["self".to_owned()], ok, &error);
        w.line_fmt(format_args!("<Self as {runtime}::Operation>::{name}(self)"));
        w.close("}");
    });
}

fn send_doc(op: &Operation, paths: &Paths) -> String {
    let rt = &paths.runtime_doc;
    let read_back = op.read_back.as_ref().map_or_else(String::new, |get| {
        format!(
            "\n\nOn 204 No Content the resource is read back with a GET of the same path \
             ([`{get}`]); an error of that GET names its operation, and the change has \
             been applied by then."
        )
    });
    format!(
        "Sends the request and decodes the answer.{read_back}\n\n# Errors\n[`Error::Http`]({rt}::Error::Http) for an error status, and the other\n[`Error`]({rt}::Error) variants for transport, time-out and decoding failures."
    )
}

/// The decoded success type: the success body, or `()`.
pub(super) fn output_type(op: &Operation, paths: &Paths) -> String {
    match op.success_type() {
        Some(ty) => rust_type(ty, &paths.models).to_string(),
        None => "()".into(),
    }
}

/// The runtime's `Method` variant for an IR method. Exhaustive on purpose: a
/// method added to the IR must be mapped here before anything compiles.
fn method_variant(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
    }
}

fn operation_info(w: &mut Writer, op: &Operation, paths: &Paths) {
    let runtime = &paths.runtime;
    let content_type = match &op.body {
        Some(b) => format!("Some({})", Lit(&b.content_type)),
        None => "None".into(),
    };
    let args = [
        Lit(&op.id).to_string(),
        format!("{runtime}::Method::{}", method_variant(op.http_method)),
        Lit(&op.path).to_string(),
        content_type,
    ];
    w.doc(&format!("Static description of the `{}` operation.", op.id));
    let head = format!("pub const INFO: {runtime}::OperationInfo = ");
    let receiver = format!("{runtime}::OperationInfo::new");
    match &op.read_back {
        None => w.list(&format!("{head}{receiver}("), &args, ");", true),
        Some(get) => {
            let args = args.map(Arg::Text);
            let read_back = vec![Arg::Text(format!("&super::{get}::INFO"))];
            let calls = [(".read_back_on_no_content", read_back)];
            w.chain(&head, (&receiver, &args), &calls, ";");
        }
    }
}

fn setters(w: &mut Writer, op: &Operation, params: &OpParams<'_>, paths: &Paths) {
    for p in &params.optional {
        let name = &p.rust_name;
        let (ty, conv) = param_arg(p, paths);
        w.unit(Container::Impl, |w| {
            w.doc(&param_doc(p));
            let args = ["mut self".to_owned(), format!("{name}: {ty}")];
            w.open_fn(&format!("pub fn {name}("), &args, ") -> Self {");
            // An entity tag converts to an `Option` itself: `None` unsets it.
            match p.ty {
                ParamType::ETag => {
                    let into_etag =
                        format!("self.{name} = {}::IntoETag::into_etag(", paths.runtime);
                    w.list(&into_etag, &[name], ");", true);
                }
                _ => w.list(&format!("self.{name} = Some("), &[conv], ");", true),
            }
            w.line("self");
            w.close("}");
        });
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        w.unit(Container::Impl, |w| {
            let ty = rust_type(&body.ty, &paths.models);
            w.doc(&doc(
                &[body.description.as_deref()],
                &["The request body.".into()],
            ));
            let args = ["mut self".to_owned(), format!("body: {ty}")];
            w.open_fn("pub fn body(", &args, ") -> Self {");
            w.line("self.body = Some(body);");
            w.line("self");
            w.close("}");
        });
    }
    if op.is_conditional() {
        w.unit(Container::Impl, |w| if_none_match(w, op, paths));
    }
}

/// The setter that turns the builder into a conditional request.
fn if_none_match(w: &mut Writer, op: &Operation, paths: &Paths) {
    let runtime = &paths.runtime;
    let rt = &paths.runtime_doc;
    let p = op.params.iter().find(|p| p.is_if_none_match());
    // Named after the header parameter, whose name lowering kept distinct.
    let name = p.map_or("if_none_match", |p| p.rust_name.as_str());
    let mut text = p.map(param_doc).unwrap_or_default();
    text.push_str(&format!(
        "\n\nReturns an [`IfNoneMatch`]({rt}::IfNoneMatch) whose `send()` yields \
         [`Conditional::NotModified`]({rt}::Conditional::NotModified) on 304 instead of a body. \
         Set the other options first."
    ));
    w.doc(&text);
    let args = ["self".to_owned(), format!("etag: impl {runtime}::IntoETag")];
    let tail = format!(") -> {runtime}::IfNoneMatch<Self> {{");
    w.open_fn(&format!("pub fn {name}("), &args, &tail);
    w.line_fmt(format_args!("{runtime}::IfNoneMatch::new(self, etag)"));
    w.close("}");
}
