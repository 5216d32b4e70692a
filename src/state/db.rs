//! The SQLite database: recognising it, its schema, loading it and writing a batch of changes.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};

use super::{Changes, State};

/// Marks a database as byline's in its header (`PRAGMA application_id`): "byln".
pub const APPLICATION_ID: i32 = 0x6279_6c6e;
/// The schema version (`PRAGMA user_version`) this build reads and writes.
const SCHEMA_VERSION: i32 = 1;
/// How long one attempt waits for another process's lock before the saver tries again.
pub const BUSY_WAIT: Duration = Duration::from_millis(250);

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS marks (
        id TEXT PRIMARY KEY NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS positions (
        input TEXT PRIMARY KEY NOT NULL,
        position TEXT NOT NULL
    ) WITHOUT ROWID;";

/// Why the database could not be used, and whether that is because it is damaged.
#[derive(Debug)]
pub struct Trouble {
    pub cause: String,
    pub corrupt: bool,
}

impl From<rusqlite::Error> for Trouble {
    fn from(error: rusqlite::Error) -> Trouble {
        let corrupt = matches!(
            error.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
        );
        Trouble {
            cause: cause(&error),
            corrupt,
        }
    }
}

/// What a state path holds, told by its first bytes and never by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Missing,
    /// A byline database, or an empty file that can become one.
    Database,
    /// A JSON state written by an earlier byline (whole or torn).
    Json,
    Directory,
    /// A FIFO, a device or a socket: reading it could block for ever or never end.
    Special,
    /// Anything else: not byline's to use or move.
    Foreign,
    Unreadable(String),
}

pub fn recognise(path: &Path) -> Kind {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Kind::Missing;
        }
        Err(e) => return Kind::Unreadable(crate::text::io_cause(&e)),
    };
    if metadata.is_dir() {
        return Kind::Directory;
    }
    if !metadata.is_file() {
        return Kind::Special;
    }
    let mut head = Vec::with_capacity(100);
    let read = fs::File::open(path).and_then(|f| f.take(100).read_to_end(&mut head));
    if let Err(e) = read {
        return Kind::Unreadable(crate::text::io_cause(&e));
    }
    if head.is_empty() {
        Kind::Database
    } else if head.starts_with(b"SQLite format 3\0") {
        let id = head
            .get(68..72)
            .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        if id == Some(APPLICATION_ID) {
            Kind::Database
        } else {
            Kind::Foreign
        }
    } else if super::legacy::looks_like_state(&head) {
        Kind::Json
    } else {
        Kind::Foreign
    }
}

/// Opens (or creates) the database for reading and writing, in WAL mode so that readers and
/// one writer never wait for each other, with every commit synced to disk.
pub fn open(path: &Path) -> Result<Connection, Trouble> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_WAIT)?;
    create_schema(&connection)?;
    // Two processes creating the database at once may find each other's lock: try again.
    let mut wal = connection.pragma_update(None, "journal_mode", "WAL");
    for _ in 0..40 {
        match &wal {
            Err(e) if is_busy(e) => wal = connection.pragma_update(None, "journal_mode", "WAL"),
            _ => break,
        }
    }
    wal?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    Ok(connection)
}

/// Creates the tables and marks the file as byline's, before WAL mode so the mark reaches the
/// file's header at once. Other processes may do the same at the same time: it is idempotent.
pub fn create_schema(connection: &Connection) -> Result<(), Trouble> {
    let version: i32 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Trouble {
            cause: format!("state schema version {version} is newer than this byline's"),
            corrupt: false,
        });
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let mut retries = 0;
    loop {
        let created = connection.execute_batch(&format!(
            "BEGIN IMMEDIATE; PRAGMA application_id = {APPLICATION_ID}; {SCHEMA} \
             PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ));
        match created {
            Ok(()) => return Ok(()),
            Err(e) if is_busy(&e) && retries < 40 => retries += 1,
            Err(e) => {
                let _ = connection.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        }
    }
}

/// Opens the database without ever writing to it (`--no-state`) and reads it. With no `-wal`
/// file beside it no process has it open, so it is read as immutable: SQLite then creates no
/// `-wal` or `-shm` file of its own.
pub fn read_only(path: &Path) -> Result<State, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let idle = !super::beside(path, "-wal").exists();
    let connection = match path.to_str().filter(|_| idle) {
        Some(text) => {
            let escaped = text
                .replace('%', "%25")
                .replace('?', "%3f")
                .replace('#', "%23");
            let uri = format!("file:{escaped}?immutable=1");
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
        }
        None => Connection::open_with_flags(path, flags),
    }
    .map_err(|e| cause(&e))?;
    connection.busy_timeout(BUSY_WAIT).map_err(|e| cause(&e))?;
    load(&connection).map_err(|trouble| trouble.cause)
}

/// Reads every mark and position into memory.
pub fn load(connection: &Connection) -> Result<State, Trouble> {
    let mut state = State::default();
    let mut marks = connection.prepare("SELECT id, read, starred FROM marks")?;
    let rows = marks.query_map([], |row| {
        let mark = super::ArticleMark {
            read: row.get(1)?,
            starred: row.get(2)?,
        };
        Ok((row.get::<_, String>(0)?, mark))
    })?;
    for row in rows {
        let (id, mark) = row?;
        state.articles.insert(id, mark);
    }
    let mut positions = connection.prepare("SELECT input, position FROM positions")?;
    let rows = positions.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (input, text) = row?;
        // A position this build cannot read is only a place to start from: skip it.
        if let Ok(position) = serde_json::from_str(&text) {
            state.positions.insert(input, position);
        }
    }
    Ok(state)
}

/// Writes a batch of changes in one transaction: one upsert per changed article or input.
/// With `keep_saved`, rows already in the database win (for imports of older state).
pub fn write(
    connection: &mut Connection,
    changes: &Changes,
    keep_saved: bool,
) -> rusqlite::Result<()> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut mark = transaction.prepare_cached(if keep_saved {
            "INSERT OR IGNORE INTO marks (id, read, starred) \
             VALUES (?1, coalesce(?2, 0), coalesce(?3, 0))"
        } else {
            "INSERT INTO marks (id, read, starred) VALUES (?1, coalesce(?2, 0), coalesce(?3, 0)) \
             ON CONFLICT (id) DO UPDATE SET \
             read = coalesce(?2, read), starred = coalesce(?3, starred)"
        })?;
        for (id, change) in &changes.marks {
            mark.execute(params![id, change.read, change.starred])?;
        }
        let mut position = transaction.prepare_cached(if keep_saved {
            "INSERT OR IGNORE INTO positions (input, position) VALUES (?1, ?2)"
        } else {
            "INSERT INTO positions (input, position) VALUES (?1, ?2) \
             ON CONFLICT (input) DO UPDATE SET position = excluded.position"
        })?;
        for (input, saved) in &changes.positions {
            let text = serde_json::to_string(saved)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            position.execute(params![input, text])?;
        }
    }
    transaction.commit()
}

/// Whether another process holds the lock (so trying again later will do).
pub fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// An SQLite error in words, on one line.
pub fn cause(error: &rusqlite::Error) -> String {
    crate::text::clean_line(&error.to_string())
}
