//! The help overlay: every key from the binding table, and the search syntax.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::input::{BINDINGS, Keymap, Place, key_name};

const SYNTAX_HELP: &str = "Query: words, \"a phrase\", #tag, -word; uppercase: case-sensitive.";

/// Widths of the key and list columns of the key table.
const KEY_COLUMN: usize = 16;
const LIST_COLUMN: usize = 30;

/// One row per binding, or per pair of opposite bindings: keys as configured, list action,
/// reader action. Bindings left without keys are not shown.
pub fn rows(keymap: &Keymap) -> Vec<[String; 3]> {
    let mut rows = Vec::new();
    let mut bindings = BINDINGS.iter().enumerate();
    let keys = |index: usize| {
        keymap
            .keys(index)
            .iter()
            .map(key_name)
            .collect::<Vec<_>>()
            .join(" ")
    };
    while let Some((index, binding)) = bindings.next() {
        if !matches!(binding.place, Place::Panes { .. }) {
            continue;
        }
        let row = match bindings.clone().next().filter(|_| binding.pairs_with_next) {
            Some((opposite_index, opposite)) => {
                bindings.next();
                let (these, those) = (keys(index), keys(opposite_index));
                let shown = match (these.is_empty(), those.is_empty()) {
                    (false, false) => format!("{these} / {those}"),
                    _ => format!("{these}{those}"),
                };
                if shown.is_empty() {
                    continue;
                }
                [
                    shown,
                    combine(binding.in_list(), opposite.in_list()),
                    combine(binding.in_reader(), opposite.in_reader()),
                ]
            }
            None if keymap.keys(index).is_empty() => continue,
            None => [
                keys(index),
                describe(binding.in_list()),
                describe(binding.in_reader()),
            ],
        };
        rows.push(row);
    }
    rows
}

fn describe(what: Option<&str>) -> String {
    what.unwrap_or("–").to_owned()
}

/// Joins two descriptions that share leading and trailing words: "next article" and "previous
/// article" become "next / previous article".
fn combine(first: Option<&str>, second: Option<&str>) -> String {
    let (Some(first), Some(second)) = (first, second) else {
        return describe(first.or(second));
    };
    if first == second {
        return first.to_owned();
    }
    let a: Vec<&str> = first.split(' ').collect();
    let b: Vec<&str> = second.split(' ').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let middle = |words: &[&str]| words[prefix..words.len() - suffix].join(" ");
    let parts = [
        a[..prefix].join(" "),
        format!("{} / {}", middle(&a), middle(&b)),
        a[a.len() - suffix..].join(" "),
    ];
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The overlay's lines for an inner width of `width` columns: a table of three columns where
/// they fit, otherwise each key with what it does in the list and, below, in the reader.
fn lines(theme: &Theme, keymap: &Keymap, width: usize) -> Vec<Line<'static>> {
    let rows = rows(keymap);
    let reader_width = rows.iter().map(|r| r[2].width()).max().unwrap_or(0);
    let mut lines = Vec::new();
    if width >= KEY_COLUMN + LIST_COLUMN + reader_width {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<KEY_COLUMN$}", "key"), theme.heading),
            Span::styled(format!("{:<LIST_COLUMN$}", "in the list"), theme.heading),
            Span::styled("in the reader", theme.heading),
        ]));
        for [keys, list, reader] in rows {
            lines.push(Line::from(format!(
                "{keys:<KEY_COLUMN$}{list:<LIST_COLUMN$}{reader}"
            )));
        }
    } else {
        let wrap = |text: &str| {
            let options = textwrap::Options::new(width.max(3))
                .initial_indent("  ")
                .subsequent_indent("    ");
            textwrap::wrap(text, options)
                .into_iter()
                .map(|l| Line::from(l.into_owned()))
                .collect::<Vec<_>>()
        };
        for [keys, list, reader] in rows {
            lines.push(Line::styled(keys, theme.heading));
            if list != "–" {
                lines.extend(wrap(&list));
            }
            if reader != list && reader != "–" {
                lines.extend(wrap(&format!("reader: {reader}")));
            }
        }
    }
    for text in [keymap.prompt_help(), SYNTAX_HELP.to_owned()] {
        let wrapped = textwrap::wrap(&text, width.max(1));
        lines.extend(
            wrapped
                .into_iter()
                .map(|l| Line::styled(l.into_owned(), theme.hint)),
        );
    }
    lines
}

