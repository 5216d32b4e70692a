//! The runtime: one queue it sleeps on (input, signals, search answers, reloads, the writer),
//! messages into the session, commands out of it carried out here.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::Event;

use super::encode::Scroll;
use super::screen::{Screen, Writer};
use super::{Ending, FRAME, Finished, Host, Incoming, Saver, Signal, drawable, outside};
use crate::config::Hyperlinks;
use crate::feed::refresh::Refresher;
use crate::library::Library;
use crate::reload::Watch;
use crate::search::background::Worker;
use crate::session::{Capability, Command, Msg, Session};
use crate::ui::{self, theme::Theme};

/// How long the selection rests before the reading pane previews it: longer than the gap
/// between a held key's repeats, so holding `j` still costs two rows a step.
const PREVIEW_REST: Duration = Duration::from_millis(150);
/// Events handled before a frame is drawn, so a held key cannot starve the screen.
const MAX_EVENTS_PER_FRAME: usize = 256;
/// How long a frame waits for the answer to a search just asked, so that one frame carries
/// the letter typed and its results rather than a "searching…" frame and then another. Less
/// than a frame: the letter itself must still be echoed within one (a search of an archive
/// can take far longer than this, and then its results follow in frames of their own).
const SEARCH_HOLD: Duration = Duration::from_millis(10);

/// Where the panes were scrolled to when the last frame was drawn.
#[derive(Debug, Default, Clone, Copy)]
struct Place {
    panes: Option<crate::layout::Panes>,
    open: Option<usize>,
    reader: usize,
    list: usize,
}

/// What the runtime holds besides the session: the screen, and the threads that work for it.
struct Runtime<'a, H: Host, S: Saver> {
    session: &'a mut Session,
    host: &'a mut H,
    saver: &'a mut S,
    screen: Screen,
    theme: Theme,
    worker: Worker,
    library: Option<Library>,
    /// Fetches the feeds among the inputs, into the cache the library watches.
    refresher: Option<Refresher>,
    /// When the last search was asked for, and how long the last whole answer took.
    asked: Option<Instant>,
    answered_in: Option<Duration>,
}

/// Runs the reader until the user quits, a signal ends it or the terminal goes away. Raw mode
/// is the host's business; the alternate screen, mouse and cursor are the runtime's. State is
/// saved before it returns.
pub fn run<W: Write + Send + 'static>(
    session: &mut Session,
    host: &mut impl Host,
    saver: &mut impl Saver,
    watch: Option<Watch>,
    out: W,
) -> io::Result<Finished> {
    let plan = watch.as_ref().and_then(|w| w.fetch_plan().cloned());
    let refresher = plan.map(|plan| {
        let fetched = host.poster();
        Refresher::spawn(plan, move |step| fetched.post(Incoming::Fetch(step)))
    });
    let library = watch.map(|watch| {
        let loaded = host.poster();
        Library::spawn(watch, session.shared_store(), move |corpus| {
            loaded.post(Incoming::Loaded(Box::new(corpus)))
        })
    });
    run_with(session, host, saver, (library, refresher), out)
}

/// [`run`] with the articles kept up to date by `library` (a reader's own, or its
/// subscription to one shared by many), or by nothing.
pub fn run_from<W: Write + Send + 'static>(
    session: &mut Session,
    host: &mut impl Host,
    saver: &mut impl Saver,
    library: Option<Library>,
    out: W,
) -> io::Result<Finished> {
    run_with(session, host, saver, (library, None), out)
}

/// [`run_from`], with the feeds fetched by a refresher too.
fn run_with<W: Write + Send + 'static>(
    session: &mut Session,
    host: &mut impl Host,
    saver: &mut impl Saver,
    (library, refresher): (Option<Library>, Option<Refresher>),
    out: W,
) -> io::Result<Finished> {
    let (width, height) = drawable(host.size()?);
    let poster = host.poster();
    let mut screen = Screen::new(width, height, Writer::spawn(out, poster.clone()))?;
    screen.set_hyperlinks(match session.options().settings.hyperlinks {
        Hyperlinks::Always => true,
        Hyperlinks::Never => false,
        Hyperlinks::Auto => host.can(Capability::Hyperlinks),
    });
    let answers = poster.clone();
    let worker = Worker::spawn(session.shared_store(), move |answer| {
        answers.post(Incoming::Searched(answer))
    });
    let theme = Theme::new(&session.options().settings.theme, session.options().color);
    session.search_in_background();
    let mut runtime = Runtime {
        session,
        host,
        saver,
        screen,
        theme,
        worker,
        library,
        refresher,
        asked: None,
        answered_in: None,
    };
    runtime.screen.take_over()?;
    let ending = runtime
        .update(Msg::Resize { width, height })
        .and_then(|ended| match ended {
            Some(ending) => Ok(ending),
            None => runtime.run(),
        })
        .or_else(Ending::of_failure);
    let unsaved = runtime.saver.finish().err();
    if matches!(ending, Ok(Ending::Hangup)) {
        // Nothing more is queued for a terminal that went away: that could block for ever. A
        // frame on its way gets a moment, so it cannot land after a restore by the host.
        runtime.screen.writer.drain(FRAME);
    } else {
        runtime.screen.give_back()?;
    }
    let ending = ending.map_err(|e| match &unsaved {
        Some(message) => io::Error::new(e.kind(), format!("{e}; {message}")),
        None => e,
    })?;
    Ok(Finished { ending, unsaved })
}

