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

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub generation: u64,
    pub query: Query,
    pub matched: Vec<usize>,
}

/// A thread that searches the articles, building the index the first time it is needed.
pub struct Worker {
    requests: Sender<Request>,
    answers: Receiver<Answer>,
}

impl Worker {
    pub fn spawn(store: Arc<Store>) -> Worker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel();
        crate::parallel::in_background(move || {
            while let Ok(mut request) = inbox.recv() {
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
                let matched = super::search(&store, &request.query, candidates);
                let answer = Answer {
                    generation: request.generation,
                    query: request.query,
                    matched,
                };
                if outbox.send(answer).is_err() {
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
