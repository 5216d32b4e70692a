//! The reading pane: the open article's visible lines, styled by kind, with a scrollbar.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::text::spans;
use super::theme::Theme;
use crate::app::App;
use crate::document::LineKind;

/// Columns left blank between the pane's edge and the text.
const MARGIN: u16 = 1;

pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if app.open_article().is_none() {
        let hint = if app.view().is_empty() {
            ""
        } else {
            "Press Enter to read the selected article."
        };
        let inner = Rect {
            x: area.x.saturating_add(MARGIN).min(area.right()),
            width: area.width.saturating_sub(MARGIN),
            ..area
        };
        Paragraph::new(hint)
            .style(theme.hint)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }
    let doc = app.document();
    let height = usize::from(area.height);
    let text_x = area.x.saturating_add(MARGIN).min(area.right());
    let text_width = (app.text_width() as u16).min(area.right().saturating_sub(text_x));
    let current = app.current_match().and_then(|i| doc.matches.get(i));
    let visible = doc
        .lines
        .iter()
        .enumerate()
        .skip(app.reader_scroll())
        .take(height);
    for (y, (index, line)) in (area.y..).zip(visible) {
        let base = style_for(line.kind, theme);
        let current = current.filter(|(l, _)| *l == index).map(|(_, r)| r);
        let line = Line::from(spans(&line.text, &line.marks, base, theme, current));
        buf.set_line(text_x, y, &line, text_width);
    }
    super::render_scrollbar(area, buf, theme, doc.lines.len(), app.reader_scroll());
}

fn style_for(kind: LineKind, theme: &Theme) -> Style {
    match kind {
        LineKind::Headline => theme.headline,
        LineKind::Standfirst => theme.standfirst,
        LineKind::Meta => theme.meta,
        LineKind::Heading => theme.heading,
        LineKind::Rule => theme.rule,
        LineKind::Credit => theme.credit,
        LineKind::Paragraph | LineKind::Blank => Style::new(),
    }
}
