//! Turning spec prose into rustdoc markdown, and markdown into doc
//! attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Escapes characters that rustdoc would read as links or HTML, outside code
/// spans, so spec text never produces broken-link warnings.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            match c {
                '[' | ']' | '<' | '>' | '*' | '_' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
    }
    out
}

/// Paragraphs of spec text, escaped, followed by extra raw markdown
/// paragraphs: the markdown of one item's docs.
pub(crate) fn doc(spec_texts: &[Option<&str>], extra: &[String]) -> String {
    let mut out = String::new();
    let spec = spec_texts
        .iter()
        .flatten()
        .map(|t| escape_markdown(t.trim()))
        .filter(|t| !t.is_empty());
    for (i, paragraph) in spec.chain(extra.iter().cloned()).enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&paragraph);
    }
    out
}

/// `#[doc]` attributes for `markdown`, one per line, which prettyplease
/// prints as `///` comments.
pub(crate) fn doc_attrs(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc]` attributes for `markdown`, printed as `//!` comments.
pub(crate) fn inner_doc_attrs(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote! { #(#![doc = #lines])* }
}

/// The text of each doc comment line: a space, then the line. A carriage
/// return not followed by a line feed becomes a space, because Rust does not
/// allow one in a doc comment.
fn doc_lines(markdown: &str) -> impl Iterator<Item = String> + '_ {
    markdown.trim_end().lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {}", line.replace('\r', " "))
        }
    })
}
