//! An SSH channel as a [`Host`]: keys arrive from the connection's handler, frames leave
//! through russh's window-respecting writer, and nothing runs or writes on the server.

use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::session::Capability;
use crate::terminal::{Host, Incoming, Poster};

/// Messages waiting for a reader's loop; a full queue holds up that client's input only. Its
/// slots are allocated up front (120 bytes each), for every reader: 64 keep that to 8 KiB, and
/// the loop takes up to 256 messages between two frames.
const QUEUE: usize = 64;

/// What the server knows of one connection, shared by its handler, its reader and the
/// accept loop: bytes sent, who it is, and a way to cut it.
#[derive(Default)]
pub struct Link {
    pub sent: AtomicU64,
    pub fingerprint: Mutex<Option<String>>,
    /// A second descriptor of the connection's socket: shutting it down ends the connection
    /// whatever russh is waiting on.
    socket: Mutex<Option<OwnedFd>>,
    pub stalled: AtomicBool,
}

impl Link {
    pub fn new(socket: Option<OwnedFd>) -> Link {
        Link {
            socket: Mutex::new(socket),
            ..Link::default()
        }
    }

    /// Ends the connection now: its socket is shut down both ways.
    pub fn cut(&self) {
        if let Some(fd) = &*self.socket.lock().unwrap_or_else(PoisonError::into_inner) {
            // SAFETY: shutdown on a descriptor we own (a duplicate); no memory is involved.
            unsafe { libc::shutdown(fd.as_raw_fd(), libc::SHUT_RDWR) };
        }
    }

    pub fn who(&self) -> String {
        let fingerprint = self
            .fingerprint
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        fingerprint
            .clone()
            .unwrap_or_else(|| "(not authenticated)".into())
    }
}

/// The channel's end of a reader: size and input come in through the [`Feed`].
pub struct SshHost {
    incoming: Receiver<Incoming>,
    sender: SyncSender<Incoming>,
    size: Arc<Mutex<(u16, u16)>>,
    /// Debug builds, test servers only: panic at the first key, to show that one session's
    /// panic ends that session alone.
    panic_at_key: bool,
}

/// What the connection's handler holds to feed its reader.
#[derive(Clone)]
pub struct Feed {
    sender: SyncSender<Incoming>,
    size: Arc<Mutex<(u16, u16)>>,
}

impl SshHost {
    pub fn new(size: (u16, u16), panic_at_key: bool) -> (SshHost, Feed) {
        let (sender, incoming) = mpsc::sync_channel(QUEUE);
        let size = Arc::new(Mutex::new(size));
        let feed = Feed {
            sender: sender.clone(),
            size: Arc::clone(&size),
        };
        let host = SshHost {
            incoming,
            sender,
            size,
            panic_at_key,
        };
        (host, feed)
    }
}

impl Feed {
    /// Hands the reader something; waits (without blocking the async thread) while its queue
    /// is full. False when the reader is gone.
    pub async fn post(&self, incoming: Incoming) -> bool {
        let mut incoming = incoming;
        loop {
            match self.sender.try_send(incoming) {
                Ok(()) => return true,
                Err(TrySendError::Disconnected(_)) => return false,
                Err(TrySendError::Full(back)) => {
                    incoming = back;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        }
    }

    /// Posts without waiting, from where nothing may wait (a drop): a full queue gets it from
    /// a thread of its own.
    pub fn post_now(&self, incoming: Incoming) {
        if let Err(TrySendError::Full(incoming)) = self.sender.try_send(incoming) {
            let sender = self.sender.clone();
            std::thread::spawn(move || sender.send(incoming));
        }
    }

    pub fn set_size(&self, size: (u16, u16)) {
        *self.size.lock().unwrap_or_else(PoisonError::into_inner) = size;
    }
}

impl Host for SshHost {
    fn next(&mut self, timeout: Option<Duration>) -> Option<Incoming> {
        let next = match timeout {
            None => Some(self.incoming.recv().unwrap_or(Incoming::Hangup)),
            Some(timeout) => match self.incoming.recv_timeout(timeout) {
                Ok(incoming) => Some(incoming),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Incoming::Hangup),
            },
        };
        if self.panic_at_key && matches!(next, Some(Incoming::Event(_))) {
            panic!("test hook: this session panics at its first key");
        }
        next
    }

    fn poster(&self) -> Poster {
        let sender = self.sender.clone();
        Poster::new(move |incoming| sender.send(incoming).is_ok())
    }

    fn size(&mut self) -> io::Result<(u16, u16)> {
        Ok(*self.size.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn can(&self, capability: Capability) -> bool {
        // Copying goes to the reader's own terminal (OSC 52); everything else would run a
        // program, write a file or stop a process on the server.
        capability == Capability::Clipboard
    }

    fn suspend(&mut self) -> io::Result<()> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "not over SSH"))
    }
}

/// Frames to the client through russh's writer, which waits for the client's window: at most
/// `chunk` bytes are handed to russh at a time, and a write that waits longer than `stall`
/// (a client that reads nothing) ends the connection.
pub struct SshOut {
    pub writer: Pin<Box<dyn AsyncWrite + Send>>,
    pub tokio: tokio::runtime::Handle,
    pub stall: Duration,
    pub chunk: usize,
    pub link: Arc<Link>,
}

impl SshOut {
    fn stalled(&self) -> io::Error {
        self.link.stalled.store(true, Ordering::SeqCst);
        self.link.cut();
        io::Error::new(io::ErrorKind::TimedOut, "the client reads nothing")
    }
}

impl Write for SshOut {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let part = &bytes[..bytes.len().min(self.chunk.max(1))];
        let writer = &mut self.writer;
        let written = self
            .tokio
            .block_on(async { tokio::time::timeout(self.stall, writer.write_all(part)).await });
        match written {
            Ok(Ok(())) => {
                self.link
                    .sent
                    .fetch_add(part.len() as u64, Ordering::Relaxed);
                Ok(part.len())
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(self.stalled()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        let writer = &mut self.writer;
        let flushed = self
            .tokio
            .block_on(async { tokio::time::timeout(self.stall, writer.flush()).await });
        match flushed {
            Ok(result) => result,
            Err(_) => Err(self.stalled()),
        }
    }
}

impl Feed {
    /// Posts from a plain thread, waiting while the queue is full; false when the reader is
    /// gone.
    pub fn post_blocking(&self, incoming: Incoming) -> bool {
        self.sender.send(incoming).is_ok()
    }
}
