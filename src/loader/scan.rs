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

use memchr::{memchr, memchr_iter, memchr2, memmem, memrchr2};

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
/// without building the article. Lines are borrowed from the bytes (copied only when they
/// need decoding, cleaning or hashtags removed) and the id is hashed as they are read.
pub fn summary(bytes: &[u8], segment: &Segment) -> Option<Summary> {
    let text = cleaned(bytes.get(segment.range.clone())?);
    summarise(&text, segment.views)
}

/// Every segment's summary, in order, worked out on every core. There is one for each segment
/// that [`scan`] found in the same bytes (a blank or out-of-range segment has none).
pub fn summaries(bytes: &[u8], segments: &[Segment]) -> Vec<Summary> {
    in_parallel(segments, |part| {
        part.iter()
            .filter_map(|segment| summary(bytes, segment))
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
fn summarise(text: &str, views: Option<u64>) -> Option<Summary> {
    let mut tags = Vec::new();
    let mut headline: Option<Cow<'_, str>> = None;
    // The body's blocks in order: a text, or `None` for a rule.
    let mut blocks: Vec<Option<Cow<'_, str>>> = Vec::new();
    // Right after the headline line, when the line touching it would be the standfirst.
    let mut standfirst_next = false;
    let mut start = 0;
    for end in memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        // Both ends are at a line feed or the end of the text, so at character boundaries.
        let line = text.get(start..end).unwrap_or_default().trim();
        start = end + 1;
        if line.is_empty() {
            standfirst_next = false;
            continue;
        }
        let line = if memchr(b'#', line.as_bytes()).is_some() {
            Cow::Owned(dump::strip_hashtags(line, &mut tags))
        } else {
            Cow::Borrowed(line)
        };
        if headline.is_none() {
            let (head, rest) = split_headline(line);
            headline = Some(head);
            standfirst_next = rest.is_none();
            blocks.extend(rest.map(Some));
        } else if standfirst_next {
            standfirst_next = false;
        } else if dump::is_rule(&line) {
            blocks.push(None);
        } else {
            blocks.push(Some(line));
        }
    }
    let headline = headline?;
    let end = dump::credits_start(&blocks, |block| block.as_deref());
    let (body, credits) = blocks.split_at(end);
    let source = credits
        .iter()
        .filter_map(Option::as_deref)
        .find_map(dump::byline_publication)
        .map(str::to_owned);
    Some(Summary {
        id: Article::id_of(&headline, body.iter().map(Option::as_deref)),
        headline: Summary::kept_headline(&headline).to_owned(),
        views,
        tags,
        source,
    })
}

/// The headline of an article's first line, and the paragraph that follows it on the same line
/// (see `dump::split_first_sentence`).
fn split_headline(line: Cow<'_, str>) -> (Cow<'_, str>, Option<Cow<'_, str>>) {
    match line {
        Cow::Borrowed(line) => match dump::split_first_sentence(line) {
            Some((head, rest)) => (Cow::Borrowed(head), Some(Cow::Borrowed(rest))),
            None => (Cow::Borrowed(line), None),
        },
        Cow::Owned(line) => match dump::split_first_sentence(&line) {
            Some((head, rest)) => (
                Cow::Owned(head.to_owned()),
                Some(Cow::Owned(rest.to_owned())),
            ),
            None => (Cow::Owned(line), None),
        },
    }
}

#[cfg(test)]
mod tests;
