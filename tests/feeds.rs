//! Feed files as inputs: what `--json` and `--list` make of them, directories of them, the
//! reading pane and its order, and hostile bytes in every field a feed gives.

mod support;

use std::path::Path;
use std::process::Output;

use byline::article::Order;
use byline::loader::{self, Input};
use support::*;

fn byline(args: &[&str]) -> Output {
    run_in(
        &std::env::temp_dir().join("byline-tests-no-such-home"),
        args,
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test input");
    path.to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Coast News</title>
  <item>
    <title>Older story</title>
    <link>https://coast.example/older</link>
    <guid>older</guid>
    <pubDate>Mon, 23 Nov 2026 07:30:00 GMT</pubDate>
    <description>Yesterday.</description>
  </item>
  <item>
    <title>Storm hits the coast</title>
    <link>https://coast.example/storm</link>
    <guid>storm</guid>
    <pubDate>Tue, 24 Nov 2026 07:30:00 GMT</pubDate>
    <dc:creator>Ann Writer</dc:creator>
    <description><![CDATA[<p>Winds <a href="https://coast.example/map">mapped</a>.</p><ul><li>Roads closed</li></ul><blockquote>Stay home.</blockquote>]]></description>
  </item>
</channel>
</rss>"#;

#[test]
fn json_of_a_feed_carries_link_date_and_author_and_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let feed = write(dir.path(), "coast.xml", RSS);
    let first = stdout(&byline(&["--json", &feed]));
    let value: serde_json::Value = serde_json::from_str(&first).unwrap();
    let storm = &value[1];
    assert_eq!(storm["headline"], "Storm hits the coast");
    assert_eq!(storm["link"], "https://coast.example/storm");
    assert_eq!(storm["published"], "2026-11-24T07:30:00Z");
    assert_eq!(storm["author"], "Ann Writer");
    assert_eq!(storm["source"], "Coast News");
    assert_eq!(
        storm["body"],
        serde_json::json!([
            {"type": "paragraph", "text": "Winds mapped[1]."},
            {"type": "item", "text": "Roads closed"},
            {"type": "quote", "text": "Stay home."},
            {"type": "reference", "number": 1, "url": "https://coast.example/map"},
        ])
    );
    assert!(value[0].get("author").is_none(), "absent fields stay out");
    let again = write(dir.path(), "again.json", &first);
    assert_eq!(stdout(&byline(&["--json", &again])), first);
}

#[test]
fn dump_articles_have_no_feed_fields_in_json() {
    let output = stdout(&byline(&["--json"]));
    for field in ["\"link\"", "\"published\"", "\"author\""] {
        assert!(!output.contains(field), "{field} in the sample's JSON");
    }
}

#[test]
fn a_directory_loads_every_kind_of_feed_file_and_tells_json_feed_from_byline_json() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.rss", RSS);
    write(
        dir.path(),
        "b.atom",
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Atomic</title><entry><id>x</id><title>From Atom</title></entry></feed>"#,
    );
    write(
        dir.path(),
        "c.json",
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1", "title": "From JSON Feed"}]}"#,
    );
    write(
        dir.path(),
        "d.json",
        r#"[{"headline": "From byline JSON"}]"#,
    );
    let list = stdout(&byline(&["--list", &dir.path().to_string_lossy()]));
    for headline in [
        "Storm hits the coast",
        "From Atom",
        "From JSON Feed",
        "From byline JSON",
    ] {
        assert!(list.contains(headline), "{headline} missing from {list}");
    }
}

#[test]
fn a_broken_feed_is_one_line_naming_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let feed = write(
        dir.path(),
        "broken.xml",
        "<rss version=\"2.0\">\n<channel>\n<title>x</titel>\n",
    );
    let output = byline(&["--list", &feed]);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(error.contains("broken.xml"), "{error}");
    assert!(error.contains("line 3, column"), "{error}");
}

#[test]
fn feeds_open_newest_first_and_o_cycles_through_every_order() {
    let (_dir, path) = feed_file(RSS);
    let corpus = loader::load(&[Input::Path(path)]);
    let mut app = app_for(corpus, 100, 30);
    assert_eq!(app.order(), Order::Newest);
    assert_eq!(selected_headline(&app), "Storm hits the coast");
    let mut seen = vec![app.order()];
    for _ in 0..4 {
        keys(&mut app, "o");
        seen.push(app.order());
    }
    assert_eq!(
        seen,
        [
            Order::Newest,
            Order::File,
            Order::Views,
            Order::Headline,
            Order::Newest
        ]
    );
    assert_eq!(app.view(), [1, 0], "the newer, second in the file, first");
    keys(&mut app, "o");
    assert_eq!(app.view(), [0, 1], "file order");
}

