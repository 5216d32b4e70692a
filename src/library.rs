//! The articles of a reader's inputs, kept up to date: a thread that watches the files, loads
//! them again when they change or when asked, and posts what it loaded to whoever reads.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::reload::Watch;
use crate::store::{Corpus, Store};

/// How often the input files are checked for changes (a change is loaded once a check finds
/// the files as the one before, so within two of these of the last write).
const WATCH_EVERY: Duration = Duration::from_millis(500);

enum Ask {
    /// Load the inputs again now.
    Reload,
    /// These are the articles readers have now: a file that grew is read on from them.
    Adopt(Arc<Store>),
}

/// The handle of the library's thread; dropping it stops the thread.
pub struct Library {
    asks: Sender<Ask>,
}

impl Library {
    /// Watches the inputs `watch` names, whose articles are `current`; every load is handed to
    /// `post`, which says whether anyone still listens.
    pub fn spawn(
        mut watch: Watch,
        mut current: Arc<Store>,
        post: impl Fn(Corpus) -> bool + Send + 'static,
    ) -> Library {
        let (asks, inbox) = mpsc::channel();
        crate::parallel::in_background(move || {
            loop {
                let load = match inbox.recv_timeout(WATCH_EVERY) {
                    Ok(Ask::Reload) => true,
                    Ok(Ask::Adopt(store)) => {
                        current = store;
                        false
                    }
                    Err(RecvTimeoutError::Timeout) => watch.changed(),
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                if load && !post(watch.load(&current)) {
                    break;
                }
            }
        });
        Library { asks }
    }

    /// Loads the inputs again now.
    pub fn reload(&self) {
        let _ = self.asks.send(Ask::Reload);
    }

    /// Tells the library which articles its readers have now.
    pub fn adopt(&self, store: Arc<Store>) {
        let _ = self.asks.send(Ask::Adopt(store));
    }
}
