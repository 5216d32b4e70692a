//! The status line: position, pane, filter and match count, messages, and the search prompt.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::text::put_line;
use super::theme::Theme;
use crate::article::Order;
use crate::document::group_thousands;
use crate::session::{Focus, Label, Overlay, Prompt, Purpose, Session};

/// `reader_shown`: whether the reading pane is on screen, so its percentage means something.
pub fn render(app: &Session, area: Rect, buf: &mut Buffer, theme: &Theme, reader_shown: bool) {
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
    } else if matches!(app.overlay(), Overlay::Confirm(_)) {
        // A question is shown whole: if it is too long, its middle (a path) gives way.
        let question = format!(" {} ", app.message().unwrap_or_default());
        let shown = shorten_middle(&question, usize::from(area.width));
        (vec![Span::styled(shown, theme.message)], String::new())
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
        if app.options().unsaved {
            left.push(Span::styled("· not saved ", theme.status_accent));
        }
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
        if app.order() != Order::File {
            left.push(Span::styled(
                format!("· {} ", app.order().label()),
                theme.status,
            ));
        }
        // A picked tag or source and a search filter, with one count for what they leave.
        let label = app.label().map(|label| match label {
            Label::Tag(tag) => format!("#{tag}"),
            Label::Source(source) => source.clone(),
        });
        let query = (!app.filter().is_empty()).then(|| format!("/{}", app.filter()));
        let filters: Vec<String> = label.into_iter().chain(query).collect();
        if !filters.is_empty() {
            left.push(Span::styled(
                format!("· {} {count} ", filters.join(" ")),
                theme.status,
            ));
        }
        if let Some(message) = app.message() {
            left.push(Span::styled(format!(" {message} "), theme.message));
        }
        // The percentage is the open article's: in the list, only while it is the selected one.
        let about_open =
            app.focus() == Focus::Reader || app.selected_article() == app.open_article();
        let percent = app
            .reader_percent()
            .filter(|_| reader_shown && about_open)
            .map(|p| format!("{p}%  "))
            .unwrap_or_default();
        let keymap = &app.options().settings.keymap;
        let help = keymap.hint("help").map(|key| format!("{key} help "));
        (left, format!("{percent}{}", help.unwrap_or_default()))
    };
    let left = Line::from(cut_end(left, usize::from(area.width)));
    let right_width = right.width() as u16;
    let left_width = left.width() as u16;
    put_line(buf, area.x, area.y, &left, area.width);
    if left_width + right_width < area.width {
        buf.set_string(area.right() - right_width, area.y, right, theme.status);
    }
}

/// The prompt being typed at, if any: its line, its label, and what shows at the right.
fn open_prompt(app: &Session) -> Option<(&Prompt, &'static str, String)> {
    let keymap = &app.options().settings.keymap;
    let keys = |done: &str| {
        let accept = keymap.hint("accept").map(|k| format!("{k} {done}"));
        let cancel = keymap.hint("cancel").map(|k| format!("{k} cancels"));
        let hints: Vec<String> = accept.into_iter().chain(cancel).collect();
        format!("{} ", hints.join(", "))
    };
    match app.overlay() {
        Overlay::Search(_) => Some((app.prompt(), "/", format!("{} ", match_count(app)))),
        Overlay::Line(Purpose::Pipe) => Some((app.line(), "Pipe to: ", keys("runs"))),
        Overlay::Line(Purpose::Save) => Some((app.line(), "Save to: ", keys("saves"))),
        _ => None,
    }
}

/// Where the terminal cursor goes while a prompt is open.
pub fn cursor(app: &Session, area: Rect) -> Option<Position> {
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
    if before.width() < width {
        return (text.to_owned(), before.width() as u16);
    }
    // Drop characters from the left until the cursor fits beside a `…` that says so.
    let room = width.saturating_sub(1).max(1);
    let mut start = 0;
    while start < before.len() && before[start..].width() >= room {
        start += before[start..].chars().next().map_or(1, char::len_utf8);
    }
    (
        format!("…{}", &text[start..]),
        before[start..].width() as u16 + 1,
    )
}

/// `3/10`: the row of the article keys act on (in the reader, the open one), and the rows
/// listed; `–/10` when the open article is not among them.
fn position(app: &Session) -> String {
    let total = app.view().len();
    match app.subject_row() {
        Some(row) => format!("{}/{total}", row + 1),
        None if total == 0 => format!("0/{total}"),
        None => format!("–/{total}"),
    }
}

/// The spans cut to `width` columns, ending in `…` where something was cut.
fn cut_end(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width {
        return spans;
    }
    let mut room = width.saturating_sub(1);
    let mut out = Vec::new();
    for span in spans {
        if room == 0 {
            break;
        }
        let kept = take_columns(&span.content, room);
        room -= kept.width();
        out.push(Span::styled(kept.to_owned(), span.style));
    }
    let style = out.last().map(|s| s.style).unwrap_or_default();
    out.push(Span::styled("…", style));
    out
}

/// `text` in `width` columns, its middle replaced by `…` if it is too long. The end, where a
/// question asks what it asks, keeps three quarters of the room.
fn shorten_middle(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let room = width.saturating_sub(1);
    let head = take_columns(text, room / 4);
    let tail_width = room - head.width();
    let mut tail_start = text.len();
    for (index, _) in text.char_indices().rev() {
        if text[index..].width() > tail_width {
            break;
        }
        tail_start = index;
    }
    format!("{head}…{}", &text[tail_start..])
}

/// The longest start of `text` at most `width` columns wide.
fn take_columns(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (index, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width {
            return &text[..index];
        }
    }
    text
}

/// `4 of 10`: articles matching the query in effect out of all articles.
fn match_count(app: &Session) -> String {
    if app.shows_first_matches() {
        let found = group_thousands(app.view().len() as u64);
        return format!("searching… {found} so far");
    }
    if app.is_searching() {
        return "searching…".to_owned();
    }
    format!(
        "{} of {}",
        group_thousands(app.view().len() as u64),
        group_thousands(app.store().len() as u64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_text_ends_in_an_ellipsis() {
        let spans = vec![
            Span::raw(" 1/10 "),
            Span::raw(" Reload failed: a long reason "),
        ];
        let cut: String = cut_end(spans, 20)
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(cut, " 1/10  Reload faile…");
        assert_eq!(cut.width(), 20);
    }

    #[test]
    fn a_prompt_cut_on_the_left_says_so() {
        let mut prompt = Prompt::default();
        prompt.set_text("a-very-long-proposed-file-name-for-an-article.md");
        let (shown, column) = prompt_view(&prompt, 20);
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown.ends_with("article.md"), "{shown}");
        assert_eq!(column, 19, "the cursor at the end, inside the 20 columns");
        prompt.set_text("short.md");
        assert_eq!(prompt_view(&prompt, 20), ("short.md".to_owned(), 8));
    }

    #[test]
    fn a_long_question_keeps_its_start_and_its_end() {
        let question = " /home/reader/articles/a-very-long-name.md exists. Overwrite it? (y/n) ";
        let shown = shorten_middle(question, 40);
        assert_eq!(shown.width(), 40);
        assert!(shown.starts_with(" /home/"), "{shown}");
        assert!(shown.ends_with("exists. Overwrite it? (y/n) "), "{shown}");
        assert!(shown.contains('…'));
        assert_eq!(shorten_middle("short", 40), "short");
        assert_eq!(shorten_middle("日本語の記事", 7).width(), 7);
    }
}
