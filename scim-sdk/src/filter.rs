//! Building SCIM filter expressions (RFC 7644 §3.4.2.2) from untrusted values.
//!
//! A filter assembled with `format!` breaks as soon as a value contains a
//! quote: `userName eq "a" or userName pr ""` would match every user. [`Filter`]
//! writes each value as a JSON literal, so a value can never change the
//! structure of the expression.

use crate::Error;
use std::fmt;

/// A SCIM filter expression, safe to pass to any `filter(…)` builder method.
///
/// ```
/// use scim_sdk::Filter;
///
/// let hostile = r#"x" or userName pr ""#;
/// let filter = Filter::eq("userName", hostile)?;
/// assert_eq!(filter.as_str(), r#"userName eq "x\" or userName pr \"""#);
///
/// let both = Filter::eq("active", true)?.and(Filter::eq("division", "Home")?);
/// assert_eq!(both.to_string(), r#"active eq true and division eq "Home""#);
/// # Ok::<(), scim_sdk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filter(String);

/// A value on the right of a comparison: strings become JSON string
/// literals, booleans and integers are written as they are.
pub trait FilterValue {
    /// The value as a SCIM (JSON) literal.
    ///
    /// ```
    /// use scim_sdk::FilterValue;
    /// assert_eq!("a\"b".to_literal(), r#""a\"b""#);
    /// assert_eq!(false.to_literal(), "false");
    /// ```
    fn to_literal(&self) -> String;
}

impl FilterValue for str {
    fn to_literal(&self) -> String {
        // JSON escaping is exactly what RFC 7644 asks for a compValue string.
        serde_json::Value::String(self.to_owned()).to_string()
    }
}

impl FilterValue for &str {
    fn to_literal(&self) -> String {
        (**self).to_literal()
    }
}

impl FilterValue for String {
    fn to_literal(&self) -> String {
        self.as_str().to_literal()
    }
}

impl FilterValue for &String {
    fn to_literal(&self) -> String {
        self.as_str().to_literal()
    }
}

impl FilterValue for bool {
    fn to_literal(&self) -> String {
        self.to_string()
    }
}

impl FilterValue for i64 {
    fn to_literal(&self) -> String {
        self.to_string()
    }
}

impl FilterValue for i32 {
    fn to_literal(&self) -> String {
        self.to_string()
    }
}

/// Checks an attribute path such as `userName`, `emails.value` or
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division`.
fn check_attribute(attribute: &str) -> Result<(), Error> {
    let valid = !attribute.is_empty()
        && attribute.starts_with(|c: char| c.is_ascii_alphabetic())
        && attribute
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '$'));
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "filter",
            format!("`{attribute}` is not a SCIM attribute path"),
        ))
    }
}

impl Filter {
    /// `attribute eq value`.
    ///
    /// ```
    /// let f = scim_sdk::Filter::eq("externalId", "E-7")?;
    /// assert_eq!(f.as_str(), r#"externalId eq "E-7""#);
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `attribute` is not an attribute path.
    pub fn eq(attribute: &str, value: impl FilterValue) -> Result<Self, Error> {
        check_attribute(attribute)?;
        Ok(Self(format!("{attribute} eq {}", value.to_literal())))
    }

    /// `self and other`.
    ///
    /// ```
    /// use scim_sdk::Filter;
    /// let f = Filter::eq("active", false)?.and(Filter::eq("title", "Agent")?);
    /// assert_eq!(f.as_str(), r#"active eq false and title eq "Agent""#);
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    #[must_use]
    pub fn and(self, other: Filter) -> Self {
        Self(format!("{} and {}", self.0, other.0))
    }

    /// A value filter on a multi-valued attribute: `attribute[inner]`.
    ///
    /// ```
    /// use scim_sdk::Filter;
    /// let inner = Filter::eq("authority", "hr")?.and(Filter::eq("value", "E-7")?);
    /// let f = Filter::value_path("externalIds", inner)?;
    /// assert_eq!(f.as_str(), r#"externalIds[authority eq "hr" and value eq "E-7"]"#);
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `attribute` is not an attribute path.
    pub fn value_path(attribute: &str, inner: Filter) -> Result<Self, Error> {
        check_attribute(attribute)?;
        Ok(Self(format!("{attribute}[{}]", inner.0)))
    }

    /// The expression text.
    ///
    /// ```
    /// assert_eq!(scim_sdk::Filter::eq("id", "42")?.as_str(), r#"id eq "42""#);
    /// # Ok::<(), scim_sdk::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Filter> for String {
    fn from(filter: Filter) -> Self {
        filter.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_backslashes_are_escaped() {
        let f = Filter::eq("displayName", "a\\b\n\"c").unwrap();
        assert_eq!(f.as_str(), r#"displayName eq "a\\b\n\"c""#);
    }

    #[test]
    fn attribute_paths_are_checked() {
        assert!(Filter::eq("userName eq \"x\" or id", "y").is_err());
        assert!(Filter::eq("", "y").is_err());
        assert!(
            Filter::eq(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
                "y"
            )
            .is_ok()
        );
        assert!(Filter::value_path("emails]", Filter::eq("type", "work").unwrap()).is_err());
    }
}
