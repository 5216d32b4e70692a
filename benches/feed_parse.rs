//! Feed parsing (`cargo bench --bench feed_parse`): generated news feeds (RSS 2.0 with CDATA
//! HTML and Atom with escaped HTML, 50 items each, a few MB in all) through
//! `feed::parse::parse`, in MB of feed XML a second beside the goal. `-- --parts` also times
//! feed-rs alone and the HTML to blocks step alone, to say where the time goes.

#[path = "support/feeds.rs"]
mod feeds;
#[path = "support/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use byline::feed::parse::parse;

const FEEDS: usize = 40;
const RUNS: usize = 5;
const GOAL_MB_S: f64 = 100.0;

fn main() {
    let feeds = feeds::feeds(FEEDS, 7);
    let bytes: usize = feeds.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!("{FEEDS} feeds of {} items, {mb:.1} MB of XML", feeds::ITEMS);
    let articles = feeds
        .iter()
        .map(|f| {
            parse(f.as_bytes(), "https://example.org/feed.xml").map_or(0, |p| p.articles.len())
        })
        .sum::<usize>();
    assert_eq!(articles, FEEDS * feeds::ITEMS, "every item parses");

    let all = best(|| {
        for feed in &feeds {
            std::hint::black_box(parse(feed.as_bytes(), "https://example.org/feed.xml").ok());
        }
    });
    report("feed::parse::parse", mb, all, GOAL_MB_S);

    if std::env::args().any(|a| a == "--parts") {
        let feed_rs = best(|| {
            for feed in &feeds {
                std::hint::black_box(feed_rs::parser::parse(feed.as_bytes()).ok());
            }
        });
        report("feed-rs alone", mb, feed_rs, 0.0);
        let html: Vec<String> = (feeds.iter())
            .filter_map(|f| feed_rs::parser::parse(f.as_bytes()).ok())
            .flat_map(|f| f.entries)
            .filter_map(|e| e.content.and_then(|c| c.body))
            .collect();
        let html_mb = html.iter().map(String::len).sum::<usize>() as f64 / 1e6;
        let base = url::Url::parse("https://example.org/").ok();
        let blocks = best(|| {
            for h in &html {
                std::hint::black_box(byline::feed::html::to_blocks(h, base.as_ref()));
            }
        });
        report("HTML to blocks", html_mb, blocks, 0.0);
    }
}

/// The fastest of [`RUNS`] runs, on the clock and in CPU time (which says what a core that
/// other work does not share would do: this machine is shared).
fn best(mut work: impl FnMut()) -> (Duration, Duration) {
    (0..RUNS)
        .map(|_| {
            let (start, cpu) = (Instant::now(), cpu_time());
            work();
            (start.elapsed(), cpu_time().saturating_sub(cpu))
        })
        .min()
        .unwrap_or_default()
}

/// CPU time the process has used so far.
fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_SELF).map_or(Duration::ZERO, |usage| {
        let micros =
            |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
        Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time()))
    })
}

fn report(what: &str, mb: f64, (took, cpu): (Duration, Duration), goal: f64) {
    let speed = mb / took.as_secs_f64();
    let per_core = mb / cpu.as_secs_f64();
    let verdict = match goal > 0.0 {
        true if speed >= goal => format!("goal ≥ {goal:.0} MB/s of feed XML: met"),
        true => format!("goal ≥ {goal:.0} MB/s of feed XML: MISSED"),
        false => String::new(),
    };
    println!(
        "{what:>20}: {speed:>6.1} MB/s {:>8.1} ms  (cpu {:>6.1} ms, {per_core:>6.1} MB/s)  {verdict}",
        took.as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3
    );
}
