//! Listing the files of a tree, for the tasks that read or write one.

use std::path::{Path, PathBuf};

/// The paths directly in `dir`, in no particular order.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let listing = |e: std::io::Error| format!("cannot list {}: {e}", dir.display());
    std::fs::read_dir(dir)
        .map_err(listing)?
        .map(|entry| entry.map(|e| e.path()).map_err(listing))
        .collect()
}

/// The files directly in `dir`, sorted.
pub(crate) fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = entries(dir)?.into_iter().filter(|p| p.is_file()).collect();
    files.sort();
    Ok(files)
}

/// Every file below `dir`, recursively, sorted; none when `dir` does not
/// exist yet.
pub(crate) fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for path in entries(&current)? {
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
