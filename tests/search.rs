//! Search through the keymap: the prompt, filtering, matching rules, and n/N.

mod support;

use std::sync::mpsc::Receiver;

use byline::document::Mark;
use byline::input::Context;
use byline::search::background::{Answer, Request, Worker};
use byline::session::{Command, Focus, Msg, Overlay};
use support::*;

fn listed(app: &byline::session::Session) -> Vec<&str> {
    app.view()
        .iter()
        .map(|&i| app.store().summary(i).unwrap().headline)
        .collect()
}

#[test]
fn the_list_filters_on_every_keystroke() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/");
    assert_eq!(app.context(), Context::Search);
    keys(&mut app, "g");
    let after_one = app.view().len();
    keys(&mut app, "uat");
    let after_four = app.view().len();
    assert!(
        after_one > after_four && after_four > 0,
        "{after_one} then {after_four}"
    );
    assert!(
        listed(&app)
            .iter()
            .all(|h| h.contains("Guat") || !h.is_empty())
    );
    assert_eq!(app.query_text(), "guat");
}

#[test]
fn enter_keeps_the_filter_and_returns_to_the_list() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>/nato<Enter>");
    assert!(matches!(app.overlay(), Overlay::None));
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.filter(), "nato");
    assert_eq!(
        listed(&app),
        ["Report calls on NATO to counter authoritarian manipulation, disinformation."]
    );
}

#[test]
fn esc_cancels_and_restores_the_list_and_selection() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/trump<Enter>");
    let filtered = app.view().to_vec();
    keys(&mut app, "j");
    let selected = app.selected_article();
    keys(&mut app, "/serbia");
    assert_eq!(app.view().len(), 1);
    keys(&mut app, "<Esc>");
    assert!(matches!(app.overlay(), Overlay::None));
    assert_eq!(app.view(), filtered);
    assert_eq!(app.selected_article(), selected);
    assert_eq!(app.filter(), "trump");
}

#[test]
fn the_prompt_edits_with_backspace_ctrl_w_ctrl_u_and_arrows() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/north korea<BS><BS>");
    assert_eq!(app.prompt().text(), "north kor");
    keys(&mut app, "<C-w>");
    assert_eq!(app.prompt().text(), "north ");
    keys(&mut app, "<Left><Left><Left>X<Right>Y");
    assert_eq!(app.prompt().text(), "norXtYh ");
    keys(&mut app, "<C-u>");
    assert_eq!(app.prompt().text(), "h ");
    keys(&mut app, "<End><C-u>");
    assert_eq!(app.prompt().text(), "");
    assert_eq!(app.view().len(), 10, "an empty query lists everything");
}

#[test]
fn up_and_down_recall_earlier_queries_of_the_session() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/nato<Enter>/serbian<Enter>/");
    keys(&mut app, "<Up>");
    assert_eq!(app.prompt().text(), "serbian");
    assert_eq!(app.view().len(), 1, "a recalled query filters too");
    keys(&mut app, "<Up>");
    assert_eq!(app.prompt().text(), "nato");
    keys(&mut app, "<Down><Down>");
    assert_eq!(app.prompt().text(), "");
}

#[test]
fn search_covers_standfirst_body_credits_and_tags() {
    for (query, expected) in [
        ("shehbaz", 6),    // standfirst (and body) of article 6
        ("sooknanan", 1),  // body of article 1
        ("bronskill", 3),  // credits of article 3
        ("waldenberg", 2), // credit of article 2
    ] {
        let mut app = sample_app(120, 40);
        keys(&mut app, &format!("/{query}<Enter>"));
        assert_eq!(app.view(), [expected - 1], "{query}");
    }
}

#[test]
fn smart_case_and_diacritics() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/laura pena<Enter>");
    assert_eq!(app.view(), [0], "pena finds Peña");
    keys(&mut app, "/Laura Pena<Enter>");
    assert_eq!(app.view(), [0], "Pena finds Peña too");
    keys(&mut app, "/LAURA PENA<Enter>");
    assert!(
        app.view().is_empty(),
        "uppercase makes the search case-sensitive"
    );
    keys(&mut app, "/laura peÑa<Enter>");
    assert!(app.view().is_empty());
    keys(&mut app, "/pérez<Enter>");
    assert_eq!(app.view(), [0], "diacritics in the query are ignored too");
}

