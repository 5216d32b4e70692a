//! The reader's state and every way it can change. No I/O: the terminal module feeds actions
//! in and the UI draws `&Session`.

mod browse;
mod flags;
mod listing;
mod marks;
mod navigate;
mod outside;
pub mod prompt;
mod reading;
mod reloading;
mod searching;
mod view;

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::layout::Rect;

use crate::config::Settings;
use crate::input::{Action, Context};
use crate::search::background::{Answer, Request};
use crate::state::{Changes, State};
use crate::store::{Corpus, Store};
use crate::text::clean_line;
pub use browse::{Label, Picker};
pub use outside::{Capability, Effect, Purpose, Question};
pub use prompt::Prompt;
pub use reloading::Retired;
pub use searching::Saved;

/// More lines than the key help will ever have, to bound its scrolling.
const HELP_LINES_MAX: usize = 200;

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// What is on top of the panes, with its own state: one at a time, by construction.
#[derive(Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    /// The search prompt, with the list as it was before it opened (restored by Esc).
    Search(Saved),
    /// The key help, scrolled down this many lines (the UI stops it at the end).
    Help { scroll: usize },
    /// A question in the status line, waiting for `y` (anything else is no).
    Confirm(Question),
    /// A shell command or a file name being typed at the bottom.
    Line(Purpose),
    /// Choosing a tag or source to list.
    Picker(Picker),
}

/// Something that happened, for [`Session::update`] to take in.
#[derive(Debug)]
pub enum Msg {
    /// The user asked for something with a key, a click or the wheel.
    Action(Action),
    /// The terminal has a new size.
    Resize { width: u16, height: u16 },
    /// The selection has rested (a timer ran out): preview it in the reading pane.
    Rested,
    /// A search worker's answer.
    Searched(Answer),
    /// The inputs as loaded again.
    Reloaded(Box<Corpus>),
    /// The articles a library shared by many readers loaded again (already checked: no
    /// errors, not empty).
    Shared(Arc<Store>),
    /// Filter the list by a query, as if it had been typed at the prompt and kept.
    Filter(String),
    /// A message for the status line: how a command went, or why it was refused.
    Notify(String),
    /// Saving found a file at the path: ask before overwriting it.
    Exists(PathBuf),
    /// How fetching the feeds goes (the articles come with the reload that follows).
    Fetch(crate::feed::refresh::Fetch),
}

impl From<Action> for Msg {
    fn from(action: Action) -> Msg {
        Msg::Action(action)
    }
}

/// Work for the runtime, which reports back with a [`Msg`] where there is something to say.
#[derive(Debug)]
pub enum Command {
    /// Search in the background; the answer comes back as [`Msg::Searched`].
    Search(Request),
    /// Work outside the reader: the clipboard, a program, a file.
    Outside(Effect),
    /// Load the inputs again; the articles come back as [`Msg::Reloaded`].
    Reload,
    /// Hand what changed in the reading state to the saver.
    Persist(Changes),
    /// Articles a reload replaced, to be dropped off the UI thread.
    Retire(Retired),
    /// Give the terminal back and stop until continued.
    Suspend,
    Quit,
}

/// Settings that do not change while the reader runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keys, theme, layout and when articles count as read.
    pub settings: Settings,
    /// Use colours (off with `NO_COLOR`); bold and reverse stay either way.
    pub color: bool,
    /// Names the inputs, so the position is remembered per set of files.
    pub input_key: String,
    /// Nothing is saved (`--no-state`, or no place to save): the status line says so.
    pub unsaved: bool,
}

pub struct Session {
    /// Shared with the search worker; never changed.
    store: Arc<Store>,
    /// What depends on the articles alone, worked out once per set of articles.
    derived: browse::Derived,
    options: Options,
    size: Rect,
    /// Indices into `articles` of the listed articles, in display order.
    view: Vec<usize>,
    /// Index into `view` of the selected row.
    selected: usize,
    /// Index into `view` of the first row drawn.
    list_offset: usize,
    /// Read and starred flags per article, mirrored into `state` for saving.
    read: flags::Flags,
    starred: flags::Flags,
    /// Articles that arrived with the last reload.
    fresh: flags::Flags,
    unread_only: bool,
    starred_only: bool,
    state: State,
    /// Marks and positions changed since the saver last took them.
    changes: Changes,
    /// Bumped whenever something worth saving changes.
    revision: u64,
    focus: Focus,
    overlay: Overlay,
    search: searching::SearchState,
    /// The line typed for a command or a path, with its history.
    line: Prompt,
    browse: browse::Browse,
    reading: reading::ReadingState,
    /// A one-off message for the status line, cleared by the next action.
    message: Option<String>,
    /// Whether the reader takes the whole screen while reading (`z`).
    zoomed: bool,
    /// Whether searches go to a worker as [`Command::Search`], or are done in `update`.
    background_search: bool,
    /// Commands made by the message being taken in.
    commands: Vec<Command>,
    quit: bool,
}

