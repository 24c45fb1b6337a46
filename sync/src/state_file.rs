//! A state kept in a file: locked while a run uses it, written whole or
//! not at all.

use crate::{Error, SyncState};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The most a state file may hold: about two million people.
const MAX_STATE_BYTES: u64 = 512 << 20;

/// A [`SyncState`] in a file, locked for as long as this value lives, so
/// that two runs (two cron jobs, say) never use one state at once: the
/// second is refused at [`open`](Self::open) instead of waiting. The lock
/// is an operating-system lock on `FILE.lock` beside the state, released
/// when the process ends, however it ends. [`save`](Self::save) writes a
/// new file beside the old one and renames it over it, so a crash leaves
/// the old state or the new one, never half of one. The file is readable
/// by its owner alone where the system allows it.
///
/// ```no_run
/// use scim_sync::{Scope, StateFile, SyncState};
/// # fn demo() -> Result<(), scim_sync::Error> {
/// let file = StateFile::open("sync-state.json")?;
/// let state = match file.load()? {
///     Some(saved) => saved.resume("https://api.mypurecloud.com", &Scope::default(), "v1")?,
///     None => SyncState::new("https://api.mypurecloud.com", &Scope::default(), "v1"),
/// };
/// // … plan_since, apply_recording …
/// file.save(&state)?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    /// Holds the lock.
    _lock: File,
}

impl StateFile {
    /// Locks the state at `path` (which need not exist yet).
    ///
    /// ```no_run
    /// let file = scim_sync::StateFile::open("/var/lib/sync/state.json")?;
    /// # Ok::<(), scim_sync::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`RefusalKind::InvalidInput`](crate::RefusalKind::InvalidInput)
    /// when another run holds the lock, or the lock file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<StateFile, Error> {
        let path = path.as_ref().to_path_buf();
        let lock_path = sibling(&path, ".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error("open the lock file", &lock_path, &e))?;
        match fs4::FileExt::try_lock(&lock) {
            Ok(()) => Ok(StateFile { path, _lock: lock }),
            Err(fs4::TryLockError::WouldBlock) => Err(Error::invalid_input(format!(
                "another run is using the state {} (it holds {}): nothing was sent; run again \
                 when it has finished",
                path.display(),
                lock_path.display()
            ))),
            Err(fs4::TryLockError::Error(e)) => Err(io_error("lock", &lock_path, &e)),
        }
    }

    /// The path of the state.
    ///
    /// ```no_run
    /// # let file = scim_sync::StateFile::open("state.json")?;
    /// println!("{}", file.path().display());
    /// # Ok::<(), scim_sync::Error>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The state saved, or `None` when there is no file yet.
    ///
    /// ```no_run
    /// # let file = scim_sync::StateFile::open("state.json")?;
    /// if file.load()?.is_none() {
    ///     println!("first run: a full reconcile");
    /// }
    /// # Ok::<(), scim_sync::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`RefusalKind::InvalidInput`](crate::RefusalKind::InvalidInput)
    /// when the file cannot be read, is larger than 512 MiB or is not a
    /// state.
    pub fn load(&self) -> Result<Option<SyncState>, Error> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &self.path, &e)),
        };
        let mut bytes = Vec::new();
        file.take(MAX_STATE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error("read", &self.path, &e))?;
        if bytes.len() as u64 > MAX_STATE_BYTES {
            return Err(Error::invalid_input(format!(
                "{} is larger than {} MiB: not a state file",
                self.path.display(),
                MAX_STATE_BYTES >> 20
            )));
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| not_a_state(&self.path, &e))
    }

    /// Writes `state` in place of the file's, atomically.
    ///
    /// ```no_run
    /// # let file = scim_sync::StateFile::open("state.json")?;
    /// let state = scim_sync::SyncState::new("https://api.mypurecloud.com", &scim_sync::Scope::default(), "");
    /// file.save(&state)?;
    /// # Ok::<(), scim_sync::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`RefusalKind::InvalidInput`](crate::RefusalKind::InvalidInput)
    /// naming the file when it cannot be written; the old state is left.
    pub fn save(&self, state: &SyncState) -> Result<(), Error> {
        let bytes = serde_json::to_vec(state)
            .map_err(|e| Error::invalid_input(format!("cannot serialize the state: {e}")))?;
        let temp = sibling(&self.path, &format!(".{}.tmp", std::process::id()));
        let written = write_new(&temp, &bytes).and_then(|()| std::fs::rename(&temp, &self.path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io_error("write", &self.path, &e));
        }
        // The rename is durable once the directory is (where it can be synced).
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::invalid_input(format!("cannot {what} {}: {e}", path.display()))
}

/// A file that does not read as a state, named at the place an editor
/// shows (`FILE:LINE:COLUMN`) when the parser knows it.
fn not_a_state(path: &Path, e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let place = match text.strip_suffix(&suffix) {
        Some(_) if e.line() > 0 => format!("{}:{}:{}", path.display(), e.line(), e.column()),
        _ => path.display().to_string(),
    };
    let what = text.strip_suffix(&suffix).unwrap_or(&text);
    Error::invalid_input(format!(
        "{place}: not a state file ({what}): remove it, or run a full reconcile with another one"
    ))
}
