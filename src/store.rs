//! The loaded articles: a summary of every article (what the list, marks and filters need)
//! kept in memory, and bodies parsed when they are read. Rows are indexes into one store; ids
//! are for state and for matching articles across reloads.

pub mod dump;
pub mod index;
pub mod packed;
pub mod scan;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::article::{Article, Problem, Severity, SummaryRef};
use crate::mapped::Mapped;
use crate::search::index::{Index, Shared};
use index::{DumpIndex, Identity};
use packed::Rows;
use scan::Segment;

/// How many parsed articles a store keeps at hand: the open one, its neighbours, and what was
/// copied or exported a moment ago.
const CACHED: usize = 16;

/// Articles in the order they were loaded.
#[derive(Default, Clone)]
pub struct Store {
    /// Every article's summary, and where its text is: in a dump of `files`, or parsed.
    rows: Rows,
    /// The dumps that bodies are parsed from.
    files: Vec<Arc<DumpFile>>,
    max_views: Option<u64>,
    /// The articles parsed last, newest last; shared by clones, whose rows are the same.
    cache: Arc<Mutex<Recent>>,
    /// The search index of these rows, made when a search worker first asks for it and then
    /// shared by every worker that searches them (all the readers of a shared library).
    search: SearchIndex,
}

/// A store's search index, once there is one. A clone starts without: it may change rows.
#[derive(Default)]
struct SearchIndex(std::sync::OnceLock<Arc<Shared>>);

impl Clone for SearchIndex {
    fn clone(&self) -> SearchIndex {
        SearchIndex::default()
    }
}

/// Parsed articles by row, the most recently used last.
type Recent = Vec<(usize, Arc<Article>)>;

/// A dump that articles are parsed from, and its index (to read on from there when it grows).
struct DumpFile {
    bytes: Bytes,
    path: Option<PathBuf>,
    index: DumpIndex,
}

/// The bytes of a dump: mapped from its file, read (from a pipe, or decompressed), or built in.
pub enum Bytes {
    Mapped(Mapped),
    Read(Vec<u8>),
    Static(&'static [u8]),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(mapped) => mapped,
            Bytes::Read(bytes) => bytes,
            Bytes::Static(bytes) => bytes,
        }
    }
}

/// The summaries of a store's articles, or of those from one on.
#[derive(Clone, Copy)]
pub struct Summaries<'a> {
    rows: &'a Rows,
    start: usize,
}

impl<'a> Summaries<'a> {
    pub fn len(&self) -> usize {
        self.rows.len().saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The summary of article `index` (counted from the first of these).
    pub fn get(&self, index: usize) -> Option<SummaryRef<'a>> {
        self.rows.summary(self.start.checked_add(index)?)
    }

    pub fn iter(&self) -> packed::Iter<'a> {
        self.rows.iter(self.start..self.rows.len())
    }

    /// The summaries from the one at `index` on.
    pub fn starting_at(&self, index: usize) -> Summaries<'a> {
        Summaries {
            rows: self.rows,
            start: self.start.saturating_add(index).min(self.rows.len()),
        }
    }
}

impl<'a> IntoIterator for Summaries<'a> {
    type Item = SummaryRef<'a>;
    type IntoIter = packed::Iter<'a>;

    fn into_iter(self) -> packed::Iter<'a> {
        self.iter()
    }
}

impl Store {
    /// A store of articles that are already parsed.
    pub fn from_articles(articles: Vec<Article>) -> Store {
        Store::from_rows(Rows::of_articles(articles), Vec::new())
    }

    fn from_rows(rows: Rows, files: Vec<Arc<DumpFile>>) -> Store {
        Store {
            max_views: rows.max_views(),
            rows,
            files,
            cache: Arc::default(),
            search: SearchIndex::default(),
        }
    }

    /// The search index of these articles, shared by all who search them: made by `make` the
    /// first time it is asked for.
    pub fn search_index(&self, make: impl FnOnce() -> Index) -> Arc<Shared> {
        Arc::clone(self.search.0.get_or_init(|| Arc::new(Shared::new(make()))))
    }

    /// A store of a dump's articles as its index says where they are; each is parsed when it
    /// is read. `path` names the file, for reading it on when it grows. Every row of the index
    /// is listed, those it knows to be duplicates too (see [`Store::drop_rows`]).
    pub fn from_index(bytes: Bytes, index: DumpIndex, path: Option<PathBuf>) -> Store {
        let rows = index.rows.clone();
        Store::from_rows(rows, vec![Arc::new(DumpFile { bytes, path, index })])
    }

