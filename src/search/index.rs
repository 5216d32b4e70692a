//! Which trigrams of letters and digits each block of a dump's articles holds, so that a search
//! reads only the blocks that can match: a word that few articles hold is found by reading a
//! few blocks, not the whole archive. The search worker builds it when it has nothing else to
//! do, a few blocks at a time, and keeps it in the cache directory beside the dump's index.
//!
//! A block is a run of consecutive articles of one dump, about [`BLOCK_BYTES`] of it; its set
//! holds every trigram of ASCII letters and digits (case ignored) in the text of its byte range
//! folded as [`fold_for_ascii_terms`] folds it, with `#` skipped. A query asks for the trigrams
//! of the runs of ASCII letters and digits in its words and phrases. Why a block that lacks one
//! of them holds no match:
//!
//! - An article matches when its folded text holds each word or phrase. So each run of ASCII
//!   letters and digits of a word is in the folded text, and so is each of its trigrams,
//!   lowercased: folding case-insensitively lowercases each character that case-sensitive
//!   folding gives, one by one, and keeps ASCII ASCII.
//! - [`fold_for_ascii_terms`] gives the same strings of ASCII letters and digits as [`fold`],
//!   and folding is character by character, so the article's folded text is part of its
//!   block's, with the view lines between articles added.
//! - Parsing an article (for queries that are not words alone) changes nothing that could make
//!   a trigram of its text: what it drops or changes is never a letter or digit, and the `#`
//!   of a hashtag that it drops is skipped here.
//!
//! [`fold`]: super::fold

use std::collections::VecDeque;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Query;
use super::fold::{ascii_len, fold_char_for_ascii_terms};
use crate::store::Store;
use crate::store::index::Identity;
use crate::store::scan::{self, Segment};
use kept::{read, write};
use trigrams::{Set, Trigrams, wanted};

mod kept;
mod trigrams;

/// About how much of a dump one block covers: a block is read whole when a query's trigrams
/// are all in it, and its set costs up to [`WORDS`] × 8 bytes.
const BLOCK_BYTES: usize = 256 * 1024;

/// How many trigrams of the 36 letters and digits there are.
const TRIGRAMS: usize = 36 * 36 * 36;

/// How many 64-bit words a set of trigrams takes as bits.
const WORDS: usize = TRIGRAMS.div_ceil(64);

/// Bumped whenever what is kept, or how a set is made, changes.
const VERSION: u32 = 1;

/// Marks a row that no block holds (yet).
const NONE: u32 = u32::MAX;

/// How many bytes before the end of what was indexed are compared to tell a dump that grew
/// from one that was rewritten (as the dump's own index does).
const FINGERPRINTED: usize = 4096;

/// How long a builder waits for searches to be done with the index before it looks again.
const BUSY: Duration = Duration::from_millis(5);

/// How much lower than the reader the threads that build the index run (`nice`): the lowest.
const BUILD_NICE: libc::c_int = 19;

/// The size of a page of memory.
static PAGE: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    // SAFETY: sysconf reads a value; it has no arguments that point anywhere.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).unwrap_or(4096)
});

/// One block: where it lies in which of the store's dumps, and its trigrams.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    dump: usize,
    range: Range<usize>,
    set: Set,
}

/// A block to build: rows of the store, one after the other in one dump, and their bytes.
#[derive(Debug, Clone)]
struct Pending {
    dump: usize,
    rows: Range<usize>,
    range: Range<usize>,
}

/// What is known of one of the store's dumps.
#[derive(Debug, Default, Clone)]
struct Dump {
    /// Whether an index of it was kept (and read).
    kept: bool,
    /// How many of its bytes were indexed since it was kept or read, and since it was read.
    built: usize,
    built_here: usize,
    /// How many of its blocks are still to build.
    pending: usize,
    /// Whether a block of it could not be read (its file shrank), or its index could not be
    /// kept: nothing is kept of it then.
    broken: bool,
    /// Where the pages read for the last block built end.
    released: Option<usize>,
}

/// The blocks of a store's dumps, as far as they are built, and those still to build.
#[derive(Debug, Default)]
pub struct Index {
    blocks: Vec<Block>,
    /// Each row's block in `blocks`, or [`NONE`].
    row_block: Vec<u32>,
    pending: VecDeque<Pending>,
    dumps: Vec<Dump>,
}

/// Which rows a query can match, as the index says.
pub struct Filter<'a> {
    row_block: &'a [u32],
    /// For each block, whether it holds every trigram the query wants.
    passes: Vec<bool>,
}

impl Filter<'_> {
    /// False only when the row cannot match.
    pub fn may_match(&self, row: usize) -> bool {
        match self.row_block.get(row) {
            Some(&block) if block != NONE => self.passes.get(block as usize) != Some(&false),
            _ => true,
        }
    }
}

impl Index {
    /// The index of `store`'s dumps as far as one is kept in `cache_dir`, with the rest to
    /// build.
    pub fn new(store: &Store, cache_dir: Option<&Path>) -> Index {
        Index::with_blocks_of(store, cache_dir, BLOCK_BYTES)
    }

