//! The soak: byline on a large generated corpus for ten minutes of random use (keys, searches,
//! resizes, and a dump that grows and is reloaded), then a check that it ends as it should: the
//! terminal restored, every mark still there on the next start, every appended article listed,
//! and no key slower than the goal.
//!
//! `cargo bench --bench soak`; `BYLINE_SOAK_ARTICLES` (default 100000), `BYLINE_SOAK_SECONDS`
//! (default 600) and `BYLINE_SOAK_SEED` (default 1) change it.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/session.rs"]
mod session;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use session::Session;

/// Keys a reader presses while skimming, as often as they appear here. Keys that end byline or
/// start another program (q in the list, Ctrl-c, Ctrl-z, v, e, |, w) are left out.
const KEYS: &[&str] = &[
    "j", "j", "j", "j", "k", "k", "\x04", "\x15", " ", "\r", "\r", "\t", "J", "K", "G", "g", "n",
    "N", "s", "r", "r", "u", "S", "o", "?", "\x1b", "\x1b", "h", "l", "y", "\x1b[6~", "\x1b[5~",
];
/// Words to search for: common ones, rare ones, and one that no article holds.
const QUERIES: &[&str] = &[
    "minister",
    "the",
    "police court",
    "\"prime minister\"",
    "-the",
    "zanzibarite",
    "nowhereword",
];
/// Sizes the window is dragged to, from a phone's to a wide monitor's.
const SIZES: &[(u16, u16)] = &[(200, 50), (120, 40), (80, 24), (60, 16), (40, 12), (20, 5)];
/// The headline word of every article the soak appends, to count them at the end.
const APPENDED: &str = "soakappended";