/// Draws the help over `area`, scrolled down `scroll` lines (as far as the end allows);
/// returns where it is.
pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap, scroll: usize) -> Rect {
    let width = area.width.min(80);
    let inner_width = usize::from(width.saturating_sub(4));
    let lines = lines(theme, keymap, inner_width);
    let height = lines.len() as u16 + 2;
    let popup = area.centered(Constraint::Length(width), Constraint::Max(height));
    let visible = usize::from(popup.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    let more = scroll + visible < lines.len();
    let (down, up) = (keymap.hint("help_down"), keymap.hint("help_up"));
    let footers: Vec<String> = match (scroll > 0, more, down, up) {
        (_, true, Some(down), Some(up)) => vec![
            format!(" {down}/{up} scroll, any other key closes "),
            format!(" {down}/{up}, any key closes "),
        ],
        (_, true, Some(down), None) => vec![
            format!(" {down} scrolls, any other key closes "),
            format!(" {down}, any key closes "),
        ],
        (true, false, _, Some(up)) => vec![
            format!(" {up} scrolls back, any other key closes "),
            format!(" {up} back, any key closes "),
        ],
        _ => vec![" any key closes ".to_owned()],
    };
    // The longest footer that fits, so none is cut from the left.
    let room = usize::from(popup.width.saturating_sub(2));
    let footer = footers
        .into_iter()
        .find(|f| f.width() <= room)
        .unwrap_or_default();
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" byline keys ")
        .title_bottom(Line::from(footer).right_aligned())
        .border_style(theme.border_focused)
        .padding(ratatui::widgets::Padding::horizontal(1));
    Paragraph::new(lines)
        .scroll((scroll as u16, 0))
        .block(block)
        .render(popup, buf);
    popup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opposite_descriptions_share_their_common_words() {
        assert_eq!(
            combine(Some("next article"), Some("previous article")),
            "next / previous article"
        );
        assert_eq!(
            combine(Some("scroll down a line"), Some("scroll up a line")),
            "scroll down / up a line"
        );
        assert_eq!(
            combine(Some("half a page down"), Some("half a page up")),
            "half a page down / up"
        );
        assert_eq!(combine(Some("quit"), Some("quit")), "quit");
        assert_eq!(combine(None, None), "–");
    }

    #[test]
    fn the_help_shows_configured_keys() {
        let keymap =
            Keymap::with(&[("next", vec![crate::input::parse_key("ctrl-n").unwrap()])]).unwrap();
        let rows = rows(&keymap);
        assert_eq!(rows[0][0], "Ctrl-n / k ↑");
        let unbound = Keymap::with(&[("help", vec![])]).unwrap();
        assert!(rows.iter().any(|r| r[1] == "this help"));
        assert!(!super::rows(&unbound).iter().any(|r| r[1] == "this help"));
    }

    #[test]
    fn a_narrow_help_keeps_the_reader_column() {
        let theme = Theme::new(&crate::config::ThemeSettings::default(), true);
        for width in [76, 56, 26] {
            let text: String = lines(&theme, &Keymap::default(), width)
                .iter()
                .map(|l| l.to_string() + "\n")
                .collect();
            for [_, _, reader] in rows(&Keymap::default()) {
                let first_word = reader.split(' ').next().unwrap_or_default();
                assert!(text.contains(first_word), "{reader:?} missing at {width}");
            }
            for line in text.lines() {
                assert!(line.width() <= width, "{line:?} wider than {width}");
            }
        }
    }

    #[test]
    fn every_binding_appears_in_the_help() {
        let text: String = rows(&Keymap::default())
            .iter()
            .map(|r| r[0].clone() + " ")
            .collect();
        let panes = BINDINGS
            .iter()
            .filter(|b| matches!(b.place, Place::Panes { .. }));
        for binding in panes {
            for key in binding.keys {
                assert!(text.contains(&key_name(key)), "{key:?} missing from {text}");
            }
        }
    }
}
