//! The lazy dump reader at 100,000 generated articles (`cargo bench --bench scan`): how fast
//! `scan` finds the articles and `summaries` summarises them, beside their goals, and the
//! eager parse they replace (left out with `-- --lazy`, as when profiling the lazy reader);
//! `-- --parts` times each pass over the file that they are made of as well.
//! The corpus is written to a file once and read back from it.

#[path = "support/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use byline::loader::{self, scan};

const ARTICLES: usize = 100_000;
const RUNS: usize = 5;

fn main() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scan-100k.txt");
    if !path.exists() {
        std::fs::write(&path, generate::dump(ARTICLES, 1)).expect("writing the corpus");
    }
    let bytes = std::fs::read(&path).expect("reading the corpus");
    let mb = bytes.len() as f64 / 1e6;
    println!("{} ({mb:.0} MB, {ARTICLES} articles)", path.display());

    if std::env::args().any(|arg| arg == "--parts") {
        parts(&bytes, mb);
    }
    let (scanned, scan_time) = best(|| scan::scan(&bytes).expect("a lazy scan"));
    assert_eq!(scanned.segments.len(), ARTICLES);
    report("scan", mb, scan_time, 2000.0);

    let (summaries, summaries_time) = best(|| scan::summaries(&bytes, &scanned.segments));
    assert_eq!(summaries.len(), ARTICLES);
    report("summaries", mb, summaries_time, 1000.0);
    if std::env::args().any(|arg| arg == "--parts") {
        let one_core = || {
            let each = scanned.segments.iter();
            each.filter_map(|segment| scan::summary(&bytes, segment))
                .count()
        };
        let (_, t) = best(one_core);
        report("summaries on one core", mb, t, 0.0);
    }
    report("scan + summaries", mb, scan_time + summaries_time, 666.0);

    if std::env::args().any(|arg| arg == "--lazy") {
        return;
    }
    let (start, cpu_start) = (Instant::now(), cpu_time());
    let eager = loader::parse_bytes("bench", &bytes, Some("txt")).expect("an eager parse");
    let took = Took {
        wall: start.elapsed(),
        cpu: cpu_time().saturating_sub(cpu_start),
    };
    assert_eq!(eager.store.len(), ARTICLES);
    report("eager parse (one run)", mb, took, 0.0);
}

/// The passes over the whole file that the lazy reader is made of, each on its own: what they
/// cost together is as fast as `scan` and `summaries` could be.
fn parts(bytes: &[u8], mb: f64) {
    let (_, t) = best(|| std::str::from_utf8(bytes).is_ok());
    report("std from_utf8", mb, t, 0.0);
    let (_, t) = best(|| simdutf8::basic::from_utf8(bytes).is_ok());
    report("simdutf8 validation", mb, t, 0.0);
    let (_, t) = best(|| memchr::memchr(0, bytes));
    report("memchr NUL", mb, t, 0.0);
    let (_, t) = best(|| memchr::memmem::find_iter(bytes, b"View").count());
    report("memmem View", mb, t, 0.0);
    let (_, t) = best(|| memchr::memmem::find_iter(bytes, "\u{200D}".as_bytes()).count());
    report("memmem joiner", mb, t, 0.0);
    let (_, t) = best(|| memchr::memchr_iter(b'\n', bytes).count());
    report("memchr lines", mb, t, 0.0);
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let (_, t) = best(|| byline::text::clean_document(text).len());
    report("clean_document (no-op)", mb, t, 0.0);
}

/// The time a piece of work took: on the clock, and on all of the process's cores together.
#[derive(Clone, Copy)]
struct Took {
    wall: Duration,
    cpu: Duration,
}

impl std::ops::Add for Took {
    type Output = Took;
    fn add(self, other: Took) -> Took {
        Took {
            wall: self.wall + other.wall,
            cpu: self.cpu + other.cpu,
        }
    }
}

/// CPU time the process has used so far, on all threads.
fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_SELF).map_or(Duration::ZERO, |usage| {
        let [user, system] = [usage.user_time(), usage.system_time()];
        let micros =
            |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
        Duration::from_micros(micros(user) + micros(system))
    })
}

/// The result and the time of the quickest of a few runs.
fn best<T>(mut work: impl FnMut() -> T) -> (T, Took) {
    let mut fastest: Option<Took> = None;
    let mut result = None;
    for _ in 0..RUNS {
        let (start, cpu_start) = (Instant::now(), cpu_time());
        let out = std::hint::black_box(work());
        let took = Took {
            wall: start.elapsed(),
            cpu: cpu_time().saturating_sub(cpu_start),
        };
        if fastest.is_none_or(|f| took.wall < f.wall) {
            fastest = Some(took);
        }
        result = Some(out);
    }
    let zero = Took {
        wall: Duration::ZERO,
        cpu: Duration::ZERO,
    };
    (result.expect("at least one run"), fastest.unwrap_or(zero))
}

/// One line: the speed on the clock beside its goal, and the CPU time (all cores together),
/// which tells what the speed would be on cores that other work does not share.
fn report(what: &str, mb: f64, took: Took, goal_mb_s: f64) {
    let ms = took.wall.as_secs_f64() * 1e3;
    let speed = mb / took.wall.as_secs_f64();
    let cpu_ms = took.cpu.as_secs_f64() * 1e3;
    let per_core = mb / took.cpu.as_secs_f64();
    let goal = if goal_mb_s > 0.0 {
        let verdict = if speed >= goal_mb_s { "met" } else { "MISSED" };
        format!("goal ≥ {goal_mb_s:.0} MB/s: {verdict}")
    } else {
        String::new()
    };
    println!(
        "{what:>24}: {speed:>6.0} MB/s {ms:>7.1} ms  (cpu {cpu_ms:>7.1} ms, {per_core:>6.0} MB/s a core)  {goal}"
    );
}
