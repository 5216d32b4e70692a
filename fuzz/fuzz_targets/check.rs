//! The properties every loaded article must have, shared by the loader targets.

use byline::article::Article;
use byline::loader::json;
use byline::text::is_unsafe;

/// Every text is one line free of control characters, every headline has text, and the
/// articles survive a trip through JSON unchanged.
pub fn articles(articles: &[Article]) {
    for article in articles {
        assert!(!article.headline.trim().is_empty(), "empty headline");
        let texts = article.texts().chain(article.tags.iter().map(String::as_str));
        for text in texts.chain(article.source.as_deref()) {
            assert!(!text.chars().any(|c| is_unsafe(c) || c == '\n'), "unsafe text {text:?}");
        }
    }
    let mut out = Vec::new();
    json::write(articles, &mut out).expect("writing to memory");
    let text = String::from_utf8(out).expect("JSON is UTF-8");
    assert_eq!(json::parse(&text).expect("our JSON loads"), articles, "JSON round trip");
}