#[test]
fn words_phrases_tags_and_exclusions() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/orleans chicago<Enter>");
    assert_eq!(app.view(), [3]);
    keys(&mut app, "/chicago orleans<Enter>");
    assert_eq!(app.view(), [3], "any order");
    keys(&mut app, "/\"red state\"<Enter>");
    assert_eq!(app.view(), [3]);
    keys(&mut app, "/\"state red\"<Enter>");
    assert!(app.view().is_empty());
    keys(&mut app, "/#russia<Enter>");
    assert_eq!(
        app.view(),
        [9],
        "only the article tagged Russia, not every mention"
    );
    keys(&mut app, "/putin<Enter>");
    let with_putin = app.view().len();
    keys(&mut app, "/putin -pakistan<Enter>");
    assert_eq!(app.view().len(), with_putin - 1);
    assert!(!app.view().contains(&5));
}

#[test]
fn the_match_count_and_an_empty_result() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>");
    let open = app.open_article();
    keys(&mut app, "/zzzz");
    assert!(app.view().is_empty());
    assert_eq!(app.selected_article(), None);
    assert_eq!(app.open_article(), open, "the reader stays as it was");
    keys(&mut app, "<Enter>j<Enter>nG<Space>");
    assert!(app.view().is_empty());
}

#[test]
fn headline_matches_rank_first() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/trump<Enter>");
    let headline_first: Vec<bool> = app
        .view()
        .iter()
        .map(|&i| {
            app.store()
                .summary(i)
                .unwrap()
                .headline
                .to_lowercase()
                .contains("trump")
        })
        .collect();
    assert_eq!(headline_first[..2], [true, true]);
    assert!(headline_first[2..].iter().all(|h| !h));
    assert!(
        app.view()[2..].windows(2).all(|w| w[0] < w[1]),
        "the rest in corpus order"
    );
}

#[test]
fn opening_a_match_scrolls_to_its_first_match_and_marks_it() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/sooknanan<Enter><Enter>");
    let doc = app.document();
    let article = app.store().article(app.open_article().unwrap()).unwrap();
    let first = doc.all_matches(&article, app.query())[0].clone();
    let line = first.line;
    assert!(line > 20, "the first match is deep in the article");
    assert!(app.reader_scroll() <= line && line < app.reader_scroll() + 5);
    assert_eq!(app.current_match(), Some(&first));
    let shown = doc.lines(&article, app.query(), line..line + 1);
    assert!(shown[0].marks.iter().any(|(_, m)| *m == Mark::Match));
}

#[test]
fn n_and_capital_n_in_the_list_step_through_matches_and_wrap() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/trump<Enter>");
    let count = app.view().len();
    keys(&mut app, "n");
    assert_eq!(app.selected(), 1);
    keys(&mut app, "N N");
    assert_eq!(app.selected(), count - 1, "N wraps to the last match");
    assert_eq!(app.message(), Some("Search wrapped to the last match"));
    keys(&mut app, "n");
    assert_eq!(app.selected(), 0);
}

#[test]
fn n_in_the_reader_goes_through_the_article_then_to_the_next_matching_article() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/trump<Enter>");
    let matching = app.view().to_vec();
    assert!(matching.len() >= 2);
    keys(&mut app, "<Enter>");
    let first = app.open_article();
    let all_matches = |app: &byline::session::Session| {
        let article = app.store().article(app.open_article().unwrap()).unwrap();
        app.document().all_matches(&article, app.query())
    };
    let matches = all_matches(&app);
    assert!(matches.len() > 3);
    assert_eq!(app.current_match(), Some(&matches[0]));
    for expected in &matches[1..] {
        keys(&mut app, "n");
        assert_eq!(app.current_match(), Some(expected));
        let line = expected.line;
        let height = app.panes().reader.unwrap().height as usize;
        assert!(app.reader_scroll() <= line && line < app.reader_scroll() + height);
    }
    keys(&mut app, "n");
    assert_ne!(app.open_article(), first);
    assert_eq!(app.open_article(), Some(matching[1]));
    assert_eq!(app.current_match(), all_matches(&app).first());
    keys(&mut app, "N");
    assert_eq!(
        app.open_article(),
        first,
        "N goes back to the previous article"
    );
    assert_eq!(app.current_match(), matches.last(), "at its last match");
}

#[test]
fn n_without_a_search_says_so() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "n");
    assert_eq!(app.selected(), 0);
    assert_eq!(app.message(), Some("No search: press / to search"));
}

