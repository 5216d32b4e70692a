//! A feed document (RSS 0.9x, 1.0 and 2.0, Atom, JSON Feed 1.0 and 1.1) into articles, with
//! feed-rs. Every text is cleaned; each article's id comes from the entry's own id (or link,
//! or title), so that fetching the feed again keeps what was read.

use feed_rs::model::{Entry, Feed, Text};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use url::Url;

use super::html;
use crate::article::{Article, Block};
use crate::text::clean_line;

/// A feed's title and its entries as articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub title: Option<String>,
    pub articles: Vec<Article>,
}

/// Parses a feed. `url` is where the feed came from (its base for relative links; a file's
/// path for a file). The error is one line, with the line and column where it has them, and
/// no URL (the caller names the feed).
pub fn parse(bytes: &[u8], url: &str) -> Result<Parsed, String> {
    let base = Url::parse(url).ok().filter(|u| !u.cannot_be_a_base());
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.as_ref().map(Url::as_str))
        // feed-rs makes up an id (a random one at worst) for an entry without: made here instead.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser.parse(bytes).map_err(|e| describe(&e, bytes))?;
    // feed-rs resolves links with the root's `xml:base` but does not say what it was.
    let root_base = super::xml_root_base(super::document_start(bytes));
    let base = match (base, root_base) {
        (Some(base), Some(root)) => base.join(&root).ok().or(Some(base)),
        (None, Some(root)) => Url::parse(&root).ok(),
        (base, None) => base,
    };
    // A file without `xml:base` has no address of its own: its site's stands in.
    let base = base.or_else(|| site(&feed));
    let title = feed.title.as_ref().map(plain).filter(|t| !t.is_empty());
    let articles = (feed.entries.iter())
        .filter_map(|entry| article(entry, &feed, title.as_deref(), base.as_ref()))
        .collect();
    Ok(Parsed { title, articles })
}

/// One entry as an article, or `None` when it has neither title nor text to show.
fn article(
    entry: &Entry,
    feed: &Feed,
    source: Option<&str>,
    base: Option<&Url>,
) -> Option<Article> {
    let base = entry_base(entry, base);
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(match is_plain(c.content_type.subty() == "plain", body) {
            true => plain_blocks(body),
            false => html::to_blocks(body, base.as_ref()),
        })
    });
    let content = content.filter(|blocks| !blocks.is_empty());
    let summary_text = entry.summary.as_ref().map(plain).filter(|s| !s.is_empty());
    let (standfirst, body) = match content {
        Some(body) => (summary_text.clone(), body),
        None => (
            None,
            entry
                .summary
                .as_ref()
                .map_or_else(Vec::new, |s| blocks(s, base.as_ref())),
        ),
    };
    let headline = entry.title.as_ref().map(plain).filter(|t| !t.is_empty());
    let first_text = || body.iter().find_map(Block::text).map(headline_from);
    let headline = headline
        .or_else(|| summary_text.as_deref().map(headline_from))
        .or_else(first_text)?;
    let link = entry_link(entry, base.as_ref());
    let author = authors(entry, feed);
    let tags = (entry.categories.iter())
        .map(|c| clean_line(c.label.as_deref().unwrap_or(&c.term)))
        .filter(|t| !t.is_empty())
        .collect();
    let id = article_id(entry, link.as_deref(), &headline);
    Some(Article {
        id,
        headline,
        standfirst,
        body,
        credits: Vec::new(),
        source: source.map(str::to_owned),
        tags,
        views: None,
        link,
        published: entry.published.or(entry.updated),
        author,
    })
}

