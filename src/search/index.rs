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

use serde::{Deserialize, Serialize};

use super::Query;
use super::fold::{ascii_len, fold_char_for_ascii_terms};
use crate::store::Store;
use crate::store::index::Identity;
use crate::store::scan::{self, Segment};

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

/// How much lower than the reader the threads that build the index run (`nice`): the lowest.
const BUILD_NICE: libc::c_int = 19;

/// The size of a page of memory.
static PAGE: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    // SAFETY: sysconf reads a value; it has no arguments that point anywhere.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).unwrap_or(4096)
});

/// Each letter (either case) and digit as a digit of a trigram; `u8::MAX` for other bytes.
const DIGITS: [u8; 256] = {
    let mut table = [u8::MAX; 256];
    let mut i = 0;
    while i < 26 {
        table[b'a' as usize + i] = i as u8;
        table[b'A' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = 26 + i as u8;
        i += 1;
    }
    table
};

/// The trigrams of one block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Set {
    /// The trigrams in order, when there are few.
    List(Box<[u16]>),
    /// One bit per trigram.
    Bits(Box<[u64]>),
}

impl Set {
    fn of_bits(bits: &[u64]) -> Set {
        let count: usize = bits.iter().map(|w| w.count_ones() as usize).sum();
        if count * 16 >= TRIGRAMS {
            return Set::Bits(bits.into());
        }
        let mut list = Vec::with_capacity(count);
        for (i, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                // Below TRIGRAMS, which fits in a u16.
                list.push((i * 64 + word.trailing_zeros() as usize) as u16);
                word &= word - 1;
            }
        }
        Set::List(list.into())
    }

    fn contains(&self, trigram: u16) -> bool {
        match self {
            Set::List(list) => list.binary_search(&trigram).is_ok(),
            Set::Bits(bits) => bits
                .get(usize::from(trigram) / 64)
                .is_some_and(|w| w & (1 << (trigram % 64)) != 0),
        }
    }
}

/// Collects the trigrams of text as the module says.
struct Trigrams {
    /// One bit per trigram, and a word for [`NO_TRIGRAM`].
    bits: Vec<u64>,
    /// The last two letters or digits as digits, and how many letters and digits in a row
    /// came last (up to 3).
    previous: [usize; 2],
    run: usize,
}

/// The bit that a byte which ends no trigram sets (in the word past the trigrams').
const NO_TRIGRAM: usize = WORDS * 64;

impl Trigrams {
    fn new() -> Trigrams {
        Trigrams {
            bits: vec![0; WORDS + 1],
            previous: [0; 2],
            run: 0,
        }
    }

    /// Adds the trigrams of `text`, and takes them out as a set.
    fn of(&mut self, text: &str) -> Set {
        self.bits.fill(0);
        self.run = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let ascii = ascii_len(rest.as_bytes());
            self.ascii(rest.as_bytes().get(..ascii).unwrap_or_default());
            let mut chars = rest.get(ascii..).unwrap_or_default().chars();
            if let Some(c) = chars.next() {
                fold_char_for_ascii_terms(c, false, |f| match u8::try_from(f) {
                    Ok(byte) if byte.is_ascii() => self.ascii(&[byte]),
                    _ => self.run = 0,
                });
            }
            rest = chars.as_str();
        }
        Set::of_bits(self.bits.get(..WORDS).unwrap_or_default())
    }

    /// Adds ASCII bytes, without a branch per byte but for `#` (which news text has seldom).
    fn ascii(&mut self, bytes: &[u8]) {
        let [mut first, mut second] = self.previous;
        let mut run = self.run;
        for &byte in bytes {
            if byte == b'#' {
                continue;
            }
            let digit = usize::from(DIGITS[usize::from(byte)]);
            let is_digit = usize::from(digit != usize::from(u8::MAX));
            run = (run + 1).min(3) * is_digit;
            // With three letters or digits in a row, all three are below 36.
            let bit = match run {
                3 => (first * 36 + second) * 36 + digit,
                _ => NO_TRIGRAM,
            };
            if let Some(word) = self.bits.get_mut(bit / 64) {
                *word |= 1 << (bit % 64);
            }
            (first, second) = (second, digit);
        }
        self.previous = [first, second];
        self.run = run;
    }
}

