//! The thread that owns the database connection: the UI hands it changes over a channel and
//! never waits for the disk; the thread writes each batch in one transaction.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::{Changes, db, display};

/// How long the thread gathers changes after the first of a burst, so a held key makes one
/// transaction while every change is on disk well within a second.
pub const GATHER: Duration = Duration::from_millis(150);
/// How soon a failed or locked-out write is tried again.
const RETRY: Duration = Duration::from_millis(100);

enum Message {
    Changes(u64, Changes),
    /// Write what there is now, without gathering more.
    Flush,
}

/// How far the thread has got: the last hand-over on disk, and a failure not yet reported.
#[derive(Debug, Default)]
struct Progress {
    durable: u64,
    error: Option<String>,
}

/// Saves changes on a thread of its own. Dropping it lets the thread finish what it holds.
#[derive(Debug)]
pub struct BackgroundSaver {
    sender: mpsc::Sender<Message>,
    progress: Arc<(Mutex<Progress>, Condvar)>,
    handed: u64,
    path: PathBuf,
    /// The thread, woken by a flush while it gathers (changes alone never wake it then).
    thread: std::thread::Thread,
}

impl BackgroundSaver {
    pub fn spawn(connection: Connection, path: PathBuf) -> BackgroundSaver {
        let (sender, receiver) = mpsc::channel();
        let progress = Arc::new((Mutex::new(Progress::default()), Condvar::new()));
        let shared = Arc::clone(&progress);
        let name = display(&path);
        let thread =
            std::thread::spawn(move || write_batches(connection, &receiver, &shared, &name));
        BackgroundSaver {
            sender,
            progress,
            handed: 0,
            path,
            thread: thread.thread().clone(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hands changes to the thread. Costs as much as the changes, never any I/O.
    pub fn hand_over(&mut self, changes: Changes) {
        if changes.is_empty() {
            return;
        }
        self.handed += 1;
        let _ = self.sender.send(Message::Changes(self.handed, changes));
    }

    /// How many hand-overs there have been; [`BackgroundSaver::durable`] catches up with it.
    pub fn handed(&self) -> u64 {
        self.handed
    }

    /// The last hand-over whose changes are on disk.
    pub fn durable(&self) -> u64 {
        lock(&self.progress.0).durable
    }

    /// A failure to write since the last call, as one line.
    pub fn take_error(&self) -> Option<String> {
        lock(&self.progress.0).error.take()
    }

    /// Waits until hand-over `number` is on disk, for at most `limit`; true if it is.
    pub fn wait_durable(&self, number: u64, limit: Duration) -> bool {
        let start = Instant::now();
        let (progress, changed) = &*self.progress;
        let mut now = lock(progress);
        while now.durable < number {
            let left = limit.saturating_sub(start.elapsed());
            if left.is_zero() {
                return false;
            }
            now = changed
                .wait_timeout(now, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Asks for everything handed over to be written now and waits for it, at most `limit`;
    /// a write that fails ends the wait at once.
    pub fn flush(&mut self, limit: Duration) -> Result<(), String> {
        let _ = self.sender.send(Message::Flush);
        self.thread.unpark();
        let start = Instant::now();
        let (progress, changed) = &*self.progress;
        let mut now = lock(progress);
        loop {
            if now.durable >= self.handed {
                return Ok(());
            }
            if let Some(error) = now.error.take() {
                return Err(format!("{error}; the last changes are lost"));
            }
            let left = limit.saturating_sub(start.elapsed());
            if left.is_zero() {
                return Err(format!(
                    "cannot save {}: another process holds it locked; the last changes are lost",
                    display(&self.path)
                ));
            }
            now = changed
                .wait_timeout(now, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

fn lock(progress: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    progress.lock().unwrap_or_else(|e| e.into_inner())
}

/// The thread: waits for changes, gathers a burst, writes it; keeps a batch that could not be
/// written (a lock held elsewhere, a full disk) and tries again, taking in later changes.
fn write_batches(
    mut connection: Connection,
    receiver: &mpsc::Receiver<Message>,
    progress: &(Mutex<Progress>, Condvar),
    name: &str,
) {
    let mut pending = Changes::default();
    let mut last = 0;
    let mut open = true;
    while open || !pending.is_empty() {
        let first = if pending.is_empty() {
            receiver.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            receiver.recv_timeout(RETRY)
        };
        let mut gather_until = None;
        match first {
            Ok(Message::Changes(number, changes)) => {
                pending.absorb(changes);
                last = number;
                gather_until = Some(Instant::now() + GATHER);
            }
            Ok(Message::Flush) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
        // The burst is gathered asleep: a change sent meanwhile wakes nobody (a held key sends
        // one a frame); a flush does, and ends the gathering.
        while let Some(until) = gather_until {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::park_timeout(left);
            loop {
                match receiver.try_recv() {
                    Ok(Message::Changes(number, changes)) => {
                        pending.absorb(changes);
                        last = number;
                    }
                    Ok(Message::Flush) => gather_until = None,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        open = false;
                        gather_until = None;
                        break;
                    }
                }
            }
        }
        if pending.is_empty() {
            continue;
        }
        let written = db::write(&mut connection, &pending, false);
        let (state, changed) = progress;
        let mut now = lock(state);
        match written {
            Ok(()) => {
                pending = Changes::default();
                now.durable = last;
            }
            // Another process's lock only delays the write: try again, say nothing.
            Err(e) if db::is_busy(&e) => {}
            Err(e) => {
                now.error = Some(format!("cannot save {name}: {}", db::cause(&e)));
                if !open {
                    // Nobody is left to report to or to wait: give up rather than spin.
                    changed.notify_all();
                    return;
                }
                drop(now);
                std::thread::sleep(RETRY);
                now = lock(state);
            }
        }
        changed.notify_all();
        drop(now);
    }
}
