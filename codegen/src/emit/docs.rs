//! Turning spec prose into rustdoc attributes.

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

/// `#[doc = "…"]` attributes, one per line, for already-formatted markdown.
pub(crate) fn doc_lines(markdown: &str) -> TokenStream {
    let lines = markdown.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Paragraphs of spec text, escaped, followed by extra raw markdown paragraphs.
pub(crate) fn doc(spec_texts: &[Option<&str>], extra: &[String]) -> TokenStream {
    let mut paragraphs: Vec<String> = spec_texts
        .iter()
        .flatten()
        .map(|t| escape_markdown(t.trim()))
        .filter(|t| !t.is_empty())
        .collect();
    paragraphs.extend(extra.iter().cloned());
    doc_lines(&paragraphs.join("\n\n"))
}