    /// [`Index::new`] with blocks of about `block_bytes`.
    fn with_blocks_of(store: &Store, cache_dir: Option<&Path>, block_bytes: usize) -> Index {
        let mut index = Index {
            row_block: vec![NONE; store.len()],
            dumps: vec![Dump::default(); store.dumps()],
            ..Index::default()
        };
        // Per dump, its blocks' ranges and numbers, in file order.
        let mut known: Vec<Vec<(Range<usize>, u32)>> = vec![Vec::new(); store.dumps()];
        for (dump, known) in known.iter_mut().enumerate() {
            let Some(kept) = cache_dir.and_then(|dir| read(dir, store, dump)) else {
                continue;
            };
            index.dumps[dump].kept = true;
            for (range, set) in kept {
                known.push((range.clone(), index.blocks.len() as u32));
                index.blocks.push(Block { dump, range, set });
            }
        }
        let mut cursors = vec![0; store.dumps()];
        let mut group: Option<Pending> = None;
        for row in 0..store.len() {
            let Some((dump, segment)) = store.segment(row) else {
                index.pending.extend(group.take());
                continue;
            };
            let block = (known.get(dump)).and_then(|known| {
                let cursor = cursors.get_mut(dump)?;
                holding(known, cursor, &segment.range)
            });
            if let Some(block) = block {
                index.row_block[row] = block;
                index.pending.extend(group.take());
                continue;
            }
            // The last article of a dump may still be being written: it is read every time.
            if segment.views.is_none() {
                index.pending.extend(group.take());
                continue;
            }
            match &mut group {
                Some(g)
                    if g.dump == dump
                        && g.rows.end == row
                        && segment.range.start >= g.range.end
                        && g.range.len() < block_bytes =>
                {
                    g.rows.end = row + 1;
                    g.range.end = segment.range.end;
                }
                _ => {
                    index.pending.extend(group.take());
                    group = Some(Pending {
                        dump,
                        rows: row..row + 1,
                        range: segment.range.clone(),
                    });
                }
            }
        }
        index.pending.extend(group);
        for job in &index.pending {
            if let Some(dump) = index.dumps.get_mut(job.dump) {
                dump.pending += 1;
            }
        }
        index
    }

    /// Whether nothing has been built on what was read from the cache.
    pub fn built_nothing(&self) -> bool {
        self.dumps.iter().all(|dump| dump.built_here == 0)
    }

    /// Whether every block there is to build is built (none is waiting or being built).
    pub fn is_complete(&self) -> bool {
        self.pending.is_empty() && self.dumps.iter().all(|dump| dump.pending == 0)
    }

    /// Builds a few of the blocks still to build, on every core: a few milliseconds' work.
    pub fn build_some(&mut self, store: &Store) {
        let batch = self.take_some().build(store);
        self.put(batch, store);
    }

    /// Takes a few of the blocks still to build, to [`Batch::build`] them without holding the
    /// index and [`Index::put`] them back.
    pub fn take_some(&mut self) -> Batch {
        let take = self.pending.len().min(threads() * 2);
        Batch {
            jobs: self.pending.drain(..take).collect(),
            sets: Vec::new(),
        }
    }

    /// Takes in the blocks of a batch taken from it and built.
    pub fn put(&mut self, batch: Batch, store: &Store) {
        let Batch { jobs, sets } = batch;
        // The pages read are given back at once, from where the last pages given back end:
        // only whole pages are, and the page that a block ends on is read for the next.
        for job in &jobs {
            if let Some(dump) = self.dumps.get_mut(job.dump) {
                let from = dump
                    .released
                    .map_or(job.range.start, |r| r.min(job.range.start));
                store.release_dump(job.dump, from.saturating_sub(*PAGE)..job.range.end);
                dump.released = Some(job.range.end);
            }
        }
        let mut sets = sets.into_iter();
        for (job, set) in jobs
            .into_iter()
            .zip(std::iter::from_fn(|| Some(sets.next())))
        {
            let Some(dump) = self.dumps.get_mut(job.dump) else {
                continue;
            };
            dump.pending = dump.pending.saturating_sub(1);
            let Some(set) = set.flatten() else {
                dump.broken = true;
                continue;
            };
            dump.built += job.range.len();
            dump.built_here += job.range.len();
            let number = self.blocks.len() as u32;
            for row in job.rows {
                if let Some(block) = self.row_block.get_mut(row) {
                    *block = number;
                }
            }
            self.blocks.push(Block {
                dump: job.dump,
                range: job.range,
                set,
            });
        }
    }