impl<H: Host, S: Saver> Runtime<'_, H, S> {
    fn run(&mut self) -> io::Result<Ending> {
        let mut needs_draw = true;
        let mut last_draw: Option<Instant> = None;
        let mut preview_at = self.preview_due();
        let mut place = Place::default();
        loop {
            if self.screen.writer.failed() {
                return Ok(Ending::Hangup);
            }
            if preview_at.is_some_and(|at| Instant::now() >= at) {
                preview_at = None;
                if let Some(ending) = self.update(Msg::Rested)? {
                    return Ok(ending);
                }
                needs_draw = true;
            }
            let busy = self.screen.writer.busy();
            let frame_due = last_draw.is_none_or(|at| at.elapsed() >= FRAME);
            let held = self.search_hold();
            if needs_draw && frame_due && !busy && held.is_none() {
                let scrolls = self.scrolled(&mut place);
                let (session, theme) = (&*self.session, &self.theme);
                self.screen
                    .draw(|frame| ui::draw_linked(session, theme, frame), &scrolls)?;
                needs_draw = false;
                last_draw = Some(Instant::now());
            }
            // Sleep until something arrives, or until a frame or the preview is due. (A frame
            // held back by one in flight waits for the writer's word.)
            let mut wake: Option<Duration> = None;
            let mut wake_by = |d: Duration| wake = Some(wake.map_or(d, |w| w.min(d)));
            if needs_draw && !self.screen.writer.busy() {
                wake_by(last_draw.map_or(Duration::ZERO, |at| FRAME.saturating_sub(at.elapsed())));
                if let Some(left) = self.search_hold() {
                    wake_by(left);
                }
            }
            if let Some(at) = preview_at {
                wake_by(at.saturating_duration_since(Instant::now()));
            }
            let mut next = self.host.next(wake);
            let mut handled = 0;
            let mut typed = false;
            while let Some(incoming) = next {
                typed |= matches!(incoming, Incoming::Event(_));
                needs_draw |= !matches!(incoming, Incoming::Written);
                if let Some(ending) = self.take(incoming)? {
                    return Ok(ending);
                }
                handled += 1;
                next = (handled < MAX_EVENTS_PER_FRAME)
                    .then(|| self.host.next(Some(Duration::ZERO)))
                    .flatten();
            }
            if typed {
                // Every key starts the rest again: a preview waits for the selection to stop.
                preview_at = self.preview_due();
            }
        }
    }

    /// The panes that moved by whole lines since the frame before, for the terminal to scroll
    /// where it can; `place` is where they were, and becomes where they are.
    fn scrolled(&self, place: &mut Place) -> Vec<Scroll> {
        let session = &*self.session;
        let now = Place {
            panes: Some(session.panes()),
            open: session.open_article(),
            reader: session.reader_scroll(),
            list: session.list_offset(),
        };
        let before = std::mem::replace(place, now);
        let Some(panes) = now.panes.filter(|&p| Some(p) == before.panes) else {
            return Vec::new();
        };
        let delta = |now: usize, before: usize| now as i64 - before as i64;
        let moved = [
            (
                panes.reader.filter(|_| now.open == before.open),
                delta(now.reader, before.reader),
            ),
            (panes.list, delta(now.list, before.list)),
        ];
        (moved.into_iter())
            .filter_map(|(rect, lines)| {
                let rect = rect?;
                let lines = i32::try_from(lines).ok().filter(|&l| l != 0)?;
                Some(Scroll {
                    rows: (rect.y, rect.bottom()),
                    columns: (rect.x, rect.right()),
                    lines,
                })
            })
            .collect()
    }

    /// How much longer the next frame waits for a search's answer, if it does: not at all
    /// when the last answer took longer than the wait (an archive's search), for the next
    /// is likely to as well, and the letter typed should not wait in vain.
    fn search_hold(&self) -> Option<Duration> {
        if self.answered_in.is_some_and(|took| took > SEARCH_HOLD) {
            return None;
        }
        let searching = self.session.is_searching() && !self.session.shows_first_matches();
        let asked = self.asked.filter(|_| searching)?;
        Some(SEARCH_HOLD.saturating_sub(asked.elapsed())).filter(|left| !left.is_zero())
    }

    fn preview_due(&self) -> Option<Instant> {
        self.session
            .wants_preview()
            .then(|| Instant::now() + PREVIEW_REST)
    }

    /// Takes in one thing from the queue; returns how the reader ends if it does.
    fn take(&mut self, incoming: Incoming) -> io::Result<Option<Ending>> {
        let msg = match incoming {
            Incoming::Hangup | Incoming::Signal(Signal::HangUp) => return Ok(Some(Ending::Hangup)),
            Incoming::Signal(Signal::Terminate(signal)) => return Ok(Some(Ending::Signal(signal))),
            Incoming::Signal(Signal::Suspend) => self.suspend()?,
            Incoming::Signal(Signal::Continue) => {
                // Whatever stopped byline, the shell has had the terminal: its mode and screen.
                self.host.resume()?;
                self.take_back()?
            }
            Incoming::Signal(Signal::Resize) => {
                let size = self.host.size()?;
                self.resize(size)?
            }
            Incoming::Event(Event::Resize(width, height)) => self.resize((width, height))?,
            Incoming::Event(event) => {
                let keymap = &self.session.options().settings.keymap;
                match keymap.action_for(self.session.context(), &event) {
                    Some(action) => Msg::Action(action),
                    None => return Ok(None),
                }
            }
            Incoming::Searched(answer) => {
                if answer.complete {
                    self.answered_in = self.asked.map(|asked| asked.elapsed());
                }
                Msg::Searched(answer)
            }
            Incoming::Loaded(corpus) => Msg::Reloaded(corpus),
            Incoming::Shared(store) => Msg::Shared(store),
            Incoming::Fetch(step) => Msg::Fetch(step),
            Incoming::Written => return Ok(None),
            Incoming::Reply(reply) => {
                self.screen.heard(reply);
                return Ok(None);
            }
        };
        self.update(msg)
    }

    /// Hands a message to the session and carries out what it asks, and what that asks in
    /// turn; returns how the reader ends if it does.
    fn update(&mut self, msg: Msg) -> io::Result<Option<Ending>> {
        let reloaded = matches!(msg, Msg::Reloaded(_));
        let mut work: VecDeque<Command> = self.session.update(msg).into();
        if reloaded {
            // The worker indexes the new articles and lets the old ones go, as the library does.
            self.worker.adopt(self.session.shared_store());
            if let Some(library) = &self.library {
                library.adopt(self.session.shared_store());
            }
        }
        while let Some(command) = work.pop_front() {
            let report = match command {
                Command::Search(request) => {
                    self.worker.send(request);
                    self.asked = Some(Instant::now());
                    None
                }
                Command::Outside(effect) if !self.host.can(effect.needs()) => {
                    Some(Msg::Notify(effect.needs().refusal().into()))
                }
                Command::Outside(effect) => {
                    let clipboard = self.session.options().settings.clipboard;
                    Some(outside::perform(
                        effect,
                        clipboard,
                        self.host,
                        &mut self.screen,
                    )?)
                }
                Command::Reload => match &self.library {
                    Some(library) => {
                        library.reload();
                        if let Some(refresher) = &self.refresher {
                            refresher.refresh();
                        }
                        None
                    }
                    None => Some(Msg::Notify(
                        "Nothing to reload: the articles came from the sample or standard input"
                            .into(),
                    )),
                },
                Command::Persist(changes) => self.saver.persist(changes).err().map(Msg::Notify),
                Command::Retire(old) => {
                    crate::parallel::in_background(move || drop(old));
                    None
                }
                Command::Suspend if !self.host.can(Capability::Suspend) => {
                    Some(Msg::Notify(Capability::Suspend.refusal().into()))
                }
                Command::Suspend => Some(self.suspend()?),
                Command::Quit => return Ok(Some(Ending::Quit)),
            };
            if let Some(report) = report {
                work.extend(self.session.update(report));
            }
        }
        Ok(None)
    }

    /// Draws at a new size from the next frame on.
    fn resize(&mut self, size: (u16, u16)) -> io::Result<Msg> {
        let (width, height) = drawable(size);
        self.screen.resize(width, height)?;
        Ok(Msg::Resize { width, height })
    }

    /// Gives the terminal back, stops until continued, then takes it over and redraws it all.
    fn suspend(&mut self) -> io::Result<Msg> {
        self.screen.give_back()?;
        self.host.suspend()?;
        self.take_back()
    }

    /// Takes the terminal over again after something else had it and makes the next frame a
    /// full one, at the terminal's size now.
    fn take_back(&mut self) -> io::Result<Msg> {
        self.screen.take_over()?;
        let size = self.host.size()?;
        self.resize(size)
    }
}

/// Lends the terminal to another program: the screen given back, `run` run, the screen taken
/// again (the message that follows redraws it all).
pub(super) fn lend(
    host: &mut impl Host,
    screen: &mut Screen,
    run: &mut dyn FnMut() -> String,
) -> io::Result<String> {
    screen.give_back()?;
    let outcome = host.hand_over(run);
    screen.take_over()?;
    let (width, height) = drawable(host.size()?);
    screen.resize(width, height)?;
    Ok(outcome.unwrap_or_else(|e| format!("Cannot do that here: {e}")))
}
