//! Runs the fake Genesys Cloud SCIM server until the process is killed.
//!
//! Usage: `scim-fake [--port N]`. Prints the base URL, the static token and
//! the OAuth client credentials on start.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut builder = scim_fake::FakeServer::builder();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => match args.next().and_then(|p| p.parse::<u16>().ok()) {
                Some(port) => builder = builder.port(port),
                None => {
                    eprintln!("--port needs a number between 0 and 65535");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("usage: scim-fake [--port N]");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument '{other}'; usage: scim-fake [--port N]");
                return ExitCode::from(2);
            }
        }
    }
    let server = match builder.start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("could not start the fake server: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("base_url      {}", server.base_url());
    println!("token_url     {}", server.token_url());
    println!("token         {}", server.token());
    println!("client_id     {}", server.client_id());
    println!("client_secret {}", server.client_secret());
    println!(
        "SCIM API at {}/api/v2/scim/v2/ (Ctrl-C to stop)",
        server.base_url()
    );
    loop {
        std::thread::park();
    }
}
