//! Routing and handlers for the SCIM endpoints. Authentication and fault
//! injection happen before this module is reached (see `lib.rs`).

use std::sync::Mutex;

use serde_json::{Map, Value, json};

use crate::filter::{compile_group, compile_user, parse};
use crate::http::{self, Reply};
use crate::patch;
use crate::project::Projection;
use crate::record::{Record, etag};
use crate::schema::{self, GROUP_DEF, LIST_URN, MAX_COUNT, ResourceDef, SPC_VERSION, USER_DEF};
use crate::store::{
    ScimError, Store, default_group_schemas, default_user_schemas, group_matches, normalize,
    require_string,
};
use crate::table::Table;
use crate::text::decode_segment;

/// Page size when `count` is absent.
pub(crate) const DEFAULT_COUNT: usize = 25;

/// The largest user page Genesys serves whatever its attributes.
const CHEAP_PAGE: usize = 25;

/// One API request as the handlers see it.
pub(crate) struct ApiRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub base_url: &'a str,
    pub started: &'a str,
    /// Refuse costly user pages (see `FakeServerBuilder::emulate_page_cost`).
    pub page_cost: bool,
}

impl ApiRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        http::header(self.headers, name)
    }
    /// Last value of a query parameter.
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn json_body(&self) -> Result<Value, ScimError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ScimError::bad("invalidSyntax", "the request body is empty"));
        }
        serde_json::from_slice(self.body).map_err(|e| {
            ScimError::bad(
                "invalidSyntax",
                format!("the request body is not valid JSON: {e}"),
            )
        })
    }
    fn json_object(&self) -> Result<Map<String, Value>, ScimError> {
        match self.json_body()? {
            Value::Object(m) => Ok(m),
            _ => Err(ScimError::bad(
                "invalidSyntax",
                "the request body must be a JSON object",
            )),
        }
    }
}

fn etag_matches(header: &str, current: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == current)
}

fn check_if_match(req: &ApiRequest<'_>, current: &str) -> Result<(), ScimError> {
    match req.header("If-Match") {
        Some(h) if !etag_matches(h, current) => Err(ScimError::bad(
            "invalidVers",
            format!("If-Match {h} does not match the current version {current}"),
        )),
        _ => Ok(()),
    }
}

/// The `304` answer when the request's If-None-Match names the current version `tag`.
fn not_modified(req: &ApiRequest<'_>, tag: &str) -> Option<Reply> {
    let h = req.header("If-None-Match")?;
    etag_matches(h, tag).then(|| Reply::empty(304).header("ETag", tag))
}

fn method_not_allowed(allowed: &str) -> Reply {
    ScimError::new(
        405,
        None,
        format!("method not allowed here; allowed: {allowed}"),
    )
    .reply()
    .header("Allow", allowed)
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|e| e.into_inner())
}

/// Routes and answers one authenticated API request.
pub(crate) fn handle(store: &Mutex<Store>, req: &ApiRequest<'_>) -> Reply {
    let (prefix, rest) = if let Some(r) = req.path.strip_prefix("/api/v2/scim/v2/") {
        ("/api/v2/scim/v2/", r)
    } else if let Some(r) = req.path.strip_prefix("/api/v2/scim/") {
        ("/api/v2/scim/", r)
    } else {
        return ScimError::not_found(format!("no resource at '{}'", req.path)).reply();
    };
    let base = format!("{}{prefix}", req.base_url);
    let v2 = prefix.ends_with("/v2/");
    // Resource names are matched ignoring case, as Genesys does: RFC 7644
    // clients such as Entra ID and Okta send `/Users` and `/Groups`.
    let (resource, ids) = rest
        .split_once('/')
        .map_or((rest, None), |(r, i)| (r, Some(i)));
    let resource = resource.to_ascii_lowercase();
    let segs: Vec<&str> = std::iter::once(resource.as_str())
        .chain(ids.into_iter().flat_map(|i| i.split('/')))
        .collect();
    let m = req.method;
    let result = match segs.as_slice() {
        ["users"] => match m {
            "GET" => list_users(store, req, &base),
            "POST" => create_user(store, req, &base),
            _ => return method_not_allowed("GET, POST"),
        },
        ["users", raw] => {
            let id = decode_segment(raw);
            match m {
                "GET" => get_one(store, req, &base, &id, Kind::User),
                "PUT" => put_user(store, req, &base, &id),
                "PATCH" => patch_one(store, req, &base, &id, Kind::User),
                "DELETE" => delete_user(store, req, &id),
                _ => return method_not_allowed("GET, PUT, PATCH, DELETE"),
            }
        }
        ["groups"] => match m {
            "GET" => list_groups(store, req, &base, v2),
            _ => return method_not_allowed("GET"),
        },
        ["groups", raw] => {
            let id = decode_segment(raw);
            match m {
                "GET" => get_one(store, req, &base, &id, Kind::Group),
                "PUT" => put_group(store, req, &base, &id),
                "PATCH" => patch_one(store, req, &base, &id, Kind::Group),
                _ => return method_not_allowed("GET, PUT, PATCH"),
            }
        }
        ["schemas"] => match m {
            "GET" => list_schemas(req, &base),
            _ => return method_not_allowed("GET"),
        },
        ["schemas", raw] => match m {
            "GET" => find_doc(schema::schemas(&base), &decode_segment(raw), "schema"),
            _ => return method_not_allowed("GET"),
        },
        ["resourcetypes"] => match m {
            "GET" => Ok(Reply::scim(200, &list_doc(schema::resource_types(&base)))),
            _ => return method_not_allowed("GET"),
        },
        ["resourcetypes", raw] => match m {
            "GET" => find_doc(
                schema::resource_types(&base),
                &decode_segment(raw),
                "resource type",
            ),
            _ => return method_not_allowed("GET"),
        },
        ["serviceproviderconfig"] => match m {
            "GET" => Ok(service_provider_config(req, &base)),
            _ => return method_not_allowed("GET"),
        },
        _ => Err(ScimError::not_found(format!(
            "no resource at '{}'",
            req.path
        ))),
    };
    result.unwrap_or_else(|e| e.reply())
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    User,
    Group,
}

