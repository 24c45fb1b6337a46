//! Emits a forward-compatible string enum: the known values as variants, a
//! catch-all that keeps any other value, and the conversions serde and
//! callers use.

use super::docs::doc;
use super::layout::Container;
use super::writer::{Lit, Writer};
use crate::ir::{TypeDef, Variant};
use crate::naming::CATCH_ALL_VARIANT;

pub(crate) fn emit_enum(w: &mut Writer, def: &TypeDef, variants: &[Variant]) {
    let name = def.name.as_str();
    let unknown = CATCH_ALL_VARIANT;
    w.unit(Container::File, |w| {
        w.doc(&doc(
            &[def.description.as_deref()],
            &[format!(
                "Values of `{}`. A value not listed here is kept in `{unknown}` and sent back unchanged.",
                def.origin
            )],
        ));
        w.line("#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]");
        w.open(format_args!("pub enum {name} {{"));
        for v in variants {
            w.unit(Container::Enum, |w| {
                w.doc(&format!("`{}`", v.wire_value));
                w.line_fmt(format_args!("{},", v.rust_name));
            });
        }
        w.doc("A value this version of the SDK does not know, kept verbatim.");
        w.line_fmt(format_args!("{unknown}(String),"));
        w.close("}");
    });
    w.block_item(format_args!("impl {name} {{"), |w| {
        w.unit(Container::Impl, |w| known_values(w, variants));
        w.unit(Container::Impl, |w| as_str(w, variants));
    });
    w.block_item(format_args!("impl From<&str> for {name} {{"), |w| {
        w.unit(Container::Impl, |w| from_str(w, variants));
    });
    conversions(w, name);
}

fn known_values(w: &mut Writer, variants: &[Variant]) {
    let values: Vec<String> = variants
        .iter()
        .map(|v| Lit(&v.wire_value).to_string())
        .collect();
    w.doc("Every value the API document lists, in document order.");
    w.list(
        "pub const KNOWN_VALUES: &'static [&'static str] = &[",
        &values,
        "];",
        true,
    );
}

fn as_str(w: &mut Writer, variants: &[Variant]) {
    w.doc("The value as sent on the wire.");
    w.open(format_args!("pub fn as_str(&self) -> &str {{"));
    w.open(format_args!("match self {{"));
    for v in variants {
        w.line_fmt(format_args!(
            "Self::{} => {},",
            v.rust_name,
            Lit(&v.wire_value)
        ));
    }
    w.line_fmt(format_args!("Self::{CATCH_ALL_VARIANT}(other) => other,"));
    w.close("}");
    w.close("}");
}

fn from_str(w: &mut Writer, variants: &[Variant]) {
    w.open(format_args!("fn from(value: &str) -> Self {{"));
    w.open(format_args!("match value {{"));
    for v in variants {
        w.line_fmt(format_args!(
            "{} => Self::{},",
            Lit(&v.wire_value),
            v.rust_name
        ));
    }
    w.line_fmt(format_args!(
        "other => Self::{CATCH_ALL_VARIANT}(other.to_owned()),"
    ));
    w.close("}");
    w.close("}");
}

/// `FromStr`, `Display` and the serde impls: the same for every enum but
/// its name.
fn conversions(w: &mut Writer, name: &str) {
    w.block_item(format_args!("impl std::str::FromStr for {name} {{"), |w| {
        w.line("type Err = std::convert::Infallible;");
        // Not `Self::Err`: a variant named `Err` would make that ambiguous.
        w.simple_fn(
            format_args!("fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {{"),
            &["Ok(Self::from(value))"],
        );
    });
    w.block_item(format_args!("impl std::fmt::Display for {name} {{"), |w| {
        w.simple_fn(
            format_args!("fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{"),
            &["f.write_str(self.as_str())"],
        );
    });
    w.block_item(format_args!("impl Serialize for {name} {{"), |w| {
        w.simple_fn(
            format_args!(
                "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
            ),
            &["serializer.serialize_str(self.as_str())"],
        );
    });
    w.block_item(
        format_args!("impl<'de> Deserialize<'de> for {name} {{"),
        |w| {
            w.open_fn(
                "fn deserialize<D: serde::Deserializer<'de>>(",
                &["deserializer: D".to_owned()],
                ") -> Result<Self, D::Error> {",
            );
            w.line("let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;");
            w.line("Ok(Self::from(value.as_ref()))");
            w.close("}");
        },
    );
}
