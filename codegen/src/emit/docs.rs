//! Turning spec prose into rustdoc markdown.

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
