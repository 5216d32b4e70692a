//! [`Rows`]: runs of rows over shared parts, their look-ups, and appending, dropping, merging.

use std::ops::Range;
use std::sync::Arc;

use super::pack::{Packer, strings_of};
use super::part::{PART, Part, Row, TEXT_MAX};
use super::piece::{decode, encode};
use crate::article::{Article, Summary, SummaryRef};
use crate::parallel::each_in_parallel;
use crate::store::scan::Segment;

/// Articles in order, as runs of rows of shared parts. Cloning one clones a list of runs, not
/// the summaries.
#[derive(Clone, Default)]
pub struct Rows {
    pub(super) runs: Vec<Run>,
    /// How many rows there are up to the end of each run.
    ends: Vec<usize>,
}

/// Rows `rows` of a part, and (in a store) which of its files a dump part's articles are in.
#[derive(Clone)]
pub(super) struct Run {
    pub(super) part: Arc<Part>,
    rows: Range<usize>,
    file: usize,
}

impl Rows {
    /// The rows of a dump's articles: their segments and their summaries, made on every core.
    pub fn of_dump(segments: &[Segment], summaries: &[Summary]) -> Rows {
        let count = segments.len().min(summaries.len());
        let chunks: Vec<Range<usize>> = (0..count)
            .step_by(PART)
            .map(|start| start..count.min(start + PART))
            .collect();
        let parts = each_in_parallel(&chunks, |chunk| {
            let mut packer = Packer::new();
            for i in chunk.clone() {
                let (segment, summary) = (&segments[i], &summaries[i]);
                packer.push(segment, summary.views, strings_of(summary), None);
            }
            packer.finish()
        });
        Rows::of_parts(parts.into_iter().flatten())
    }

    /// The rows of articles that are already parsed.
    pub fn of_articles(articles: Vec<Article>) -> Rows {
        let mut packer = Packer::new();
        let nowhere = Segment {
            range: 0..0,
            views: None,
        };
        for article in articles {
            let summary = Summary::of(&article);
            let views = summary.views;
            packer.push(
                &nowhere,
                views,
                strings_of(&summary),
                Some(Arc::new(article)),
            );
        }
        Rows::of_parts(packer.finish())
    }

    fn of_parts(parts: impl IntoIterator<Item = Part>) -> Rows {
        let mut rows = Rows::default();
        for part in parts {
            let len = part.len();
            rows.push_run(Run {
                part: Arc::new(part),
                rows: 0..len,
                file: 0,
            });
        }
        rows
    }

    fn push_run(&mut self, run: Run) {
        if run.rows.is_empty() {
            return;
        }
        self.ends.push(self.len() + run.rows.len());
        self.runs.push(run);
    }

    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Whether any row is of articles parsed already (not of a dump).
    pub fn has_parsed(&self) -> bool {
        self.runs.iter().any(|run| run.part.is_parsed())
    }

    /// Where run `r` starts.
    fn start(&self, r: usize) -> usize {
        r.checked_sub(1).map_or(0, |before| self.ends[before])
    }

