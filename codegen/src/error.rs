//! The code generator's error type.

use std::fmt;

/// A spec construct the generator cannot turn into Rust, with the JSON pointer
/// of the offending node so the spec author can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The document is not valid JSON or not an OpenAPI 3.0 document.
    Parse {
        /// What the parser said.
        message: String,
    },
    /// A node of the document is valid OpenAPI but not supported here.
    Unsupported {
        /// JSON pointer of the node, e.g. `/paths/~1api~1v2~1scim~1users/get`.
        pointer: String,
        /// Why it cannot be generated.
        reason: String,
    },
    /// The generator settings are not usable.
    Settings {
        /// What is wrong.
        message: String,
    },
    /// A generated file could not be handed out (written, for
    /// [`generate_each`](crate::generate_each)).
    Output {
        /// Which output file.
        file: String,
        /// Why.
        message: String,
    },
    /// Emitted code did not parse: a bug in the generator itself.
    Emit {
        /// Which output file.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    pub(crate) fn unsupported(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Unsupported {
            pointer: pointer.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse { message } => write!(f, "cannot read the OpenAPI document: {message}"),
            Error::Unsupported { pointer, reason } => {
                write!(f, "unsupported at `{pointer}`: {reason}")
            }
            Error::Settings { message } => write!(f, "invalid generator settings: {message}"),
            Error::Output { file, message } => write!(f, "cannot output {file}: {message}"),
            Error::Emit { file, message } => {
                write!(
                    f,
                    "generated code for {file} does not parse (generator bug): {message}"
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer token (RFC 6901).
pub(crate) fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
