//! The reader while it fetches (issue 14): 1,000 feeds of 50 items in the `urls` file, an
//! empty cache, and the selection moved (`j`, `k`) every 40 ms while the background fetch runs
//! and its reloads land: key → the selection drawn, p50, p99 and the slowest, beside the goal
//! p99 ≤ 16 ms. Keys are sent once something is listed, and only keys that move the selection
//! (no `k` on the first article): a key that changes nothing draws nothing to time. A key is
//! drawn when the status line shows the selection elsewhere (`3/1000` → `4/1000`).
//!
//! `cargo bench --bench feeds_reader`; `BYLINE_FEEDS` (default 1000) scales it. The feeds are
//! served from memory by 50 servers on 127.0.0.1; every wait has a limit, so it stops by itself.

#[path = "support/feeds.rs"]
mod feeds;
#[path = "support/generate.rs"]
mod generate;
#[path = "../tests/support/http.rs"]
mod http;
#[path = "support/session.rs"]
mod session;

use std::time::{Duration, Instant};

use http::{Reply, Server};
use session::Session;

const BYLINE: &str = env!("CARGO_BIN_EXE_byline");
const SEED: u64 = 14;
const HOSTS: usize = 50;
/// How long keys are sent: longer than the cold fetch's goal (10 s), so it spans all of it.
const KEYS_FOR: Duration = Duration::from_secs(15);
const BETWEEN_KEYS: Duration = Duration::from_millis(40);
/// A key whose selection is not drawn by then counts as this late.
const KEY_LIMIT: Duration = Duration::from_secs(2);

fn main() {
    let count: usize = std::env::var("BYLINE_FEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let servers: Vec<Server> = (0..HOSTS.min(count.max(1)))
        .map(|_| Server::start())
        .collect();
    let mut urls = String::new();
    for index in 0..count {
        let server = &servers[index % servers.len()];
        let path = format!("/feed{index}.xml");
        server.route(&path, Reply::ok(feeds::feed(index, SEED)));
        urls.push_str(&server.url(&path));
        urls.push('\n');
    }
    let home = tempfile::tempdir().expect("a temporary directory");
    let config = home.path().join("config/byline");
    std::fs::create_dir_all(&config).expect("the config directory");
    std::fs::write(config.join("urls"), urls).expect("the urls file");

    let started = Instant::now();
    let mut s = Session::spawn(BYLINE, &[], home.path(), 200, 50);
    let mut latencies: Vec<Duration> = Vec::new();
    let (mut late, mut with_reload) = (0, 0);
    let mut down = true;
    while started.elapsed() < KEYS_FOR {
        std::thread::sleep(BETWEEN_KEYS);
        let Some(before) = position(&s.contents()).filter(|&(_, of)| of >= 2) else {
            // Nothing listed yet: the first feeds have not landed.
            continue;
        };
        // A key that can move the selection (`k` on the first article would not).
        let (at, of) = before;
        down = (down || at == 1) && at < of;
        let sent = s.send(if down { "j" } else { "k" });
        down = !down;
        // The frame whose status line shows the selection elsewhere, the check and its time
        // from one look at the screen. Only the key moves it, unless a reload lands meanwhile
        // (its frame then counts, and the key is counted among those that met one).
        let drawn = s.wait_within(|screen| position(screen) != Some(before), KEY_LIMIT);
        if position(&s.contents()).is_some_and(|(_, now)| now != of) {
            with_reload += 1;
        }
        match drawn {
            Some(at) => latencies.push(at.saturating_duration_since(sent)),
            None => late += 1,
        }
    }
    let status = s
        .contents()
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    s.send("q");
    s.finish();
    latencies.sort();
    let at = |p: f64| {
        let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies
            .get(index)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let p99 = at(0.99);
    let verdict = if p99 <= 16.0 && late == 0 {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "{count} feeds fetched while the reader runs: {} keys over {:.0} s, key → selection \
         drawn p50 {:.1} ms, p99 {p99:.1} ms (goal ≤ 16 ms, {verdict}), max {:.1} ms; {late} \
         not drawn within {} s",
        latencies.len() + late,
        KEYS_FOR.as_secs_f64(),
        at(0.5),
        at(1.0),
        KEY_LIMIT.as_secs()
    );
    println!("keys during which a reload landed: {with_reload}");
    println!("status line at the end: {status}");
}

/// The selection's place in the list and the list's length, from the status line (`3/1000`).
fn position(screen: &str) -> Option<(usize, usize)> {
    let status = screen.lines().last()?;
    let (at, of) = status.split_whitespace().next()?.split_once('/')?;
    Some((at.parse().ok()?, of.parse().ok()?))
}
