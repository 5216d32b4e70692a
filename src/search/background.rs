//! Searching off the UI thread: the session hands out a request, a worker thread answers by
//! posting to the runtime's queue. A newer request makes older ones moot.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::Query;
use super::index::{Index, Shared};
use crate::store::Store;

/// A search for the worker: a query, the articles searched, and which of them to look among
/// (`None`: all of them).
#[derive(Debug, Clone)]
pub struct Request {
    /// Counts up with every request; only the answer to the newest one is used.
    pub generation: u64,
    pub query: Query,
    pub candidates: Option<Arc<Vec<usize>>>,
    /// The articles the candidates index (a reload may have replaced the worker's last ones).
    pub store: Arc<Store>,
}

/// What the worker is asked.
enum Job {
    Search(Request),
    /// These are the articles from now on (a reload): index them, let the old ones go.
    Adopt(Arc<Store>),
}

/// What a search found: all of it, or (while the search goes on) the first of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub generation: u64,
    pub query: Query,
    pub matched: Vec<usize>,
    /// False for the first matches of a search that goes on; the whole answer follows.
    pub complete: bool,
}

/// How many matches are worth showing before a search ends: more than a screen holds.
const FIRST_SCREEN: usize = 500;

/// How long the worker waits after it starts before it builds the index: the reader's first
/// frames come first.
const IDLE: Duration = Duration::from_millis(500);

/// A thread that searches the articles. A search gives way to a newer request between its
/// steps, and shows its first screen of matches as soon as it has them. In between, the thread
/// builds the index that lets a search skip what cannot match (see [`Index`]), and keeps it.
pub struct Worker {
    jobs: Sender<Job>,
}

impl Worker {
    /// A worker for `store` that keeps its index in the user's cache directory and hands each
    /// answer to `post`, which says whether anyone still listens.
    pub fn spawn(store: Arc<Store>, post: impl Fn(Answer) -> bool + Send + 'static) -> Worker {
        use etcetera::BaseStrategy;
        let cache_dir = etcetera::base_strategy::Xdg::new()
            .ok()
            .map(|x| x.cache_dir());
        Worker::keeping(store, cache_dir, post)
    }