/// The id of an entry: 16 hex digits of the XXH3 hash of its guid or id, or else of its link,
/// or else of its headline. Never random: the same entry has the same id on every fetch.
fn article_id(entry: &Entry, link: Option<&str>, headline: &str) -> String {
    let key = Some(entry.id.trim())
        .filter(|id| !id.is_empty())
        .or(link)
        .unwrap_or(headline);
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The entry's `xml:base` resolved against the feed's base (the base its content's relative
/// links are resolved against).
fn entry_base(entry: &Entry, base: Option<&Url>) -> Option<Url> {
    let Some(own) = entry.base.as_deref() else {
        return base.cloned();
    };
    match base {
        Some(base) => base.join(own).ok(),
        None => Url::parse(own).ok(),
    }
    .or_else(|| base.cloned())
}

/// The entry's page on the web: its `alternate` link (or the first without a `rel`), made
/// absolute against `base`.
fn entry_link(entry: &Entry, base: Option<&Url>) -> Option<String> {
    let link = (entry.links.iter())
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or(entry.links.first())?;
    let href = link.href.trim();
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    Some(clean_line(url.as_str())).filter(|l| !l.is_empty())
}

/// The feed's site: its `alternate` link (or one without a `rel`), if that is an absolute web
/// address.
fn site(feed: &Feed) -> Option<Url> {
    (feed.links.iter())
        .filter(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .filter_map(|l| Url::parse(l.href.trim()).ok())
        .find(|url| matches!(url.scheme(), "http" | "https"))
}

/// The entry's authors' names (or else the feed's), joined by `, `.
fn authors(entry: &Entry, feed: &Feed) -> Option<String> {
    let people = match entry.authors.is_empty() {
        true => &feed.authors,
        false => &entry.authors,
    };
    let names: Vec<String> = (people.iter())
        .filter_map(|p| p.name.as_deref().or(p.email.as_deref()))
        // RSS writes `ann@example.org (Ann Writer)`, which comes as the name `(Ann Writer)`.
        .map(|name| {
            let name = name.trim();
            let bare = name.strip_prefix('(').and_then(|n| n.strip_suffix(')'));
            clean_line(bare.unwrap_or(name))
        })
        .filter(|n| !n.is_empty())
        .collect();
    Some(names.join(", ")).filter(|n| !n.is_empty())
}

/// A text construct as one clean line (HTML read as HTML).
fn plain(text: &Text) -> String {
    match is_plain(text.content_type.subty() == "plain", &text.content) {
        true => clean_line(&text.content),
        false => html::to_text(&text.content),
    }
}

/// A text construct as blocks.
fn blocks(text: &Text, base: Option<&Url>) -> Vec<Block> {
    match is_plain(text.content_type.subty() == "plain", &text.content) {
        true => plain_blocks(&text.content),
        false => html::to_blocks(&text.content, base),
    }
}

/// Whether a text is plain text, not HTML: said so, and with no tag in it (RSS descriptions
/// said to be plain often hold escaped HTML).
fn is_plain(said_plain: bool, text: &str) -> bool {
    said_plain && !text.contains('<')
}

/// Plain text as paragraphs, split at blank lines.
fn plain_blocks(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(clean_line)
        .filter(|t| !t.is_empty())
        .map(|text| Block::Paragraph { text })
        .collect()
}

/// A headline made from a summary: its first 80 characters or so, cut after a word.
fn headline_from(summary: &str) -> String {
    const MAX: usize = 80;
    if summary.chars().count() <= MAX {
        return summary.to_owned();
    }
    let cut: String = summary.chars().take(MAX).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > MAX / 2 => &cut[..space],
        _ => &cut,
    };
    format!("{}…", cut.trim_end())
}

/// What went wrong, as one line with the line and column where feed-rs says where.
fn describe(error: &ParseFeedError, bytes: &[u8]) -> String {
    let at = |offset: u64| {
        let (line, column) = super::line_and_column(bytes, offset);
        format!("parse error at line {line}, column {column}")
    };
    let message = match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "not a feed (no RSS, Atom or JSON Feed document)".to_owned()
        }
        ParseFeedError::ParseError(kind) => {
            let position = match kind {
                ParseErrorKind::UnknownMimeType { position, .. }
                | ParseErrorKind::MissingContent { position, .. }
                | ParseErrorKind::UnknownEnumVariant { position, .. }
                | ParseErrorKind::IllegalState { position, .. } => *position,
                ParseErrorKind::NoFeedRoot => 0,
            };
            format!("{}: {kind}", at(position))
        }
        ParseFeedError::JsonSerde(e) => {
            format!(
                "parse error at line {}, column {}: {e}",
                e.line(),
                e.column()
            )
        }
        ParseFeedError::JsonUnsupportedVersion(version) => {
            format!("unsupported JSON Feed version {version}")
        }
        ParseFeedError::XmlReader(e) => match xml_error_offset(bytes) {
            Some(offset) => format!("{}: {e}", at(offset)),
            None => format!("parse error: {e}"),
        },
        ParseFeedError::IoError(e) => format!("read error: {e}"),
    };
    clean_line(&message)
}

/// Where quick-xml (which feed-rs reads XML with) finds the document broken, as a byte offset.
fn xml_error_offset(bytes: &[u8]) -> Option<u64> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(quick_xml::events::Event::Eof) => return None,
            Ok(_) => buffer.clear(),
            Err(_) => return Some(reader.error_position()),
        }
    }
}

/// Whether `bytes` are a feed, by their content: an XML document whose root is `rss`, `RDF`
/// (RSS 1.0) or `feed` (Atom), or a JSON object whose `version` is a JSON Feed's (byline's own
/// JSON has none). Only the start is read.
pub fn is_feed(bytes: &[u8]) -> bool {
    let start = super::document_start(bytes);
    match start.first() {
        Some(b'<') => matches!(
            super::xml_root(start).as_deref(),
            Some("rss" | "RDF" | "feed")
        ),
        Some(b'{') => is_json_feed(start),
        _ => false,
    }
}

/// Whether a JSON object's start has `"version": "https://jsonfeed.org/version/1…"`.
fn is_json_feed(start: &[u8]) -> bool {
    const KEY: &[u8] = b"\"version\"";
    memchr::memmem::find_iter(start, KEY).any(|at| {
        let rest = &start[at + KEY.len()..];
        let rest = rest.trim_ascii_start();
        rest.strip_prefix(b":").is_some_and(|value| {
            let value = value.trim_ascii_start();
            value.starts_with(b"\"https://jsonfeed.org/version/1")
                || value.starts_with(b"\"https:\\/\\/jsonfeed.org\\/version\\/1")
        })
    })
}

#[cfg(test)]
mod tests;