    /// The run that holds row `i`, and the row in its part.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        let r = self.ends.partition_point(|&end| end <= i);
        let run = self.runs.get(r)?;
        Some((r, run.rows.start + (i - self.start(r))))
    }

    pub fn summary(&self, i: usize) -> Option<SummaryRef<'_>> {
        let (r, row) = self.locate(i)?;
        self.runs[r].part.summary(row)
    }

    /// Which file holds the article of row `i`, and where in it; `None` for a parsed article.
    pub fn segment(&self, i: usize) -> Option<(usize, Segment)> {
        let (r, row) = self.locate(i)?;
        let run = &self.runs[r];
        Some((run.file, run.part.segment(row)?))
    }

    /// The article of row `i`, when it was parsed as it was loaded.
    pub fn article(&self, i: usize) -> Option<&Arc<Article>> {
        let (r, row) = self.locate(i)?;
        self.runs[r].part.article(row)
    }

    /// The summaries of rows `range`, in order.
    pub fn iter(&self, range: Range<usize>) -> Iter<'_> {
        let end = range.end.min(self.len());
        match self.locate(range.start).filter(|_| range.start < end) {
            Some((r, row)) => Iter {
                runs: &self.runs[r..],
                row,
                left: end - range.start,
            },
            None => Iter {
                runs: &[],
                row: 0,
                left: 0,
            },
        }
    }

    /// Adds the rows of `other`, whose files are numbered from `files` on here.
    pub fn append(&mut self, other: Rows, files: usize) {
        for mut run in other.runs {
            run.file += files;
            self.push_run(run);
        }
    }

    /// Drops the last row.
    pub fn pop(&mut self) {
        let Some(last) = self.runs.last_mut() else {
            return;
        };
        last.rows.end -= 1;
        if last.rows.is_empty() {
            self.runs.pop();
            self.ends.pop();
        } else if let Some(end) = self.ends.last_mut() {
            *end -= 1;
        }
    }

    /// These rows without rows `dropped` (in increasing order); the parts are shared.
    pub fn without(&self, dropped: &[usize]) -> Rows {
        let mut rows = Rows::default();
        let mut dropped = dropped.iter().copied().peekable();
        for (r, run) in self.runs.iter().enumerate() {
            let (start, end) = (self.start(r), self.ends[r]);
            let mut from = start;
            while let Some(at) = dropped.next_if(|&at| at < end) {
                if at < from {
                    continue;
                }
                rows.push_run(run.slice(from - start..at - start));
                from = at + 1;
            }
            rows.push_run(run.slice(from - start..end - start));
        }
        rows
    }

    /// The highest view count.
    pub fn max_views(&self) -> Option<u64> {
        let each = self
            .runs
            .iter()
            .map(|run| run.part.max_views_of(run.rows.clone()));
        each.max().flatten()
    }

    /// The first of the rows before `before` whose id is `id`. The first look-up in a part
    /// sorts its ids (see [`Rows::sort_ids`]); the parts keep them for the next.
    pub fn first_with_id(&self, id: &str, before: usize) -> Option<usize> {
        for (r, run) in self.runs.iter().enumerate() {
            let start = self.start(r);
            if start >= before {
                break;
            }
            let rows = run.rows.start..run.rows.end.min(run.rows.start + (before - start));
            if let Some(row) = run.part.first_with_id(id, rows) {
                return Some(start + row - run.rows.start);
            }
        }
        None
    }

    /// Sorts the ids of the parts of the rows before `before` on every core, for
    /// [`Rows::first_with_id`], if they are not yet.
    pub fn sort_ids(&self, before: usize) {
        let runs = self.ends.partition_point(|&end| end < before) + 1;
        let runs = self.runs.get(..runs).unwrap_or(&self.runs);
        each_in_parallel(runs, |run| {
            run.part.ids();
        });
    }

    /// Packs the last runs together while the one before the last is no longer than the last,
    /// as a binary counter carries: a dump that grew by an article at a time ends in a few
    /// parts, not one per article, and each article was copied a few times, not once per load.
    pub fn compact(&mut self) {
        while let [.., a, b] = &self.runs[..] {
            let fits = a.rows.len() + b.rows.len() <= PART
                && a.part.text_len(a.rows.clone()) + b.part.text_len(b.rows.clone()) <= TEXT_MAX;
            let alike = a.file == b.file && a.part.is_parsed() == b.part.is_parsed();
            if a.rows.len() > b.rows.len() || !fits || !alike {
                return;
            }
            let mut packer = Packer::new();
            for run in [a, b] {
                run.rows.clone().for_each(|row| packer.copy(&run.part, row));
            }
            let file = a.file;
            for _ in 0..2 {
                self.runs.pop();
                self.ends.pop();
            }
            for part in packer.finish() {
                let len = part.len();
                self.push_run(Run {
                    part: Arc::new(part),
                    rows: 0..len,
                    file,
                });
            }
        }
    }

    /// Whether these rows begin with the same parts as `other` has, row for row, up to its
    /// last run (which may have grown since, or lost a tail): rows made by reading on from
    /// `other`. A cheap test that finds most appends; ids tell in any case.
    pub fn shares_parts_with(&self, other: &Rows) -> bool {
        let Some((last, whole)) = other.runs.split_last() else {
            return true;
        };
        let same = |a: &Run, b: &Run| Arc::ptr_eq(&a.part, &b.part) && a.rows == b.rows;
        self.runs.len() >= other.runs.len()
            && self.runs.iter().zip(whole).all(|(a, b)| same(a, b))
            && self.runs.get(whole.len()).is_some_and(|run| {
                Arc::ptr_eq(&run.part, &last.part)
                    && run.rows.start == last.rows.start
                    && run.rows.end >= last.rows.end
            })
    }

    /// These rows with the summary of row `i` replaced (all of them copied: for tests and
    /// tools, not for loading).
    pub fn with_summary(&self, i: usize, summary: &Summary) -> Rows {
        let mut packer = Packer::new();
        for (at, run) in self.runs.iter().enumerate() {
            for row in run.rows.clone() {
                if self.start(at) + (row - run.rows.start) != i {
                    packer.copy(&run.part, row);
                    continue;
                }
                let segment = run.part.rows.get(row).map_or(
                    Segment {
                        range: 0..0,
                        views: None,
                    },
                    Row::segment,
                );
                let article = run.part.article(row).cloned();
                packer.push(&segment, summary.views, strings_of(summary), article);
            }
        }
        Rows::of_parts(packer.finish())
    }

    /// The rows as they are kept on disk: one piece of bytes for each run of a dump's rows.
    pub fn encode(&self) -> Vec<Vec<u8>> {
        each_in_parallel(&self.runs, |run| encode(&run.part, run.rows.clone()))
    }

    /// Rows from pieces that [`Rows::encode`] made, or `None` if any is damaged.
    pub fn decode(pieces: &[&[u8]]) -> Option<Rows> {
        let parts = each_in_parallel(pieces, |piece| decode(piece));
        Some(Rows::of_parts(
            parts.into_iter().collect::<Option<Vec<Part>>>()?,
        ))
    }
}

