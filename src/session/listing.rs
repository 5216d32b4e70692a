//! Which articles are listed, in one place: the query's matches, then the unread and starred
//! switches, then the tag or source chosen in the picker, then the order.

use std::sync::Arc;

use super::{Label, Session};
use crate::article::Order;
use crate::search::Query;

impl Session {
    /// Lists `matched` (with the unread and starred switches applied), keeping the selection.
    pub(super) fn show_matches(&mut self, query: Query, matched: Vec<usize>) {
        let previous = self.selected_article();
        self.search.matched_query = query;
        let mut view = matched.clone();
        self.search.matched = Arc::new(matched);
        self.keep_listed(&mut view);
        self.view = view;
        self.selected = previous
            .and_then(|a| self.view.iter().position(|&i| i == a))
            .unwrap_or(0);
    }

    /// Recomputes the list after the unread-only or starred-only switch changed.
    pub(super) fn refilter(&mut self) {
        let (query, matched) = (
            self.search.matched_query.clone(),
            self.search.matched.to_vec(),
        );
        self.show_matches(query, matched);
    }

    /// Applies the unread-only and starred-only switches and the tag picker's choice to a list
    /// of articles, and puts it in the chosen order.
    pub(super) fn keep_listed(&self, articles: &mut Vec<usize>) {
        if self.unread_only {
            articles.retain(|&i| !self.read.get(i));
        }
        if self.starred_only {
            articles.retain(|&i| self.starred.get(i));
        }
        if self.browse.label.is_some() {
            articles.retain(|&i| self.has_label(i));
        }
        self.sort_listed(articles);
    }

    /// Sorts listed articles by the chosen order (ties keep their order) by ranks worked out
    /// once, so a re-sort costs the list's length, not a pass over every headline.
    pub(super) fn sort_listed(&self, articles: &mut [usize]) {
        if self.browse.order != Order::File {
            let rank = self.derived.rank(self.browse.order, &self.store);
            articles.sort_unstable_by_key(|&i| rank[i]);
        }
    }

    /// Whether article `index` has the chosen tag or source.
    pub(super) fn has_label(&self, index: usize) -> bool {
        let Some(article) = self.store.summary(index) else {
            return false;
        };
        match &self.browse.label {
            None => true,
            Some(Label::Tag(tag)) => article.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            Some(Label::Source(source)) => article.source == Some(source.as_str()),
        }
    }
}
