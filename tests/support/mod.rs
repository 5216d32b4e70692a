//! Helpers shared by the integration tests: building apps and typing keys at them.

#![allow(dead_code)]

pub mod pty;

use byline::loader::{self, Input};
use byline::session::{Command, Msg, Options, Session};
use byline::state::State;
use byline::store::Corpus;
use byline::ui::theme::Theme;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// The app drawn on a test terminal of `width`×`height`, as text.
pub fn screen(app: &Session, width: u16, height: u16) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("a test terminal");
    terminal
        .draw(|frame| byline::ui::draw(app, &theme(app), frame))
        .expect("drawing succeeds");
    terminal.backend().to_string()
}

/// The theme the binary would draw `app` in.
pub fn theme(app: &Session) -> Theme {
    Theme::new(&app.options().settings.theme, app.options().color)
}

/// The last row of the app drawn at `width`×`height`: the status line.
pub fn status_line(app: &Session, width: u16, height: u16) -> String {
    let drawn = screen(app, width, height);
    drawn
        .lines()
        .last()
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned()
}

/// The sample corpus in an app of `width`×`height`.
pub fn sample_app(width: u16, height: u16) -> Session {
    app_for(loader::load(&[Input::Sample]), width, height)
}

pub fn app_for(corpus: Corpus, width: u16, height: u16) -> Session {
    app_with(
        corpus,
        Options {
            color: true,
            ..Options::default()
        },
        State::default(),
        width,
        height,
    )
}

pub fn app_with(
    corpus: Corpus,
    options: Options,
    state: State,
    width: u16,
    height: u16,
) -> Session {
    let mut app = Session::new(corpus, options, state);
    app.update(Msg::Resize { width, height });
    app
}

/// A corpus of dump text, loaded as a dump file is: articles parsed when they are read.
pub fn corpus(dump: &str) -> Corpus {
    let bytes = byline::store::Bytes::Read(dump.as_bytes().to_vec());
    match loader::parse_kept("dump", bytes, Some("txt"), None) {
        Ok(loaded) => Corpus {
            store: loaded.store,
            problems: Vec::new(),
        },
        Err(_) => Corpus::default(),
    }
}

/// Types keys through the binary's keymap. Plain characters are keys; `<Name>` is a special
/// key: Enter Esc Tab Space Up Down Left Right PgUp PgDn Home End BS, or C-x for Ctrl-x.
/// Returns the commands the keys made.
pub fn keys(app: &mut Session, keys: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    for event in events(keys) {
        let action = app
            .options()
            .settings
            .keymap
            .action_for(app.context(), &event);
        if let Some(action) = action {
            commands.extend(app.update(action));
        }
    }
    commands
}

pub fn events(keys: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let mut chars = keys.chars();
    while let Some(c) = chars.next() {
        let (code, modifiers) = if c == '<' {
            let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
            special(&name)
        } else {
            let modifiers = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            (KeyCode::Char(c), modifiers)
        };
        events.push(Event::Key(KeyEvent::new(code, modifiers)));
    }
    events
}

fn special(name: &str) -> (KeyCode, KeyModifiers) {
    if let Some(c) = name.strip_prefix("C-") {
        let c = c.chars().next().expect("a key after C-");
        return (KeyCode::Char(c), KeyModifiers::CONTROL);
    }
    let code = match name {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Space" => KeyCode::Char(' '),
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "BS" => KeyCode::Backspace,
        other => panic!("unknown key <{other}>"),
    };
    (code, KeyModifiers::NONE)
}

/// The headline of the selected article.
pub fn selected_headline(app: &Session) -> &str {
    let index = app.selected_article().expect("an article is selected");
    app.store().summary(index).unwrap().headline
}

/// The headline of the open article.
pub fn open_headline(app: &Session) -> Option<&str> {
    app.open_article()
        .map(|i| app.store().summary(i).unwrap().headline)
}

/// The binary run to its end with `home` for every file it keeps (configuration, state, cache)
/// and nothing on standard input.
pub fn run_in(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_byline"))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}
