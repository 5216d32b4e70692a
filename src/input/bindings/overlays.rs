//! The keys of what opens over the panes: the prompts, the key help, a question.

use ratatui::crossterm::event::KeyCode;

use super::super::keys::{ctrl, key, special};
use super::super::{Action, Edit, Key};
use super::{Binding, Place};

const fn overlay(
    name: &'static str,
    keys: &'static [Key],
    action: Action,
    place: Place,
) -> Binding {
    Binding {
        name,
        keys,
        action,
        place,
        pairs_with_next: false,
    }
}

const fn prompt(
    name: &'static str,
    keys: &'static [Key],
    edit: Edit,
    what: &'static str,
) -> Binding {
    overlay(name, keys, Action::Prompt(edit), Place::Prompt(what))
}

/// The prompts', the help's and the questions' keys.
pub(super) const OVERLAYS: &[Binding] = &[
    overlay(
        "accept",
        &[special(KeyCode::Enter)],
        Action::AcceptPrompt,
        Place::Prompt("keep"),
    ),
    overlay(
        "cancel",
        &[special(KeyCode::Esc)],
        Action::CancelPrompt,
        Place::Prompt("cancel"),
    ),
    prompt(
        "delete_word",
        &[ctrl('w')],
        Edit::DeleteWord,
        "delete a word",
    ),
    prompt(
        "delete_to_start",
        &[ctrl('u')],
        Edit::DeleteToStart,
        "delete to the start",
    ),
    prompt(
        "backspace",
        &[special(KeyCode::Backspace), ctrl('h')],
        Edit::Backspace,
        "delete back",
    ),
    prompt(
        "delete",
        &[special(KeyCode::Delete)],
        Edit::Delete,
        "delete",
    ),
    prompt(
        "line_start",
        &[ctrl('a'), special(KeyCode::Home)],
        Edit::Home,
        "to the start",
    ),
    prompt(
        "line_end",
        &[ctrl('e'), special(KeyCode::End)],
        Edit::End,
        "to the end",
    ),
    prompt("cursor_left", &[special(KeyCode::Left)], Edit::Left, "left"),
    prompt(
        "cursor_right",
        &[special(KeyCode::Right)],
        Edit::Right,
        "right",
    ),
    prompt(
        "recall_previous",
        &[special(KeyCode::Up)],
        Edit::HistoryPrevious,
        "earlier query (picker: row up)",
    ),
    prompt(
        "recall_next",
        &[special(KeyCode::Down)],
        Edit::HistoryNext,
        "later query (picker: row down)",
    ),
    overlay(
        "help_down",
        &[key('j'), special(KeyCode::Down)],
        Action::ScrollHelp(1),
        Place::Help("scroll"),
    ),
    overlay(
        "help_up",
        &[key('k'), special(KeyCode::Up)],
        Action::ScrollHelp(-1),
        Place::Help("scroll back"),
    ),
    overlay(
        "help_page_down",
        &[special(KeyCode::PageDown), key(' ')],
        Action::ScrollHelp(10),
        Place::Help("a page down"),
    ),
    overlay(
        "help_page_up",
        &[special(KeyCode::PageUp)],
        Action::ScrollHelp(-10),
        Place::Help("a page up"),
    ),
    overlay(
        "yes",
        &[key('y')],
        Action::Confirm(true),
        Place::Confirm("yes"),
    ),
];
