//! How fast the code generator is, against progenitor, measured side by
//! side in one run.
//!
//! For each synthetic spec (`bench/synth_spec.py`, run with `python3`: N
//! resource families of 15 operations and 26 models each), the generator
//! and, when given, progenitor run as child processes, round after round,
//! each overwriting its previous output. The bench prints the median wall time (start-up
//! and writing included), peak RSS (from `/usr/bin/time`), output size, the
//! ratios, our time by stage, and whether our output was identical in
//! every round.
//!
//! ```text
//! cargo run --release -p scim-bench --bin codegen -- [--progenitor PATH] [--rounds R] [--sizes 2,200] [--dir DIR] [--smoke]
//! ```
//!
//! Specs and outputs go to a fresh directory under `DIR` (the system's
//! temporary directory by default; `/dev/shm` keeps a busy disk out of the
//! figures).
//!
//! `PATH` is a built `progenitor-time` (the standalone crate that times
//! progenitor 0.15.1; it is not part of this workspace). Both generators
//! read the `--progenitor-compatible` variant of each spec; ours also reads
//! the full variant of the largest size, which progenitor refuses.
//! `--smoke` runs ours (and progenitor, if given) twice on the SDK's own
//! spec, which is the size of N=2, without Python.
#![forbid(unsafe_code)]

use scim_bench::{median, ms, smoke};
use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TIME: &str = "/usr/bin/time";

#[derive(Clone)]
struct Options {
    progenitor: Option<PathBuf>,
    rounds: usize,
    sizes: Vec<usize>,
    /// Where specs and outputs go.
    dir: PathBuf,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, spec, out] if flag == "--generate" => generate(Path::new(spec), Path::new(out)),
        _ => options(&args).and_then(|o| run(&o)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("codegen bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        progenitor: None,
        rounds: 5,
        sizes: vec![2, 200],
        dir: std::env::temp_dir(),
    };
    if smoke() {
        options.rounds = 2;
    }
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--smoke" => {}
            "--progenitor" => options.progenitor = Some(PathBuf::from(value()?)),
            "--dir" => options.dir = PathBuf::from(value()?),
            "--rounds" => {
                options.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?
            }
            "--sizes" => {
                options.sizes = value()?
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|e| format!("--sizes: {e}")))
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.rounds == 0 || options.sizes.is_empty() {
        return Err("--rounds and --sizes need at least one".into());
    }
    Ok(options)
}

/// The child process of one run of ours: generate `spec` into `out`.
fn generate(spec: &Path, out: &Path) -> Result<(), String> {
    generate_timed(spec, out).map(|_| ())
}

