//! An article laid out as display lines for one width: what the reading pane draws and scrolls
//! through. Wrapping is done once per article and width and kept as line starts (a few bytes a
//! line); tags and search matches are found only where they are needed (the lines on screen,
//! or the stretch `n` searches), so a keystroke never costs the article's length.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::article::{Article, Block};
use crate::search::Query;

/// The most text searched at once, and the longest paragraph given to textwrap.
const CHUNK: usize = 64 * 1024;

/// What a line is, which decides its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Headline,
    Standfirst,
    Meta,
    Paragraph,
    Heading,
    Rule,
    Credit,
    Blank,
    /// A list item: a bullet on its first line, its other lines indented to match.
    Item,
    /// A block quote: a bar before every line.
    Quote,
    /// Preformatted text, indented.
    Pre,
    /// A link's target under the article: `[n] ` before its first line.
    Reference,
}

/// A part of a line to style differently from the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A word that was a `#hashtag` in the source.
    Tag,
    /// Text that matches the search query.
    Match,
}

/// One display line: its text (never wider than the document's width, except a single
/// character wider than the width itself) and the marked byte ranges within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine<'a> {
    pub kind: LineKind,
    pub text: &'a str,
    pub marks: Vec<(Range<usize>, Mark)>,
    /// The piece of the article the line is part of, and where in that piece's text it starts.
    pub piece: usize,
    pub offset: usize,
    /// Drawn before the text: a list's bullet, a quote's bar, a reference's number.
    pub prefix: String,
    /// Where the line's text links to: the whole address of a reference or of the article.
    pub link: Option<&'a str>,
}

/// A search match: the line it starts on, and its byte range in its piece's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub piece: usize,
    pub range: Range<usize>,
}

/// Where in the article a search for the next match starts: a piece and a byte in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub piece: usize,
    pub offset: usize,
}

/// Which of the article's texts a piece shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Headline,
    Standfirst,
    Meta,
    /// The article's own address (a feed article's link), under the meta line.
    Link,
    Body(usize),
    Credit(usize),
    Rule,
    Blank,
}

/// One text of the article (a paragraph, the headline…) wrapped into lines.
#[derive(Debug, Clone)]
struct Piece {
    kind: LineKind,
    source: Source,
    first_line: usize,
    /// Byte offset in the text where each of its lines starts.
    starts: Vec<usize>,
    /// A reference's number, shown as `[n] `.
    number: usize,
}

/// An article wrapped to a width. It holds no article text but the meta line and the rule, so
/// every method that shows text takes the article it was built for.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pieces: Vec<Piece>,
    line_count: usize,
    meta: String,
    rule: String,
}

impl Document {
    /// Lays out `article` at `width` columns.
    pub fn new(article: &Article, width: usize) -> Document {
        let width = width.max(1);
        let mut doc = Document {
            meta: meta_line(article),
            rule: "─".repeat(width.min(20)),
            ..Document::default()
        };
        doc.push(article, width, LineKind::Headline, Source::Headline);
        if article.standfirst.is_some() {
            doc.push(article, width, LineKind::Standfirst, Source::Standfirst);
        }
        doc.push(article, width, LineKind::Meta, Source::Meta);
        if article.link.is_some() {
            doc.push(article, width, LineKind::Meta, Source::Link);
        }
        let mut previous = None;
        for (i, block) in article.body.iter().enumerate() {
            let kind = match block {
                Block::Paragraph { .. } => LineKind::Paragraph,
                Block::Heading { .. } => LineKind::Heading,
                Block::Rule => LineKind::Rule,
                Block::Item { .. } => LineKind::Item,
                Block::Quote { .. } => LineKind::Quote,
                Block::Pre { .. } => LineKind::Pre,
                Block::Reference { .. } => LineKind::Reference,
            };
            // A list, a preformatted block and the references read as one: no gap inside.
            let joined = matches!(kind, LineKind::Item | LineKind::Pre | LineKind::Reference);
            if !(joined && previous == Some(kind)) {
                doc.push(article, width, LineKind::Blank, Source::Blank);
            }
            let source = match kind {
                LineKind::Rule => Source::Rule,
                _ => Source::Body(i),
            };
            doc.push(article, width, kind, source);
            if let (Block::Reference { number, .. }, Some(piece)) = (block, doc.pieces.last_mut()) {
                piece.number = *number;
            }
            previous = Some(kind);
        }
        if !article.credits.is_empty() {
            doc.push(article, width, LineKind::Blank, Source::Blank);
            doc.push(article, width, LineKind::Rule, Source::Rule);
            for i in 0..article.credits.len() {
                doc.push(article, width, LineKind::Credit, Source::Credit(i));
            }
        }
        doc
    }

