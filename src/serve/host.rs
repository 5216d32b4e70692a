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
    /// Bytes of output handed to russh.
    pub sent: AtomicU64,
    /// Bytes russh has written to the socket (encrypted, so a little more than it was handed).
    pub written: AtomicU64,
    /// Woken whenever russh writes to the socket.
    pub progress: tokio::sync::Notify,
    pub fingerprint: Mutex<Option<String>>,
    /// A second descriptor of the connection's socket: shutting it down ends the connection
    /// whatever russh is waiting on.
    socket: Mutex<Option<OwnedFd>>,
    pub stalled: AtomicBool,
    /// Set once the connection's reader has started.
    pub reading: AtomicBool,
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

/// Frames to the client through russh's writer, which waits for the client's SSH window. What
/// has been handed to russh but not yet written to the socket is counted, and kept under
/// `limit`: a frame waits until russh has written enough, and meanwhile the runtime coalesces
/// newer screens into the next frame. A write that waits longer than `stall` (a client that
/// reads nothing) ends the connection.
pub struct SshOut {
    writer: Pin<Box<dyn AsyncWrite + Send>>,
    tokio: tokio::runtime::Handle,
    stall: Duration,
    limit: usize,
    link: Arc<Link>,
    /// What the socket had carried when the reader started (the handshake), plus every byte
    /// handed to russh since: `handed - written` is what russh still holds.
    handed: u64,
}

impl SshOut {
    pub fn new(
        writer: Pin<Box<dyn AsyncWrite + Send>>,
        tokio: tokio::runtime::Handle,
        stall: Duration,
        limit: usize,
        link: Arc<Link>,
    ) -> SshOut {
        let handed = link.written.load(Ordering::SeqCst);
        SshOut {
            writer,
            tokio,
            stall,
            limit,
            link,
            handed,
        }
    }

    fn stalled(&self) -> io::Error {
        self.link.stalled.store(true, Ordering::SeqCst);
        self.link.cut();
        io::Error::new(io::ErrorKind::TimedOut, "the client reads nothing")
    }

    /// Bytes handed to russh and not yet on the socket (packet overheads written make this a
    /// little less than the truth: some bytes a packet).
    fn queued(handed: u64, link: &Link) -> u64 {
        handed.saturating_sub(link.written.load(Ordering::SeqCst))
    }
}

impl Write for SshOut {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let limit = self.limit.max(1) as u64;
        let part = &bytes[..bytes.len().min(limit as usize)];
        let (writer, link, handed) = (&mut self.writer, &self.link, self.handed);
        let handed = async {
            // Room for this part first: russh's own queue is unbounded.
            loop {
                let progress = link.progress.notified();
                tokio::pin!(progress);
                progress.as_mut().enable();
                if SshOut::queued(handed, link) + part.len() as u64 <= limit {
                    break;
                }
                progress.await;
            }
            writer.write_all(part).await
        };
        let written = self
            .tokio
            .block_on(async { tokio::time::timeout(self.stall, handed).await });
        match written {
            Ok(Ok(())) => {
                self.handed += part.len() as u64;
                self.link
                    .sent
                    .fetch_add(part.len() as u64, Ordering::SeqCst);
                Ok(part.len())
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(self.stalled()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        // russh's writer hands each write on at once; there is nothing to flush.
        Ok(())
    }
}

/// The connection's socket as russh uses it, counting what russh writes to it.
pub struct Counted<S> {
    pub inner: S,
    pub link: Arc<Link>,
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Counted<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let std::task::Poll::Ready(Ok(n)) = polled {
            self.link.written.fetch_add(n as u64, Ordering::SeqCst);
            self.link.progress.notify_waiters();
        }
        polled
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Feed {
    /// Posts from a plain thread, waiting while the queue is full; false when the reader is
    /// gone.
    pub fn post_blocking(&self, incoming: Incoming) -> bool {
        self.sender.send(incoming).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(limit: usize, stall: Duration, link: &Arc<Link>) -> (SshOut, tokio::runtime::Runtime) {
        // As the server's: a runtime whose own threads drive its timers.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let writer = Box::pin(tokio::io::sink());
        let out = SshOut::new(
            writer,
            runtime.handle().clone(),
            stall,
            limit,
            Arc::clone(link),
        );
        (out, runtime)
    }

    #[test]
    fn output_waits_while_russh_holds_the_limit_and_a_client_that_takes_nothing_is_cut() {
        let link = Arc::new(Link::new(None));
        let (mut out, _runtime) = out(100, Duration::from_millis(200), &link);
        assert_eq!(
            out.write(&[b'x'; 300]).unwrap(),
            100,
            "at most the limit at a time"
        );
        let error = out.write(b"y").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(link.stalled.load(Ordering::SeqCst));
        assert_eq!(link.sent.load(Ordering::SeqCst), 100);
    }

    #[test]
    fn output_goes_on_as_soon_as_russh_has_written_what_it_held() {
        let link = Arc::new(Link::new(None));
        let (mut out, _runtime) = out(100, Duration::from_secs(60), &link);
        out.write_all(&[b'x'; 100]).unwrap();
        let socket = Arc::clone(&link);
        let written = std::thread::spawn(move || {
            // What russh's writes to the socket do: count, then wake the writer.
            std::thread::sleep(Duration::from_millis(50));
            socket.written.fetch_add(100, Ordering::SeqCst);
            socket.progress.notify_waiters();
        });
        out.write_all(&[b'y'; 100]).unwrap();
        written.join().unwrap();
        assert_eq!(link.sent.load(Ordering::SeqCst), 200);
        assert!(!link.stalled.load(Ordering::SeqCst));
    }
}
