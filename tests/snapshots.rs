//! Rendered screens at several sizes, compared with reviewed snapshots in `tests/snapshots/`.

mod support;

use byline::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (50, 15), (20, 5)];

/// A CJK and emoji article, with a tag, to check wide characters.
const WIDE: &str = "東京で夏祭り🎉が開かれた、#東京 の人々が集まる\n\
花火と屋台の写真📸\n\n\
夏祭りは毎年七月に開かれ、今年は十万人以上が訪れた。会場では花火🎆が打ち上げられ、子どもたちは金魚すくいを楽しんだ。\n\n\
Mixed text: emoji 👩‍👩‍👧 family, flags 🇯🇵, and a long word Donaudampfschifffahrtsgesellschaftskapitän.\n\
View 1,204 times\n";

/// Snapshots the app after `keys` at every size, as `<name>_<width>x<height>`.
fn snapshot_all(name: &str, corpus: fn() -> byline::store::Corpus, keys_typed: &str) {
    for (width, height) in SIZES {
        let mut app = app_for(corpus(), width, height);
        keys(&mut app, keys_typed);
        insta::assert_snapshot!(
            format!("{name}_{width}x{height}"),
            screen(&app, width, height)
        );
    }
}

fn sample() -> byline::store::Corpus {
    byline::loader::load(&[byline::loader::Input::Sample])
}

fn wide() -> byline::store::Corpus {
    corpus(WIDE)
}

#[test]
fn list() {
    snapshot_all("list", sample, "jj");
}

#[test]
fn reader() {
    snapshot_all("reader", sample, "j<Enter>jj");
}

#[test]
fn help_overlay() {
    snapshot_all("help", sample, "?");
}

#[test]
fn search_with_matches() {
    snapshot_all("search_typing", sample, "/trump");
    snapshot_all("search_open", sample, "/trump<Enter><Enter>");
}

#[test]
fn wide_characters() {
    snapshot_all("wide", wide, "<Enter>");
}

#[test]
fn empty_result() {
    snapshot_all("empty_result", sample, "<Space>/zzyzx<Enter>");
}

#[test]
fn search_highlight_styles() {
    let mut app = sample_app(60, 16);
    keys(&mut app, "/nato<Enter><Enter>");
    let mut terminal = Terminal::new(TestBackend::new(60, 16)).unwrap();
    terminal
        .draw(|frame| ui::draw(&app, &support::theme(&app), frame))
        .unwrap();
    insta::assert_debug_snapshot!("search_styles_60x16", terminal.backend().buffer());
}

#[test]
fn no_color_keeps_reverse_and_bold_but_no_colours() {
    let options = byline::session::Options {
        color: false,
        ..Default::default()
    };
    let mut app = app_with(sample(), options, Default::default(), 80, 24);
    keys(&mut app, "/nato<Enter><Space>");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| ui::draw(&app, &support::theme(&app), frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    use ratatui::style::{Color, Modifier};
    for cell in buffer.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    assert!(
        buffer[(5, 0)].modifier.contains(Modifier::REVERSED),
        "the selected row stays visible"
    );
    let has = |m: Modifier| buffer.content().iter().any(|c| c.modifier.contains(m));
    assert!(has(Modifier::BOLD));
}

/// A feed article with every kind of block HTML gives (and no date: the meta line's date is
/// in the local time zone of whoever runs the tests).
const FEED: &str = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Coast News</title>
<item><title>Storm hits the coast</title><link>https://coast.example/storm</link><dc:creator>Ann Writer</dc:creator>
<description><![CDATA[<p>Winds of 120 km/h reached the <a href="https://coast.example/map">northern beaches</a> at dawn, and the ferry was cancelled.</p>
<h2>What is closed</h2><ul><li>The coast road between the two harbours, until the water goes down</li><li>Schools</li></ul>
<blockquote><p>Stay at home unless you have to travel, and keep away from the sea front.</p></blockquote>
<pre>  level  time
  4.2 m  06:10</pre><p>Photo: <img src="a.jpg" alt="waves on the pier"> (<a href="/photos">more</a>)</p>]]></description></item>
</channel></rss>"#;

fn feed() -> byline::store::Corpus {
    let bytes = byline::store::Bytes::Read(FEED.as_bytes().to_vec());
    let loaded = byline::loader::parse_kept("https://coast.example/feed.xml", bytes, None, None);
    byline::store::Corpus {
        store: loaded.expect("the feed parses").store,
        problems: Vec::new(),
    }
}

#[test]
fn feed_reader() {
    snapshot_all("feed_reader", feed, "<Enter>");
}
