//! Which generated file each model and operation goes to.
//!
//! - One file per component schema, named after its Rust type
//!   (`ScimV2User` → `models/scim_v2_user.rs`); an inline enum goes with the
//!   struct that declares it (`ScimEmailType` lives in `scim_email.rs`).
//! - One file per tag, named after the tag (`Users` → `operations/users.rs`).
//!   Operations without a tag go to `operations/other.rs`.
//!
//! Module names are made unique deterministically, so two names that
//! sanitise alike (`HttpServer`, `HTTPServer`) get `http_server` and
//! `http_server_2` in document order.

use crate::ir::{Api, Operation, Tag, TypeDef};
use crate::naming::{snake_case, unique};
use std::collections::{HashMap, HashSet};

/// The module of operations without a tag.
const UNTAGGED: &str = "other";

/// One models file: its module name and the types it defines, in name order.
pub(crate) struct ModelFile<'a> {
    pub(crate) module: String,
    pub(crate) types: Vec<&'a TypeDef>,
}

/// One operations file: its module name, tag and operations in document order.
pub(crate) struct OperationFile<'a> {
    pub(crate) module: String,
    pub(crate) tag: Option<&'a Tag>,
    pub(crate) operations: Vec<&'a Operation>,
}

/// The models files, sorted by module name.
pub(crate) fn model_files(api: &Api) -> Vec<ModelFile<'_>> {
    let mut files: Vec<ModelFile<'_>> = Vec::new();
    let mut modules: HashSet<String> = HashSet::new();
    let mut owners: HashMap<&str, usize> = HashMap::new();
    for def in api.types.iter().filter(|d| d.owner.is_none()) {
        let base = snake_case(&def.name).unwrap_or_else(|| "model".into());
        let module = unique(&base, "_", |m| modules.contains(m));
        modules.insert(module.clone());
        owners.insert(&def.name, files.len());
        files.push(ModelFile {
            module,
            types: vec![def],
        });
    }
    for def in &api.types {
        let Some(owner) = &def.owner else { continue };
        // Every owner is a component schema; fall back to the first file
        // rather than losing a type should that ever change.
        let index = owners.get(owner.as_str()).copied().unwrap_or(0);
        if let Some(file) = files.get_mut(index) {
            file.types.push(def);
        }
    }
    files.sort_by(|a, b| a.module.cmp(&b.module));
    files
}

/// The operations files, in the order of the tags.
pub(crate) fn operation_files(api: &Api) -> Vec<OperationFile<'_>> {
    let mut files: Vec<OperationFile<'_>> = Vec::new();
    let mut modules: HashSet<String> = HashSet::from([UNTAGGED.to_owned()]);
    // The first tag of a name owns its operations.
    let mut tag_files: HashMap<&str, usize> = HashMap::new();
    for tag in &api.tags {
        let base = snake_case(&tag.name).unwrap_or_else(|| UNTAGGED.into());
        let module = unique(&base, "_", |m| modules.contains(m));
        modules.insert(module.clone());
        tag_files.entry(&tag.name).or_insert(files.len());
        files.push(OperationFile {
            module,
            tag: Some(tag),
            operations: Vec::new(),
        });
    }
    files.push(OperationFile {
        module: UNTAGGED.into(),
        tag: None,
        operations: Vec::new(),
    });
    let untagged = files.len() - 1;
    for op in &api.operations {
        let index = op
            .tag
            .as_deref()
            .and_then(|t| tag_files.get(t).copied())
            .unwrap_or(untagged);
        if let Some(file) = files.get_mut(index) {
            file.operations.push(op);
        }
    }
    files.retain(|f| !f.operations.is_empty());
    files
}
