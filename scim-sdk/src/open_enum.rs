//! The conversions every forward-compatible string enum of the generated
//! models shares, written once.

/// Implements a generated string enum's conversions from its list of
/// variants, each with its wire value: `Name { Variant("value"), … }`.
///
/// The enum itself is declared by the generated code, with one unit variant
/// per documented value and an `Unknown(String)` variant that keeps any other
/// value, so that a value this SDK does not know survives a read and a write.
/// The macro adds `KNOWN_VALUES`, `as_str`, `From<&str>`, `FromStr`
/// (infallible), `Display`, and serde impls that read and write the wire
/// string.
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// pub enum Color {
///     Red,
///     DarkBlue,
///     Unknown(String),
/// }
///
/// scim_sdk::open_enum!(Color { Red("red"), DarkBlue("dark-blue") });
///
/// assert_eq!(Color::from("dark-blue"), Color::DarkBlue);
/// assert_eq!(Color::from("teal"), Color::Unknown("teal".into()));
/// assert_eq!(Color::Unknown("teal".into()).as_str(), "teal");
/// assert_eq!(Color::KNOWN_VALUES, ["red", "dark-blue"]);
/// assert_eq!(serde_json::to_string(&Color::Red).unwrap(), r#""red""#);
/// let teal: Color = serde_json::from_str(r#""teal""#).unwrap();
/// assert_eq!(teal.to_string(), "teal");
/// ```
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident($wire:literal)),* $(,)? }) => {
        impl $name {
            /// Every value the API document lists, in document order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            // Not `Self::Err`: a variant named `Err` would make that ambiguous.
            fn from_str(value: &str) -> ::core::result::Result<Self, ::core::convert::Infallible> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                ::core::result::Result::Ok(Self::from(::core::convert::AsRef::<str>::as_ref(&value)))
            }
        }
    };
}
