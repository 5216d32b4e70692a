//! Feed XML that behaves like news, from the dump generator's articles: RSS 2.0 with CDATA
//! HTML and Atom with escaped HTML, 50 items a feed, paragraphs, links, emphasis and
//! subheadings. The same seed gives the same bytes. Shared by the parsing and fetching
//! benchmarks.

#![allow(dead_code)]

use super::generate;

/// Items in each generated feed, as a news site's feed has.
pub const ITEMS: usize = 50;

/// `count` feeds, every other one Atom.
pub fn feeds(count: usize, seed: u64) -> Vec<String> {
    (0..count).map(|f| feed(f, seed)).collect()
}

/// Feed `index` of the set made from `seed`: RSS for even ones, Atom for odd ones.
pub fn feed(index: usize, seed: u64) -> String {
    let seed = seed.wrapping_mul(1_000_003).wrapping_add(index as u64);
    match index % 2 {
        0 => rss(seed),
        _ => atom(seed),
    }
}

/// One item's headline and its body as HTML, from a generated dump article.
fn item(seed: u64) -> (String, String) {
    let article = generate::one_article(seed);
    let mut parts = article.split("\n\n").filter(|p| !p.trim().is_empty());
    let headline = parts.next().unwrap_or("Untitled").trim().to_owned();
    let mut html = String::new();
    for (i, paragraph) in parts.enumerate() {
        let paragraph = escape(paragraph.trim());
        if paragraph.starts_with("View ") {
            continue;
        }
        // Every third paragraph has a link, every fifth is a subheading if short.
        match (i % 3, i % 5) {
            (_, 4) if paragraph.len() < 80 => html.push_str(&format!("<h2>{paragraph}</h2>\n")),
            (0, _) => {
                let (first, rest) = paragraph.split_once(' ').unwrap_or((&paragraph, ""));
                html.push_str(&format!(
                    "<p><a href=\"/story/{seed}/{i}?ref=feed&amp;x=1\">{first}</a> {rest}</p>\n"
                ));
            }
            _ => html.push_str(&format!("<p>{paragraph} <em>said</em> officials.</p>\n")),
        }
    }
    (headline, html)
}

fn rss(seed: u64) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n<title>Daily {seed}</title>\n<link>https://news{seed}.example/</link>\n<description>News</description>\n"
    );
    for i in 0..ITEMS as u64 {
        let (headline, html) = item(seed * 100 + i);
        let summary = html.lines().next().unwrap_or("");
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>https://news{seed}.example/{i}</link>\n<guid isPermaLink=\"false\">{seed}-{i}</guid>\n<pubDate>Tue, 24 Nov 2026 {:02}:{:02}:00 GMT</pubDate>\n<dc:creator>Reporter {i}</dc:creator>\n<category>World</category>\n<description><![CDATA[{summary}]]></description>\n<content:encoded><![CDATA[{html}]]></content:encoded>\n</item>\n",
            escape(&headline),
            i % 24,
            i % 60
        ));
    }
    out + "</channel>\n</rss>\n"
}

fn atom(seed: u64) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://blog{seed}.example/\">\n<title>Blog {seed}</title>\n<id>urn:feed:{seed}</id>\n<updated>2026-11-24T07:30:00Z</updated>\n"
    );
    for i in 0..ITEMS as u64 {
        let (headline, html) = item(seed * 100 + i);
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>urn:entry:{seed}:{i}</id>\n<link rel=\"alternate\" href=\"posts/{i}.html\"/>\n<updated>2026-11-24T{:02}:{:02}:00Z</updated>\n<author><name>Writer {i}</name></author>\n<content type=\"html\">{}</content>\n</entry>\n",
            escape(&headline),
            i % 24,
            i % 60,
            escape(&html)
        ));
    }
    out + "</feed>\n"
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
