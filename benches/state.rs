//! Saving the reading state at 100k and 1M marks (`cargo bench --bench state`): what a change
//! costs the UI thread, and how soon after it is handed over it is durable on disk.

#[path = "support/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use byline::article::Article;
use byline::input::Action;
use byline::loader;
use byline::session::{Command, Msg, Options, Session};
use byline::state::{self, Changes, MarkChange};
use byline::store::Corpus;

/// Articles loaded in the reader; the other marks belong to articles not loaded now.
const ARTICLES: usize = 100_000;
/// Single changes timed per state size.
const CHANGES: usize = 20;
/// The goals from the hardening issue.
const DURABLE_GOAL: Duration = Duration::from_secs(1);
const UI_GOAL: Duration = Duration::from_millis(1);

fn main() {
    let articles = loader::dump::parse(&generate::dump(ARTICLES, 1)).articles;
    for marks in [100_000, 1_000_000] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("state.db");
        fill(&path, &articles, marks);
        let started = Instant::now();
        let opened = state::open(&path, true, None).expect("the state opens");
        let load = started.elapsed();
        println!("{marks} marks: loading at start {load:.2?} (once, before the terminal)");
        let mut saver = opened.saver.expect("a saver");
        let corpus = Corpus::from_articles(articles.clone());
        let mut app = Session::new(corpus, Options::default(), opened.state);
        app.update(Msg::Resize {
            width: 120,
            height: 40,
        });
        // `R` then `y` on every loaded article: one big change, then small ones after it.
        app.update(Action::MarkAllRead);
        let marked = app.update(Action::Confirm(true));
        let started = Instant::now();
        hand_over(&mut saver, marked);
        let handed = started.elapsed();
        saver.flush(Duration::from_secs(600)).expect("saved");
        println!(
            "{marks} marks: R on {ARTICLES} articles: handed over in {handed:.2?}, durable after {:.2?}",
            started.elapsed()
        );
        let (mut ui, mut durable) = (Vec::new(), Vec::new());
        for n in 0..CHANGES {
            let started = Instant::now();
            let changed = app.update(if n % 2 == 0 {
                Action::ToggleStar
            } else {
                Action::Down
            });
            hand_over(&mut saver, changed);
            ui.push(started.elapsed());
            let handed = Instant::now();
            assert!(saver.wait_durable(saver.handed(), Duration::from_secs(600)));
            durable.push(handed.elapsed());
        }
        report(
            marks,
            "UI-thread cost of a change (key, dirty set, hand-over)",
            ui,
            UI_GOAL,
        );
        report(
            marks,
            "a change handed over to durable on disk",
            durable,
            DURABLE_GOAL,
        );
    }
}

/// A state database with `marks` marks: every loaded article's, then others.
fn fill(path: &std::path::Path, articles: &[Article], marks: usize) {
    let opened = state::open(path, true, None).expect("the state opens");
    let mut saver = opened.saver.expect("a saver");
    let mut changes = Changes::default();
    let ids = articles.iter().map(|a| a.id.clone());
    let others = (0..).map(|n| format!("elsewhere-{n}"));
    for id in ids.chain(others).take(marks) {
        let mark = MarkChange {
            read: Some(false),
            starred: Some(id.len() % 7 == 0),
        };
        changes.marks.insert(id, mark);
    }
    saver.hand_over(changes);
    saver.flush(Duration::from_secs(600)).expect("filled");
}

fn report(marks: usize, what: &str, mut times: Vec<Duration>, goal: Duration) {
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    let verdict = if worst <= goal { "met" } else { "MISSED" };
    println!(
        "{marks} marks: {what}: median {median:.2?}, worst {worst:.2?}; goal <= {goal:.0?}: {verdict}"
    );
}

/// Hands what `commands` persist to the saver, as the runtime does.
fn hand_over(saver: &mut state::BackgroundSaver, commands: Vec<Command>) {
    for command in commands {
        if let Command::Persist(changes) = command {
            saver.hand_over(changes);
        }
    }
}