impl Kind {
    fn def(self) -> &'static ResourceDef {
        match self {
            Kind::User => &USER_DEF,
            Kind::Group => &GROUP_DEF,
        }
    }
    fn table(self, s: &Store) -> &Table {
        match self {
            Kind::User => s.users(),
            Kind::Group => s.groups(),
        }
    }
    /// Changes a stored record through the store, which keeps its indexes.
    fn update(self, s: &mut Store, id: &str, change: impl FnOnce(&mut Record)) -> bool {
        match self {
            Kind::User => s.update_user(id, change),
            Kind::Group => s.update_group(id, change),
        }
    }
    fn render(self, s: &Store, r: &Record, base: &str) -> Value {
        match self {
            Kind::User => s.render_user(r, base),
            Kind::Group => s.render_group(r, base),
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
        }
    }
}

fn find<'s>(store: &'s Store, kind: Kind, id: &str) -> Result<&'s Record, ScimError> {
    kind.table(store)
        .get(id)
        .ok_or_else(|| ScimError::not_found(format!("{} '{id}' not found", kind.noun())))
}

/// Changes the record `id`, or fails with 404 if there is none.
fn update(
    store: &mut Store,
    kind: Kind,
    id: &str,
    change: impl FnOnce(&mut Record),
) -> Result<(), ScimError> {
    if kind.update(store, id, change) {
        Ok(())
    } else {
        Err(ScimError::not_found(format!(
            "{} '{id}' not found",
            kind.noun()
        )))
    }
}

/// Renders one resource with projection and the ETag header.
fn single(
    store: &Store,
    req: &ApiRequest<'_>,
    base: &str,
    kind: Kind,
    rec: &Record,
    status: u16,
) -> Reply {
    let proj = Projection::from_query(req.query);
    let v = proj.apply(kind.def(), kind.render(store, rec, base));
    let location = v
        .get("meta")
        .and_then(|m| m.get("location"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut reply = Reply::scim(status, &v).header("ETag", rec.etag());
    match location {
        Some(l) if status == 201 => reply = reply.header("Location", l),
        _ => {}
    }
    reply
}

fn get_one(
    store: &Mutex<Store>,
    req: &ApiRequest<'_>,
    base: &str,
    id: &str,
    kind: Kind,
) -> Result<Reply, ScimError> {
    let s = lock(store);
    let rec = find(&s, kind, id)?;
    if let Some(reply) = not_modified(req, &rec.etag()) {
        return Ok(reply);
    }
    Ok(single(&s, req, base, kind, rec, 200))
}

fn paging(req: &ApiRequest<'_>) -> Result<(usize, usize), ScimError> {
    let int = |name: &str| -> Result<Option<i64>, ScimError> {
        match req.param(name) {
            None => Ok(None),
            Some(s) => s.trim().parse::<i64>().map(Some).map_err(|_| {
                ScimError::bad(
                    "invalidValue",
                    format!("'{name}' must be an integer, got '{s}'"),
                )
            }),
        }
    };
    let start = int("startIndex")?.unwrap_or(1).max(1) as usize;
    let count = int("count")?
        .unwrap_or(DEFAULT_COUNT as i64)
        .clamp(0, MAX_COUNT as i64) as usize;
    Ok((start, count))
}

fn list_response(total: usize, start: usize, items: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_URN],
        "totalResults": total,
        "itemsPerPage": items.len(),
        "startIndex": start,
        "Resources": items,
    })
}

