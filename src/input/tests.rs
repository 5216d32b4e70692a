use super::keys::{key, special};
use super::*;
use ratatui::crossterm::event::KeyCode;

fn press(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

#[test]
fn uppercase_letters_arrive_with_shift_and_still_match() {
    let event = press(KeyCode::Char('J'), KeyModifiers::SHIFT);
    assert_eq!(
        Keymap::default().action_for(Context::Reader, &event),
        Some(Action::NextArticle)
    );
}

#[test]
fn reader_only_keys_do_nothing_in_the_list() {
    let b = press(KeyCode::Char('b'), KeyModifiers::NONE);
    assert_eq!(Keymap::default().action_for(Context::List, &b), None);
    assert_eq!(
        Keymap::default().action_for(Context::Reader, &b),
        Some(Action::PageUp)
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut event = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    event.kind = KeyEventKind::Release;
    assert_eq!(
        Keymap::default().action_for(Context::List, &Event::Key(event)),
        None
    );
}

#[test]
fn help_keys_scroll_or_close_and_ctrl_c_always_quits() {
    let in_help =
        |code| Keymap::default().action_for(Context::Help, &press(code, KeyModifiers::NONE));
    assert_eq!(in_help(KeyCode::Char('x')), Some(Action::CloseHelp));
    assert_eq!(in_help(KeyCode::Char('j')), Some(Action::ScrollHelp(1)));
    assert_eq!(in_help(KeyCode::Up), Some(Action::ScrollHelp(-1)));
    let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
    for context in [Context::Reader, Context::Search, Context::Help] {
        assert_eq!(
            Keymap::default().action_for(context, &ctrl_c),
            Some(Action::ForceQuit)
        );
    }
}

#[test]
fn the_prompt_takes_characters_and_editing_keys() {
    let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(
        Keymap::default().action_for(Context::Search, &j),
        Some(Action::Prompt(Edit::Insert('j')))
    );
    let ctrl_u = press(KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(
        Keymap::default().action_for(Context::Search, &ctrl_u),
        Some(Action::Prompt(Edit::DeleteToStart))
    );
    assert_eq!(
        Keymap::default().action_for(Context::List, &ctrl_u),
        Some(Action::HalfPageUp)
    );
}

#[test]
fn every_binding_works_somewhere_and_keys_are_unique_per_context() {
    for binding in BINDINGS.iter() {
        assert!(
            CONTEXTS.iter().any(|&c| binding.applies(c)),
            "{}",
            binding.name
        );
    }
    for context in CONTEXTS {
        let mut seen = Vec::new();
        for binding in BINDINGS.iter() {
            if binding.applies(context) {
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
    assert_eq!(keymap.action_for(Context::List, &n), Some(Action::Down));
    assert_eq!(keymap.action_for(Context::List, &j), None);
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
fn the_prompt_help_reads_as_before_with_the_default_keys() {
    assert_eq!(
        Keymap::default().prompt_help(),
        "Prompt: Enter keeps, Esc cancels, Ctrl-w Ctrl-u delete, ↑↓ recall."
    );
}

#[test]
fn key_names_read_like_the_readme() {
    assert_eq!(key_name(&ctrl('d')), "Ctrl-d");
    assert_eq!(key_name(&key(' ')), "Space");
    assert_eq!(key_name(&special(KeyCode::PageDown)), "PgDn");
    assert_eq!(key_name(&parse_key("alt-x").unwrap()), "Alt-x");
    assert_eq!(key_name(&parse_key("ctrl-alt-d").unwrap()), "Ctrl-Alt-d");
    assert_eq!(key_name(&parse_key("f5").unwrap()), "F5");
    assert_eq!(key_name(&parse_key("backspace").unwrap()), "Backspace");
    assert_eq!(key_name(&parse_key("del").unwrap()), "Del");
}

#[test]
fn overlay_keys_come_from_the_table_and_can_be_remapped() {
    let keymap = Keymap::with(&[("accept", vec![ctrl('j')]), ("yes", vec![key('o')])]).unwrap();
    let ctrl_j = press(KeyCode::Char('j'), KeyModifiers::CONTROL);
    let enter = press(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        keymap.action_for(Context::Search, &ctrl_j),
        Some(Action::AcceptPrompt)
    );
    assert_eq!(keymap.action_for(Context::Line, &enter), None);
    let o = press(KeyCode::Char('o'), KeyModifiers::NONE);
    let y = press(KeyCode::Char('y'), KeyModifiers::NONE);
    assert_eq!(
        keymap.action_for(Context::Confirm, &o),
        Some(Action::Confirm(true))
    );
    assert_eq!(
        keymap.action_for(Context::Confirm, &y),
        Some(Action::Confirm(false))
    );
    assert_eq!(keymap.hint("accept").as_deref(), Some("Ctrl-j"));
    assert!(
        keymap
            .prompt_help()
            .starts_with("Prompt: Ctrl-j keeps, Esc cancels")
    );
}
