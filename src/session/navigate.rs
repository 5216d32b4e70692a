//! Moving about: the selection, the focus, paging, the mouse, and the panes' layout.

use ratatui::layout::Rect;

use super::{Focus, Session};
use crate::layout::{self, Arrangement, Panes};

impl Session {
    pub(super) fn move_by(&mut self, delta: isize) {
        match self.focus {
            Focus::List => self.select(self.selected.saturating_add_signed(delta)),
            Focus::Reader => self.scroll_by(delta),
        }
    }

    /// Selects a row of the list, clamped to the list.
    pub(super) fn select(&mut self, row: usize) {
        self.selected = row.min(self.view.len().saturating_sub(1));
    }

    pub(super) fn toggle_focus(&mut self) {
        self.focus = match self.focus {
            Focus::Reader => Focus::List,
            // Going into a previewed article is reading it.
            Focus::List if self.reading.preview => {
                self.open_selected(true);
                return;
            }
            Focus::List if self.reading.open.is_some() => Focus::Reader,
            Focus::List => {
                self.open_selected(true);
                return;
            }
        };
    }

    /// Esc: from the reader back to the list; in the list, the tag or source chosen in the
    /// picker is dropped first, then the search filter.
    pub(super) fn back(&mut self) {
        if self.focus == Focus::Reader {
            self.focus = Focus::List;
        } else if !self.clear_label() && !self.search.filter.is_empty() {
            self.clear_filter();
        }
    }

    /// Rows of the focused pane that a page holds (at least one).
    pub(super) fn page_size(&self) -> isize {
        match self.focus {
            Focus::List => self.panes().list.map_or(1, |r| r.height.max(1) as isize),
            Focus::Reader => self.reader_height() as isize,
        }
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let height = self.panes().list.map_or(1, |r| r.height.max(1) as usize);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + height {
            self.list_offset = self.selected + 1 - height;
        }
        let last_page = self.view.len().saturating_sub(height);
        self.list_offset = self.list_offset.min(last_page);
    }

    pub(super) fn click(&mut self, column: u16, row: u16) {
        let panes = self.panes();
        let position = ratatui::layout::Position::new(column, row);
        if let Some(list) = panes.list.filter(|r| r.contains(position)) {
            self.focus = Focus::List;
            let index = self.list_offset + usize::from(row - list.y);
            if index < self.view.len() {
                self.selected = index;
            }
        } else if panes.reader_frame.is_some_and(|r| r.contains(position))
            && self.reading.open.is_some()
        {
            self.focus = Focus::Reader;
        }
    }

    pub(super) fn scroll_at(&mut self, column: u16, row: u16, lines: i16) {
        let panes = self.panes();
        let position = ratatui::layout::Position::new(column, row);
        if panes.list.is_some_and(|r| r.contains(position)) {
            self.select(self.selected.saturating_add_signed(lines as isize));
        } else if panes.reader_frame.is_some_and(|r| r.contains(position)) {
            self.scroll_by(lines as isize);
        }
    }

    /// The reading pane's content area as it is when shown (in a single-pane layout it may be
    /// hidden now, but its size is what wrapping and paging go by).
    pub(super) fn reader_area(&self) -> Option<Rect> {
        let arrangement = self.arrangement_in(self.size, true);
        layout::panes(self.size, arrangement, true, &self.options.settings.layout).reader
    }

    pub(super) fn reader_height(&self) -> usize {
        self.reader_area().map_or(1, |r| r.height.max(1) as usize)
    }

    /// The current screen layout.
    pub fn panes(&self) -> Panes {
        self.panes_in(self.size)
    }

    /// The layout for a screen of `area` in the current state.
    pub fn panes_in(&self, area: Rect) -> Panes {
        let reading = self.focus == Focus::Reader;
        let arrangement = self.arrangement_in(area, reading);
        layout::panes(area, arrangement, reading, &self.options.settings.layout)
    }

    /// How a screen of `area` is arranged: by its size, but the reader alone at full width
    /// while reading zoomed.
    pub fn arrangement_in(&self, area: Rect, reading: bool) -> Arrangement {
        if self.zoomed && reading {
            return Arrangement::Single;
        }
        Arrangement::for_size(area.width, area.height, &self.options.settings.layout)
    }

    pub(super) fn toggle_zoom(&mut self) {
        self.zoomed = !self.zoomed;
        if self.zoomed && self.reading.open.is_some() {
            self.focus = Focus::Reader;
        }
    }
}
