//! Keys: the type, its names in the help overlay and the configuration file, and what a
//! terminal's key event means as one.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers (Shift is implied by an uppercase character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

pub(super) const fn key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::NONE,
    }
}

pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

pub(super) const fn special(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

/// Drops Shift from character keys (the character already says it) and Alt-less noise.
pub(super) fn normalise(event: &KeyEvent) -> Key {
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

/// A key as the help overlay, hints and README show it: `j`, `↓`, `Ctrl-d`, `Alt-x`, `Space`,
/// `PgDn`, `F5`.
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
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::F(n) => format!("F{n}"),
        // Enter, Esc, Tab, Home, End, Backspace and the rest read well as crossterm names them.
        other => format!("{other:?}"),
    };
    let mut shown = String::new();
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        shown.push_str("Ctrl-");
    }
    if key.modifiers.contains(KeyModifiers::ALT) {
        shown.push_str("Alt-");
    }
    shown + &name
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
