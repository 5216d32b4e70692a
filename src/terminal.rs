//! The only code that touches a real terminal: setup, restore, signals and the event loop.
//! The loop takes its input, output and size from a [`Host`], so the same reader can run on a
//! pty or a remote channel as well as on the process's own terminal ([`local`]).

mod decode;
pub mod local;
pub mod outside;
mod rescue;

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGPROF, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2,
    SIGVTALRM, SIGWINCH, SIGXCPU, SIGXFSZ,
};

pub use decode::Decoder;

use crate::app::{Action, App, Effect};
use crate::reload::Watch;
use crate::search::background::Worker;
use crate::state::BackgroundSaver;
use crate::ui;

/// The shortest time between two frames: at most 60 a second, however fast keys arrive.
const FRAME: Duration = Duration::from_millis(16);
/// How long the reader waits at the end for its last changes to reach the disk.
const SAVE_WAIT: Duration = Duration::from_secs(5);
/// How long the restore sequence may take to reach a slow terminal before byline gives up.
const RESTORE_WAIT: Duration = Duration::from_secs(1);
/// How often the input files are checked for changes (a change is loaded once a check finds
/// the files as the one before, so within two of these of the last write).
const WATCH_EVERY: Duration = Duration::from_millis(500);
/// How often the loop looks for a search worker's answer while one is due.
const SEARCH_POLL: Duration = Duration::from_millis(4);
/// How long the selection rests before the reading pane previews it: longer than the gap
/// between a held key's repeats, so holding `j` still costs two rows a step.
const PREVIEW_REST: Duration = Duration::from_millis(150);
/// Events handled before a frame is drawn, so a held key cannot starve the screen.
const MAX_EVENTS_PER_FRAME: usize = 256;
/// The largest screen drawn (columns, rows): a buffer the size some terminals claim
/// (65535x65535) would not fit in memory.
const MAX_SIZE: (u16, u16) = (1000, 500);
/// Signals that end the reader the way SIGTERM does: state saved, terminal given back, exit
/// 128 plus the signal. (SIGHUP is a hangup; SIGABRT is left to `rescue`.)
pub const ENDING_SIGNALS: [i32; 10] = [
    SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
];

/// Something that happened to the terminal or the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Event(Event),
    /// A signal: one of [`ENDING_SIGNALS`], SIGHUP, SIGTSTP, SIGCONT or SIGWINCH.
    Signal(i32),
    /// The input ended or failed: the terminal is gone.
    Hangup,
}

/// Where the loop gets its input and size from, and how it stops the process.
pub trait Host {
    /// Waits up to `timeout` (for ever when `None`) for something to happen.
    fn next(&mut self, timeout: Option<Duration>) -> Option<Incoming>;
    /// The terminal's size, in columns and rows.
    fn size(&mut self) -> io::Result<(u16, u16)>;
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
            Ending::Hangup => (128 + SIGHUP) as u8,
        }
    }
}

