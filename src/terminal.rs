//! The only code that touches a real terminal: setup, restore, and the event loop. The loop
//! takes its events, output and size from the caller, so the same reader can run on a pty or a
//! remote channel as well as on the process's own terminal.

use std::io::{self, BufWriter, Write};
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::app::{Action, App};
use crate::state::Store;
use crate::ui;

/// Room for a whole frame, so that each frame reaches the terminal in one write.
const FRAME_BUFFER: usize = 256 * 1024;
/// Events handled before the next frame is drawn, so a held key cannot starve the screen.
const MAX_EVENTS_PER_FRAME: usize = 64;
/// How long a change waits before it is saved, so a burst of keys makes one write while a
/// dropped connection or a kill loses well under a second.
const SAVE_DELAY: Duration = Duration::from_millis(300);

/// Keeps the app's state somewhere; errors come back as one line for the status line.
pub trait Saver {
    fn save(&mut self, app: &App) -> Result<(), String>;
}

/// No store: nothing is kept.
impl Saver for Option<Store> {
    fn save(&mut self, app: &App) -> Result<(), String> {
        match self {
            Some(store) => store
                .save(app.state())
                .map(drop)
                .map_err(|e| format!("cannot save {}: {e}", store.path().display())),
            None => Ok(()),
        }
    }
}

/// Where terminal events come from.
pub trait EventSource {
    /// Waits for the next event. An error ends the reader.
    fn read(&mut self) -> io::Result<Event>;
    /// Whether an event can be read without waiting longer than `timeout`.
    fn poll(&mut self, timeout: Duration) -> io::Result<bool>;
}

/// Events from the process's own terminal.
pub struct LocalEvents;

impl EventSource for LocalEvents {
    fn read(&mut self) -> io::Result<Event> {
        event::read()
    }

    fn poll(&mut self, timeout: Duration) -> io::Result<bool> {
        event::poll(timeout)
    }
}

/// Runs the reader on the process's own terminal, restoring it however the reader ends.
pub fn run_local(app: &mut App, saver: &mut impl Saver) -> io::Result<()> {
    let (width, height) = terminal::size()?;
    terminal::enable_raw_mode()?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_local();
        previous_hook(info);
    }));
    let result = run(app, &mut LocalEvents, saver, io::stdout(), (width, height));
    let _ = std::panic::take_hook();
    restore_local();
    result
}

/// Leaves the alternate screen, shows the cursor and turns raw mode and the mouse off.
fn restore_local() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
}

/// Runs the reader on a terminal reached through `events` and `out`, of `size` columns and
/// rows, until the user quits or input fails. Raw mode is the caller's business.
pub fn run<W: Write>(
    app: &mut App,
    events: &mut impl EventSource,
    saver: &mut impl Saver,
    out: W,
    (width, height): (u16, u16),
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(FRAME_BUFFER, out);
    // Cleared here rather than with `Terminal::clear`, which asks the terminal where its cursor
    // is and so stalls on one that does not answer.
    execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        Hide,
        Clear(ClearType::All)
    )?;
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let result = Terminal::with_options(CrosstermBackend::new(&mut out), options).and_then(
        |mut terminal| {
            app.apply(Action::Resize { width, height });
            event_loop(app, events, saver, &mut terminal)
        },
    );
    let restored = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    result.and(restored)
}

fn event_loop<W: Write>(
    app: &mut App,
    events: &mut impl EventSource,
    saver: &mut impl Saver,
    terminal: &mut Terminal<CrosstermBackend<W>>,
) -> io::Result<()> {
    let mut saved = app.revision();
    let mut unsaved_since: Option<Instant> = None;
    let mut needs_draw = true;
    while !app.should_quit() {
        if needs_draw {
            terminal.draw(|frame| ui::draw(app, frame))?;
            needs_draw = false;
        }
        // Wait for input, or only until a pending save is due.
        let ready = match unsaved_since {
            Some(since) => events.poll(SAVE_DELAY.saturating_sub(since.elapsed()))?,
            None => true,
        };
        if ready {
            let mut handled = 0;
            loop {
                handle(app, terminal, events.read()?)?;
                handled += 1;
                if handled == MAX_EVENTS_PER_FRAME
                    || app.should_quit()
                    || !events.poll(Duration::ZERO)?
                {
                    break;
                }
            }
            needs_draw = true;
        }
        if app.revision() != saved {
            let since = *unsaved_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= SAVE_DELAY || app.should_quit() {
                if let Err(message) = saver.save(app) {
                    app.apply(Action::Notify(message));
                    needs_draw = true;
                }
                saved = app.revision();
                unsaved_since = None;
            }
        }
    }
    Ok(())
}

fn handle<W: Write>(
    app: &mut App,
    terminal: &mut Terminal<CrosstermBackend<W>>,
    event: Event,
) -> io::Result<()> {
    if let Event::Resize(width, height) = event {
        terminal.resize(Rect::new(0, 0, width, height))?;
    }
    let keymap = &app.options().settings.keymap;
    if let Some(action) = keymap.action_for(app.mode(), app.focus(), &event) {
        app.apply(action);
    }
    Ok(())
}