    /// Keeps in `cache_dir` the index of each dump that a good part of was built since it
    /// was kept (a sixteenth: a build cut short goes on from there next time), or that is
    /// built whole now and was not, or not much of it was, when it was read. (A dump read on
    /// by a few appended articles is indexed on next time too: rewriting an archive's whole
    /// index for each would cost more.)
    pub fn keep(&mut self, store: &Store, cache_dir: &Path) {
        for number in 0..self.dumps.len() {
            let dump = &self.dumps[number];
            let Some(len) = store.dump_bytes(number).map(<[u8]>::len) else {
                continue;
            };
            let done = dump.pending == 0 && (!dump.kept || dump.built_here >= len / 16);
            let worth = dump.built >= len / 16 || done;
            if dump.broken || dump.built == 0 || !worth {
                continue;
            }
            let written = write(cache_dir, store, number, &self.blocks);
            let dump = &mut self.dumps[number];
            match written {
                Ok(()) => (dump.kept, dump.built) = (true, 0),
                // Not again while this store is read: its file changed (a reload follows), or
                // the cache cannot be written.
                Err(_) => dump.broken = true,
            }
        }
    }

    /// Which rows `query` can match; `None` when the index cannot tell (the query has no
    /// trigram of letters and digits to look for).
    pub fn filter(&self, query: &Query) -> Option<Filter<'_>> {
        let wanted = wanted(query);
        if wanted.is_empty() || self.blocks.is_empty() {
            return None;
        }
        let passes = (self.blocks.iter())
            .map(|block| wanted.iter().all(|&t| block.set.contains(t)))
            .collect();
        Some(Filter {
            row_block: &self.row_block,
            passes,
        })
    }
}

/// Blocks of an index taken to build: until they are put back the index is not complete, and
/// searches treat their rows as unindexed.
#[derive(Debug)]
pub struct Batch {
    jobs: Vec<Pending>,
    /// Each job's trigrams once built (`None`: its bytes could not be read).
    sets: Vec<Option<Set>>,
}

impl Batch {
    /// Builds the blocks, on every core, below the reader's own background work too (a
    /// reload, say): the index only saves time later.
    pub fn build(self, store: &Store) -> Batch {
        let threads = threads();
        let build = |jobs: &[Pending]| {
            let mut trigrams = Trigrams::new();
            (jobs.iter())
                .map(|job| {
                    let bytes = store.dump_bytes(job.dump)?;
                    block_set(bytes, job.range.clone(), &mut trigrams)
                })
                .collect::<Vec<_>>()
        };
        let jobs = self.jobs;
        let sets = std::thread::scope(|scope| {
            let handles: Vec<_> = (jobs.chunks(jobs.len().div_ceil(threads).max(1)))
                .map(|part| {
                    scope.spawn(move || {
                        lowest_priority();
                        build(part)
                    })
                })
                .collect();
            (handles.into_iter())
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        Batch { jobs, sets }
    }
}

/// The threads an index is built on.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// An index that the workers searching the same articles share: each searches it, one at a
/// time builds on it.
#[derive(Debug, Default)]
pub struct Shared {
    index: RwLock<Index>,
    /// Whether a worker has taken on building it.
    builder: AtomicBool,
}

impl Shared {
    pub fn new(index: Index) -> Shared {
        Shared {
            index: RwLock::new(index),
            builder: AtomicBool::new(false),
        }
    }

    /// The index to search with; one that a panicking worker left is as good as it got.
    pub fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The index to build on, once nothing reads it. Never waits in line for it, so that no
    /// search waits behind the builder (a waiting writer holds up new readers).
    pub fn write_when_free(&self) -> RwLockWriteGuard<'_, Index> {
        loop {
            match self.index.try_write() {
                Ok(index) => return index,
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => std::thread::sleep(BUSY),
            }
        }
    }

    /// Takes on building the index; false when another worker has.
    pub fn take_building(&self) -> bool {
        (self.builder)
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// Gives building back, for another worker to take on.
    pub fn give_back_building(&self) {
        self.builder.store(false, Ordering::SeqCst);
    }
}

/// Gives the calling thread the lowest priority there is ([`BUILD_NICE`]).
fn lowest_priority() {
    // SAFETY: setpriority only changes the calling thread's nice value (Linux: who = 0 is the
    // calling thread); a failure leaves it as it was.
    unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, BUILD_NICE) };
}

/// The block among `known` (in file order) that holds `range`, looked for from `cursor` on
/// (rows come in file order), else from the start.
fn holding(known: &[(Range<usize>, u32)], cursor: &mut usize, range: &Range<usize>) -> Option<u32> {
    if known
        .get(*cursor)
        .is_none_or(|(r, _)| r.start > range.start)
    {
        *cursor = known
            .partition_point(|(r, _)| r.start <= range.start)
            .saturating_sub(1);
    }
    while known
        .get(*cursor + 1)
        .is_some_and(|(r, _)| r.start <= range.start)
    {
        *cursor += 1;
    }
    let (block, number) = known.get(*cursor)?;
    (block.start <= range.start && range.end <= block.end).then_some(*number)
}

/// The set of trigrams of `range` of a dump; `None` when those bytes are not there (a file
/// that shrank under its mapping reads as zeros, which no dump holds).
fn block_set(bytes: &[u8], range: Range<usize>, trigrams: &mut Trigrams) -> Option<Set> {
    let raw = bytes.get(range.clone())?;
    if memchr::memchr(0, raw).is_some() {
        return None;
    }
    let text = scan::text(bytes, &Segment { range, views: None });
    Some(trigrams.of(&text))
}

#[cfg(test)]
mod tests;
