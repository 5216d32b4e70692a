//! The feed cache: for each feed, a file with its last good document and why its last
//! fetch failed (what the reader shows and the library watches), and beside it one with its
//! validators and times, so that a refresh that changes nothing shown (a 304, a fresh skip)
//! leaves the watched file alone.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What each feed file starts with, so that a foreign file is never read as one.
const FEED_MAGIC: &[u8] = b"byline feed cache 1\n";
/// What each feed's state file starts with.
const STATE_MAGIC: &[u8] = b"byline feed state 1\n";

/// The feeds' cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// One feed as the cache keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub url: String,
    /// The last good feed document as fetched (decompressed).
    pub body: Option<Vec<u8>>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Unix seconds of the last attempt.
    pub fetched_at: u64,
    /// Unix seconds until which the feed is fresh (`Cache-Control: max-age`).
    pub fresh_until: Option<u64>,
    /// Unix seconds before which the server asked not to be asked again (429/503 `Retry-After`).
    pub retry_after: Option<u64>,
    /// The last attempt's failure, one clean line naming the URL; `None` after a success.
    pub error: Option<String>,
}

impl Entry {
    /// An entry for `url` that has never been fetched.
    pub fn new(url: &str) -> Entry {
        Entry {
            url: url.to_owned(),
            ..Entry::default()
        }
    }
}

/// The part of an entry the reader shows, as written.
#[derive(Serialize)]
struct ShownRef<'a> {
    url: &'a str,
    body: Option<&'a [u8]>,
    error: Option<&'a str>,
}

/// The part of an entry the reader shows, as read: the body borrowed from the file's bytes,
/// taken whole rather than a byte at a time. (postcard writes a slice of bytes as it writes
/// bytes: its length, then the bytes.)
#[derive(Deserialize)]
struct Shown<'a> {
    url: String,
    body: Option<&'a [u8]>,
    error: Option<String>,
}

/// The part of an entry only the fetcher reads.
#[derive(Default, Serialize, Deserialize)]
struct State {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    fetched_at: u64,
    fresh_until: Option<u64>,
    retry_after: Option<u64>,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The directory the entries are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the document and error of the feed at `url` are kept: the file that changes
    /// (is replaced) exactly when what the reader shows of the feed does.
    pub fn file(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.feed", name(url)))
    }

    /// Where the validators and times of the feed at `url` are kept.
    fn state_file(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.state", name(url)))
    }

    /// The entry kept for `url`; `None` when there is none or its file is damaged, foreign or
    /// another URL's. (A damaged state file only loses the validators and times.)
    pub fn read(&self, url: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.file(url)).ok()?;
        let shown: Shown = decode(FEED_MAGIC, &bytes).filter(|s: &Shown| s.url == url)?;
        let state = std::fs::read(self.state_file(url)).ok();
        let state = (state.as_deref())
            .and_then(|bytes| decode::<State>(STATE_MAGIC, bytes))
            .filter(|state| state.url == url)
            .unwrap_or_default();
        Some(Entry {
            url: shown.url,
            body: shown.body.map(<[u8]>::to_vec),
            etag: state.etag,
            last_modified: state.last_modified,
            fetched_at: state.fetched_at,
            fresh_until: state.fresh_until,
            retry_after: state.retry_after,
            error: shown.error,
        })
    }

    /// Keeps `entry` as the one of `url`, each file replaced whole (a reader never sees half)
    /// and the feed file only when its content changes.
    pub fn write(&self, url: &str, entry: &Entry) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let shown = ShownRef {
            url,
            body: entry.body.as_deref(),
            error: entry.error.as_deref(),
        };
        let shown = encode(FEED_MAGIC, &shown)?;
        let file = self.file(url);
        // Written before the state: validators never describe a document not kept.
        if std::fs::read(&file).ok().as_deref() != Some(shown.as_slice()) {
            self.replace(&file, &shown)?;
        }
        let state = State {
            url: url.to_owned(),
            etag: entry.etag.clone(),
            last_modified: entry.last_modified.clone(),
            fetched_at: entry.fetched_at,
            fresh_until: entry.fresh_until,
            retry_after: entry.retry_after,
        };
        self.replace(&self.state_file(url), &encode(STATE_MAGIC, &state)?)
    }

    /// Replaces `file` with `bytes` at once (a temporary file renamed over it).
    fn replace(&self, file: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let mut temporary = tempfile::NamedTempFile::new_in(&self.dir)?;
        std::io::Write::write_all(&mut temporary, bytes)?;
        temporary.persist(file).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The file name (without extension) of `url`'s entry.
fn name(url: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(url.as_bytes()))
}

fn encode(magic: &[u8], value: &impl Serialize) -> std::io::Result<Vec<u8>> {
    let mut bytes = magic.to_vec();
    bytes.extend(postcard::to_stdvec(value).map_err(std::io::Error::other)?);
    Ok(bytes)
}

