//! Project automation. `cargo xtask regenerate [--check]` rebuilds the SDK's
//! generated modules from the OpenAPI document.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SPEC: &str = "spec/genesys-scim.openapi.json";
const OUT_DIR: &str = "scim-sdk/src";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Files whose committed contents differ from what the spec produces.
fn stale_files(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let spec_path = root.join(SPEC);
    let json = std::fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let files = scim_codegen::generate(&json, &scim_codegen::Settings::new(SPEC))
        .map_err(|e| e.to_string())?;
    let mut stale = Vec::new();
    for file in files {
        let path = root.join(OUT_DIR).join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(file.contents.as_str()) {
            stale.push((path, file.contents));
        }
    }
    Ok(stale)
}

fn regenerate(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let started = std::time::Instant::now();
    let stale = stale_files(&root)?;
    if check {
        if stale.is_empty() {
            println!("generated files are up to date ({:.0?})", started.elapsed());
            return Ok(());
        }
        for (path, _) in &stale {
            eprintln!(
                "stale: {}",
                path.strip_prefix(&root).unwrap_or(path).display()
            );
        }
        return Err("generated files are out of date; run `cargo xtask regenerate`".into());
    }
    for (path, contents) in &stale {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!(
            "wrote {}",
            path.strip_prefix(&root).unwrap_or(path).display()
        );
    }
    println!(
        "{} file(s) updated in {:.0?}",
        stale.len(),
        started.elapsed()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["regenerate"] => regenerate(false),
        ["regenerate", "--check"] => regenerate(true),
        _ => Err("usage: cargo xtask regenerate [--check]".into()),
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
        let stale = super::stale_files(&super::workspace_root()).expect("generator runs");
        let names: Vec<_> = stale.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(
            names.is_empty(),
            "stale generated files: {names:?}; run `cargo xtask regenerate`"
        );
    }
}
