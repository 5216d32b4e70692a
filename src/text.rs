//! Text hygiene shared by the loader, the reader and error messages: nothing that a terminal
//! could act on ever leaves this module as itself.

use std::borrow::Cow;

/// Shown in place of every character that a terminal could interpret.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Dropped from all text: terminals disagree on whether a joined emoji sequence is one glyph
/// two columns wide or its parts side by side, and unicode-width (so ratatui) counts it as one.
/// Without it every terminal draws the parts, as wide as byline counts them.
pub const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// True for characters that must never reach a terminal: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates that can make text display in a misleading order.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True for characters typed text drops: the unsafe ones and the zero-width joiner, which the
/// cleaners drop from articles too (so a pasted query still matches them).
pub fn is_dropped_from_input(c: char) -> bool {
    is_unsafe(c) || c == ZERO_WIDTH_JOINER
}

/// Normalises a whole document: CRLF and lone CR become LF, tabs become spaces, zero-width
/// joiners go, and every other unsafe character becomes [`REPLACEMENT`]. Line feeds are kept so
/// the caller can split lines.
pub fn clean_document(text: &str) -> Cow<'_, str> {
    if !needs_cleaning(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\t' => out.push(' '),
            ZERO_WIDTH_JOINER => {}
            c if is_unsafe(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether UTF-8 text holds anything [`clean_document`] would change, decided on the bytes:
/// C0 controls other than LF (tab and CR included), DEL, C1 controls (`C2 80`–`C2 9F`), the
/// zero-width joiner (`E2 80 8D`) and the bidirectional controls (`E2 80 AA`–`AE`,
/// `E2 81 A6`–`A9`).
fn needs_cleaning(bytes: &[u8]) -> bool {
    // Any control byte but LF is cleaned: a branch-free test per block of 64 bytes (which the
    // compiler vectorises) looks for one. The other characters start with `C2` or `E2`, which
    // news text has often (`E2` leads its dashes and quotes): memchr finds each for the exact
    // check.
    let control = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7f);
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |seen, &b| seen | control(b)))
        || memchr::memchr2_iter(0xc2, 0xe2, bytes).any(|i| exact_check(bytes, i))
}

/// The exact test of [`needs_cleaning`] for the character that starts at `i`.
fn exact_check(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        None | Some(b'\n') => false,
        Some(0x00..=0x1f | 0x7f) => true,
        Some(0xc2) => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        Some(0xe2) => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x8d | 0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    }
}

/// Whether text is one line that [`clean_line`] would leave as it is (but for trimming).
pub fn is_clean_line(text: &str) -> bool {
    !needs_cleaning(text.as_bytes()) && !text.contains('\n')
}

/// Makes one line of text safe to print: line breaks and tabs become spaces, zero-width joiners
/// go, every other unsafe character becomes [`REPLACEMENT`], and surrounding whitespace is
/// trimmed.
pub fn clean_line(text: &str) -> String {
    // Most text has nothing to change: a test of its bytes is cheaper than rebuilding it.
    if is_clean_line(text) {
        return text.trim().to_owned();
    }
    let cleaned: String = text
        .chars()
        .filter(|&c| c != ZERO_WIDTH_JOINER)
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe(c) => REPLACEMENT,
            c => c,
        })
        .collect();
    cleaned.trim().to_owned()
}

/// Tells the user `message` on standard error, as one clean line after `who` (`byline`,
/// `byline serve`). Unlike `eprintln!` it never panics: standard error may be a terminal that
/// hung up, or closed, and then there is nobody left to tell.
pub fn tell(who: &str, message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{who}: {}", clean_line(message));
}

/// [`clean_line`] that keeps the line's indentation (a tab as four spaces), for preformatted
/// text such as code.
pub fn clean_indented_line(text: &str) -> String {
    let indent: usize = text
        .chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let cleaned = clean_line(text);
    match cleaned.is_empty() {
        true => cleaned,
        false => " ".repeat(indent) + &cleaned,
    }
}

