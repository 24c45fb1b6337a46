//! Building the SDK client from the connection options and the environment.

use crate::args::ConnectionArgs;
use crate::demo;
use crate::error::Error;
use scim_fake::FakeServer;
use scim_sdk::{Client, Region};
use std::io::Read;
use std::path::Path;

/// A client, and the embedded fake it talks to when `--fake` was given
/// (kept alive for as long as the client is used).
pub struct Connection {
    pub client: Client,
    /// Who the writes are made as, for the audit log: the client id, or
    /// `token:` and a fingerprint; never a secret.
    pub actor: String,
    _fake: Option<FakeServer>,
}

/// Reads one environment variable; empty counts as unset.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Connects as the options say: `--fake`, `--base-url`, or a region from
/// `--region` or `GENESYS_REGION`; a token from `--token`, `--token-file` or
/// `GENESYS_TOKEN` wins over `GENESYS_CLIENT_ID` with its secret. Nothing is sent
/// yet. Errors never quote a secret.
pub fn connect(args: &ConnectionArgs, env: Env<'_>, verbose: u8) -> Result<Connection, Error> {
    let builder = Client::builder().log_bodies(verbose >= 2);
    if args.fake {
        let server = demo::start()?;
        let client = builder
            .base_url(server.base_url())
            .bearer(server.token())
            .build()?;
        if verbose > 0 {
            eprintln!("genesys-scim: embedded fake org at {}", server.base_url());
        }
        return Ok(Connection {
            client,
            actor: "fake".into(),
            _fake: Some(server),
        });
    }
    let mut builder = match (&args.base_url, &args.region) {
        (Some(url), _) => builder.base_url(url),
        (None, Some(region)) => builder.region(parse_region(region)?),
        (None, None) => match env("GENESYS_REGION") {
            Some(region) => builder.region(parse_region(&region)?),
            None => {
                return Err(Error::Usage(
                    "no org to talk to: pass --region REGION (or set GENESYS_REGION), \
                     --base-url URL, or --fake to try the embedded demo org"
                        .into(),
                ));
            }
        },
    };
    if let Some(url) = &args.token_url {
        builder = builder.token_url(url);
    }
    let token = match (&args.token, &args.token_file) {
        (Some(token), _) => Some(token.clone()),
        (None, Some(path)) => Some(read_secret(path)?),
        (None, None) => env("GENESYS_TOKEN"),
    };
    let (builder, actor) = match (token, env("GENESYS_CLIENT_ID")) {
        (Some(token), _) => {
            let actor = crate::audit::token_actor(&token);
            (builder.bearer(token), actor)
        }
        (None, Some(id)) => {
            let actor = id.clone();
            (builder.client_credentials(id, client_secret(env)?), actor)
        }
        (None, None) => {
            return Err(Error::Usage(
                "no credentials: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET_FILE \
                 (or GENESYS_CLIENT_SECRET), or pass --token-file (or set GENESYS_TOKEN)"
                    .into(),
            ));
        }
    };
    let client = builder.build().map_err(|e| Error::Usage(e.message()))?;
    if verbose > 0 {
        eprintln!("genesys-scim: talking to {}", client.base_url());
    }
    Ok(Connection {
        client,
        actor,
        _fake: None,
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
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map(|_| text)
            .map_err(|e| Error::Usage(format!("cannot read the secret from stdin: {e}")))?
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| Error::Usage(format!("cannot read the secret file {name}: {e}")))?
    };
    let secret = text.trim();
    if secret.is_empty() {
        return Err(Error::Usage(format!("the secret file {name} is empty")));
    }
    Ok(secret.to_owned())
}

fn parse_region(name: &str) -> Result<Region, Error> {
    name.parse::<Region>()
        .map_err(|e| Error::Usage(e.message()))
}

/// The process environment, with empty values treated as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
