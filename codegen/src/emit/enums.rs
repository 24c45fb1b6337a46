//! Emits a forward-compatible string enum: the known values as variants, a
//! catch-all that keeps any other value, and the conversions serde and
//! callers use.

use super::docs::{doc, doc_attrs};
use super::types::ident;
use crate::ir::{TypeDef, Variant};
use crate::naming::CATCH_ALL_VARIANT;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(CATCH_ALL_VARIANT);
    let docs = doc_attrs(&doc(
        &[def.description.as_deref()],
        &[format!(
            "Values of `{}`. A value not listed here is kept in `{CATCH_ALL_VARIANT}` and sent back unchanged.",
            def.origin
        )],
    ));
    let names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_docs = variants
        .iter()
        .map(|v| doc_attrs(&format!("`{}`", v.wire_value)));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #names,)*
            /// A value this version of the SDK does not know, kept verbatim.
            #unknown(String),
        }

        impl #name {
            /// Every value the API document lists, in document order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::#unknown(other) => other,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#names,)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            // Not `Self::Err`: a variant named `Err` would make that ambiguous.
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}
