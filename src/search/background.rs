//! Searching off the UI thread: the app posts a request, a worker thread answers, and the
//! loop hands the answer back to the app as an action. A newer request makes older ones moot.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::Query;
use super::index::Index;
use crate::store::Store;

/// A search for the worker: a query, and the articles to look among (`None`: all of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Counts up with every request; only the answer to the newest one is used.
    pub generation: u64,
    pub query: Query,
    pub candidates: Option<Arc<Vec<usize>>>,
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
    requests: Sender<Request>,
    answers: Receiver<Answer>,
}

impl Worker {
    /// A worker that keeps its index in the user's cache directory.
    pub fn spawn(store: Arc<Store>) -> Worker {
        use etcetera::BaseStrategy;
        let cache_dir = etcetera::base_strategy::Xdg::new()
            .ok()
            .map(|x| x.cache_dir());
        Worker::keeping(store, cache_dir)
    }

    /// A worker that keeps its index in `cache_dir` (none: only while it runs).
    pub fn keeping(store: Arc<Store>, cache_dir: Option<PathBuf>) -> Worker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel();
        crate::parallel::in_background(move || {
            let started = Instant::now();
            let mut index = Index::new(&store, cache_dir.as_deref());
            let mut building = false;
            let mut next = None;
            loop {
                if next.is_none() && index.is_complete() {
                    next = inbox.recv().ok();
                } else if next.is_none() {
                    match inbox.recv_timeout(IDLE.saturating_sub(started.elapsed())) {
                        Ok(request) => next = Some(request),
                        Err(RecvTimeoutError::Timeout) => {
                            // The worker this one replaced may have kept more since it started.
                            if !building {
                                building = true;
                                index = Index::new(&store, cache_dir.as_deref());
                            }
                            index.build_some(&store);
                            if let Some(dir) = &cache_dir {
                                index.keep(&store, dir);
                            }
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                let Some(mut request) = next.take() else {
                    break;
                };
                // Skip to the newest request: the others were typed over already.
                while let Ok(newer) = inbox.try_recv() {
                    request = newer;
                }
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
                            return outbox.send(answer(so_far.to_vec(), false)).is_ok();
                        }
                        true
                    });
                if let Some(matched) = found
                    && outbox.send(answer(matched, true)).is_err()
                {
                    break;
                }
            }
        });
        Worker { requests, answers }
    }

    pub fn send(&self, request: Request) {
        let _ = self.requests.send(request);
    }

    /// An answer, if one is ready.
    pub fn answer(&self) -> Option<Answer> {
        self.answers.try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{self, Input, Known};

    fn answer(worker: &Worker) -> Answer {
        let start = Instant::now();
        loop {
            if let Some(answer) = worker.answer().filter(|a| a.complete) {
                return answer;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "no answer");
            std::thread::sleep(Duration::from_millis(1));
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
        let ask = |worker: &Worker, generation| {
            let query = Query::parse("zanzibar2999");
            worker.send(Request {
                generation,
                query,
                candidates: None,
            });
            answer(worker).matched
        };
        let worker = Worker::keeping(Arc::clone(&store), Some(cache.clone()));
        assert_eq!(ask(&worker, 1), [2999], "before the index is built");
        let kept = cache.join("byline/trigrams");
        let start = Instant::now();
        while std::fs::read_dir(&kept).map_or(0, |d| d.count()) == 0 {
            assert!(start.elapsed() < Duration::from_secs(60), "nothing kept");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(ask(&worker, 2), [2999], "with the index");
        let next = Worker::keeping(Arc::clone(&store), Some(cache));
        assert_eq!(ask(&next, 1), [2999], "with the kept index");
    }
}
