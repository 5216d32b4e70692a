//! Feeds: RSS, Atom and JSON Feed documents and OPML lists of them, read from files or fetched
//! over HTTP into a cache that the reader loads from (so it opens at once, online or not).
//!
//! - [`Subscription`]: a feed to read, from the command line, the `urls` file or an OPML file.
//! - `parse`: a feed document into articles (`html`: its HTML into blocks); `opml`: an OPML
//!   file into subscriptions.
//! - `fetch`: the HTTP client that brings feeds into the `cache`; `refresh` does that in the
//!   background while the reader runs.

pub mod cache;
pub mod fetch;
pub mod html;
pub mod opml;
pub mod parse;
pub mod refresh;
mod sniff;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::article::Article;
use crate::text::clean_line;
use cache::Cache;
use sniff::{document_start, line_and_column, xml_root, xml_root_base};

/// Where fetched feeds are kept, in the cache directory `dir` ($XDG_CACHE_HOME).
pub fn cache_dir(dir: &Path) -> PathBuf {
    dir.join("byline/feeds")
}

/// Whether `bytes` fetched from `url` are a feed byline can read: the cause when not.
pub fn check(bytes: &[u8], url: &str) -> Result<(), String> {
    parsed(bytes, url).map(drop)
}

/// The last document parsed of each feed, by URL, with a hash of its bytes: a fetch checks a
/// body by parsing it, and every reload while feeds arrive reads them all again; each
/// document is parsed once. One entry a feed, so it holds what the reader lists, once more.
static PARSED: std::sync::LazyLock<Mutex<Memo>> = std::sync::LazyLock::new(Mutex::default);

/// Parsed feeds by URL, each with the hash of the bytes it was parsed from.
type Memo = HashMap<String, (u64, Arc<parse::Parsed>)>;

/// The feed document `bytes` from `url`, parsed now unless it was already.
fn parsed(bytes: &[u8], url: &str) -> Result<Arc<parse::Parsed>, String> {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    let known = |memo: &Memo| {
        let (kept, parsed) = memo.get(url)?;
        (*kept == hash).then(|| Arc::clone(parsed))
    };
    // A poisoned memo only lost parses; what it holds is still right.
    let memo = || PARSED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(parsed) = known(&memo()) {
        return Ok(parsed);
    }
    let parsed = Arc::new(parse::parse(bytes, url)?);
    memo().insert(url.to_owned(), (hash, Arc::clone(&parsed)));
    Ok(parsed)
}

/// The articles of a subscription as last fetched into `cache`, each listed under the
/// subscription's source with its tags, and what there is to say about the feed: why its last
/// fetch failed, or that it was never fetched.
pub fn cached_articles(subscription: &Subscription, cache: &Cache) -> (Vec<Article>, Vec<String>) {
    let url = clean_line(&subscription.url);
    let Some(entry) = cache.read(&subscription.url) else {
        return (Vec::new(), vec![format!("{url}: not fetched yet")]);
    };
    let mut problems: Vec<String> = entry.error.iter().map(|e| clean_line(e)).collect();
    let Some(body) = entry.body else {
        return (Vec::new(), problems);
    };
    let parsed = match parsed(&body, &subscription.url) {
        Ok(parsed) => parsed,
        Err(cause) => {
            problems.push(format!("{url}: {}", clean_line(&cause)));
            return (Vec::new(), problems);
        }
    };
    let source = subscription.source(parsed.title.as_deref());
    let mut articles = parsed.articles.clone();
    for article in &mut articles {
        article.source = Some(source.clone());
        for tag in &subscription.tags {
            if !article.tags.contains(tag) {
                article.tags.push(tag.clone());
            }
        }
    }
    (articles, problems)
}

/// A feed to read: where it is, and what its articles get besides their own fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Subscription {
    /// An `http://` or `https://` URL.
    pub url: String,
    /// Tags every article of the feed gets (the `urls` file's words after the URL).
    pub tags: Vec<String>,
    /// The name its articles are listed under instead of the feed's own title (`~Name`).
    pub title: Option<String>,
    /// The folders of an OPML file it was in, outermost first: shown before the feed's name.
    pub group: Vec<String>,
}

impl Subscription {
    /// A feed at `url`, with nothing added.
    pub fn new(url: &str) -> Subscription {
        Subscription {
            url: url.to_owned(),
            tags: Vec::new(),
            title: None,
            group: Vec::new(),
        }
    }

    /// The `source` its articles are listed under: the folders, then the name (its own, or
    /// the feed's title, or the URL's host).
    pub fn source(&self, feed_title: Option<&str>) -> String {
        let name = (self.title.as_deref())
            .or(feed_title.filter(|t| !t.is_empty()))
            .unwrap_or_else(|| host(&self.url));
        let mut parts: Vec<&str> = self.group.iter().map(String::as_str).collect();
        parts.push(name);
        clean_line(&parts.join(" / "))
    }
}

/// The most of an OPML or `urls` file read: far more than any list of subscriptions.
const LIST_MAX: u64 = 16 << 20;

/// The subscriptions of the OPML file at `path`, or `None` when it is not one (then it is read
/// as articles). Every outline with an `xmlUrl` is a feed, in the folders around it.
pub fn read_opml(path: &Path) -> Option<Result<Vec<Subscription>, String>> {
    let name = clean_line(&path.to_string_lossy());
    // Only a regular file: a pipe's bytes read here would be lost to the loader.
    std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    let mut head = Vec::new();
    let file = std::fs::File::open(path).ok()?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head).ok()?;
    // Told by how it starts: a dump of gigabytes is not read to find out.
    if !opml::is_opml(&head) {
        return None;
    }
    let bytes = read_list(path).map_err(|cause| format!("{name}: {cause}"));
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => return Some(Err(error)),
    };
    let outlines = opml::parse(&bytes).map_err(|cause| format!("{name}: {}", clean_line(&cause)));
    Some(outlines.map(|outlines| {
        (outlines.into_iter())
            .map(|outline| Subscription {
                group: outline.group.iter().map(|g| clean_line(g)).collect(),
                ..Subscription::new(&outline.url)
            })
            .collect()
    }))
}

