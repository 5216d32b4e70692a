//! Terminal events to actions. One binding table drives both dispatch and the help overlay.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::app::{Action, Focus, Mode, prompt::Edit};

mod keys;

pub use keys::{Key, config_name, key_name, parse_key};
use keys::{ctrl, key, normalise, special};

/// Lines the mouse wheel scrolls per notch.
const WHEEL_LINES: i16 = 3;

/// Keys bound to one action, with what it does in each pane (`None`: not bound there).
#[derive(Debug, Clone)]
pub struct Binding {
    /// The name the configuration file uses for this binding.
    pub name: &'static str,
    /// The keys bound when the configuration says nothing.
    pub keys: &'static [Key],
    pub action: Action,
    pub list: Option<&'static str>,
    pub reader: Option<&'static str>,
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
        list,
        reader,
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

    /// Whether the binding works in a pane.
    pub fn applies(&self, focus: Focus) -> bool {
        match focus {
            Focus::List => self.list.is_some(),
            Focus::Reader => self.reader.is_some(),
        }
    }
}

/// The key table with its default keys. Order is the order of the help overlay.
pub const BINDINGS: &[Binding] = &[
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
        "next order (file, views, A–Z)",
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
        "reload the files",
        "reload the files",
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

/// Why a keymap cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeymapError {
    UnknownAction(String),
    /// Two configured bindings share a key in a pane.
    Conflict {
        key: Key,
        first: &'static str,
        second: &'static str,
    },
}

impl std::fmt::Display for KeymapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeymapError::UnknownAction(name) => write!(f, "unknown action \"{name}\""),
            KeymapError::Conflict { key, first, second } => {
                write!(
                    f,
                    "key \"{}\" is bound to both {first} and {second}",
                    config_name(key)
                )
            }
        }
    }
}

/// The keys of every binding: the defaults, with the configuration's choices in their place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Keys per binding, in the order of [`BINDINGS`].
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            keys: BINDINGS.iter().map(|b| b.keys.to_vec()).collect(),
        }
    }
}

impl Keymap {
    /// The defaults with some bindings given new keys (by binding name). A key given to a
    /// binding is taken away from any default binding that had it in the same pane; two
    /// configured bindings that share a key in one pane are an error.
    pub fn with(overrides: &[(&str, Vec<Key>)]) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        let mut configured = vec![false; BINDINGS.len()];
        for (name, keys) in overrides {
            let index = BINDINGS
                .iter()
                .position(|b| b.name == *name)
                .ok_or_else(|| KeymapError::UnknownAction(name.to_string()))?;
            keymap.keys[index] = keys.clone();
            configured[index] = true;
        }
        for (index, binding) in BINDINGS.iter().enumerate() {
            for (other_index, other) in BINDINGS.iter().enumerate() {
                let shares_a_pane = [Focus::List, Focus::Reader]
                    .iter()
                    .any(|&f| binding.applies(f) && other.applies(f));
                if other_index == index || !shares_a_pane {
                    continue;
                }
                for key in keymap.keys[index].clone() {
                    if !keymap.keys[other_index].contains(&key) {
                        continue;
                    }
                    if configured[other_index] && configured[index] {
                        let (first, second) =
                            (binding.name.min(other.name), binding.name.max(other.name));
                        return Err(KeymapError::Conflict { key, first, second });
                    }
                    if configured[index] {
                        keymap.keys[other_index].retain(|k| *k != key);
                    }
                }
            }
        }
        Ok(keymap)
    }

    /// The keys of binding `index` of [`BINDINGS`].
    pub fn keys(&self, index: usize) -> &[Key] {
        &self.keys[index]
    }

    /// What an event does in the app's current state, if anything.
    pub fn action_for(&self, mode: Mode, focus: Focus, event: &Event) -> Option<Action> {
        match event {
            Event::Resize(width, height) => Some(Action::Resize {
                width: *width,
                height: *height,
            }),
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                self.key_action(mode, focus, key)
            }
            Event::Mouse(mouse) if mode == Mode::Normal => {
                let (column, row) = (mouse.column, mouse.row);
                match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                    MouseEventKind::ScrollDown => Some(Action::Scroll {
                        column,
                        row,
                        lines: WHEEL_LINES,
                    }),
                    MouseEventKind::ScrollUp => Some(Action::Scroll {
                        column,
                        row,
                        lines: -WHEEL_LINES,
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn key_action(&self, mode: Mode, focus: Focus, event: &KeyEvent) -> Option<Action> {
        let pressed = normalise(event);
        // Ctrl-c always quits, whatever the configuration, so there is always a way out.
        if pressed == ctrl('c') {
            return Some(Action::ForceQuit);
        }
        match mode {
            Mode::Help => Some(match pressed.code {
                KeyCode::Char('j') | KeyCode::Down => Action::ScrollHelp(1),
                KeyCode::Char('k') | KeyCode::Up => Action::ScrollHelp(-1),
                KeyCode::PageDown | KeyCode::Char(' ') => Action::ScrollHelp(10),
                KeyCode::PageUp => Action::ScrollHelp(-10),
                _ => Action::CloseHelp,
            }),
            Mode::Confirm => Some(Action::Confirm(pressed == key('y'))),
            Mode::Search | Mode::Input | Mode::Picker => prompt_action(pressed),
            Mode::Normal => BINDINGS
                .iter()
                .zip(&self.keys)
                .filter(|(binding, _)| binding.applies(focus))
                .find(|(_, keys)| keys.contains(&pressed))
                .map(|(binding, _)| binding.action.clone()),
        }
    }
}

/// The search prompt's keys, for the help overlay.
pub const PROMPT_HELP: &str = "Prompt: Enter keeps, Esc cancels, Ctrl-w Ctrl-u delete, ↑↓ recall.";

fn prompt_action(pressed: Key) -> Option<Action> {
    let edit = match (pressed.code, pressed.modifiers) {
        (KeyCode::Enter, _) => return Some(Action::AcceptPrompt),
        (KeyCode::Esc, _) => return Some(Action::CancelPrompt),
        (KeyCode::Char('w'), KeyModifiers::CONTROL) => Edit::DeleteWord,
        (KeyCode::Char('u'), KeyModifiers::CONTROL) => Edit::DeleteToStart,
        (KeyCode::Char('a'), KeyModifiers::CONTROL) | (KeyCode::Home, _) => Edit::Home,
        (KeyCode::Char('e'), KeyModifiers::CONTROL) | (KeyCode::End, _) => Edit::End,
        (KeyCode::Char('h'), KeyModifiers::CONTROL) | (KeyCode::Backspace, _) => Edit::Backspace,
        (KeyCode::Delete, _) => Edit::Delete,
        (KeyCode::Left, _) => Edit::Left,
        (KeyCode::Right, _) => Edit::Right,
        (KeyCode::Up, _) => Edit::HistoryPrevious,
        (KeyCode::Down, _) => Edit::HistoryNext,
        (KeyCode::Char(c), KeyModifiers::NONE) => Edit::Insert(c),
        _ => return None,
    };
    Some(Action::Prompt(edit))
}

#[cfg(test)]
mod tests;
