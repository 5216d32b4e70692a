//! Finding the open article's search matches, a chunk at a time, and the text around a window
//! that marks are looked for in.

use std::ops::Range;

use super::{CHUNK, Document, Hit, Position, Source};
use crate::article::Article;
use crate::search::Query;

/// Context around a searched window, so matches and tags at its edges are found whole.
const MARGIN: usize = 4096;

impl Document {
    /// The first match starting at or after `from` (`forward`), or the last starting before it.
    /// Searches a chunk at a time, so the cost is the distance to the match.
    pub fn find_match(
        &self,
        article: &Article,
        query: &Query,
        from: Position,
        forward: bool,
    ) -> Option<Hit> {
        let searched = |index: usize| {
            let piece = &self.pieces[index];
            let text = self.text(article, piece.source);
            (!matches!(piece.source, Source::Rule | Source::Blank)).then_some(text)
        };
        if forward {
            for index in from.piece..self.pieces.len() {
                let Some(text) = searched(index) else {
                    continue;
                };
                let mut at = if index == from.piece { from.offset } else { 0 };
                at = text.ceil_char_boundary(at.min(text.len()));
                while at < text.len() {
                    let end = text.ceil_char_boundary(at + CHUNK);
                    if let Some(range) =
                        matches_starting_in(query, text, at..end).into_iter().next()
                    {
                        return Some(self.hit(index, range));
                    }
                    at = end;
                }
            }
        } else {
            for index in (0..self.pieces.len().min(from.piece + 1)).rev() {
                let Some(text) = searched(index) else {
                    continue;
                };
                let mut end = if index == from.piece {
                    from.offset
                } else {
                    text.len()
                };
                end = text.floor_char_boundary(end.min(text.len()));
                while end > 0 {
                    let start = text.floor_char_boundary(end.saturating_sub(CHUNK));
                    if let Some(range) = matches_starting_in(query, text, start..end).pop() {
                        return Some(self.hit(index, range));
                    }
                    end = start;
                }
            }
        }
        None
    }

    /// Every match in reading order. Costs the whole article: for tests and tools, not keys.
    pub fn all_matches(&self, article: &Article, query: &Query) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut from = self.line_position(0);
        while let Some(hit) = self.find_match(article, query, from, true) {
            from = Position {
                piece: hit.piece,
                offset: hit.range.end.max(hit.range.start + 1),
            };
            hits.push(hit);
        }
        hits
    }
}

/// The text around `window` (with [`MARGIN`] bytes either side) and where it starts.
pub(super) fn around<'a>(text: &'a str, window: &Range<usize>) -> (usize, &'a str) {
    let from = text.floor_char_boundary(window.start.saturating_sub(MARGIN));
    let to = text.ceil_char_boundary(window.end.saturating_add(MARGIN).min(text.len()));
    (from, text.get(from..to).unwrap_or(""))
}

/// `query`'s matches in `text` that start inside `window`, in order, in `text`'s offsets.
fn matches_starting_in(query: &Query, text: &str, window: Range<usize>) -> Vec<Range<usize>> {
    let (from, context) = around(text, &window);
    query
        .highlights(context)
        .into_iter()
        .map(|r| r.start + from..r.end + from)
        .filter(|r| window.contains(&r.start))
        .collect()
}
