//! The reading pane: which article is open, where it is scrolled to, and moving between
//! matches and articles.

use std::sync::Arc;

use super::{Focus, Session};
use crate::article::Article;
use crate::config::MarkRead;
use crate::document::{Document, Hit, Position};
use crate::layout::Arrangement;

/// Lines kept above a match that the reader scrolls to, for context.
const MATCH_CONTEXT: usize = 2;

#[derive(Debug, Default)]
pub(super) struct ReadingState {
    pub open: Option<usize>,
    pub scroll: usize,
    pub document: Document,
    /// The open article's text, which `document` lays out.
    pub article: Option<Arc<Article>>,
    /// What `document` was built for: article and width.
    built_for: Option<(usize, usize)>,
    /// The query text that `current_match` was found for.
    matched_for: String,
    pub current_match: Option<Hit>,
    /// The open article is only previewed (the selection rested on it): not read yet.
    pub preview: bool,
}

impl ReadingState {
    /// Drops the laid-out article, so the next refresh lays it out again.
    pub(super) fn forget_document(&mut self) {
        self.built_for = None;
    }
}

impl Session {
    /// Opens the selected article at its first match (or its top), marking it read.
    pub(super) fn open_selected(&mut self, focus_reader: bool) {
        let Some(article) = self.selected_article() else {
            self.message = Some("No article to open".into());
            return;
        };
        if focus_reader
            || Arrangement::for_size(
                self.size.width,
                self.size.height,
                &self.options.settings.layout,
            ) == Arrangement::Single
        {
            self.focus = Focus::Reader;
        }
        if self.options.settings.mark_read == MarkRead::Open {
            self.set_read(article, true);
        }
        self.show(article);
    }

    /// Whether a rest of the selection should preview it: the list has the keys, a reading
    /// pane is on screen, and it shows another article.
    pub fn wants_preview(&self) -> bool {
        self.focus == Focus::List
            && matches!(self.overlay, super::Overlay::None)
            && self.panes().reader.is_some()
            && self
                .selected_article()
                .is_some_and(|a| self.reading.open != Some(a))
    }

    /// Shows the selected article in the reading pane without reading it: the focus stays in
    /// the list and the article stays unread until it is opened.
    pub(super) fn preview_selected(&mut self) {
        if let Some(article) = self.selected_article() {
            self.show(article);
            self.reading.preview = true;
        }
    }

    /// Puts `article` in the reading pane at its first match (or its top).
    fn show(&mut self, article: usize) {
        self.reading.preview = false;
        self.reading.open = Some(article);
        self.reading.scroll = 0;
        self.reading.current_match = None;
        self.refresh_document();
        if let Some(hit) = self.find_match(
            Position {
                piece: 0,
                offset: 0,
            },
            true,
        ) {
            self.go_to_match(hit);
        }
    }

    /// The open article's first match from `from` on (or last before it), searched only as far
    /// as the match.
    fn find_match(&self, from: Position, forward: bool) -> Option<Hit> {
        let article = self.reading.article.as_ref()?;
        self.reading
            .document
            .find_match(article, &self.search.query, from, forward)
    }

    /// Opens the article `delta` rows away in the list, staying in the reader.
    pub(super) fn open_neighbour(&mut self, delta: isize) {
        let from = self.open_row().unwrap_or(self.selected);
        match from
            .checked_add_signed(delta)
            .filter(|&row| row < self.view.len())
        {
            Some(row) => {
                self.selected = row;
                self.open_selected(true);
            }
            None if delta > 0 => self.message = Some("This is the last article".into()),
            None => self.message = Some("This is the first article".into()),
        }
    }

    /// The open article's row in the list, if it is listed.
    fn open_row(&self) -> Option<usize> {
        let open = self.reading.open?;
        self.view.iter().position(|&i| i == open)
    }

