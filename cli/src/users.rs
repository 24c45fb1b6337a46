//! `scim users …`: list, get, deactivate, delete.

use crate::args::{ListFormat, ListUsersArgs, RecordFormat};
use crate::error::Error;
use crate::listing::{self, PAGE_SIZE, States};
use crate::progress::Progress;
use crate::render::{self, JsonArray};
use crate::sheet;
use scim_sdk::Client;
use scim_sdk::models::ScimV2PatchRequest;
use serde_json::Value;
use std::io::Write;

/// Columns of `users list` when `--attributes` is not given.
const DEFAULT_COLUMNS: [&str; 7] = [
    "id",
    "userName",
    "displayName",
    "active",
    "externalId",
    "title",
    "division",
];

pub fn list(client: &Client, args: &ListUsersArgs, out: &mut impl Write) -> Result<(), Error> {
    let states = if args.all {
        States::Both
    } else {
        States::Default
    };
    let queries = listing::user_queries(args.filter.as_deref(), states)?;
    let attributes: Vec<String> = args
        .attributes
        .iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    let columns = columns(&attributes);
    let progress = Progress::new("users", PAGE_SIZE as u64);
    let each = |f: &mut dyn FnMut(Value) -> Result<(), Error>| {
        listing::for_each_user(client, &queries, &attributes, &progress, |user| {
            f(serde_json::to_value(&user).map_err(std::io::Error::from)?)
        })
    };
    match args.output {
        ListFormat::Table => {
            let mut rows = Vec::new();
            each(&mut |user| {
                rows.push(render::row(&user, &columns));
                Ok(())
            })?;
            drop(progress);
            let headers: Vec<&str> = columns.iter().map(String::as_str).collect();
            render::write_table(out, &headers, &rows, render::table_width())?;
            eprintln!("{} users", rows.len());
        }
        ListFormat::Json => {
            let mut array = JsonArray::new(&mut *out);
            each(&mut |user| Ok(array.push(&user)?))?;
            array.finish()?;
        }
        ListFormat::Csv => {
            let mut csv = sheet::Writer::new(&mut *out);
            csv.row(&columns)?;
            each(&mut |user| Ok(csv.row(render::row(&user, &columns))?))?;
            csv.flush()?;
        }
    }
    Ok(())
}

/// `id` and `userName` always come first, so every row says whose it is.
fn columns(attributes: &[String]) -> Vec<String> {
    if attributes.is_empty() {
        return DEFAULT_COLUMNS.map(str::to_owned).to_vec();
    }
    let mut columns: Vec<String> = ["id", "userName"]
        .into_iter()
        .filter(|c| !attributes.iter().any(|a| a.eq_ignore_ascii_case(c)))
        .map(str::to_owned)
        .collect();
    columns.extend(attributes.iter().cloned());
    columns
}

pub fn get(
    client: &Client,
    id: &str,
    output: RecordFormat,
    out: &mut impl Write,
) -> Result<(), Error> {
    let user = fetch(client, id, None)?;
    match output {
        RecordFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &user).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        RecordFormat::Table => {
            render::write_table(
                out,
                &["attribute", "value"],
                &render::record_rows(&user),
                render::table_width(),
            )?;
        }
    }
    Ok(())
}

pub fn deactivate(client: &Client, id: &str) -> Result<(), Error> {
    let user = fetch(client, id, Some(&["userName", "active"]))?;
    let name = user_name(&user);
    if user.get("active") == Some(&Value::Bool(false)) {
        eprintln!("{name} ({id}) is already inactive; nothing sent");
        return Ok(());
    }
    let change = ScimV2PatchRequest::patch_op().replace("active", Value::Bool(false));
    client
        .patch_scim_v2_user(id, change)
        .send()
        .map(|_| ())
        .map_err(|e| not_found(e, id))?;
    eprintln!("deactivated {name} ({id})");
    Ok(())
}

pub fn delete(client: &Client, id: &str) -> Result<(), Error> {
    let user = fetch(client, id, Some(&["userName"]))?;
    client
        .delete_scim_v2_user(id)
        .send()
        .map_err(|e| not_found(e, id))?;
    eprintln!("deleted {} ({id})", user_name(&user));
    Ok(())
}

/// One user as JSON, with a plain message when the id is unknown.
fn fetch(client: &Client, id: &str, attributes: Option<&[&str]>) -> Result<Value, Error> {
    if id.trim().is_empty() {
        return Err(Error::Usage("the user id is empty".into()));
    }
    let mut request = client.get_scim_v2_user(id);
    if let Some(a) = attributes {
        request = request.attributes(a.iter().copied());
    }
    let user = request.send().map_err(|e| not_found(e, id))?;
    Ok(serde_json::to_value(&user).map_err(std::io::Error::from)?)
}

fn not_found(e: scim_sdk::Error, id: &str) -> Error {
    if e.is_not_found() {
        Error::NotFound(format!("no user has the id `{id}`"))
    } else {
        Error::Api(e)
    }
}

fn user_name(user: &Value) -> &str {
    user.get("userName")
        .and_then(Value::as_str)
        .unwrap_or("(no userName)")
}
