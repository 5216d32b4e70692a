//! Turning text with marked ranges into styled spans, and fitting text to a display width.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;
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
}
