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
fn help_keys_scroll_or_close_and_ctrl_c_always_quits() {
    let in_help = |code| {
        Keymap::default().action_for(Mode::Help, Focus::List, &press(code, KeyModifiers::NONE))
    };
    assert_eq!(in_help(KeyCode::Char('x')), Some(Action::CloseHelp));
    assert_eq!(in_help(KeyCode::Char('j')), Some(Action::ScrollHelp(1)));
    assert_eq!(in_help(KeyCode::Up), Some(Action::ScrollHelp(-1)));
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