/// Generates `spec` into `out` as `cargo xtask generate` does: each file
/// written as soon as it is rendered (always, so that every round pays for
/// writing), then files no longer generated deleted.
fn generate_timed(spec: &Path, out: &Path) -> Result<scim_codegen::StageTimes, String> {
    let json = read(spec)?;
    let settings = scim_codegen::Settings::new(spec.display().to_string())
        .runtime_crate("scim_sdk")
        .map_err(|e| e.to_string())?;
    let written = Mutex::new(HashSet::new());
    let times = scim_codegen::generate_each(&json, &settings, &|file| {
        let path = out.join(&file.path);
        write_file(&path, &file.contents)?;
        written.lock().map_err(|e| e.to_string())?.insert(path);
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    let written = written.into_inner().map_err(|e| e.to_string())?;
    for path in files_under(out)? {
        if !written.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(times)
}

/// Writes a file as `cargo xtask generate` does: overwritten in place, then
/// cut to length (ext4 flushes a file emptied and rewritten on close).
fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.set_len(contents.len() as u64))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn run(options: &Options) -> Result<(), String> {
    let dir = options
        .dir
        .join(format!("scim-bench-codegen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = run_in(options, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(options: &Options, dir: &Path) -> Result<(), String> {
    println!(
        "Generator benchmark: medians of {} interleaved rounds; each run is a child process \
         (wall time includes start-up and writing the output).",
        options.rounds
    );
    if smoke() {
        // The SDK's own spec (the size of N=2), so that a smoke run needs
        // no Python.
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/genesys-scim.openapi.json");
        return compare(options, dir, "the SDK's spec (smoke run)", &spec);
    }
    let largest = options.sizes.iter().copied().max().unwrap_or(2);
    for &n in &options.sizes {
        let spec = synth_spec(dir, n, true)?;
        compare(
            options,
            dir,
            &format!("N={n}, progenitor-compatible"),
            &spec,
        )?;
    }
    let spec = synth_spec(dir, largest, false)?;
    let title = format!("N={largest}, full (progenitor refuses it)");
    let ours_only = Options {
        progenitor: None,
        ..options.clone()
    };
    compare(&ours_only, dir, &title, &spec)
}

/// Writes the synthetic spec of `n` families and returns its path.
fn synth_spec(dir: &Path, n: usize, compatible: bool) -> Result<PathBuf, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("synth_spec.py");
    let name = if compatible { "compat" } else { "full" };
    let path = dir.join(format!("{name}-{n}.json"));
    let mut command = Command::new("python3");
    command.arg(&script).arg(n.to_string()).arg(&path);
    if compatible {
        command.arg("--progenitor-compatible");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run python3 {}: {e}", script.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(path)
}

/// One child process's wall time and peak resident set.
struct Run {
    wall: Duration,
    peak_kb: Option<u64>,
}

/// Runs `program` to completion; its peak RSS comes from `/usr/bin/time`
/// when the machine has it.
fn timed(program: &Path, args: &[&Path], dir: &Path) -> Result<Run, String> {
    let rss_file = dir.join("peak-rss.txt");
    let with_time = Path::new(TIME).exists();
    let mut command = if with_time {
        let mut c = Command::new(TIME);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    command.args(args);
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let peak_kb = with_time
        .then(|| std::fs::read_to_string(&rss_file).ok())
        .flatten()
        .and_then(|text| text.trim().lines().last()?.trim().parse().ok());
    Ok(Run { wall, peak_kb })
}

#[derive(Default)]
struct Samples {
    times: Vec<Duration>,
    peaks: Vec<u64>,
}

impl Samples {
    fn push(&mut self, run: Run) {
        self.times.push(run.wall);
        self.peaks.extend(run.peak_kb);
    }

    fn median_time(&self) -> Duration {
        median(self.times.clone())
    }

    /// The largest peak seen, in MB.
    fn peak_mb(&self) -> Option<f64> {
        self.peaks.iter().max().map(|kb| *kb as f64 / 1024.0)
    }
}

/// Runs ours and progenitor (if given) on `spec`, round after round, and
/// prints what they took.
fn compare(options: &Options, dir: &Path, title: &str, spec: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let (ours_out, peer_out) = (dir.join("ours"), dir.join("progenitor.rs"));
    let (mut ours, mut peer) = (Samples::default(), Samples::default());
    let mut digests = Vec::new();
    // Each generator overwrites its previous output (in one directory for
    // the whole run), as regenerating a project does: deleting thousands of
    // files between rounds would make the file system hunt for free inodes
    // in the next one.
    for _ in 0..options.rounds {
        let generate = Path::new("--generate");
        ours.push(timed(&exe, &[generate, spec, &ours_out], dir)?);
        digests.push(tree(&ours_out)?.digest);
        if let Some(progenitor) = &options.progenitor {
            peer.push(timed(progenitor, &[spec, &peer_out], dir)?);
        }
    }
    let out = tree(&ours_out)?;
    println!("\n{title}");
    let mb = |m: Option<f64>| m.map_or("?".to_owned(), |m| format!("{m:.0} MB"));
    println!(
        "  ours        {:>9.1} ms  peak RSS {:>8}  {} files, {} lines",
        ms(ours.median_time()),
        mb(ours.peak_mb()),
        out.files,
        out.lines
    );
    if options.progenitor.is_some() {
        let lines = read(&peer_out)?.lines().count();
        println!(
            "  progenitor  {:>9.1} ms  peak RSS {:>8}  1 file, {lines} lines",
            ms(peer.median_time()),
            mb(peer.peak_mb())
        );
        let memory = match (ours.peak_mb(), peer.peak_mb()) {
            (Some(a), Some(b)) => format!(", peak RSS {:.2}x", a / b),
            _ => String::new(),
        };
        println!(
            "  ours / progenitor: time {:.2}x{memory}",
            scim_bench::ratio(ours.median_time(), peer.median_time())
        );
    }
    let same = digests.windows(2).all(|w| w[0] == w[1]);
    println!(
        "  our output was {} in all {} rounds",
        if same { "identical" } else { "NOT identical" },
        digests.len()
    );
    stages(spec, &ours_out)
}

/// Every file under `dir`, sorted.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut paths = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries =
            std::fs::read_dir(&current).map_err(|e| format!("{}: {e}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Files, lines and a digest of everything under `dir`.
struct Tree {
    files: usize,
    lines: usize,
    digest: u64,
}

fn tree(dir: &Path) -> Result<Tree, String> {
    let paths = files_under(dir)?;
    let mut hasher = DefaultHasher::new();
    let mut lines = 0;
    for path in &paths {
        let text = read(path)?;
        lines += text.lines().count();
        path.strip_prefix(dir).unwrap_or(path).hash(&mut hasher);
        text.hash(&mut hasher);
    }
    Ok(Tree {
        files: paths.len(),
        lines,
        digest: hasher.finish(),
    })
}

/// Our time by stage, from one run in this process.
fn stages(spec: &Path, out: &Path) -> Result<(), String> {
    let read_started = Instant::now();
    read(spec)?;
    let read = read_started.elapsed();
    let t = generate_timed(spec, out)?;
    println!(
        "  ours by stage: read {:.0} ms, parse {:.0} ms, lower {:.0} ms, emit and write {:.0} ms \
         on {} threads (summed: templates {:.0} ms, syn and prettyplease {:.0} ms, writing {:.0} ms)",
        ms(read),
        ms(t.parse),
        ms(t.lower),
        ms(t.emit),
        t.threads,
        ms(t.tokens),
        ms(t.format),
        ms(t.output)
    );
    Ok(())
}