impl Run {
    fn slice(&self, rows: Range<usize>) -> Run {
        Run {
            part: Arc::clone(&self.part),
            rows: self.rows.start + rows.start..self.rows.start + rows.end,
            file: self.file,
        }
    }
}

impl PartialEq for Rows {
    /// Rows are equal when they hold the same summaries in the same places.
    fn eq(&self, other: &Rows) -> bool {
        let segments = |rows: &Rows| (0..rows.len()).map(|i| rows.segment(i)).collect::<Vec<_>>();
        self.len() == other.len()
            && self.iter(0..self.len()).eq(other.iter(0..other.len()))
            && segments(self) == segments(other)
    }
}

impl Eq for Rows {}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("rows", &self.len())
            .field("runs", &self.runs.len())
            .finish()
    }
}

/// The summaries of a range of rows, in order.
pub struct Iter<'a> {
    runs: &'a [Run],
    /// The next row of the first run's part.
    row: usize,
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = SummaryRef<'a>;

    fn next(&mut self) -> Option<SummaryRef<'a>> {
        if self.left == 0 {
            return None;
        }
        loop {
            let run = self.runs.first()?;
            if self.row < run.rows.end {
                let summary = run.part.summary(self.row)?;
                self.row += 1;
                self.left -= 1;
                return Some(summary);
            }
            self.runs = &self.runs[1..];
            self.row = self.runs.first()?.rows.start;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}
