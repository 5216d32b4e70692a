//! Noticing that input files changed on disk, and loading them again off the UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant, SystemTime};

use crate::loader::{self, Input};
use crate::store::{Corpus, Store};

/// What a file looked like: its length and modification time (`None`: it could not be read).
type Stamp = Option<(u64, SystemTime)>;

/// The input files of a reader and how they looked when last loaded.
pub struct Watch {
    inputs: Vec<Input>,
    /// How the files looked when they were last loaded.
    loaded: Vec<(PathBuf, Stamp)>,
    /// How they looked at the last check: a file still being written differs from this.
    seen: Vec<(PathBuf, Stamp)>,
    loading: Option<Receiver<Corpus>>,
    /// Where indexes of dumps are kept, and feeds are fetched into.
    cache_dir: Option<PathBuf>,
    /// When the inputs were last loaded.
    loaded_at: Instant,
    /// The feeds to fetch in the background, if they are to be fetched.
    fetch: Option<crate::feed::refresh::Plan>,
}

/// How often a reload may follow feeds arriving while others are still being fetched: their
/// cache files are written whole (renamed into place), so there is no need to wait for quiet.
/// A reader with no articles yet (a first fetch) does not wait.
const FEEDS_EVERY: Duration = Duration::from_secs(2);

impl Watch {
    /// Watches `inputs`, or `None` when there is nothing that can change or be read again (the
    /// sample, standard input, a named pipe).
    pub fn new(inputs: &[Input], cache_dir: Option<PathBuf>) -> Option<Watch> {
        let watchable = |input: &Input| match input {
            Input::Path(path) => !std::fs::metadata(path).is_ok_and(|m| loader::is_pipe(&m)),
            Input::Feed(_) => true,
            Input::Stdin | Input::Sample => false,
        };
        if !inputs.iter().all(watchable) {
            return None;
        }
        let mut watch = Watch {
            inputs: inputs.to_vec(),
            loaded: Vec::new(),
            seen: Vec::new(),
            loading: None,
            cache_dir,
            loaded_at: Instant::now(),
            fetch: None,
        };
        watch.loaded = watch.stamps();
        watch.seen = watch.loaded.clone();
        Some(watch)
    }

    /// Fetches the feeds among the inputs in the background (once now, when asked, and
    /// `every` so often), for the watch to load as they arrive.
    pub fn fetching(mut self, every: Option<Duration>) -> Watch {
        let urls: Vec<String> = self.feeds().map(|s| s.url.clone()).collect();
        if let (false, Some(dir)) = (urls.is_empty(), &self.cache_dir) {
            let cache = crate::feed::cache_dir(dir);
            self.fetch = Some(crate::feed::refresh::Plan { urls, cache, every });
        }
        self
    }

    /// What to fetch, if the feeds are fetched while the reader runs.
    pub fn fetch_plan(&self) -> Option<&crate::feed::refresh::Plan> {
        self.fetch.as_ref()
    }

    fn feeds(&self) -> impl Iterator<Item = &crate::feed::Subscription> {
        self.inputs.iter().filter_map(|input| match input {
            Input::Feed(subscription) => Some(subscription),
            _ => None,
        })
    }

    /// Where a feed's cache file is, if feeds have a cache here.
    fn feed_file(&self, url: &str) -> Option<PathBuf> {
        let dir = crate::feed::cache_dir(self.cache_dir.as_deref()?);
        Some(crate::feed::cache::Cache::new(dir).file(url))
    }

    /// Every file the inputs name: the files, the directory entries as they are now, and the
    /// cache files of feeds.
    fn stamps(&self) -> Vec<(PathBuf, Stamp)> {
        let mut stamps = Vec::new();
        for input in &self.inputs {
            let path = match input {
                Input::Path(path) => path.clone(),
                Input::Feed(subscription) => match self.feed_file(&subscription.url) {
                    Some(file) => file,
                    None => continue,
                },
                Input::Stdin | Input::Sample => continue,
            };
            let path = &path;
            let mut files = vec![path.clone()];
            if path.is_dir() {
                let entries = std::fs::read_dir(path).into_iter().flatten().flatten();
                let mut listed: Vec<PathBuf> = entries.map(|e| e.path()).collect();
                listed.sort();
                files.extend(listed);
            }
            for file in files {
                let stamp = std::fs::metadata(&file)
                    .ok()
                    .and_then(|m| Some((m.len(), m.modified().ok()?)));
                stamps.push((file, stamp));
            }
        }
        stamps
    }

    /// Whether the files changed since they were loaded and have been quiet since the last
    /// check, so that a file being rewritten (`scraper > dump.txt`) is loaded once it is whole,
    /// not at every stage of the writing. Feeds that arrived are loaded while others are still
    /// being fetched: at once when the reader has `no_articles` yet, else every [`FEEDS_EVERY`].
    pub fn changed(&mut self, no_articles: bool) -> bool {
        let now = self.stamps();
        let quiet = now == self.seen;
        self.seen = now;
        let due = no_articles || self.loaded_at.elapsed() >= FEEDS_EVERY;
        let feeds_arrived = due && self.only_feeds_changed();
        (quiet || feeds_arrived) && self.seen != self.loaded
    }