/// The trigrams a block must hold to hold a match of `query`, in order.
fn wanted(query: &Query) -> Vec<u16> {
    let mut wanted = Vec::new();
    for term in &query.include {
        let digits: Vec<u8> = term.bytes().map(|b| DIGITS[usize::from(b)]).collect();
        for three in digits.windows(3) {
            if let [a, b, c] = *three
                && three.iter().all(|&d| d != u8::MAX)
            {
                wanted.push((u16::from(a) * 36 + u16::from(b)) * 36 + u16::from(c));
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

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

    /// Whether every block there is to build is built.
    pub fn is_complete(&self) -> bool {
        self.pending.is_empty()
    }

    /// Builds a few of the blocks still to build, on every core: a few milliseconds' work.
    pub fn build_some(&mut self, store: &Store) {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let take = self.pending.len().min(threads * 2);
        let jobs: Vec<Pending> = self.pending.drain(..take).collect();
        let build = |jobs: &[Pending]| {
            let mut trigrams = Trigrams::new();
            (jobs.iter())
                .map(|job| {
                    let bytes = store.dump_bytes(job.dump)?;
                    block_set(bytes, job.range.clone(), &mut trigrams)
                })
                .collect::<Vec<_>>()
        };
        // Below the reader's own background work too (a reload, say): the index only saves
        // time later.
        let sets: Vec<Option<Set>> = std::thread::scope(|scope| {
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
        for (job, set) in jobs.into_iter().zip(sets) {
            let Some(dump) = self.dumps.get_mut(job.dump) else {
                continue;
            };
            dump.pending = dump.pending.saturating_sub(1);
            let Some(set) = set else {
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

/// What is kept of a dump's blocks, after [`VERSION`] and before a hash of all the rest.
#[derive(Serialize, Deserialize)]
struct Kept<'a> {
    path: PathBuf,
    /// The file when its blocks were built.
    identity: Identity,
    /// Where the last block ends, and a hash of the bytes before it.
    covered: usize,
    fingerprint: u64,
    /// Each block's range, and how many trigrams its list holds ([`BITS`] for bits).
    blocks: Vec<(usize, usize, u32)>,
    /// The sets one after the other, little-endian.
    #[serde(borrow)]
    sets: Bytes<'a>,
}

/// Marks a set kept as bits.
const BITS: u32 = u32::MAX;

/// Bytes written as bytes, not as a sequence of numbers.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'a [u8]>::deserialize(deserializer).map(Bytes)
    }
}

/// Where the blocks of the dump at `path` are kept.
fn cache_file(cache_dir: &Path, path: &Path) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let hash = xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_bytes());
    cache_dir
        .join("byline/trigrams")
        .join(format!("{hash:016x}"))
}

fn fingerprint(bytes: &[u8], end: usize) -> u64 {
    let start = end.saturating_sub(FINGERPRINTED);
    xxhash_rust::xxh3::xxh3_64(bytes.get(start..end).unwrap_or_default())
}

/// Keeps the blocks of dump `number` of `store`, replacing the file whole; only while the
/// file is as it was read (one that changed since is read again, and indexed then).
fn write(cache_dir: &Path, store: &Store, number: usize, blocks: &[Block]) -> std::io::Result<()> {
    let gone = || std::io::Error::other("the dump is not as it was read");
    let (path, identity) = store.dump_file(number).ok_or_else(gone)?;
    let bytes = store.dump_bytes(number).ok_or_else(gone)?;
    if store.shrank() || Identity::of(&std::fs::metadata(path)?) != identity {
        return Err(gone());
    }
    let mut mine: Vec<&Block> = blocks.iter().filter(|b| b.dump == number).collect();
    mine.sort_by_key(|b| b.range.start);
    let mut sets = Vec::new();
    let mut kept_blocks = Vec::with_capacity(mine.len());
    for block in &mine {
        let len = match &block.set {
            Set::List(list) => {
                sets.extend(list.iter().flat_map(|t| t.to_le_bytes()));
                u32::try_from(list.len()).map_err(std::io::Error::other)?
            }
            Set::Bits(bits) => {
                sets.extend(bits.iter().flat_map(|w| w.to_le_bytes()));
                BITS
            }
        };
        kept_blocks.push((block.range.start, block.range.end, len));
    }
    let covered = mine.last().map_or(0, |b| b.range.end);
    let kept = Kept {
        path: path.to_owned(),
        identity,
        covered,
        fingerprint: fingerprint(bytes, covered),
        blocks: kept_blocks,
        sets: Bytes(&sets),
    };
    let file = cache_file(cache_dir, path);
    let dir = file.parent().unwrap_or(cache_dir);
    std::fs::create_dir_all(dir)?;
    let mut whole = postcard::to_stdvec(&(VERSION, kept)).map_err(std::io::Error::other)?;
    whole.extend(xxhash_rust::xxh3::xxh3_64(&whole).to_le_bytes());
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temporary, &whole)?;
    temporary.persist(&file).map_err(|e| e.error)?;
    Ok(())
}

/// The kept blocks of dump `number` of `store`, if they are whole and the dump still starts
/// with what they were built from.
fn read(cache_dir: &Path, store: &Store, number: usize) -> Option<Vec<(Range<usize>, Set)>> {
    let (path, identity) = store.dump_file(number)?;
    let bytes = store.dump_bytes(number)?;
    let whole = std::fs::read(cache_file(cache_dir, path)).ok()?;
    // The cache is outside byline's hands: only a file that is whole is used.
    let (kept, hash) = whole.split_at_checked(whole.len().checked_sub(8)?)?;
    if hash != xxhash_rust::xxh3::xxh3_64(kept).to_le_bytes() {
        return None;
    }
    let (version, kept): (u32, Kept) = postcard::from_bytes(kept).ok()?;
    let same = kept.identity == identity
        || (kept.identity.same_file(&identity)
            && kept.covered <= bytes.len()
            && fingerprint(bytes, kept.covered) == kept.fingerprint);
    if version != VERSION || kept.path != path || !same {
        return None;
    }
    let mut sets = kept.sets.0;
    let mut blocks = Vec::with_capacity(kept.blocks.len());
    let mut end = 0;
    for (start, stop, len) in kept.blocks {
        if start < end || stop <= start || stop > kept.covered {
            return None;
        }
        end = stop;
        let set = if len == BITS {
            let (bits, rest) = sets.split_at_checked(WORDS * 8)?;
            sets = rest;
            let bits = bits
                .chunks_exact(8)
                .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
            Set::Bits(bits.collect())
        } else {
            let (list, rest) = sets.split_at_checked(usize::try_from(len).ok()? * 2)?;
            sets = rest;
            let list: Box<[u16]> = (list.chunks_exact(2))
                .map(|t| u16::from_le_bytes([t[0], t[1]]))
                .collect();
            let ordered = list.windows(2).all(|w| w[0] < w[1]);
            if !ordered || list.last().is_some_and(|&t| usize::from(t) >= TRIGRAMS) {
                return None;
            }
            Set::List(list)
        };
        blocks.push((start..stop, set));
    }
    sets.is_empty().then_some(blocks)
}

#[cfg(test)]
mod tests;
