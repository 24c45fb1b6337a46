//! `genesys-scim users …`: list, get, deactivate, set-external-id, delete.

use crate::args::{ListFormat, ListUsersArgs, RecordFormat};
use crate::audit::{self, AuditLog, Entry};
use crate::error::Error;
use crate::listing::{self, PAGE_SIZE, States};
use crate::progress::Progress;
use crate::render::{self, JsonArray, escape_for_terminal};
use crate::sheet;
use scim_sdk::Client;
use scim_sdk::Filter;
use scim_sync::{ApplyOptions, ItemStatus, Outcome};
use serde_json::Value;
use std::io::{self, IsTerminal, Write};

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
    who: &str,
    output: RecordFormat,
    out: &mut impl Write,
) -> Result<(), Error> {
    let user = fetch(client, who, None)?;
    match output {
        RecordFormat::Json => {
            render::write_json(out, &user, true)?;
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

pub fn deactivate(client: &Client, who: &str, audit: Option<AuditLog>) -> Result<(), Error> {
    let user = fetch(client, who, Some(&["userName", "active"]))?;
    let id = user_id(&user)?;
    let name = shown(&user, "userName");
    if user.get("active") == Some(&Value::Bool(false)) {
        eprintln!(
            "{name} ({}) is already inactive; nothing sent",
            escape_for_terminal(id)
        );
        return Ok(());
    }
    let off = audit::change("active", Value::Bool(true), Value::Bool(false));
    let done = guarded(client, id, Action::Deactivate, audit, vec![off])?;
    match done.status {
        ItemStatus::Done(Outcome::Unchanged) => eprintln!(
            "{name} ({}) is already inactive; nothing sent",
            escape_for_terminal(id)
        ),
        ItemStatus::Done(_) => eprintln!("deactivated {name} ({})", escape_for_terminal(id)),
        status => return Err(failed(status, who)),
    }
    Ok(())
}

/// Gives the user the externalId, settling a plan's decision: the engine
/// refuses, sending nothing, an externalId another user holds.
pub fn set_external_id(
    client: &Client,
    who: &str,
    external_id: &str,
    audit: Option<AuditLog>,
) -> Result<(), Error> {
    let wanted = external_id.trim();
    if wanted.is_empty() {
        return Err(Error::Usage(
            "the externalId is empty: give the one the row gives".into(),
        ));
    }
    let user = fetch(client, who, Some(&["userName", "externalId"]))?;
    let id = user_id(&user)?;
    let name = shown(&user, "userName");
    let before = user.get("externalId").cloned().unwrap_or(Value::Null);
    let change = audit::change("externalId", before, Value::from(wanted));
    let action = Action::SetExternalId(wanted);
    let done = guarded(client, id, action, audit, vec![change])?;
    match done.status {
        ItemStatus::Done(Outcome::Unchanged) => eprintln!(
            "{name} ({}) already has externalId {}; nothing sent",
            escape_for_terminal(id),
            escape_for_terminal(wanted)
        ),
        ItemStatus::Done(_) => eprintln!(
            "{name} ({}) now has externalId {}",
            escape_for_terminal(id),
            escape_for_terminal(wanted)
        ),
        status => return Err(failed(status, who)),
    }
    Ok(())
}

/// Deletes after a yes at the terminal, or with `--yes`; without either
/// (a script, a pipe) it refuses before sending anything.
pub fn delete(client: &Client, who: &str, yes: bool, audit: Option<AuditLog>) -> Result<(), Error> {
    let interactive = io::stdin().is_terminal();
    if !yes && !interactive {
        return Err(Error::Usage(
            "refusing to delete without confirmation: stdin is not a terminal; \
             pass --yes to delete. Nothing was sent"
                .into(),
        ));
    }
    let user = fetch(client, who, Some(&["userName", "displayName", "active"]))?;
    let id = user_id(&user)?;
    let name = shown(&user, "userName");
    if !yes {
        confirm_delete(&user, id)?;
    }
    let done = guarded(client, id, Action::Delete, audit, Vec::new())?;
    match done.status {
        ItemStatus::Done(_) => eprintln!("deleted {name} ({})", escape_for_terminal(id)),
        status => return Err(failed(status, who)),
    }
    Ok(())
}

enum Action<'a> {
    Deactivate,
    Delete,
    SetExternalId(&'a str),
}

/// The engine's guarded write (read, then `If-Match`), its audit line
/// written from what the engine reports; the run's first line is written
/// before anything is sent, and nothing is sent if it cannot be.
fn guarded(
    client: &Client,
    id: &str,
    action: Action<'_>,
    audit: Option<AuditLog>,
    changes: Vec<audit::Change>,
) -> Result<scim_sync::Progress, Error> {
    let mut options = ApplyOptions::default().rate_limit(None);
    let (command, verb) = match action {
        Action::Deactivate => ("users deactivate", "deactivate"),
        Action::Delete => ("users delete", "delete"),
        Action::SetExternalId(_) => ("users set-external-id", "set_external_id"),
    };
    if let Some(log) = audit {
        log.run_started(command, 1)?;
        options = options.record(move |p| {
            let entry = Entry {
                action: verb,
                changes: changes.clone(),
            };
            log.item(entry, p)
        });
    }
    Ok(match action {
        Action::Deactivate => scim_sync::deactivate_user(client, id, &options)?,
        Action::Delete => scim_sync::delete_user(client, id, &options)?,
        Action::SetExternalId(x) => scim_sync::set_external_id(client, id, x, &options)?,
    })
}

/// The error of a write that did not go through.
fn failed(status: ItemStatus, who: &str) -> Error {
    match status {
        ItemStatus::Failed(e) if e.status == Some(404) => not_found_message(who),
        ItemStatus::Drifted => not_found_message(who),
        ItemStatus::Failed(e) => Error::Write(Box::new(e)),
        other => Error::Usage(format!("not done: {other:?}")),
    }
}

fn confirm_delete(user: &Value, id: &str) -> Result<(), Error> {
    let mut err = io::stderr().lock();
    let name = shown(user, "userName");
    write!(err, "Delete {name} ({})", escape_for_terminal(id))?;
    if user.get("displayName").is_some() {
        write!(err, ", {}", shown(user, "displayName"))?;
    }
    write!(err, " for good? This cannot be undone. [y/N] ")?;
    crate::prompt::yes_or_cancel(&mut err)
}

/// The user `who` names, as JSON: an id, or a userName (ignoring case,
/// inactive users included). A word without `@` is tried as an id first;
/// Genesys userNames are email addresses.
fn fetch(client: &Client, who: &str, attributes: Option<&[&str]>) -> Result<Value, Error> {
    let who = who.trim();
    if who.is_empty() {
        return Err(Error::Usage(
            "the user is empty: give an id or a userName".into(),
        ));
    }
    if !who.contains('@')
        && let Some(user) = get_by_id(client, who, attributes)?
    {
        return Ok(user);
    }
    let id = id_of_user_name(client, who)?;
    get_by_id(client, &id, attributes)?.ok_or_else(|| not_found_message(who))
}

/// One user as JSON; `None` if no user has this id.
fn get_by_id(
    client: &Client,
    id: &str,
    attributes: Option<&[&str]>,
) -> Result<Option<Value>, Error> {
    let mut request = client.get_scim_v2_user(id);
    if let Some(a) = attributes {
        request = request.attributes(a.iter().copied());
    }
    match request.send() {
        Ok(user) => Ok(Some(serde_json::to_value(&user).map_err(io::Error::from)?)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The id of the one user with this userName, active or not.
fn id_of_user_name(client: &Client, name: &str) -> Result<String, Error> {
    let filter = Filter::eq("userName", name)?;
    let queries = listing::user_queries(Some(filter.as_str()), States::Both)?;
    let mut ids = Vec::new();
    let progress = Progress::new("users", PAGE_SIZE as u64);
    listing::for_each_user(client, &queries, &["userName".into()], &progress, |u| {
        ids.extend(u.id);
        Ok(())
    })?;
    match ids.as_slice() {
        [] => Err(not_found_message(name)),
        [id] => Ok(id.clone()),
        many => Err(Error::Usage(format!(
            "`{name}` is the userName of {} users (ids {}); give the id",
            many.len(),
            many.join(", ")
        ))),
    }
}

fn not_found_message(who: &str) -> Error {
    Error::NotFound(format!("no user has the id or userName `{who}`"))
}

fn user_id(user: &Value) -> Result<&str, Error> {
    user.get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::NotFound("the API returned the user without an id".into()))
}

/// A user's attribute, fit for the terminal.
fn shown(user: &Value, attribute: &str) -> String {
    match user.get(attribute).and_then(Value::as_str) {
        Some(v) => escape_for_terminal(v).into_owned(),
        None => format!("(no {attribute})"),
    }
}
