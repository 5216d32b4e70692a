//! Wrapping a text to a display width, kept as the byte offsets where its lines start.

use std::ops::Range;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{CHUNK, Document, LineKind, Piece, Source};

/// Wraps `text` to `width` display columns, returning each line as a byte range of `text`
/// (trailing spaces excluded). Wide characters are never split.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let piece = Piece {
        kind: LineKind::Paragraph,
        source: Source::Blank,
        first_line: 0,
        starts: line_starts(text, width),
        number: 0,
    };
    (0..piece.starts.len())
        .map(|local| Document::line_range(&piece, text, local))
        .collect()
}

/// Where each line of `text` wrapped to `width` starts. Paragraphs of news length go through
/// textwrap; one longer than [`CHUNK`] through [`wrap_long`], which allocates nothing per word.
pub(super) fn line_starts(text: &str, width: usize) -> Vec<usize> {
    if text.len() > CHUNK {
        return wrap_long(text, width);
    }
    if text.width() <= width {
        return vec![0];
    }
    // First-fit, as less and newsboat wrap: textwrap's optimal-fit can overrun the width by a
    // column on lines that mix wide characters, and costs more.
    let options = textwrap::Options::new(width.max(1))
        .break_words(true)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let mut starts = Vec::new();
    let mut cursor = 0;
    for line in textwrap::wrap(text, options) {
        // Lines are slices of the text in order, separated only by whitespace.
        match text[cursor..].find(line.as_ref()) {
            Some(offset) => {
                starts.push(cursor + offset);
                cursor += offset + line.len();
            }
            None => {
                // textwrap changed the line's text; fall back to the rest of the text unwrapped.
                starts.push(cursor);
                break;
            }
        }
    }
    if starts.is_empty() {
        starts.push(0);
    }
    starts
}

/// First-fit wrapping in one pass, breaking at spaces and, in a word wider than the line, between
/// characters: textwrap would hold a record for every word of a paragraph that may be gigabytes.
fn wrap_long(text: &str, width: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut used = 0;
    let mut last_end: Option<usize> = None;
    let mut at = 0;
    for word in text.split(' ') {
        let start = at;
        at += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        // Cleaned ASCII is all printable, a column a byte: the common case needs no table.
        let columns = if word.is_ascii() {
            word.len()
        } else {
            word.width()
        };
        match last_end {
            Some(end) if used + (start - end) + columns <= width => used += start - end + columns,
            _ => {
                if last_end.is_some() {
                    starts.push(start);
                }
                used = if columns <= width {
                    columns
                } else {
                    break_word(word, start, width, &mut starts)
                };
            }
        }
        last_end = Some(start + word.len());
    }
    starts
}

/// Breaks a word wider than `width` (at `start` of the text) between characters; returns the
/// columns its last part takes.
fn break_word(word: &str, start: usize, width: usize, starts: &mut Vec<usize>) -> usize {
    let mut used = 0;
    for (i, c) in word.char_indices() {
        let columns = c.width().unwrap_or(0);
        if used + columns > width && used > 0 {
            starts.push(start + i);
            used = 0;
        }
        used += columns;
    }
    used
}
