//! The feed cache: one file per feed holding its last good document, its validators and how
//! the last attempt went, so that the reader opens at once from it, online or not.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What each cache file starts with, so that a foreign file is never read as an entry.
const MAGIC: &[u8] = b"byline feed cache 1\n";

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

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The directory the entries are in.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Where the entry of the feed at `url` is kept.
    pub fn file(&self, url: &str) -> PathBuf {
        let hash = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
        self.dir.join(format!("{hash:016x}.feed"))
    }

    /// The entry kept for `url`; `None` when there is none or the file is damaged, foreign or
    /// another URL's.
    pub fn read(&self, url: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.file(url)).ok()?;
        let entry = decode(&bytes)?;
        (entry.url == url).then_some(entry)
    }

    /// Keeps `entry` as the one of `url`, replacing the file whole (a reader never sees half).
    pub fn write(&self, url: &str, entry: &Entry) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut bytes = MAGIC.to_vec();
        let entry = Entry {
            url: url.to_owned(),
            ..entry.clone()
        };
        bytes.extend(postcard::to_stdvec(&entry).map_err(std::io::Error::other)?);
        let mut temporary = tempfile::NamedTempFile::new_in(&self.dir)?;
        std::io::Write::write_all(&mut temporary, &bytes)?;
        temporary.persist(self.file(url)).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The entry in a cache file's bytes, if they are one whole.
fn decode(bytes: &[u8]) -> Option<Entry> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (entry, left) = postcard::take_from_bytes::<Entry>(rest).ok()?;
    left.is_empty().then_some(entry)
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
        flipped[MAGIC.len() + 3] ^= 0xff;
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
        assert_eq!(files, 1);
        assert_eq!(cache.read(&entry.url), Some(Entry::new(&entry.url)));
    }
}
