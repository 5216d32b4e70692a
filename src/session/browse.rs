//! Browsing the list: its order (`o`) and the tag picker (`t`), which filters by a tag or a
//! source on top of any search.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Overlay, Prompt, Session};
use crate::article::{Order, SummaryRef};
use crate::input::Edit;
use crate::search::fold;
use crate::store::{Store, Summaries};

/// What a picker entry filters by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Tag(String),
    Source(String),
}

impl Label {
    pub fn text(&self) -> &str {
        match self {
            Label::Tag(text) | Label::Source(text) => text,
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct Browse {
    pub order: Order,
    /// The tag or source the list is restricted to.
    pub label: Option<Label>,
}

/// The picker: every label with its article count, the typed filter, the chosen row.
#[derive(Debug, Default)]
pub struct Picker {
    entries: Vec<(Label, usize)>,
    typed: Prompt,
    row: usize,
}

impl Picker {
    /// The entries that match what was typed.
    pub fn entries(&self) -> Vec<&(Label, usize)> {
        let typed = fold(&self.typed.text(), false);
        self.entries
            .iter()
            .filter(|(label, _)| fold(label.text(), false).contains(&typed))
            .collect()
    }

    /// The chosen row of [`Picker::entries`].
    pub fn row(&self) -> usize {
        self.row
    }

    pub fn typed(&self) -> &Prompt {
        &self.typed
    }

    fn edit(&mut self, edit: Edit) {
        match edit {
            Edit::HistoryPrevious => self.row = self.row.saturating_sub(1),
            Edit::HistoryNext => {
                let last = self.entries().len().saturating_sub(1);
                self.row = (self.row + 1).min(last);
            }
            edit => {
                if self.typed.edit(edit) {
                    self.row = 0;
                }
            }
        }
    }
}

/// Worked out from the articles once, on first use, so that sorting and the picker cost the
/// list's length per key, not a pass over every article's text.
#[derive(Debug, Default)]
pub(super) struct Derived {
    /// Each article's place in headline order (A–Z, accents and case ignored).
    headline_rank: OnceLock<Vec<u32>>,
    /// Each article's place in order of views, most first.
    views_rank: OnceLock<Vec<u32>>,
    /// Each article's place by date, newest first.
    newest_rank: OnceLock<Vec<u32>>,
    /// Every tag and source with its article count.
    labels: OnceLock<LabelCounts>,
}

/// Article counts by tag (one whatever its case) and by source (as written).
type LabelCounts = HashMap<(bool, String), (Label, usize)>;

fn count_labels(counts: &mut LabelCounts, article: SummaryRef<'_>) {
    for tag in &article.tags {
        let key = (true, tag.to_ascii_lowercase());
        counts
            .entry(key)
            .or_insert_with(|| (Label::Tag(tag.to_owned()), 0))
            .1 += 1;
    }
    if let Some(source) = article.source {
        let key = (false, source.to_owned());
        counts
            .entry(key)
            .or_insert_with(|| (Label::Source(source.to_owned()), 0))
            .1 += 1;
    }
}

/// The sort key of `order` for an article; ties keep file order.
fn order_key(order: Order, article: SummaryRef<'_>) -> (String, std::cmp::Reverse<Option<u64>>) {
    match order {
        Order::Headline => (fold(article.headline, false), std::cmp::Reverse(None)),
        _ => (String::new(), std::cmp::Reverse(article.views)),
    }
}

/// Each article's place in `order`, worked out once.
fn rank_by(order: Order, articles: Summaries<'_>, store: &Store) -> Vec<u32> {
    let mut sorted: Vec<usize> = (0..articles.len()).collect();
    match order {
        // Newest first, the undated last; a date is a parsed article's, so no dump is read.
        Order::Newest => sorted.sort_by_cached_key(|&i| std::cmp::Reverse(store.published(i))),
        _ => sorted.sort_by_cached_key(|&i| articles.get(i).map(|a| order_key(order, a))),
    }
    let mut rank = vec![0; articles.len()];
    for (place, article) in sorted.into_iter().enumerate() {
        rank[article] = place as u32;
    }
    rank
}

/// `rank` brought up to date with the articles from `old` on, each put after its equals.
fn extend_rank(rank: &mut Vec<u32>, order: Order, articles: Summaries<'_>, old: usize) {
    let mut sorted = vec![0; rank.len()];
    for (article, &place) in rank.iter().enumerate() {
        sorted[place as usize] = article;
    }
    for new in old..articles.len() {
        let key = |i: usize| articles.get(i).map(|a| order_key(order, a));
        let new_key = key(new);
        let at = sorted.partition_point(|&i| key(i) <= new_key);
        sorted.insert(at, new);
    }
    rank.resize(articles.len(), 0);
    for (place, &article) in sorted.iter().enumerate() {
        rank[article] = place as u32;
    }
}

impl Derived {
    /// Each article's place in `order` (not [`Order::File`], which needs none).
    pub(super) fn rank(&self, order: Order, store: &Store) -> &[u32] {
        let cell = match order {
            Order::Headline => &self.headline_rank,
            Order::Newest => &self.newest_rank,
            _ => &self.views_rank,
        };
        cell.get_or_init(|| rank_by(order, store.summaries(), store))
    }

    /// Every tag and source with its article count, most used first.
    pub(super) fn labels(&self, articles: Summaries<'_>) -> Vec<(Label, usize)> {
        let counts = self.labels.get_or_init(|| {
            let mut counts = LabelCounts::new();
            articles.iter().for_each(|a| count_labels(&mut counts, a));
            counts
        });
        let mut entries: Vec<(Label, usize)> = counts.values().cloned().collect();
        entries.sort_by_cached_key(|(label, count)| {
            (std::cmp::Reverse(*count), fold(label.text(), false))
        });
        entries
    }

    /// Brings what was worked out up to date with the articles after the first `old` (a file
    /// that grew), at the cost of the new ones, not of all.
    pub(super) fn extend(&mut self, articles: Summaries<'_>, old: usize) {
        let added = articles.starting_at(old);
        if let Some(counts) = self.labels.get_mut() {
            added.iter().for_each(|a| count_labels(counts, a));
        }
        // Dates are few and only in parsed articles: worked out again when next asked.
        self.newest_rank = OnceLock::new();
        for (order, cell) in [
            (Order::Headline, &mut self.headline_rank),
            (Order::Views, &mut self.views_rank),
        ] {
            if let Some(rank) = cell.get_mut() {
                extend_rank(rank, order, articles, old);
            }
        }
    }
}

impl Session {
    pub(super) fn cycle_order(&mut self) {
        self.browse.order = self.browse.order.next();
        // Without dates "newest first" would be file order under another name.
        if self.browse.order == Order::Newest && !self.store.has_dates() {
            self.browse.order = self.browse.order.next();
        }
        // Other orders are named in the status line; the file's order is its absence.
        if self.browse.order == Order::File {
            self.message = Some("Sorted as in the file".into());
        }
        self.refilter();
    }

    pub(super) fn open_picker(&mut self) {
        self.overlay = Overlay::Picker(Picker {
            entries: self.derived.labels(self.store.summaries()),
            ..Picker::default()
        });
    }

    pub(super) fn edit_picker(&mut self, edit: Edit) {
        if let Overlay::Picker(picker) = &mut self.overlay {
            picker.edit(edit);
        }
    }

    pub(super) fn choose_in_picker(&mut self) {
        let Overlay::Picker(picker) = std::mem::take(&mut self.overlay) else {
            return;
        };
        let chosen = picker
            .entries()
            .get(picker.row)
            .map(|(label, _)| label.clone());
        if let Some(label) = chosen {
            self.browse.label = Some(label);
            self.refilter();
        }
    }

    pub(super) fn clear_label(&mut self) -> bool {
        let had = self.browse.label.take().is_some();
        if had {
            self.refilter();
        }
        had
    }

    /// The tag or source the list is restricted to.
    pub fn label(&self) -> Option<&Label> {
        self.browse.label.as_ref()
    }

    pub fn order(&self) -> Order {
        self.browse.order
    }
}
