//! The kept pieces of a part: encoding, decoding, and the checks that refuse a damaged one.

use std::ops::Range;
use std::sync::OnceLock;

use super::part::{PART, Part, Row, SOURCE, VIEWS};

/// Bytes of a piece's header: its rows, strings and bytes of text, and a hash of the rest.
pub(super) const HEADER: usize = 4 + 4 + 4 + 8;
/// Bytes of a row: its segment's start and end, its views, its string count and flags.
pub(super) const ROW: usize = 8 + 8 + 8 + 4 + 1;

/// Rows `rows` of `part` as a piece of a kept index (little-endian): the header, the rows,
/// where each string ends, and the text, hashed to tell a damaged piece.
pub(super) fn encode(part: &Part, rows: Range<usize>) -> Vec<u8> {
    let (strings, text) = part.strings(rows.clone());
    let ends = part.ends.get(strings).unwrap_or_default();
    let text_base = u32::try_from(text.start).unwrap_or(u32::MAX);
    let text = part.text.get(text).unwrap_or_default();
    let rows = part.rows.get(rows).unwrap_or_default();
    let mut bytes = Vec::with_capacity(HEADER + ROW * rows.len() + 4 * ends.len() + text.len());
    for count in [rows.len(), ends.len(), text.len()] {
        bytes.extend_from_slice(&u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
    }
    bytes.extend_from_slice(&[0; 8]);
    for row in rows {
        bytes.extend_from_slice(&(row.start as u64).to_le_bytes());
        bytes.extend_from_slice(&(row.end as u64).to_le_bytes());
        bytes.extend_from_slice(&row.views.to_le_bytes());
        bytes.extend_from_slice(&row.strings.to_le_bytes());
        bytes.push(row.flags);
    }
    for end in ends {
        bytes.extend_from_slice(&end.saturating_sub(text_base).to_le_bytes());
    }
    bytes.extend_from_slice(text.as_bytes());
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes[HEADER..]);
    bytes[HEADER - 8..HEADER].copy_from_slice(&hash.to_le_bytes());
    bytes
}

/// A part from a piece that [`encode`] made, or `None` if the piece is damaged: its hash is
/// wrong, or anything in it does not hold together, or its text is not UTF-8 or holds anything
/// that a terminal could act on (it came from outside byline, and is shown).
pub(super) fn decode(bytes: &[u8]) -> Option<Part> {
    let (header, rest) = bytes.split_at_checked(HEADER)?;
    let word = |at: usize| Some(u32::from_le_bytes(header.get(at..at + 4)?.try_into().ok()?));
    let (rows, strings, text) = (word(0)? as usize, word(4)? as usize, word(8)? as usize);
    let hash = u64::from_le_bytes(header.get(12..20)?.try_into().ok()?);
    if xxhash_rust::xxh3::xxh3_64(rest) != hash {
        return None;
    }
    let row_bytes = rows.checked_mul(ROW)?;
    let (row_bytes, rest) = rest.split_at_checked(row_bytes)?;
    let (end_bytes, text_bytes) = rest.split_at_checked(strings.checked_mul(4)?)?;
    if text_bytes.len() != text || rows > PART {
        return None;
    }
    let mut first: u32 = 0;
    let mut max_views = None;
    let mut decoded = Vec::with_capacity(rows);
    for row in row_bytes.chunks_exact(ROW) {
        let u64_at = |at: usize| Some(u64::from_le_bytes(row.get(at..at + 8)?.try_into().ok()?));
        let count = u32::from_le_bytes(row.get(24..28)?.try_into().ok()?);
        let flags = *row.get(28)?;
        let row = Row {
            start: usize::try_from(u64_at(0)?).ok()?,
            end: usize::try_from(u64_at(8)?).ok()?,
            views: u64_at(16)?,
            first,
            strings: count,
            flags,
        };
        // An id, a headline, the source if there is one.
        let least = 2 + u32::from(flags & SOURCE != 0);
        if flags & !(VIEWS | SOURCE) != 0 || count < least || row.start > row.end {
            return None;
        }
        max_views = max_views.max(row.views());
        first = first.checked_add(count)?;
        decoded.push(row);
    }
    if first as usize != strings {
        return None;
    }
    let text = text_of(text_bytes)?;
    let mut ends = Vec::with_capacity(strings);
    let mut last = 0;
    for end in end_bytes.chunks_exact(4) {
        let end = u32::from_le_bytes(end.try_into().ok()?);
        if end < last || !text.is_char_boundary(end as usize) {
            return None;
        }
        ends.push(end);
        last = end;
    }
    if last as usize != text.len() {
        return None;
    }
    Some(Part {
        text,
        ends,
        rows: decoded,
        articles: Vec::new(),
        max_views,
        ids: OnceLock::new(),
    })
}

/// The text of a piece, if it is UTF-8 that [`crate::text::is_clean_line`] accepts: every
/// string in it is then one clean line too, as each ends at a character boundary.
fn text_of(bytes: &[u8]) -> Option<String> {
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    crate::text::is_clean_line(text).then(|| text.to_owned())
}
