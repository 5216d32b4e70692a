//! Noticing that input files changed on disk, and loading them again off the UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::SystemTime;

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
    /// Where indexes of dumps are kept.
    cache_dir: Option<PathBuf>,
}

impl Watch {
    /// Watches `inputs`, or `None` when there is nothing that can change or be read again (the
    /// sample, standard input, a named pipe).
    pub fn new(inputs: &[Input], cache_dir: Option<PathBuf>) -> Option<Watch> {
        let watchable = |input: &Input| match input {
            Input::Path(path) => !std::fs::metadata(path).is_ok_and(|m| loader::is_pipe(&m)),
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
        };
        watch.loaded = watch.stamps();
        watch.seen = watch.loaded.clone();
        Some(watch)
    }

    /// Every file the inputs name: the files, and the directory entries as they are now.
    fn stamps(&self) -> Vec<(PathBuf, Stamp)> {
        let mut stamps = Vec::new();
        for input in &self.inputs {
            let Input::Path(path) = input else { continue };
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
    /// not at every stage of the writing.
    pub fn changed(&mut self) -> bool {
        let now = self.stamps();
        let quiet = now == self.seen;
        self.seen = now;
        quiet && self.seen != self.loaded
    }

    /// Starts loading the inputs again on a thread of its own; a dump that only grew since
    /// `previous` was loaded is read on from where it ended.
    pub fn start_loading(&mut self, previous: Arc<Store>) {
        self.loaded = self.stamps();
        self.seen = self.loaded.clone();
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
        self.loaded = self.stamps();
        self.seen = self.loaded.clone();
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
        assert!(!watch.changed(), "nothing changed");
        // `scraper > dump.txt`: truncated, then written in pieces between two checks each.
        std::fs::write(&path, "Head").unwrap();
        assert!(!watch.changed(), "half written");
        std::fs::write(&path, "Headline\n\nBody.\nView 1 times\nAnother\n").unwrap();
        assert!(!watch.changed(), "still being written");
        assert!(watch.changed(), "quiet since the last check: load it");
        watch.start_loading(Arc::default());
        assert!(!watch.changed(), "loaded already");
    }
}
