//! The reading pane: the open article's visible lines, styled by kind, with a scrollbar.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use unicode_width::UnicodeWidthStr;

use super::text::{put_line, spans};
use super::theme::Theme;
use crate::document::LineKind;
use crate::session::Session;
use crate::terminal::Link;

/// Columns left blank between the pane's edge and the text.
const MARGIN: u16 = 1;

/// Draws the pane; returns where its addresses are, to link them.
pub fn render(app: &Session, area: Rect, buf: &mut Buffer, theme: &Theme) -> Vec<Link> {
    if app.open_article().is_none() {
        let open = app.options().settings.keymap.hint("open");
        let hint = match open.filter(|_| !app.view().is_empty()) {
            Some(key) => format!("Press {key} to read the selected article."),
            None => String::new(),
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
        return Vec::new();
    }
    let doc = app.document();
    let Some(article) = app.open_text() else {
        return Vec::new();
    };
    let height = usize::from(area.height);
    // A pane wider than the measure (plus the gap and scrollbar) has the column in its middle.
    let text_width = app.text_width() as u16;
    let spare = area.width.saturating_sub(text_width + MARGIN + 2) / 2;
    let text_x = area.x.saturating_add(MARGIN + spare).min(area.right());
    let text_width = text_width.min(area.right().saturating_sub(text_x));
    let scroll = app.reader_scroll();
    // Only the visible lines are marked: the cost of a frame is what is on screen.
    let visible = doc.lines(article, app.query(), scroll..scroll.saturating_add(height));
    let mut links = Vec::new();
    for (y, (index, line)) in (area.y..).zip((scroll..).zip(&visible)) {
        if let Some(address) = line.link {
            let start = text_x.saturating_add(line.prefix.width() as u16);
            let end = start.saturating_add(line.text.width() as u16);
            let right = text_x.saturating_add(text_width);
            links.extend(Link::new(y, (start.min(right), end.min(right)), address));
        }
        let base = style_for(line.kind, theme);
        // The current match is styled on the line where it starts, as far as that line goes.
        let current = app
            .current_match()
            .filter(|hit| hit.line == index && hit.piece == line.piece)
            .map(|hit| {
                let end = hit.range.end.min(line.offset + line.text.len());
                hit.range.start.saturating_sub(line.offset)..end.saturating_sub(line.offset)
            });
        let mut spans = spans(line.text, &line.marks, base, theme, current.as_ref());
        if !line.prefix.is_empty() {
            spans.insert(0, Span::styled(line.prefix.clone(), theme.meta));
        }
        put_line(buf, text_x, y, &Line::from(spans), text_width);
    }
    super::render_scrollbar(area, buf, theme, doc.line_count(), scroll);
    links
}

fn style_for(kind: LineKind, theme: &Theme) -> Style {
    match kind {
        LineKind::Headline => theme.headline,
        LineKind::Standfirst => theme.standfirst,
        LineKind::Meta => theme.meta,
        LineKind::Heading => theme.heading,
        LineKind::Rule => theme.rule,
        LineKind::Credit => theme.credit,
        LineKind::Quote => theme.standfirst,
        LineKind::Pre | LineKind::Reference => theme.meta,
        LineKind::Paragraph | LineKind::Blank | LineKind::Item => Style::new(),
    }
}
