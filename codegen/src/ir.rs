//! The intermediate representation: what the generator knows about the API
//! once the OpenAPI document has been read, resolved and named.
//!
//! Everything here is plain data with Rust names already chosen, so the
//! emitters only decide how to print, never what something means.

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title` of the document.
    pub title: String,
    /// The document's tags, in document order, then any tag that operations
    /// use without declaring it.
    pub tags: Vec<Tag>,
    /// Operations in document order (path order, then method order).
    pub operations: Vec<Operation>,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
}

/// A tag: a named group of operations (by convention one resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's name.
    pub name: String,
    /// What the group is about.
    pub description: Option<String>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId`, e.g. `getScimV2User`.
    pub id: String,
    /// Method name on the client, e.g. `get_scim_v2_user`.
    pub method_name: String,
    /// Name of the request builder type, e.g. `GetScimV2User`.
    pub builder_name: String,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The operation's first tag: the group it is filed under.
    pub tag: Option<String>,
    /// The path template, e.g. `/api/v2/scim/v2/users/{userId}`.
    pub path: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Parameters in document order.
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// Documented responses, sorted by status.
    pub responses: Vec<ResponseCase>,
    /// Set when the operation pages through a SCIM list (RFC 7644 §3.4.2.4).
    pub pagination: Option<Pagination>,
    /// For an operation that may answer `204 No Content` where it otherwise
    /// returns the resource (a SCIM PATCH, RFC 7644 §3.5.2): the builder
    /// name of the GET on the same path that reads the resource back.
    pub read_back: Option<String>,
}

/// How a list operation pages. Emitters match on the style, so adding one
/// is a new variant plus its emitter, with no change elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Pagination {
    /// SCIM paging (RFC 7644 §3.4.2.4): a 1-based `startIndex` query
    /// parameter, and `Resources`/`totalResults` in the answer.
    StartIndex(StartIndexPaging),
}

impl Pagination {
    /// Type of one item of a page.
    pub fn item_type(&self) -> &TypeRef {
        match self {
            Pagination::StartIndex(p) => &p.item_type,
        }
    }
}

/// The parameters and answer fields of SCIM `startIndex`/`count` paging.
#[derive(Debug, Clone, PartialEq)]
pub struct StartIndexPaging {
    /// Rust name of the 1-based start index parameter.
    pub start_param: String,
    /// Its type (`I32` or `I64`).
    pub start_type: ParamType,
    /// Rust name of the list field holding the page's items.
    pub items_field: String,
    /// Type of one item.
    pub item_type: TypeRef,
    /// The answer's `totalResults` field.
    pub total_field: IntField,
    /// The answer's own `startIndex` field, if it has one.
    pub echoed_start_field: Option<IntField>,
}

/// An integer field of a list answer that the paginator reads.
#[derive(Debug, Clone, PartialEq)]
pub struct IntField {
    /// Rust field name.
    pub rust_name: String,
    /// `I32` or `I64`.
    pub ty: TypeRef,
}

impl Operation {
    /// The type decoded from a success answer; `None` when the successes
    /// carry no body (204).
    pub fn success_type(&self) -> Option<&TypeRef> {
        self.responses
            .iter()
            .filter(|r| r.status.is_success())
            .find_map(|r| r.body.as_ref())
    }

    /// Whether a 304 answer is documented and the caller can send
    /// `If-None-Match`: the builder then offers a conditional send.
    pub fn is_conditional(&self) -> bool {
        self.responses.iter().any(|r| r.status == Status::Code(304))
            && self
                .params
                .iter()
                .any(|p| p.is_if_none_match() && !p.required)
    }
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl HttpMethod {
    /// Upper-case wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire (`userId`, `If-Match`, `startIndex`).
    pub wire_name: String,
    /// Rust name of the argument or builder method.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the caller must give it (then it is positional).
    pub required: bool,
    /// Its type.
    pub ty: ParamType,
    /// The server-side default, shown in the docs (the SDK sends nothing when unset).
    pub default: Option<serde_json::Value>,
    /// Values the API documents as accepted (strings only); for docs.
    pub known_values: Vec<String>,
    /// Description.
    pub description: Option<String>,
}

impl Param {
    /// `true` for the `If-None-Match` header.
    pub fn is_if_none_match(&self) -> bool {
        self.location == ParamLocation::Header
            && self.wire_name.eq_ignore_ascii_case("If-None-Match")
    }
}

/// Parameter types the generator supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A string.
    String,
    /// A 32-bit integer.
    I32,
    /// A 64-bit integer.
    I64,
    /// A float.
    F64,
    /// A boolean.
    Bool,
    /// A list of strings sent as one comma-separated value
    /// (`style: form, explode: false`).
    CsvList,
    /// An optional `If-Match` or `If-None-Match` header: an entity tag the
    /// caller may give in any shape the runtime's `IntoETag` accepts.
    ETag,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given (then it is positional).
    pub required: bool,
    /// The media type sent (the first one the document lists).
    pub content_type: String,
    /// How the runtime encodes it.
    pub encoding: BodyEncoding,
    /// Description.
    pub description: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// A generated struct, encoded by the runtime's model rules (`schemas`
    /// filled in, read-only attributes left out).
    Model,
    /// Any other value, serialised as it is.
    Json,
}

/// A response status: a code, or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A concrete status code.
    Code(u16),
    /// The `default` response.
    Default,
}

impl Status {
    /// 2xx.
    pub fn is_success(self) -> bool {
        matches!(self, Status::Code(c) if (200..300).contains(&c))
    }
}

