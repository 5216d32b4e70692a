//! The only code that touches a real terminal: setup, restore, signals and the runtime that
//! feeds a [`Session`] its messages and carries out its commands. The runtime takes its input,
//! output, size and abilities from a [`Host`], so the same reader can run on a pty or a remote
//! channel as well as on the process's own terminal ([`local`]).

mod decode;
mod encode;
pub mod local;
pub mod outside;
mod rescue;
mod runtime;
mod screen;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use ratatui::crossterm::event::Event;
use signal_hook::consts::{
    SIGALRM, SIGINT, SIGPROF, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGXCPU, SIGXFSZ,
};

pub use decode::{Decoder, Reply};
pub use encode::Link;
pub use runtime::{run, run_from};
pub use screen::{FrameBuffer, give_back};

use crate::search::background::Answer;
use crate::session::Capability;
use crate::state::{BackgroundSaver, Changes};
use crate::store::{Corpus, Store};

/// The shortest time between two frames: at most 60 a second, however fast keys arrive.
const FRAME: Duration = Duration::from_millis(16);
/// How long the reader waits at the end for its last changes to reach the disk.
const SAVE_WAIT: Duration = Duration::from_secs(5);
/// How long the restore sequence may take to reach a slow terminal before byline gives up.
const RESTORE_WAIT: Duration = Duration::from_secs(1);
/// The largest screen drawn (columns, rows): a buffer the size some terminals claim
/// (65535x65535) would not fit in memory.
const MAX_SIZE: (u16, u16) = (1000, 500);
/// Signals that end the reader the way SIGTERM does: state saved, terminal given back, exit
/// 128 plus the signal. (SIGHUP is a hangup; SIGABRT is left to `rescue`.)
pub const ENDING_SIGNALS: [i32; 10] = [
    SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
];

/// What a signal means to the reader (the host turns numbers into these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The terminal changed size.
    Resize,
    /// Stop until continued (`Ctrl-z` from outside, SIGTSTP).
    Suspend,
    /// Continued after something stopped the process: take the terminal back.
    Continue,
    /// The terminal hung up.
    HangUp,
    /// End with the state saved and the terminal given back; the number sets the exit status.
    Terminate(i32),
}

/// Everything the runtime sleeps on, from every source, in one queue.
#[derive(Debug)]
pub enum Incoming {
    /// A key, a click, the wheel, or a size reported by the terminal.
    Event(Event),
    Signal(Signal),
    /// The input ended or failed: the terminal is gone.
    Hangup,
    /// The search worker's answer.
    Searched(Answer),
    /// The inputs, loaded again by the library.
    Loaded(Box<Corpus>),
    /// The articles a shared library loaded again, the same for every reader.
    Shared(Arc<Store>),
    /// How fetching the feeds goes.
    Fetch(crate::feed::refresh::Fetch),
    /// The writer has written every frame it was given.
    Written,
    /// The terminal answered a question about itself.
    Reply(Reply),
}

/// Posts into a host's queue from another thread; `post` says whether anyone still reads it.
#[derive(Clone)]
pub struct Poster(Arc<dyn Fn(Incoming) -> bool + Send + Sync>);

impl Poster {
    pub fn new(post: impl Fn(Incoming) -> bool + Send + Sync + 'static) -> Poster {
        Poster(Arc::new(post))
    }

    pub fn post(&self, incoming: Incoming) -> bool {
        (self.0)(incoming)
    }
}

/// Where the runtime gets its input and size from, what it may do there, and how it stops.
pub trait Host {
    /// Waits up to `timeout` (for ever when `None`) for something to happen.
    fn next(&mut self, timeout: Option<Duration>) -> Option<Incoming>;
    /// Something workers can post to, so that what they have to say arrives through `next`.
    fn poster(&self) -> Poster;
    /// The terminal's size, in columns and rows.
    fn size(&mut self) -> io::Result<(u16, u16)>;
    /// Whether the host can do this for its reader; what it cannot is refused with a message.
    fn can(&self, capability: Capability) -> bool;
    /// Stops until continued (`Ctrl-z`, then `fg`); the screen has been restored already.
    fn suspend(&mut self) -> io::Result<()>;
    /// Puts the terminal back as the loop needs it after the process was stopped and continued
    /// by something else (`kill -STOP`), which may have changed its mode.
    fn resume(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Lends the terminal to another program while `run` runs (input paused, raw mode off);
    /// returns what `run` says. The screen has been restored already.
    fn hand_over(&mut self, run: &mut dyn FnMut() -> String) -> io::Result<String> {
        let _ = run;
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "not on this terminal",
        ))
    }
}

/// How the reader ended, which decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Quit,
    /// Terminated by a signal.
    Signal(i32),
    /// The terminal went away.
    Hangup,
}

/// How the reader ended, and why its state could not be saved at the end (to be shown once the
/// terminal is given back: on the alternate screen it would vanish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub ending: Ending,
    pub unsaved: Option<String>,
}

impl Ending {
    /// 0 for a quit, 128 plus the signal number otherwise, as shells report it.
    pub fn exit_code(self) -> u8 {
        match self {
            Ending::Quit => 0,
            Ending::Signal(signal) => (128 + signal).clamp(0, 255) as u8,
            Ending::Hangup => (128 + signal_hook::consts::SIGHUP) as u8,
        }
    }

    /// What a failure of the terminal means: a terminal that hung up fails whatever is asked
    /// of it next (ENXIO, EIO), and that may come before the word of the hangup does (the
    /// kernel sends SIGCONT with SIGHUP, and resuming asks the terminal for its mode).
    fn of_failure(error: io::Error) -> io::Result<Ending> {
        match error.raw_os_error() {
            Some(libc::ENXIO | libc::EIO) => Ok(Ending::Hangup),
            _ => Err(error),
        }
    }
}

/// Keeps the reading state somewhere; errors come back as one line for the status line.
pub trait Saver {
    /// Hands what changed on; never waits for the disk.
    fn persist(&mut self, changes: Changes) -> Result<(), String>;
    /// Waits, for a bounded time, until everything handed on is on disk.
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// No saver (`--no-state`, or nowhere to save): changes are dropped.
impl Saver for Option<BackgroundSaver> {
    fn persist(&mut self, changes: Changes) -> Result<(), String> {
        match self {
            Some(saver) => {
                saver.hand_over(changes);
                saver.take_error().map_or(Ok(()), Err)
            }
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        match self {
            Some(saver) => saver.flush(SAVE_WAIT),
            None => Ok(()),
        }
    }
}

/// The size to draw at: what the host says, within [`MAX_SIZE`].
fn drawable((width, height): (u16, u16)) -> (u16, u16) {
    (width.min(MAX_SIZE.0), height.min(MAX_SIZE.1))
}

#[cfg(test)]
mod tests;
