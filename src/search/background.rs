//! Searching off the UI thread: the session hands out a request, a worker thread answers by
//! posting to the runtime's channel. A newer request makes older ones moot.

use std::sync::Arc;
use std::sync::mpsc::{self, Sender};

use super::Query;
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

/// A thread that searches the articles. A search gives way to a newer request between its
/// steps, and shows its first screen of matches as soon as it has them.
pub struct Worker {
    requests: Sender<Request>,
}

impl Worker {
    /// A worker that hands each answer to `post`, which says whether anyone still listens.
    pub fn spawn(post: impl Fn(Answer) -> bool + Send + 'static) -> Worker {
        let (requests, inbox) = mpsc::channel::<Request>();
        crate::parallel::in_background(move || {
            let mut next = inbox.recv().ok();
            while let Some(mut request) = next.take() {
                // Skip to the newest request: the others were typed over already.
                while let Ok(newer) = inbox.try_recv() {
                    request = newer;
                }
                let store = Arc::clone(&request.store);
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
                let found = super::search_in_steps(&store, &request.query, candidates, |so_far| {
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
                if next.is_none() {
                    // Waiting must not keep articles a reload replaced.
                    drop((request, store));
                    next = inbox.recv().ok();
                }
            }
        });
        Worker { requests }
    }

    pub fn send(&self, request: Request) {
        let _ = self.requests.send(request);
    }
}
