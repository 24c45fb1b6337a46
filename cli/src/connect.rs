//! Building the SDK client from the connection options and the environment.

use crate::args::ConnectionArgs;
use crate::bounded_read;
use crate::demo;
use crate::error::Error;
use crate::render::escape_for_terminal;
use scim_fake::FakeServer;
use scim_sdk::{Client, ClientBuilder, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REGION, ENV_TOKEN};
use std::path::Path;

/// A client, and the embedded fake it talks to when `--fake` was given
/// (kept alive for as long as the client is used).
pub struct Connection {
    pub client: Client,
    /// Who the writes are made as, for the audit log: the client id, or
    /// `token:` and a fingerprint; never a secret.
    pub actor: String,
    /// The org as a state file is bound to: its base URL, with the OAuth
    /// client's id when there is one (two orgs of one region share a base
    /// URL; an OAuth client belongs to one org). A token names no org.
    pub org: String,
    _fake: Option<FakeServer>,
}

/// Reads one environment variable; empty counts as unset.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Connects as the options say: `--fake`, `--base-url`, or a region from
/// `--region` or `GENESYS_REGION`; a token from `--token`, `--token-file` or
/// `GENESYS_TOKEN` wins over `GENESYS_CLIENT_ID` with its secret. Nothing is sent
/// yet. Errors never quote a secret.
pub fn connect(args: &ConnectionArgs, env: Env<'_>, verbose: u8) -> Result<Connection, Error> {
    if args.fake {
        return connect_fake(verbose);
    }
    let region = args.region.clone().or_else(|| env(ENV_REGION));
    match (&args.base_url, &region) {
        (None, None) => {
            return Err(Error::Usage(
                "no org to talk to: pass --region REGION (or set GENESYS_REGION), \
                 --base-url URL, or --fake to try the embedded demo org"
                    .into(),
            ));
        }
        // Named as the operator gave it, flag or variable.
        (None, Some(region)) => parse_region(region)?,
        (Some(_), _) => {}
    }
    let token = match (&args.token, &args.token_file) {
        (Some(token), _) => Some(token.clone()),
        (None, Some(path)) => Some(read_secret(path)?),
        (None, None) => env(ENV_TOKEN),
    };
    let (secret, actor) = match (&token, env(ENV_CLIENT_ID)) {
        (Some(token), _) => (None, crate::audit::token_actor(token)),
        (None, Some(id)) => (Some(client_secret(env)?), id),
        (None, None) => {
            return Err(Error::Usage(
                "no credentials: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET_FILE \
                 (or GENESYS_CLIENT_SECRET), or pass --token-file (or set GENESYS_TOKEN)"
                    .into(),
            ));
        }
    };
    // The options win over the environment; the SDK reads the rest as
    // `Client::from_env` would.
    let vars = |name: &str| match name {
        ENV_REGION => region.clone(),
        ENV_TOKEN => token.clone(),
        ENV_CLIENT_SECRET => secret.clone(),
        other => env(other),
    };
    let mut builder = match &args.base_url {
        Some(url) => with_credentials(Client::builder().base_url(url), &vars),
        None => ClientBuilder::from_vars(vars).map_err(|e| Error::Usage(e.message()))?,
    }
    .log_bodies(verbose >= 2);
    if let Some(url) = &args.token_url {
        builder = builder.token_url(url);
    }
    let client = builder.build().map_err(|e| Error::Usage(e.message()))?;
    if verbose > 0 {
        eprintln!("genesys-scim: talking to {}", client.base_url());
    }
    let org = match token {
        None => format!("{} (OAuth client {actor})", client.base_url()),
        Some(_) => client.base_url().to_owned(),
    };
    Ok(Connection {
        client,
        actor,
        org,
        _fake: None,
    })
}

