//! Fetching feeds on loopback, each figure printed beside its goal (issue 14):
//!
//! - a cold fetch of 1,000 feeds of 50 items into an empty cache, each checked by the feed
//!   parser as the reader's fetches are: goal ≤ 10 s;
//! - a warm refresh of them all, every server answering 304: goal ≤ 2 s.
//!
//! The feeds are generated news (seeded) served from memory by 50 servers on 127.0.0.1, 20
//! feeds each, so that the limit of 2 requests per host shapes the run as it would online.
//! `BYLINE_FEEDS` (default 1000) scales it. Every request has the fetcher's timeouts, so the
//! run stops by itself.

#[path = "support/feeds.rs"]
mod feeds;
#[path = "support/generate.rs"]
mod generate;
#[path = "../tests/support/http.rs"]
mod http;

use std::sync::Arc;
use std::time::{Duration, Instant};

use byline::feed::cache::Cache;
use byline::feed::fetch::{self, Options, Report};
use http::{Reply, Server};

const SEED: u64 = 14;
use feeds::ITEMS;
const HOSTS: usize = 50;

fn main() {
    let count: usize = std::env::var("BYLINE_FEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let started = Instant::now();
    let documents: Vec<Arc<Vec<u8>>> = (0..count)
        .map(|index| Arc::new(feeds::feed(index, SEED).into_bytes()))
        .collect();
    let bytes: usize = documents.iter().map(|d| d.len()).sum();
    println!(
        "{count} feeds of {ITEMS} items, {:.1} MB, generated in {:.2} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let servers: Vec<Server> = (0..HOSTS.min(count.max(1)))
        .map(|_| Server::start())
        .collect();
    let mut urls = Vec::with_capacity(count);
    for (index, document) in documents.into_iter().enumerate() {
        let server = &servers[index % servers.len()];
        let path = format!("/feed{index}.xml");
        let etag = format!("\"{index}-v1\"");
        server.route_with(&path, move |request| {
            if request.header("if-none-match") == Some(etag.as_str()) {
                Reply::status(304).header("ETag", &etag)
            } else {
                Reply::ok(document.as_slice()).header("ETag", &etag)
            }
        });
        urls.push(server.url(&path));
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cache = Cache::new(dir.path().join("feeds"));
    let options = Options::default();

    let (cold, report) =
        timed(|| fetch::fetch_all(&urls, &cache, &options, &byline::feed::check, &|_| {}));
    print_figure("cold fetch into an empty cache", cold, 10.0, &report);
    assert_eq!(
        report.updated, count,
        "every feed fetched: {:?}",
        report.failures
    );

    let (warm, report) =
        timed(|| fetch::fetch_all(&urls, &cache, &options, &byline::feed::check, &|_| {}));
    print_figure("warm refresh, every server 304", warm, 2.0, &report);
    assert_eq!(
        report.unchanged, count,
        "every feed unchanged: {:?}",
        report.failures
    );
    let most = servers.iter().map(Server::most_at_once).max().unwrap_or(0);
    println!(
        "most requests at once on one host: {most} (limit {})",
        options.per_host
    );
}

fn timed(run: impl FnOnce() -> Report) -> (Duration, Report) {
    let started = Instant::now();
    let report = run();
    (started.elapsed(), report)
}

fn print_figure(what: &str, took: Duration, goal_seconds: f64, report: &Report) {
    let seconds = took.as_secs_f64();
    let verdict = if seconds <= goal_seconds {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "{what}: {seconds:.2} s (goal ≤ {goal_seconds} s, {verdict}); \
         {} updated, {} unchanged, {} skipped, {} failed",
        report.updated,
        report.unchanged,
        report.skipped,
        report.failures.len()
    );
}