/// The status as the document's `responses` map keys it: `204`, `default`.
impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(c) => write!(f, "{c}"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    /// The status.
    pub status: Status,
    /// The JSON body type, if any.
    pub body: Option<TypeRef>,
    /// Description.
    pub description: String,
}

/// A reference to a type, as used by fields, bodies and responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A date-time kept as its exact string (so it round-trips unchanged).
    DateTime,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// Any JSON value.
    Any,
    /// A named model or enum, by Rust name.
    Named(String),
    /// `Vec<T>`.
    List(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Name in the document (`components/schemas` key, or `Model.property` for inline enums).
    pub origin: String,
    /// For an inline enum, the Rust name of the struct whose property
    /// declares it; `None` for component schemas.
    pub owner: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Struct or enum.
    pub kind: TypeKind,
}

impl TypeDef {
    /// For a struct that is exactly a SCIM list response (RFC 7644
    /// §3.4.2): the type of one item of `Resources`. Such a struct is the
    /// runtime's generic `ListResponse` of that item.
    ///
    /// Exactly means the fields `schemas` (a list of strings), then
    /// `totalResults`, `startIndex` and `itemsPerPage` (64-bit integers) and
    /// `Resources` (a list), with their usual Rust names, none required,
    /// read-only, sensitive or an extension, and no SCIM schema of its own.
    pub fn list_response_item(&self) -> Option<&TypeRef> {
        const SHAPE: [(&str, &str); 5] = [
            ("schemas", "schemas"),
            ("totalResults", "total_results"),
            ("startIndex", "start_index"),
            ("itemsPerPage", "items_per_page"),
            ("Resources", "resources"),
        ];
        let TypeKind::Struct {
            fields,
            scim_schema: None,
        } = &self.kind
        else {
            return None;
        };
        let plain = fields.len() == SHAPE.len()
            && fields.iter().zip(SHAPE).all(|(f, (wire, rust))| {
                f.wire_name == wire
                    && f.rust_name == rust
                    && !(f.required || f.read_only || f.sensitive || f.extension)
            });
        match fields.as_slice() {
            [schemas, total, start, per_page, resources]
                if plain
                    && schemas.ty == TypeRef::List(Box::new(TypeRef::String))
                    && [total, start, per_page]
                        .iter()
                        .all(|f| f.ty == TypeRef::I64) =>
            {
                match &resources.ty {
                    TypeRef::List(item) => Some(item),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; unknown ones are kept too.
    Struct {
        /// Properties in document order.
        fields: Vec<Field>,
        /// The core SCIM schema URN the spec gives the model (`x-scim-schema`):
        /// request bodies of it list that URN in `schemas`.
        scim_schema: Option<String>,
    },
    /// A string with a documented set of values; other values are kept too.
    Enum {
        /// Values in document order.
        variants: Vec<Variant>,
    },
}

/// A property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Key on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// Type.
    pub ty: TypeRef,
    /// Listed in `required`: the model's constructor takes it. The struct
    /// field is still an `Option`, because SCIM lets a caller leave any
    /// attribute out of a response (`attributes`/`excludedAttributes`).
    pub required: bool,
    /// `readOnly: true`: the server sets it.
    pub read_only: bool,
    /// `writeOnly: true` or `format: password`: never shown in `Debug`.
    pub sensitive: bool,
    /// The key is a URN: the property holds a SCIM schema extension.
    pub extension: bool,
    /// Description.
    pub description: Option<String>,
    /// Documented limits, in words (`0 ≤ value ≤ 5`, `at most 50 items`).
    pub constraints: Vec<String>,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Value on the wire.
    pub wire_value: String,
    /// Rust variant name.
    pub rust_name: String,
}

#[cfg(test)]
mod tests {
    use super::{Field, TypeDef, TypeKind, TypeRef};

    fn field(wire: &str, rust: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: wire.into(),
            rust_name: rust.into(),
            ty,
            required: false,
            read_only: false,
            sensitive: false,
            extension: false,
            description: None,
            constraints: Vec::new(),
        }
    }

    fn page(edit: impl FnOnce(&mut Vec<Field>)) -> TypeDef {
        let list = |t| TypeRef::List(Box::new(t));
        let mut fields = vec![
            field("schemas", "schemas", list(TypeRef::String)),
            field("totalResults", "total_results", TypeRef::I64),
            field("startIndex", "start_index", TypeRef::I64),
            field("itemsPerPage", "items_per_page", TypeRef::I64),
            field(
                "Resources",
                "resources",
                list(TypeRef::Named("User".into())),
            ),
        ];
        edit(&mut fields);
        TypeDef {
            name: "UserPage".into(),
            origin: "UserPage".into(),
            owner: None,
            description: None,
            kind: TypeKind::Struct {
                fields,
                scim_schema: None,
            },
        }
    }

    #[test]
    fn only_the_exact_scim_list_shape_is_a_list_response() {
        let user = TypeRef::Named("User".into());
        assert_eq!(page(|_| {}).list_response_item(), Some(&user));
        let not_lists: [fn(&mut Vec<Field>); 6] = [
            |f| f[0].required = true,
            |f| f[1].ty = TypeRef::I32,
            |f| f[2].read_only = true,
            |f| f[4].rust_name = "items".into(),
            |f| f.push(field("next", "next", TypeRef::String)),
            |f| f.swap(1, 2),
        ];
        for edit in not_lists {
            assert_eq!(page(edit).list_response_item(), None);
        }
    }
}
