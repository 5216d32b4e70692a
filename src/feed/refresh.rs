//! Fetching a reader's feeds in the background: once at start, when asked (`Ctrl-r`), and every
//! few minutes while it runs. What is fetched lands in the cache, which the library watches.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often the status line is told how far a fetch has got.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

use super::cache::Cache;
use super::fetch::{self, Options, Progress, Report};

/// What to fetch, where to keep it and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub urls: Vec<String>,
    /// The feeds' cache directory (see [`super::cache_dir`]).
    pub cache: PathBuf,
    /// How long between automatic refreshes; `None`: only at start and when asked.
    pub every: Option<Duration>,
}

/// What a refresh has to say while it runs and when it is done.
#[derive(Debug, Clone)]
pub enum Fetch {
    Progress(Progress),
    Done(Report),
}

/// The handle of the fetching thread; dropping it stops the thread after the round it is in.
pub struct Refresher {
    asks: Sender<()>,
}

impl Refresher {
    /// Fetches the plan's feeds now and then on; every step is handed to `report`, which says
    /// whether anyone still listens.
    pub fn spawn(plan: Plan, report: impl Fn(Fetch) -> bool + Send + Sync + 'static) -> Refresher {
        let (asks, inbox) = mpsc::channel();
        crate::parallel::in_background(move || {
            let mut force = false;
            loop {
                if !round(&plan, force, &report) {
                    break;
                }
                let wait = plan.every.unwrap_or(Duration::MAX);
                force = match inbox.recv_timeout(wait) {
                    Ok(()) => true,
                    Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                // Asks that came while fetching are answered by the round about to start.
                while inbox.try_recv().is_ok() {}
            }
        });
        Refresher { asks }
    }

    /// Fetches every feed again now, fresh or not (a server's `Retry-After` still holds).
    pub fn refresh(&self) {
        let _ = self.asks.send(());
    }
}

/// Fetches every feed of `plan` once; false when nobody listens any more.
fn round(plan: &Plan, force: bool, report: &(impl Fn(Fetch) -> bool + Sync)) -> bool {
    let cache = Cache::new(plan.cache.clone());
    let options = Options {
        force,
        ..Options::default()
    };
    // A few words a second are enough for the status line; a frame for each of a thousand
    // feeds would only cost the link and the reader's thread.
    let last = std::sync::Mutex::new(None::<Instant>);
    let progress = |step: Progress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|at| at.elapsed() >= PROGRESS_EVERY) {
            *last = Some(Instant::now());
            let _ = report(Fetch::Progress(step));
        }
    };
    let done = fetch::fetch_all(&plan.urls, &cache, &options, &super::check, &progress);
    report(Fetch::Done(done))
}
