//! The HTTP client that brings feeds into the [`Cache`]: conditional requests, freshness and
//! Retry-After respected, redirects, timeouts and a size cap, at most so many requests in
//! flight and per host, and no feed waiting behind a slow host's others.

mod cause;
mod headers;
mod refresh;

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::feed::cache::Cache;
use refresh::Outcome;

/// The User-Agent every request carries.
pub const USER_AGENT: &str = concat!("byline/", env!("CARGO_PKG_VERSION"), " (+feed reader)");

/// Whether a fetched body is a feed: `Err` holds a one-line cause.
pub type Check<'a> = &'a (dyn Fn(&[u8], &str) -> Result<(), String> + Sync);

/// How feeds are fetched.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests in flight at once, over all hosts.
    pub max_in_flight: usize,
    /// Requests in flight at once to one `host:port`.
    pub per_host: usize,
    pub connect_timeout: Duration,
    /// The whole response, redirects and body included.
    pub timeout: Duration,
    /// The largest body, counted after decompression.
    pub max_bytes: u64,
    pub max_redirects: u32,
    /// Asks even for feeds still fresh by their max-age (never for those under Retry-After).
    pub force: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_in_flight: 16,
            per_host: 2,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 20_000_000,
            max_redirects: 5,
            force: false,
        }
    }
}

/// How far a [`fetch_all`] has got, told after each feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
}

/// What a [`fetch_all`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Feeds with a new document in the cache.
    pub updated: usize,
    /// Feeds whose server answered 304 Not Modified.
    pub unchanged: usize,
    /// Feeds not asked: fresh, or their server asked us to wait.
    pub skipped: usize,
    /// One clean line for each feed that failed, naming its URL and the cause.
    pub failures: Vec<String>,
}

/// Fetches every URL of `urls` (each once) into `cache`; `check` says whether a body is a
/// feed, and `progress` is told after each feed. Blocks until all are done.
pub fn fetch_all(
    urls: &[String],
    cache: &Cache,
    options: &Options,
    check: Check,
    progress: &(dyn Fn(Progress) + Sync),
) -> Report {
    let mut unique: Vec<&str> = Vec::with_capacity(urls.len());
    let mut seen = std::collections::HashSet::new();
    for url in urls {
        if seen.insert(url.as_str()) {
            unique.push(url);
        }
    }
    let queue = Queue::new(&unique, options.per_host.max(1));
    let clients = Clients::new(options);
    let tally = Mutex::new((Report::default(), 0usize));
    let workers = options.max_in_flight.clamp(1, unique.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((url, host)) = queue.take() {
                    let outcome = refresh::refresh(&clients, url, cache, options, check);
                    queue.release(&host);
                    let mut tally = tally.lock().unwrap_or_else(|e| e.into_inner());
                    let (report, done) = &mut *tally;
                    *done += 1;
                    match outcome {
                        Outcome::Updated => report.updated += 1,
                        Outcome::Unchanged => report.unchanged += 1,
                        Outcome::Skipped => report.skipped += 1,
                        Outcome::Failed(line) => report.failures.push(line),
                    }
                    // Told under the lock so that the counts arrive in order.
                    progress(Progress {
                        done: *done,
                        total: unique.len(),
                        failed: report.failures.len(),
                    });
                }
            });
        }
    });
    tally.into_inner().unwrap_or_else(|e| e.into_inner()).0
}

/// The clients all requests of a [`fetch_all`] share (and so their pools of connections):
/// one through the proxy the environment names, if any, and one direct for loopback hosts
/// (which a proxy elsewhere cannot reach).
struct Clients {
    proxied: ureq::Agent,
    direct: ureq::Agent,
}

impl Clients {
    fn new(options: &Options) -> Clients {
        let config = || {
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                // Redirects are followed by hand, to tell a loop from a long chain.
                .max_redirects(0)
                .timeout_connect(Some(options.connect_timeout))
                .timeout_global(Some(options.timeout))
                .user_agent(USER_AGENT)
                .max_idle_connections(options.max_in_flight.max(1) * 16)
                .max_idle_connections_per_host(options.per_host.max(1))
        };
        Clients {
            proxied: config().build().into(),
            direct: config().proxy(None).build().into(),
        }
    }

    /// The client to ask `url` with.
    fn for_url(&self, url: &str) -> &ureq::Agent {
        match headers::host_key(url) {
            Some(host) if headers::is_loopback(&host) => &self.direct,
            _ => &self.proxied,
        }
    }
}

/// The URLs still to fetch and how many requests each host has in flight: a worker takes
/// the first URL whose host has a free slot, so a slow host holds up only its own feeds.
struct Queue<'a> {
    state: Mutex<Waiting<'a>>,
    freed: Condvar,
    per_host: usize,
}

struct Waiting<'a> {
    pending: VecDeque<(&'a str, String)>,
    busy: HashMap<String, usize>,
}

impl<'a> Queue<'a> {
    fn new(urls: &[&'a str], per_host: usize) -> Queue<'a> {
        let pending = urls
            .iter()
            .map(|url| (*url, headers::host_key(url).unwrap_or_default()))
            .collect();
        Queue {
            state: Mutex::new(Waiting {
                pending,
                busy: HashMap::new(),
            }),
            freed: Condvar::new(),
            per_host,
        }
    }

    /// The next URL (and its host) whose host has a free slot, waiting for one to free;
    /// `None` once every URL is taken.
    fn take(&self) -> Option<(&'a str, String)> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.pending.is_empty() {
                return None;
            }
            let Waiting { pending, busy } = &mut *state;
            let free = pending
                .iter()
                .position(|(_, host)| busy.get(host).copied().unwrap_or(0) < self.per_host);
            if let Some(taken) = free.and_then(|index| pending.remove(index)) {
                *busy.entry(taken.1.clone()).or_insert(0) += 1;
                return Some(taken);
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Frees the slot a taken URL of `host` held.
    fn release(&self, host: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = state.busy.get_mut(host) {
            *count = count.saturating_sub(1);
        }
        self.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_agent_names_byline_and_its_version() {
        assert_eq!(
            USER_AGENT,
            format!("byline/{} (+feed reader)", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn the_queue_passes_over_a_host_without_a_free_slot() {
        let urls = ["http://a/1", "http://a/2", "http://a/3", "http://b/1"];
        let queue = Queue::new(&urls, 2);
        assert_eq!(queue.take().map(|t| t.0), Some("http://a/1"));
        assert_eq!(queue.take().map(|t| t.0), Some("http://a/2"));
        assert_eq!(queue.take().map(|t| t.0), Some("http://b/1"));
        queue.release("a:80");
        assert_eq!(queue.take().map(|t| t.0), Some("http://a/3"));
        assert_eq!(queue.take(), None);
    }

    #[test]
    fn a_url_of_no_host_is_still_taken_and_fails_with_a_cause() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned());
        let urls = vec!["ftp://example.org/feed".to_owned()];
        let report = fetch_all(&urls, &cache, &Options::default(), &|_, _| Ok(()), &|_| {});
        assert_eq!(
            report.failures,
            ["ftp://example.org/feed: not an http:// or https:// URL"]
        );
        let entry = cache.read("ftp://example.org/feed").unwrap();
        assert_eq!(entry.error.as_deref(), Some(report.failures[0].as_str()));
    }
}
