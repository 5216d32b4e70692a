//! Turning text with marked ranges into styled spans, and fitting text to a display width.

use std::ops::Range;

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use super::theme::Theme;
use crate::document::Mark;

/// Splits `text` into spans: marked ranges get their mark's style patched over `base`.
/// `current` is a range styled as the current match.
pub fn spans<'a>(
    text: &'a str,
    marks: &[(Range<usize>, Mark)],
    base: Style,
    theme: &Theme,
    current: Option<&Range<usize>>,
) -> Vec<Span<'a>> {
    // Matches win over tags where they overlap: apply tags first, then matches.
    let mut styles: Vec<(Range<usize>, Style)> = Vec::with_capacity(marks.len());
    for (range, mark) in marks
        .iter()
        .filter(|(_, m)| *m == Mark::Tag)
        .chain(marks.iter().filter(|(_, m)| *m == Mark::Match))
    {
        let style = match mark {
            Mark::Tag => theme.tag,
            Mark::Match if current == Some(range) => theme.current_match,
            Mark::Match => theme.matched,
        };
        styles.push((range.clone(), style));
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (range, _) in &styles {
        cuts.push(range.start.min(text.len()));
        cuts.push(range.end.min(text.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter(|w| w[0] < w[1] && text.is_char_boundary(w[0]) && text.is_char_boundary(w[1]))
        .map(|w| {
            let style = styles
                .iter()
                .filter(|(range, _)| range.start <= w[0] && w[1] <= range.end)
                .fold(base, |style, (_, s)| style.patch(*s));
            Span::styled(&text[w[0]..w[1]], style)
        })
        .collect()
}

/// The longest prefix of `text` that fits in `width` columns, ending in `…` when cut. Returns
/// the prefix's byte length and whether it was cut.
pub fn fit(text: &str, width: usize) -> (usize, bool) {
    let mut used = 0;
    let mut fits_with_ellipsis = 0;
    for (index, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            return (fits_with_ellipsis, true);
        }
        used += w;
        if used < width {
            fits_with_ellipsis = index + c.len_utf8();
        }
    }
    (text.len(), false)
}

/// Writes `line` from column `x` of row `y`, in at most `max_width` columns, cell for cell as
/// ratatui's `Buffer::set_line` would, but without segmenting plain text into graphemes: a
/// printable ASCII character between two others (or at an end) is always a grapheme of its
/// own, one column wide. Everything else goes through Unicode's segmentation.
pub fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &Line, max_width: u16) -> (u16, u16) {
    let mut remaining = max_width;
    let mut x = x;
    for span in line {
        if remaining == 0 {
            break;
        }
        let to = put_str(
            buf,
            x,
            y,
            &span.content,
            remaining,
            line.style.patch(span.style),
        );
        remaining = remaining.saturating_sub(to - x);
        x = to;
    }
    (x, y)
}

/// Writes `text` from column `x` of row `y` in at most `max_width` columns, stopping at the
/// first grapheme that does not fit; the column after the last one written.
fn put_str(buf: &mut Buffer, mut x: u16, y: u16, text: &str, max_width: u16, style: Style) -> u16 {
    let mut remaining = buf.area.right().saturating_sub(x).min(max_width);
    let bytes = text.as_bytes();
    let plain = |i: usize| bytes.get(i).is_none_or(|b| (b' '..=b'~').contains(b));
    // Position `i` holds a grapheme of one ASCII character when it and both neighbours are
    // printable ASCII: nothing before it can join it (no ASCII character is a prefix mark) and
    // nothing after it does (no ASCII character extends one).
    let alone = |i: usize| plain(i) && i < bytes.len() && (i == 0 || plain(i - 1)) && plain(i + 1);
    let mut i = 0;
    while i < bytes.len() {
        if alone(i) {
            if remaining == 0 {
                return x;
            }
            buf[(x, y)].set_char(char::from(bytes[i])).set_style(style);
            (x, remaining, i) = (x + 1, remaining - 1, i + 1);
            continue;
        }
        // Graphemes from here (a boundary) to the next lone ASCII character, looked at lazily:
        // the text may be megabytes long where a few columns are left.
        let mut next = bytes.len();
        for (at, symbol) in text[i..].grapheme_indices(true) {
            if at > 0 && alone(i + at) {
                next = i + at;
                break;
            }
            if symbol.contains(char::is_control) {
                continue;
            }
            let width = symbol.cell_width();
            if width == 0 {
                continue;
            }
            if width > remaining {
                return x;
            }
            buf[(x, y)].set_symbol(symbol).set_style(style);
            // The cells a wide grapheme covers are reset, as ratatui does.
            for covered in x + 1..x + width {
                buf[(covered, y)].reset();
            }
            (x, remaining) = (x + width, remaining - width);
        }
        i = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn fit_keeps_text_that_fits() {
        assert_eq!(fit("hello", 5), (5, false));
        assert_eq!(fit("", 0), (0, false));
    }

    #[test]
    fn fit_leaves_room_for_the_ellipsis_and_never_splits_wide_characters() {
        assert_eq!(fit("hello world", 6), (5, true));
        let cjk = "漢字漢字";
        let (len, cut) = fit(cjk, 6);
        assert!(cut);
        assert_eq!(&cjk[..len], "漢字");
        assert!(cjk[..len].width() < 6);
        assert_eq!(fit(cjk, 1), (0, true));
    }

    #[test]
    fn spans_style_marked_ranges_and_keep_all_text() {
        let theme = Theme::new(&Default::default(), true);
        let marks = vec![(0..4, Mark::Tag), (9..12, Mark::Match)];
        let spans = spans("NATO and war", &marks, Style::new(), &theme, None);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "NATO and war");
        assert_eq!(spans[0].style, theme.tag);
        assert_eq!(spans[2].content, "war");
        assert_eq!(spans[2].style, theme.matched);
    }

    #[test]
    fn put_line_writes_the_cells_set_line_writes() {
        use ratatui::layout::Rect;
        use ratatui::style::{Color, Modifier};
        let texts = [
            "plain words, and punctuation!",
            "cafe\u{301} ne\u{303}e",
            "e\u{301}",
            "\u{600}12 \u{110bd}x",
            "a🇫🇷🇩🇪🇮b",
            "x👨\u{200d}👩\u{200d}👧y 🎉z",
            "東京 and 서울, 北京",
            "ab\tc\u{7}d\re\nf",
            "ｶﾞｷﾞ half",
            "\u{200b}zero\u{200b} width",
            "",
            "a",
            "é",
        ];
        let styles = [
            Style::new().fg(Color::Cyan),
            Style::new().add_modifier(Modifier::BOLD).bg(Color::Blue),
        ];
        for first in texts {
            for second in texts {
                let line = Line::from(vec![
                    Span::styled(first, styles[0]),
                    Span::styled(second, styles[1]),
                ]);
                for (x, width) in [(0, 40), (0, 7), (3, 5), (2, 1), (5, 0), (10, 200)] {
                    let area = Rect::new(0, 0, 24, 1);
                    let (mut ours, mut theirs) = (Buffer::empty(area), Buffer::empty(area));
                    let a = put_line(&mut ours, x, 0, &line, width);
                    let b = theirs.set_line(x, 0, &line, width);
                    assert_eq!(
                        (a, &ours),
                        (b, &theirs),
                        "{first:?} {second:?} at {x}, {width}"
                    );
                }
            }
        }
    }
}
