//! The headline list: one row per article with its read marker, headline and views.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::text::{fit, put_line, spans};
use super::theme::Theme;
use crate::document::{Mark, group_thousands, tag_ranges};
use crate::session::{Focus, Session};

/// The marker column of an article not yet opened, and of one that was.
const UNREAD: &str = "●";
/// The marker of an article that arrived with the last reload.
const NEW: &str = "+";
const READ: &str = " ";
/// The star column of a starred article, and of one that is not.
const STARRED: &str = "★ ";
const UNSTARRED: &str = "  ";
/// Columns before the headline: the read marker and the star.
const PREFIX: usize = 3;

pub fn render(app: &Session, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let view = app.view();
    if view.is_empty() && !app.is_searching() {
        let text = if app.is_filtered() {
            format!("No articles match \"{}\"", app.query_text())
        } else if app.unread_only() || app.starred_only() {
            let keymap = &app.options().settings.keymap;
            let switches = [
                (app.unread_only(), "unread_only", "read ones"),
                (app.starred_only(), "starred_only", "unstarred ones"),
            ];
            let hints: Vec<String> = (switches.iter())
                .filter(|(on, _, _)| *on)
                .filter_map(|(_, name, what)| {
                    Some(format!("{} lists {what} too", keymap.hint(name)?))
                })
                .collect();
            match hints.is_empty() {
                true => "No articles left".to_owned(),
                false => format!("No articles left: {}", hints.join(", ")),
            }
        } else {
            "No articles".to_owned()
        };
        Paragraph::new(text)
            .style(theme.hint)
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return;
    }
    let height = usize::from(area.height);
    let overflow = view.len() > height;
    let width = usize::from(area.width) - usize::from(overflow && area.width > 1);
    let views_width = app.max_views().map_or(0, |v| group_thousands(v).width());
    let rows = view.iter().enumerate().skip(app.list_offset()).take(height);
    for (y, (row, &index)) in (area.y..).zip(rows) {
        let Some(article) = app.store().summary(index) else {
            continue;
        };
        let selected = row == app.selected();
        let read = app.is_read(index);
        let base = if read { theme.read } else { theme.unread };
        let mut line: Vec<Span> = Vec::new();
        line.push(match (app.is_new(index), read) {
            (true, _) => Span::styled(NEW, theme.unread_marker),
            (false, true) => Span::raw(READ),
            (false, false) => Span::styled(UNREAD, theme.unread_marker),
        });
        // Unstarred rows leave the column unstyled: fewer bytes for every row drawn.
        line.push(match app.is_starred(index) {
            true => Span::styled(STARRED, theme.star),
            false => Span::raw(UNSTARRED),
        });
        let views = article.views.map(group_thousands).unwrap_or_default();
        // Views go right-aligned when there is room for them and a useful part of the headline.
        let show_views = views_width > 0 && width >= views_width + PREFIX + 12;
        let headline_width =
            width.saturating_sub(PREFIX + if show_views { views_width + 1 } else { 0 });
        let (kept, cut) = fit(article.headline, headline_width);
        let text = &article.headline[..kept];
        let tags = if selected {
            Vec::new()
        } else {
            tag_ranges(text, article.tags)
        };
        let mut marks: Vec<_> = tags.into_iter().map(|r| (r, Mark::Tag)).collect();
        // Matches are looked for in the shown part and a little after (a match that starts in
        // view may run on), not in all of a headline that may be megabytes long.
        let searched = article
            .headline
            .ceil_char_boundary(kept.saturating_add(1024));
        marks.extend(
            app.query()
                .highlights(&article.headline[..searched])
                .into_iter()
                .filter(|r| r.start < kept)
                .map(|r| (r.start..r.end.min(kept), Mark::Match)),
        );
        let mut headline = spans(text, &marks, base, theme, None);
        let mut used = PREFIX + text.width();
        if cut {
            headline.push(Span::styled("…", base));
            used += 1;
        }
        if selected && headline.is_empty() {
            // A headline of nothing still shows where the selection is.
            headline.push(Span::raw(" "));
            used += 1;
        }
        if selected {
            // The selection marks the headline alone: moving it rewrites the two headlines and
            // nothing else of their rows, the markers, padding and views staying as they are.
            let style = if app.focus() == Focus::List {
                theme.selected
            } else {
                theme.selected_unfocused
            };
            // A match keeps its own colours over the selection's (tags are left off).
            headline
                .iter_mut()
                .for_each(|span| span.style = style.patch(span.style));
        }
        line.extend(headline);
        if show_views {
            let pad = width.saturating_sub(used + views.width());
            line.push(Span::raw(" ".repeat(pad)));
            line.push(Span::styled(views, theme.views));
        }
        put_line(buf, area.x, y, &Line::from(line), width as u16);
    }
    super::render_scrollbar(area, buf, theme, view.len(), app.list_offset());
}
