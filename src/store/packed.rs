//! Summaries packed for archives of a million articles.
//!
//! A [`Part`] holds up to [`PART`] articles: every string of their summaries in one `String`,
//! where each string ends in one array, and a fixed-size row per article. Taking one in from a
//! kept index costs a few copies and one check of the whole string, not an allocation and a
//! check per string; and a part never changes once made, so the stores of successive loads
//! share the parts they have in common ([`Rows`]) instead of copying them: reading on from a
//! dump that grew costs what was appended.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::scan::Segment;
use crate::article::{Article, Summary, SummaryRef, Tags};
use crate::parallel::each_in_parallel;

/// The most articles a part holds.
pub const PART: usize = 32_768;

/// The most text a part holds: its strings end at `u32` offsets.
const TEXT_MAX: usize = u32::MAX as usize;

/// Row flags: whether the article has a view count, and a source.
const VIEWS: u8 = 1;
const SOURCE: u8 = 2;

/// One article's row: where its text lies in its dump, its view count, and its strings: its
/// id, headline, source if it has one, then its tags, one after the other from `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    start: usize,
    end: usize,
    views: u64,
    first: u32,
    strings: u32,
    flags: u8,
}

impl Row {
    fn views(&self) -> Option<u64> {
        (self.flags & VIEWS != 0).then_some(self.views)
    }

