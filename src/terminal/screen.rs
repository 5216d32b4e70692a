//! The screen as ratatui sees it, the buffer a frame is drawn into, and the thread that writes
//! frames out without ever holding up the reader.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::backend::{Backend, ClearType as Clearing, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, SetAttribute};
use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Frame, Terminal, TerminalOptions, Viewport};

use super::encode::{Encoder, Link, Scroll};
use super::{Incoming, Poster, RESTORE_WAIT, Reply};

/// Asks whether the terminal has left and right margins (DECRQM for DECLRMM, mode 69).
const ASK_MARGINS: &str = "\x1b[?69$p";
/// Turns left and right margins on and off (DECLRMM).
const MARGINS_ON: &str = "\x1b[?69h";
const MARGINS_OFF: &str = "\x1b[?69l";

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

/// Where ratatui last put the cursor: `None` when hidden.
type Cursor = Arc<Mutex<Option<Position>>>;

/// A backend that draws nothing: ratatui renders each frame into its buffer and the
/// [`Encoder`] sends it. It keeps the size and what ratatui says about the cursor.
struct Recorder {
    size: Size,
    cursor: Cursor,
    at: Position,
}

impl Backend for Recorder {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, _: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = Some(self.at);
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.at)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.at = position.into();
        let mut cursor = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        if cursor.is_some() {
            *cursor = Some(self.at);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn clear_region(&mut self, _: Clearing) -> io::Result<()> {
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The screen: ratatui's buffers, the encoder that knows what the terminal shows, bytes queued
/// outside frames, and the thread that writes it all out.
pub(super) struct Screen {
    terminal: Terminal<Recorder>,
    cursor: Cursor,
    encoder: Encoder,
    /// Bytes to send before the next frame (taking the terminal over, the clipboard).
    pub frame: FrameBuffer,
    pub writer: Writer,
}

impl Screen {
    /// A screen of `width`×`height` whose frames `writer` writes.
    pub(super) fn new(width: u16, height: u16, writer: Writer) -> io::Result<Screen> {
        let area = Rect::new(0, 0, width, height);
        let cursor = Cursor::default();
        let recorder = Recorder {
            size: area.as_size(),
            cursor: Arc::clone(&cursor),
            at: Position::ORIGIN,
        };
        let options = TerminalOptions {
            viewport: Viewport::Fixed(area),
        };
        let mut screen = Screen {
            terminal: Terminal::with_options(recorder, options)?,
            cursor,
            encoder: Encoder::new(area),
            frame: FrameBuffer::default(),
            writer,
        };
        screen.drop_buffers();
        Ok(screen)
    }

    /// Leaves ratatui's two screen buffers with no rows. The screen shown is the encoder's:
    /// ratatui's copy of the previous frame (which it diffs against for a backend that draws
    /// nothing) is never needed, and the buffer a frame is drawn into is made for that frame
    /// and dropped after it, so that between frames (an idle reader of `byline serve`) the
    /// encoder's copy is the only one.
    fn drop_buffers(&mut self) {
        for _ in 0..2 {
            let width = self.terminal.current_buffer_mut().area.width;
            *self.terminal.current_buffer_mut() = Buffer::empty(Rect::new(0, 0, width, 0));
            self.terminal.swap_buffers();
        }
    }

    /// Draws a frame and sends what changed, with the links `render` gives, scrolling
    /// `scrolls` by the terminal where that is cheaper.
    pub(super) fn draw(
        &mut self,
        render: impl FnOnce(&mut Frame) -> Vec<Link>,
        scrolls: &[Scroll],
    ) -> io::Result<()> {
        let mut links = Vec::new();
        let size = self.terminal.backend().size;
        *self.terminal.current_buffer_mut() = Buffer::empty(Rect::from((Position::ORIGIN, size)));
        let drawn = self.terminal.draw(|frame| links = render(frame))?;
        let cursor = *self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        let mut bytes = self.frame.take();
        self.encoder
            .encode_frame(drawn.buffer, links, cursor, scrolls, &mut bytes);
        self.drop_buffers();
        self.writer.send(bytes);
        Ok(())
    }

    /// Draws at a new size from the next frame on (which clears the screen and draws it all).
    pub(super) fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        let area = Rect::new(0, 0, width, height);
        self.terminal.backend_mut().size = area.as_size();
        self.terminal.resize(area)?;
        self.drop_buffers();
        Ok(())
    }

    /// Sends what has been buffered outside frames.
    pub(super) fn commit(&mut self) {
        self.writer.send(self.frame.take());
    }

    /// Takes over the terminal: alternate screen, mouse, hidden cursor, cleared; the next frame
    /// draws everything. (Cleared here rather than with `Terminal::clear`, which asks the
    /// terminal where its cursor is and so stalls on one that does not answer.)
    pub(super) fn take_over(&mut self) -> io::Result<()> {
        queue!(
            self.frame,
            EnterAlternateScreen,
            EnableMouseCapture,
            Hide,
            SetAttribute(Attribute::Reset),
            Clear(ClearType::All)
        )?;
        self.encoder.forget();
        if self.encoder.margins() {
            self.frame.write_all(MARGINS_ON.as_bytes())?;
        } else {
            // Asked each time the terminal is taken over: it may be another one after `fg`.
            self.frame.write_all(ASK_MARGINS.as_bytes())?;
        }
        Ok(())
    }

    /// Whether frames send their links (OSC 8).
    pub(super) fn set_hyperlinks(&mut self, on: bool) {
        self.encoder.set_hyperlinks(on);
    }

    /// Takes in what the terminal said: with left and right margins, a pane beside another
    /// scrolls by the terminal too.
    pub(super) fn heard(&mut self, reply: Reply) {
        let Reply::Mode { mode: 69, state } = reply else {
            return;
        };
        // Set or reset (1, 2, 3) means the terminal knows the mode and lets it be set.
        if matches!(state, 1..=3) && !self.encoder.margins() {
            let _ = self.frame.write_all(MARGINS_ON.as_bytes());
            self.encoder.set_margins(true);
        }
    }

    /// Gives the terminal back and waits a while for that to be written.
    pub(super) fn give_back(&mut self) -> io::Result<()> {
        if self.encoder.margins() {
            self.frame.write_all(MARGINS_OFF.as_bytes())?;
        }
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

#[cfg(test)]
mod tests {
    use ratatui::widgets::Paragraph;

    use super::*;

    impl Screen {
        /// The cells of both of ratatui's buffers (between frames, when swapping clears none
        /// that matters).
        fn ratatui_cells(&mut self) -> usize {
            let mut cells = self.terminal.current_buffer_mut().content.len();
            self.terminal.swap_buffers();
            cells += self.terminal.current_buffer_mut().content.len();
            self.terminal.swap_buffers();
            cells
        }
    }

    fn written(out: &FrameBuffer, screen: &Screen) -> String {
        screen.writer.drain(Duration::from_secs(60));
        String::from_utf8_lossy(&out.take()).into_owned()
    }

    #[test]
    fn ratatui_keeps_no_cells_between_frames_and_frames_still_send_only_what_changed() {
        let out = FrameBuffer::default();
        let writer = Writer::spawn(out.clone(), Poster::new(|_| true));
        let mut screen = Screen::new(120, 40, writer).unwrap();
        assert_eq!(screen.ratatui_cells(), 0);
        let text = |words: &'static str| {
            move |frame: &mut Frame| {
                frame.render_widget(Paragraph::new(words), frame.area());
                Vec::new()
            }
        };
        screen.draw(text("first words"), &[]).unwrap();
        assert!(written(&out, &screen).contains("first words"));
        assert_eq!(screen.ratatui_cells(), 0);
        screen.draw(text("first birds"), &[]).unwrap();
        let second = written(&out, &screen);
        assert!(
            second.contains('b') && !second.contains("first"),
            "{second:?}"
        );
        screen.draw(text("first birds"), &[]).unwrap();
        assert_eq!(written(&out, &screen), "", "nothing changed, nothing sent");
        screen.resize(80, 24).unwrap();
        assert_eq!(screen.ratatui_cells(), 0);
        screen.draw(text("after"), &[]).unwrap();
        assert!(written(&out, &screen).contains("after"));
        assert_eq!(screen.ratatui_cells(), 0);
    }
}
