//! Reading state in the app: read and starred marks, their filters, and the saved position.

mod support;

use byline::config::{MarkRead, Settings};
use byline::input::Context;
use byline::session::{Focus, Options, Overlay};
use byline::state::{ArticleMark, Position, State};
use support::*;

fn sample() -> byline::store::Corpus {
    byline::loader::load(&[byline::loader::Input::Sample])
}

fn options(mark_read: MarkRead) -> Options {
    Options {
        settings: Settings {
            mark_read,
            ..Settings::default()
        },
        color: true,
        input_key: "sample".into(),
        unsaved: false,
    }
}

#[test]
fn opening_marks_read_and_r_toggles() {
    let mut app = sample_app(120, 40);
    assert_eq!(app.unread_count(), 10);
    keys(&mut app, "j<Enter>");
    assert!(app.is_read(1));
    assert_eq!(app.unread_count(), 9);
    keys(&mut app, "r");
    assert!(!app.is_read(1), "r works from the reader too");
    keys(&mut app, "<Esc>jr");
    assert!(app.is_read(2));
    let id = app.store().summary(2).unwrap().id;
    assert!(app.state().articles[id].read);
}

#[test]
fn capital_r_asks_before_marking_the_listed_articles_read() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/trump<Enter>R");
    assert_eq!(app.context(), Context::Confirm);
    assert_eq!(app.message(), Some("Mark 4 listed articles read? (y/n)"));
    keys(&mut app, "n");
    assert!(matches!(app.overlay(), Overlay::None));
    assert_eq!(app.unread_count(), 10);
    keys(&mut app, "Ry");
    assert_eq!(app.unread_count(), 6, "only the listed articles");
    assert_eq!(
        app.message(),
        Some("Marked 4 articles read"),
        "y is confirmed"
    );
    assert!(app.view().iter().all(|&i| app.is_read(i)));
    keys(&mut app, "R");
    assert_eq!(app.message(), Some("Every listed article is read"));
    assert!(matches!(app.overlay(), Overlay::None));
}

#[test]
fn u_lists_only_unread_articles() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Space>j<Space>");
    keys(&mut app, "u");
    assert!(app.unread_only());
    assert_eq!(app.view().len(), 8);
    assert!(app.view().iter().all(|&i| !app.is_read(i)));
    keys(&mut app, "<Enter>");
    assert_eq!(
        app.view().len(),
        8,
        "reading does not pull the article out from under you"
    );
    keys(&mut app, "u");
    assert_eq!(app.view().len(), 10);
}

#[test]
fn s_stars_and_capital_s_lists_only_starred() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "sjjs");
    assert!(app.is_starred(0) && app.is_starred(2) && !app.is_starred(1));
    keys(&mut app, "S");
    assert_eq!(app.view(), [0, 2]);
    keys(&mut app, "s");
    assert!(!app.is_starred(app.selected_article().unwrap()));
    keys(&mut app, "S");
    assert_eq!(app.view().len(), 10);
    keys(&mut app, "/nato<Enter>S");
    assert!(app.view().is_empty(), "filters combine with the search");
}

#[test]
fn mark_read_at_the_end_waits_for_the_last_line() {
    let mut app = app_with(sample(), options(MarkRead::End), State::default(), 120, 40);
    keys(&mut app, "<Enter>");
    assert!(!app.is_read(0), "a long article is not read when opened");
    keys(&mut app, "G");
    assert!(app.is_read(0));
    keys(&mut app, "G<Esc>jjjjjj<Enter>");
    assert!(
        app.is_read(6),
        "a headline-only article fits and is read at once"
    );
}

#[test]
fn changes_bump_the_revision() {
    let mut app = sample_app(120, 40);
    let start = app.revision();
    keys(&mut app, "?<Esc>");
    assert_eq!(app.revision(), start, "help changes nothing worth saving");
    keys(&mut app, "j");
    assert!(app.revision() > start, "the position changed");
    let after_move = app.revision();
    keys(&mut app, "s");
    assert!(app.revision() > after_move);
}

#[test]
fn marks_load_by_id_and_unknown_ids_are_kept() {
    let articles = sample().store.to_articles();
    let mut state = State::default();
    state.articles.insert(
        articles[4].id.clone(),
        ArticleMark {
            read: true,
            starred: true,
        },
    );
    state.articles.insert(
        "gone".into(),
        ArticleMark {
            read: true,
            starred: false,
        },
    );
    let mut app = app_with(sample(), options(MarkRead::Open), state, 120, 40);
    assert!(app.is_read(4) && app.is_starred(4));
    keys(&mut app, "r");
    assert!(app.state().articles.contains_key("gone"));
}

#[test]
fn the_saved_position_reopens_the_article_where_it_was() {
    let articles = sample().store.to_articles();
    let mut state = State::default();
    let position = Position {
        selected: Some(articles[3].id.clone()),
        open: Some(articles[3].id.clone()),
        scroll: 12,
        reading: true,
        ..Position::default()
    };
    state.positions.insert("sample".into(), position);
    let app = app_with(sample(), options(MarkRead::Open), state.clone(), 120, 40);
    assert_eq!(app.selected(), 3);
    assert_eq!(app.open_article(), Some(3));
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.reader_scroll(), 12);
    let other_input = Options {
        input_key: "other".into(),
        ..options(MarkRead::Open)
    };
    let app = app_with(sample(), other_input, state, 120, 40);
    assert_eq!(
        (app.selected(), app.open_article()),
        (0, None),
        "positions are per input"
    );
}

#[test]
fn moving_records_the_position() {
    let mut app = app_with(sample(), options(MarkRead::Open), State::default(), 120, 40);
    keys(&mut app, "jj<Enter>jjj");
    let position = &app.state().positions["sample"];
    assert_eq!(
        position.selected.as_deref(),
        Some(app.store().summary(2).unwrap().id)
    );
    assert_eq!(position.open, position.selected);
    assert_eq!(position.scroll, 3);
    assert!(position.reading);
}

#[test]
fn a_change_hands_over_only_what_changed_however_many_marks_there_are() {
    let mut state = State::default();
    for n in 0..10_000 {
        state
            .articles
            .insert(format!("other-{n}"), ArticleMark::default());
    }
    let mut app = app_with(sample(), options(MarkRead::Open), state, 120, 40);
    let changes = persisted(keys(&mut app, "s"));
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = changes.marks[app.store().summary(0).unwrap().id];
    assert_eq!((change.read, change.starred), (None, Some(true)));
    let changes = persisted(keys(&mut app, "j"));
    assert_eq!(
        (changes.marks.len(), changes.positions.len()),
        (0, 1),
        "a move changes the position only"
    );
    assert!(
        persisted(keys(&mut app, "?")).is_empty(),
        "help changes nothing"
    );
}

/// The reading state handed to the saver by `commands`, all together.
fn persisted(commands: Vec<byline::session::Command>) -> byline::state::Changes {
    let mut all = byline::state::Changes::default();
    for command in commands {
        if let byline::session::Command::Persist(changes) = command {
            all.absorb(changes);
        }
    }
    all
}
