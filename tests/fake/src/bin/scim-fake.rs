//! Runs the fake Genesys Cloud SCIM server until the process is killed.
//!
//! Usage: `scim-fake [--port N] [--rate-limit N] [--service-time-ms N] [--page-cost]`.
//! Prints the base URL, the static token and the OAuth client credentials
//! on start.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: scim-fake [--port N] [--rate-limit REQUESTS_PER_MINUTE] [--service-time-ms N] [--page-cost]";

/// The number after a flag, or a message naming the flag.
fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number; {USAGE}"))
}

fn builder(
    args: impl Iterator<Item = String>,
) -> Result<Option<scim_fake::FakeServerBuilder>, String> {
    let mut args = args;
    let mut builder = scim_fake::FakeServer::builder();
    while let Some(arg) = args.next() {
        builder = match arg.as_str() {
            "--port" => builder.port(number(&arg, args.next())?),
            "--rate-limit" => builder.rate_limit(number(&arg, args.next())?),
            "--service-time-ms" => {
                builder.service_time(Duration::from_millis(number(&arg, args.next())?))
            }
            "--page-cost" => builder.emulate_page_cost(true),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument '{other}'; {USAGE}")),
        };
    }
    Ok(Some(builder))
}

fn main() -> ExitCode {
    let builder = match builder(std::env::args().skip(1)) {
        Ok(Some(b)) => b,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let server = match builder.start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("could not start the fake server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let banner = format!(
        "base_url      {base}\ntoken_url     {}\ntoken         {}\nclient_id     {}\n\
         client_secret {}\nSCIM API at {base}/api/v2/scim/v2/ (Ctrl-C to stop)\n",
        server.token_url(),
        server.token(),
        server.client_id(),
        server.client_secret(),
        base = server.base_url(),
    );
    // Whoever started us may stop reading; the server keeps serving.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    loop {
        std::thread::park();
    }
}