/// The subscriptions of a `urls` file, and a warning naming it for each line that is not one.
pub fn read_urls(path: &Path) -> Result<(Vec<Subscription>, Vec<String>), String> {
    let name = clean_line(&path.to_string_lossy());
    let bytes = read_list(path).map_err(|cause| format!("{name}: {cause}"))?;
    let (subscriptions, problems) = parse_urls(&String::from_utf8_lossy(&bytes));
    if subscriptions.is_empty() {
        return Err(format!("{name}: no feed URLs in it"));
    }
    let problems = problems
        .into_iter()
        .map(|p| format!("{name}: {p}"))
        .collect();
    Ok((subscriptions, problems))
}

/// A regular file of at most [`LIST_MAX`] bytes, whole.
fn read_list(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cause = |e: std::io::Error| crate::text::io_cause(&e);
    let file = std::fs::File::open(path).map_err(cause)?;
    if !file.metadata().map_err(cause)?.is_file() {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(LIST_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(cause)?;
    if bytes.len() as u64 > LIST_MAX {
        return Err("larger than 16 MiB; not a list of feeds".into());
    }
    Ok(bytes)
}

/// Whether a command-line argument names a feed by URL rather than a file.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The host (and port) of a URL, or the URL itself when it has none.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|h| !h.is_empty()).unwrap_or(url)
}

/// The subscriptions of a `urls` file as newsboat users write it: one URL a line, then tags
/// (words, or `"quoted words"`), `~Name` naming the feed; `#` starts a comment. A line that
/// is not an http(s) URL is a problem, reported with its line number; the rest still load.
pub fn parse_urls(text: &str) -> (Vec<Subscription>, Vec<String>) {
    let mut subscriptions = Vec::new();
    let mut problems = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let words = words(line);
        let Some((url, rest)) = words.split_first() else {
            continue;
        };
        if !is_url(url) {
            problems.push(format!(
                "line {}: not an http:// or https:// URL: {}",
                number + 1,
                clean_line(url)
            ));
            continue;
        }
        let mut subscription = Subscription::new(url);
        for word in rest {
            match word.strip_prefix('~') {
                Some(name) if !name.is_empty() => subscription.title = Some(clean_line(name)),
                _ => subscription.tags.push(clean_line(word)),
            }
        }
        subscription.tags.retain(|tag| !tag.is_empty());
        subscriptions.push(subscription);
    }
    (subscriptions, problems)
}

/// A line's words: split at spaces, `"…"` keeps spaces, `#` outside quotes ends the line.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut started) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            '#' if !quoted && !started => break,
            c if c.is_whitespace() && !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_urls_file_gives_urls_with_tags_and_names_and_skips_comments() {
        let text = "# my feeds\n\
            https://example.org/feed.xml tech \"long reads\" ~Example\n\
            \n\
            http://news.test/rss  # a comment\n\
            not-a-url tag\n";
        let (subscriptions, problems) = parse_urls(text);
        assert_eq!(subscriptions.len(), 2);
        assert_eq!(subscriptions[0].url, "https://example.org/feed.xml");
        assert_eq!(subscriptions[0].tags, ["tech", "long reads"]);
        assert_eq!(subscriptions[0].title.as_deref(), Some("Example"));
        assert_eq!(subscriptions[1], Subscription::new("http://news.test/rss"));
        assert_eq!(
            problems,
            ["line 5: not an http:// or https:// URL: not-a-url"]
        );
    }

    #[test]
    fn a_hash_inside_a_word_or_quotes_is_kept() {
        let (subscriptions, _) = parse_urls("https://a.test/f#frag \"c#\" x#y\n");
        assert_eq!(subscriptions[0].url, "https://a.test/f#frag");
        assert_eq!(subscriptions[0].tags, ["c#", "x#y"]);
    }

    #[test]
    fn the_source_is_the_folders_then_the_name_then_the_title_then_the_host() {
        let mut subscription = Subscription::new("https://example.org:8080/feed.xml");
        assert_eq!(subscription.source(None), "example.org:8080");
        assert_eq!(subscription.source(Some("Example News")), "Example News");
        subscription.group = vec!["Tech".into(), "Daily".into()];
        assert_eq!(
            subscription.source(Some("Example News")),
            "Tech / Daily / Example News"
        );
        subscription.title = Some("Mine".into());
        assert_eq!(
            subscription.source(Some("Example News")),
            "Tech / Daily / Mine"
        );
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://example.org/feed"));
        assert!(is_url("HTTP://EXAMPLE.ORG"));
        assert!(!is_url("feeds/http.xml"));
        assert!(!is_url("ht"));
    }

    #[test]
    fn escape_bytes_in_a_urls_file_never_reach_a_tag_or_name() {
        let (subscriptions, problems) =
            parse_urls("https://a.test/ \"\u{1b}[2Jtag\" ~\u{9b}Name\n\u{1b}]52;x\n");
        let texts = [
            &subscriptions[0].tags[0],
            subscriptions[0].title.as_ref().unwrap(),
        ];
        for text in texts.into_iter().chain(&problems) {
            assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
        }
    }
}
