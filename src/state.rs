//! What byline remembers between runs: which articles were read or starred, and where each
//! input was left. Kept in a SQLite database that a thread of its own writes change by change
//! ([`BackgroundSaver`]); the JSON file of earlier versions is imported once.

mod db;
mod legacy;
mod saver;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

pub use saver::BackgroundSaver;

/// Marks and positions as loaded at start and kept up to date in memory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// Marks by article id. Entries for articles not loaded now are kept.
    pub articles: BTreeMap<String, ArticleMark>,
    /// Where each input was left, by input key (see [`input_key`]).
    pub positions: BTreeMap<String, Position>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleMark {
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub starred: bool,
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
    pub order: crate::article::Order,
}

/// What changed since the last hand-over: as big as the change, never the whole state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    pub marks: HashMap<String, MarkChange>,
    pub positions: HashMap<String, Position>,
}

/// The flags of one article that changed; `None` leaves the saved flag as it is, so two
/// processes changing different flags of one article both keep their change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkChange {
    pub read: Option<bool>,
    pub starred: Option<bool>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty() && self.positions.is_empty()
    }

    /// How many rows these changes write.
    pub fn len(&self) -> usize {
        self.marks.len() + self.positions.len()
    }

    /// Takes in changes made after these: the later change to each flag and position wins.
    pub fn absorb(&mut self, later: Changes) {
        for (id, change) in later.marks {
            let ours = self.marks.entry(id).or_default();
            ours.read = change.read.or(ours.read);
            ours.starred = change.starred.or(ours.starred);
        }
        self.positions.extend(later.positions);
    }
}

/// Names a set of inputs, so that the same files reopen where they were left.
pub fn input_key(names: &[String]) -> String {
    names.join("\n")
}

/// A store opened: the state it held, the thread that saves changes (none when nothing may be
/// written), and anything the user should be told about it.
#[derive(Debug)]
pub struct Opened {
    pub saver: Option<BackgroundSaver>,
    pub state: State,
    pub notice: Option<String>,
}

/// The database in byline's own state directory, beside which an older `state.json` is looked
/// for and imported once.
pub fn default_path(state_dir: &Path) -> PathBuf {
    state_dir.join("byline/state.db")
}

/// Opens the state database at `path`, creating it when missing. A byline JSON state at `path`
/// is imported in place; with `legacy`, the JSON state there is imported into the database.
/// A corrupt byline state is moved aside and reported; a path that holds anything byline did
/// not write is refused (`Err`, one line). Without `write` (`--no-state`) nothing on disk is
/// ever touched.
pub fn open(path: &Path, write: bool, legacy: Option<&Path>) -> Result<Opened, String> {
    let name = display(path);
    let mut notice = None;
    match db::recognise(path) {
        db::Kind::Missing | db::Kind::Database => {}
        db::Kind::Json if !write => return Ok(read_only(legacy::read(path), path)),
        db::Kind::Json => match legacy::import_in_place(path) {
            Ok(said) => notice = said,
            Err(cause) => {
                let mut opened = read_only(legacy::read(path), path);
                opened.notice = Some(format!("{cause}; reading state without saving it"));
                return Ok(opened);
            }
        },
        db::Kind::Directory => return Err(format!("{name}: is a directory, not a state file")),
        db::Kind::Special => return Err(format!("{name}: not a regular file")),
        db::Kind::Foreign => {
            return Err(format!(
                "{name}: not a byline state file; refusing to use or move it"
            ));
        }
        db::Kind::Unreadable(cause) => return Err(format!("{name}: {cause}")),
    }
    if !write {
        let state = match (db::recognise(path), legacy) {
            (db::Kind::Missing, Some(json)) if db::recognise(json) == db::Kind::Json => {
                return Ok(read_only(legacy::read(json), json));
            }
            (db::Kind::Missing, _) => Ok(State::default()),
            _ => db::read_only(path),
        };
        return Ok(read_only(state, path));
    }
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Err(e) = fs::create_dir_all(&dir).and_then(|()| probe_writable(&dir)) {
        let mut opened = open(path, false, legacy)?;
        opened.notice = Some(format!(
            "{}: {}; reading state without saving it",
            display(&dir),
            crate::text::io_cause(&e)
        ));
        return Ok(opened);
    }
    let mut loaded = load_writable(path, legacy, &mut notice);
    if let Some(trouble) = loaded.as_ref().err().filter(|t| t.corrupt) {
        // Recognised as byline's above, so it is ours to move.
        let cause = trouble.cause.clone();
        let aside = move_aside(path).map_err(|e| format!("{name}: {cause}; {e}"))?;
        notice = Some(format!("{name}: {cause}; moved it to {}", display(&aside)));
        loaded = load_writable(path, legacy, &mut notice);
    }
    let (connection, state) = match loaded {
        Ok(loaded) => loaded,
        Err(trouble) => {
            return Ok(Opened {
                saver: None,
                state: State::default(),
                notice: Some(format!(
                    "{name}: {}; starting without it, saving nothing",
                    trouble.cause
                )),
            });
        }
    };
    Ok(Opened {
        saver: Some(BackgroundSaver::spawn(connection, path.to_owned())),
        state,
        notice,
    })
}

/// Opens the database for writing, imports the JSON state `legacy` into it, and loads it.
fn load_writable(
    path: &Path,
    legacy: Option<&Path>,
    notice: &mut Option<String>,
) -> Result<(rusqlite::Connection, State), db::Trouble> {
    let mut connection = db::open(path)?;
    if let Some(said) = legacy.and_then(|json| legacy::import_beside(json, &mut connection)) {
        *notice = Some(said);
    }
    let state = db::load(&connection)?;
    Ok((connection, state))
}

/// A state read without a saver; a failure to read it becomes a notice and empty state.
fn read_only(state: Result<State, String>, path: &Path) -> Opened {
    let (state, notice) = match state {
        Ok(state) => (state, None),
        Err(cause) => (
            State::default(),
            Some(format!("{}: {cause}; starting without it", display(path))),
        ),
    };
    Opened {
        saver: None,
        state,
        notice,
    }
}

/// Renames a bad byline state file to `<name>.corrupt-<seconds since the epoch>`, with the
/// SQLite journal files that belong to it.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let aside = beside(path, &format!(".corrupt-{}", seconds_now()));
    fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let _ = fs::rename(beside(path, suffix), beside(&aside, suffix));
    }
    Ok(aside)
}

/// `path` with `suffix` added to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn seconds_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn probe_writable(dir: &Path) -> std::io::Result<()> {
    tempfile::NamedTempFile::new_in(dir).map(drop)
}

/// A path as it may be printed: never a control character, even from a hostile file name.
fn display(path: &Path) -> String {
    crate::text::clean_line(&path.to_string_lossy())
}

#[cfg(test)]
mod tests;
