//! Building the SDK client from the connection options and the environment.

use crate::args::ConnectionArgs;
use crate::demo;
use crate::error::Error;
use scim_fake::FakeServer;
use scim_sdk::{Client, Region};

/// A client, and the embedded fake it talks to when `--fake` was given
/// (kept alive for as long as the client is used).
pub struct Connection {
    pub client: Client,
    _fake: Option<FakeServer>,
}

/// Reads one environment variable; empty counts as unset.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Connects as the options say: `--fake`, `--base-url`, or a region from
/// `--region` or `GENESYS_REGION`; a token from `--token` or `GENESYS_TOKEN`
/// wins over `GENESYS_CLIENT_ID`/`GENESYS_CLIENT_SECRET`. Nothing is sent
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
    let token = args.token.clone().or_else(|| env("GENESYS_TOKEN"));
    let builder = match (
        token,
        env("GENESYS_CLIENT_ID"),
        env("GENESYS_CLIENT_SECRET"),
    ) {
        (Some(token), _, _) => builder.bearer(token),
        (None, Some(id), Some(secret)) => builder.client_credentials(id, secret),
        _ => {
            return Err(Error::Usage(
                "no credentials: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET, \
                 or pass --token (or set GENESYS_TOKEN)"
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
        _fake: None,
    })
}

fn parse_region(name: &str) -> Result<Region, Error> {
    name.parse::<Region>()
        .map_err(|e| Error::Usage(e.message()))
}

/// The process environment, with empty values treated as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
