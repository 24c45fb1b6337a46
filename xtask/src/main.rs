//! Project automation.
//!
//! - `cargo xtask regenerate [--check]` rebuilds the SDK's generated modules
//!   from the OpenAPI document, and the fixture outputs.
//! - `cargo xtask generate SPEC OUT_DIR [--runtime-crate NAME] [--timings]`
//!   generates code for any spec, for trying the generator on other
//!   documents and for timing it (`--timings` prints each stage).
//! - `cargo xtask shape [WORKSPACE_ROOT]` prints the longest hand-written
//!   functions, the largest files and any module cycle, and fails when a
//!   rule is broken (another root measures another checkout, e.g. an old one).
//! - `cargo xtask fuzz [TARGET] [--time SECONDS] [--cmin]` runs the fuzz
//!   targets in `fuzz/` on nightly (see `fuzz.rs`).
#![forbid(unsafe_code)]

mod fuzz;
mod outputs;
mod shape;
mod walk;

use outputs::Change;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regenerate [--check]
       cargo xtask generate SPEC OUT_DIR [--runtime-crate NAME] [--timings]
       cargo xtask shape [WORKSPACE_ROOT]
       cargo xtask fuzz [TARGET] [--time SECONDS] [--cmin]";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What is out of date in every generated tree.
fn changes(root: &Path) -> Result<Vec<Change>, String> {
    let mut all = Vec::new();
    for target in outputs::targets(root)? {
        all.extend(target.changes()?);
    }
    Ok(all)
}

fn regenerate(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let started = std::time::Instant::now();
    let changes = changes(&root)?;
    if check {
        if changes.is_empty() {
            println!("generated files are up to date ({:.0?})", started.elapsed());
            return Ok(());
        }
        for change in &changes {
            eprintln!("{}", change.describe(&root));
        }
        return Err("generated files are out of date; run `cargo xtask regenerate`".into());
    }
    for change in &changes {
        let description = change.describe(&root);
        change.apply()?;
        println!("{description}");
    }
    println!(
        "{} file(s) changed in {:.0?}",
        changes.len(),
        started.elapsed()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["regenerate"] => regenerate(false),
        ["regenerate", "--check"] => regenerate(true),
        ["generate", spec, out, options @ ..] => outputs::generate(spec, out, options),
        ["shape"] => shape::run(&workspace_root()),
        ["shape", root] => shape::run(Path::new(root)),
        ["fuzz", options @ ..] => {
            fuzz::plan(options).and_then(|p| fuzz::run(&workspace_root(), &p))
        }
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when someone changed the spec or the generator
    /// without regenerating (the rust-analyzer approach).
    #[test]
    fn generated_files_are_fresh() {
        let changes = super::changes(&super::workspace_root()).expect("generator runs");
        let root = super::workspace_root();
        let names: Vec<_> = changes.iter().map(|c| c.describe(&root)).collect();
        assert!(
            names.is_empty(),
            "generated files are out of date: {names:?}; run `cargo xtask regenerate`"
        );
    }
}
