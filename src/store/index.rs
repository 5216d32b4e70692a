//! What a dump's scan found, kept to be used again: on disk in the cache directory, so that an
//! archive opens without being read through, and in the store, so that a file that grew is
//! read on from where it ended (a scraper appends: a reload then costs what was added).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasherDefault;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::packed::{IdHasher, Rows};
use super::scan::{self, Segment};

/// Bumped whenever the index or what the scan finds changes, so that old cache files are
/// not used.
const VERSION: u32 = 3;

/// How many bytes before the end of what was read are compared to tell a file that grew
/// from one that was rewritten.
const FINGERPRINTED: usize = 4096;

/// What tells a file's contents apart without reading them: the file, its length and when it
/// was last written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    device: u64,
    inode: u64,
    len: u64,
    modified_ns: i128,
}

impl Identity {
    pub fn of(metadata: &std::fs::Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        Identity {
            device: metadata.dev(),
            inode: metadata.ino(),
            len: metadata.len(),
            modified_ns: i128::from(metadata.mtime()) * 1_000_000_000
                + i128::from(metadata.mtime_nsec()),
        }
    }

    /// Whether both are of the same file (which may have changed in between).
    pub fn same_file(&self, other: &Identity) -> bool {
        (self.device, self.inode) == (other.device, other.inode)
    }
}

/// Where a dump's articles lie and their summaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpIndex {
    pub identity: Identity,
    /// Where the last view line ends: what follows is an article still being written (the
    /// tail), or nothing yet.
    pub complete_to: usize,
    /// A hash of the bytes just before `complete_to`.
    pub fingerprint: u64,
    /// The articles up to `complete_to`, and the tail last: where each lies and its summary.
    /// Kept on disk in pieces of their own, beside the rest (see [`Rows::encode`]).
    #[serde(skip)]
    pub rows: Rows,
    /// Whether the last of `rows` is the tail (it is read again when the file grows).
    pub has_tail: bool,
    /// The rows that repeat an earlier article of the dump (the same id, and the same article
    /// once parsed), in increasing order: a load of the dump alone leaves them out.
    pub duplicates: Vec<usize>,
    pub empty_segments: usize,
    /// Invalid UTF-8 sequences before `complete_to`, and in the whole file.
    pub invalid_complete: usize,
    pub invalid_utf8: usize,
    /// Where the update that made this index began to read: 0 for the whole file.
    #[serde(skip)]
    pub read_from: usize,
}

impl DumpIndex {
    /// The index of `bytes`: `known` as it is when the file is unchanged, `known` and what was
    /// appended after it when the file grew, else a scan of all of it. `None` when the bytes
    /// cannot be scanned (see [`scan::scan`]).
    pub fn update(bytes: &[u8], identity: Identity, known: Option<DumpIndex>) -> Option<Self> {
        let Some(mut index) = known.filter(|known| known.continues_in(bytes, identity)) else {
            return DumpIndex::scan(bytes, identity, 0);
        };
        if index.identity == identity {
            return Some(index);
        }
        let from = index.complete_to;
        let rest = bytes.get(from..)?;
        // The file's byte order mark counts only at its start; there is no cheap way on.
        if rest.starts_with(b"\xEF\xBB\xBF") {
            return DumpIndex::scan(bytes, identity, 0);
        }
        let added = DumpIndex::scan(bytes, identity, from)?;
        if index.has_tail {
            index.rows.pop();
        }
        // The rows read before are shared, not copied: a read on costs what was appended.
        let old = index.rows.len();
        index.rows.append(added.rows, 0);
        index.rows.compact();
        let mut duplicates = index.duplicates;
        duplicates.retain(|&row| row < old);
        duplicates.extend(find_duplicates(bytes, &index.rows, old));
        Some(DumpIndex {
            rows: index.rows,
            duplicates,
            empty_segments: index.empty_segments + added.empty_segments,
            invalid_complete: index.invalid_complete + added.invalid_complete,
            invalid_utf8: index.invalid_complete + added.invalid_utf8,
            read_from: from,
            ..added
        })
    }

    /// Scans `bytes` from `from` (the start, or where a known part ends). The duplicates are
    /// those among the rows found.
    fn scan(bytes: &[u8], identity: Identity, from: usize) -> Option<DumpIndex> {
        let scanned = scan::scan(bytes.get(from..)?)?;
        let shift = |segment: Segment| Segment {
            range: segment.range.start + from..segment.range.end + from,
            views: segment.views,
        };
        let segments: Vec<Segment> = scanned.segments.into_iter().map(shift).collect();
        let summaries = scan::summaries(bytes, &segments);
        let has_tail = segments.last().is_some_and(|s| s.views.is_none());
        let complete_to = match segments.last() {
            Some(tail) if has_tail => tail.range.start,
            _ => bytes.len(),
        };
        let invalid_tail = match has_tail {
            true => scan::scan(bytes.get(complete_to..)?).map_or(0, |s| s.invalid_utf8),
            false => 0,
        };
        let rows = Rows::of_dump(&segments, &summaries);
        drop(summaries);
        Some(DumpIndex {
            identity,
            complete_to,
            fingerprint: fingerprint(bytes, complete_to),
            duplicates: find_duplicates(bytes, &rows, 0),
            rows,
            has_tail,
            empty_segments: scanned.empty_segments,
            invalid_complete: scanned.invalid_utf8.saturating_sub(invalid_tail),
            invalid_utf8: scanned.invalid_utf8,
            read_from: from,
        })
    }