const BETWEEN_KEYS: Duration = Duration::from_millis(40);
/// A key that shows nothing within this is counted as changing nothing on screen.
const SILENT_AFTER: Duration = Duration::from_secs(2);
const APPEND_EVERY: Duration = Duration::from_secs(15);
/// No appends this long before the end, so the last reload is in before the marks are counted.
const QUIET_END: Duration = Duration::from_secs(20);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let count: usize = env_or("BYLINE_SOAK_ARTICLES", 100_000);
    let seconds: u64 = env_or("BYLINE_SOAK_SECONDS", 600);
    let seed: u64 = env_or("BYLINE_SOAK_SEED", 1);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dump = dir.path().join("corpus.txt");
    std::fs::write(&dump, generate::dump(count, seed)).expect("writing the corpus");
    println!("soak: {count} articles, {seconds} s, seed {seed}");

    let mut s = start(&dump, dir.path());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut latencies = Vec::new();
    let (mut silent, mut appended, mut resizes, mut searches) = (0, 0, 0, 0);
    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    let mut next_append = started + APPEND_EVERY;
    while Instant::now() < end {
        if Instant::now() >= next_append && Instant::now() + QUIET_END < end {
            appended += 1;
            append(&dump, appended);
            next_append += APPEND_EVERY;
        }
        let roll = rng.random_range(0..100);
        let keys: Vec<String> = if roll < 3 {
            let (cols, rows) = *SIZES.choose(&mut rng).expect("sizes");
            s.resize(cols, rows);
            resizes += 1;
            Vec::new()
        } else if roll < 8 {
            // The query's letters are typed only into an open prompt: elsewhere they are keys.
            std::thread::sleep(BETWEEN_KEYS);
            s.send("/");
            let prompt_open =
                |screen: &str| screen.lines().last().is_some_and(|l| l.starts_with('/'));
            if s.wait_within(prompt_open, SILENT_AFTER).is_none() {
                continue;
            }
            searches += 1;
            let query = QUERIES.choose(&mut rng).expect("queries");
            let end = if rng.random_bool(0.7) { "\r" } else { "\x1b" };
            query
                .chars()
                .map(String::from)
                .chain(std::iter::once(end.to_owned()))
                .collect()
        } else if roll < 9 {
            // Mark everything listed read, or decline.
            let answer = if rng.random_bool(0.5) { "y" } else { "n" };
            vec!["R".into(), answer.into()]
        } else if roll < 10 {
            vec!["t".into(), "\x1b".into()]
        } else {
            vec![KEYS.choose(&mut rng).expect("keys").to_string()]
        };
        for key in keys {
            std::thread::sleep(BETWEEN_KEYS);
            let before = s.bytes();
            let sent = s.send(&key);
            match s.wait_output(before, SILENT_AFTER) {
                Some(shown) => latencies.push((shown.saturating_duration_since(sent), key)),
                None => silent += 1,
            }
        }
    }
    let keys = latencies.len() + silent;
    println!(
        "{keys} keys ({silent} changed nothing on screen), {searches} searches, \
         {resizes} resizes, {appended} articles appended"
    );

    // The end: a wide window, overlays and filters dropped, the appended articles all in.
    s.resize(200, 50);
    for _ in 0..4 {
        s.send("\x1b");
        std::thread::sleep(BETWEEN_KEYS);
    }
    s.settle();
    let status = s.contents();
    for (shown, key) in [("starred only", "S"), ("unread only", "u")] {
        if status.contains(shown) {
            s.send(key);
        }
    }
    s.send(&format!("/{APPENDED}\r"));
    let listed = format!("/{APPENDED} {appended} of");
    s.wait(|screen| screen.contains(&listed) && !screen.contains("searching…"));
    s.send("\x1b");
    s.settle();
    let unread_at_end = unread(&s.contents());
    s.send("\x03");
    let code = s.exit_code(Duration::from_secs(30));
    let restored = s.restored();

    let again = start(&dump, dir.path());
    again.wait_long(|screen| screen.contains(" unread"));
    again.settle();
    let unread_again = unread(&again.contents());
    let mut again = again;
    again.send("\x03");
    let _ = again.exit_code(Duration::from_secs(30));

    latencies.sort_unstable();
    let slowest: Vec<String> = latencies
        .iter()
        .rev()
        .take(5)
        .map(|(d, key)| format!("{key:?} {:.0} ms", d.as_secs_f64() * 1000.0))
        .collect();
    println!("slowest keys: {}", slowest.join(", "));
    let at = |p: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p).round() as usize)
            .map_or(f64::NAN, |(d, _)| d.as_secs_f64() * 1000.0)
    };
    let max = latencies
        .last()
        .map_or(f64::NAN, |(d, _)| d.as_secs_f64() * 1000.0);
    println!("\n| figure | measured | goal |\n|---|---|---|");
    println!(
        "| key → frame p50 / p99 / max | {:.1} / {:.1} / {max:.0} ms | p99 ≤ 16 ms |",
        at(0.5),
        at(0.99)
    );
    println!(
        "| exit after Ctrl-c | {} | 0 |",
        code.map_or("killed after 30 s".into(), |c| c.to_string())
    );
    println!("| terminal restored | {restored} | true |");
    println!(
        "| unread count at the end / on the next start | {} / {} | equal |",
        show(unread_at_end),
        show(unread_again)
    );
    println!("| appended articles listed | {appended} of {appended} | all |");
}

fn start(dump: &Path, home: &Path) -> Session {
    let path = dump.to_string_lossy().into_owned();
    let s = Session::spawn(env!("CARGO_BIN_EXE_byline"), &[&path], home, 200, 50);
    s.wait_long(|screen| screen.contains("? help"));
    s
}

/// Appends the `n`th article, as a scraper does: one write at the end of the dump.
fn append(dump: &Path, n: usize) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(dump)
        .expect("the dump");
    let article = format!("Article {n} {APPENDED} from the soak\n\nIts body.\nView {n} times\n");
    file.write_all(article.as_bytes()).expect("appending");
}

/// The number in the status line's "· N unread".
fn unread(screen: &str) -> Option<u64> {
    let status = screen.lines().rev().find(|l| l.contains(" unread"))?;
    let before = &status[..status.find(" unread")?];
    let number = before.rsplit(' ').next()?;
    number.replace(',', "").parse().ok()
}

fn show(n: Option<u64>) -> String {
    n.map_or("not shown".into(), |n| n.to_string())
}