fn list_doc(items: Vec<Value>) -> Value {
    list_response(items.len(), 1, items)
}

/// The list answer for one page of records, `total` matching in all.
fn page(
    store: &Store,
    req: &ApiRequest<'_>,
    base: &str,
    kind: Kind,
    (total, records): (usize, Vec<&Record>),
    start: usize,
) -> Reply {
    let proj = Projection::from_query(req.query);
    let items: Vec<Value> = records
        .iter()
        .map(|r| proj.apply(kind.def(), kind.render(store, r, base)))
        .collect();
    Reply::scim(200, &list_response(total, start, items))
}

fn filter_param<'a>(req: &'a ApiRequest<'_>) -> Option<&'a str> {
    req.param("filter").map(str::trim).filter(|f| !f.is_empty())
}

fn list_users(store: &Mutex<Store>, req: &ApiRequest<'_>, base: &str) -> Result<Reply, ScimError> {
    let pred = match filter_param(req) {
        Some(f) => Some(
            parse(f)
                .and_then(|f| compile_user(&f))
                .map_err(|e| ScimError::bad("invalidFilter", e))?,
        ),
        None => None,
    };
    let (start, count) = paging(req)?;
    let s = lock(store);
    let found = s.users_page(pred.as_ref(), start, count);
    let proj = Projection::from_query(req.query);
    if req.page_cost && found.1.len() > CHEAP_PAGE && proj.returns_expensive_user_attributes() {
        let detail = format!(
            "a page of {} users with roles, groups, skills, languages or external ids is too costly; \
             ask for {CHEAP_PAGE} or fewer, or leave those out with attributes or excludedAttributes",
            found.1.len()
        );
        return Ok(ScimError::new(429, None, detail)
            .reply()
            .header("Retry-After", "1"));
    }
    Ok(page(&s, req, base, Kind::User, found, start))
}

fn list_groups(
    store: &Mutex<Store>,
    req: &ApiRequest<'_>,
    base: &str,
    v2: bool,
) -> Result<Reply, ScimError> {
    let pred = match filter_param(req) {
        Some(f) => Some(
            parse(f)
                .and_then(|f| compile_group(&f))
                .map_err(|e| ScimError::bad("invalidFilter", e))?,
        ),
        None if v2 => {
            return Err(ScimError::bad(
                "invalidValue",
                "the 'filter' parameter is required on /api/v2/scim/v2/groups",
            ));
        }
        None => None,
    };
    let (start, count) = paging(req)?;
    let s = lock(store);
    // Orgs have few groups: a scan is fine.
    let matched: Vec<&Record> = s
        .groups()
        .iter()
        .filter(|g| pred.as_ref().is_none_or(|p| group_matches(p, g)))
        .collect();
    let total = matched.len();
    let window = matched.into_iter().skip(start - 1).take(count).collect();
    Ok(page(&s, req, base, Kind::Group, (total, window), start))
}

fn create_user(store: &Mutex<Store>, req: &ApiRequest<'_>, base: &str) -> Result<Reply, ScimError> {
    let body = req.json_object()?;
    let (mut data, extras) = normalize(&USER_DEF, &body)?;
    require_string(&data, "userName")?;
    require_string(&data, "displayName")?;
    data.entry("active").or_insert(Value::Bool(true));
    data.entry("schemas").or_insert_with(default_user_schemas);
    let mut s = lock(store);
    check_user_name(&s, &data, None)?;
    let id = uuid::Uuid::new_v4().to_string();
    s.put_user(Record::new(id.clone(), data, extras.password));
    Ok(single(
        &s,
        req,
        base,
        Kind::User,
        find(&s, Kind::User, &id)?,
        201,
    ))
}

/// Requires a userName that no user other than `except` holds.
fn check_user_name(
    s: &Store,
    data: &Map<String, Value>,
    except: Option<&str>,
) -> Result<(), ScimError> {
    require_string(data, "userName")?;
    let name = data.get("userName").and_then(Value::as_str);
    s.check_unique_user_name(name.unwrap_or_default(), except)
}

fn check_body_id(extras_id: Option<&Value>, id: &str) -> Result<(), ScimError> {
    match extras_id {
        Some(v) if v.as_str() != Some(id) => Err(ScimError::bad(
            "mutability",
            "'id' is read-only and must match the resource being replaced",
        )),
        _ => Ok(()),
    }
}

