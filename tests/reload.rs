//! Live reload: merging reloaded articles, and the binary noticing a file that grew.

mod support;

use byline::session::{Focus, Msg};
use support::pty::Session;
use support::*;

const TWO: &str = "First headline\n\nBody one.\nView 1 times\nSecond headline\n\nBody two mentions NATO.\n\nMore of it.\nView 2 times\n";

fn third(text: &str) -> String {
    format!("{text}Third headline about NATO\n\nBody three.\nView 3 times\n")
}

#[test]
fn a_reload_keeps_selection_open_article_filter_and_marks_and_flags_what_is_new() {
    let mut app = app_for(corpus(TWO), 120, 40);
    keys(&mut app, "/nato<Enter><Enter>jr");
    assert_eq!(app.view(), [1]);
    let open = app.store().summary(1).unwrap().id.to_owned();
    let read_before = app.is_read(1);
    let scroll = app.reader_scroll();
    // The new file: an article before the old ones, and one matching the filter after them.
    let grown = third(&format!(
        "Zeroth headline\n\nBody zero.\nView 9 times\n{TWO}"
    ));
    app.update(Msg::Reloaded(Box::new(corpus(&grown))));
    assert_eq!(app.store().len(), 4);
    let open_now = app.open_article().expect("still open");
    assert_eq!(
        app.store().summary(open_now).unwrap().id,
        open,
        "the same article, at its new place"
    );
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.reader_scroll(), scroll);
    assert_eq!(app.filter(), "nato");
    assert_eq!(
        app.view(),
        [3, 2],
        "headline match first, the filter re-run"
    );
    assert_eq!(
        app.selected_article(),
        Some(2),
        "the selection follows the article"
    );
    assert_eq!(app.is_read(2), read_before);
    assert!(app.is_new(0) && app.is_new(3) && !app.is_new(1) && !app.is_new(2));
    assert_eq!(app.new_count(), 2);
    assert_eq!(app.message(), Some("Reloaded: 2 new articles"));
}

#[test]
fn a_pending_mark_all_read_question_does_not_survive_a_reload() {
    let mut app = app_for(corpus(TWO), 120, 40);
    keys(&mut app, "R");
    app.update(Msg::Reloaded(Box::new(corpus(&third(TWO)))));
    assert_eq!(
        app.message(),
        Some("Reloaded: 1 new article; question cancelled, ask again")
    );
    keys(&mut app, "y");
    assert!(
        (0..3).all(|i| !app.is_read(i)),
        "y marked articles the question was not about"
    );
    keys(&mut app, "j");
    assert_eq!(app.selected_article(), Some(1), "keys work as usual again");
}

#[test]
fn new_markers_stay_until_the_article_is_opened() {
    let mut app = app_for(corpus(TWO), 120, 40);
    app.update(Msg::Reloaded(Box::new(corpus(&third(TWO)))));
    assert!(app.is_new(2));
    app.update(Msg::Reloaded(Box::new(corpus(&third(TWO)))));
    assert!(
        app.is_new(2),
        "a reload that brings nothing does not forget what is new"
    );
    assert_eq!(app.new_count(), 1);
    keys(&mut app, "G<Enter>");
    assert_eq!(app.open_article(), Some(2));
    assert!(!app.is_new(2), "opened, so no longer new");
    assert_eq!(app.new_count(), 0);
}

#[test]
fn a_failed_reload_keeps_the_last_good_articles() {
    let mut app = app_for(corpus(TWO), 120, 40);
    let mut broken = byline::store::Corpus::default();
    broken.problems.push(byline::article::Problem {
        severity: byline::article::Severity::Error,
        message: "dump.txt: permission denied".into(),
    });
    app.update(Msg::Reloaded(Box::new(broken)));
    assert_eq!(app.store().len(), 2);
    assert_eq!(
        app.message(),
        Some("Reload failed, keeping the articles as they were: dump.txt: permission denied")
    );
}

#[test]
fn a_file_that_grows_is_reloaded_and_ctrl_r_reloads_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.txt");
    std::fs::write(&path, TWO).unwrap();
    let name = path.to_string_lossy().into_owned();
    let mut session = Session::start_in(Some(dir.path()), &[&name], 100, 30, "xterm-256color");
    session.wait_for_text("1/2");
    session.send("j");
    session.wait_for_text("2/2");
    // A scraper appends to the dump.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(third("").as_bytes()).unwrap();
    drop(file);
    session.wait_for_text("Third headline about NATO");
    session.wait_for_text("2/3");
    session.wait_for_text("1 new");
    session.send("\x12");
    session.wait_for_text("Reloaded; nothing new");
    std::fs::write(&path, b"\0\0binary now").unwrap();
    session.send("\x12");
    session.wait_for_text("Reload failed");
    session.wait_for_text("Third headline about NATO");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn a_grown_file_keeps_the_a_to_z_order_and_the_tag_counts_without_starting_over() {
    let mut app = app_for(corpus(TWO), 120, 40);
    keys(&mut app, "oot<Esc>");
    assert_eq!(app.order(), byline::article::Order::Headline);
    let grown =
        format!("{TWO}Another headline #NATO\n\nBody.\nView 4 times\nA zebra\nView 1 time\n");
    app.update(Msg::Reloaded(Box::new(corpus(&grown))));
    let headlines: Vec<&str> = (app.view().iter())
        .map(|&i| app.store().summary(i).unwrap().headline)
        .collect();
    assert_eq!(
        headlines,
        [
            "A zebra",
            "Another headline NATO",
            "First headline",
            "Second headline"
        ]
    );
    keys(&mut app, "t");
    let byline::session::Overlay::Picker(picker) = app.overlay() else {
        panic!("the picker is open");
    };
    let counts: Vec<(String, usize)> = (picker.entries().iter())
        .map(|(label, count)| (label.text().to_owned(), *count))
        .collect();
    assert_eq!(counts, [("NATO".to_owned(), 1)]);

    // Most viewed, worked out before the file grew, takes the new articles in their places.
    let mut app = app_for(corpus(TWO), 120, 40);
    keys(&mut app, "o");
    app.update(Msg::Reloaded(Box::new(corpus(&grown))));
    let views: Vec<Option<u64>> = (app.view().iter())
        .map(|&i| app.store().summary(i).unwrap().views)
        .collect();
    assert_eq!(views, [Some(4), Some(2), Some(1), Some(1)]);
    assert_eq!(app.view()[2..], [0, 3], "ties in file order");
}
