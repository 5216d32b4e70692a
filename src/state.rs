//! What byline remembers between runs: which articles were read or starred, and where each
//! input was left. Stored as JSON, written atomically, merged with other processes' writes.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    /// Marks by article id. Entries for articles not loaded now are kept.
    #[serde(default)]
    pub articles: BTreeMap<String, ArticleMark>,
    /// Where each input was left, by input key (see [`input_key`]).
    #[serde(default)]
    pub positions: BTreeMap<String, Position>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: VERSION,
            articles: BTreeMap::new(),
            positions: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleMark {
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub starred: bool,
    /// When this entry last changed, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub changed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Position {
    /// The selected article's id.
    #[serde(default)]
    pub selected: Option<String>,
    /// The article open in the reading pane, and how far it was scrolled.
    #[serde(default)]
    pub open: Option<String>,
    #[serde(default)]
    pub scroll: usize,
    /// Whether the reading pane had the focus.
    #[serde(default)]
    pub reading: bool,
    /// The order of the list.
    #[serde(default)]
    pub order: crate::app::Order,
    #[serde(default)]
    pub changed: u64,
}

impl State {
    /// Takes in another copy of the state: for each article and input, the newer entry wins.
    pub fn merge(&mut self, other: State) {
        for (id, mark) in other.articles {
            let ours = self.articles.entry(id).or_insert(mark);
            if mark.changed > ours.changed {
                *ours = mark;
            }
        }
        for (key, position) in other.positions {
            match self.positions.get(&key) {
                Some(ours) if ours.changed >= position.changed => {}
                _ => {
                    self.positions.insert(key, position);
                }
            }
        }
    }
}

/// Milliseconds since the Unix epoch, for ordering changes between processes.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Names a set of inputs, so that the same files reopen where they were left.
pub fn input_key(names: &[String]) -> String {
    names.join("\n")
}

/// The state file and whether it may be written.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writable: bool,
}

/// A store opened, the state it held, and anything the user should be told about it.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub state: State,
    pub notice: Option<String>,
}

impl Store {
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the state at `path`. A missing file is empty state; a corrupt or unreadable one is
    /// moved aside and reported; a directory that cannot be written makes the store read-only.
    /// Without `write` (`--no-state`) the state is read but nothing on disk is ever touched.
    pub fn open(path: PathBuf, write: bool) -> Opened {
        if !write {
            let (state, notice) = match read(&path) {
                Ok(state) => (state.unwrap_or_default(), None),
                Err(cause) => (
                    State::default(),
                    Some(format!("{}: {cause}; starting without it", path.display())),
                ),
            };
            return Opened {
                store: Store {
                    path,
                    writable: false,
                },
                state,
                notice,
            };
        }
        let mut notice = None;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let writable = match fs::create_dir_all(&dir).and_then(|()| probe_writable(&dir)) {
            Ok(()) => true,
            Err(e) => {
                notice = Some(format!(
                    "{}: {}; reading state without saving it",
                    dir.display(),
                    e.kind()
                ));
                false
            }
        };
        let state = match read(&path) {
            Ok(state) => state.unwrap_or_default(),
            Err(cause) => {
                notice = Some(match writable.then(|| move_aside(&path)) {
                    Some(Ok(aside)) => format!(
                        "{}: {cause}; moved it to {}",
                        path.display(),
                        aside.display()
                    ),
                    _ => format!("{}: {cause}; starting without it", path.display()),
                });
                // Never overwrite a file we could not read and could not move away.
                return Opened {
                    store: Store {
                        writable: writable && !path.exists(),
                        path,
                    },
                    state: State::default(),
                    notice,
                };
            }
        };
        Opened {
            store: Store { path, writable },
            state,
            notice,
        }
    }

    /// Writes `state`, merged with whatever another process saved since, and returns the merged
    /// state. Holds a lock file while reading and writing, and replaces the file atomically.
    pub fn save(&self, state: &State) -> io::Result<State> {
        if !self.writable {
            return Ok(state.clone());
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path.with_extension("json.lock"))?;
        lock.lock()?;
        let mut merged = state.clone();
        match read(&self.path) {
            Ok(Some(on_disk)) => merged.merge(on_disk),
            Ok(None) => {}
            Err(_) => {
                move_aside(&self.path)?;
            }
        }
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut file, &merged)?;
        file.write_all(b"\n")?;
        file.as_file().sync_all()?;
        file.persist(&self.path).map_err(|e| e.error)?;
        // Make the rename itself durable.
        File::open(dir).and_then(|d| d.sync_all()).ok();
        Ok(merged)
    }
}

/// Reads a state file: `Ok(None)` when there is none, `Err` with the cause when it is corrupt.
fn read(path: &Path) -> Result<Option<State>, String> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(crate::loader::io_cause(&e)),
    };
    let state: State =
        serde_json::from_slice(&bytes).map_err(|e| format!("corrupt state file ({e})"))?;
    if state.version != VERSION {
        return Err(format!(
            "state format version {} is not {VERSION}",
            state.version
        ));
    }
    Ok(Some(state))
}

/// Renames a bad state file to `state.json.corrupt-<seconds since the epoch>`.
fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".corrupt-{}", now() / 1000));
    let aside = PathBuf::from(aside);
    fs::rename(path, &aside)?;
    Ok(aside)
}

fn probe_writable(dir: &Path) -> io::Result<()> {
    tempfile::NamedTempFile::new_in(dir).map(drop)
}

#[cfg(test)]
mod tests;
