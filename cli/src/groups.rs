//! `genesys-scim groups …`: list groups, list a group's members.

use crate::args::ListFormat;
use crate::error::Error;
use crate::listing::{self, PAGE_SIZE};
use crate::progress::Progress;
use crate::render::{self, JsonArray};
use crate::sheet;
use scim_sdk::Client;
use scim_sdk::models::ScimV2Group;
use serde_json::Value;
use std::io::Write;

/// Columns of `groups members`.
const MEMBER_COLUMNS: [&str; 4] = ["id", "userName", "displayName", "active"];

pub fn list(client: &Client, output: ListFormat, out: &mut impl Write) -> Result<(), Error> {
    let groups = listing::all_groups(client)?;
    let values = groups
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<Value>, _>>()
        .map_err(std::io::Error::from)?;
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            vec![
                g.display_name.clone().unwrap_or_default(),
                g.members.as_ref().map_or(0, Vec::len).to_string(),
                g.id.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_list(
        out,
        output,
        &["displayName", "members", "id"],
        &rows,
        &values,
    )
}

/// Members are looked up one by one: SCIM filters have no `or`, and a
/// group is usually far smaller than the org.
pub fn members(
    client: &Client,
    group_name: &str,
    output: ListFormat,
    out: &mut impl Write,
) -> Result<(), Error> {
    let group = find(client, group_name)?;
    let ids: Vec<String> = group.member_ids().map(str::to_owned).collect();
    let progress = Progress::new("members", PAGE_SIZE as u64);
    progress.grow(ids.len() as u64);
    let (mut rows, mut values, mut missing) = (Vec::new(), Vec::new(), 0);
    for id in &ids {
        let user = client
            .get_scim_v2_user(id)
            .attributes(["userName", "displayName", "active"])
            .send();
        progress.advance(1);
        match user {
            Ok(user) => {
                let value = serde_json::to_value(&user).map_err(std::io::Error::from)?;
                rows.push(render::row(&value, &MEMBER_COLUMNS));
                values.push(value);
            }
            // Removed between the two reads, or a member that is not a user.
            Err(e) if e.is_not_found() => {
                eprintln!(
                    "member {} of `{}` is not a user of the org; skipped",
                    render::escape_for_terminal(id),
                    render::escape_for_terminal(group_name)
                );
                missing += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    drop(progress);
    print_list(out, output, &MEMBER_COLUMNS, &rows, &values)?;
    if missing > 0 {
        return Err(Error::Partial {
            failed: missing,
            total: ids.len(),
        });
    }
    Ok(())
}

/// The group with this name: the exact spelling first, else the one that
/// matches ignoring case, as the sync matches group names.
fn find(client: &Client, name: &str) -> Result<ScimV2Group, Error> {
    let groups = listing::all_groups(client)?;
    let named = |g: &&ScimV2Group, exact: bool| {
        g.display_name.as_deref().is_some_and(|n| {
            if exact {
                n == name
            } else {
                n.eq_ignore_ascii_case(name)
            }
        })
    };
    if let Some(group) = groups.iter().find(|g| named(g, true)) {
        return Ok(group.clone());
    }
    let mut alike = groups.iter().filter(|g| named(g, false));
    match (alike.next(), alike.next()) {
        (Some(group), None) => Ok(group.clone()),
        (None, _) => Err(Error::NotFound(format!("no group is named `{name}`"))),
        (Some(a), Some(b)) => Err(Error::Usage(format!(
            "`{name}` names more than one group ignoring case (`{}`, `{}`); give the exact name",
            a.display_name.as_deref().unwrap_or_default(),
            b.display_name.as_deref().unwrap_or_default()
        ))),
    }
}

fn print_list(
    out: &mut impl Write,
    output: ListFormat,
    headers: &[&str],
    rows: &[Vec<String>],
    values: &[Value],
) -> Result<(), Error> {
    match output {
        ListFormat::Table => render::write_table(out, headers, rows, render::table_width())?,
        ListFormat::Json => {
            let mut array = JsonArray::new(&mut *out);
            for v in values {
                array.push(v)?;
            }
            array.finish()?;
        }
        ListFormat::Csv => {
            let mut csv = sheet::Writer::new(&mut *out);
            csv.row(headers)?;
            for row in rows {
                csv.row(row)?;
            }
            csv.flush()?;
        }
    }
    Ok(())
}
