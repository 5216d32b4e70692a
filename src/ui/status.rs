//! The status line: position, pane, filter and match count, messages, and the search prompt.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::app::{App, Focus, Mode, Order, Prompt, Purpose};
use crate::document::group_thousands;

/// `reader_shown`: whether the reading pane is on screen, so its percentage means something.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme, reader_shown: bool) {
    buf.set_style(area, theme.status);
    let count = match_count(app);
    let (left, right) = if let Some((prompt, label, right)) = open_prompt(app) {
        let width = area
            .width
            .saturating_sub((label.width() + right.width()) as u16 + 1);
        let (visible, _) = prompt_view(prompt, width);
        (
            vec![Span::styled(format!("{label}{visible}"), theme.status)],
            right,
        )
    } else {
        let mut left = vec![Span::styled(
            format!(" {} ", position(app)),
            theme.status_accent,
        )];
        let pane = match app.focus() {
            Focus::List => "list",
            Focus::Reader => "reader",
        };
        left.push(Span::styled(format!(" {pane} "), theme.status));
        left.push(Span::styled(
            format!("· {} unread ", group_thousands(app.unread_count() as u64)),
            theme.status,
        ));
        if app.new_count() > 0 {
            left.push(Span::styled(
                format!("· {} new ", group_thousands(app.new_count() as u64)),
                theme.status_accent,
            ));
        }
        if app.unread_only() {
            left.push(Span::styled("· unread only ", theme.status_accent));
        }
        if app.starred_only() {
            left.push(Span::styled("· starred only ", theme.status_accent));
        }
        if let Some(label) = app.label() {
            left.push(Span::styled(
                format!("· {} ", label.text()),
                theme.status_accent,
            ));
        }
        if app.order() != Order::File {
            left.push(Span::styled(
                format!("· {} ", app.order().label()),
                theme.status,
            ));
        }
        if !app.filter().is_empty() {
            left.push(Span::styled(
                format!("· /{} {count} ", app.filter()),
                theme.status,
            ));
        }
        if let Some(message) = app.message() {
            left.push(Span::styled(format!(" {message} "), theme.message));
        }
        let percent = app
            .reader_percent()
            .filter(|_| reader_shown)
            .map(|p| format!("{p}%  "))
            .unwrap_or_default();
        (left, format!("{percent}? help "))
    };
    let left = Line::from(left);
    let right_width = right.width() as u16;
    let left_width = left.width() as u16;
    buf.set_line(area.x, area.y, &left, area.width);
    if left_width + right_width < area.width {
        buf.set_string(area.right() - right_width, area.y, right, theme.status);
    }
}

/// The prompt being typed at, if any: its line, its label, and what shows at the right.
fn open_prompt(app: &App) -> Option<(&Prompt, &'static str, String)> {
    match (app.mode(), app.line()) {
        (Mode::Search, _) => Some((app.prompt(), "/", format!("{} ", match_count(app)))),
        (Mode::Input, (line, Some(Purpose::Pipe))) => {
            Some((line, "Pipe to: ", "Enter runs, Esc cancels ".into()))
        }
        (Mode::Input, (line, Some(Purpose::Save))) => {
            Some((line, "Save to: ", "Enter saves, Esc cancels ".into()))
        }
        _ => None,
    }
}

/// Where the terminal cursor goes while a prompt is open.
pub fn cursor(app: &App, area: Rect) -> Option<Position> {
    let (prompt, label, right) = open_prompt(app)?;
    if area.width == 0 || area.height == 0 {
        return None;
    }
    let width = area
        .width
        .saturating_sub((label.width() + right.width()) as u16 + 1);
    let (_, column) = prompt_view(prompt, width);
    let x = area.x + label.width() as u16 + column;
    Some(Position::new(x.min(area.right() - 1), area.y))
}

/// The part of a prompt's line that fits in `width` columns with the cursor in view, and the
/// cursor's column within it.
fn prompt_view(prompt: &Prompt, width: u16) -> (String, u16) {
    let text = prompt.text();
    let before = prompt.before_cursor();
    let width = usize::from(width.max(1));
    let mut start = 0;
    // Drop characters from the left until the cursor fits.
    while before[start..].width() >= width {
        start += before[start..].chars().next().map_or(1, char::len_utf8);
    }
    (text[start..].to_owned(), before[start..].width() as u16)
}

/// `3/10`: the selected row and the rows listed.
fn position(app: &App) -> String {
    let total = app.view().len();
    let row = if total == 0 { 0 } else { app.selected() + 1 };
    format!("{row}/{total}")
}

/// `4 of 10`: articles matching the query in effect out of all articles.
fn match_count(app: &App) -> String {
    if app.is_searching() {
        return "searching…".to_owned();
    }
    format!(
        "{} of {}",
        group_thousands(app.view().len() as u64),
        group_thousands(app.articles().len() as u64)
    )
}