    pub(super) fn advance(&mut self) {
        match self.focus {
            Focus::List => self.open_selected(false),
            Focus::Reader if self.reading.scroll < self.max_scroll() => {
                self.scroll_by(self.page_size());
            }
            Focus::Reader => self.open_neighbour(1),
        }
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        self.reading.scroll = self
            .reading
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    fn max_scroll(&self) -> usize {
        self.reading
            .document
            .line_count()
            .saturating_sub(self.reader_height())
    }

    /// Moves to the next or previous search match: in the list, the next matching article; in
    /// the reader, the next match in the article and then the first in the next article.
    pub(super) fn jump_to_match(&mut self, forward: bool) {
        if !self.is_filtered() {
            self.message = Some(format!(
                "No search: press {} to search",
                self.keymap_hint("search")
            ));
            return;
        }
        if self.view.is_empty() {
            self.message = Some("No articles match".into());
            return;
        }
        if self.focus == Focus::List {
            let row = self.step_row(self.selected, forward);
            self.selected = row;
            return;
        }
        let doc = &self.reading.document;
        let from = match (&self.reading.current_match, forward) {
            (Some(hit), true) => Position {
                piece: hit.piece,
                offset: hit.range.end.max(hit.range.start + 1),
            },
            (Some(hit), false) => Position {
                piece: hit.piece,
                offset: hit.range.start,
            },
            (None, true) => doc.line_position(self.reading.scroll),
            (None, false) => doc.line_position(self.reading.scroll + 1),
        };
        match self.find_match(from, forward) {
            Some(hit) => self.go_to_match(hit),
            None => {
                let from = self.open_row().unwrap_or(self.selected);
                self.selected = self.step_row(from, forward);
                self.open_selected(true);
                let end = self.reading.document.line_position(usize::MAX);
                if let Some(last) = self.find_match(end, false).filter(|_| !forward) {
                    self.go_to_match(last);
                }
            }
        }
    }

    /// The next or previous row of the list, wrapping around with a message.
    fn step_row(&mut self, row: usize, forward: bool) -> usize {
        let last = self.view.len() - 1;
        match (forward, row) {
            (true, row) if row >= last => {
                self.message = Some("Search wrapped to the first match".into());
                0
            }
            (true, row) => row + 1,
            (false, 0) => {
                self.message = Some("Search wrapped to the last match".into());
                last
            }
            (false, row) => row.min(last + 1) - 1,
        }
    }

    /// Makes `hit` the current match and scrolls it into view with some context above.
    fn go_to_match(&mut self, hit: Hit) {
        let line = hit.line;
        self.reading.current_match = Some(hit);
        let height = self.reader_height();
        if line < self.reading.scroll || line >= self.reading.scroll + height {
            self.reading.scroll = line.saturating_sub(MATCH_CONTEXT).min(self.max_scroll());
        }
    }

    /// Lays the open article out again when the article or width changed; forgets the current
    /// match when the query changed. Highlighting is drawn per visible line, so a new query
    /// costs nothing here.
    pub(super) fn refresh_document(&mut self) {
        let Some(open) = self.reading.open else {
            return;
        };
        if self.reading.matched_for != self.search.query_text {
            self.reading.matched_for.clone_from(&self.search.query_text);
            self.reading.current_match = None;
        }
        let key = (open, self.text_width());
        if self.reading.built_for == Some(key) {
            return;
        }
        let article = self.article_or_gone(open);
        self.reading.document = Document::new(&article, key.1);
        self.reading.article = Some(article);
        self.reading.built_for = Some(key);
        // The same match, on the line it starts on at the new width.
        if let Some(hit) = self.reading.current_match.take() {
            self.reading.current_match = Some(self.reading.document.hit(hit.piece, hit.range));
        }
        self.reading.scroll = self.reading.scroll.min(self.max_scroll());
    }
}

/// Said in place of an article whose bytes are no longer in its file.
pub const GONE: &str = "This article is no longer in its file: the file was cut short or replaced \
                        after it was loaded. It comes back if a reload finds it.";

impl Session {
    /// The article at `index`, or, when its file lost it, its headline and why it is gone.
    fn article_or_gone(&self, index: usize) -> Arc<Article> {
        self.store.article(index).unwrap_or_else(|| {
            let summary = self.store.summary(index);
            Arc::new(Article {
                id: summary.map(|s| s.id.to_owned()).unwrap_or_default(),
                headline: summary.map(|s| s.headline.to_owned()).unwrap_or_default(),
                standfirst: None,
                body: vec![crate::article::Block::Paragraph { text: GONE.into() }],
                credits: Vec::new(),
                source: None,
                tags: Vec::new(),
                views: None,
                link: None,
                published: None,
                author: None,
            })
        })
    }
}