    fn push(&mut self, article: &Article, width: usize, kind: LineKind, source: Source) {
        let text = self.text(article, source);
        let number = match source {
            Source::Body(i) => match article.body.get(i) {
                Some(Block::Reference { number, .. }) => *number,
                _ => 0,
            },
            _ => 0,
        };
        let text_width = width.saturating_sub(prefix(kind, number, 0).width()).max(1);
        let starts = match source {
            Source::Meta => {
                meta_line_starts(article, width).unwrap_or_else(|| line_starts(text, width))
            }
            _ => line_starts(text, text_width),
        };
        let first_line = self.line_count;
        self.line_count += starts.len();
        self.pieces.push(Piece {
            kind,
            source,
            first_line,
            starts,
            number,
        });
    }

    /// How many display lines the article takes.
    pub fn line_count(&self) -> usize {
        self.line_count
    }

    /// Bytes the layout holds besides the article: line starts, the meta line and the rule.
    pub fn layout_bytes(&self) -> usize {
        let starts: usize = self.pieces.iter().map(|p| p.starts.capacity()).sum();
        starts * size_of::<usize>()
            + self.pieces.capacity() * size_of::<Piece>()
            + self.meta.capacity()
            + self.rule.capacity()
    }

    fn text<'a>(&'a self, article: &'a Article, source: Source) -> &'a str {
        match source {
            Source::Headline => &article.headline,
            Source::Standfirst => article.standfirst.as_deref().unwrap_or(""),
            Source::Meta => &self.meta,
            Source::Link => article.link.as_deref().unwrap_or(""),
            Source::Body(i) => article.body.get(i).and_then(Block::text).unwrap_or(""),
            Source::Credit(i) => article.credits.get(i).map_or("", String::as_str),
            Source::Rule => &self.rule,
            Source::Blank => "",
        }
    }

    /// The piece holding display line `line`.
    fn piece_of(&self, line: usize) -> Option<usize> {
        self.pieces
            .partition_point(|p| p.first_line <= line)
            .checked_sub(1)
    }

    /// The byte range in `text` of the piece's line `local`, trailing spaces left out.
    fn line_range(piece: &Piece, text: &str, local: usize) -> Range<usize> {
        let start = piece
            .starts
            .get(local)
            .map_or(text.len(), |&s| s.min(text.len()));
        let next = piece
            .starts
            .get(local + 1)
            .map_or(text.len(), |&s| s.min(text.len()));
        let end = start
            + text
                .get(start..next)
                .map_or(0, |t| t.trim_end_matches(' ').len());
        start..end
    }

