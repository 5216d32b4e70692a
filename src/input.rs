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
            Mode::Help => Some(Action::CloseHelp),
            Mode::Confirm => Some(Action::Confirm(pressed == key('y'))),
            Mode::Search => prompt_action(pressed),
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

/// Names of special keys in the configuration file, the first of each the canonical one.
const KEY_NAMES: &[(&str, KeyCode)] = &[
    ("space", KeyCode::Char(' ')),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
];

/// Parses a key as the configuration file writes it: `j`, `J`, `?`, `down`, `pgdn`, `space`,
/// `f5`, `ctrl-n`, `alt-x`.
pub fn parse_key(text: &str) -> Option<Key> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
            modifiers |= KeyModifiers::CONTROL;
            rest = &rest[5..];
        } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
            modifiers |= KeyModifiers::ALT;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() && !c.is_whitespace() => KeyCode::Char(c),
        _ => {
            let lower = rest.to_ascii_lowercase();
            match KEY_NAMES.iter().find(|(name, _)| *name == lower) {
                Some((_, code)) => *code,
                None => {
                    let number: u8 = lower.strip_prefix('f')?.parse().ok()?;
                    (1..=12).contains(&number).then_some(KeyCode::F(number))?
                }
            }
        }
    };
    let code = match code {
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        code => code,
    };
    Some(Key { code, modifiers })
}

/// A key as the configuration file writes it; [`parse_key`] reads it back.
pub fn config_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(c) if c != ' ' => c.to_string(),
        KeyCode::F(n) => format!("f{n}"),
        code => KEY_NAMES.iter().find(|(_, c)| *c == code).map_or_else(
            || format!("{code:?}").to_lowercase(),
            |(name, _)| (*name).to_owned(),
        ),
    };
    let ctrl = if key.modifiers.contains(KeyModifiers::CONTROL) {
        "ctrl-"
    } else {
        ""
    };
    let alt = if key.modifiers.contains(KeyModifiers::ALT) {
        "alt-"
    } else {
        ""
    };
    format!("{ctrl}{alt}{base}")
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
            Keymap::default().action_for(Mode::Normal, Focus::Reader, &event),
            Some(Action::NextArticle)
        );
    }

    #[test]
    fn reader_only_keys_do_nothing_in_the_list() {
        let b = press(KeyCode::Char('b'), KeyModifiers::NONE);
        assert_eq!(
            Keymap::default().action_for(Mode::Normal, Focus::List, &b),
            None
        );
        assert_eq!(
            Keymap::default().action_for(Mode::Normal, Focus::Reader, &b),
            Some(Action::PageUp)
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut event = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        event.kind = KeyEventKind::Release;
        assert_eq!(
            Keymap::default().action_for(Mode::Normal, Focus::List, &Event::Key(event)),
            None
        );
    }

    #[test]
    fn any_key_closes_help_and_ctrl_c_always_quits() {
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            Keymap::default().action_for(Mode::Help, Focus::List, &x),
            Some(Action::CloseHelp)
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Normal, Mode::Search, Mode::Help] {
            assert_eq!(
                Keymap::default().action_for(mode, Focus::Reader, &ctrl_c),
                Some(Action::ForceQuit)
            );
        }
    }

    #[test]
    fn the_prompt_takes_characters_and_editing_keys() {
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            Keymap::default().action_for(Mode::Search, Focus::List, &j),
            Some(Action::Prompt(Edit::Insert('j')))
        );
        let ctrl_u = press(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(
            Keymap::default().action_for(Mode::Search, Focus::List, &ctrl_u),
            Some(Action::Prompt(Edit::DeleteToStart))
        );
        assert_eq!(
            Keymap::default().action_for(Mode::Normal, Focus::List, &ctrl_u),
            Some(Action::HalfPageUp)
        );
    }

    #[test]
    fn every_binding_has_a_description_somewhere_and_unique_keys_per_pane() {
        for focus in [Focus::List, Focus::Reader] {
            let mut seen = Vec::new();
            for binding in BINDINGS {
                assert!(binding.list.is_some() || binding.reader.is_some());
                if binding.applies(focus) {
                    for key in binding.keys {
                        assert!(!seen.contains(key), "{key:?} bound twice");
                        seen.push(*key);
                    }
                }
            }
        }
    }

    #[test]
    fn configured_keys_replace_the_defaults_and_take_keys_from_other_bindings() {
        let keymap = Keymap::with(&[("next", vec![key('n'), ctrl('n')])]).unwrap();
        let n = Event::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE));
        let j = Event::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
        assert_eq!(
            keymap.action_for(Mode::Normal, Focus::List, &n),
            Some(Action::Down)
        );
        assert_eq!(keymap.action_for(Mode::Normal, Focus::List, &j), None);
        let next_match = BINDINGS
            .iter()
            .position(|b| b.name == "next_match")
            .unwrap();
        assert!(keymap.keys(next_match).is_empty());
    }

    #[test]
    fn two_configured_bindings_cannot_share_a_key() {
        let error =
            Keymap::with(&[("next", vec![key('x')]), ("previous", vec![key('x')])]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "key \"x\" is bound to both next and previous"
        );
        let error = Keymap::with(&[("jump", vec![])]).unwrap_err();
        assert_eq!(error.to_string(), "unknown action \"jump\"");
    }

    #[test]
    fn config_key_names_parse_and_print_back() {
        for name in [
            "j",
            "J",
            "?",
            "-",
            "space",
            "down",
            "pgdn",
            "ctrl-n",
            "alt-x",
            "f5",
            "enter",
            "ctrl-alt-d",
        ] {
            let key = parse_key(name).unwrap_or_else(|| panic!("{name} parses"));
            let canonical = config_name(&key);
            assert_eq!(parse_key(&canonical), Some(key), "{name} → {canonical}");
        }
        assert_eq!(parse_key("PgUp"), Some(special(KeyCode::PageUp)));
        assert_eq!(parse_key("Ctrl-D"), Some(ctrl('d')));
        for bad in ["", "ctrl-", "hyper-x", "f13", "jj", "page down", "\u{1b}"] {
            assert_eq!(parse_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn key_names_read_like_the_readme() {
        assert_eq!(key_name(&ctrl('d')), "Ctrl-d");
        assert_eq!(key_name(&key(' ')), "Space");
        assert_eq!(key_name(&special(KeyCode::PageDown)), "PgDn");
    }
}
