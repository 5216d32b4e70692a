//! The index kept in the cache directory: written whole through a temporary file, read back
//! only for the dump it was built from, with a checksum over its sets.

use super::*;

/// What is kept of a dump's blocks, after [`VERSION`] and before a hash of all the rest.
#[derive(Serialize, Deserialize)]
pub(super) struct Kept<'a> {
    pub(super) path: PathBuf,
    /// The file when its blocks were built.
    pub(super) identity: Identity,
    /// Where the last block ends, and a hash of the bytes before it.
    pub(super) covered: usize,
    pub(super) fingerprint: u64,
    /// Each block's range, and how many trigrams its list holds ([`BITS`] for bits).
    pub(super) blocks: Vec<(usize, usize, u32)>,
    /// The sets one after the other, little-endian.
    #[serde(borrow)]
    pub(super) sets: Bytes<'a>,
}

/// Marks a set kept as bits.
pub(super) const BITS: u32 = u32::MAX;

/// Bytes written as bytes, not as a sequence of numbers.
pub(super) struct Bytes<'a>(pub(super) &'a [u8]);

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
pub(super) fn cache_file(cache_dir: &Path, path: &Path) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let hash = xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_bytes());
    cache_dir
        .join("byline/trigrams")
        .join(format!("{hash:016x}"))
}

pub(super) fn fingerprint(bytes: &[u8], end: usize) -> u64 {
    let start = end.saturating_sub(FINGERPRINTED);
    xxhash_rust::xxh3::xxh3_64(bytes.get(start..end).unwrap_or_default())
}

/// Keeps the blocks of dump `number` of `store`, replacing the file whole; only while the
/// file is as it was read (one that changed since is read again, and indexed then).
pub(super) fn write(
    cache_dir: &Path,
    store: &Store,
    number: usize,
    blocks: &[Block],
) -> std::io::Result<()> {
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
pub(super) fn read(
    cache_dir: &Path,
    store: &Store,
    number: usize,
) -> Option<Vec<(Range<usize>, Set)>> {
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
