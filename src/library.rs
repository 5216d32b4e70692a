//! The articles of a reader's inputs, kept up to date: a thread that watches the files, loads
//! them again when they change or when asked, and posts what it loaded to whoever reads.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
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

/// What became of a load: nobody listens any more, the readers were handed it, or the
/// library itself now holds it as the articles every reader has.
enum Posted {
    Gone,
    Kept,
    Now(Arc<Store>),
}

/// The handle of the library's thread; dropping it stops the thread (a shared library's
/// thread stops when its [`Shared`] handle and every subscription are dropped).
pub struct Library {
    asks: Sender<Ask>,
    /// A subscription to a [`Shared`] library, which knows what its readers have.
    shared: bool,
}

impl Library {
    /// Watches the inputs `watch` names, whose articles are `current`; every load is handed to
    /// `post`, which says whether anyone still listens.
    pub fn spawn(
        watch: Watch,
        current: Arc<Store>,
        post: impl Fn(Corpus) -> bool + Send + 'static,
    ) -> Library {
        Library::spawn_with(watch, current, move |corpus| match post(corpus) {
            true => Posted::Kept,
            false => Posted::Gone,
        })
    }

    fn spawn_with(
        mut watch: Watch,
        mut current: Arc<Store>,
        post: impl Fn(Corpus) -> Posted + Send + 'static,
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
                if load {
                    match post(watch.load(&current)) {
                        Posted::Gone => break,
                        Posted::Kept => {}
                        Posted::Now(store) => current = store,
                    }
                }
            }
        });
        Library {
            asks,
            shared: false,
        }
    }

    /// Loads the inputs again now.
    pub fn reload(&self) {
        let _ = self.asks.send(Ask::Reload);
    }

    /// Tells the library which articles its readers have now.
    pub fn adopt(&self, store: Arc<Store>) {
        if !self.shared {
            let _ = self.asks.send(Ask::Adopt(store));
        }
    }
}

/// Whoever listens to a shared library: told of every new store; false when gone.
type Subscriber = Box<dyn Fn(Arc<Store>) -> bool + Send>;

/// One library for many readers (`byline serve`): one thread watches the inputs, and every
/// load is handed to each subscriber as the same `Arc<Store>`, never a copy per reader.
#[derive(Clone)]
pub struct Shared {
    asks: Option<Sender<Ask>>,
    current: Arc<Mutex<Arc<Store>>>,
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
}

impl Shared {
    /// Watches the inputs `watch` names (none: the articles never change), whose articles are
    /// `store`. A load that failed or found nothing keeps the articles as they were.
    pub fn spawn(watch: Option<Watch>, store: Arc<Store>) -> Shared {
        let current = Arc::new(Mutex::new(store));
        let subscribers: Arc<Mutex<Vec<Subscriber>>> = Arc::default();
        let asks = watch.map(|watch| {
            let (now, listeners) = (Arc::clone(&current), Arc::clone(&subscribers));
            let first = Shared::lock(&current).clone();
            let loaded = Library::spawn_with(watch, first, move |corpus| {
                if let Some(error) = corpus.errors().next() {
                    eprintln!(
                        "byline serve: reload failed, keeping the articles: {}",
                        crate::text::clean_line(&error.message)
                    );
                    return Posted::Kept;
                }
                if corpus.store.is_empty() {
                    return Posted::Kept;
                }
                let store = Arc::new(corpus.store);
                *Shared::lock(&now) = Arc::clone(&store);
                let mut listeners = listeners.lock().unwrap_or_else(PoisonError::into_inner);
                listeners.retain(|post| post(Arc::clone(&store)));
                // The thread reads on from this: it is what every reader has now.
                Posted::Now(store)
            });
            loaded.asks
        });
        Shared {
            asks,
            current,
            subscribers,
        }
    }

    fn lock(current: &Mutex<Arc<Store>>) -> std::sync::MutexGuard<'_, Arc<Store>> {
        current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The articles as last loaded.
    pub fn current(&self) -> Arc<Store> {
        Arc::clone(&Shared::lock(&self.current))
    }

    /// Tells `post` of every store loaded from now on, until it returns false; the handle
    /// asks for reloads. `None` when nothing can be reloaded (the sample, standard input).
    pub fn subscribe(&self, post: impl Fn(Arc<Store>) -> bool + Send + 'static) -> Option<Library> {
        let asks = self.asks.clone()?;
        let mut subscribers = self
            .subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        subscribers.push(Box::new(post));
        Some(Library { asks, shared: true })
    }

    /// How many readers listen (those gone are dropped at the next load).
    pub fn subscribers(&self) -> usize {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}
