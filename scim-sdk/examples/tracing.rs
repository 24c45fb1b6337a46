//! Logging the SDK with `tracing`, without logging credentials.
//!
//! ```sh
//! cargo run -p scim-sdk --example tracing
//! RUST_LOG_ALL=trace cargo run -p scim-sdk --example tracing   # everything at TRACE, still safe
//! ```
//!
//! The SDK's own events never carry secrets. ureq's protocol crate
//! (`ureq_proto`) is another matter: at TRACE it hex-dumps every request and
//! answer as sent, `Authorization` headers, client secrets and the token
//! endpoint's answer included. `tracing_subscriber`'s default features
//! forward `log` records such as these, so the filter below keeps
//! `ureq_proto` (and `ureq`, whose TRACE output shows query strings) at DEBUG
//! whatever level the rest of the program logs at.

use scim_sdk::Client;
use scim_sdk::models::ScimV2CreateUser;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

/// The filter to copy: `level` for everything, but never TRACE for ureq.
fn filter(level: LevelFilter) -> Targets {
    let ureq_cap = level.min(LevelFilter::DEBUG);
    Targets::new()
        .with_default(level)
        .with_target("ureq_proto", ureq_cap)
        .with_target("ureq", ureq_cap)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let level = match std::env::var("RUST_LOG_ALL").as_deref() {
        Ok("trace") => LevelFilter::TRACE,
        _ => LevelFilter::DEBUG,
    };
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_target(true))
        .with(filter(level))
        .init(); // also routes `log` records (ureq's) into tracing

    // The embedded fake stands in for Genesys Cloud; with real credentials
    // only the builder changes (`.region(…)`).
    let server = scim_fake::FakeServer::start()?;
    let client = Client::builder()
        .base_url(server.base_url())
        .token_url(server.token_url())
        .client_credentials(server.client_id(), server.client_secret())
        .log_bodies(true) // redacted JSON bodies at DEBUG: only while diagnosing
        .build()?;

    let mut jane = ScimV2CreateUser::new("jane@example.com", "Jane Doe");
    jane.password = Some("never-logged-1".into());
    let created = client.post_scim_v2_users(jane).send()?;
    let id = created.id.unwrap_or_default();
    client.get_scim_v2_user(&id).send()?;
    client.delete_scim_v2_user(&id).send()?;
    println!("done: the log above holds no token, secret or password");
    Ok(())
}
