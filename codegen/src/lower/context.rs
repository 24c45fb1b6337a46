//! What every lowering step shares: the document, the named types found so
//! far, and reference resolution.

use crate::error::Error;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use crate::naming::{RESERVED_TYPE_NAMES, distinct, pascal_case, unique};
use openapiv3::{Components, OpenAPI, ReferenceOr};
use std::collections::{BTreeMap, BTreeSet};

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";
pub(super) const RESPONSE_PREFIX: &str = "#/components/responses/";
pub(super) const PARAMETER_PREFIX: &str = "#/components/parameters/";
pub(super) const REQUEST_BODY_PREFIX: &str = "#/components/requestBodies/";

/// The document being lowered and the types named so far.
pub(super) struct Context<'a> {
    pub(super) doc: &'a OpenAPI,
    /// Named types by Rust name; a BTreeMap keeps the output order stable.
    pub(super) types: BTreeMap<String, TypeDef>,
    /// The Rust name of each component schema, chosen before anything else
    /// so that references and inline enums agree on it.
    schema_names: BTreeMap<String, String>,
    /// The same names, to look up by value.
    schema_rust_names: BTreeSet<String>,
}

impl<'a> Context<'a> {
    pub(super) fn new(doc: &'a OpenAPI) -> Self {
        let schema_names = schema_names(doc);
        Self {
            doc,
            types: BTreeMap::new(),
            schema_rust_names: schema_names.values().cloned().collect(),
            schema_names,
        }
    }

    /// Whether `name` is a struct: a component schema of type object.
    /// Component schemas are lowered before operations, so this is complete
    /// when operations ask.
    pub(super) fn is_struct(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|t| matches!(t.kind, TypeKind::Struct { .. }))
    }

    /// The Rust name of the component schema `key`.
    pub(super) fn schema_name(&self, key: &str) -> Option<&str> {
        self.schema_names.get(key).map(String::as_str)
    }

    /// Registers an inline enum under `wanted`, or under the first numbered
    /// form of it that no other type has; returns the name it got.
    pub(super) fn add_inline_type(&mut self, mut def: TypeDef) -> String {
        def.name = unique(&def.name, "", |name| {
            RESERVED_TYPE_NAMES.contains(&name)
                || self.types.contains_key(name)
                || self.schema_rust_names.contains(name)
        });
        let name = def.name.clone();
        self.types.insert(name.clone(), def);
        name
    }

    /// Registers a component schema under the name chosen for it.
    pub(super) fn add_schema_type(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
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
        match self.schema_name(key).filter(|_| exists) {
            Some(name) => Ok(TypeRef::Named(name.to_owned())),
            None => Err(Error::unsupported(
                pointer,
                format!("reference `{reference}` does not resolve"),
            )),
        }
    }

    /// The item itself, or the one a reference points to in one section of
    /// `components` (parameters, responses, request bodies). Chains of
    /// references are refused.
    pub(super) fn resolve<'r, T: 'a>(
        &self,
        item: &'r ReferenceOr<T>,
        prefix: &str,
        pointer: &str,
        section: impl Fn(&'a Components, &str) -> Option<&'a ReferenceOr<T>>,
    ) -> Result<&'r T, Error>
    where
        'a: 'r,
    {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => reference,
        };
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

/// A distinct Rust type name per component schema, in document order. A
/// schema named like a type the generated code relies on (`String`,
/// `Option`, …) gets a `Model` suffix; one without identifier characters is
/// called `Model`.
fn schema_names(doc: &OpenAPI) -> BTreeMap<String, String> {
    let Some(components) = &doc.components else {
        return BTreeMap::new();
    };
    let wanted: Vec<String> = components
        .schemas
        .keys()
        .map(|key| match pascal_case(key) {
            Some(name) if RESERVED_TYPE_NAMES.contains(&name.as_str()) => format!("{name}Model"),
            Some(name) => name,
            None => "Model".into(),
        })
        .collect();
    let reserved = RESERVED_TYPE_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let names = distinct(&wanted, &reserved, "");
    components.schemas.keys().cloned().zip(names).collect()
}

/// Trimmed spec text, or `None` when there is none.
pub(super) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
