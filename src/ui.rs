//! Drawing: `impl Widget for &Session`. Reads the app, never changes it, does no I/O.

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

use crate::layout::Arrangement;
use crate::session::{Focus, Overlay, Session};
use crate::terminal::Link;
use theme::Theme;

/// What a frame draws: a reader's session in its theme.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub session: &'a Session,
    pub theme: &'a Theme,
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}

impl View<'_> {
    /// Draws the session; returns where the frame's links are (the reading pane's addresses
    /// not covered by a dialog).
    fn draw(self, area: Rect, buf: &mut Buffer) -> Vec<Link> {
        let (session, theme) = (self.session, self.theme);
        let mut links = Vec::new();
        let panes = session.panes_in(area);
        if let Some(list) = panes.list {
            list::render(session, list, buf, theme);
        }
        if let (Some(frame), Some(content)) = (panes.reader_frame, panes.reader) {
            let reading = session.focus() == Focus::Reader;
            let borders = match session.arrangement_in(area, reading) {
                Arrangement::SideBySide => Borders::LEFT,
                Arrangement::Stacked => Borders::TOP,
                Arrangement::Single => Borders::NONE,
            };
            let style = if session.focus() == Focus::Reader {
                theme.border_focused
            } else {
                theme.border
            };
            Block::new()
                .borders(borders)
                .border_style(style)
                .render(frame, buf);
            links = reader::render(session, content, buf, theme);
        }
        if panes.status.height > 0 {
            status::render(session, panes.status, buf, theme, panes.reader.is_some());
        }
        let covered = match session.overlay() {
            Overlay::Picker(picker) => picker::render(session, picker, area, buf, theme),
            Overlay::Help { scroll } => {
                let keymap = &session.options().settings.keymap;
                help::render(area, buf, theme, keymap, *scroll)
            }
            _ => return links,
        };
        links
            .into_iter()
            .flat_map(|link| link.outside(covered))
            .collect()
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

/// Draws a session into a frame, placing the cursor in the prompt when one is open.
pub fn draw(session: &Session, theme: &Theme, frame: &mut Frame) {
    draw_linked(session, theme, frame);
}

/// Draws a session into a frame as [`draw`] does; returns where the frame's links are.
pub fn draw_linked(session: &Session, theme: &Theme, frame: &mut Frame) -> Vec<Link> {
    let area = frame.area();
    let links = View { session, theme }.draw(area, frame.buffer_mut());
    let cursor = match session.overlay() {
        Overlay::Picker(picker) => picker::cursor(picker, frame.area()),
        _ => status::cursor(session, session.panes_in(frame.area()).status),
    };
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
    links
}
