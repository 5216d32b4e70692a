//! A part: up to [`PART`] articles' strings in one `String`, a row each, look-ups by row and id.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::article::{Article, SummaryRef, Tags};
use crate::store::scan::Segment;

/// The most articles a part holds.
pub const PART: usize = 32_768;

/// The most text a part holds: its strings end at `u32` offsets.
pub(super) const TEXT_MAX: usize = u32::MAX as usize;

/// Row flags: whether the article has a view count, and a source.
pub(super) const VIEWS: u8 = 1;
pub(super) const SOURCE: u8 = 2;

/// One article's row: where its text lies in its dump, its view count, and its strings: its
/// id, headline, source if it has one, then its tags, one after the other from `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Row {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) views: u64,
    pub(super) first: u32,
    pub(super) strings: u32,
    pub(super) flags: u8,
}

impl Row {
    pub(super) fn views(&self) -> Option<u64> {
        (self.flags & VIEWS != 0).then_some(self.views)
    }

    pub(super) fn segment(&self) -> Segment {
        Segment {
            range: self.start..self.end,
            views: self.views(),
        }
    }

    /// The index in `ends` of the first tag.
    fn tags_from(&self) -> usize {
        self.first as usize + 2 + usize::from(self.flags & SOURCE != 0)
    }
}

/// The summaries of up to [`PART`] articles, and where each lies in its dump or the article
/// itself. Never changed once made.
pub struct Part {
    pub(super) text: String,
    /// Where each string ends in `text`; the first starts at 0, each other where the one
    /// before it ends.
    pub(super) ends: Vec<u32>,
    pub(super) rows: Vec<Row>,
    /// The articles, when they were parsed as they were loaded (JSON input): one per row, or
    /// none for a dump's, which are parsed from its bytes when they are read.
    pub(super) articles: Vec<Arc<Article>>,
    pub(super) max_views: Option<u64>,
    /// Every row by a hash of its id, sorted: made the first time a row is looked up by id.
    pub(super) ids: OnceLock<Vec<(u64, u32)>>,
}

impl Part {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// String `k` of `text`; every end was checked when the part was made.
    fn string(&self, k: usize) -> &str {
        let start = match k.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(k).copied().unwrap_or(start);
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    pub fn summary(&self, row: usize) -> Option<SummaryRef<'_>> {
        let r = self.rows.get(row)?;
        let first = r.first as usize;
        let tags_from = r.tags_from();
        let tags_to = first + r.strings as usize;
        let tag_ends = self.ends.get(tags_from..tags_to).unwrap_or_default();
        let tags_start = self.ends.get(tags_from - 1).copied().unwrap_or(0);
        Some(SummaryRef {
            id: self.string(first),
            headline: self.string(first + 1),
            views: r.views(),
            tags: Tags::new(&self.text, tag_ends, tags_start),
            source: (r.flags & SOURCE != 0).then(|| self.string(first + 2)),
        })
    }

    /// Where the article of `row` lies in its dump; `None` for a parsed article.
    pub fn segment(&self, row: usize) -> Option<Segment> {
        match self.articles.is_empty() {
            true => self.rows.get(row).map(Row::segment),
            false => None,
        }
    }

    /// The article of `row`, when it was parsed as it was loaded.
    pub fn article(&self, row: usize) -> Option<&Arc<Article>> {
        self.articles.get(row)
    }

    pub(super) fn is_parsed(&self) -> bool {
        !self.articles.is_empty()
    }

    /// The highest view count of `rows`.
    pub(super) fn max_views_of(&self, rows: Range<usize>) -> Option<u64> {
        if rows == (0..self.len()) {
            return self.max_views;
        }
        let rows = self.rows.get(rows).unwrap_or_default();
        rows.iter().filter_map(Row::views).max()
    }

    /// How many bytes of text `rows` hold.
    pub(super) fn text_len(&self, rows: Range<usize>) -> usize {
        self.strings(rows).1.len()
    }

    /// Where the strings of `rows` are in `ends`, and where their text is.
    pub(super) fn strings(&self, rows: Range<usize>) -> (Range<usize>, Range<usize>) {
        let rows = self.rows.get(rows).unwrap_or_default();
        let first = rows.first().map_or(0, |r| r.first as usize);
        let last = (rows.last()).map_or(first, |r| r.first as usize + r.strings as usize);
        let base = first.checked_sub(1).and_then(|k| self.ends.get(k)).copied();
        let base = base.unwrap_or(0) as usize;
        let end = last.checked_sub(1).and_then(|k| self.ends.get(k)).copied();
        let end = end.map_or(base, |end| (end as usize).max(base));
        (first..last, base..end)
    }

    /// Every row by a hash of its id, sorted; made the first time it is asked for.
    pub(super) fn ids(&self) -> &[(u64, u32)] {
        self.ids.get_or_init(|| {
            let mut ids: Vec<(u64, u32)> = (0..self.len())
                .map(|row| (hash(self.summary(row).map_or("", |s| s.id)), row as u32))
                .collect();
            ids.sort_unstable();
            ids
        })
    }

    /// The first of `rows` whose id is `id`.
    pub(super) fn first_with_id(&self, id: &str, rows: Range<usize>) -> Option<usize> {
        let ids = self.ids();
        let hash = hash(id);
        let from = ids.partition_point(|&(h, _)| h < hash);
        let same_hash = ids.get(from..).unwrap_or_default();
        same_hash
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, row)| row as usize)
            .find(|row| rows.contains(row) && self.summary(*row).is_some_and(|s| s.id == id))
    }
}

/// Hashes ids with one xxh3 each: at a million articles, SipHash and xxh3's streaming
/// interface each showed in a start's profile.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn hash(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}
