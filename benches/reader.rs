//! The reading pane on a 50 MB one-line article (`cargo bench --bench reader`): the first open,
//! then every key with its redraw, printed beside the goal. Nothing here asserts a time.

use std::time::{Duration, Instant};

use byline::input::Action;
use byline::input::Edit;
use byline::loader;
use byline::session::{Msg, Options, Session};
use byline::state::State;
use byline::store::Corpus;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// What a key may cost, redraw included, once the article is open: one frame at 60 Hz.
const GOAL: Duration = Duration::from_millis(16);

fn main() {
    let line = ["word ".repeat(10 * 1024 * 1024), "end".to_owned()].concat();
    read("as a paragraph", &format!("A huge paragraph\n\n{line}\n"));
    read("as the headline", &line);
}

fn read(name: &str, dump: &str) {
    let corpus = Corpus::from_articles(loader::dump::parse(dump).articles);
    let mut app = Session::new(corpus, Options::default(), State::default());
    // As in the binary, the list is filtered by a worker; the reader must not wait for it.
    app.search_in_background();
    app.update(Msg::Resize {
        width: 120,
        height: 40,
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let theme = byline::ui::theme::Theme::new(&app.options().settings.theme, true);
    let mut press = |action: Action| {
        let start = Instant::now();
        app.update(action);
        terminal
            .draw(|frame| byline::ui::draw(&app, &theme, frame))
            .expect("drawing succeeds");
        start.elapsed()
    };
    println!("{name}: first open {:?}", press(Action::Open));
    let keys = [
        ("/", Action::StartSearch),
        ("w", Action::Prompt(Edit::Insert('w'))),
        ("o", Action::Prompt(Edit::Insert('o'))),
        ("Enter", Action::AcceptPrompt),
        ("Enter", Action::Open),
        ("n", Action::NextMatch),
        ("n", Action::NextMatch),
        ("N", Action::PreviousMatch),
        ("G", Action::Bottom),
        ("N", Action::PreviousMatch),
        ("k", Action::Up),
        ("PgUp", Action::PageUp),
        ("g", Action::Top),
        ("j", Action::Down),
        ("PgDn", Action::PageDown),
        ("/", Action::StartSearch),
        ("e", Action::Prompt(Edit::Insert('e'))),
        ("Esc", Action::CancelPrompt),
    ];
    let mut worst = Duration::ZERO;
    for (key, action) in keys {
        let took = press(action);
        worst = worst.max(took);
        println!("{name}: {key:>5} {took:>12.3?}");
    }
    println!("{name}: slowest key {worst:.3?} (goal ≤ {GOAL:?})");
}
