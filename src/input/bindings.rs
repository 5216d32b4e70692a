//! The key table: every binding with its default keys, where it works and what it does there.

use std::sync::LazyLock;

use ratatui::crossterm::event::KeyCode;

use super::keys::{ctrl, key, special};
use super::{Action, Context, Key};
use overlays::OVERLAYS;

mod overlays;

/// Keys bound to one action, with what it does in each pane (`None`: not bound there).
#[derive(Debug, Clone)]
pub struct Binding {
    /// The name the configuration file uses for this binding.
    pub name: &'static str,
    /// The keys bound when the configuration says nothing.
    pub keys: &'static [Key],
    pub action: Action,
    /// Where it works, with what it does there.
    pub place: Place,
    /// The next binding is this one's opposite, and the help shows both in one row.
    pub pairs_with_next: bool,
}

const fn bind(
    name: &'static str,
    keys: &'static [Key],
    action: Action,
    list: Option<&'static str>,
    reader: Option<&'static str>,
) -> Binding {
    Binding {
        name,
        keys,
        action,
        place: Place::Panes { list, reader },
        pairs_with_next: false,
    }
}

const fn both(
    name: &'static str,
    keys: &'static [Key],
    action: Action,
    list: &'static str,
    reader: &'static str,
) -> Binding {
    bind(name, keys, action, Some(list), Some(reader))
}

impl Binding {
    const fn paired(mut self) -> Binding {
        self.pairs_with_next = true;
        self
    }

    /// Whether the binding works in `context`.
    pub fn applies(&self, context: Context) -> bool {
        match (self.place, context) {
            (Place::Panes { list, .. }, Context::List) => list.is_some(),
            (Place::Panes { reader, .. }, Context::Reader) => reader.is_some(),
            (Place::Prompt(_), Context::Search | Context::Line | Context::Picker) => true,
            (Place::Help(_), Context::Help) | (Place::Confirm(_), Context::Confirm) => true,
            _ => false,
        }
    }

