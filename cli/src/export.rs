//! `scim export users`: the whole org as a people file.

use crate::args::FileFormat;
use crate::error::Error;
use crate::listing::{self, PAGE_SIZE, States};
use crate::people::{Directory, Format, PeopleWriter, person_from_user};
use crate::progress::Progress;
use crate::render::escape_for_terminal;
use scim_sdk::Client;
use scim_sdk::models::ScimV2User;
use std::io::Write;

/// What export reads of each user: exactly what the people file carries.
const ATTRIBUTES: [&str; 9] = [
    "userName",
    "displayName",
    "externalId",
    "active",
    "title",
    "emails",
    "phoneNumbers",
    "groups",
    scim_sdk::schemas::ENTERPRISE_USER,
];

/// Writes every user, active or not, sorted by userName so that two
/// exports compare line by line. Every user gets a row: a value the format
/// cannot carry leaves its cell empty, with a warning on stderr naming the
/// user and the column. A row whose userName cannot be read back makes the
/// exit code 1.
pub fn users(client: &Client, output: FileFormat, out: &mut impl Write) -> Result<(), Error> {
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
    let format = match output {
        FileFormat::Csv => Format::Csv,
        FileFormat::Jsonl => Format::Jsonl,
    };
    let mut writer = PeopleWriter::new(format, &mut *out)?;
    let mut broken = 0;
    for user in &users {
        let (person, warnings) = person_from_user(user, &directory);
        for w in warnings {
            eprintln!("warning: {}", escape_for_terminal(&w));
        }
        for lossy in writer.write(&person)? {
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