    fn segment(&self) -> Segment {
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
    text: String,
    /// Where each string ends in `text`; the first starts at 0, each other where the one
    /// before it ends.
    ends: Vec<u32>,
    rows: Vec<Row>,
    /// The articles, when they were parsed as they were loaded (JSON input): one per row, or
    /// none for a dump's, which are parsed from its bytes when they are read.
    articles: Vec<Arc<Article>>,
    max_views: Option<u64>,
    /// Every row by a hash of its id, sorted: made the first time a row is looked up by id.
    ids: OnceLock<Vec<(u64, u32)>>,
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

    fn is_parsed(&self) -> bool {
        !self.articles.is_empty()
    }

    /// The highest view count of `rows`.
    fn max_views_of(&self, rows: Range<usize>) -> Option<u64> {
        if rows == (0..self.len()) {
            return self.max_views;
        }
        let rows = self.rows.get(rows).unwrap_or_default();
        rows.iter().filter_map(Row::views).max()
    }

    /// How many bytes of text `rows` hold.
    fn text_len(&self, rows: Range<usize>) -> usize {
        self.strings(rows).1.len()
    }

    /// Where the strings of `rows` are in `ends`, and where their text is.
    fn strings(&self, rows: Range<usize>) -> (Range<usize>, Range<usize>) {
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
    fn ids(&self) -> &[(u64, u32)] {
        self.ids.get_or_init(|| {
            let mut ids: Vec<(u64, u32)> = (0..self.len())
                .map(|row| (hash(self.summary(row).map_or("", |s| s.id)), row as u32))
                .collect();
            ids.sort_unstable();
            ids
        })
    }

    /// The first of `rows` whose id is `id`.
    fn first_with_id(&self, id: &str, rows: Range<usize>) -> Option<usize> {
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

/// A part being made, a row at a time.
#[derive(Default)]
struct Builder {
    text: String,
    ends: Vec<u32>,
    rows: Vec<Row>,
    articles: Vec<Arc<Article>>,
    max_views: Option<u64>,
}

/// A summary's strings, whichever way it holds them.
struct Strings<'a, T> {
    id: &'a str,
    headline: &'a str,
    source: Option<&'a str>,
    tags: T,
}

impl<'a, T: Iterator<Item = &'a str> + Clone> Strings<'a, T> {
    fn len(&self) -> usize {
        let tags: usize = self.tags.clone().map(str::len).sum();
        self.id.len() + self.headline.len() + self.source.map_or(0, str::len) + tags
    }
}

impl Builder {
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether a row of `text` more bytes goes in another part.
    fn full(&self, text: usize) -> bool {
        self.len() >= PART || (self.len() > 0 && self.text.len().saturating_add(text) > TEXT_MAX)
    }

    /// Adds a string; past the most a part can hold, only what fits (a row of more than 4 GiB
    /// of tags, which only a made-up file can have, loses what is past that).
    fn push_string(&mut self, string: &str) {
        let room = TEXT_MAX.saturating_sub(self.text.len());
        self.text.push_str(Summary::prefix(string, room));
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    fn push<'a>(
        &mut self,
        segment: &Segment,
        views: Option<u64>,
        strings: Strings<'a, impl Iterator<Item = &'a str>>,
    ) {
        let first = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.push_string(strings.id);
        self.push_string(strings.headline);
        if let Some(source) = strings.source {
            self.push_string(source);
        }
        strings.tags.for_each(|tag| self.push_string(tag));
        let count = self.ends.len() - first as usize;
        self.max_views = self.max_views.max(views);
        self.rows.push(Row {
            start: segment.range.start,
            end: segment.range.end,
            views: views.unwrap_or(0),
            first,
            strings: u32::try_from(count).unwrap_or(u32::MAX),
            flags: views.map_or(0, |_| VIEWS) | strings.source.map_or(0, |_| SOURCE),
        });
    }

    fn finish(self) -> Part {
        Part {
            text: self.text,
            ends: self.ends,
            rows: self.rows,
            articles: self.articles,
            max_views: self.max_views,
            ids: OnceLock::new(),
        }
    }
}

/// Packs rows into parts, starting another whenever one is full.
struct Packer {
    parts: Vec<Part>,
    builder: Builder,
}

impl Packer {
    fn new() -> Packer {
        Packer {
            parts: Vec::new(),
            builder: Builder::default(),
        }
    }

    fn push<'a, T: Iterator<Item = &'a str> + Clone>(
        &mut self,
        segment: &Segment,
        views: Option<u64>,
        strings: Strings<'a, T>,
        article: Option<Arc<Article>>,
    ) {
        if self.builder.full(strings.len()) {
            let full = std::mem::take(&mut self.builder);
            self.parts.push(full.finish());
        }
        self.builder.push(segment, views, strings);
        self.builder.articles.extend(article);
    }

    /// Copies row `row` of `part`.
    fn copy(&mut self, part: &Part, row: usize) {
        let (Some(summary), Some(r)) = (part.summary(row), part.rows.get(row)) else {
            return;
        };
        let strings = Strings {
            id: summary.id,
            headline: summary.headline,
            source: summary.source,
            tags: summary.tags.iter(),
        };
        self.push(
            &r.segment(),
            summary.views,
            strings,
            part.article(row).cloned(),
        );
    }

    fn finish(mut self) -> Vec<Part> {
        if self.builder.len() > 0 {
            self.parts.push(self.builder.finish());
        }
        self.parts
    }
}

fn strings_of(summary: &Summary) -> Strings<'_, impl Iterator<Item = &str> + Clone> {
    Strings {
        id: &summary.id,
        headline: &summary.headline,
        source: summary.source.as_deref(),
        tags: summary.tags.iter().map(String::as_str),
    }
}

/// Articles in order, as runs of rows of shared parts. Cloning one clones a list of runs, not
/// the summaries.
#[derive(Clone, Default)]
pub struct Rows {
    runs: Vec<Run>,
    /// How many rows there are up to the end of each run.
    ends: Vec<usize>,
}

/// Rows `rows` of a part, and (in a store) which of its files a dump part's articles are in.
#[derive(Clone)]
struct Run {
    part: Arc<Part>,
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

/// Bytes of a piece's header: its rows, strings and bytes of text, and a hash of the rest.
const HEADER: usize = 4 + 4 + 4 + 8;
/// Bytes of a row: its segment's start and end, its views, its string count and flags.
const ROW: usize = 8 + 8 + 8 + 4 + 1;

/// Rows `rows` of `part` as a piece of a kept index (little-endian): the header, the rows,
/// where each string ends, and the text, hashed to tell a damaged piece.
fn encode(part: &Part, rows: Range<usize>) -> Vec<u8> {
    let (strings, text) = part.strings(rows.clone());
    let ends = part.ends.get(strings).unwrap_or_default();
    let text_base = u32::try_from(text.start).unwrap_or(u32::MAX);
    let text = part.text.get(text).unwrap_or_default();
    let rows = part.rows.get(rows).unwrap_or_default();
    let mut bytes = Vec::with_capacity(HEADER + ROW * rows.len() + 4 * ends.len() + text.len());
    for count in [rows.len(), ends.len(), text.len()] {
        bytes.extend_from_slice(&u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
    }
    bytes.extend_from_slice(&[0; 8]);
    for row in rows {
        bytes.extend_from_slice(&(row.start as u64).to_le_bytes());
        bytes.extend_from_slice(&(row.end as u64).to_le_bytes());
        bytes.extend_from_slice(&row.views.to_le_bytes());
        bytes.extend_from_slice(&row.strings.to_le_bytes());
        bytes.push(row.flags);
    }
    for end in ends {
        bytes.extend_from_slice(&end.saturating_sub(text_base).to_le_bytes());
    }
    bytes.extend_from_slice(text.as_bytes());
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes[HEADER..]);
    bytes[HEADER - 8..HEADER].copy_from_slice(&hash.to_le_bytes());
    bytes
}

/// A part from a piece that [`encode`] made, or `None` if the piece is damaged: its hash is
/// wrong, or anything in it does not hold together, or its text is not UTF-8 or holds anything
/// that a terminal could act on (it came from outside byline, and is shown).
fn decode(bytes: &[u8]) -> Option<Part> {
    let (header, rest) = bytes.split_at_checked(HEADER)?;
    let word = |at: usize| Some(u32::from_le_bytes(header.get(at..at + 4)?.try_into().ok()?));
    let (rows, strings, text) = (word(0)? as usize, word(4)? as usize, word(8)? as usize);
    let hash = u64::from_le_bytes(header.get(12..20)?.try_into().ok()?);
    if xxhash_rust::xxh3::xxh3_64(rest) != hash {
        return None;
    }
    let row_bytes = rows.checked_mul(ROW)?;
    let (row_bytes, rest) = rest.split_at_checked(row_bytes)?;
    let (end_bytes, text_bytes) = rest.split_at_checked(strings.checked_mul(4)?)?;
    if text_bytes.len() != text || rows > PART {
        return None;
    }
    let mut first: u32 = 0;
    let mut max_views = None;
    let mut decoded = Vec::with_capacity(rows);
    for row in row_bytes.chunks_exact(ROW) {
        let u64_at = |at: usize| Some(u64::from_le_bytes(row.get(at..at + 8)?.try_into().ok()?));
        let count = u32::from_le_bytes(row.get(24..28)?.try_into().ok()?);
        let flags = *row.get(28)?;
        let row = Row {
            start: usize::try_from(u64_at(0)?).ok()?,
            end: usize::try_from(u64_at(8)?).ok()?,
            views: u64_at(16)?,
            first,
            strings: count,
            flags,
        };
        // An id, a headline, the source if there is one.
        let least = 2 + u32::from(flags & SOURCE != 0);
        if flags & !(VIEWS | SOURCE) != 0 || count < least || row.start > row.end {
            return None;
        }
        max_views = max_views.max(row.views());
        first = first.checked_add(count)?;
        decoded.push(row);
    }
    if first as usize != strings {
        return None;
    }
    let text = text_of(text_bytes)?;
    let mut ends = Vec::with_capacity(strings);
    let mut last = 0;
    for end in end_bytes.chunks_exact(4) {
        let end = u32::from_le_bytes(end.try_into().ok()?);
        if end < last || !text.is_char_boundary(end as usize) {
            return None;
        }
        ends.push(end);
        last = end;
    }
    if last as usize != text.len() {
        return None;
    }
    Some(Part {
        text,
        ends,
        rows: decoded,
        articles: Vec::new(),
        max_views,
        ids: OnceLock::new(),
    })
}

/// The text of a piece, if it is UTF-8 that [`crate::text::is_clean_line`] accepts: every
/// string in it is then one clean line too, as each ends at a character boundary.
fn text_of(bytes: &[u8]) -> Option<String> {
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    crate::text::is_clean_line(text).then(|| text.to_owned())
}

#[cfg(test)]
mod tests;