    /// Whether every file that changed since the last load is a feed's cache file.
    fn only_feeds_changed(&self) -> bool {
        let feeds: std::collections::HashSet<PathBuf> = (self.feeds())
            .filter_map(|s| self.feed_file(&s.url))
            .collect();
        self.seen.len() == self.loaded.len()
            && (self.seen.iter().zip(&self.loaded))
                .all(|(now, then)| now == then || feeds.contains(&now.0))
    }

    fn mark_loaded(&mut self) {
        self.loaded = self.stamps();
        self.seen = self.loaded.clone();
        self.loaded_at = Instant::now();
    }

    /// Starts loading the inputs again on a thread of its own; a dump that only grew since
    /// `previous` was loaded is read on from where it ended.
    pub fn start_loading(&mut self, previous: Arc<Store>) {
        self.mark_loaded();
        let (sender, receiver) = mpsc::channel();
        let inputs = self.inputs.clone();
        let cache_dir = self.cache_dir.clone();
        crate::parallel::in_background(move || {
            let known = loader::Known {
                cache_dir: cache_dir.as_deref(),
                previous: Some(&previous),
            };
            let _ = sender.send(loader::load_known(&inputs, known));
        });
        self.loading = Some(receiver);
    }

    /// Loads the inputs again now, on this thread; a dump that only grew since `previous` was
    /// loaded is read on from where it ended.
    pub fn load(&mut self, previous: &Store) -> Corpus {
        self.mark_loaded();
        let known = loader::Known {
            cache_dir: self.cache_dir.as_deref(),
            previous: Some(previous),
        };
        loader::load_known(&self.inputs, known)
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The reloaded articles, once they are ready.
    pub fn loaded(&mut self) -> Option<Corpus> {
        let corpus = self.loading.as_ref()?.try_recv().ok()?;
        self.loading = None;
        Some(corpus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_rewritten_in_place_is_reloaded_once_it_is_quiet_not_while_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.txt");
        std::fs::write(&path, "Headline\n\nBody.\nView 1 times\n").unwrap();
        let mut watch = Watch::new(&[Input::Path(path.clone())], None).unwrap();
        assert!(!watch.changed(false), "nothing changed");
        // `scraper > dump.txt`: truncated, then written in pieces between two checks each.
        std::fs::write(&path, "Head").unwrap();
        assert!(!watch.changed(false), "half written");
        std::fs::write(&path, "Headline\n\nBody.\nView 1 times\nAnother\n").unwrap();
        assert!(!watch.changed(false), "still being written");
        assert!(watch.changed(false), "quiet since the last check: load it");
        watch.start_loading(Arc::default());
        assert!(!watch.changed(false), "loaded already");
    }

    #[test]
    fn a_feed_s_cache_file_is_watched_and_its_feeds_fetched_only_when_asked() {
        use crate::feed::{Subscription, cache::Cache, cache::Entry};
        let dir = tempfile::tempdir().unwrap();
        let url = "http://127.0.0.1:9/feed.xml";
        let inputs = [Input::Feed(Subscription::new(url))];
        let watch = Watch::new(&inputs, Some(dir.path().to_owned())).unwrap();
        assert!(
            watch.fetch_plan().is_none(),
            "offline unless asked to fetch"
        );
        let mut watch = watch.fetching(None);
        let plan = watch.fetch_plan().unwrap().clone();
        assert_eq!(plan.urls, [url]);
        assert_eq!(plan.cache, crate::feed::cache_dir(dir.path()));
        assert!(!watch.changed(false), "nothing fetched yet");
        let cache = Cache::new(plan.cache.clone());
        cache.write(url, &Entry::new(url)).unwrap();
        watch.changed(false);
        assert!(watch.changed(false), "a fetched feed is loaded");
        watch.start_loading(Arc::default());
        assert!(!watch.changed(false), "loaded already");
    }

    #[test]
    fn feeds_still_arriving_are_loaded_at_once_for_a_reader_with_no_articles() {
        use crate::feed::{Subscription, cache::Cache, cache::Entry};
        let dir = tempfile::tempdir().unwrap();
        let urls: Vec<String> = (0..3)
            .map(|n| format!("http://127.0.0.1:9/{n}.xml"))
            .collect();
        let inputs: Vec<Input> = (urls.iter())
            .map(|url| Input::Feed(Subscription::new(url)))
            .collect();
        let mut watch = Watch::new(&inputs, Some(dir.path().to_owned()))
            .unwrap()
            .fetching(None);
        let cache = Cache::new(watch.fetch_plan().unwrap().cache.clone());
        // One feed lands between each two checks: the files are never quiet.
        cache.write(&urls[0], &Entry::new(&urls[0])).unwrap();
        assert!(
            !watch.changed(false),
            "a reader with articles waits for more to arrive"
        );
        cache.write(&urls[1], &Entry::new(&urls[1])).unwrap();
        assert!(
            watch.changed(true),
            "a reader with no articles loads what has arrived"
        );
        watch.start_loading(Arc::default());
        cache.write(&urls[2], &Entry::new(&urls[2])).unwrap();
        assert!(!watch.changed(false), "loaded a moment ago");
    }
}
