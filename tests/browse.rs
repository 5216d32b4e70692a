//! Sorting the list and browsing by tag or source.

mod support;

use byline::article::Order;
use byline::input::Context;
use byline::session::{Label, Options, Overlay};
use byline::state::State;
use support::*;

fn headlines(app: &byline::session::Session) -> Vec<String> {
    app.view()
        .iter()
        .map(|&i| {
            app.store()
                .summary(i)
                .unwrap()
                .headline
                .chars()
                .take(12)
                .collect()
        })
        .collect()
}

#[test]
fn o_cycles_file_order_most_viewed_and_a_to_z() {
    let mut app = sample_app(120, 40);
    assert_eq!(app.view(), (0..10).collect::<Vec<_>>());
    keys(&mut app, "o");
    assert_eq!(app.order(), Order::Views);
    let views: Vec<u64> = app
        .view()
        .iter()
        .map(|&i| app.store().summary(i).unwrap().views.unwrap())
        .collect();
    assert_eq!(views, [227, 223, 221, 217, 215, 211, 208, 207, 207, 202]);
    assert_eq!(
        app.message(),
        None,
        "the status line names the order; no message repeats it"
    );
    keys(&mut app, "o");
    assert_eq!(app.order(), Order::Headline);
    assert_eq!(
        headlines(&app),
        [
            "Australia ag",
            "Chaotic show",
            "Elon Musk sa",
            "Israel start",
            "North Korea ",
            "Pakistani pr",
            "Report calls",
            "Rescuers des",
            "Serbian stud",
            "Trump sugges"
        ]
    );
    keys(&mut app, "o");
    assert_eq!(app.order(), Order::File);
    assert_eq!(app.view(), (0..10).collect::<Vec<_>>());
}

#[test]
fn the_order_applies_to_search_results_and_keeps_the_selection() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/trump<Enter>jo");
    let selected = app.selected_article();
    let views: Vec<u64> = app
        .view()
        .iter()
        .map(|&i| app.store().summary(i).unwrap().views.unwrap())
        .collect();
    assert_eq!(views, [227, 223, 221, 215]);
    assert_eq!(app.selected_article(), selected);
}

#[test]
fn the_order_is_remembered() {
    let options = Options {
        input_key: "sample".into(),
        color: true,
        ..Options::default()
    };
    let mut app = app_with(
        byline::loader::load(&[byline::loader::Input::Sample]),
        options.clone(),
        State::default(),
        120,
        40,
    );
    keys(&mut app, "o");
    let state = app.state().clone();
    let again = app_with(
        byline::loader::load(&[byline::loader::Input::Sample]),
        options,
        state,
        120,
        40,
    );
    assert_eq!(again.order(), Order::Views);
    assert_eq!(again.view()[0], 0);
    assert_eq!(again.view()[1], 3, "223 views comes second");
}

#[test]
fn the_tag_picker_lists_tags_and_sources_with_counts_and_filters_as_you_type() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "t");
    assert_eq!(app.context(), Context::Picker);
    let entries: Vec<(String, usize)> = picker(&app)
        .entries()
        .iter()
        .map(|(l, n)| (l.text().to_owned(), *n))
        .collect();
    assert_eq!(entries[0], ("The Associated Press".into(), 2));
    assert!(entries.contains(&("NATO".into(), 1)));
    let cnn = entries.iter().filter(|(name, _)| name == "CNN").count();
    assert_eq!(cnn, 2, "the tag CNN and the source CNN are two entries");
    assert_eq!(entries.len(), 10, "7 tags and 3 sources");
    keys(&mut app, "ser");
    let entries: Vec<&str> = picker(&app)
        .entries()
        .iter()
        .map(|(l, _)| l.text())
        .collect();
    assert_eq!(entries, ["Serbian"]);
    keys(&mut app, "<BS><BS><BS>canadian<Enter>");
    assert!(matches!(app.overlay(), Overlay::None));
    assert_eq!(
        app.label(),
        Some(&Label::Source("The Canadian Press".into()))
    );
    assert_eq!(app.view(), [2]);
}

#[test]
fn a_chosen_tag_combines_with_the_search_and_esc_clears_it_first() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/putin<Enter>");
    assert_eq!(app.view().len(), 2);
    keys(&mut app, "t");
    keys(&mut app, "russia");
    keys(&mut app, "<Enter>");
    assert_eq!(app.view(), [9]);
    keys(&mut app, "<Esc>");
    assert_eq!(app.label(), None);
    assert_eq!(app.view().len(), 2, "the search stays");
    keys(&mut app, "<Esc>");
    assert_eq!(app.view().len(), 10);
}

#[test]
fn arrows_move_in_the_picker_and_esc_closes_it_unchanged() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "t<Down><Down><Up>");
    assert_eq!(picker(&app).row(), 1);
    keys(&mut app, "<Esc>");
    assert!(matches!(app.overlay(), Overlay::None));
    assert_eq!(app.label(), None);
    assert_eq!(app.view().len(), 10);
}

/// The open picker.
fn picker(app: &byline::session::Session) -> &byline::session::Picker {
    match app.overlay() {
        Overlay::Picker(picker) => picker,
        other => panic!("no picker open but {other:?}"),
    }
}
