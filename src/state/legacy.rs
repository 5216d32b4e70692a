//! The JSON state file of earlier versions: recognised by how it starts, read with a size cap,
//! and imported into the database once, then kept as `<name>.imported` (never deleted).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Deserialize;

use super::db::{self, Kind};
use super::{ArticleMark, Changes, MarkChange, Position, State, beside, display, move_aside};

/// The largest JSON state read: about two and a half million marks. Anything bigger was not
/// written by byline, and reading it whole could exhaust memory.
pub const MAX_BYTES: u64 = 256 << 20;
/// The start every JSON state byline wrote has, whitespace aside.
const START: &[u8] = br#"{"version":1,"articles":{"#;

#[derive(Deserialize)]
struct JsonState {
    version: u32,
    #[serde(default)]
    articles: BTreeMap<String, ArticleMark>,
    #[serde(default)]
    positions: BTreeMap<String, Position>,
}

/// Whether the first bytes of a file are those of a byline JSON state, whole or torn.
pub fn looks_like_state(head: &[u8]) -> bool {
    let packed: Vec<u8> = head
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .take(START.len())
        .collect();
    packed == START
        || (packed.len() < START.len() && head.len() < 100 && START.starts_with(&packed))
}

/// Reads a JSON state: `Err` with the cause when it is torn, too big or of another version.
pub fn read(path: &Path) -> Result<State, String> {
    let file = File::open(path).map_err(|e| crate::text::io_cause(&e))?;
    read_capped(file, MAX_BYTES)
}

/// Reads a JSON state of at most `cap` bytes.
pub fn read_capped(file: File, cap: u64) -> Result<State, String> {
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::text::io_cause(&e))?;
    if bytes.len() as u64 > cap {
        return Err(format!("larger than {} bytes", cap));
    }
    let json: JsonState =
        serde_json::from_slice(&bytes).map_err(|e| format!("corrupt state file ({e})"))?;
    if json.version != 1 {
        return Err(format!("state format version {} is not 1", json.version));
    }
    Ok(State {
        articles: json.articles,
        positions: json.positions,
    })
}

/// Everything in `state`, as changes to write.
fn changes_of(state: State) -> Changes {
    let marks = state.articles.into_iter().map(|(id, mark)| {
        let change = MarkChange {
            read: Some(mark.read),
            starred: Some(mark.starred),
        };
        (id, change)
    });
    Changes {
        marks: marks.collect(),
        positions: state.positions.into_iter().collect(),
    }
}

/// Opens `path` locked, so that of several processes importing it only one does; `None` when
/// it is gone or no longer a JSON state (another process imported it meanwhile).
fn lock_json(path: &Path) -> Result<Option<File>, String> {
    for _ in 0..3 {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::text::io_cause(&e)),
        };
        file.lock().map_err(|e| crate::text::io_cause(&e))?;
        let (locked, now) = (file.metadata(), fs::metadata(path));
        let same = match (locked, now) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        };
        if same {
            return Ok((db::recognise(path) == Kind::Json).then_some(file));
        }
    }
    Ok(None)
}

/// Replaces the JSON state at `path` with a database holding the same marks, keeping the JSON
/// as `<path>.imported`. A torn one is moved aside instead. Returns what to tell the user.
pub fn import_in_place(path: &Path) -> Result<Option<String>, String> {
    let name = display(path);
    let Some(file) = lock_json(path).map_err(|cause| format!("{name}: {cause}"))? else {
        return Ok(None);
    };
    let state = match read_capped(file.try_clone().map_err(|e| e.to_string())?, MAX_BYTES) {
        Ok(state) => state,
        Err(cause) => {
            let aside = move_aside(path).map_err(|e| format!("{name}: {cause}; {e}"))?;
            return Ok(Some(format!(
                "{name}: {cause}; moved it to {}",
                display(&aside)
            )));
        }
    };
    let failed = |cause: String| format!("{name}: cannot import it: {cause}");
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let temp = tempfile::Builder::new()
        .prefix(".byline-import-")
        .tempfile_in(dir.unwrap_or(Path::new(".")))
        .map_err(|e| failed(crate::text::io_cause(&e)))?;
    {
        let mut connection = Connection::open(temp.path()).map_err(|e| failed(db::cause(&e)))?;
        db::create_schema(&connection).map_err(|t| failed(t.cause))?;
        db::write(&mut connection, &changes_of(state), true).map_err(|e| failed(db::cause(&e)))?;
    }
    let kept = unused_name(path);
    fs::hard_link(path, &kept)
        .or_else(|_| fs::copy(path, &kept).map(drop))
        .map_err(|e| failed(crate::text::io_cause(&e)))?;
    temp.persist(path)
        .map_err(|e| failed(crate::text::io_cause(&e.error)))?;
    if let Some(dir) = dir {
        // Make the rename itself durable.
        File::open(dir).and_then(|d| d.sync_all()).ok();
    }
    drop(file);
    Ok(Some(format!(
        "imported the JSON state {name}; the old file is kept as {}",
        display(&kept)
    )))
}

/// Imports the JSON state at `json` into `connection` (marks already there win), then renames
/// it `<json>.imported`. Returns what to tell the user, if anything.
pub fn import_beside(json: &Path, connection: &mut Connection) -> Option<String> {
    let name = display(json);
    if db::recognise(json) != Kind::Json {
        return None;
    }
    let file = match lock_json(json) {
        Ok(Some(file)) => file,
        Ok(None) => return None,
        Err(cause) => return Some(format!("{name}: {cause}; not imported")),
    };
    let state = match file
        .try_clone()
        .map_err(|e| e.to_string())
        .and_then(|f| read_capped(f, MAX_BYTES))
    {
        Ok(state) => state,
        Err(cause) => {
            return Some(match move_aside(json) {
                Ok(aside) => format!("{name}: {cause}; moved it to {}", display(&aside)),
                Err(_) => format!("{name}: {cause}; not imported"),
            });
        }
    };
    let changes = changes_of(state);
    let mut written = db::write(connection, &changes, true);
    for _ in 0..40 {
        match &written {
            Err(e) if db::is_busy(e) => written = db::write(connection, &changes, true),
            _ => break,
        }
    }
    if let Err(e) = written {
        return Some(format!("{name}: cannot import it: {}", db::cause(&e)));
    }
    let kept = unused_name(json);
    match fs::rename(json, &kept) {
        Ok(()) => Some(format!(
            "imported {name}; the old file is kept as {}",
            display(&kept)
        )),
        Err(e) => Some(format!(
            "imported {name} but could not rename it: {}",
            crate::text::io_cause(&e)
        )),
    }
}

/// `<path>.imported`, or with the time added when an earlier import already took that name.
fn unused_name(path: &Path) -> PathBuf {
    let plain = beside(path, ".imported");
    if fs::symlink_metadata(&plain).is_err() {
        return plain;
    }
    beside(path, &format!(".imported-{}", super::seconds_now()))
}
