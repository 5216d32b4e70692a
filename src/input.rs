//! Terminal events to actions. One binding table drives both dispatch and the help overlay.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::app::{Action, Focus, Mode, prompt::Edit};

/// Lines the mouse wheel scrolls per notch.
const WHEEL_LINES: i16 = 3;

/// A key with its modifiers (Shift is implied by an uppercase character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

const fn special(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

/// Keys bound to one action, with what it does in each pane (`None`: not bound there).
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub list: Option<&'static str>,
    pub reader: Option<&'static str>,
    /// The next binding is this one's opposite, and the help shows both in one row.
    pub pairs_with_next: bool,
}

const fn bind(
    keys: &'static [Key],
    action: Action,
    list: Option<&'static str>,
    reader: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        list,
        reader,
        pairs_with_next: false,
    }
}

const fn both(
    keys: &'static [Key],
    action: Action,
    list: &'static str,
    reader: &'static str,
) -> Binding {
    bind(keys, action, Some(list), Some(reader))
}

impl Binding {
    const fn paired(mut self) -> Binding {
        self.pairs_with_next = true;
        self
    }
}

/// The key table. Order is the order of the help overlay.
pub const BINDINGS: &[Binding] = &[
    both(
        &[key('j'), special(KeyCode::Down)],
        Action::Down,
        "next article",
        "scroll down a line",
    )
    .paired(),
    both(
        &[key('k'), special(KeyCode::Up)],
        Action::Up,
        "previous article",
        "scroll up a line",
    ),
    both(
        &[ctrl('d')],
        Action::HalfPageDown,
        "half a page down",
        "half a page down",
    )
    .paired(),
    both(
        &[ctrl('u')],
        Action::HalfPageUp,
        "half a page up",
        "half a page up",
    ),
    both(
        &[special(KeyCode::PageDown)],
        Action::PageDown,
        "a page down",
        "a page down",
    )
    .paired(),
    both(
        &[special(KeyCode::PageUp)],
        Action::PageUp,
        "a page up",
        "a page up",
    ),
    bind(&[key('b')], Action::PageUp, None, Some("a page up")),
    both(
        &[key('g'), special(KeyCode::Home)],
        Action::Top,
        "first article",
        "top of the article",
    )
    .paired(),
    both(
        &[key('G'), special(KeyCode::End)],
        Action::Bottom,
        "last article",
        "end of the article",
    ),
    bind(
        &[special(KeyCode::Enter), key('l'), special(KeyCode::Right)],
        Action::Open,
        Some("read the article"),
        None,
    ),
    both(
        &[key(' ')],
        Action::Advance,
        "open, stay in the list",
        "page down, then next article",
    ),
    both(
        &[special(KeyCode::Esc), key('h'), special(KeyCode::Left)],
        Action::Back,
        "clear the filter",
        "back to the list",
    ),
    both(
        &[special(KeyCode::Tab)],
        Action::ToggleFocus,
        "switch pane",
        "switch pane",
    ),
    bind(&[key('J')], Action::NextArticle, None, Some("next article")).paired(),
    bind(
        &[key('K')],
        Action::PreviousArticle,
        None,
        Some("previous article"),
    ),
    both(&[key('/')], Action::StartSearch, "search", "search"),
    both(
        &[key('n')],
        Action::NextMatch,
        "next match",
        "next match, then article",
    )
    .paired(),
    both(
        &[key('N')],
        Action::PreviousMatch,
        "previous match",
        "previous match, then article",
    ),
    both(&[key('?')], Action::ShowHelp, "this help", "this help"),
    both(&[key('q')], Action::Quit, "quit", "back to the list"),
    both(&[ctrl('c')], Action::ForceQuit, "quit", "quit"),
];

/// The search prompt's keys, for the help overlay.
pub const PROMPT_HELP: &str = "Enter keeps the filter, Esc cancels; Backspace, Ctrl-w, Ctrl-u \
    delete a character, word, line; ← → Home End move; ↑ ↓ recall earlier queries.";