#[test]
fn a_dump_keeps_file_order_and_o_skips_newest_first() {
    let mut app = sample_app(100, 30);
    assert_eq!(app.order(), Order::File);
    keys(&mut app, "ooo");
    assert_eq!(app.order(), Order::File, "no dates: no newest-first");
}

#[test]
fn the_reader_shows_bullets_quotes_references_author_and_local_date() {
    let (_dir, path) = feed_file(RSS);
    let corpus = loader::load(&[Input::Path(path)]);
    let mut app = app_for(corpus, 100, 30);
    keys(&mut app, "<Enter>");
    let drawn = screen(&app, 100, 30);
    let date = chrono::DateTime::parse_from_rfc3339("2026-11-24T07:30:00Z").unwrap();
    let local = byline::document::local_date(date.to_utc(), &chrono::Local);
    for shown in [
        "Coast News · Ann Writer · ",
        local.as_str(),
        "Winds mapped[1].",
        "• Roads closed",
        "│ Stay home.",
        "[1] https://coast.example/map",
    ] {
        assert!(drawn.contains(shown), "{shown:?} not in\n{drawn}");
    }
}

#[test]
fn a_search_finds_words_in_list_items_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let feed = write(dir.path(), "coast.xml", RSS);
    for word in ["closed", "home"] {
        let list = stdout(&byline(&["--list", "--search", word, &feed]));
        assert!(list.contains("Storm hits the coast"), "{word}: {list}");
        assert!(!list.contains("Older story"), "{word}: {list}");
    }
}

/// A feed with each hostile sequence in its title, an entry's title, HTML text, author, link
/// and a link's target.
fn hostile_feed() -> String {
    let evil = "A\u{1b}[2J B\u{1b}]52;c;cm0gLXJmIH4=\u{7} C\u{9b}31m D\u{202E}E \u{1b}]8;;https://evil.example/\u{1b}\\ F\u{7}";
    let escaped = evil.replace('&', "&amp;");
    format!(
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Feed {escaped}</title><item>\
         <title>Headline {escaped}</title>\
         <link>https://example.org/{escaped}</link>\
         <dc:creator>Author {escaped}</dc:creator>\
         <description><![CDATA[<p>Body {evil} &#x1b;[31m &#x9b;x</p><p><a href=\"https://example.org/{escaped}\">link</a> tail.</p>]]></description>\
         </item></channel></rss>"
    )
}

fn feed_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn assert_clean(output: &[u8], what: &str) {
    for byte in [0x1b_u8, 0x07, 0x9b] {
        assert!(!output.contains(&byte), "{byte:#x} in {what}");
    }
    let text = String::from_utf8_lossy(output);
    assert!(
        !text.contains('\u{9b}') && !text.contains('\u{202E}'),
        "{what}"
    );
}

#[test]
fn hostile_bytes_in_any_feed_field_never_reach_list_json_or_markdown() {
    let (_dir, path) = feed_file(&hostile_feed());
    let path = path.to_string_lossy();
    for flag in ["--list", "--json", "--markdown"] {
        let output = byline(&[flag, &path]);
        assert!(output.status.success(), "{flag}");
        assert_clean(&output.stdout, flag);
        assert_clean(&output.stderr, flag);
    }
    let json: serde_json::Value =
        serde_json::from_slice(&byline(&["--json", &path]).stdout).unwrap();
    let article = &json[0];
    for field in ["headline", "source", "author", "link"] {
        assert!(article[field].is_string(), "{field} is kept, cleaned");
    }
}

#[test]
fn hostile_bytes_in_any_feed_field_never_reach_the_screen() {
    let (_dir, path) = feed_file(&hostile_feed());
    let mut app = app_for(loader::load(&[Input::Path(path)]), 160, 40);
    let list = screen(&app, 160, 40);
    assert!(list.contains("Headline A"), "{list}");
    keys(&mut app, "<Enter>");
    let drawn = screen(&app, 160, 40);
    assert!(drawn.contains("Body A"), "{drawn}");
    assert!(drawn.contains("Author A"), "{drawn}");
    assert!(drawn.contains("[1] https://example.org/"), "{drawn}");
    for shown in [list, drawn] {
        assert_clean(shown.as_bytes(), "the screen");
    }
}

#[test]
fn hostile_bytes_from_a_feed_never_reach_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let path = write(home.path(), "hostile.xml", &hostile_feed());
    let mut session =
        pty::Session::start_full(Some(home.path()), &[&path], &[], 160, 30, "xterm-256color");
    session.wait_for_text("Headline A");
    session.send("\r");
    session.wait_for_text("tail.");
    session.send("q");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
    assert_eq!(
        written.matches("\x1b[2J").count(),
        1,
        "only byline's own clear"
    );
    for sequence in ["\x1b]52", "\x1b]8;;https://evil", "\x07", "\u{9b}"] {
        assert!(
            !written.contains(sequence),
            "{sequence:?} reached the terminal"
        );
    }
    // The only operating system commands are byline's own links, of printable ASCII.
    let mut links = 0;
    for command in written.split("\x1b]").skip(1) {
        let (command, _) = command.split_once("\x1b\\").expect("ended by ST");
        if command == "8;;" {
            continue;
        }
        let link = command.strip_prefix("8;id=").expect("only OSC 8");
        let (_, target) = link.split_once(';').expect("an address");
        assert!(target.bytes().all(|b| b.is_ascii_graphic()), "{target:?}");
        links += usize::from(target.starts_with("https://example.org/A%1B[2J%20B%1B]52"));
    }
    assert!(
        links > 0,
        "the reference and the article's address are linked"
    );
}

/// The lines of a feed article that link somewhere: its address and a reference.
fn linked_feed() -> String {
    "<rss version=\"2.0\"><channel><title>Links</title><item><title>Headline L</title>\
     <link>https://example.org/story</link>\
     <description><![CDATA[<p>See <a href=\"https://example.org/map\">the map</a>.</p>]]></description>\
     </item></channel></rss>"
        .to_owned()
}

/// Everything byline wrote while it opened the feed `text` with `config` and `env`.
fn written_opening(text: &str, config: &str, env: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().unwrap();
    let path = write(home.path(), "links.xml", text);
    let config_dir = home.path().join(".config/byline");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), config).unwrap();
    let mut session =
        pty::Session::start_full(Some(home.path()), &[&path], env, 120, 30, "xterm-256color");
    session.wait_for_text("Headline L");
    session.send("\r");
    session.wait_for_text("[1] https://example.org/map");
    session.send("q");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned()
}

