//! The dump format read lazily: [`scan`] finds where each article lies in the raw file bytes
//! at memchr speed, [`summary`] gives what the list needs of one, and [`article`] parses one
//! in full when it is opened. For any bytes that `scan` accepts, the articles are exactly
//! those of [`dump::parse`] on the decoded file, in the same order and with the same ids.
//!
//! Why working on the raw bytes gives the eager parser's result: decoding leaves every ASCII
//! byte as itself (an ASCII byte always ends an invalid sequence), and cleaning turns `\r\n`,
//! lone `\r` and `\n` into `\n` and nothing else into one. So the decoded, cleaned file has a
//! line for each raw line (ended by `\n`, `\r\n` or `\r`), and a piece of the file that starts
//! and ends at line ends decodes and cleans to that piece of the cleaned file. Cleaning drops
//! the zero-width joiner, which could join `Vi\u{200D}ew` into `View`: lines holding a joiner
//! are checked as well as those holding `View`. Each such line is decoded and cleaned on its
//! own before [`dump::view_count`] reads it, so controls that are whitespace raw but not once
//! cleaned (vertical tab, form feed, U+0085) mean what they mean to the eager parser.

use std::borrow::Cow;
use std::ops::Range;

use memchr::{memchr, memchr2, memchr2_iter, memmem, memrchr2};

use super::dump;
use crate::article::{Article, Summary};
use crate::parallel::in_parallel;
use crate::text;

/// The UTF-8 byte order mark, which decoding drops from the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The zero-width joiner's UTF-8, which cleaning drops.
const JOINER: &[u8] = "\u{200D}".as_bytes();

/// One article's bytes in the raw (undecoded) file, and the view count of the line after it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Segment {
    pub range: Range<usize>,
    pub views: Option<u64>,
}

/// Where the articles of a dump lie, and what the eager parser would have had to say about it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// Only segments that hold an article (that are not blank), in file order.
    pub segments: Vec<Segment>,
    /// How many `View N times` lines had no article before them, as
    /// [`dump::Parsed::empty_segments`].
    pub empty_segments: usize,
    /// How many invalid UTF-8 sequences [`text::decode`] would replace in the whole file.
    pub invalid_utf8: usize,
}

/// Finds the articles of a dump in its raw bytes, or `None` when the bytes cannot be read
/// lazily with the eager parser's result: when they hold a NUL, and so are not text at all
/// ([`text::decode`] refuses them). The caller then goes the eager way, which says why.
pub fn scan(bytes: &[u8]) -> Option<Scanned> {
    if memchr(0, bytes).is_some() {
        return None;
    }
    let base = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let mut scanned = Scanned {
        invalid_utf8: invalid_sequences(bytes.get(base..).unwrap_or_default()),
        ..Scanned::default()
    };
    let mut start = base;
    for line in view_lines(bytes, base) {
        let range = start..line.start;
        if is_blank(bytes.get(range.clone()).unwrap_or_default()) {
            scanned.empty_segments += 1;
        } else {
            scanned.segments.push(Segment {
                range,
                views: Some(line.views),
            });
        }
        start = line.next;
    }
    let tail = start..bytes.len();
    if !is_blank(bytes.get(tail.clone()).unwrap_or_default()) {
        scanned.segments.push(Segment {
            range: tail,
            views: None,
        });
    }
    Some(scanned)
}

/// The full article of one segment of `bytes`, as the eager parser makes it; `None` when the
/// segment is blank or lies outside the bytes.
pub fn article(bytes: &[u8], segment: &Segment) -> Option<Article> {
    let text = cleaned(bytes.get(segment.range.clone())?);
    dump::parse_article(&text, segment.views)
}

/// One segment's text decoded and cleaned, not parsed: what search reads.
pub fn text<'a>(bytes: &'a [u8], segment: &Segment) -> Cow<'a, str> {
    cleaned(bytes.get(segment.range.clone()).unwrap_or_default())
}

/// What the list needs of one segment's article: `Summary::of(&article(bytes, segment)?)`,
/// without building the article: no string or block per line, one copy of the text that the
/// id hashes, and one hash of it.
pub fn summary(bytes: &[u8], segment: &Segment) -> Option<Summary> {
    summary_with(bytes, segment, &mut Scratch::default())
}

fn summary_with(bytes: &[u8], segment: &Segment, scratch: &mut Scratch) -> Option<Summary> {
    let text = cleaned(bytes.get(segment.range.clone())?);
    summarise(&text, segment.views, scratch)
}