    /// What it does in the list, for the help (`None` where it does not work there).
    pub fn in_list(&self) -> Option<&'static str> {
        match self.place {
            Place::Panes { list, .. } => list,
            _ => None,
        }
    }

    /// What it does in the reader, for the help.
    pub fn in_reader(&self) -> Option<&'static str> {
        match self.place {
            Place::Panes { reader, .. } => reader,
            _ => None,
        }
    }
}

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In the panes: what it does in the list and in the reader (`None`: not bound there).
    Panes {
        list: Option<&'static str>,
        reader: Option<&'static str>,
    },
    /// At every prompt: the search, a command or file name, the picker's filter.
    Prompt(&'static str),
    /// In the key help (any key bound to nothing there closes it).
    Help(&'static str),
    /// At a question (any key bound to nothing there answers no).
    Confirm(&'static str),
}

/// Every binding with its default keys, for every context: the panes', then the overlays'.
/// Order is the order of the help.
pub static BINDINGS: LazyLock<Vec<Binding>> = LazyLock::new(|| [PANES, OVERLAYS].concat());

/// The keys of the list and the reading pane.
const PANES: &[Binding] = &[
    both(
        "next",
        &[key('j'), special(KeyCode::Down)],
        Action::Down,
        "next article",
        "scroll down a line",
    )
    .paired(),
    both(
        "previous",
        &[key('k'), special(KeyCode::Up)],
        Action::Up,
        "previous article",
        "scroll up a line",
    ),
    both(
        "half_page_down",
        &[ctrl('d')],
        Action::HalfPageDown,
        "half a page down",
        "half a page down",
    )
    .paired(),
    both(
        "half_page_up",
        &[ctrl('u')],
        Action::HalfPageUp,
        "half a page up",
        "half a page up",
    ),
    both(
        "page_down",
        &[special(KeyCode::PageDown)],
        Action::PageDown,
        "a page down",
        "a page down",
    )
    .paired(),
    both(
        "page_up",
        &[special(KeyCode::PageUp)],
        Action::PageUp,
        "a page up",
        "a page up",
    ),
    bind(
        "reader_page_up",
        &[key('b')],
        Action::PageUp,
        None,
        Some("a page up"),
    ),
    both(
        "top",
        &[key('g'), special(KeyCode::Home)],
        Action::Top,
        "first article",
        "top of the article",
    )
    .paired(),
    both(
        "bottom",
        &[key('G'), special(KeyCode::End)],
        Action::Bottom,
        "last article",
        "end of the article",
    ),
    bind(
        "open",
        &[special(KeyCode::Enter), key('l'), special(KeyCode::Right)],
        Action::Open,
        Some("read the article"),
        None,
    ),
    both(
        "advance",
        &[key(' ')],
        Action::Advance,
        "open, stay in the list",
        "page down, then next article",
    ),
    both(
        "back",
        &[special(KeyCode::Esc), key('h'), special(KeyCode::Left)],
        Action::Back,
        "clear the filter",
        "back to the list",
    ),
    both(
        "switch_pane",
        &[special(KeyCode::Tab)],
        Action::ToggleFocus,
        "switch pane",
        "switch pane",
    ),
    bind(
        "zoom",
        &[key('z')],
        Action::ToggleZoom,
        None,
        Some("whole screen (toggle)"),
    ),
    bind(
        "next_article",
        &[key('J')],
        Action::NextArticle,
        None,
        Some("next article"),
    )
    .paired(),
    bind(
        "previous_article",
        &[key('K')],
        Action::PreviousArticle,
        None,
        Some("previous article"),
    ),
    both(
        "search",
        &[key('/')],
        Action::StartSearch,
        "search",
        "search",
    ),
    both(
        "next_match",
        &[key('n')],
        Action::NextMatch,
        "next match",
        "next match",
    )
    .paired(),
    both(
        "previous_match",
        &[key('N')],
        Action::PreviousMatch,
        "previous match",
        "previous match",
    ),
    both(
        "toggle_read",
        &[key('r')],
        Action::ToggleRead,
        "toggle read",
        "toggle read",
    ),
    both(
        "mark_all_read",
        &[key('R')],
        Action::MarkAllRead,
        "mark all listed read",
        "mark all listed read",
    ),
    both(
        "toggle_star",
        &[key('s')],
        Action::ToggleStar,
        "star (toggle)",
        "star (toggle)",
    )
    .paired(),
    both(
        "starred_only",
        &[key('S')],
        Action::ToggleStarredOnly,
        "only starred (toggle)",
        "only starred (toggle)",
    ),
    both(
        "unread_only",
        &[key('u')],
        Action::ToggleUnreadOnly,
        "only unread (toggle)",
        "only unread (toggle)",
    ),
    both(
        "copy_headline",
        &[key('y')],
        Action::CopyHeadline,
        "copy the headline",
        "copy the headline",
    ),
    both(
        "copy_article",
        &[key('Y')],
        Action::CopyArticle,
        "copy the article",
        "copy the article",
    ),
    both(
        "pager",
        &[key('v')],
        Action::OpenInPager,
        "view in $PAGER",
        "view in $PAGER",
    ),
    both(
        "editor",
        &[key('e')],
        Action::OpenInEditor,
        "open in $EDITOR",
        "open in $EDITOR",
    ),
    both(
        "pipe",
        &[key('|')],
        Action::StartPipe,
        "pipe to a command",
        "pipe to a command",
    ),
    both(
        "save",
        &[key('w')],
        Action::StartSave,
        "save as Markdown",
        "save as Markdown",
    ),
    both(
        "order",
        &[key('o')],
        Action::CycleOrder,
        "order: file, views, A–Z, date",
        "next order",
    ),
    both(
        "tags",
        &[key('t')],
        Action::OpenTagPicker,
        "pick a tag or source",
        "pick a tag or source",
    ),
    both(
        "reload",
        &[ctrl('r')],
        Action::Reload,
        "reload files, fetch feeds",
        "reload files, fetch feeds",
    ),
    both(
        "help",
        &[key('?')],
        Action::ShowHelp,
        "this help",
        "this help",
    ),
    both(
        "quit",
        &[key('q')],
        Action::Quit,
        "quit",
        "back to the list",
    )
    .paired(),
    both(
        "force_quit",
        &[ctrl('c')],
        Action::ForceQuit,
        "quit",
        "quit",
    ),
    both(
        "suspend",
        &[ctrl('z')],
        Action::Suspend,
        "suspend to the shell",
        "suspend to the shell",
    ),
];
