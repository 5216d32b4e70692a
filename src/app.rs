//! The reader's state and every way it can change. No I/O: the terminal module feeds actions
//! in and the UI draws `&App`.

mod action;
mod browse;
mod flags;
mod marks;
mod outside;
pub mod prompt;
mod reading;
mod reloading;
mod searching;

use std::sync::Arc;

use ratatui::layout::Rect;

use crate::config::Settings;
use crate::document::Document;
use crate::layout::{self, Panes};
use crate::search::Query;
use crate::state::{Changes, State};
use crate::store::{Corpus, Store};
use crate::text::clean_line;
use crate::ui::theme::Theme;
pub use action::Action;
pub use browse::{Label, Order};
pub use outside::{Effect, Purpose, Question};
pub use prompt::Prompt;
pub use reloading::Retired;

/// More lines than the key help will ever have, to bound its scrolling.
const HELP_LINES_MAX: usize = 200;

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// What is on top of the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search,
    Help,
    /// Waiting for `y` (or anything else for no) to a question in the status line.
    Confirm,
    /// Typing a shell command or a file name at the bottom.
    Input,
    /// Choosing a tag or source to list.
    Picker,
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

pub struct App {
    /// Shared with the search worker; never changed.
    store: Arc<Store>,
    /// What depends on the articles alone, worked out once per set of articles.
    derived: browse::Derived,
    /// What the last reload replaced, until the caller takes it to free elsewhere.
    retired: Option<reloading::Retired>,
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
    theme: Theme,
    /// How far the key help is scrolled, in lines (the UI stops it at the end).
    help_scroll: usize,
    focus: Focus,
    mode: Mode,
    search: searching::SearchState,
    outside: outside::Outside,
    browse: browse::Browse,
    reading: reading::ReadingState,
    /// A one-off message for the status line, cleared by the next action.
    message: Option<String>,
    quit: bool,
}

impl App {
    /// An app over `corpus`, with read and starred marks and the last position from `state`.
    pub fn new(corpus: Corpus, options: Options, state: State) -> App {
        let count = corpus.store.len();
        let message = corpus
            .warnings()
            .map(|w| clean_line(&w.message))
            .reduce(|a, b| format!("{a}; {b}"));
        let summaries = corpus.store.summaries();
        let mark = |id: &str| state.articles.get(id).copied().unwrap_or_default();
        let read = summaries.iter().map(|a| mark(a.id).read).collect();
        let starred = summaries.iter().map(|a| mark(a.id).starred).collect();
        let theme = Theme::new(&options.settings.theme, options.color);
        let mut app = App {
            store: Arc::new(corpus.store),
            derived: browse::Derived::default(),
            retired: None,
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
            theme,
            help_scroll: 0,
            options,
            focus: Focus::List,
            mode: Mode::Normal,
            search: searching::SearchState::listing(count),
            outside: outside::Outside::default(),
            browse: browse::Browse::default(),
            reading: reading::ReadingState::default(),
            message,
            quit: false,
        };
        app.restore_position();
        app
    }

