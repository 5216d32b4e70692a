//! The meta line under the headline: source, author, date, views, tags, length, reading time.

use chrono::{DateTime, TimeZone, Utc};
use unicode_width::UnicodeWidthStr;

use crate::article::Article;

/// The separator of the meta line's parts.
const META_SEPARATOR: &str = " · ";

/// Source, views, tags, length and reading time, joined by ` · `: the line under the headline.
pub fn meta_line(article: &Article) -> String {
    meta_parts(article).join(META_SEPARATOR)
}

/// Where the meta line's display lines start at `width`: after a `·`, never inside a part such
/// as "3 min read". `None` when a part alone is wider than the width.
pub(super) fn meta_line_starts(article: &Article, width: usize) -> Option<Vec<usize>> {
    let parts = meta_parts(article);
    // A line that does not end the meta line ends in the separator's ` ·`.
    let dot = META_SEPARATOR.trim_end().width();
    let (mut starts, mut start, mut used) = (vec![0], 0, 0);
    for (index, part) in parts.iter().enumerate() {
        let tail = if index + 1 < parts.len() { dot } else { 0 };
        if part.width() + tail > width {
            return None;
        }
        if used > 0 && used + META_SEPARATOR.width() + part.width() + tail > width {
            starts.push(start);
            used = 0;
        }
        if used > 0 {
            used += META_SEPARATOR.width();
        }
        used += part.width();
        start += part.len() + META_SEPARATOR.len();
    }
    Some(starts)
}

/// The meta line's parts. A tag that names the source is left out: it would say it twice.
fn meta_parts(article: &Article) -> Vec<String> {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let mut parts = Vec::new();
    if let Some(source) = &article.source {
        parts.push(source.clone());
    }
    if let Some(author) = &article.author {
        parts.push(author.clone());
    }
    if let Some(published) = article.published {
        parts.push(local_date(published, &chrono::Local));
    }
    if let Some(views) = article.views {
        parts.push(format!("{} view{}", group_thousands(views), plural(views)));
    }
    let is_source = |tag: &str| {
        article
            .source
            .as_deref()
            .is_some_and(|source| source.eq_ignore_ascii_case(tag))
    };
    let tags: Vec<&str> = (article.tags.iter())
        .map(String::as_str)
        .filter(|tag| !is_source(tag))
        .collect();
    if !tags.is_empty() {
        parts.push(tags.join(", "));
    }
    let words = article.word_count() as u64;
    parts.push(format!("{} word{}", group_thousands(words), plural(words)));
    parts.push(format!("{} min read", article.reading_minutes()));
    parts
}

/// `1204` → `1,204`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A date as the meta line shows it in `zone` (the reader's own): `24 Nov 2026 08:30`.
pub fn local_date<Z: TimeZone>(date: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    date.with_timezone(zone)
        .format("%-d %b %Y %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_shown_in_the_given_zone_to_the_minute() {
        let date = DateTime::parse_from_rfc3339("2026-11-24T07:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let berlin = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(local_date(date, &berlin), "24 Nov 2026 08:30");
        assert_eq!(local_date(date, &Utc), "24 Nov 2026 07:30");
    }
}