/// Keeps the app's state somewhere; errors come back as one line for the status line.
pub trait Saver {
    /// Takes what changed from the app and hands it on; never waits for the disk.
    fn save(&mut self, app: &mut App) -> Result<(), String>;
    /// Waits, for a bounded time, until everything handed on is on disk.
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// No saver (`--no-state`, or nowhere to save): changes are dropped.
impl Saver for Option<BackgroundSaver> {
    fn save(&mut self, app: &mut App) -> Result<(), String> {
        let changes = app.take_changes();
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

/// Collects what is written during one frame, so the frame goes out in one write. Clones share
/// the buffer: ratatui's backend writes into one, the loop takes the frame from another.
#[derive(Debug, Default, Clone)]
pub struct FrameBuffer(Arc<Mutex<Vec<u8>>>);

impl FrameBuffer {
    fn take(&self) -> Vec<u8> {
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
struct Writer {
    frames: mpsc::Sender<Vec<u8>>,
    in_flight: Arc<AtomicUsize>,
    failed: Arc<AtomicBool>,
}

impl Writer {
    fn spawn<W: Write + Send + 'static>(mut out: W) -> Writer {
        let (frames, queue) = mpsc::channel::<Vec<u8>>();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicBool::new(false));
        let (count, broken) = (Arc::clone(&in_flight), Arc::clone(&failed));
        std::thread::spawn(move || {
            for frame in queue {
                if out.write_all(&frame).and_then(|()| out.flush()).is_err() {
                    broken.store(true, Ordering::SeqCst);
                }
                count.fetch_sub(1, Ordering::SeqCst);
            }
        });
        Writer {
            frames,
            in_flight,
            failed,
        }
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) > 0
    }

    fn send(&self, frame: Vec<u8>) {
        if frame.is_empty() {
            return;
        }
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        if self.frames.send(frame).is_err() {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Waits until everything sent has been written, for at most `limit`.
    fn drain(&self, limit: Duration) {
        let start = Instant::now();
        while self.busy() && start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// The screen as ratatui sees it, the buffer it draws into, and the thread that writes it out.
struct Screen {
    terminal: Terminal<CrosstermBackend<FrameBuffer>>,
    frame: FrameBuffer,
    writer: Writer,
}

impl Screen {
    /// Sends what has been buffered as one frame.
    fn commit(&mut self) {
        self.writer.send(self.frame.take());
    }

    /// Takes over the terminal: alternate screen, mouse, hidden cursor, cleared. (Cleared here
    /// rather than with `Terminal::clear`, which asks the terminal where its cursor is and so
    /// stalls on one that does not answer.)
    fn take_over(&mut self) -> io::Result<()> {
        queue!(
            self.frame,
            EnterAlternateScreen,
            EnableMouseCapture,
            Hide,
            Clear(ClearType::All)
        )
    }

    /// Gives the terminal back and waits a while for that to be written.
    fn give_back(&mut self) -> io::Result<()> {
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

/// Runs the reader until the user quits, a signal ends it or the terminal goes away. Raw mode
/// is the host's business; the alternate screen, mouse and cursor are this loop's. State is
/// saved before it returns.
pub fn run<W: Write + Send + 'static>(
    app: &mut App,
    host: &mut impl Host,
    saver: &mut impl Saver,
    watch: Option<Watch>,
    out: W,
) -> io::Result<Finished> {
    let (width, height) = drawable_size(host)?;
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let frame = FrameBuffer::default();
    let mut screen = Screen {
        terminal: Terminal::with_options(CrosstermBackend::new(frame.clone()), options)?,
        frame,
        writer: Writer::spawn(out),
    };
    screen.take_over()?;
    app.apply(Action::Resize { width, height });
    let ending = event_loop(app, host, saver, watch, &mut screen);
    let unsaved = saver.save(app).and_then(|()| saver.finish()).err();
    if matches!(ending, Ok(Ending::Hangup)) {
        // Nothing more is queued for a terminal that went away: that could block for ever. A
        // frame on its way gets a moment, so it cannot land after a restore by the host.
        screen.writer.drain(FRAME);
    } else {
        screen.give_back()?;
    }
    let ending = ending.map_err(|e| match &unsaved {
        Some(message) => io::Error::new(e.kind(), format!("{e}; {message}")),
        None => e,
    })?;
    Ok(Finished { ending, unsaved })
}

/// The terminal's size as drawn: what the host says, within [`MAX_SIZE`].
fn drawable_size(host: &mut impl Host) -> io::Result<(u16, u16)> {
    let (width, height) = host.size()?;
    Ok((width.min(MAX_SIZE.0), height.min(MAX_SIZE.1)))
}

fn event_loop(
    app: &mut App,
    host: &mut impl Host,
    saver: &mut impl Saver,
    mut watch: Option<Watch>,
    screen: &mut Screen,
) -> io::Result<Ending> {
    let panic_for_tests = std::env::var_os("BYLINE_TEST_PANIC").is_some();
    let store = app.shared_store();
    let mut searched = Arc::clone(&store);
    let mut searcher = Worker::spawn(store);
    let mut next_look = Instant::now() + WATCH_EVERY;
    app.apply(Action::SearchInBackground);
    let mut asked = 0;
    let mut done = 0;
    let mut needs_draw = true;
    let mut last_draw: Option<Instant> = None;
    let mut preview_at = app.wants_preview().then(|| Instant::now() + PREVIEW_REST);
    loop {
        if screen.writer.failed.load(Ordering::SeqCst) {
            return Ok(Ending::Hangup);
        }
        if preview_at.is_some_and(|at| Instant::now() >= at) {
            preview_at = None;
            app.apply(Action::Preview);
            needs_draw = true;
        }
        let frame_due = last_draw.is_none_or(|at| at.elapsed() >= FRAME);
        if needs_draw && frame_due && !screen.writer.busy() {
            screen.terminal.draw(|frame| ui::draw(app, frame))?;
            screen.commit();
            needs_draw = false;
            last_draw = Some(Instant::now());
        }
        // Sleep until something happens, or until a frame or a save is due.
        let mut wake: Option<Duration> = None;
        let mut wake_by = |d: Duration| wake = Some(wake.map_or(d, |w| w.min(d)));
        if needs_draw {
            let until_frame =
                last_draw.map_or(Duration::ZERO, |at| FRAME.saturating_sub(at.elapsed()));
            wake_by(until_frame.max(Duration::from_millis(2)));
        }
        if app.is_searching() || watch.as_ref().is_some_and(Watch::is_loading) {
            // Workers have no way into the host's queue, so look for their answers now and then.
            wake_by(SEARCH_POLL);
        }
        if watch.is_some() {
            wake_by(next_look.saturating_duration_since(Instant::now()));
        }
        if let Some(at) = preview_at {
            wake_by(at.saturating_duration_since(Instant::now()));
        }
        let mut next = host.next(wake);
        let mut handled = 0;
        while let Some(incoming) = next {
            if panic_for_tests && matches!(incoming, Incoming::Event(Event::Key(_))) {
                panic!("BYLINE_TEST_PANIC is set");
            }
            if let Some(ending) = handle(app, host, screen, incoming)? {
                return Ok(ending);
            }
            needs_draw = true;
            handled += 1;
            if app.should_quit() {
                return Ok(Ending::Quit);
            }
            next = (handled < MAX_EVENTS_PER_FRAME)
                .then(|| host.next(Some(Duration::ZERO)))
                .flatten();
        }
        if handled > 0 {
            // Every key starts the rest again: a preview waits for the selection to stop.
            preview_at = app.wants_preview().then(|| Instant::now() + PREVIEW_REST);
        }
        if let Some(request) = app.search_request().filter(|r| r.generation != asked) {
            asked = request.generation;
            searcher.send(request.clone());
        }
        if let Some((number, effect)) = app.effect().filter(|(n, _)| *n != done).cloned() {
            done = number;
            match (&effect, watch.as_mut()) {
                (Effect::Reload, Some(watch)) => watch.start_loading(app.shared_store()),
                _ => {
                    let clipboard = app.options().settings.clipboard;
                    let report = outside::perform(effect, clipboard, host, screen)?;
                    app.apply(report);
                    needs_draw = true;
                }
            }
        }
        if let Some(watch) = watch.as_mut() {
            if Instant::now() >= next_look {
                next_look = Instant::now() + WATCH_EVERY;
                if !watch.is_loading() && watch.changed() {
                    watch.start_loading(app.shared_store());
                }
            }
            if let Some(corpus) = watch.loaded() {
                app.apply(Action::Reloaded(Box::new(corpus)));
                if let Some(old) = app.take_retired() {
                    crate::parallel::in_background(move || drop(old));
                }
                needs_draw = true;
            }
        }
        // A reload replaces the articles: the search worker must search the new ones.
        let store = app.shared_store();
        if !Arc::ptr_eq(&store, &searched) {
            searched = Arc::clone(&store);
            searcher = Worker::spawn(store);
            asked = 0;
        }
        if let Some(answer) = searcher.answer() {
            app.apply(Action::SearchAnswered(answer));
            needs_draw = true;
        }
        // Handing over is as cheap as the change (nothing when nothing changed); the saver
        // gathers bursts itself, and a failed write shows at the next wake.
        if let Err(message) = saver.save(app) {
            app.apply(Action::Notify(message));
            needs_draw = true;
        }
    }
}

/// Acts on one incoming thing; returns how the reader ends if it does.
fn handle(
    app: &mut App,
    host: &mut impl Host,
    screen: &mut Screen,
    incoming: Incoming,
) -> io::Result<Option<Ending>> {
    let event = match incoming {
        Incoming::Hangup => return Ok(Some(Ending::Hangup)),
        Incoming::Signal(SIGHUP) => return Ok(Some(Ending::Hangup)),
        Incoming::Signal(SIGTSTP) => {
            let (width, height) = suspend(host, screen)?;
            app.apply(Action::Resize { width, height });
            return Ok(None);
        }
        Incoming::Signal(SIGCONT) => {
            // Whatever stopped byline, the shell has had the terminal: its mode and screen.
            host.resume()?;
            let (width, height) = take_back(host, screen)?;
            app.apply(Action::Resize { width, height });
            return Ok(None);
        }
        Incoming::Signal(SIGWINCH) => {
            let (width, height) = drawable_size(host)?;
            Event::Resize(width, height)
        }
        Incoming::Signal(signal) if ENDING_SIGNALS.contains(&signal) => {
            return Ok(Some(Ending::Signal(signal)));
        }
        Incoming::Signal(_) => return Ok(None),
        Incoming::Event(Event::Resize(width, height)) => {
            Event::Resize(width.min(MAX_SIZE.0), height.min(MAX_SIZE.1))
        }
        Incoming::Event(event) => event,
    };
    if let Event::Resize(width, height) = event {
        screen.terminal.resize(Rect::new(0, 0, width, height))?;
    }
    let keymap = &app.options().settings.keymap;
    if let Some(action) = keymap.action_for(app.mode(), app.focus(), &event) {
        let suspending = action == Action::Suspend;
        app.apply(action);
        if suspending {
            let (width, height) = suspend(host, screen)?;
            app.apply(Action::Resize { width, height });
        }
    }
    Ok(None)
}

/// Gives the terminal back, stops until continued, then takes it over and redraws it all.
/// Returns the terminal's size on return, which may have changed meanwhile.
fn suspend(host: &mut impl Host, screen: &mut Screen) -> io::Result<(u16, u16)> {
    screen.give_back()?;
    host.suspend()?;
    take_back(host, screen)
}

/// Takes the terminal over again after something else had it and makes the next frame a full
/// one. Returns the terminal's size, which may have changed meanwhile.
fn take_back(host: &mut impl Host, screen: &mut Screen) -> io::Result<(u16, u16)> {
    screen.take_over()?;
    let (width, height) = drawable_size(host)?;
    // Resizing resets ratatui's idea of the screen, so the next frame is drawn in full.
    screen.terminal.resize(Rect::new(0, 0, width, height))?;
    Ok((width, height))
}

#[cfg(test)]
mod tests;
