//! Replays every committed fuzz corpus (`fuzz/corpus/<target>/`) through the
//! check its fuzz target runs, on stable and in seconds. A regression that a
//! fuzzer once found fails here, in CI, without nightly.

use std::path::{Path, PathBuf};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

fn replay(target: &str, check: fn(&[u8])) {
    let dir = corpus_dir(target);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => panic!("no corpus for {target} at {}: {e}", dir.display()),
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus of {target} is empty");
    for file in files {
        let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target} fails on {}", file.display());
    }
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                replay(stringify!($name), scim_fuzz_checks::$name);
            }
        )*
        /// The targets that have a replay test above.
        const REPLAYED: &[&str] = &[$(stringify!($name)),*];
    };
}

replay_tests!(
    decode_models,
    scim_error,
    filter_build,
    fake_filter,
    fake_patch,
    fake_http,
    codegen_lower,
);

/// Each check has a fuzz target that calls it, and a corpus.
#[test]
fn every_check_has_a_fuzz_target_and_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    for (name, _) in scim_fuzz_checks::TARGETS {
        let target = root.join("fuzz_targets").join(format!("{name}.rs"));
        let source = std::fs::read_to_string(&target)
            .unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        assert!(
            source.contains(&format!("scim_fuzz_checks::{name}(")),
            "{} does not run the {name} check",
            target.display()
        );
        assert!(corpus_dir(name).is_dir(), "{name} has no corpus");
    }
}

/// A target added to `TARGETS` gets its corpus replayed too.
#[test]
fn every_target_has_a_replay_test() {
    let targets: Vec<&str> = scim_fuzz_checks::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(targets, REPLAYED);
}
