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
    /// A subscription to a [`Shared`] library, which knows what its readers have; dropping
    /// the handle ends it.
    shared: Option<Subscription>,
}

/// A reader's place among a shared library's subscribers, given up when dropped.
struct Subscription {
    id: u64,
    subscribers: std::sync::Weak<Mutex<Subscribers>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(subscribers) = self.subscribers.upgrade() {
            let mut subscribers = subscribers.lock().unwrap_or_else(PoisonError::into_inner);
            subscribers.retain(|(id, _)| *id != self.id);
        }
    }
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
                    Err(RecvTimeoutError::Timeout) => watch.changed(current.is_empty()),
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
        Library { asks, shared: None }
    }

    /// Loads the inputs again now.
    pub fn reload(&self) {
        let _ = self.asks.send(Ask::Reload);
    }

    /// Tells the library which articles its readers have now.
    pub fn adopt(&self, store: Arc<Store>) {
        if self.shared.is_none() {
            let _ = self.asks.send(Ask::Adopt(store));
        }
    }
}

/// Whoever listens to a shared library: told of every new store; false when gone.
type Subscriber = Arc<dyn Fn(Arc<Store>) -> bool + Send + Sync>;
/// The subscribers of a shared library, each with its number.
type Subscribers = Vec<(u64, Subscriber)>;

/// One library for many readers (`byline serve`): one thread watches the inputs, and every
/// load is handed to each subscriber as the same `Arc<Store>`, never a copy per reader.
#[derive(Clone)]
pub struct Shared {
    asks: Option<Sender<Ask>>,
    current: Arc<Mutex<Arc<Store>>>,
    subscribers: Arc<Mutex<Subscribers>>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl Shared {
    /// Watches the inputs `watch` names (none: the articles never change), whose articles are
    /// `store`. A load that failed or found nothing keeps the articles as they were.
    pub fn spawn(watch: Option<Watch>, store: Arc<Store>) -> Shared {
        let current = Arc::new(Mutex::new(store));
        let subscribers: Arc<Mutex<Subscribers>> = Arc::default();
        let asks = watch.map(|watch| {
            let (now, listeners) = (Arc::clone(&current), Arc::clone(&subscribers));
            let first = Shared::lock(&current).clone();
            let loaded = Library::spawn_with(watch, first, move |corpus| {
                if let Some(error) = corpus.errors().next() {
                    let failed = format!("reload failed, keeping the articles: {}", error.message);
                    crate::text::tell("byline serve", &failed);
                    return Posted::Kept;
                }
                if corpus.store.is_empty() {
                    return Posted::Kept;
                }
                let store = Arc::new(corpus.store);
                *Shared::lock(&now) = Arc::clone(&store);
                // Posted outside the lock: a reader whose queue is full may be ending, and
                // gives up its subscription (which takes the lock) before its queue goes.
                let all: Subscribers = (listeners.lock().unwrap_or_else(PoisonError::into_inner))
                    .iter()
                    .map(|(id, post)| (*id, Arc::clone(post)))
                    .collect();
                let gone: Vec<u64> = (all.iter())
                    .filter(|(_, post)| !post(Arc::clone(&store)))
                    .map(|(id, _)| *id)
                    .collect();
                (listeners.lock().unwrap_or_else(PoisonError::into_inner))
                    .retain(|(id, _)| !gone.contains(id));
                // The thread reads on from this: it is what every reader has now.
                Posted::Now(store)
            });
            loaded.asks
        });
        Shared {
            asks,
            current,
            subscribers,
            next: Arc::default(),
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
    pub fn subscribe(
        &self,
        post: impl Fn(Arc<Store>) -> bool + Send + Sync + 'static,
    ) -> Option<Library> {
        let asks = self.asks.clone()?;
        let mut subscribers = self
            .subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        subscribers.push((id, Arc::new(post)));
        let subscription = Subscription {
            id,
            subscribers: Arc::downgrade(&self.subscribers),
        };
        Some(Library {
            asks,
            shared: Some(subscription),
        })
    }

    /// How many readers listen.
    pub fn subscribers(&self) -> usize {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{self, Input};

    #[test]
    fn a_shared_library_hands_every_subscriber_the_same_store_and_forgets_those_gone() {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("news.txt");
        std::fs::write(&dump, "One headline\n\nBody.\nView 1 times\n").unwrap();
        let inputs = [Input::Path(dump)];
        let known = loader::Known {
            cache_dir: None,
            previous: None,
        };
        let store = Arc::new(loader::load_known(&inputs, known).store);
        let shared = Shared::spawn(Watch::new(&inputs, None), store);
        let (first_tx, first) = mpsc::channel();
        let (second_tx, second) = mpsc::channel();
        let one = shared.subscribe(move |store| first_tx.send(store).is_ok());
        let two = shared.subscribe(move |store| second_tx.send(store).is_ok());
        assert_eq!(shared.subscribers(), 2);
        one.as_ref().unwrap().reload();
        let wait = Duration::from_secs(60);
        let (a, b) = (
            first.recv_timeout(wait).unwrap(),
            second.recv_timeout(wait).unwrap(),
        );
        assert!(
            Arc::ptr_eq(&a, &b),
            "one store for every reader, not a copy each"
        );
        assert!(Arc::ptr_eq(&a, &shared.current()));
        drop(one);
        assert_eq!(
            shared.subscribers(),
            1,
            "a reader that ended is forgotten at once"
        );
        drop(two);
        assert_eq!(shared.subscribers(), 0);
    }
}