/// What an event does in the app's current state, if anything.
pub fn action_for(mode: Mode, focus: Focus, event: &Event) -> Option<Action> {
    match event {
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(mode, focus, key),
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

fn key_action(mode: Mode, focus: Focus, event: &KeyEvent) -> Option<Action> {
    let pressed = normalise(event);
    if pressed == ctrl('c') {
        return Some(Action::ForceQuit);
    }
    match mode {
        Mode::Help => Some(Action::CloseHelp),
        Mode::Search => prompt_action(pressed),
        Mode::Normal => BINDINGS
            .iter()
            .filter(|b| match focus {
                Focus::List => b.list.is_some(),
                Focus::Reader => b.reader.is_some(),
            })
            .find(|b| b.keys.contains(&pressed))
            .map(|b| b.action.clone()),
    }
}

fn prompt_action(pressed: Key) -> Option<Action> {
    let edit = match (pressed.code, pressed.modifiers) {
        (KeyCode::Enter, _) => return Some(Action::AcceptSearch),
        (KeyCode::Esc, _) => return Some(Action::CancelSearch),
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

/// Drops Shift from character keys (the character already says it) and Alt-less noise.
fn normalise(event: &KeyEvent) -> Key {
    let mut modifiers =
        event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    if matches!(event.code, KeyCode::Char(_)) {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    let code = match event.code {
        // Some terminals report Ctrl-letters in uppercase, or Shift-Tab as BackTab.
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        code => code,
    };
    Key { code, modifiers }
}

/// A key as the help overlay and README show it: `j`, `↓`, `Ctrl-d`, `Space`, `PgDn`.
pub fn key_name(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        other => format!("{other:?}"),
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn uppercase_letters_arrive_with_shift_and_still_match() {
        let event = press(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(
            action_for(Mode::Normal, Focus::Reader, &event),
            Some(Action::NextArticle)
        );
    }

    #[test]
    fn reader_only_keys_do_nothing_in_the_list() {
        let b = press(KeyCode::Char('b'), KeyModifiers::NONE);
        assert_eq!(action_for(Mode::Normal, Focus::List, &b), None);
        assert_eq!(
            action_for(Mode::Normal, Focus::Reader, &b),
            Some(Action::PageUp)
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut event = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        event.kind = KeyEventKind::Release;
        assert_eq!(
            action_for(Mode::Normal, Focus::List, &Event::Key(event)),
            None
        );
    }

    #[test]
    fn any_key_closes_help_and_ctrl_c_always_quits() {
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            action_for(Mode::Help, Focus::List, &x),
            Some(Action::CloseHelp)
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Normal, Mode::Search, Mode::Help] {
            assert_eq!(
                action_for(mode, Focus::Reader, &ctrl_c),
                Some(Action::ForceQuit)
            );
        }
    }

    #[test]
    fn the_prompt_takes_characters_and_editing_keys() {
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            action_for(Mode::Search, Focus::List, &j),
            Some(Action::Prompt(Edit::Insert('j')))
        );
        let ctrl_u = press(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(
            action_for(Mode::Search, Focus::List, &ctrl_u),
            Some(Action::Prompt(Edit::DeleteToStart))
        );
        assert_eq!(
            action_for(Mode::Normal, Focus::List, &ctrl_u),
            Some(Action::HalfPageUp)
        );
    }

    #[test]
    fn every_binding_has_a_description_somewhere_and_unique_keys_per_pane() {
        for focus in [Focus::List, Focus::Reader] {
            let mut seen = Vec::new();
            for binding in BINDINGS {
                assert!(binding.list.is_some() || binding.reader.is_some());
                let applies = match focus {
                    Focus::List => binding.list.is_some(),
                    Focus::Reader => binding.reader.is_some(),
                };
                if applies {
                    for key in binding.keys {
                        assert!(!seen.contains(key), "{key:?} bound twice");
                        seen.push(*key);
                    }
                }
            }
        }
    }

    #[test]
    fn key_names_read_like_the_readme() {
        assert_eq!(key_name(&ctrl('d')), "Ctrl-d");
        assert_eq!(key_name(&key(' ')), "Space");
        assert_eq!(key_name(&special(KeyCode::PageDown)), "PgDn");
    }
}