    /// Applies one action. This is the only way the state changes.
    pub fn apply(&mut self, action: Action) {
        // A message stays until the user does something; the terminal and the search worker
        // are not the user.
        let from_user = !matches!(
            action,
            Action::Resize { .. }
                | Action::Notify(_)
                | Action::SearchInBackground
                | Action::SearchAnswered(_)
                | Action::Preview
        );
        if from_user {
            self.message = None;
        }
        let before = self.position();
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
            Action::NextArticle => self.open_neighbour(1),
            Action::PreviousArticle => self.open_neighbour(-1),
            Action::StartSearch => self.start_search(),
            Action::NextMatch => self.jump_to_match(true),
            Action::PreviousMatch => self.jump_to_match(false),
            Action::ShowHelp => {
                self.mode = Mode::Help;
                self.help_scroll = 0;
            }
            Action::CloseHelp => self.mode = Mode::Normal,
            Action::ScrollHelp(lines) => {
                self.help_scroll = self
                    .help_scroll
                    .saturating_add_signed(lines.into())
                    .min(HELP_LINES_MAX);
            }
            Action::Quit => match self.focus {
                Focus::List => self.quit = true,
                Focus::Reader => self.focus = Focus::List,
            },
            Action::ForceQuit => self.quit = true,
            Action::Suspend => {}
            Action::ToggleRead => self.toggle_read(),
            Action::MarkAllRead => self.ask_mark_all_read(),
            Action::Confirm(yes) => self.answer(yes),
            Action::ToggleStar => self.toggle_star(),
            Action::ToggleUnreadOnly => {
                self.unread_only = !self.unread_only;
                self.refilter();
            }
            Action::ToggleStarredOnly => {
                self.starred_only = !self.starred_only;
                self.refilter();
            }
            Action::Notify(message) => self.message = Some(clean_line(&message)),
            Action::SearchInBackground => self.search.background = true,
            Action::SearchAnswered(answer) => self.take_answer(answer),
            Action::Prompt(edit) if self.mode == Mode::Picker => self.edit_picker(edit),
            Action::Prompt(edit) if self.mode == Mode::Input => {
                self.outside.line.edit(edit);
            }
            Action::Prompt(edit) => self.edit_prompt(edit),
            Action::AcceptPrompt if self.mode == Mode::Input => self.accept_line(),
            Action::AcceptPrompt if self.mode == Mode::Picker => self.choose_in_picker(),
            Action::AcceptPrompt => self.accept_search(),
            Action::Filter(text) => self.filter_by(&text),
            Action::CancelPrompt if self.mode == Mode::Input => self.cancel_line(),
            Action::CancelPrompt if self.mode == Mode::Picker => self.mode = Mode::Normal,
            Action::CycleOrder => self.cycle_order(),
            Action::Reload => self.request_reload(),
            Action::Reloaded(corpus) => self.reloaded(*corpus),
            Action::OpenTagPicker => self.open_picker(),
            Action::CancelPrompt => self.cancel_search(),
            Action::CopyHeadline => self.copy(false),
            Action::CopyArticle => self.copy(true),
            Action::OpenInPager => self.open_outside(false),
            Action::OpenInEditor => self.open_outside(true),
            Action::StartPipe => self.start_line(Purpose::Pipe),
            Action::StartSave => self.start_line(Purpose::Save),
            Action::AskOverwrite(path) => {
                // The path may be where a link led: from outside, so cleaned.
                let message =
                    clean_line(&format!("{} exists. Overwrite it? (y/n)", path.display()));
                self.ask(Question::Overwrite(path), message);
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Scroll { column, row, lines } => self.scroll_at(column, row, lines),
            Action::Resize { width, height } => self.size = Rect::new(0, 0, width, height),
            Action::Preview if self.wants_preview() => self.preview_selected(),
            Action::Preview => {}
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
    }

    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Focus::List => self.select(self.selected.saturating_add_signed(delta)),
            Focus::Reader => self.scroll_by(delta),
        }
    }

    /// Selects a row of the list, clamped to the list.
    fn select(&mut self, row: usize) {
        self.selected = row.min(self.view.len().saturating_sub(1));
    }

    fn toggle_focus(&mut self) {
        self.focus = match self.focus {
            Focus::Reader => Focus::List,
            // Going into a previewed article is reading it.
            Focus::List if self.reading.preview => {
                self.open_selected(true);
                return;
            }
            Focus::List if self.reading.open.is_some() => Focus::Reader,
            Focus::List => {
                self.open_selected(true);
                return;
            }
        };
    }

    /// Esc: from the reader back to the list; in the list, the tag or source chosen in the
    /// picker is dropped first, then the search filter.
    fn back(&mut self) {
        if self.focus == Focus::Reader {
            self.focus = Focus::List;
        } else if !self.clear_label() && !self.search.filter.is_empty() {
            self.clear_filter();
        }
    }

    /// Rows of the focused pane that a page holds (at least one).
    fn page_size(&self) -> isize {
        match self.focus {
            Focus::List => self.panes().list.map_or(1, |r| r.height.max(1) as isize),
            Focus::Reader => self.reader_height() as isize,
        }
    }

    fn keep_selection_visible(&mut self) {
        let height = self.panes().list.map_or(1, |r| r.height.max(1) as usize);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + height {
            self.list_offset = self.selected + 1 - height;
        }
        let last_page = self.view.len().saturating_sub(height);
        self.list_offset = self.list_offset.min(last_page);
    }

    fn click(&mut self, column: u16, row: u16) {
        let panes = self.panes();
        let position = ratatui::layout::Position::new(column, row);
        if let Some(list) = panes.list.filter(|r| r.contains(position)) {
            self.focus = Focus::List;
            let index = self.list_offset + usize::from(row - list.y);
            if index < self.view.len() {
                self.selected = index;
            }
        } else if panes.reader_frame.is_some_and(|r| r.contains(position))
            && self.reading.open.is_some()
        {
            self.focus = Focus::Reader;
        }
    }

    fn scroll_at(&mut self, column: u16, row: u16, lines: i16) {
        let panes = self.panes();
        let position = ratatui::layout::Position::new(column, row);
        if panes.list.is_some_and(|r| r.contains(position)) {
            self.select(self.selected.saturating_add_signed(lines as isize));
        } else if panes.reader_frame.is_some_and(|r| r.contains(position)) {
            self.scroll_by(lines as isize);
        }
    }

    /// The reading pane's content area as it is when shown (in a single-pane layout it may be
    /// hidden now, but its size is what wrapping and paging go by).
    fn reader_area(&self) -> Option<Rect> {
        layout::panes(self.size, true, &self.options.settings.layout).reader
    }

    fn reader_height(&self) -> usize {
        self.reader_area().map_or(1, |r| r.height.max(1) as usize)
    }

    /// The current screen layout.
    pub fn panes(&self) -> Panes {
        self.panes_in(self.size)
    }

    /// The layout for a screen of `area` in the current state.
    pub fn panes_in(&self, area: Rect) -> Panes {
        layout::panes(
            area,
            self.focus == Focus::Reader,
            &self.options.settings.layout,
        )
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The articles, for a search worker to share.
    pub fn shared_store(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }

    /// Indices into [`App::store`] of the listed articles, in display order.
    pub fn view(&self) -> &[usize] {
        &self.view
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected article's index into [`App::store`].
    pub fn selected_article(&self) -> Option<usize> {
        self.view.get(self.selected).copied()
    }

    pub fn list_offset(&self) -> usize {
        self.list_offset
    }

    pub fn is_read(&self, article: usize) -> bool {
        self.read.get(article)
    }

    pub fn is_starred(&self, article: usize) -> bool {
        self.starred.get(article)
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn help_scroll(&self) -> usize {
        self.help_scroll
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The text of the query in effect: the one being typed, or else the applied filter.
    pub fn query_text(&self) -> &str {
        &self.search.query_text
    }

    /// The highest view count, which sets the width of the list's views column.
    pub fn max_views(&self) -> Option<u64> {
        self.store.max_views()
    }

    /// The applied filter's text (empty when none).
    pub fn filter(&self) -> &str {
        &self.search.filter
    }

    /// The query that highlights matches: the one being typed, or else the applied filter.
    pub fn query(&self) -> &Query {
        &self.search.query
    }

    pub fn prompt(&self) -> &Prompt {
        &self.search.prompt
    }

    /// The open article's index, if any.
    pub fn open_article(&self) -> Option<usize> {
        self.reading.open
    }

    /// The open article's text (what [`App::document`] lays out).
    pub fn open_text(&self) -> Option<&crate::article::Article> {
        self.reading.open.and(self.reading.article.as_deref())
    }

    /// The open article laid out for the reading pane.
    pub fn document(&self) -> &Document {
        &self.reading.document
    }

    pub fn reader_scroll(&self) -> usize {
        self.reading.scroll
    }

    /// The match that `n`/`N` last moved to.
    pub fn current_match(&self) -> Option<&crate::document::Hit> {
        self.reading.current_match.as_ref()
    }

    /// The article that keys act on: the one on screen in the reader, the selected one in the
    /// list.
    pub fn subject(&self) -> Option<usize> {
        match self.focus {
            Focus::Reader => self.reading.open,
            Focus::List => self.selected_article(),
        }
        .or(self.selected_article())
    }

    /// The row of the list that [`App::subject`] is on, if it is listed.
    pub fn subject_row(&self) -> Option<usize> {
        let subject = self.subject()?;
        if self.selected_article() == Some(subject) {
            return Some(self.selected);
        }
        self.view.iter().position(|&i| i == subject)
    }

    /// How far through the open article the bottom of the pane is, in percent.
    pub fn reader_percent(&self) -> Option<u16> {
        self.reading.open?;
        let total = self.reading.document.line_count().max(1);
        let height = self.reader_height();
        let seen = (self.reading.scroll + height).min(total);
        Some((seen * 100 / total) as u16)
    }

    /// The width the reading column wraps to: the pane less a margin on the left and a gap and
    /// the scrollbar on the right, at most the measure.
    pub fn text_width(&self) -> usize {
        let pane = self.reader_area().map_or(0, |r| r.width);
        usize::from(
            pane.saturating_sub(3)
                .min(self.options.settings.layout.measure)
                .max(1),
        )
    }
}