/// Decodes file content: drops a UTF-8 byte order mark and replaces invalid UTF-8 with
/// [`REPLACEMENT`]. Returns the text and how many invalid sequences were replaced, or `None` when
/// the bytes hold a NUL and so are not text at all.
pub fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, usize)> {
    if bytes.contains(&0) {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some((Cow::Borrowed(text), 0)),
        Err(_) => {
            let invalid = bytes
                .utf8_chunks()
                .filter(|chunk| !chunk.invalid().is_empty())
                .count();
            Some((String::from_utf8_lossy(bytes), invalid))
        }
    }
}

/// The cause of an I/O error in words, without Rust's "(os error 2)" suffix.
pub fn io_cause(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_owned(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_indented_line_keeps_its_indentation_and_loses_its_controls() {
        assert_eq!(
            clean_indented_line("\t  let x = 1;\u{1b}[2J "),
            "      let x = 1;\u{FFFD}[2J"
        );
        assert_eq!(clean_indented_line("   "), "");
    }

    #[test]
    fn line_ends_and_tabs_are_normalised() {
        assert_eq!(clean_document("a\r\nb\rc\td\n"), "a\nb\nc d\n");
    }

    #[test]
    fn escape_sequences_lose_their_escape_byte() {
        let cleaned = clean_document("x\u{1b}[2Jy\u{7}\u{9b}z\u{7f}");
        assert_eq!(cleaned, "x\u{FFFD}[2Jy\u{FFFD}\u{FFFD}z\u{FFFD}");
    }

    #[test]
    fn bidi_overrides_are_replaced() {
        assert_eq!(clean_line("a\u{202E}b\u{2066}c"), "a\u{FFFD}b\u{FFFD}c");
    }

    #[test]
    fn clean_line_flattens_breaks_and_trims() {
        assert_eq!(clean_line("  one\ntwo\tthree \r"), "one two three");
    }

    #[test]
    fn the_byte_check_agrees_with_the_character_check() {
        let unsafe_or_tab =
            |c: char| c != '\n' && (c == '\t' || c == ZERO_WIDTH_JOINER || is_unsafe(c));
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(
                needs_cleaning(text.as_bytes()),
                text.chars().any(unsafe_or_tab),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_byte_check_finds_a_character_anywhere_in_or_across_its_blocks() {
        let chars = [
            '\t',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            ZERO_WIDTH_JOINER,
            '\u{202E}',
            '\u{2069}',
        ];
        let harmless = ['\n', '\u{a0}', '\u{2014}', '\u{201C}', '\u{2070}', 'é'];
        for offset in 0..140 {
            for c in chars.into_iter().chain(harmless) {
                let text = format!("{}{c}{}", "a".repeat(offset), "b".repeat(140 - offset));
                assert_eq!(
                    needs_cleaning(text.as_bytes()),
                    chars.contains(&c),
                    "{c:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn a_zero_width_joiner_chain_is_cleaned_to_parts_as_wide_as_a_terminal_draws_them() {
        use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
        // A terminal (tmux, vt100) that does not join draws each part: the sum of their widths.
        let drawn = |s: &str| s.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
        let family = "Family \u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467} day";
        assert_ne!(
            family.width(),
            drawn(family),
            "unicode-width joins the sequence"
        );
        for cleaned in [clean_line(family), clean_document(family).into_owned()] {
            assert_eq!(cleaned, "Family \u{1F469}\u{1F469}\u{1F467} day");
            assert_eq!(cleaned.width(), drawn(&cleaned));
        }
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        assert!(matches!(clean_document("plain\ntext"), Cow::Borrowed(_)));
    }

    #[test]
    fn decode_drops_bom_and_counts_invalid_sequences() {
        let (text, invalid) = decode(b"\xEF\xBB\xBFok \xFF and \xC3(").unwrap();
        assert_eq!(text, "ok \u{FFFD} and \u{FFFD}(");
        assert_eq!(invalid, 2);
    }

    #[test]
    fn nul_bytes_mean_not_text() {
        assert!(decode(b"abc\0def").is_none());
    }
}
