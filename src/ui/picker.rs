//! The picker of tags and sources (`t`): a filter line and the matching entries with their
//! article counts.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::session::{Label, Picker, Session};

/// The popup's place on a screen of `area`.
fn popup(area: Rect) -> Rect {
    area.centered(
        Constraint::Length(area.width.min(50)),
        Constraint::Length(area.height.min(20)),
    )
}

/// The keys of the popup's foot, from the keymap: ` ↑↓ choose · Enter lists · Esc closes `.
fn footer(session: &Session) -> String {
    let keymap = &session.options().settings.keymap;
    let choose = format!(
        "{}{}",
        keymap.names("recall_previous"),
        keymap.names("recall_next")
    );
    let parts = [
        (choose, "choose"),
        (keymap.names("accept"), "lists"),
        (keymap.names("cancel"), "closes"),
    ];
    let shown: Vec<String> = (parts.iter())
        .filter(|(keys, _)| !keys.is_empty())
        .map(|(keys, what)| format!("{keys} {what}"))
        .collect();
    format!(" {} ", shown.join(" · "))
}

/// Draws the picker over `area`; returns where it is.
pub fn render(
    session: &Session,
    app: &Picker,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> Rect {
    let popup = popup(area);
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" Tags and sources ")
        .title_bottom(Line::from(footer(session)).right_aligned())
        .border_style(theme.border_focused);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let entries = app.entries();
    let mut lines = vec![Line::from(vec![
        Span::styled("Filter: ", theme.heading),
        Span::raw(app.typed().text()),
    ])];
    let rows = usize::from(inner.height.saturating_sub(1));
    let first = app.row().saturating_sub(rows.saturating_sub(1));
    for (row, (label, count)) in entries.iter().enumerate().skip(first).take(rows) {
        let (name, kind) = match label {
            Label::Tag(tag) => (format!("#{tag}"), ""),
            Label::Source(source) => (source.clone(), "source"),
        };
        let text = format!("{name} ({count}) {kind}");
        let style = if row == app.row() {
            theme.selected
        } else {
            theme.read
        };
        lines.push(Line::styled(text, style));
    }
    if entries.is_empty() {
        lines.push(Line::styled("Nothing matches", theme.hint));
    }
    Paragraph::new(lines).render(inner, buf);
    popup
}

/// Where the cursor goes: after the typed filter.
pub fn cursor(app: &Picker, area: Rect) -> Option<Position> {
    let inner = popup(area).inner(ratatui::layout::Margin::new(1, 1));
    if inner.width == 0 || inner.height == 0 {
        return None;
    }
    let column = "Filter: ".width() + app.typed().before_cursor().width();
    Some(Position::new(
        inner.x + (column as u16).min(inner.width - 1),
        inner.y,
    ))
}
