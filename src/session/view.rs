//! What the session shows: read-only answers for the UI, the runtime and tests.

use std::sync::Arc;

use super::{Context, Focus, Options, Overlay, Prompt, Session};
use crate::document::Document;
use crate::search::Query;
use crate::store::Store;

impl Session {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The articles, for a search worker to share.
    pub fn shared_store(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }

    /// Indices into [`Session::store`] of the listed articles, in display order.
    pub fn view(&self) -> &[usize] {
        &self.view
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected article's index into [`Session::store`].
    pub fn selected_article(&self) -> Option<usize> {
        self.view.get(self.selected).copied()
    }

    pub fn list_offset(&self) -> usize {
        self.list_offset
    }

    pub fn is_read(&self, article: usize) -> bool {
        self.read.get(article)
    }

    pub fn is_starred(&self, article: usize) -> bool {
        self.starred.get(article)
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// What is on top of the panes.
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// Where keys go now, which decides what they mean.
    pub fn context(&self) -> Context {
        match (&self.overlay, self.focus) {
            (Overlay::None, Focus::List) => Context::List,
            (Overlay::None, Focus::Reader) => Context::Reader,
            (Overlay::Search(_), _) => Context::Search,
            (Overlay::Help { .. }, _) => Context::Help,
            (Overlay::Confirm(_), _) => Context::Confirm,
            (Overlay::Line(_), _) => Context::Line,
            (Overlay::Picker(_), _) => Context::Picker,
        }
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The text of the query in effect: the one being typed, or else the applied filter.
    pub fn query_text(&self) -> &str {
        &self.search.query_text
    }

    /// The highest view count, which sets the width of the list's views column.
    pub fn max_views(&self) -> Option<u64> {
        self.store.max_views()
    }

    /// The applied filter's text (empty when none).
    pub fn filter(&self) -> &str {
        &self.search.filter
    }

    /// The query that highlights matches: the one being typed, or else the applied filter.
    pub fn query(&self) -> &Query {
        &self.search.query
    }

    pub fn prompt(&self) -> &Prompt {
        &self.search.prompt
    }

    /// The open article's index, if any.
    pub fn open_article(&self) -> Option<usize> {
        self.reading.open
    }

    /// The open article's text (what [`Session::document`] lays out).
    pub fn open_text(&self) -> Option<&crate::article::Article> {
        self.reading.open.and(self.reading.article.as_deref())
    }

    /// The open article laid out for the reading pane.
    pub fn document(&self) -> &Document {
        &self.reading.document
    }

    pub fn reader_scroll(&self) -> usize {
        self.reading.scroll
    }

    /// The match that `n`/`N` last moved to.
    pub fn current_match(&self) -> Option<&crate::document::Hit> {
        self.reading.current_match.as_ref()
    }

    /// The article that keys act on: the one on screen in the reader, the selected one in the
    /// list.
    pub fn subject(&self) -> Option<usize> {
        match self.focus {
            Focus::Reader => self.reading.open,
            Focus::List => self.selected_article(),
        }
        .or(self.selected_article())
    }

    /// The row of the list that [`Session::subject`] is on, if it is listed.
    pub fn subject_row(&self) -> Option<usize> {
        let subject = self.subject()?;
        if self.selected_article() == Some(subject) {
            return Some(self.selected);
        }
        self.view.iter().position(|&i| i == subject)
    }

    /// How far through the open article the bottom of the pane is, in percent.
    pub fn reader_percent(&self) -> Option<u16> {
        self.reading.open?;
        let total = self.reading.document.line_count().max(1);
        let height = self.reader_height();
        let seen = (self.reading.scroll + height).min(total);
        Some((seen * 100 / total) as u16)
    }

    /// The width the reading column wraps to: the pane less a margin on the left and a gap and
    /// the scrollbar on the right, at most the measure.
    pub fn text_width(&self) -> usize {
        let pane = self.reader_area().map_or(0, |r| r.width);
        usize::from(
            pane.saturating_sub(3)
                .min(self.options.settings.layout.measure)
                .max(1),
        )
    }
}
