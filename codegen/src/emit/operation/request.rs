//! `Operation::into_parts`: how a builder becomes a runtime `Request`.

use super::builder::output_type;
use super::params::OpParams;
use crate::emit::layout::Container;
use crate::emit::paths::Paths;
use crate::emit::writer::{Lit, Writer};
use crate::ir::{BodyEncoding, Operation, Param, ParamLocation, ParamType};

/// `impl Operation for Builder`.
pub(super) fn operation_impl(w: &mut Writer, op: &Operation, params: &OpParams<'_>, paths: &Paths) {
    let runtime = &paths.runtime;
    let path_pairs: Vec<String> = params
        .stored
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| path_pair(p))
        .collect();
    let adds: Vec<String> = params
        .stored
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| add_param(p))
        .collect();
    w.open(format_args!(
        "impl {runtime}::Operation for {} {{",
        op.builder_name
    ));
    w.unit(Container::Impl, |w| {
        w.line_fmt(format_args!("type Output = {};", output_type(op, paths)));
    });
    w.unit(Container::Impl, |w| {
        let tail =
            format!(") -> Result<({runtime}::Client, {runtime}::Request), {runtime}::Error> {{");
        w.open_fn("fn into_parts(", &["self".to_owned()], &tail);
        // Only a request that something is added to needs to be mutable.
        let binding = if adds.is_empty() && op.body.is_none() {
            "request"
        } else {
            "mut request"
        };
        let args = [
            "&Self::INFO".to_owned(),
            format!("&[{}]", path_pairs.join(", ")),
        ];
        let head = format!("let {binding} = {runtime}::Request::new(");
        w.list(&head, &args, ")?;", true);
        for add in &adds {
            w.line(add);
        }
        if let Some(b) = &op.body {
            let encode = match b.encoding {
                BodyEncoding::Model => "model_body",
                BodyEncoding::Json => "json_body",
            };
            if b.required {
                w.line_fmt(format_args!("request.{encode}(&self.body)?;"));
            } else {
                w.open(format_args!("if let Some(body) = &self.body {{"));
                w.line_fmt(format_args!("request.{encode}(body)?;"));
                w.close("}");
            }
        }
        w.line("Ok((self.client, request))");
        w.close("}");
    });
    w.close("}");
}

/// `("userId", value)` for the path template.
fn path_pair(p: &Param) -> String {
    let (wire, name) = (Lit(&p.wire_name), &p.rust_name);
    match p.ty {
        ParamType::String => format!("({wire}, self.{name}.as_str())"),
        _ => format!("({wire}, self.{name}.to_string().as_str())"),
    }
}

/// The statement adding one query parameter or header.
fn add_param(p: &Param) -> String {
    let name = &p.rust_name;
    let wire = Lit(&p.wire_name);
    let value = match (p.required, p.ty) {
        (true, ParamType::String | ParamType::ETag) => format!("Some(self.{name}.as_str())"),
        (false, ParamType::String | ParamType::ETag) => format!("self.{name}.as_deref()"),
        (true, ParamType::CsvList) => format!("Some(self.{name}.as_slice())"),
        (false, ParamType::CsvList) => format!("self.{name}.as_deref()"),
        (true, _) => format!("Some(&self.{name})"),
        (false, _) => format!("self.{name}.as_ref()"),
    };
    match (p.location, p.ty) {
        (ParamLocation::Query, ParamType::CsvList) => {
            format!("request.query_csv({wire}, {value});")
        }
        (ParamLocation::Query, ParamType::String) => format!("request.query({wire}, {value});"),
        (ParamLocation::Query, _) => format!("request.query_display({wire}, {value});"),
        (_, ParamType::String | ParamType::ETag) => format!("request.header({wire}, {value});"),
        _ => format!("request.header({wire}, {value}.map(ToString::to_string).as_deref());"),
    }
}