/// Every segment's summary, in order, worked out on every core. There is one for each segment
/// that [`scan`] found in the same bytes (a blank or out-of-range segment has none).
pub fn summaries(bytes: &[u8], segments: &[Segment]) -> Vec<Summary> {
    in_parallel(segments, |part| {
        let mut scratch = Scratch::default();
        part.iter()
            .filter_map(|segment| summary_with(bytes, segment, &mut scratch))
            .collect()
    })
}

/// A `View N times` line: where it starts, its count, and where the text after it starts.
struct ViewLine {
    start: usize,
    views: u64,
    next: usize,
}

/// The view lines of `bytes` from `base` on, in order. Only a line holding `View` or a
/// zero-width joiner can be one once cleaned; each such line is looked at once.
fn view_lines(bytes: &[u8], base: usize) -> impl Iterator<Item = ViewLine> + '_ {
    let view = memmem::Finder::new(b"View");
    let joiner = memmem::Finder::new(JOINER);
    let find = move |finder: &memmem::Finder<'_>, from: usize| {
        let rest = bytes.get(from..)?;
        finder.find(rest).map(|i| from + i)
    };
    let mut next_view = find(&view, base);
    let mut next_joiner = find(&joiner, base);
    // Where the last line looked at ends: every candidate from here on is on a later line.
    let mut pos = base;
    std::iter::from_fn(move || {
        loop {
            let at = match (next_view, next_joiner) {
                (Some(v), Some(j)) => v.min(j),
                (v, j) => v.or(j)?,
            };
            let before = bytes.get(pos..at)?;
            let start = memrchr2(b'\n', b'\r', before).map_or(pos, |i| pos + i + 1);
            let after = bytes.get(at..)?;
            let end = memchr2(b'\n', b'\r', after).map_or(bytes.len(), |i| at + i);
            pos = end;
            if next_view.is_some_and(|v| v < pos) {
                next_view = find(&view, pos);
            }
            if next_joiner.is_some_and(|j| j < pos) {
                next_joiner = find(&joiner, pos);
            }
            let Some(views) = bytes
                .get(start..end)
                .and_then(|line| dump::view_count(&cleaned(line)))
            else {
                continue;
            };
            // A line ends at `\n`, `\r\n` or a lone `\r`; what follows starts after all of it.
            let next = match bytes.get(end..) {
                Some([b'\r', b'\n', ..]) => end + 2,
                Some([_, ..]) => end + 1,
                _ => bytes.len(),
            };
            return Some(ViewLine { start, views, next });
        }
    })
}

/// Whether a segment is blank once decoded and cleaned, as the eager parser sees it: only
/// space, tab, CR and LF stay whitespace among ASCII bytes (other controls become U+FFFD);
/// past the first other byte, if that is not ASCII, the rest is decoded and cleaned to tell.
fn is_blank(segment: &[u8]) -> bool {
    let Some(first) = segment
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    else {
        return true;
    };
    match segment.get(first..) {
        Some(rest @ [b, ..]) if !b.is_ascii() => cleaned(rest).trim().is_empty(),
        _ => false,
    }
}

/// Bytes decoded as [`text::decode`] does (but keeping a byte order mark: only the file's first
/// one goes, and [`scan`] starts past it) and cleaned as the eager parser cleans the file.
fn cleaned(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return text::clean_document(text);
    }
    let text = String::from_utf8_lossy(bytes);
    Cow::Owned(text::clean_document(&text).into_owned())
}

/// How many invalid UTF-8 sequences [`text::decode`] counts in these bytes.
fn invalid_sequences(bytes: &[u8]) -> usize {
    // Validation is most of the work of a scan: the standard library's runs at a tenth of the
    // speed of simdutf8's on news text, where a non-ASCII character comes every hundred bytes.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(_) => 0,
        Err(_) => bytes
            .utf8_chunks()
            .filter(|chunk| !chunk.invalid().is_empty())
            .count(),
    }
}

