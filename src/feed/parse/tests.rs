use super::*;

const URL: &str = "https://example.org/news/feed.xml";

fn parsed(feed: &str) -> Parsed {
    parse(feed.as_bytes(), URL).unwrap()
}

fn date(rfc3339: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    Some(
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .to_utc(),
    )
}

fn hash(key: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

fn para(text: &str) -> Block {
    Block::Paragraph { text: text.into() }
}

const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example &amp; News</title>
  <link>https://example.org/</link>
  <item>
    <title>Storm hits the coast</title>
    <link>https://example.org/storm</link>
    <guid isPermaLink="false">storm-2026-11-24</guid>
    <pubDate>Tue, 24 Nov 2026 07:30:00 GMT</pubDate>
    <dc:creator>Ann Writer</dc:creator>
    <dc:creator>Bo Reporter</dc:creator>
    <category>Weather</category>
    <category>Coast</category>
    <description><![CDATA[Winds of <b>120 km/h</b> expected.]]></description>
    <content:encoded><![CDATA[<p>The storm <a href="/map">arrived</a> at dawn.</p><ul><li>Roads closed</li></ul>]]></content:encoded>
  </item>
  <item>
    <description><![CDATA[<p>Only a description, which is long enough that a headline made from it has to be cut somewhere after a word.</p>]]></description>
  </item>
  <item><link>https://example.org/empty</link></item>
</channel>
</rss>"#;

#[test]
fn rss_2_items_fill_every_field_and_cdata_html_becomes_blocks() {
    let feed = parsed(RSS2);
    assert_eq!(feed.title.as_deref(), Some("Example & News"));
    assert_eq!(
        feed.articles.len(),
        2,
        "the item with neither title nor text is skipped"
    );
    let storm = &feed.articles[0];
    assert_eq!(storm.headline, "Storm hits the coast");
    assert_eq!(storm.id, hash("storm-2026-11-24"));
    assert_eq!(storm.source.as_deref(), Some("Example & News"));
    assert_eq!(storm.link.as_deref(), Some("https://example.org/storm"));
    assert_eq!(storm.published, date("2026-11-24T07:30:00Z"));
    assert_eq!(storm.author.as_deref(), Some("Ann Writer, Bo Reporter"));
    assert_eq!(storm.tags, ["Weather", "Coast"]);
    assert_eq!(
        storm.standfirst.as_deref(),
        Some("Winds of 120 km/h expected.")
    );
    assert_eq!(
        storm.body,
        [
            para("The storm arrived[1] at dawn."),
            Block::Item {
                text: "Roads closed".into()
            },
            Block::Reference {
                number: 1,
                url: "https://example.org/map".into()
            },
        ]
    );
    let untitled = &feed.articles[1];
    assert_eq!(
        untitled.headline,
        "Only a description, which is long enough that a headline made from it has to be…"
    );
    assert_eq!(untitled.standfirst, None);
    assert_eq!(untitled.body.len(), 1);
}

#[test]
fn rss_1_items_take_dublin_core_dates_and_creators() {
    let feed = parsed(
        r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>RDF Site</title><link>https://example.org/</link></channel>
  <item rdf:about="https://example.org/one">
    <title>One</title>
    <link>https://example.org/one</link>
    <description>First &lt;em&gt;item&lt;/em&gt;.</description>
    <dc:date>2026-11-20T10:00:00+01:00</dc:date>
    <dc:creator>Cy Author</dc:creator>
  </item>
</rdf:RDF>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("RDF Site"));
    let one = &feed.articles[0];
    assert_eq!(one.headline, "One");
    assert_eq!(one.link.as_deref(), Some("https://example.org/one"));
    assert_eq!(one.published, date("2026-11-20T09:00:00Z"));
    assert_eq!(one.author.as_deref(), Some("Cy Author"));
    assert_eq!(one.body, [para("First item.")]);
}

#[test]
fn rss_0_91_items_are_read() {
    let feed = parsed(
        r#"<rss version="0.91"><channel><title>Old</title><item><title>Classic</title><link>https://example.org/classic</link><description>Plain words.</description></item></channel></rss>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Old"));
    let classic = &feed.articles[0];
    assert_eq!(classic.headline, "Classic");
    assert_eq!(classic.link.as_deref(), Some("https://example.org/classic"));
    assert_eq!(
        classic.id,
        hash("https://example.org/classic"),
        "no guid: the link"
    );
    assert_eq!(classic.body, [para("Plain words.")]);
}

#[test]
fn an_rss_author_written_as_an_address_and_a_name_is_the_name() {
    let feed = parsed(
        r#"<rss version="2.0"><channel><title>T</title><item><title>A</title><guid>a</guid><author>ann@example.org (Ann Writer)</author></item><item><title>B</title><guid>b</guid><author>bo@example.org</author></item></channel></rss>"#,
    );
    assert_eq!(feed.articles[0].author.as_deref(), Some("Ann Writer"));
    assert_eq!(feed.articles[1].author.as_deref(), Some("bo@example.org"));
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/">
  <title type="html">A &lt;i&gt;blog&lt;/i&gt;</title>
  <id>urn:uuid:feed</id>
  <author><name>Feed Author</name></author>
  <entry xml:base="posts/">
    <title>Relative</title>
    <id>tag:blog.example,2026:1</id>
    <link rel="alternate" href="first.html"/>
    <link rel="enclosure" href="https://cdn.example/a.mp3"/>
    <updated>2026-11-23T08:00:00Z</updated>
    <category term="rust" label="Rust"/>
    <summary>Short.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><h2>Part</h2><p>See <a href="../about.html">about</a> and <img src="x.png" alt="a chart"/>.</p><blockquote><p>Quoted</p></blockquote><pre>  indented
line</pre></div></content>
  </entry>
</feed>"#;

#[test]
fn a_file_without_xml_base_resolves_relative_links_against_its_site() {
    let rss = r#"<rss version="2.0"><channel><title>Local</title>
      <link>https://site.example/blog/</link>
      <item><title>One</title><link>posts/1.html</link>
        <description><![CDATA[<p><a href="/about">About</a> and <a href="next.html">next</a>.</p>]]></description>
      </item></channel></rss>"#;
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Local</title><id>f</id>
      <link rel="self" href="https://elsewhere.example/feed.xml"/>
      <link href="https://site.example/blog/"/>
      <entry><title>One</title><id>e</id><link href="posts/1.html"/>
        <content type="html">&lt;a href="next.html"&gt;next&lt;/a&gt;</content></entry></feed>"#;
    for (feed, references) in [(rss, 2), (atom, 1)] {
        let parsed = parse(feed.as_bytes(), "/home/reader/feeds/local.xml").unwrap();
        let entry = &parsed.articles[0];
        assert_eq!(
            entry.link.as_deref(),
            Some("https://site.example/blog/posts/1.html")
        );
        let urls: Vec<&str> = (entry.body.iter())
            .filter_map(|block| match block {
                Block::Reference { url, .. } => Some(url.as_str()),
                _ => None,
            })
            .collect();
        let expected = [
            "https://site.example/blog/next.html",
            "https://site.example/about",
        ];
        assert_eq!(urls.len(), references, "{urls:?}");
        assert!(urls.iter().all(|url| expected.contains(url)), "{urls:?}");
    }
}

#[test]
fn atom_xhtml_content_and_xml_base_resolve_relative_links() {
    let feed = parsed(ATOM);
    assert_eq!(feed.title.as_deref(), Some("A blog"));
    let entry = &feed.articles[0];
    assert_eq!(entry.id, hash("tag:blog.example,2026:1"));
    assert_eq!(
        entry.link.as_deref(),
        Some("https://blog.example/posts/first.html")
    );
    assert_eq!(
        entry.published,
        date("2026-11-23T08:00:00Z"),
        "updated stands in"
    );
    assert_eq!(
        entry.author.as_deref(),
        Some("Feed Author"),
        "the feed's author"
    );
    assert_eq!(entry.tags, ["Rust"]);
    assert_eq!(entry.standfirst.as_deref(), Some("Short."));
    assert_eq!(
        entry.body,
        [
            Block::Heading {
                text: "Part".into()
            },
            para("See about[1] and [image: a chart]."),
            Block::Quote {
                text: "Quoted".into()
            },
            Block::Pre {
                text: "  indented".into()
            },
            Block::Pre {
                text: "line".into()
            },
            Block::Reference {
                number: 1,
                url: "https://blog.example/about.html".into()
            },
        ]
    );
}

#[test]
fn json_feed_1_1_items_fill_every_field() {
    let feed = parsed(
        r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON Times",
  "items": [
    {
      "id": "42",
      "url": "https://json.example/42",
      "title": "Answer",
      "summary": "The short of it.",
      "content_html": "<p>Long <strong>answer</strong>.</p>",
      "date_published": "2026-11-24T07:30:00Z",
      "authors": [{"name": "Dee"}, {"name": "Eve"}],
      "tags": ["life", "universe"]
    },
    {"id": "43", "content_text": "Plain first.\n\nPlain second."}
  ]
}"#,
    );
    assert_eq!(feed.title.as_deref(), Some("JSON Times"));
    let answer = &feed.articles[0];
    assert_eq!(answer.id, hash("42"));
    assert_eq!(answer.headline, "Answer");
    assert_eq!(answer.link.as_deref(), Some("https://json.example/42"));
    assert_eq!(answer.standfirst.as_deref(), Some("The short of it."));
    assert_eq!(answer.body, [para("Long answer.")]);
    assert_eq!(answer.published, date("2026-11-24T07:30:00Z"));
    assert_eq!(answer.author.as_deref(), Some("Dee, Eve"));
    assert_eq!(answer.tags, ["life", "universe"]);
    let plain = &feed.articles[1];
    assert_eq!(
        plain.headline, "Plain first.",
        "no title or summary: the first text"
    );
    assert_eq!(plain.body, [para("Plain first."), para("Plain second.")]);
}

#[test]
fn ids_are_the_same_on_every_parse_even_for_entries_without_one() {
    let feed = r#"<rss version="2.0"><channel><title>T</title>
        <item><title>Linked</title><link>https://example.org/l</link></item>
        <item><title>Only a title</title></item>
    </channel></rss>"#;
    let first = parsed(feed);
    let second = parsed(feed);
    assert_eq!(first, second);
    assert_eq!(first.articles[0].id, hash("https://example.org/l"));
    assert_eq!(first.articles[1].id, hash("Only a title"));
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>No id</title></entry></feed>"#;
    assert_eq!(parsed(atom).articles[0].id, hash("No id"));
    assert_eq!(parsed(atom), parsed(atom));
}

#[test]
fn errors_are_one_line_with_line_and_column() {
    let cases: [(&[u8], &str); 3] = [
        (
            b"<rss version=\"2.0\">\n<channel>\n<title>x</titel>",
            "parse error at line 3, column",
        ),
        (
            b"{\"version\": \"https://jsonfeed.org/version/1\",\n \"items\": [}",
            "parse error at line 2, column",
        ),
        (b"<html><body>Not a feed</body></html>", "not a feed"),
    ];
    for (input, start) in cases {
        let error = parse(input, URL).unwrap_err();
        assert!(error.starts_with(start), "{error}");
        assert!(!error.contains('\n') && !error.contains(URL), "{error}");
    }
}

#[test]
fn feeds_are_told_by_content() {
    assert!(is_feed(RSS2.as_bytes()));
    assert!(is_feed(ATOM.as_bytes()));
    assert!(is_feed(
        b"\xEF\xBB\xBF\n<rdf:RDF xmlns:rdf=\"x\"></rdf:RDF>"
    ));
    assert!(is_feed(
        br#"{"title": "x", "version" : "https://jsonfeed.org/version/1.1", "items": []}"#
    ));
    assert!(!is_feed(br#"{"headline": "byline's own JSON"}"#));
    assert!(!is_feed(
        br#"[{"headline": "x", "version": "https://jsonfeed.org/version/1"}]"#
    ));
    assert!(!is_feed(b"<opml version=\"2.0\"><body/></opml>"));
    assert!(!is_feed(b"<html><body>Page</body></html>"));
    assert!(!is_feed(b"[Video] A headline\n\nBody with <rss> in it."));
}

#[test]
fn no_control_or_bidi_character_from_a_feed_survives() {
    let feed = "<rss version=\"2.0\"><channel><title>Evil\u{1b}]52;c;aGk=\u{7}</title><item>\
        <title>T\u{9b}31m\u{202E}x</title>\
        <link>https://example.org/\u{1b}[2J</link>\
        <dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">A\u{1b}[31m</dc:creator>\
        <description><![CDATA[<p>Body \u{1b}[2J &#x1b;]52;c;x&#7; \u{2066}y</p><a href=\"https://a.example/\u{1b}\">l</a>]]></description>\
        </item></channel></rss>";
    let parsed = parse(feed.as_bytes(), URL).unwrap();
    let article = &parsed.articles[0];
    let mut texts: Vec<&str> = article.texts().collect();
    texts.extend(parsed.title.as_deref());
    texts.extend(article.source.as_deref());
    texts.extend(article.author.as_deref());
    texts.extend(article.link.as_deref());
    assert!(texts.len() >= 6, "{texts:?}");
    for text in texts {
        assert!(crate::text::is_clean_line(text), "{text:?}");
        assert!(!text.chars().any(crate::text::is_unsafe), "{text:?}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn all_clean(parsed: &Parsed) -> bool {
        let clean = |t: &str| !t.contains('\n') && !t.chars().any(crate::text::is_unsafe);
        parsed.title.as_deref().is_none_or(clean)
            && parsed.articles.iter().all(|a| {
                a.texts().all(clean)
                    && [&a.source, &a.author, &a.link]
                        .iter()
                        .all(|t| t.as_deref().is_none_or(clean))
                    && a.tags.iter().all(|t| clean(t))
                    && !a.headline.is_empty()
            })
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(parsed) = parse(&bytes, URL) {
                prop_assert!(all_clean(&parsed));
            }
            let _ = is_feed(&bytes);
        }

        #[test]
        fn feeds_with_arbitrary_text_give_only_clean_single_lines(
            title in "\\PC{0,20}", html in "[<>/a-z\"= \\x00-\\x1f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}&#;x0-9]{0,80}",
        ) {
            let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            let feed = format!(
                "<rss version=\"2.0\"><channel><title>{}</title><item><title>{}</title><description>{}</description></item></channel></rss>",
                escape(&title), escape(&title), escape(&html)
            );
            if let Ok(parsed) = parse(feed.as_bytes(), URL) {
                prop_assert!(all_clean(&parsed));
            }
        }
    }
}
