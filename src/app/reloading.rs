//! Taking in reloaded articles without losing the reader's place: selection, open article and
//! scroll, filter and reading state carry over by article id; articles not seen before are new.

use std::collections::HashSet;
use std::sync::Arc;

use super::{App, Effect};
use crate::article::Corpus;

impl App {
    pub(super) fn request_reload(&mut self) {
        self.request(Effect::Reload);
    }

    pub(super) fn reloaded(&mut self, corpus: Corpus) {
        if let Some(error) = corpus.errors().next() {
            self.message = Some(format!(
                "Reload failed, keeping the articles as they were: {}",
                error.message
            ));
            return;
        }
        if corpus.articles.is_empty() {
            self.message = Some("Reload found no articles, keeping the ones loaded".into());
            return;
        }
        let id = |index: Option<usize>| index.map(|i| self.articles[i].id.clone());
        let (selected, open) = (id(self.selected_article()), id(self.reading.open));
        let known: HashSet<&str> = self.articles.iter().map(|a| a.id.as_str()).collect();
        let still_new: HashSet<&str> = (self.articles.iter().zip(&self.fresh))
            .filter(|(_, fresh)| **fresh)
            .map(|(a, _)| a.id.as_str())
            .collect();
        let is_new = |a: &crate::article::Article| !known.contains(a.id.as_str());
        let added = corpus.articles.iter().filter(|a| is_new(a)).count();
        // An article stays marked new until it is opened, across any number of reloads.
        let fresh: Vec<bool> = (corpus.articles.iter())
            .map(|a| is_new(a) || still_new.contains(a.id.as_str()))
            .collect();
        let marks = |a: &crate::article::Article| {
            self.state.articles.get(&a.id).copied().unwrap_or_default()
        };
        self.read = corpus.articles.iter().map(|a| marks(a).read).collect();
        self.starred = corpus.articles.iter().map(|a| marks(a).starred).collect();
        self.max_views = corpus.articles.iter().filter_map(|a| a.views).max();
        self.fresh = fresh;
        self.articles = Arc::new(corpus.articles);
        self.index = Arc::default();
        let find =
            |id: Option<String>| id.and_then(|id| self.articles.iter().position(|a| a.id == id));
        let (selected, open) = (find(selected), find(open));
        self.reading.open = open;
        self.reading.forget_document();
        self.search.forget_results(self.articles.len());
        let text = self.search.query_text.clone();
        self.apply_query(&text);
        if let Some(row) = selected.and_then(|a| self.view.iter().position(|&i| i == a)) {
            self.selected = row;
        }
        self.refresh_document();
        let mut message = match added {
            0 => "Reloaded; nothing new".to_owned(),
            1 => "Reloaded: 1 new article".to_owned(),
            n => format!("Reloaded: {n} new articles"),
        };
        // A question was about the articles as they were: a `y` must not act on ones never seen.
        if self.cancel_question() {
            message.push_str("; question cancelled, ask again");
        }
        self.message = Some(message);
    }

    /// Whether article `index` arrived with the last reload.
    pub fn is_new(&self, index: usize) -> bool {
        self.fresh.get(index).copied().unwrap_or(false)
    }

    pub fn new_count(&self) -> usize {
        self.fresh.iter().filter(|&&f| f).count()
    }
}