/// `--fake`: the embedded demo org, started for this run.
fn connect_fake(verbose: u8) -> Result<Connection, Error> {
    let server = demo::start()?;
    let client = Client::builder()
        .log_bodies(verbose >= 2)
        .base_url(server.base_url())
        .bearer(server.token())
        .build()?;
    if verbose > 0 {
        eprintln!("genesys-scim: embedded fake org at {}", server.base_url());
    }
    Ok(Connection {
        org: client.base_url().to_owned(),
        client,
        actor: "fake".into(),
        _fake: Some(server),
    })
}

/// The client secret, from `GENESYS_CLIENT_SECRET` or the file that
/// `GENESYS_CLIENT_SECRET_FILE` names (one of them, not both).
fn client_secret(env: Env<'_>) -> Result<String, Error> {
    match (
        env("GENESYS_CLIENT_SECRET"),
        env("GENESYS_CLIENT_SECRET_FILE"),
    ) {
        (Some(_), Some(_)) => Err(Error::Usage(
            "both GENESYS_CLIENT_SECRET and GENESYS_CLIENT_SECRET_FILE are set; keep one".into(),
        )),
        (Some(secret), None) => Ok(secret),
        (None, Some(path)) => read_secret(Path::new(&path)),
        (None, None) => Err(Error::Usage(
            "GENESYS_CLIENT_ID is set but not its secret: set GENESYS_CLIENT_SECRET_FILE \
             (or GENESYS_CLIENT_SECRET)"
                .into(),
        )),
    }
}

/// A token or secret kept in a file (`-`: stdin), without the line break
/// an editor adds. Errors name the file, never what it holds.
fn read_secret(path: &Path) -> Result<String, Error> {
    let name = path.display();
    let bytes = if path == Path::new("-") {
        bounded_read::read_stream(std::io::stdin().lock(), bounded_read::SECRET_LIMIT)
            .map_err(|e| Error::Usage(format!("the secret on stdin: {e}")))?
    } else {
        let refuse =
            |e: bounded_read::ReadError| Error::Usage(format!("the secret file {name}: {e}"));
        let file = std::fs::File::open(path).map_err(|e| refuse(e.into()))?;
        warn_if_others_can_read(path, &file);
        bounded_read::read_file(file, bounded_read::SECRET_LIMIT).map_err(refuse)?
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("the secret file {name} is not UTF-8 text")))?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(Error::Usage(format!("the secret file {name} is empty")));
    }
    Ok(secret.to_owned())
}

/// Warns, as `ssh` does for a private key, when other users may read the
/// file holding a secret (its group, or anyone).
#[cfg(unix)]
fn warn_if_others_can_read(path: &Path, file: &std::fs::File) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(metadata) = file.metadata() else {
        return;
    };
    let mode = metadata.permissions().mode() & 0o777;
    // Devices and pipes (`<(vault …)`) have modes of their own.
    if metadata.is_file() && mode & 0o044 != 0 {
        let name = escape_for_terminal(&path.display().to_string()).into_owned();
        eprintln!(
            "warning: the secret file {name} is readable by other users (mode {mode:03o}); \
             make it readable by you alone: chmod 600 {name}"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_others_can_read(_: &Path, _: &std::fs::File) {}

fn parse_region(name: &str) -> Result<(), Error> {
    name.parse::<scim_sdk::Region>()
        .map(drop)
        .map_err(|e| Error::Usage(e.message()))
}

/// A base URL of the caller's: the token, or the client id with its secret.
fn with_credentials(
    builder: ClientBuilder,
    vars: &dyn Fn(&str) -> Option<String>,
) -> ClientBuilder {
    match (
        vars(ENV_TOKEN),
        vars(ENV_CLIENT_ID),
        vars(ENV_CLIENT_SECRET),
    ) {
        (Some(token), _, _) => builder.bearer(token),
        (None, Some(id), Some(secret)) => builder.client_credentials(id, secret),
        // Refused above: there is a token or a client id with its secret.
        _ => builder,
    }
}

/// The process environment, with empty values treated as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