fn put_user(
    store: &Mutex<Store>,
    req: &ApiRequest<'_>,
    base: &str,
    id: &str,
) -> Result<Reply, ScimError> {
    let mut s = lock(store);
    let active = {
        let rec = find(&s, Kind::User, id)?;
        check_if_match(req, &rec.etag())?;
        rec.active()
    };
    let body = req.json_object()?;
    let (mut data, extras) = normalize(&USER_DEF, &body)?;
    check_body_id(extras.id.as_ref(), id)?;
    check_user_name(&s, &data, Some(id))?;
    data.entry("active").or_insert(Value::Bool(active));
    data.entry("schemas").or_insert_with(default_user_schemas);
    let to = Change::new(req, base, Kind::User, id);
    commit(&mut s, to, data, extras.password)
}

/// Where a replacement or a patch goes.
struct Change<'a> {
    req: &'a ApiRequest<'a>,
    base: &'a str,
    kind: Kind,
    id: &'a str,
}

impl<'a> Change<'a> {
    fn new(req: &'a ApiRequest<'a>, base: &'a str, kind: Kind, id: &'a str) -> Self {
        Change {
            req,
            base,
            kind,
            id,
        }
    }
}

/// Stores validated attributes (and a new password, if one came) as a new
/// version of the record, and answers with it.
fn commit(
    s: &mut Store,
    to: Change<'_>,
    data: Map<String, Value>,
    password: Option<String>,
) -> Result<Reply, ScimError> {
    update(s, to.kind, to.id, |rec| {
        rec.data = data;
        if password.is_some() {
            rec.password = password;
        }
        rec.touch();
    })?;
    let rec = find(s, to.kind, to.id)?;
    Ok(single(s, to.req, to.base, to.kind, rec, 200))
}

fn put_group(
    store: &Mutex<Store>,
    req: &ApiRequest<'_>,
    base: &str,
    id: &str,
) -> Result<Reply, ScimError> {
    let mut s = lock(store);
    check_if_match(req, &find(&s, Kind::Group, id)?.etag())?;
    let body = req.json_object()?;
    let (mut data, extras) = normalize(&GROUP_DEF, &body)?;
    check_body_id(extras.id.as_ref(), id)?;
    require_string(&data, "displayName")?;
    s.check_members(&mut data)?;
    data.entry("schemas").or_insert_with(default_group_schemas);
    let to = Change::new(req, base, Kind::Group, id);
    commit(&mut s, to, data, None)
}

fn patch_one(
    store: &Mutex<Store>,
    req: &ApiRequest<'_>,
    base: &str,
    id: &str,
    kind: Kind,
) -> Result<Reply, ScimError> {
    let mut s = lock(store);
    let rec = find(&s, kind, id)?;
    check_if_match(req, &rec.etag())?;
    let mut working = rec.data.clone();
    let body = req.json_body()?;
    let def = kind.def();
    patch::apply(def, id, &mut working, &body)?;
    let (mut data, extras) = normalize(def, &working)?;
    match kind {
        Kind::User => check_user_name(&s, &data, Some(id))?,
        Kind::Group => {
            require_string(&data, "displayName")?;
            s.check_members(&mut data)?;
        }
    }
    let to = Change::new(req, base, kind, id);
    commit(&mut s, to, data, extras.password)
}

fn delete_user(store: &Mutex<Store>, req: &ApiRequest<'_>, id: &str) -> Result<Reply, ScimError> {
    let mut s = lock(store);
    check_if_match(req, &find(&s, Kind::User, id)?.etag())?;
    s.remove_user(id);
    Ok(Reply::empty(204))
}

fn list_schemas(req: &ApiRequest<'_>, base: &str) -> Result<Reply, ScimError> {
    if req.param("filter").is_some() {
        return Err(ScimError::new(
            403,
            None,
            "filtering schemas is not allowed",
        ));
    }
    Ok(Reply::scim(200, &list_doc(schema::schemas(base))))
}

fn find_doc(docs: Vec<Value>, id: &str, noun: &str) -> Result<Reply, ScimError> {
    docs.into_iter()
        .find(|d| {
            d.get("id")
                .and_then(Value::as_str)
                .is_some_and(|x| x.eq_ignore_ascii_case(id))
        })
        .map(|d| Reply::scim(200, &d))
        .ok_or_else(|| ScimError::not_found(format!("{noun} '{id}' not found")))
}

fn service_provider_config(req: &ApiRequest<'_>, base: &str) -> Reply {
    let tag = etag(SPC_VERSION);
    if let Some(reply) = not_modified(req, &tag) {
        return reply;
    }
    let doc = schema::service_provider_config(base, req.started, &tag);
    Reply::scim(200, &doc).header("ETag", tag)
}