#[test]
fn addresses_are_hyperlinks_on_a_terminal_of_this_machine_and_not_over_ssh_or_when_turned_off() {
    let local = written_opening(&linked_feed(), "", &[]);
    for address in ["https://example.org/map", "https://example.org/story"] {
        let opened = format!(";{address}\x1b\\");
        assert!(local.contains(&opened), "{address} is linked: {local:?}");
    }
    assert_eq!(local.matches("\x1b]8;;\x1b\\").count(), 2, "each closed");
    let ssh = [("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")];
    assert!(!written_opening(&linked_feed(), "", &ssh).contains("\x1b]8"));
    let always = written_opening(&linked_feed(), "hyperlinks = \"always\"\n", &ssh);
    assert!(always.contains("\x1b]8;id="), "always is always");
    let never = written_opening(&linked_feed(), "hyperlinks = \"never\"\n", &[]);
    assert!(!never.contains("\x1b]8"));
}

/// The links of the frame `app` draws at `width`×`height`, each with the text under it.
fn drawn_links(
    app: &byline::session::Session,
    width: u16,
    height: u16,
) -> Vec<(u16, String, String)> {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let mut links = Vec::new();
    let frame = terminal
        .draw(|frame| links = byline::ui::draw_linked(app, &theme(app), frame))
        .unwrap();
    (links.iter())
        .map(|link| {
            let (start, end) = link.columns;
            let text: String = (start..end)
                .map(|x| frame.buffer[(x, link.row)].symbol())
                .collect();
            (link.row, text, link.target().to_owned())
        })
        .collect()
}

#[test]
fn the_article_address_and_each_reference_link_exactly_their_text_unless_a_dialog_covers_it() {
    let (_dir, path) = feed_file(RSS);
    let mut app = app_for(loader::load(&[Input::Path(path)]), 120, 30);
    keys(&mut app, "<Enter>");
    let links = drawn_links(&app, 120, 30);
    let texts: Vec<(&str, &str)> = (links.iter())
        .map(|(_, text, target)| (text.as_str(), target.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("https://coast.example/storm", "https://coast.example/storm"),
            ("https://coast.example/map", "https://coast.example/map"),
        ]
    );
    // Narrow, the addresses wrap: each piece links to the whole address.
    let (_dir, path) = feed_file(RSS);
    let mut narrow_app = app_for(loader::load(&[Input::Path(path)]), 24, 30);
    keys(&mut narrow_app, "<Enter>");
    let narrow = drawn_links(&narrow_app, 24, 30);
    assert!(narrow.len() > 2, "{narrow:?}");
    for (_, text, target) in &narrow {
        assert!(
            target.contains(text.as_str()) && text.len() < target.len(),
            "{narrow:?}"
        );
    }
    // The help covers the reading pane at this size: nothing under it stays linked.
    keys(&mut app, "?");
    assert_eq!(drawn_links(&app, 120, 30), []);
}
