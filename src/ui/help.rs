//! The help overlay: every key from the binding table, and the search syntax.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::input::{BINDINGS, Binding, PROMPT_HELP, key_name};

const SYNTAX_HELP: &str = "Search: words in any order, \"a phrase\", #tag, -word to exclude; an \
    uppercase letter makes it case-sensitive, accents never matter.";

/// Widths of the key and list columns of the key table.
const KEY_COLUMN: usize = 16;
const LIST_COLUMN: usize = 25;

/// One row per binding, or per pair of opposite bindings: keys, list action, reader action.
pub fn rows() -> Vec<[String; 3]> {
    let mut rows = Vec::new();
    let mut bindings = BINDINGS.iter();
    while let Some(binding) = bindings.next() {
        let keys = |b: &Binding| b.keys.iter().map(key_name).collect::<Vec<_>>().join(" ");
        let row = match bindings.clone().next().filter(|_| binding.pairs_with_next) {
            Some(opposite) => {
                bindings.next();
                [
                    format!("{} / {}", keys(binding), keys(opposite)),
                    combine(binding.list, opposite.list),
                    combine(binding.reader, opposite.reader),
                ]
            }
            None => [
                keys(binding),
                describe(binding.list),
                describe(binding.reader),
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

/// The overlay's lines for an inner width of `width` columns.
fn lines(theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<KEY_COLUMN$}", "key"), theme.heading),
        Span::styled(format!("{:<LIST_COLUMN$}", "in the list"), theme.heading),
        Span::styled("in the reader", theme.heading),
    ])];
    for [keys, list, reader] in rows() {
        lines.push(Line::from(format!(
            "{keys:<KEY_COLUMN$}{list:<LIST_COLUMN$}{reader}"
        )));
    }
    for text in [PROMPT_HELP, SYNTAX_HELP] {
        lines.push(Line::default());
        lines.extend(
            textwrap::wrap(text, width.max(1))
                .into_iter()
                .map(|l| Line::from(l.into_owned())),
        );
    }
    lines
}

pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = area.width.min(80);
    let inner_width = usize::from(width.saturating_sub(4));
    let lines = lines(theme, inner_width);
    let height = lines.len() as u16 + 2;
    let popup = area.centered(Constraint::Length(width), Constraint::Max(height));
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" byline keys ")
        .title_bottom(Line::from(" any key closes ").right_aligned())
        .border_style(theme.border_focused)
        .padding(ratatui::widgets::Padding::horizontal(1));
    Paragraph::new(lines).block(block).render(popup, buf);
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
    fn every_binding_appears_in_the_help() {
        let text: String = rows().iter().map(|r| r[0].clone() + " ").collect();
        for binding in BINDINGS {
            for key in binding.keys {
                assert!(text.contains(&key_name(key)), "{key:?} missing from {text}");
            }
        }
    }
}
