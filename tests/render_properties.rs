//! Properties of drawing: nothing outside the screen or wider than its pane, at any size.

mod support;

use byline::article::{Article, Block};
use byline::session::Msg;
use byline::store::Corpus;
use proptest::prelude::*;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use support::*;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z]{1,12}",
            Just("漢字".to_owned()),
            Just("🎉".to_owned()),
            Just("👩‍👩‍👧".to_owned()),
            Just("Peña".to_owned()),
            "[a-z]{30,60}",
        ],
        1..30,
    )
    .prop_map(|words| words.join(" "))
}

fn article() -> impl Strategy<Value = Article> {
    (
        text(),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..6),
        prop::collection::vec(text(), 0..2),
    )
        .prop_map(|(headline, standfirst, paragraphs, credits)| {
            let body: Vec<Block> = paragraphs
                .into_iter()
                .map(|text| Block::Paragraph { text })
                .collect();
            Article {
                id: Article::compute_id(&headline, &body),
                headline,
                standfirst,
                body,
                credits,
                source: None,
                tags: vec!["漢字".into()],
                views: Some(1234),
                link: None,
                published: None,
                author: None,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn nothing_is_drawn_outside_the_screen_and_reader_lines_fit_their_pane(
        articles in prop::collection::vec(article(), 1..4),
        width in 0u16..140,
        height in 0u16..45,
        typed in prop::sample::select(vec!["", "<Enter>", "<Enter>jjG", "<Space>/漢<Enter>", "?", "/a"]),
    ) {
        let mut app = app_for(Corpus::from_articles(articles), width, height);
        keys(&mut app, typed);
        // Draw into the corner of a larger buffer filled with a sentinel.
        let sentinel = Cell::new("×");
        let mut buf = Buffer::filled(Rect::new(0, 0, width + 8, height + 8), sentinel.clone());
        let area = Rect::new(0, 0, width, height);
        buf.set_style(area, ratatui::style::Style::reset());
        let theme = support::theme(&app);
        let view = byline::ui::View {
            session: &app,
            theme: &theme,
        };
        view.render(area, &mut buf);
        for y in 0..height + 8 {
            for x in 0..width + 8 {
                if !area.contains((x, y).into()) {
                    prop_assert_eq!(&buf[(x, y)], &sentinel, "drawn outside at {},{}", x, y);
                }
            }
        }
        let text_width = app.text_width();
        if let Some(reader) = app.panes().reader {
            prop_assert!(text_width < usize::from(reader.width).max(2));
        }
        let doc = app.document();
        let open = app.open_article().and_then(|open| app.store().article(open));
        let lines = open.as_ref().map_or(Vec::new(), |article| doc.lines(article, app.query(), 0..doc.line_count()));
        for line in &lines {
            // A lone character wider than a one-column pane cannot be made to fit.
            let single_wide_char = line.text.chars().filter(|c| c.width().unwrap_or(0) > 0).count() == 1;
            prop_assert!(line.text.width() <= text_width || single_wide_char, "{:?} wider than {}", line.text, text_width);
        }
    }

    #[test]
    fn random_keys_keep_the_selection_in_bounds(
        typed in prop::collection::vec(prop::sample::select(vec![
            "j", "k", "G", "g", "<Enter>", "<Esc>", "<Space>", "J", "K", "n", "N", "/", "a", "<BS>",
            "<C-d>", "<C-u>", "<PgDn>", "<PgUp>", "<Tab>", "q", "?", "b", "x",
        ]), 0..60),
        width in 1u16..130,
        height in 1u16..40,
    ) {
        let mut app = sample_app(width, height);
        for key in typed {
            keys(&mut app, key);
            prop_assert!(app.view().is_empty() || app.selected() < app.view().len());
            prop_assert!(app.reader_scroll() <= app.document().line_count());
            if app.should_quit() {
                break;
            }
        }
        app.update(Msg::Resize { width: 3, height: 2 });
        prop_assert!(app.view().is_empty() || app.selected() < app.view().len());
    }
}
