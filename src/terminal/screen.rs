//! The screen as ratatui sees it, the buffer a frame is drawn into, and the thread that writes
//! frames out without ever holding up the reader.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};

use super::{Incoming, Poster, RESTORE_WAIT};

/// Collects what is written during one frame, so the frame goes out in one write. Clones share
/// the buffer: ratatui's backend writes into one, the loop takes the frame from another.
#[derive(Debug, Default, Clone)]
pub struct FrameBuffer(Arc<Mutex<Vec<u8>>>);

impl FrameBuffer {
    pub(super) fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for FrameBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes frames on a thread of its own, so a terminal that stops reading (a stalled SSH
/// connection) holds up neither input nor memory: while a frame is in flight no new one is
/// drawn, and at most one frame is ever queued.
pub(super) struct Writer {
    frames: mpsc::Sender<Vec<u8>>,
    in_flight: Arc<AtomicUsize>,
    failed: Arc<AtomicBool>,
}

impl Writer {
    /// A writer that tells `post` when a frame has gone out (or failed to), so the loop
    /// waiting to draw the next one wakes then and not before.
    pub(super) fn spawn<W: Write + Send + 'static>(mut out: W, post: Poster) -> Writer {
        let (frames, queue) = mpsc::channel::<Vec<u8>>();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicBool::new(false));
        let (count, broken) = (Arc::clone(&in_flight), Arc::clone(&failed));
        std::thread::spawn(move || {
            for frame in queue {
                if out.write_all(&frame).and_then(|()| out.flush()).is_err() {
                    broken.store(true, Ordering::SeqCst);
                }
                if count.fetch_sub(1, Ordering::SeqCst) == 1 {
                    post.post(Incoming::Written);
                }
            }
        });
        Writer {
            frames,
            in_flight,
            failed,
        }
    }

    pub(super) fn busy(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) > 0
    }

    pub(super) fn send(&self, frame: Vec<u8>) {
        if frame.is_empty() {
            return;
        }
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        if self.frames.send(frame).is_err() {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Waits until everything sent has been written, for at most `limit`.
    /// Whether writing to the terminal failed: it is gone.
    pub(super) fn failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    pub(super) fn drain(&self, limit: Duration) {
        let start = Instant::now();
        while self.busy() && start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// The screen as ratatui sees it, the buffer it draws into, and the thread that writes it out.
pub(super) struct Screen {
    pub terminal: Terminal<CrosstermBackend<FrameBuffer>>,
    pub frame: FrameBuffer,
    pub writer: Writer,
}

impl Screen {
    /// Sends what has been buffered as one frame.
    pub(super) fn commit(&mut self) {
        self.writer.send(self.frame.take());
    }

    /// Takes over the terminal: alternate screen, mouse, hidden cursor, cleared. (Cleared here
    /// rather than with `Terminal::clear`, which asks the terminal where its cursor is and so
    /// stalls on one that does not answer.)
    pub(super) fn take_over(&mut self) -> io::Result<()> {
        queue!(
            self.frame,
            EnterAlternateScreen,
            EnableMouseCapture,
            Hide,
            Clear(ClearType::All)
        )
    }

    /// Gives the terminal back and waits a while for that to be written.
    pub(super) fn give_back(&mut self) -> io::Result<()> {
        give_back(&mut self.frame)?;
        self.commit();
        self.writer.drain(RESTORE_WAIT);
        Ok(())
    }
}

/// The bytes that give the terminal back as it was.
pub fn give_back(out: &mut impl Write) -> io::Result<()> {
    queue!(out, DisableMouseCapture, LeaveAlternateScreen, Show)
}