/// The summary of one article's cleaned text: the eager parser's reading of it (see
/// `dump::parse_article`) without what a summary does not keep. Whether a line is a heading
/// or a paragraph changes neither the id nor the credits, so lines are only told from rules.
///
/// The headline and the body blocks are written one after the other into one string, each
/// block after a line feed and a rule as `---`: just what [`Article::compute_id`] hashes, so
/// the id is the hash of the part of it that the credits do not take.
fn summarise(text: &str, views: Option<u64>, scratch: &mut Scratch) -> Option<Summary> {
    let mut tags = Vec::new();
    let Scratch { joined, blocks } = scratch;
    joined.clear();
    blocks.clear();
    let mut headline_len = None;
    // Right after the headline line, when the line touching it would be the standfirst.
    let mut standfirst_next = false;
    for (line, tagged) in lines(text) {
        let line = line.trim();
        if line.is_empty() {
            standfirst_next = false;
            continue;
        }
        if headline_len.is_none() {
            let first = without_hashtags(line, tagged, &mut tags);
            if let Some((head, rest)) = dump::split_first_sentence(&first) {
                joined.push_str(head);
                headline_len = Some(joined.len());
                // The rest of the line is a paragraph, whatever it looks like.
                joined.push('\n');
                let start = joined.len();
                joined.push_str(rest);
                blocks.push(Span::text(start, joined.len()));
            } else {
                joined.push_str(&first);
                headline_len = Some(joined.len());
                standfirst_next = true;
            }
            continue;
        }
        if standfirst_next {
            standfirst_next = false;
            if tagged {
                dump::hashtag_pieces(line, |tag| dump::add_tag(&mut tags, tag), |_| {});
            }
            continue;
        }
        joined.push('\n');
        let start = joined.len();
        if tagged {
            let mut push = |piece: &str| joined.push_str(piece);
            dump::hashtag_pieces(line, |tag| dump::add_tag(&mut tags, tag), &mut push);
        } else {
            joined.push_str(line);
        }
        if joined.get(start..).is_some_and(dump::is_rule) {
            joined.truncate(start);
            joined.push_str(RULE);
            blocks.push(Span::rule(start, joined.len()));
        } else {
            blocks.push(Span::text(start, joined.len()));
        }
    }
    let headline_len = headline_len?;
    let text_of = |span: &Span| match span.rule {
        true => None,
        false => joined.get(span.start..span.end),
    };
    let end = dump::credits_start(
        blocks,
        |span| span.rule,
        |span| text_of(span).is_some_and(dump::is_credit_line),
    );
    let source = blocks
        .get(end..)
        .unwrap_or_default()
        .iter()
        .filter_map(text_of)
        .find_map(dump::byline_publication)
        .map(str::to_owned);
    let body_end = end
        .checked_sub(1)
        .and_then(|last| blocks.get(last))
        .map_or(headline_len, |span| span.end);
    Some(Summary {
        id: Article::id_of_joined(joined.get(..body_end).unwrap_or_default()),
        headline: Summary::kept_headline(joined.get(..headline_len).unwrap_or_default()).to_owned(),
        views,
        tags,
        source,
    })
}

/// What [`summarise`] writes for each article, kept from one to the next.
#[derive(Default)]
struct Scratch {
    /// The headline, then each body block after a line feed.
    joined: String,
    blocks: Vec<Span>,
}

/// What stands for a rule in the text an id hashes.
const RULE: &str = "---";

/// Where a body block's text lies in the joined text of [`summarise`], and whether it is a rule.
struct Span {
    start: usize,
    end: usize,
    rule: bool,
}

impl Span {
    fn text(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            rule: false,
        }
    }

    fn rule(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            rule: true,
        }
    }
}

/// A line without the `#` of its hashtags (when `tagged`, it may have some), which are added
/// to `tags`.
fn without_hashtags<'a>(line: &'a str, tagged: bool, tags: &mut Vec<String>) -> Cow<'a, str> {
    if tagged {
        Cow::Owned(dump::strip_hashtags(line, tags))
    } else {
        Cow::Borrowed(line)
    }
}

/// The lines of a text, each with whether it holds a `#`: one memchr pass finds both.
fn lines(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    let mut marks = memchr2_iter(b'\n', b'#', bytes);
    let mut start = 0;
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        let mut tagged = false;
        let end = loop {
            match marks.next() {
                Some(at) if bytes.get(at) == Some(&b'#') => tagged = true,
                Some(at) => break at,
                None => break bytes.len(),
            }
        };
        // Both ends are at a line feed or the end of the text, so at character boundaries.
        let line = text.get(start..end).unwrap_or_default();
        start = end + 1;
        Some((line, tagged))
    })
}

#[cfg(test)]
mod tests;