    /// Display lines `range` (clamped to the article) with their tags and `query`'s matches.
    pub fn lines<'a>(
        &'a self,
        article: &'a Article,
        query: &Query,
        range: Range<usize>,
    ) -> Vec<DocLine<'a>> {
        let end = range.end.min(self.line_count);
        let mut lines = Vec::with_capacity(end.saturating_sub(range.start));
        let mut line = range.start;
        while line < end {
            let Some(index) = self.piece_of(line) else {
                break;
            };
            let piece = &self.pieces[index];
            let text = self.text(article, piece.source);
            let link = (piece.kind == LineKind::Reference || piece.source == Source::Link)
                .then_some(text)
                .filter(|address| !address.is_empty());
            let last = (piece.first_line + piece.starts.len()).min(end);
            let ranges: Vec<Range<usize>> = (line..last)
                .map(|l| Self::line_range(piece, text, l - piece.first_line))
                .collect();
            let window = ranges.first().map_or(0, |r| r.start)..ranges.last().map_or(0, |r| r.end);
            let marks = self.marks_in(article, query, piece, text, window);
            for (k, range) in ranges.into_iter().enumerate() {
                let line_marks = marks
                    .iter()
                    .filter(|(r, _)| r.start < range.end && r.end > range.start)
                    .map(|(r, mark)| {
                        let start = r.start.max(range.start) - range.start;
                        (start..r.end.min(range.end) - range.start, *mark)
                    })
                    .collect();
                lines.push(DocLine {
                    kind: piece.kind,
                    text: text.get(range.clone()).unwrap_or(""),
                    marks: line_marks,
                    piece: index,
                    offset: range.start,
                    prefix: prefix(piece.kind, piece.number, line - piece.first_line + k),
                    link,
                });
            }
            line = last.max(line + 1);
        }
        lines
    }

    /// Tags, then matches, that overlap `window` of the piece's text, in that text's offsets.
    fn marks_in(
        &self,
        article: &Article,
        query: &Query,
        piece: &Piece,
        text: &str,
        window: Range<usize>,
    ) -> Vec<(Range<usize>, Mark)> {
        if matches!(piece.source, Source::Rule | Source::Blank) || window.is_empty() {
            return Vec::new();
        }
        let (from, context) = find::around(text, &window);
        let overlaps = |r: &Range<usize>| r.start < window.end && r.end > window.start;
        let shift = |r: Range<usize>| r.start + from..r.end + from;
        let tags = tag_ranges(context, &article.tags)
            .into_iter()
            .map(shift)
            .filter(overlaps)
            .map(|r| (r, Mark::Tag));
        let matches = query
            .highlights(context)
            .into_iter()
            .map(shift)
            .filter(overlaps)
            .map(|r| (r, Mark::Match));
        tags.chain(matches).collect()
    }

    /// Where display line `line` starts (the end of the article for a line past its end).
    pub fn line_position(&self, line: usize) -> Position {
        match self.piece_of(line).filter(|_| line < self.line_count) {
            Some(piece) => Position {
                piece,
                offset: self.pieces[piece].starts[line - self.pieces[piece].first_line],
            },
            None => Position {
                piece: self.pieces.len(),
                offset: 0,
            },
        }
    }

    /// A match at `range` of piece `index`, with the line it starts on.
    pub fn hit(&self, index: usize, range: Range<usize>) -> Hit {
        let line = self.pieces.get(index).map_or(0, |piece| {
            let local = piece.starts.partition_point(|&s| s <= range.start);
            piece.first_line + local.saturating_sub(1)
        });
        Hit {
            line,
            piece: index,
            range,
        }
    }
}

/// What is drawn before line `local` of a piece of `kind` (a reference's `number`).
fn prefix(kind: LineKind, number: usize, local: usize) -> String {
    match (kind, local) {
        (LineKind::Item, 0) => "• ".into(),
        (LineKind::Item | LineKind::Pre, _) => "  ".into(),
        (LineKind::Quote, _) => "│ ".into(),
        (LineKind::Reference, 0) => format!("[{number}] "),
        (LineKind::Reference, _) => " ".repeat(format!("[{number}] ").len()),
        _ => String::new(),
    }
}

/// Byte ranges of whole-word occurrences of the article's tags in `text`.
pub fn tag_ranges(text: &str, tags: impl IntoIterator<Item: AsRef<str>>) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for tag in tags.into_iter().filter(|t| !t.as_ref().is_empty()) {
        let tag = tag.as_ref();
        for (start, _) in text.match_indices(tag) {
            let end = start + tag.len();
            let word_char = |c: char| c.is_alphanumeric() || c == '_';
            let before = text[..start].chars().next_back().is_some_and(word_char);
            let after = text[end..].chars().next().is_some_and(word_char);
            if !before && !after {
                ranges.push(start..end);
            }
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

mod find;
mod meta;
mod wrap;

use meta::meta_line_starts;
pub use meta::{group_thousands, local_date, meta_line};

use wrap::line_starts;
pub use wrap::wrap;

#[cfg(test)]
mod tests;