#[test]
fn list_highlights_follow_the_query() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "/nato");
    let headline = selected_headline(&app);
    let ranges = app.query().highlights(headline);
    assert_eq!(
        ranges
            .iter()
            .map(|r| &headline[r.clone()])
            .collect::<Vec<_>>(),
        ["NATO"]
    );
}

#[test]
fn searching_from_the_reader_returns_to_the_filtered_list() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>/serbian<Enter>");
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.view(), [8]);
    assert_eq!(
        app.open_article(),
        Some(0),
        "the reader keeps its article until another opens"
    );
}

/// A search worker for the app's articles (keeping no index on disk), and the answers it posts.
fn worker(app: &byline::session::Session) -> (Worker, Receiver<Answer>) {
    let (sender, answers) = std::sync::mpsc::channel();
    let post = move |a| sender.send(a).is_ok();
    (Worker::keeping(app.shared_store(), None, post), answers)
}

fn answer(answers: &Receiver<Answer>) -> Answer {
    answers
        .recv_timeout(support::pty::TIMEOUT)
        .expect("an answer")
}

/// The newest search request among `commands`.
fn request(commands: Vec<Command>) -> Request {
    let requests = commands.into_iter().filter_map(|c| match c {
        Command::Search(request) => Some(request),
        _ => None,
    });
    requests.last().expect("a search request")
}

#[test]
fn background_searches_keep_the_list_until_the_newest_answer() {
    let mut app = sample_app(120, 40);
    app.search_in_background();
    let (worker, answers) = worker(&app);
    let stale = request(keys(&mut app, "/nat"));
    assert!(app.is_searching());
    assert_eq!(
        app.view().len(),
        10,
        "the old list stays until the answer comes"
    );
    let newest = request(keys(&mut app, "o"));
    assert!(newest.generation > stale.generation);
    worker.send(stale);
    app.update(Msg::Searched(answer(&answers)));
    assert!(app.is_searching(), "an older answer is ignored");
    assert_eq!(app.view().len(), 10);
    worker.send(newest);
    app.update(Msg::Searched(answer(&answers)));
    assert!(!app.is_searching());
    assert_eq!(app.view(), [2]);
    let narrowing = request(keys(&mut app, " "));
    assert_eq!(
        narrowing.candidates.as_deref(),
        Some(&vec![2]),
        "a narrowing query searches the last answer"
    );
    keys(&mut app, "<Esc>");
    assert!(!app.is_searching());
    assert_eq!(app.view().len(), 10, "Esc brings the old list back at once");
}

#[test]
fn a_filter_given_at_start_is_kept_like_a_typed_one() {
    let mut app = sample_app(120, 40);
    app.update(byline::session::Msg::Filter("nato".into()));
    assert_eq!(app.filter(), "nato");
    assert_eq!(app.view(), [2]);
    keys(&mut app, "/<Up>");
    assert_eq!(app.prompt().text(), "nato", "it is in the history");
}

#[test]
fn a_long_search_shows_its_first_screen_of_matches_before_it_ends() {
    // More articles than one step of a search, every one matching in its body.
    let dump: String = (0..20_000)
        .map(|i| format!("Headline {i}\n\nA ceasefire was agreed.\nView 1 times\n"))
        .collect();
    let mut app = app_for(corpus(&dump), 120, 40);
    app.search_in_background();
    let (worker, answers) = worker(&app);
    worker.send(request(keys(&mut app, "/ceasefire")));
    let first = answer(&answers);
    assert!(!first.complete, "the first screen comes first");
    app.update(Msg::Searched(first.clone()));
    assert!(app.is_searching(), "and the search goes on");
    assert!(app.shows_first_matches());
    let found = byline::document::group_thousands(first.matched.len() as u64);
    let shown = format!("searching… {found} so far");
    let status = status_line(&app, 120, 40);
    assert!(status.contains(&shown), "{status}");
    assert_eq!(app.view(), first.matched.as_slice());
    assert!(app.view().len() >= 40, "a screen of matches");
    let whole = answer(&answers);
    assert!(whole.complete);
    assert!(
        whole.matched.starts_with(&first.matched),
        "the first rows stay"
    );
    app.update(Msg::Searched(whole));
    assert!(!app.is_searching());
    assert_eq!(app.view().len(), 20_000);
}
