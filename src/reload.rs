//! Noticing that input files changed on disk, and loading them again off the UI thread.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};
use std::time::SystemTime;

use crate::article::Corpus;
use crate::loader::{self, Input};

/// What a file looked like: its length and modification time (`None`: it could not be read).
type Stamp = Option<(u64, SystemTime)>;

/// The input files of a reader and how they looked when last loaded.
pub struct Watch {
    inputs: Vec<Input>,
    seen: Vec<(PathBuf, Stamp)>,
    loading: Option<Receiver<Corpus>>,
}

impl Watch {
    /// Watches `inputs`, or `None` when there is nothing that can change (the sample, standard
    /// input).
    pub fn new(inputs: &[Input]) -> Option<Watch> {
        if !inputs.iter().all(|i| matches!(i, Input::Path(_))) {
            return None;
        }
        let mut watch = Watch {
            inputs: inputs.to_vec(),
            seen: Vec::new(),
            loading: None,
        };
        watch.seen = watch.stamps();
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

    /// Whether any file changed since the last check.
    pub fn changed(&mut self) -> bool {
        let now = self.stamps();
        let changed = now != self.seen;
        self.seen = now;
        changed
    }

    /// Starts loading the inputs again on a thread of its own.
    pub fn start_loading(&mut self) {
        let (sender, receiver) = mpsc::channel();
        let inputs = self.inputs.clone();
        std::thread::spawn(move || {
            let _ = sender.send(loader::load(&inputs));
        });
        self.loading = Some(receiver);
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