impl Session {
    /// An app over `corpus`, with read and starred marks and the last position from `state`.
    pub fn new(corpus: Corpus, options: Options, state: State) -> Session {
        let message = corpus
            .warnings()
            .map(|w| clean_line(&w.message))
            .reduce(|a, b| format!("{a}; {b}"));
        let mut session = Session::with_store(Arc::new(corpus.store), options, state);
        session.message = message;
        session
    }

    /// A reader of articles shared with others (`byline serve`: one store for every reader).
    pub fn with_store(store: Arc<Store>, options: Options, state: State) -> Session {
        let count = store.len();
        let message = None;
        let summaries = store.summaries();
        let mark = |id: &str| state.articles.get(id).copied().unwrap_or_default();
        // Without marks in the state (a first start), no article needs looking up.
        let (read, starred) = if state.articles.is_empty() {
            (flags::Flags::unset(count), flags::Flags::unset(count))
        } else {
            let read = summaries.iter().map(|a| mark(a.id).read).collect();
            let starred = summaries.iter().map(|a| mark(a.id).starred).collect();
            (read, starred)
        };
        let mut app = Session {
            store: Arc::clone(&store),
            derived: browse::Derived::default(),
            size: Rect::new(0, 0, 80, 24),
            view: (0..count).collect(),
            selected: 0,
            list_offset: 0,
            read,
            starred,
            fresh: flags::Flags::default(),
            unread_only: false,
            starred_only: false,
            state,
            changes: Changes::default(),
            revision: 0,
            options,
            focus: Focus::List,
            overlay: Overlay::None,
            search: searching::SearchState::listing(count),
            line: Prompt::default(),
            browse: browse::Browse::default(),
            reading: reading::ReadingState::default(),
            message,
            zoomed: false,
            background_search: false,
            commands: Vec::new(),
            quit: false,
        };
        // Feeds are read newest first; a corpus of dumps keeps its file's order.
        if app.store.has_dates() {
            app.browse.order = crate::article::Order::Newest;
            app.refilter();
            // A first look starts at the top, at the newest, not wherever the first in the file went.
            app.selected = 0;
            app.list_offset = 0;
        }
        app.restore_position();
        app
    }

    /// From now on searches that scan articles are handed out as [`Command::Search`], and
    /// their answers come back as [`Msg::Searched`].
    pub fn search_in_background(&mut self) {
        self.background_search = true;
    }

