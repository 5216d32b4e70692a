//! The corpus being loaded: each input's articles and problems added, repeated articles left out.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasherDefault;

use super::{Loaded, plural};
use crate::article::{Problem, Severity};
use crate::store::Corpus;
use crate::store::packed::IdHasher;

/// A corpus being loaded, and what is known of its duplicates.
#[derive(Default)]
pub(super) struct Loading {
    pub(super) corpus: Corpus,
    /// How many inputs were loaded, and the duplicates of the first, if they are known.
    loaded: usize,
    duplicates: Option<Vec<usize>>,
}

impl Loading {
    pub(super) fn add(&mut self, result: Result<Loaded, String>) {
        match result {
            Ok(loaded) => {
                self.loaded += 1;
                self.duplicates = loaded.duplicates;
                self.corpus.store.append(loaded.store);
                let warnings = loaded.warnings.into_iter();
                let warnings = warnings.map(|message| Problem {
                    severity: Severity::Warning,
                    message,
                });
                self.corpus.problems.extend(warnings);
            }
            Err(message) => self.error(message),
        }
    }

    pub(super) fn error(&mut self, message: String) {
        self.corpus.error(message);
    }

    /// The corpus, without duplicates: those an index knows of when there is one input, else
    /// those found now.
    pub(super) fn finish(mut self) -> Corpus {
        match self.duplicates.take().filter(|_| self.loaded == 1) {
            Some(duplicates) => self.corpus.drop_rows(&duplicates),
            None => self.corpus.drop_duplicates(),
        }
        self.corpus
    }
}

impl Corpus {
    /// Leaves out the articles at `rows` (in increasing order), which repeat earlier ones, and
    /// says how many.
    fn drop_rows(&mut self, rows: &[usize]) {
        if rows.is_empty() {
            return;
        }
        self.store.drop_rows(rows);
        self.skipped(rows.len());
    }

    fn skipped(&mut self, skipped: usize) {
        self.problems.push(Problem {
            severity: Severity::Warning,
            message: format!("skipped {skipped} duplicate article{}", plural(skipped)),
        });
    }

    /// Keeps the first of identical articles (the same dump given twice, or an article in two
    /// files) and says how many others were left out.
    fn drop_duplicates(&mut self) {
        let summaries = self.store.summaries();
        let mut first: HashMap<&str, usize, BuildHasherDefault<IdHasher>> =
            HashMap::with_capacity_and_hasher(summaries.len(), BuildHasherDefault::default());
        let mut keep = vec![true; summaries.len()];
        for (index, summary) in summaries.iter().enumerate() {
            match first.entry(summary.id) {
                // The same id is the same text but for credits and the like: look closer.
                Entry::Occupied(seen) => {
                    keep[index] = self.store.article(*seen.get()) != self.store.article(index)
                }
                Entry::Vacant(slot) => {
                    slot.insert(index);
                }
            }
        }
        let skipped = keep.iter().filter(|k| !**k).count();
        if skipped == 0 {
            return;
        }
        self.store.retain(&keep);
        self.skipped(skipped);
    }

    fn error(&mut self, message: String) {
        self.problems.push(Problem {
            severity: Severity::Error,
            message,
        });
    }
}