    /// A worker that keeps its index in `cache_dir` (none: only while it runs).
    pub fn keeping(
        store: Arc<Store>,
        cache_dir: Option<PathBuf>,
        post: impl Fn(Answer) -> bool + Send + 'static,
    ) -> Worker {
        let (jobs, inbox) = mpsc::channel::<Job>();
        crate::parallel::in_background(move || {
            let started = Instant::now();
            let mut store = store;
            let indexed =
                |store: &Store| store.search_index(|| Index::new(store, cache_dir.as_deref()));
            let mut index = indexed(&store);
            // Whether this worker has taken on building `index`, and has built on it yet.
            let (mut builder, mut built) = (false, false);
            let mut next = None;
            loop {
                let complete = index.read().is_complete();
                if !complete && !builder {
                    builder = index.take_building();
                }
                if next.is_none() && (complete || !builder) {
                    next = inbox.recv().ok();
                } else if next.is_none() {
                    match inbox.recv_timeout(IDLE.saturating_sub(started.elapsed())) {
                        Ok(job) => next = Some(job),
                        Err(RecvTimeoutError::Timeout) => {
                            build_on(&index, &store, cache_dir.as_deref(), &mut built);
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                let Some(mut job) = next.take() else {
                    break;
                };
                // Skip to the newest job: the others were typed over already.
                while let Ok(newer) = inbox.try_recv() {
                    job = newer;
                }
                // The articles changed (a reload): their index, which another worker may build.
                let asked = match &job {
                    Job::Search(request) => Arc::clone(&request.store),
                    Job::Adopt(newer) => Arc::clone(newer),
                };
                if !Arc::ptr_eq(&asked, &store) {
                    if builder {
                        index.give_back_building();
                    }
                    index = indexed(&asked);
                    (store, builder, built) = (asked, false, false);
                }
                let Job::Search(request) = job else {
                    continue;
                };
                let all: Vec<usize>;
                let candidates = match &request.candidates {
                    Some(candidates) => candidates.as_slice(),
                    None => {
                        all = (0..store.len()).collect();
                        &all
                    }
                };
                let mut shown = false;
                let answer = |matched: Vec<usize>, complete| Answer {
                    generation: request.generation,
                    query: request.query.clone(),
                    matched,
                    complete,
                };
                // Read while this search runs: the builder waits for the searches to end.
                let index = index.read();
                let filter = index.filter(&request.query);
                let may_match = |row| filter.as_ref().is_none_or(|f| f.may_match(row));
                let found =
                    super::search_among(&store, &request.query, candidates, may_match, |so_far| {
                        if let Ok(newer) = inbox.try_recv() {
                            next = Some(newer);
                            return false;
                        }
                        if !shown && so_far.len() >= FIRST_SCREEN {
                            shown = true;
                            return post(answer(so_far.to_vec(), false));
                        }
                        true
                    });
                if let Some(matched) = found
                    && !post(answer(matched, true))
                {
                    break;
                }
            }
            // For another worker over the same articles to go on with.
            if builder {
                index.give_back_building();
            }
        });
        Worker { jobs }
    }

    pub fn send(&self, request: Request) {
        let _ = self.jobs.send(Job::Search(request));
    }

    /// Tells the worker which articles readers have now (after a reload), so that it indexes
    /// them and lets the old ones go.
    pub fn adopt(&self, store: Arc<Store>) {
        let _ = self.jobs.send(Job::Adopt(store));
    }
}

/// Builds a few more blocks of `shared`, taken and put back under its lock and built outside
/// it, so that searches go on meanwhile; `built` says whether this worker has built on it yet.
fn build_on(shared: &Shared, store: &Store, cache_dir: Option<&Path>, built: &mut bool) {
    let batch = {
        let mut index = shared.write_when_free();
        // The worker this one replaced may have kept more since the index was read.
        if !*built && index.built_nothing() {
            *index = Index::new(store, cache_dir);
        }
        *built = true;
        index.take_some()
    };
    let batch = batch.build(store);
    let mut index = shared.write_when_free();
    index.put(batch, store);
    if let Some(dir) = cache_dir {
        index.keep(store, dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{self, Input, Known};

    fn answer(answers: &mpsc::Receiver<Answer>) -> Answer {
        loop {
            let answer = answers.recv_timeout(Duration::from_secs(60));
            let answer = answer.expect("an answer");
            if answer.complete {
                return answer;
            }
        }
    }

    #[test]
    fn a_worker_keeps_the_index_it_builds_when_idle_and_answers_the_same_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.txt");
        let dump: String = (0..3000)
            .map(|i| {
                format!(
                    "Headline {i}\n\nWords of article {i}, and zanzibar{i}.\n\nView 1 times\n\n"
                )
            })
            .collect();
        std::fs::write(&path, dump).unwrap();
        let store = Arc::new(loader::load_known(&[Input::Path(path)], Known::default()).store);
        let cache = dir.path().join("cache");
        let (sender, answers) = mpsc::channel();
        let post = move |a| sender.send(a).is_ok();
        let ask = |worker: &Worker, generation| {
            let query = Query::parse("zanzibar2999");
            worker.send(Request {
                generation,
                query,
                candidates: None,
                store: Arc::clone(&store),
            });
            answer(&answers).matched
        };
        let worker = Worker::keeping(Arc::clone(&store), Some(cache.clone()), post.clone());
        assert_eq!(ask(&worker, 1), [2999], "before the index is built");
        let kept = cache.join("byline/trigrams");
        let start = Instant::now();
        while std::fs::read_dir(&kept).map_or(0, |d| d.count()) == 0 {
            assert!(start.elapsed() < Duration::from_secs(60), "nothing kept");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(ask(&worker, 2), [2999], "with the index");
        let next = Worker::keeping(Arc::clone(&store), Some(cache), post);
        assert_eq!(ask(&next, 1), [2999], "with the kept index");
    }

    #[test]
    fn workers_over_the_same_articles_build_and_search_one_index() {
        let dump: String = (0..3000)
            .map(|i| {
                format!(
                    "Headline {i}\n\nWords of article {i}, and zanzibar{i}.\n\nView 1 times\n\n"
                )
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.txt");
        std::fs::write(&path, dump).unwrap();
        let store = Arc::new(loader::load_known(&[Input::Path(path)], Known::default()).store);
        // Made here, built by nobody here: the workers build on it.
        let index = store.search_index(|| Index::new(&store, None));
        assert!(!index.read().is_complete());
        let (sender, answers) = mpsc::channel();
        let post = move |a| sender.send(a).is_ok();
        let workers: Vec<Worker> = (0..2)
            .map(|_| Worker::keeping(Arc::clone(&store), None, post.clone()))
            .collect();
        let start = Instant::now();
        while !index.read().is_complete() {
            assert!(start.elapsed() < Duration::from_secs(60), "never built");
            std::thread::sleep(Duration::from_millis(10));
        }
        for (generation, worker) in (1..).zip(&workers) {
            worker.send(Request {
                generation,
                query: Query::parse("zanzibar2999"),
                candidates: None,
                store: Arc::clone(&store),
            });
            assert_eq!(answer(&answers).matched, [2999]);
        }
        // The store's own, this test's, and each worker's.
        assert_eq!(Arc::strong_count(&index), 4, "both workers hold this one");
        let mut changed = (*store).clone();
        changed.append(Store::default());
        let fresh = changed.search_index(|| Index::new(&changed, None));
        assert!(
            !Arc::ptr_eq(&fresh, &index) && !fresh.read().is_complete(),
            "a copy that may change rows indexes them anew"
        );
    }
}
