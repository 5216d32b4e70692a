//! Drawing: `impl Widget for &App`. Reads the app, never changes it, does no I/O.

pub mod help;
mod list;
mod picker;
mod reader;
mod status;
mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::symbols::scrollbar;
use ratatui::widgets::{
    Block, Borders, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget,
};

use crate::app::{App, Focus, Mode};
use crate::layout::Arrangement;
use theme::Theme;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = *self.theme();
        let panes = self.panes_in(area);
        if let Some(list) = panes.list {
            list::render(self, list, buf, &theme);
        }
        if let (Some(frame), Some(content)) = (panes.reader_frame, panes.reader) {
            let borders = match Arrangement::for_size(
                area.width,
                area.height,
                &self.options().settings.layout,
            ) {
                Arrangement::SideBySide => Borders::LEFT,
                Arrangement::Stacked => Borders::TOP,
                Arrangement::Single => Borders::NONE,
            };
            let style = if self.focus() == Focus::Reader {
                theme.border_focused
            } else {
                theme.border
            };
            Block::new()
                .borders(borders)
                .border_style(style)
                .render(frame, buf);
            reader::render(self, content, buf, &theme);
        }
        if panes.status.height > 0 {
            status::render(self, panes.status, buf, &theme, panes.reader.is_some());
        }
        if self.mode() == Mode::Picker {
            picker::render(self, area, buf, &theme);
        }
        if self.mode() == Mode::Help {
            help::render(
                area,
                buf,
                &theme,
                &self.options().settings.keymap,
                self.help_scroll(),
            );
        }
    }
}

/// Draws a vertical scrollbar on the right edge of `area` for `total` rows of which `height`
/// show from row `offset`; nothing when everything fits.
fn render_scrollbar(area: Rect, buf: &mut Buffer, theme: &Theme, total: usize, offset: usize) {
    let height = usize::from(area.height);
    if total <= height || area.width == 0 {
        return;
    }
    // Ratatui counts scroll positions, so the last offset is `total - height`.
    let mut state = ScrollbarState::new(total - height + 1)
        .viewport_content_length(height)
        .position(offset);
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .symbols(scrollbar::VERTICAL)
        .begin_symbol(None)
        .end_symbol(None)
        .thumb_style(theme.border_focused)
        .track_style(theme.border)
        .render(area, buf, &mut state);
}

/// Draws the app into a frame, placing the cursor in the search prompt when it is open.
pub fn draw(app: &App, frame: &mut Frame) {
    frame.render_widget(app, frame.area());
    let cursor = match app.mode() {
        Mode::Picker => picker::cursor(app, frame.area()),
        _ => status::cursor(app, app.panes_in(frame.area()).status),
    };
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}
