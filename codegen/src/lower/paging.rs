//! Recognising list operations and how they page.

use crate::ir::{
    Field, IntField, Operation, Pagination, ParamLocation, ParamType, StartIndexPaging, TypeDef,
    TypeKind, TypeRef,
};
use std::collections::BTreeMap;

/// How `op` pages, if it does. Only SCIM paging is recognised today.
pub(super) fn pagination(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<Pagination> {
    start_index_paging(op, types).map(Pagination::StartIndex)
}

/// A SCIM list operation: an optional integer `startIndex` query parameter
/// and a success body with `Resources` (a list) and `totalResults` (an
/// integer).
fn start_index_paging(
    op: &Operation,
    types: &BTreeMap<String, TypeDef>,
) -> Option<StartIndexPaging> {
    let start = op.params.iter().find(|p| {
        p.location == ParamLocation::Query
            && p.wire_name == "startIndex"
            && !p.required
            && matches!(p.ty, ParamType::I32 | ParamType::I64)
    })?;
    let TypeRef::Named(page_type) = op.success_type()? else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &types.get(page_type)?.kind else {
        return None;
    };
    let items = fields.iter().find(|f| f.wire_name == "Resources")?;
    let TypeRef::List(item_type) = &items.ty else {
        return None;
    };
    Some(StartIndexPaging {
        start_param: start.rust_name.clone(),
        start_type: start.ty,
        items_field: items.rust_name.clone(),
        item_type: (**item_type).clone(),
        total_field: int_field(fields, "totalResults")?,
        echoed_start_field: int_field(fields, "startIndex"),
    })
}

/// The integer field with this wire name.
fn int_field(fields: &[Field], wire_name: &str) -> Option<IntField> {
    fields
        .iter()
        .find(|f| f.wire_name == wire_name && matches!(f.ty, TypeRef::I32 | TypeRef::I64))
        .map(|f| IntField {
            rust_name: f.rust_name.clone(),
            ty: f.ty.clone(),
        })
}
