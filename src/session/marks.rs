//! Read and starred marks, the unread-only and starred-only lists, and the remembered position:
//! everything the app hands to the state file.

use super::outside::Question;
use super::{Focus, Session};
use crate::config::MarkRead;
use crate::state::{Changes, MarkChange, Position, State};

impl Session {
    pub(super) fn toggle_read(&mut self) {
        if let Some(article) = self.subject() {
            self.set_read(article, !self.read.get(article));
        }
    }

    pub(super) fn toggle_star(&mut self) {
        let Some(article) = self.subject() else {
            return;
        };
        self.starred.put(article, !self.starred.get(article));
        let starred = Some(self.starred.get(article));
        self.record(
            article,
            MarkChange {
                starred,
                ..MarkChange::default()
            },
        );
    }

    pub(super) fn ask_mark_all_read(&mut self) {
        let unread = self.view.iter().filter(|&&i| !self.read.get(i)).count();
        if unread == 0 {
            self.message = Some("Every listed article is read".into());
            return;
        }
        let plural = if unread == 1 { "" } else { "s" };
        let yes = self.keymap_hint("yes");
        let message = format!("Mark {unread} listed article{plural} read? ({yes}/n)");
        self.ask(Question::MarkAllRead, message);
    }

    pub(super) fn mark_all_read(&mut self) {
        let mut marked = 0;
        for row in 0..self.view.len() {
            let article = self.view[row];
            if !self.read.get(article) {
                self.set_read(article, true);
                marked += 1;
            }
        }
        let plural = if marked == 1 { "" } else { "s" };
        self.message = Some(format!("Marked {marked} article{plural} read"));
    }

    pub(super) fn set_read(&mut self, article: usize, read: bool) {
        if self.read.get(article) != read {
            self.read.put(article, read);
            self.record(
                article,
                MarkChange {
                    read: Some(read),
                    ..MarkChange::default()
                },
            );
        }
    }

    /// Marks the open article read once its end has been on screen, when so configured.
    pub(super) fn mark_read_at_end(&mut self) {
        if self.options.settings.mark_read != MarkRead::End || self.reading.preview {
            return;
        }
        let Some(open) = self.reading.open else {
            return;
        };
        let shown = self.panes().reader.is_some();
        let end_visible =
            self.reading.scroll + self.reader_height() >= self.reading.document.line_count();
        if shown && end_visible {
            self.set_read(open, true);
        }
    }

    /// Copies an article's flags into the state, and the flag that changed into the changes to
    /// hand to the saver (only that flag, so another process's change to the other survives).
    fn record(&mut self, article: usize, change: MarkChange) {
        let Some(id) = self.store.summary(article).map(|s| s.id.to_owned()) else {
            return;
        };
        let mark = self.state.articles.entry(id.clone()).or_default();
        mark.read = self.read.get(article);
        mark.starred = self.starred.get(article);
        self.changes.absorb(Changes {
            marks: [(id.clone(), change)].into(),
            ..Changes::default()
        });
        self.revision += 1;
    }

    /// Where the reader is, as the state file stores it.
    pub(super) fn position(&self) -> Position {
        let id = |index: Option<usize>| Some(self.store.summary(index?)?.id.to_owned());
        Position {
            selected: id(self.selected_article()),
            open: id(self.reading.open),
            scroll: self.reading.scroll,
            reading: self.focus == Focus::Reader,
            order: self.browse.order,
        }
    }

    pub(super) fn save_position(&mut self) {
        let (key, position) = (self.options.input_key.clone(), self.position());
        self.state.positions.insert(key.clone(), position.clone());
        self.changes.positions.insert(key, position);
        self.revision += 1;
    }

    /// Reopens the article that was selected last time, with the open article and its scroll.
    pub(super) fn restore_position(&mut self) {
        let Some(position) = self.state.positions.get(&self.options.input_key).cloned() else {
            return;
        };
        if position.order != self.browse.order {
            self.browse.order = position.order;
            self.refilter();
        }
        let row = |app: &Session, id: &Option<String>| {
            let id = id.as_ref()?;
            app.view
                .iter()
                .position(|&i| app.store.summary(i).is_some_and(|s| s.id == *id))
        };
        if let Some(open) = row(self, &position.open) {
            self.selected = open;
            self.reading.open = Some(self.view[open]);
            self.focus = if position.reading {
                Focus::Reader
            } else {
                Focus::List
            };
            self.refresh_document();
            self.reading.scroll = position.scroll;
            self.refresh_document();
            self.scroll_by(0);
        }
        if let Some(selected) = row(self, &position.selected) {
            self.selected = selected;
        }
        self.keep_selection_visible();
    }

    /// The state to save: marks and positions, including those of articles not loaded now.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Changes whenever [`Session::state`] has something new to save.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn unread_count(&self) -> usize {
        self.read.len() - self.read.count()
    }

    pub fn unread_only(&self) -> bool {
        self.unread_only
    }

    pub fn starred_only(&self) -> bool {
        self.starred_only
    }
}