/// The value in a cache file's bytes, if they are one whole.
fn decode<'a, T: Deserialize<'a>>(magic: &[u8], bytes: &'a [u8]) -> Option<T> {
    let rest = bytes.strip_prefix(magic)?;
    let (value, left) = postcard::take_from_bytes::<T>(rest).ok()?;
    left.is_empty().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            url: "http://127.0.0.1:1/feed.xml".to_owned(),
            body: Some(b"<rss version=\"2.0\"></rss>".to_vec()),
            etag: Some("\"abc\"".to_owned()),
            last_modified: Some("Mon, 07 Dec 2026 10:00:00 GMT".to_owned()),
            fetched_at: 1_796_000_000,
            fresh_until: Some(1_796_000_600),
            retry_after: None,
            error: Some("http://127.0.0.1:1/feed.xml: HTTP 500 Internal Server Error".to_owned()),
        }
    }

    #[test]
    fn an_entry_written_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("feeds"));
        let entry = sample();
        cache.write(&entry.url, &entry).unwrap();
        assert_eq!(cache.read(&entry.url), Some(entry));
    }

    #[test]
    fn a_url_never_written_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        assert_eq!(cache.read("http://127.0.0.1:1/other.xml"), None);
    }

    #[test]
    fn each_url_has_a_file_of_its_own() {
        let cache = Cache::new(PathBuf::from("/cache"));
        let a = cache.file("http://127.0.0.1:1/a.xml");
        assert_ne!(a, cache.file("http://127.0.0.1:1/b.xml"));
        assert_eq!(a.parent(), Some(std::path::Path::new("/cache")));
    }

    #[test]
    fn a_damaged_file_reads_as_none_at_every_length() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let entry = sample();
        cache.write(&entry.url, &entry).unwrap();
        let whole = std::fs::read(cache.file(&entry.url)).unwrap();
        for len in 0..whole.len() {
            std::fs::write(cache.file(&entry.url), &whole[..len]).unwrap();
            assert_eq!(cache.read(&entry.url), None, "cut to {len} bytes");
        }
        let mut flipped = whole.clone();
        flipped[FEED_MAGIC.len() + 3] ^= 0xff;
        std::fs::write(cache.file(&entry.url), &flipped).unwrap();
        assert_ne!(cache.read(&entry.url), Some(entry));
    }

    #[test]
    fn a_foreign_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let url = "http://127.0.0.1:1/feed.xml";
        std::fs::write(cache.file(url), b"<rss version=\"2.0\"></rss>").unwrap();
        assert_eq!(cache.read(url), None);
    }

    #[test]
    fn another_urls_entry_in_the_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let entry = sample();
        cache.write(&entry.url, &entry).unwrap();
        let other = "http://127.0.0.1:1/other.xml";
        std::fs::copy(cache.file(&entry.url), cache.file(other)).unwrap();
        assert_eq!(cache.read(other), None);
    }

    #[test]
    fn writing_leaves_no_temporary_files_behind() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let entry = sample();
        cache.write(&entry.url, &entry).unwrap();
        cache.write(&entry.url, &Entry::new(&entry.url)).unwrap();
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, 2, "the feed file and its state");
        assert_eq!(cache.read(&entry.url), Some(Entry::new(&entry.url)));
    }

    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
    }

    #[test]
    fn a_write_that_changes_nothing_shown_leaves_the_feed_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let entry = sample();
        cache.write(&entry.url, &entry).unwrap();
        let before = inode(&cache.file(&entry.url));
        let later = Entry {
            fetched_at: entry.fetched_at + 60,
            etag: Some("\"def\"".to_owned()),
            ..entry.clone()
        };
        cache.write(&entry.url, &later).unwrap();
        assert_eq!(inode(&cache.file(&entry.url)), before);
        assert_eq!(cache.read(&entry.url), Some(later.clone()));
        let failed = Entry {
            error: Some("http://127.0.0.1:1/feed.xml: HTTP 404 Not Found".to_owned()),
            ..later
        };
        cache.write(&entry.url, &failed).unwrap();
        assert_ne!(inode(&cache.file(&entry.url)), before);
        assert_eq!(cache.read(&entry.url), Some(failed));
    }

    #[test]
    fn a_damaged_state_file_loses_only_the_validators() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let entry = sample();
        cache.write(&entry.url, &entry).unwrap();
        std::fs::write(cache.state_file(&entry.url), b"byline feed state 1\n\xff").unwrap();
        let read = cache.read(&entry.url).unwrap();
        assert_eq!((read.body, read.error), (entry.body, entry.error));
        assert_eq!((read.etag, read.fetched_at), (None, 0));
    }
}
