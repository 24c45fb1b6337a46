//! `genesys-scim export users`: the whole org as a people file.

use crate::args::FileFormat;
use crate::error::Error;
use crate::listing::{self, PAGE_SIZE, States};
use crate::people::{Column, Desired, Directory, Format, PeopleWriter, Person, person_from_user};
use crate::progress::Progress;
use crate::render::escape_for_terminal;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use std::collections::HashMap;
use std::io::Write;

/// What export reads of each user: exactly what the people file carries.
const ATTRIBUTES: [&str; 11] = [
    "userName",
    "displayName",
    "externalId",
    "active",
    "title",
    "emails",
    "phoneNumbers",
    "groups",
    "roles",
    scim_sdk::schemas::ENTERPRISE_USER,
    scim_sdk::schemas::GENESYS_USER,
];

/// Writes every user, active or not, sorted by userName so that two
/// exports compare line by line. Every user gets a row: a value the format
/// cannot carry leaves its cell empty, with a warning on stderr naming the
/// user and the column. A row whose userName cannot be read back makes the
/// exit code 1.
pub fn users(client: &Client, output: FileFormat, out: &mut impl Write) -> Result<(), Error> {
    let (users, directory) = read_org(client)?;
    let mut people: Vec<Person> = users
        .iter()
        .map(|user| {
            let (person, warnings) = person_from_user(user, &directory);
            for w in warnings {
                eprintln!("warning: {}", escape_for_terminal(&w));
            }
            person
        })
        .collect();
    for w in unshare_external_ids(&mut people) {
        eprintln!("warning: {}", escape_for_terminal(&w));
    }
    let format = match output {
        FileFormat::Csv => Format::Csv,
        FileFormat::Jsonl => Format::Jsonl,
    };
    let mut writer = PeopleWriter::new(format, &mut *out)?;
    let mut broken = 0;
    for (user, person) in users.iter().zip(&people) {
        for lossy in writer.write(person)? {
            let message = escape_for_terminal(&lossy.to_string()).into_owned();
            if lossy.breaks_the_file() {
                let id = user.id.as_deref().unwrap_or("without id");
                eprintln!("error: {message} (user id {})", escape_for_terminal(id));
                broken += 1;
            } else {
                eprintln!("warning: {message}");
            }
        }
    }
    writer.finish()?;
    eprintln!("exported {} users", users.len());
    if broken > 0 {
        return Err(Error::Partial {
            failed: broken,
            total: users.len(),
        });
    }
    Ok(())
}

/// Every user, sorted by userName, and the names their ids refer to.
fn read_org(client: &Client) -> Result<(Vec<ScimV2User>, Directory), Error> {
    let mut directory = Directory::default();
    for group in listing::all_groups(client)? {
        if let (Some(id), Some(name)) = (group.id, group.display_name) {
            directory.group_names.insert(id, name);
        }
    }
    let queries = listing::user_queries(None, States::Both)?;
    let attributes = ATTRIBUTES.map(str::to_owned);
    let progress = Progress::new("users", PAGE_SIZE as u64);
    let mut users: Vec<ScimV2User> = Vec::new();
    listing::for_each_user(client, &queries, &attributes, &progress, |user| {
        if let (Some(id), Some(name)) = (&user.id, &user.user_name) {
            directory.user_names.insert(id.clone(), name.clone());
        }
        users.push(user);
        Ok(())
    })?;
    drop(progress);
    users.sort_by_cached_key(|u| u.user_name.as_deref().map(str::to_lowercase));
    Ok((users, directory))
}

/// A people file holds each externalId once, but Genesys lets several users
/// share one (a rehire: the old account inactive, the new one active). The
/// only active holder keeps it; the others' cells are left empty, so the
/// file reads back and their rows still match by userName.
fn unshare_external_ids(people: &mut [Person]) -> Vec<String> {
    let mut holders: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        if let Desired::Set(id) = p.external_id() {
            holders.entry(id.clone()).or_default().push(i);
        }
    }
    let mut shared: Vec<(String, Vec<usize>)> =
        holders.into_iter().filter(|(_, h)| h.len() > 1).collect();
    shared.sort();
    let mut warnings = Vec::new();
    for (id, holders) in shared {
        let active: Vec<usize> = holders
            .iter()
            .copied()
            .filter(|&i| people[i].active)
            .collect();
        let keeper = match active.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        let names: Vec<&str> = holders
            .iter()
            .map(|&i| people[i].user_name.as_str())
            .collect();
        let names = names.join(", ");
        let kept = keeper.map_or(String::new(), |k| {
            format!("; the active {} keeps it", people[k].user_name)
        });
        for &i in holders.iter().filter(|&&i| Some(i) != keeper) {
            warnings.push(format!(
                "{}: the externalId cell is left empty: `{id}` is shared by {names}{kept}",
                people[i].user_name
            ));
            people[i].set(Column::EXTERNAL_ID, Desired::Keep);
        }
    }
    warnings
}
