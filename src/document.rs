//! An article laid out as display lines for one width: what the reading pane draws and scrolls
//! through. Built once per article, width and query, then cached by the app.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::article::{Article, Block};
use crate::search::Query;

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
pub struct DocLine {
    pub kind: LineKind,
    pub text: String,
    pub marks: Vec<(Range<usize>, Mark)>,
}

/// An article wrapped to a width, with the positions of its search matches.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub lines: Vec<DocLine>,
    /// Every search match, in reading order: its line and byte range in that line.
    pub matches: Vec<(usize, Range<usize>)>,
}

impl Document {
    /// Lays out `article` at `width` columns, marking tags and the matches of `query`.
    pub fn new(article: &Article, width: usize, query: &Query) -> Document {
        let mut doc = Builder {
            doc: Document::default(),
            width: width.max(1),
            query,
            tags: &article.tags,
        };
        doc.text(LineKind::Headline, &article.headline);
        if let Some(standfirst) = &article.standfirst {
            doc.text(LineKind::Standfirst, standfirst);
        }
        doc.text(LineKind::Meta, &meta_line(article));
        for block in &article.body {
            doc.blank();
            match block {
                Block::Paragraph { text } => doc.text(LineKind::Paragraph, text),
                Block::Heading { text } => doc.text(LineKind::Heading, text),
                Block::Rule => doc.rule(),
            }
        }
        if !article.credits.is_empty() {
            doc.blank();
            doc.rule();
            for credit in &article.credits {
                doc.text(LineKind::Credit, credit);
            }
        }
        doc.doc
    }
}

struct Builder<'a> {
    doc: Document,
    width: usize,
    query: &'a Query,
    tags: &'a [String],
}

impl Builder<'_> {
    fn blank(&mut self) {
        self.push(LineKind::Blank, String::new(), Vec::new());
    }

    fn rule(&mut self) {
        let rule = "─".repeat(self.width.min(20));
        self.push(LineKind::Rule, rule, Vec::new());
    }

    fn text(&mut self, kind: LineKind, text: &str) {
        let mut marks: Vec<(Range<usize>, Mark)> = tag_ranges(text, self.tags)
            .into_iter()
            .map(|r| (r, Mark::Tag))
            .collect();
        marks.extend(
            self.query
                .highlights(text)
                .into_iter()
                .map(|r| (r, Mark::Match)),
        );
        for line in wrap(text, self.width) {
            let line_marks: Vec<(Range<usize>, Mark)> = marks
                .iter()
                .filter(|(r, _)| r.start < line.end && r.end > line.start)
                .map(|(r, mark)| {
                    let start = r.start.max(line.start) - line.start;
                    (start..r.end.min(line.end) - line.start, *mark)
                })
                .collect();
            let index = self.doc.lines.len();
            for (range, mark) in &line_marks {
                // A match split across lines is found once, on the line where it starts.
                if *mark == Mark::Match
                    && marks
                        .iter()
                        .any(|(r, m)| m == mark && r.start == range.start + line.start)
                {
                    self.doc.matches.push((index, range.clone()));
                }
            }
            self.push(kind, text[line].to_owned(), line_marks);
        }
    }

    fn push(&mut self, kind: LineKind, text: String, marks: Vec<(Range<usize>, Mark)>) {
        self.doc.lines.push(DocLine { kind, text, marks });
    }
}

/// The meta line: source · views · tags · words · minutes to read.
pub fn meta_line(article: &Article) -> String {
    let mut parts = Vec::new();
    if let Some(source) = &article.source {
        parts.push(source.clone());
    }
    if let Some(views) = article.views {
        parts.push(format!(
            "{} view{}",
            group_thousands(views),
            if views == 1 { "" } else { "s" }
        ));
    }
    if !article.tags.is_empty() {
        parts.push(article.tags.join(", "));
    }
    let words = article.word_count();
    parts.push(format!(
        "{} word{}",
        group_thousands(words as u64),
        if words == 1 { "" } else { "s" }
    ));
    parts.push(format!("{} min read", article.reading_minutes()));
    parts.join(" · ")
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

/// Byte ranges of whole-word occurrences of the article's tags in `text`.
pub fn tag_ranges(text: &str, tags: &[String]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for tag in tags.iter().filter(|t| !t.is_empty()) {
        for (start, _) in text.match_indices(tag.as_str()) {
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

/// Wraps `text` to `width` display columns, returning each line as a byte range of `text`
/// (trailing spaces excluded). Wide characters are never split.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    if text.width() <= width {
        return std::iter::once(0..text.len()).collect();
    }
    // First-fit, as less and newsboat wrap: textwrap's optimal-fit can overrun the width by a
    // column on lines that mix wide characters, and costs more.
    let options = textwrap::Options::new(width.max(1))
        .break_words(true)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let mut ranges = Vec::new();
    let mut cursor = 0;
    for line in textwrap::wrap(text, options) {
        // Lines are slices of the text in order, separated only by whitespace.
        match text[cursor..].find(line.as_ref()) {
            Some(offset) => {
                let start = cursor + offset;
                cursor = start + line.len();
                ranges.push(start..cursor);
            }
            None => {
                // textwrap changed the line's text; fall back to the remaining text unwrapped.
                ranges.push(cursor..text.len());
                break;
            }
        }
    }
    ranges
}

#[cfg(test)]
mod tests;
