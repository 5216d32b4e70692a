//! Filtering the list with a search query, and the search prompt's life cycle.

use std::sync::Arc;

use super::{Command, Focus, Overlay, Session};
use crate::input::Edit;
use crate::search::background::{Answer, Request};
use crate::search::{self, Query};

/// The list as it was before the search prompt opened.
#[derive(Debug)]
pub struct Saved {
    filter: String,
    article: Option<usize>,
    query: Query,
    /// `None` once a reload replaced the articles these rows were of.
    matched: Option<Arc<Vec<usize>>>,
}

#[derive(Debug, Default)]
pub(super) struct SearchState {
    /// The applied filter's text.
    pub filter: String,
    /// The query in effect: the one being typed while the prompt is open.
    pub query: Query,
    /// The text `query` was parsed from.
    pub query_text: String,
    /// What `matched_query` matched, before the unread and starred switches.
    pub matched: Arc<Vec<usize>>,
    pub matched_query: Query,
    pub prompt: super::Prompt,
    /// The newest search asked of the worker and not answered yet.
    pub request: Option<Request>,
    /// Whether the list shows the first matches of `request` while it goes on.
    first_matches: bool,
    generation: u64,
}

impl SearchState {
    /// Forgets results that indexed articles now replaced: the next search starts over.
    pub(super) fn forget_results(&mut self, count: usize, overlay: &mut Overlay) {
        self.matched = Arc::new((0..count).collect());
        self.matched_query = Query::default();
        self.request = None;
        // Cancelling a search then goes back to the filter it started from, searched again.
        if let Overlay::Search(saved) = overlay {
            saved.matched = None;
            saved.article = None;
        }
    }

    /// No query, listing all `count` articles.
    pub(super) fn listing(count: usize) -> SearchState {
        SearchState {
            matched: Arc::new((0..count).collect()),
            ..SearchState::default()
        }
    }
}

impl Session {
    pub(super) fn start_search(&mut self) {
        self.overlay = Overlay::Search(Saved {
            filter: self.search.filter.clone(),
            article: self.selected_article(),
            query: self.search.matched_query.clone(),
            matched: Some(Arc::clone(&self.search.matched)),
        });
        self.search.prompt.reset();
    }

    pub(super) fn edit_prompt(&mut self, edit: Edit) {
        if self.search.prompt.edit(edit) {
            let text = self.search.prompt.text();
            self.apply_query(&text);
        }
    }

    pub(super) fn accept_search(&mut self) {
        let text = self.search.prompt.text();
        self.search.prompt.remember(&text);
        self.search.filter = text.trim().to_owned();
        self.overlay = Overlay::None;
        self.focus = Focus::List;
    }

    pub(super) fn filter_by(&mut self, text: &str) {
        self.search.prompt.remember(text);
        self.search.filter = text.trim().to_owned();
        self.apply_query(text);
    }

    pub(super) fn cancel_search(&mut self) {
        if let Overlay::Search(saved) = std::mem::take(&mut self.overlay) {
            let Some(matched) = saved.matched else {
                self.apply_query(&saved.filter);
                return;
            };
            // The old results are at hand: no need to search again.
            self.search.request = None;
            self.search.query = saved.query.clone();
            self.search.query_text = saved.filter;
            self.show_matches(saved.query, matched.to_vec());
            if let Some(row) = saved
                .article
                .and_then(|a| self.view.iter().position(|&i| i == a))
            {
                self.selected = row;
            }
        }
    }

    pub(super) fn clear_filter(&mut self) {
        self.search.filter.clear();
        self.apply_query("");
    }

    /// Filters the list by `text`, keeping the selected article selected when it still matches.
    /// With a worker, a query that needs a scan is posted to it and the list waits for the answer.
    pub(super) fn apply_query(&mut self, text: &str) {
        let query = Query::parse(text);
        self.search.query_text = text.to_owned();
        // Only the newest query searches from the last answer when it narrows it.
        let candidates = (!self.search.matched_query.is_empty()
            && query.narrows(&self.search.matched_query))
        .then(|| Arc::clone(&self.search.matched));
        self.search.query = query.clone();
        if query.is_empty() || !self.background_search {
            let matched = self.matching(&query, candidates.as_deref().map(Vec::as_slice));
            self.show_matches(query, matched);
            return;
        }
        self.search.generation += 1;
        self.search.first_matches = false;
        let request = Request {
            generation: self.search.generation,
            query,
            candidates,
            store: Arc::clone(&self.store),
        };
        self.search.request = Some(request.clone());
        self.commands.push(Command::Search(request));
    }

    /// Takes a worker's answer, if it is to the newest request.
    pub(super) fn take_answer(&mut self, answer: Answer) {
        if self
            .search
            .request
            .as_ref()
            .is_some_and(|r| r.generation == answer.generation)
        {
            if answer.complete {
                self.search.request = None;
                self.show_matches(answer.query, answer.matched);
            } else if self.browse.order == crate::article::Order::File {
                // The first rows of the answer to come, in its order: shown while it comes.
                let previous = self.selected_article();
                let mut view = answer.matched;
                self.keep_listed(&mut view);
                self.view = view;
                self.selected = previous
                    .and_then(|a| self.view.iter().position(|&i| i == a))
                    .unwrap_or(0);
                self.search.first_matches = true;
            }
        }
    }

    /// The articles among `candidates` (or all) that match, those whose headline matches first,
    /// each group in corpus order.
    pub(super) fn matching(&self, query: &Query, candidates: Option<&[usize]>) -> Vec<usize> {
        if query.is_empty() {
            return (0..self.store.len()).collect();
        }
        match candidates {
            Some(candidates) => search::search(&self.store, query, candidates),
            None => {
                let all: Vec<usize> = (0..self.store.len()).collect();
                search::search(&self.store, query, &all)
            }
        }
    }

    /// Whether the list is waiting for a search to finish.
    pub fn is_searching(&self) -> bool {
        self.search.request.is_some()
    }

    /// Whether the list shows the first matches of a search that goes on.
    pub fn shows_first_matches(&self) -> bool {
        self.is_searching() && self.search.first_matches
    }

    /// Whether a query is in effect (typed or applied).
    pub fn is_filtered(&self) -> bool {
        !self.search.query.is_empty()
    }
}
