//! Terminal events to actions. One binding table, for every context, drives dispatch, the
//! help overlay and every hint that names a key.

use ratatui::crossterm::event::{
    Event, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

mod action;
mod bindings;
mod keys;

pub use action::{Action, Context, Edit};
pub use bindings::{BINDINGS, Binding, Place};
pub use keys::{Key, config_name, key_name, parse_key};
use keys::{ctrl, normalise};

/// Lines the mouse wheel scrolls per notch.
const WHEEL_LINES: i16 = 3;

/// The contexts in which two bindings could both hear a key.
const CONTEXTS: [Context; 7] = [
    Context::List,
    Context::Reader,
    Context::Search,
    Context::Line,
    Context::Picker,
    Context::Help,
    Context::Confirm,
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
    /// binding is taken away from any default binding that had it in the same context; two
    /// configured bindings that share a key in one context are an error.
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
                let shares_a_context = CONTEXTS
                    .iter()
                    .any(|&c| binding.applies(c) && other.applies(c));
                if other_index == index || !shares_a_context {
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

    /// The keys of the binding called `name`, as the help shows them (`j ↓`); empty when it
    /// has none.
    pub fn names(&self, name: &str) -> String {
        self.keys_of(name)
            .iter()
            .map(key_name)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first key of the binding called `name`, for a hint (`None` when it has none).
    pub fn hint(&self, name: &str) -> Option<String> {
        self.keys_of(name).first().map(key_name)
    }

    fn keys_of(&self, name: &str) -> &[Key] {
        BINDINGS
            .iter()
            .position(|b| b.name == name)
            .map_or(&[], |index| &self.keys[index])
    }

    /// What an event means in `context`, if anything. (A resize is not the keymap's business.)
    pub fn action_for(&self, context: Context, event: &Event) -> Option<Action> {
        let panes = matches!(context, Context::List | Context::Reader);
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.key_action(context, key),
            Event::Mouse(mouse) if panes => {
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

    fn key_action(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let pressed = normalise(event);
        // Ctrl-c always quits, whatever the configuration, so there is always a way out.
        if pressed == ctrl('c') {
            return Some(Action::ForceQuit);
        }
        let bound = BINDINGS
            .iter()
            .zip(&self.keys)
            .filter(|(binding, _)| binding.applies(context))
            .find(|(_, keys)| keys.contains(&pressed))
            .map(|(binding, _)| binding.action.clone());
        bound.or_else(|| match context {
            Context::List | Context::Reader => None,
            Context::Help => Some(Action::CloseHelp),
            Context::Confirm => Some(Action::Confirm(false)),
            Context::Search | Context::Line | Context::Picker => {
                let typed = match (pressed.code, pressed.modifiers) {
                    (ratatui::crossterm::event::KeyCode::Char(c), KeyModifiers::NONE) => c,
                    _ => return None,
                };
                Some(Action::Prompt(Edit::Insert(typed)))
            }
        })
    }

    /// The prompt's main keys for the help: `Prompt: Enter keeps, Esc cancels, Ctrl-w Ctrl-u
    /// delete, ↑↓ recall.` (The README lists them all.)
    pub fn prompt_help(&self) -> String {
        let groups: [(&[&str], &str, &str); 4] = [
            (&["accept"], " ", "keeps"),
            (&["cancel"], " ", "cancels"),
            (&["delete_word", "delete_to_start"], " ", "delete"),
            (&["recall_previous", "recall_next"], "", "recall"),
        ];
        let described = groups.iter().filter_map(|(names, between, what)| {
            let keys: Vec<String> = (names.iter()).filter_map(|name| self.hint(name)).collect();
            (!keys.is_empty()).then(|| format!("{} {what}", keys.join(between)))
        });
        format!("Prompt: {}.", described.collect::<Vec<_>>().join(", "))
    }
}

#[cfg(test)]
mod tests;