    /// The index of the dump at `path` as this store holds it, to read on from. Its rows are
    /// shared with this store, not copied.
    pub fn index_of(&self, path: &Path) -> Option<DumpIndex> {
        let file = self
            .files
            .iter()
            .find(|f| f.path.as_deref() == Some(path))?;
        Some(file.index.clone())
    }

    /// Appends every article of `other`.
    pub fn append(&mut self, other: Store) {
        let files = self.files.len();
        self.files.extend(other.files);
        self.rows.append(other.rows, files);
        self.max_views = self.max_views.max(other.max_views);
        self.search = SearchIndex::default();
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every article's summary, in load order.
    pub fn summaries(&self) -> Summaries<'_> {
        Summaries {
            rows: &self.rows,
            start: 0,
        }
    }

    pub fn summary(&self, index: usize) -> Option<SummaryRef<'_>> {
        self.rows.summary(index)
    }

    /// Whether this store's first articles are `earlier`'s, because they share the parts that
    /// hold them (it was read on from `earlier`'s dump, which grew): a test that costs the
    /// number of parts. `false` says nothing: compare ids then.
    pub fn shares_start_with(&self, earlier: &Store) -> bool {
        self.rows.shares_parts_with(&earlier.rows)
    }

    /// When article `index` was published, if it is an article parsed already (a feed's): a
    /// dump's articles have no date, and asking never parses one.
    pub fn published(&self, index: usize) -> Option<chrono::DateTime<chrono::Utc>> {
        self.rows.article(index)?.published
    }

    /// Whether any article has a publication date, which makes "newest first" the default.
    pub fn has_dates(&self) -> bool {
        self.rows.has_parsed() && (0..self.len()).any(|i| self.published(i).is_some())
    }

    /// The highest view count, which sets the width of the list's views column.
    pub fn max_views(&self) -> Option<u64> {
        self.max_views
    }

    /// The whole article at `index`, parsed now unless it was a moment ago.
    pub fn article(&self, index: usize) -> Option<Arc<Article>> {
        if let Some(article) = self.rows.article(index) {
            return Some(Arc::clone(article));
        }
        // A poisoned cache only lost a parse; the articles are still right.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = cache.iter().position(|(i, _)| *i == index) {
            let hit = cache.remove(at);
            cache.push(hit.clone());
            return Some(hit.1);
        }
        drop(cache);
        let article = self.parse(index)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() == CACHED {
            cache.remove(0);
        }
        cache.push((index, Arc::clone(&article)));
        Some(article)
    }

    /// A dump article's text as it is in its file, decoded and cleaned but not parsed.
    pub fn raw_text(&self, index: usize) -> Option<Cow<'_, str>> {
        let (file, segment) = self.rows.segment(index)?;
        Some(scan::text(self.dump(file, &segment)?, &segment))
    }

    /// The whole article at `index`, parsed now without keeping it: for passes over many.
    /// `None` also when its bytes are gone: a dump cut short under its mapping reads as NUL
    /// bytes there, which no dump holds (see [`scan::scan`]).
    pub fn parse(&self, index: usize) -> Option<Arc<Article>> {
        if let Some(article) = self.rows.article(index) {
            return Some(Arc::clone(article));
        }
        let (file, segment) = self.rows.segment(index)?;
        scan::article(self.dump(file, &segment)?, &segment).map(Arc::new)
    }

    /// The bytes of the dump that holds `segment`, unless the segment's bytes are gone.
    fn dump(&self, file: usize, segment: &Segment) -> Option<&[u8]> {
        let dump = &self.files.get(file)?.bytes;
        let bytes = dump.get(segment.range.clone())?;
        memchr::memchr(0, bytes).is_none().then_some(dump)
    }

    /// Which of this store's dumps holds the article at `index`, and where in it: `None` for
    /// an article that was parsed when it was loaded.
    pub fn segment(&self, index: usize) -> Option<(usize, Segment)> {
        self.rows.segment(index)
    }

    /// How many dumps articles are read from (see [`Store::segment`]).
    pub fn dumps(&self) -> usize {
        self.files.len()
    }

    /// The bytes of dump `file` (they may turn to zeros if the file shrinks: see [`Mapped`]).
    pub fn dump_bytes(&self, file: usize) -> Option<&[u8]> {
        Some(&self.files.get(file)?.bytes)
    }

    /// The path of dump `file`, and what the file was when it was read.
    pub fn dump_file(&self, file: usize) -> Option<(&Path, Identity)> {
        let dump = self.files.get(file)?;
        Some((dump.path.as_deref()?, dump.index.identity))
    }

    /// Gives back the memory of the mapped pages of `range` of dump `file`.
    pub fn release_dump(&self, file: usize, range: std::ops::Range<usize>) {
        if let Some(Bytes::Mapped(mapped)) = self.files.get(file).map(|f| &f.bytes) {
            mapped.release(range);
        }
    }

    /// Gives back the memory of the mapped pages that the articles of `rows` (in file order)
    /// were read from; see [`Mapped::release`].
    pub fn release(&self, rows: &[usize]) {
        let lazy = |row: &usize| self.rows.segment(*row);
        let (Some((file, first)), Some((last_file, last))) =
            (rows.iter().find_map(lazy), rows.iter().rev().find_map(lazy))
        else {
            return;
        };
        if let (true, Some(Bytes::Mapped(mapped))) =
            (file == last_file, self.files.get(file).map(|f| &f.bytes))
        {
            mapped.release(first.range.start..last.range.end);
        }
    }

    /// Whether a file that articles are read from shrank under them (see [`Mapped::shrank`]):
    /// what was read from it since may be zeros, and it should be loaded again.
    pub fn shrank(&self) -> bool {
        self.files
            .iter()
            .any(|file| matches!(&file.bytes, Bytes::Mapped(mapped) if mapped.shrank()))
    }

    /// Every article, parsed (for exporting all of them, and for tests).
    pub fn to_articles(&self) -> Vec<Article> {
        (0..self.len())
            .filter_map(|i| self.parse(i))
            .map(Arc::unwrap_or_clone)
            .collect()
    }

    /// Keeps the articles whose flag in `keep` is true (those past its end too).
    pub fn retain(&mut self, keep: &[bool]) {
        let dropped: Vec<usize> = (keep.iter().enumerate())
            .filter_map(|(i, kept)| (!kept).then_some(i))
            .collect();
        self.drop_rows(&dropped);
    }

    /// Leaves out the articles at `rows` (in increasing order). The summaries are shared with
    /// the store as it was, not copied.
    pub fn drop_rows(&mut self, rows: &[usize]) {
        if rows.is_empty() {
            return;
        }
        self.rows = self.rows.without(rows);
        self.max_views = self.rows.max_views();
        self.cache = Arc::default();
        self.search = SearchIndex::default();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("articles", &self.len())
            .finish_non_exhaustive()
    }
}

