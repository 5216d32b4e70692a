//! Browsing the list: its order (`o`) and the tag picker (`t`), which filters by a tag or a
//! source on top of any search.

use serde::{Deserialize, Serialize};

use super::{App, Mode, Prompt, prompt::Edit};
use crate::search::fold;

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

impl App {
    pub(super) fn cycle_order(&mut self) {
        self.browse.order = self.browse.order.next();
        // Other orders are named in the status line; the file's order is its absence.
        if self.browse.order == Order::File {
            self.message = Some("Sorted as in the file".into());
        }
        self.refilter();
    }

    /// Sorts listed articles by the chosen order (stable, so ties keep their order).
    pub(super) fn sort_listed(&self, articles: &mut [usize]) {
        match self.browse.order {
            Order::File => {}
            Order::Views => articles.sort_by_key(|&i| std::cmp::Reverse(self.articles[i].views)),
            Order::Headline => {
                articles.sort_by_cached_key(|&i| fold(&self.articles[i].headline, false))
            }
        }
    }

    /// Whether article `index` has the chosen tag or source.
    pub(super) fn has_label(&self, index: usize) -> bool {
        let article = &self.articles[index];
        match &self.browse.label {
            None => true,
            Some(Label::Tag(tag)) => article.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            Some(Label::Source(source)) => article.source.as_deref() == Some(source.as_str()),
        }
    }

    pub(super) fn open_picker(&mut self) {
        let mut entries: Vec<(Label, usize)> = Vec::new();
        let mut add = |label: Label| match entries.iter_mut().find(|(l, _)| same(l, &label)) {
            Some((_, count)) => *count += 1,
            None => entries.push((label, 1)),
        };
        for article in self.articles.iter() {
            article.tags.iter().for_each(|t| add(Label::Tag(t.clone())));
            if let Some(source) = &article.source {
                add(Label::Source(source.clone()));
            }
        }
        entries.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| fold(a.0.text(), false).cmp(&fold(b.0.text(), false)))
        });
        self.browse.entries = entries;
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

/// Tags that differ only in case are one tag; a tag and a source of the same name are two.
fn same(a: &Label, b: &Label) -> bool {
    match (a, b) {
        (Label::Tag(a), Label::Tag(b)) => a.eq_ignore_ascii_case(b),
        (Label::Source(a), Label::Source(b)) => a == b,
        _ => false,
    }
}
