//! What every lowering step shares: the document, the named types found so
//! far, and reference resolution.

use crate::error::Error;
use crate::ir::{TypeDef, TypeRef};
use crate::naming::pascal_case;
use openapiv3::{Components, OpenAPI, ReferenceOr};
use std::collections::BTreeMap;

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";
pub(super) const RESPONSE_PREFIX: &str = "#/components/responses/";
pub(super) const PARAMETER_PREFIX: &str = "#/components/parameters/";
pub(super) const REQUEST_BODY_PREFIX: &str = "#/components/requestBodies/";

/// The document being lowered and the types named so far.
pub(super) struct Context<'a> {
    pub(super) doc: &'a OpenAPI,
    /// Named types by Rust name; a BTreeMap keeps the output order stable.
    pub(super) types: BTreeMap<String, TypeDef>,
}

impl<'a> Context<'a> {
    pub(super) fn new(doc: &'a OpenAPI) -> Self {
        Self {
            doc,
            types: BTreeMap::new(),
        }
    }

    /// Registers a named type; two types may not share a Rust name.
    pub(super) fn add_type(&mut self, def: TypeDef, pointer: &str) -> Result<(), Error> {
        if let Some(existing) = self.types.get(&def.name) {
            return Err(Error::unsupported(
                pointer,
                format!(
                    "Rust type name `{}` is also used by `{}`",
                    def.name, existing.origin
                ),
            ));
        }
        self.types.insert(def.name.clone(), def);
        Ok(())
    }

    /// The named type a `#/components/schemas/…` reference points to.
    pub(super) fn named_ref(&self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let key = reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
            Error::unsupported(
                pointer,
                format!("only local schema references are supported, got `{reference}`"),
            )
        })?;
        let exists = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(key));
        if !exists {
            return Err(Error::unsupported(
                pointer,
                format!("reference `{reference}` does not resolve"),
            ));
        }
        let name = pascal_case(key).ok_or_else(|| {
            Error::unsupported(pointer, "schema name has no identifier characters")
        })?;
        Ok(TypeRef::Named(name))
    }

    /// Follows a reference into one section of `components` (parameters,
    /// responses, request bodies). Chains of references are refused.
    pub(super) fn resolve<T>(
        &self,
        reference: &str,
        prefix: &str,
        pointer: &str,
        section: impl Fn(&'a Components, &str) -> Option<&'a ReferenceOr<T>>,
    ) -> Result<&'a T, Error> {
        let key = reference.strip_prefix(prefix).ok_or_else(|| {
            Error::unsupported(
                pointer,
                format!("expected a reference into `{prefix}`, got `{reference}`"),
            )
        })?;
        match self.doc.components.as_ref().and_then(|c| section(c, key)) {
            Some(ReferenceOr::Item(item)) => Ok(item),
            Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                pointer,
                "chained references are not supported",
            )),
            None => Err(Error::unsupported(
                pointer,
                format!("reference `{reference}` does not resolve"),
            )),
        }
    }
}

/// Trimmed spec text, or `None` when there is none.
pub(super) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