    /// Takes in one message and says what the runtime should do about it. This is the only
    /// way the state changes; it does no I/O and reads no clock.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Command> {
        let msg = msg.into();
        // A message stays until the user does something; the terminal, the workers and the
        // runtime are not the user.
        if matches!(msg, Msg::Action(_) | Msg::Filter(_)) {
            self.message = None;
        }
        let before = self.position();
        match msg {
            Msg::Action(action) => self.act(action),
            Msg::Resize { width, height } => self.size = Rect::new(0, 0, width, height),
            Msg::Rested if self.wants_preview() => self.preview_selected(),
            Msg::Rested => {}
            Msg::Searched(answer) => self.take_answer(answer),
            Msg::Reloaded(corpus) => self.reloaded(*corpus),
            Msg::Shared(store) => self.replace_store(store),
            Msg::Filter(text) => self.filter_by(&text),
            Msg::Notify(message) => self.message = Some(clean_line(&message)),
            Msg::Fetch(step) => self.message = Some(reloading::fetch_message(&step)),
            Msg::Exists(path) => {
                // The path may be where a link led: from outside, so cleaned.
                let yes = self.keymap_hint("yes");
                let message = clean_line(&format!(
                    "{} exists. Overwrite it? ({yes}/n)",
                    path.display()
                ));
                self.ask(Question::Overwrite(path), message);
            }
        }
        self.refresh_document();
        self.keep_selection_visible();
        self.mark_read_at_end();
        let opened = self.reading.open.filter(|_| !self.reading.preview);
        if let Some(open) = opened {
            self.fresh.put(open, false);
        }
        if self.position() != before {
            self.save_position();
        }
        if !self.changes.is_empty() {
            let changes = std::mem::take(&mut self.changes);
            self.commands.push(Command::Persist(changes));
        }
        std::mem::take(&mut self.commands)
    }

    /// Acts on what the user asked for, as the overlay on top (if any) understands it.
    fn act(&mut self, action: Action) {
        match (&self.overlay, action) {
            (Overlay::Picker(_), Action::Prompt(edit)) => self.edit_picker(edit),
            (Overlay::Picker(_), Action::AcceptPrompt) => self.choose_in_picker(),
            (Overlay::Picker(_), Action::CancelPrompt) => self.overlay = Overlay::None,
            (Overlay::Line(_), Action::Prompt(edit)) => {
                self.line.edit(edit);
            }
            (Overlay::Line(_), Action::AcceptPrompt) => self.accept_line(),
            (Overlay::Line(_), Action::CancelPrompt) => self.overlay = Overlay::None,
            (Overlay::Help { scroll }, Action::ScrollHelp(lines)) => {
                let scroll = scroll
                    .saturating_add_signed(lines.into())
                    .min(HELP_LINES_MAX);
                self.overlay = Overlay::Help { scroll };
            }
            (Overlay::Help { .. }, Action::CloseHelp) => self.overlay = Overlay::None,
            (Overlay::Confirm(_), Action::Confirm(yes)) => self.answer(yes),
            (_, Action::Prompt(edit)) => self.edit_prompt(edit),
            (_, Action::AcceptPrompt) => self.accept_search(),
            (_, Action::CancelPrompt) => self.cancel_search(),
            (_, action) => self.act_in_panes(action),
        }
    }

    /// What a key means in the panes (no overlay on top).
    fn act_in_panes(&mut self, action: Action) {
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::HalfPageDown => self.move_by(self.page_size() / 2),
            Action::HalfPageUp => self.move_by(-(self.page_size() / 2)),
            Action::PageDown => self.move_by(self.page_size()),
            Action::PageUp => self.move_by(-self.page_size()),
            Action::Top => self.move_by(-isize::MAX),
            Action::Bottom => self.move_by(isize::MAX),
            Action::Open => self.open_selected(true),
            Action::Advance => self.advance(),
            Action::Back => self.back(),
            Action::ToggleFocus => self.toggle_focus(),
            Action::ToggleZoom => self.toggle_zoom(),
            Action::NextArticle => self.open_neighbour(1),
            Action::PreviousArticle => self.open_neighbour(-1),
            Action::StartSearch => self.start_search(),
            Action::NextMatch => self.jump_to_match(true),
            Action::PreviousMatch => self.jump_to_match(false),
            Action::ShowHelp => self.overlay = Overlay::Help { scroll: 0 },
            Action::Quit => match self.focus {
                Focus::List => self.quit(),
                Focus::Reader => self.focus = Focus::List,
            },
            Action::ForceQuit => self.quit(),
            Action::Suspend => self.commands.push(Command::Suspend),
            Action::ToggleRead => self.toggle_read(),
            Action::MarkAllRead => self.ask_mark_all_read(),
            Action::ToggleStar => self.toggle_star(),
            Action::ToggleUnreadOnly => {
                self.unread_only = !self.unread_only;
                self.refilter();
            }
            Action::ToggleStarredOnly => {
                self.starred_only = !self.starred_only;
                self.refilter();
            }
            Action::CycleOrder => self.cycle_order(),
            Action::Reload => self.commands.push(Command::Reload),
            Action::OpenTagPicker => self.open_picker(),
            Action::CopyHeadline => self.copy(false),
            Action::CopyArticle => self.copy(true),
            Action::OpenInPager => self.open_outside(false),
            Action::OpenInEditor => self.open_outside(true),
            Action::StartPipe => self.start_line(Purpose::Pipe),
            Action::StartSave => self.start_line(Purpose::Save),
            Action::Click { column, row } => self.click(column, row),
            Action::Scroll { column, row, lines } => self.scroll_at(column, row, lines),
            // Keys of an overlay that is not open (a stale key after it closed) do nothing.
            Action::CloseHelp
            | Action::ScrollHelp(_)
            | Action::Confirm(_)
            | Action::Prompt(_)
            | Action::AcceptPrompt
            | Action::CancelPrompt => {}
        }
    }

    fn quit(&mut self) {
        self.quit = true;
        self.commands.push(Command::Quit);
    }

    /// The first key bound to `binding`, for a message that names it.
    fn keymap_hint(&self, binding: &str) -> String {
        let hint = self.options.settings.keymap.hint(binding);
        hint.unwrap_or_else(|| binding.replace('_', " "))
    }
}
