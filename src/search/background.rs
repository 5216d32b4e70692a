//! Searching off the UI thread: the app posts a request, a worker thread answers, and the
//! loop hands the answer back to the app as an action. A newer request makes older ones moot.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use super::Query;
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

/// A thread that searches the articles. A search gives way to a newer request between its
/// steps, and shows its first screen of matches as soon as it has them.
pub struct Worker {
    requests: Sender<Request>,
    answers: Receiver<Answer>,
}

impl Worker {
    pub fn spawn(store: Arc<Store>) -> Worker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel();
        crate::parallel::in_background(move || {
            let mut next = inbox.recv().ok();
            while let Some(mut request) = next.take() {
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
                let found = super::search_in_steps(&store, &request.query, candidates, |so_far| {
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
                if next.is_none() {
                    next = inbox.recv().ok();
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
