//! Filtering the list with a search query, and the search prompt's life cycle.

use super::{App, Focus, Mode, prompt::Edit};
use crate::search::{Query, fold_article};

#[derive(Debug, Default)]
pub(super) struct SearchState {
    /// The applied filter's text.
    pub filter: String,
    /// The query in effect: the one being typed while the prompt is open.
    pub query: Query,
    /// The text `query` was parsed from.
    pub query_text: String,
    pub prompt: super::Prompt,
    /// The filter and selected article to restore when a search is cancelled.
    saved: Option<(String, Option<usize>)>,
}

impl App {
    pub(super) fn start_search(&mut self) {
        self.search.saved = Some((self.search.filter.clone(), self.selected_article()));
        self.search.prompt.reset();
        self.mode = Mode::Search;
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
        self.search.saved = None;
        self.mode = Mode::Normal;
        self.focus = Focus::List;
    }

    pub(super) fn cancel_search(&mut self) {
        self.mode = Mode::Normal;
        if let Some((filter, article)) = self.search.saved.take() {
            self.apply_query(&filter);
            if let Some(row) = article.and_then(|a| self.view.iter().position(|&i| i == a)) {
                self.selected = row;
            }
        }
    }

    /// Recomputes the list after the unread-only or starred-only switch changed.
    pub(super) fn refilter(&mut self) {
        let text = self.search.query_text.clone();
        self.apply_query(&text);
    }

    pub(super) fn clear_filter(&mut self) {
        self.search.filter.clear();
        self.apply_query("");
    }

    /// Filters the list by `text`, keeping the selected article selected when it still matches.
    fn apply_query(&mut self, text: &str) {
        let previous = self.selected_article();
        self.search.query = Query::parse(text);
        self.search.query_text = text.to_owned();
        let mut view = self.matching(&self.search.query);
        self.keep_listed(&mut view);
        self.view = view;
        self.selected = previous
            .and_then(|a| self.view.iter().position(|&i| i == a))
            .unwrap_or(0);
    }

    /// The articles that match, those whose headline matches first, each group in corpus order.
    pub(super) fn matching(&self, query: &Query) -> Vec<usize> {
        if query.is_empty() {
            return (0..self.articles.len()).collect();
        }
        let matched: Vec<usize> = if query.case_sensitive() {
            (0..self.articles.len())
                .filter(|&i| query.matches(&self.articles[i]))
                .collect()
        } else {
            let folded = self.folded.get_or_init(|| {
                self.articles
                    .iter()
                    .map(|a| fold_article(a, false))
                    .collect()
            });
            (0..self.articles.len())
                .filter(|&i| query.matches_folded(&self.articles[i], &folded[i]))
                .collect()
        };
        let (mut first, rest): (Vec<usize>, Vec<usize>) = matched
            .into_iter()
            .partition(|&i| query.matches_headline(&self.articles[i].headline));
        first.extend(rest);
        first
    }

    /// Whether a query is in effect (typed or applied).
    pub fn is_filtered(&self) -> bool {
        !self.search.query.is_empty()
    }
}