/// Everything that was loaded, and what the loader had to say about it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Corpus {
    pub store: Store,
    pub problems: Vec<Problem>,
}

impl Corpus {
    /// A corpus of articles that are already parsed, with nothing to report.
    pub fn from_articles(articles: Vec<Article>) -> Corpus {
        Corpus {
            store: Store::from_articles(articles),
            problems: Vec::new(),
        }
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }
}

impl Eq for Store {}

/// Stores are equal when they hold the same articles in the same order.
impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        self.summaries().iter().eq(other.summaries().iter())
            && self.to_articles() == other.to_articles()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Summary;

    fn sample() -> Vec<Article> {
        crate::store::dump::parse(include_str!("../seeds/sample.txt")).articles
    }

    #[test]
    fn a_store_gives_back_the_articles_it_was_made_of() {
        let store = Store::from_articles(sample());
        assert_eq!(store.to_articles(), sample());
        assert_eq!(store.summary(3).unwrap(), Summary::of(&sample()[3]));
        assert_eq!(
            store.max_views(),
            sample().iter().filter_map(|a| a.views).max()
        );
        assert!(store.article(store.len()).is_none());
    }

    #[test]
    fn dates_are_answered_for_parsed_articles_and_dumps_have_none() {
        let dump = crate::loader::parse_kept("d", Bytes::Static(crate::loader::SAMPLE), None, None)
            .unwrap()
            .store;
        assert!(!dump.has_dates());
        assert_eq!(dump.published(0), None);
        let mut dated = sample();
        let when = chrono::DateTime::parse_from_rfc3339("2026-11-24T07:30:00Z").unwrap();
        dated[2].published = Some(when.to_utc());
        let store = Store::from_articles(dated);
        assert!(store.has_dates());
        assert_eq!(store.published(2), Some(when.to_utc()));
        assert_eq!(store.published(1), None);
        assert!(!Store::from_articles(sample()).has_dates());
    }

    #[test]
    fn retain_drops_the_articles_not_kept() {
        let mut store = Store::from_articles(sample());
        let keep: Vec<bool> = (0..store.len()).map(|i| i % 2 == 0).collect();
        store.retain(&keep);
        let expected: Vec<Article> = sample().into_iter().step_by(2).collect();
        assert_eq!(store.to_articles(), expected);
    }
}
