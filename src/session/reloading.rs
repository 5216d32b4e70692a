//! Taking in reloaded articles without losing the reader's place: selection, open article and
//! scroll, filter and reading state carry over by article id; articles not seen before are new.

use std::collections::HashMap;

use std::sync::Arc;

use super::{Command, Session};
use crate::article::SummaryRef;
use crate::feed::refresh::Fetch;
use crate::store::{Corpus, Store, Summaries};
use crate::text::clean_line;

/// Articles a reload replaced: held only to be dropped, off the UI thread (freeing a hundred
/// thousand articles takes a third of a second).
#[derive(Debug)]
pub struct Retired {
    store: Arc<Store>,
}

impl Retired {
    fn summaries(&self) -> Summaries<'_> {
        self.store.summaries()
    }
}

/// The status line's words for how fetching goes: `fetching 37/120`, then what came of it.
pub(super) fn fetch_message(step: &Fetch) -> String {
    let failed = |n: usize| match n {
        0 => String::new(),
        1 => ", 1 failed".into(),
        n => format!(", {n} failed"),
    };
    match step {
        Fetch::Progress(p) => format!("fetching {}/{}{}", p.done, p.total, failed(p.failed)),
        Fetch::Done(report) => {
            let total = report.updated + report.unchanged + report.skipped + report.failures.len();
            let feeds = if total == 1 { "feed" } else { "feeds" };
            let mut message = format!("fetched {total} {feeds}: {} new or changed", report.updated);
            if let Some(first) = report.failures.first() {
                let more = report.failures.len() - 1;
                message = match more {
                    0 => format!("{message}; failed: {first}"),
                    more => format!("{message}; {} failed, first: {first}", more + 1),
                };
            }
            clean_line(&message)
        }
    }
}

impl Session {
    pub(super) fn reloaded(&mut self, corpus: Corpus) {
        if let Some(error) = corpus.errors().next() {
            self.message = Some(format!(
                "Reload failed, keeping the articles as they were: {}",
                error.message
            ));
            return;
        }
        if corpus.store.is_empty() {
            self.message = Some("Reload found no articles, keeping the ones loaded".into());
            return;
        }
        self.replace_store(Arc::new(corpus.store));
    }

    /// Takes in reloaded articles, checked already: the reader's place and marks carried over.
    pub(super) fn replace_store(&mut self, store: Arc<Store>) {
        // Feeds fetched into an empty cache arrive with a reload: they list newest first too,
        // unless an order was chosen meanwhile.
        let dated_now = !self.store.has_dates() && store.has_dates();
        let id = |index: Option<usize>| Some(self.store.summary(index?)?.id.to_owned());
        let (selected, open) = (id(self.selected_article()), id(self.reading.open));
        // A scraper appends: then the articles loaded before keep their places and flags, and
        // only the new ones are looked up, so a reload costs what was added.
        let loaded = store.summaries();
        let appended = store.shares_start_with(&self.store) || self.is_prefix_of(loaded);
        let old = self.store.len();
        let added = if appended {
            self.fresh.grow_to(old);
            let tail = loaded.starting_at(old);
            tail.iter().for_each(|article| self.add_flags(article));
            tail.len()
        } else {
            self.carry_flags_over(loaded)
        };
        let retired = Retired {
            store: std::mem::replace(&mut self.store, store),
        };
        match appended {
            true => self.derived.extend(self.store.summaries(), old),
            false => self.derived = super::browse::Derived::default(),
        }
        let (selected, open) = match appended {
            true => (self.selected_article(), self.reading.open),
            false => {
                let now: HashMap<&str, usize> = (self.store.summaries().iter().enumerate())
                    .map(|(i, a)| (a.id, i))
                    .collect();
                let find = |id: Option<String>| now.get(id?.as_str()).copied();
                // Until a search answers, the same articles stay listed, where they are now.
                let before = retired.summaries();
                let listed = (self.view.iter())
                    .filter_map(|&i| now.get(before.get(i)?.id).copied())
                    .collect();
                let found = (find(selected), find(open));
                self.view = listed;
                found
            }
        };
        self.reading.open = open;
        self.reading.forget_document();
        self.commands.push(Command::Retire(retired));
        self.search
            .forget_results(self.store.len(), &mut self.overlay);
        if dated_now && self.browse.order == crate::article::Order::File {
            self.browse.order = crate::article::Order::Newest;
        }
        let text = self.search.query_text.clone();
        self.apply_query(&text);
        match selected.and_then(|a| self.view.iter().position(|&i| i == a)) {
            Some(row) => self.selected = row,
            None => self.select(self.selected),
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

    /// Whether the loaded articles are the first of `articles`, in order (a file that grew).
    fn is_prefix_of(&self, articles: Summaries<'_>) -> bool {
        articles.len() >= self.store.len()
            && (self.store.summaries().iter())
                .zip(articles)
                .all(|(a, b)| a.id == b.id)
    }

    /// Read, starred and new flags for `articles` in place of the loaded ones' (carried over by
    /// id); returns how many of them are new.
    fn carry_flags_over(&mut self, articles: Summaries<'_>) -> usize {
        let loaded = Arc::clone(&self.store);
        let known: HashMap<&str, usize> = (loaded.summaries().iter().enumerate())
            .map(|(i, a)| (a.id, i))
            .collect();
        let old = (
            std::mem::take(&mut self.read),
            std::mem::take(&mut self.starred),
            std::mem::take(&mut self.fresh),
        );
        let mut added = 0;
        for article in articles {
            match known.get(article.id) {
                Some(&was) => {
                    self.read.push(old.0.get(was));
                    self.starred.push(old.1.get(was));
                    // An article stays new until it is opened, across any number of reloads.
                    self.fresh.push(old.2.get(was));
                }
                None => {
                    self.add_flags(article);
                    added += 1;
                }
            }
        }
        added
    }

    /// Flags for an article that was not loaded before: marks from the state, and new.
    fn add_flags(&mut self, article: SummaryRef<'_>) {
        let mark = self
            .state
            .articles
            .get(article.id)
            .copied()
            .unwrap_or_default();
        self.read.push(mark.read);
        self.starred.push(mark.starred);
        self.fresh.push(true);
    }

    /// Whether article `index` arrived with the last reload.
    pub fn is_new(&self, index: usize) -> bool {
        self.fresh.get(index)
    }

    pub fn new_count(&self) -> usize {
        self.fresh.count()
    }
}
