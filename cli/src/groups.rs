//! `scim groups …`: list groups, list a group's members.

use crate::args::ListFormat;
use crate::error::Error;
use crate::listing::{self, PAGE_SIZE};
use crate::progress::Progress;
use crate::render::{self, JsonArray};
use crate::sheet;
use scim_sdk::Client;
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
    let group = client
        .find_group_by_name(group_name)?
        .ok_or_else(|| Error::NotFound(format!("no group is named `{group_name}`")))?;
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
                eprintln!("member {id} of `{group_name}` is not a user of the org; skipped");
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
