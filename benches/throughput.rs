//! Loading, searching and drawing at 1k to 100k generated articles (`cargo bench`).

#[path = "support/generate.rs"]
mod generate;

use std::sync::LazyLock;

use byline::input::Action;
use byline::loader;
use byline::search::{self, Query};
use byline::session::{Msg, Options, Session};
use byline::state::State;
use byline::store::{Corpus, Store};
use divan::Bencher;
use divan::counter::BytesCount;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

static DUMP_100K: LazyLock<String> = LazyLock::new(|| generate::dump(100_000, 1));
static ARTICLES: LazyLock<Store> =
    LazyLock::new(|| Store::from_articles(loader::dump::parse(&DUMP_100K).articles));

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 5, sample_size = 1)]
fn load(bencher: Bencher, articles: usize) {
    let dump = if articles == 100_000 {
        DUMP_100K.clone()
    } else {
        generate::dump(articles, 1)
    };
    bencher.counter(BytesCount::of_str(&dump)).bench(|| {
        loader::parse_bytes("bench", dump.as_bytes(), Some("txt")).map(|l| l.store.len())
    });
}

#[divan::bench(args = [generate::UNIQUE, "minister", "\"the government\"", "#nato", "pena -court"], sample_count = 10)]
fn search(bencher: Bencher, query: &str) {
    let store = &*ARTICLES;
    let all: Vec<usize> = (0..store.len()).collect();
    let query = Query::parse(query);
    bencher.bench(|| search::search(store, &query, &all).len());
}

/// Typing one more letter: only the previous matches are checked again.
#[divan::bench(sample_count = 10)]
fn search_narrowing_keystroke(bencher: Bencher) {
    let store = &*ARTICLES;
    let all: Vec<usize> = (0..store.len()).collect();
    let previous = search::search(store, &Query::parse("minist"), &all);
    let query = Query::parse("ministe");
    bencher.bench(|| search::search(store, &query, &previous).len());
}

#[divan::bench(sample_count = 20)]
fn draw_frame_200x50(bencher: Bencher) {
    let corpus = Corpus {
        store: ARTICLES.clone(),
        problems: Vec::new(),
    };
    let mut app = Session::new(corpus, Options::default(), State::default());
    app.update(Msg::Resize {
        width: 200,
        height: 50,
    });
    app.update(Action::Open);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
    let theme = byline::ui::theme::Theme::new(&app.options().settings.theme, true);
    let mut down = true;
    bencher.bench_local(|| {
        // A selection move and a redraw, as when skimming headlines.
        app.update(if down { Action::Down } else { Action::Up });
        down = !down;
        terminal
            .draw(|frame| byline::ui::draw(&app, &theme, frame))
            .map(|_| ())
    });
}
