//! Browsing the list: its order (`o`) and the tag picker (`t`), which filters by a tag or a
//! source on top of any search.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{App, Mode, Prompt, prompt::Edit};
use crate::article::SummaryRef;
use crate::search::fold;
use crate::store::Summaries;

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// As in the file (with a search: headline matches first).
    #[default]
    File,
    /// Most viewed first.
    Views,
    /// Headline A–Z, ignoring case and accents.
    Headline,
}

impl Order {
    fn next(self) -> Order {
        match self {
            Order::File => Order::Views,
            Order::Views => Order::Headline,
            Order::Headline => Order::File,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Order::File => "file order",
            Order::Views => "most viewed",
            Order::Headline => "A–Z",
        }
    }
}

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
    /// The picker: every label with its article count, the typed filter, the chosen row.
    pub entries: Vec<(Label, usize)>,
    pub typed: Prompt,
    pub row: usize,
}

/// Worked out from the articles once, on first use, so that sorting and the picker cost the
/// list's length per key, not a pass over every article's text.
#[derive(Debug, Default)]
pub(super) struct Derived {
    /// Each article's place in headline order (A–Z, accents and case ignored).
    headline_rank: OnceLock<Vec<u32>>,
    /// Each article's place in order of views, most first.
    views_rank: OnceLock<Vec<u32>>,
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
fn rank_by(order: Order, articles: Summaries<'_>) -> Vec<u32> {
    let mut sorted: Vec<usize> = (0..articles.len()).collect();
    sorted.sort_by_cached_key(|&i| articles.get(i).map(|a| order_key(order, a)));
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
    fn rank(&self, order: Order, articles: Summaries<'_>) -> &[u32] {
        let cell = match order {
            Order::Headline => &self.headline_rank,
            _ => &self.views_rank,
        };
        cell.get_or_init(|| rank_by(order, articles))
    }

    /// Every tag and source with its article count, most used first.
    fn labels(&self, articles: Summaries<'_>) -> Vec<(Label, usize)> {
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

impl App {
    pub(super) fn cycle_order(&mut self) {
        self.browse.order = self.browse.order.next();
        // Other orders are named in the status line; the file's order is its absence.
        if self.browse.order == Order::File {
            self.message = Some("Sorted as in the file".into());
        }
        self.refilter();
    }

    /// Sorts listed articles by the chosen order (ties keep their order) by ranks worked out
    /// once, so a re-sort costs the list's length, not a pass over every headline.
    pub(super) fn sort_listed(&self, articles: &mut [usize]) {
        if self.browse.order != Order::File {
            let rank = self.derived.rank(self.browse.order, self.store.summaries());
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

    pub(super) fn open_picker(&mut self) {
        self.browse.entries = self.derived.labels(self.store.summaries());
        self.browse.typed.reset();
        self.browse.row = 0;
        self.mode = Mode::Picker;
    }

    /// The picker's entries that match what was typed.
    pub fn picker_entries(&self) -> Vec<&(Label, usize)> {
        let typed = fold(&self.browse.typed.text(), false);
        self.browse
            .entries
            .iter()
            .filter(|(label, _)| fold(label.text(), false).contains(&typed))
            .collect()
    }

    pub fn picker_row(&self) -> usize {
        self.browse.row
    }

    pub fn picker_typed(&self) -> &Prompt {
        &self.browse.typed
    }

    pub(super) fn edit_picker(&mut self, edit: Edit) {
        match edit {
            Edit::HistoryPrevious => self.browse.row = self.browse.row.saturating_sub(1),
            Edit::HistoryNext => {
                let last = self.picker_entries().len().saturating_sub(1);
                self.browse.row = (self.browse.row + 1).min(last);
            }
            edit => {
                if self.browse.typed.edit(edit) {
                    self.browse.row = 0;
                }
            }
        }
    }

    pub(super) fn choose_in_picker(&mut self) {
        self.mode = Mode::Normal;
        let chosen = self
            .picker_entries()
            .get(self.browse.row)
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