    /// Whether `bytes` (of a file that is now `identity`) start with what this index read.
    fn continues_in(&self, bytes: &[u8], identity: Identity) -> bool {
        let same_file =
            (self.identity.device, self.identity.inode) == (identity.device, identity.inode);
        same_file
            && identity.len >= self.identity.len
            && bytes.len() as u64 == identity.len
            && bytes.len() >= self.complete_to
            && fingerprint(bytes, self.complete_to) == self.fingerprint
    }

    /// The index kept for `path` in `cache_dir`, if there is one that is whole and clean.
    pub fn read(cache_dir: &Path, path: &Path) -> Option<DumpIndex> {
        // Mapped, not read: the pieces are copied once, each on the core that checks it, and
        // a file cut short under the mapping reads as zeros, which no piece's hash accepts.
        // (Read when it cannot be mapped: every mapping slot may hold a dump.)
        let cache_file = cache_file(cache_dir, path);
        let file = std::fs::File::open(&cache_file).ok()?;
        let bytes = match crate::mapped::Mapped::open(&file) {
            Ok(mapped) => super::Bytes::Mapped(mapped),
            Err(_) => super::Bytes::Read(std::fs::read(&cache_file).ok()?),
        };
        let (version, kept_for, mut index, pieces): (u32, PathBuf, DumpIndex, Vec<&[u8]>) =
            postcard::from_bytes(&bytes).ok()?;
        if version != VERSION || kept_for != path {
            return None;
        }
        // The cache is outside byline's hands: each piece is checked whole (see `Rows::decode`),
        // and nothing in it reaches the terminal unchecked.
        index.rows = Rows::decode(&pieces)?;
        let rows = index.rows.len();
        let ordered = index.duplicates.windows(2).all(|w| w[0] < w[1]);
        if !ordered || index.duplicates.last().is_some_and(|&last| last >= rows) {
            return None;
        }
        Some(index)
    }

    /// Whether this index is worth keeping in place of one `known` when it was made: it is
    /// new, or it read a good part of the file. (A dump read on by a few appended articles is
    /// read on from the kept index next time too: rewriting an archive's whole index for each
    /// would cost more than that.)
    pub fn worth_keeping(&self, known: Option<Identity>) -> bool {
        let read = self.identity.len.saturating_sub(self.read_from as u64);
        known != Some(self.identity) && (self.read_from == 0 || read >= self.identity.len / 16)
    }

    /// Keeps this index for `path` in `cache_dir`, replacing the file whole.
    pub fn write(&self, cache_dir: &Path, path: &Path) -> std::io::Result<()> {
        let file = cache_file(cache_dir, path);
        let dir = file.parent().unwrap_or(cache_dir);
        std::fs::create_dir_all(dir)?;
        let parts = self.rows.encode();
        let parts: Vec<Bytes> = parts.iter().map(|part| Bytes(part)).collect();
        let whole = (VERSION, path, self, parts);
        let bytes = postcard::to_stdvec(&whole).map_err(std::io::Error::other)?;
        let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut temporary, &bytes)?;
        temporary.persist(&file).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Bytes written as bytes, not as a sequence of numbers, so that they can be read in place.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// The rows from `from` on that repeat an earlier article of `rows`: the first row with the
/// same id holds the same article once both are parsed from `bytes`. (The same id is the same
/// text but for credits and the like.) The rows before `from` are looked up in their parts'
/// tables of ids, so that this costs the rows from `from` on.
fn find_duplicates(bytes: &[u8], rows: &Rows, from: usize) -> Vec<usize> {
    let mut first: HashMap<&str, usize, BuildHasherDefault<IdHasher>> = HashMap::default();
    let mut duplicates = Vec::new();
    if from > 0 && from < rows.len() {
        rows.sort_ids(from);
    }
    let article = |row: usize| {
        let (_, segment) = rows.segment(row)?;
        scan::article(bytes, &segment)
    };
    for (row, summary) in (from..).zip(rows.iter(from..rows.len())) {
        let earlier = match rows.first_with_id(summary.id, from) {
            Some(earlier) => earlier,
            None => match first.entry(summary.id) {
                Entry::Occupied(seen) => *seen.get(),
                Entry::Vacant(slot) => {
                    slot.insert(row);
                    continue;
                }
            },
        };
        if article(earlier) == article(row) {
            duplicates.push(row);
        }
    }
    duplicates
}

/// Where the index of `path` is kept: a file named by a hash of the path.
fn cache_file(cache_dir: &Path, path: &Path) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let hash = xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_bytes());
    cache_dir.join("byline/index").join(format!("{hash:016x}"))
}

fn fingerprint(bytes: &[u8], end: usize) -> u64 {
    let start = end.saturating_sub(FINGERPRINTED);
    xxhash_rust::xxh3::xxh3_64(bytes.get(start..end).unwrap_or_default())
}

#[cfg(test)]
mod tests;
