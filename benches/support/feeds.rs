//! Deterministic RSS feeds for the fetching benchmarks: the same seed gives the same bytes.
//! Each item is one of the generator's news-like articles: its headline as the title, its
//! opening paragraphs (as a feed's summary is) as the description, with a link, a guid, an
//! author and a date.

#![allow(dead_code)]

use super::generate;

/// The first paragraphs of an item kept as its description, at most about this many bytes.
const SUMMARY_BYTES: usize = 1200;

/// Feed `index` of a set made from `seed`, with `items` items, as RSS 2.0.
pub fn rss(index: usize, items: usize, seed: u64) -> String {
    let mut out = String::with_capacity(items * 1600);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" ");
    out.push_str("xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    out.push_str(&format!("<title>Feed {index}</title>\n"));
    out.push_str(&format!("<link>https://news{index}.example/</link>\n"));
    out.push_str("<description>News as it happens</description>\n");
    for item in 0..items {
        let article = generate::one_article(seed ^ ((index as u64) << 20) ^ item as u64);
        let mut lines = article.lines().filter(|line| !line.trim().is_empty());
        let title = lines.next().unwrap_or("Untitled");
        let mut summary = String::new();
        for line in lines.by_ref() {
            if summary.len() >= SUMMARY_BYTES || line.starts_with("View ") {
                break;
            }
            summary.push_str("<p>");
            summary.push_str(line);
            summary.push_str("</p>");
        }
        // One day in minutes: 24 * 60 items a day at most.
        let minute = (index * 7 + item * 13) % 1440;
        out.push_str("<item>\n");
        out.push_str(&format!("<title>{}</title>\n", escape(title)));
        out.push_str(&format!(
            "<link>https://news{index}.example/{item}</link>\n"
        ));
        out.push_str(&format!("<guid>news{index}-{item}</guid>\n"));
        out.push_str(&format!(
            "<dc:creator>Reporter {}</dc:creator>\n",
            item % 17
        ));
        out.push_str(&format!(
            "<pubDate>Mon, 07 Dec 2026 {:02}:{:02}:00 +0000</pubDate>\n",
            minute / 60,
            minute % 60
        ));
        out.push_str(&format!(
            "<description>{}</description>\n",
            escape(&summary)
        ));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// `text` with XML's special characters escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
