//! `cargo xtask fuzz [TARGET] [--time SECONDS] [--cmin]`: runs the fuzz
//! targets in `fuzz/` with cargo-fuzz on nightly, one after the other, each
//! growing its committed corpus in `fuzz/corpus/TARGET/`. CI does not
//! fuzz; it replays the corpora on stable (`tests/fuzz-checks`).

use std::path::Path;
use std::process::Command;

/// Seconds per target when `--time` is not given.
const DEFAULT_SECONDS: u64 = 60;

/// What `cargo xtask fuzz` was asked to do.
#[derive(Debug, PartialEq)]
pub(crate) struct Plan {
    target: Option<String>,
    seconds: u64,
    cmin: bool,
}

/// Reads the arguments after `fuzz`.
pub(crate) fn plan(args: &[&str]) -> Result<Plan, String> {
    let mut plan = Plan {
        target: None,
        seconds: DEFAULT_SECONDS,
        cmin: false,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--time" => {
                let value = rest.next().ok_or("--time needs a number of seconds")?;
                plan.seconds = value
                    .parse()
                    .map_err(|_| format!("--time: `{value}` is not a number of seconds"))?;
            }
            "--cmin" => plan.cmin = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            name if plan.target.is_none() => plan.target = Some(name.to_owned()),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    Ok(plan)
}

/// The targets in `fuzz/fuzz_targets/`, sorted.
fn targets(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("fuzz/fuzz_targets");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    names.sort();
    Ok(names)
}

fn cargo_fuzz(root: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new("cargo")
        .args(["+nightly", "fuzz"])
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo +nightly fuzz {}` failed ({status})",
            args.join(" ")
        ))
    }
}

/// Runs the plan: each target for `seconds`, then `cmin` if asked.
pub(crate) fn run(root: &Path, plan: &Plan) -> Result<(), String> {
    let available = targets(root)?;
    let chosen = match &plan.target {
        Some(t) if available.contains(t) => vec![t.clone()],
        Some(t) => {
            return Err(format!(
                "no fuzz target `{t}`; there are: {}",
                available.join(", ")
            ));
        }
        None => available,
    };
    let probe = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return Err(
            "cargo-fuzz on nightly is needed: `rustup toolchain install nightly` \
                    and `cargo install cargo-fuzz`"
                .into(),
        );
    }
    let time = format!("-max_total_time={}", plan.seconds);
    for target in &chosen {
        println!("== fuzzing {target} for {} s", plan.seconds);
        cargo_fuzz(root, &["run", target, "--", &time, "-rss_limit_mb=4096"])?;
        if plan.cmin {
            cargo_fuzz(root, &["cmin", target])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_a_target_a_time_and_cmin() {
        assert_eq!(
            plan(&["fake_http", "--time", "600", "--cmin"]),
            Ok(Plan {
                target: Some("fake_http".into()),
                seconds: 600,
                cmin: true
            })
        );
        assert_eq!(
            plan(&[]),
            Ok(Plan {
                target: None,
                seconds: DEFAULT_SECONDS,
                cmin: false
            })
        );
        assert!(plan(&["--time"]).is_err());
        assert!(plan(&["--time", "soon"]).is_err());
        assert!(plan(&["a", "b"]).is_err());
        assert!(plan(&["--jobs"]).is_err());
    }

    #[test]
    fn every_fuzz_target_is_found() {
        let names = targets(&crate::workspace_root()).expect("fuzz/fuzz_targets is readable");
        assert!(names.contains(&"fake_http".to_owned()), "{names:?}");
        assert!(names.contains(&"codegen_lower".to_owned()), "{names:?}");
    }
}
