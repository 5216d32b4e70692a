//! The end-to-end harness: the real binary in a pseudo-terminal at 200x50 on a generated
//! corpus, timed the way a user feels it. Every figure of the "archive scale" issue is printed
//! beside its goal, next to less, rg and newsboat on the same articles.
//!
//! `cargo bench --bench e2e` (100,000 articles; `BYLINE_E2E_ARTICLES=1000000` for the archive,
//! `=10000` for a quick check). `BYLINE_E2E_RUNS` (default 3) sets the runs of byline, less and
//! rg; `BYLINE_E2E_NO_NEWSBOAT` leaves newsboat out (it is measured at up to 100,000 articles,
//! when installed). The corpus is written once, article by article, to
//! `target/e2e-corpus-{count}-seed1-v{generator version}.txt` and reused by later runs.
//!
//! byline runs with its default state handling, in a temporary home. Every wait has a limit: a
//! state not reached within it is reported as `timed out` and the harness goes on. One table
//! is printed at the end, in Markdown.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/session.rs"]
mod session;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use byline::document::group_thousands;
use session::Session;

const BYLINE: &str = env!("CARGO_BIN_EXE_byline");
const COLS: u16 = 200;
const ROWS: u16 = 50;
const SEED: u64 = 1;
const MIB: f64 = 1024.0 * 1024.0;

/// The pause before each timed key: keys 40 ms apart, as a fast typist or a held key sends
/// them, so each measures one keystroke rather than a queue of them.
const BETWEEN_KEYS: Duration = Duration::from_millis(40);

/// A word in about 30% of the generated articles (no word of the generator's vocabulary is:
/// each is in nine articles of ten, or in fewer than a quarter, like a publication's name).
const COMMON: &str = generate::COMMON;
/// The first word of the article appended while byline is open.
const APPENDED: &str = "benchappended";
/// Articles opened for the "open an article" figure.
const OPENS: usize = 10;

/// How long a program may take to reach a state before the figure is `timed out`.
const LAUNCH_LIMIT: Duration = Duration::from_secs(600);
const SEARCH_LIMIT: Duration = Duration::from_secs(120);
const KEY_LIMIT: Duration = Duration::from_secs(5);
const APPEND_LIMIT: Duration = Duration::from_secs(30);
/// `--list`, less scanning the file for a search, newsboat loading the feed: minutes at 1M.
const SLOW_LIMIT: Duration = Duration::from_secs(600);

/// A measured time, or why there is none. Sorted as measured times with a timeout after all
/// of them (it took longer than any), so percentiles and medians count it as the slowest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Time {
    #[default]
    NotMeasured,
    Took(Duration),
    TimedOut,
}

impl Time {
    fn show(self) -> String {
        match self {
            Time::NotMeasured => "–".into(),
            Time::TimedOut => "timed out".into(),
            Time::Took(d) if d >= Duration::from_secs(1) => format!("{:.2} s", d.as_secs_f64()),
            Time::Took(d) => format!("{:.1} ms", d.as_secs_f64() * 1000.0),
        }
    }

    fn meets(self, goal: Duration) -> Option<bool> {
        match self {
            Time::NotMeasured => None,
            Time::Took(d) => Some(d <= goal),
            Time::TimedOut => Some(false),
        }
    }
}

/// From `since` to the frame that showed the state, or a timeout when there was none.
fn took(since: Instant, shown: Option<Instant>) -> Time {
    shown.map_or(Time::TimedOut, |at| {
        Time::Took(at.saturating_duration_since(since))
    })
}

fn percentile(samples: &[Time], p: f64) -> Time {
    let mut sorted: Vec<Time> = samples
        .iter()
        .copied()
        .filter(|t| *t != Time::NotMeasured)
        .collect();
    if sorted.is_empty() {
        return Time::NotMeasured;
    }
    sorted.sort_unstable();
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// The highest memory sampled from /proc/PID/status, in MiB.
#[derive(Clone, Copy, Debug, Default)]
struct Memory {
    rss_anon: Option<f64>,
    hwm: Option<f64>,
}

/// Samples a process's RssAnon and VmHWM every 20 ms in a thread of its own until stopped or
/// the process is gone.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Memory>>,
}

impl Sampler {
    fn start(pid: Option<u32>) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = pid.map(|pid| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || sample(pid, &stop))
        });
        Sampler { stop, thread }
    }

    fn stop(self) -> Memory {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.and_then(|t| t.join().ok()).unwrap_or_default()
    }
}

fn sample(pid: u32, stop: &AtomicBool) -> Memory {
    let path = format!("/proc/{pid}/status");
    let mut memory = Memory::default();
    let mut started: Option<String> = None;
    let own_name = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Name:"))
                .map(|n| n.trim().to_owned())
        });
    let higher = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    while let Ok(status) = std::fs::read_to_string(&path) {
        let field = |label: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(label))
                .map(str::trim)
        };
        // Another process given the same id after this one ended is not sampled: the start
        // time tells them apart (the name does not, as it changes when the child execs).
        let this = start_time(pid);
        if started.is_some() && this != started {
            break;
        }
        started = this;
        // Until it execs, the child is a copy of this process, with this process's memory.
        let copy = field("Name:") == own_name.as_deref();
        if !copy {
            let mib = |label: &str| {
                field(label)
                    .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
                    .map(|kib| kib / 1024.0)
            };
            memory.rss_anon = higher(memory.rss_anon, mib("RssAnon:"));
            memory.hwm = higher(memory.hwm, mib("VmHWM:"));
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(Duration::from_millis(if copy { 1 } else { 20 }));
    }
    memory
}

/// The process's start time, field 22 of /proc/PID/stat (after the name, which may hold
/// spaces and parentheses).
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19).map(str::to_owned)
}

/// One measured program: a column of the table.
#[derive(Default)]
struct Figures {
    name: &'static str,
    /// Launch to the full list (less and newsboat: their first screen of articles).
    launch: Time,
    /// byline's first launch on the corpus, which indexes it and keeps the index.
    first_open: Time,
    /// The article count byline showed at launch.
    listed: Option<u64>,
    unique: Time,
    common: Time,
    /// How many articles byline listed for the common word.
    common_matches: Option<u64>,
    navigation: Vec<Time>,
    typing: Vec<Time>,
    opens: Vec<Time>,
    /// Keys timed on the way: j between opens, Esc back to the list.
    other_keys: Vec<Time>,
    bytes_per_move: Option<f64>,
    memory: Memory,
    list_output: Time,
    append: Time,
}

impl Figures {
    fn every_key(&self) -> Vec<Time> {
        [
            &self.navigation,
            &self.typing,
            &self.opens,
            &self.other_keys,
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect()
    }
}

/// Several runs as one: the median of each figure, all key samples together, the highest
/// memory.
fn combine(runs: Vec<Figures>) -> Figures {
    let median = |pick: &dyn Fn(&Figures) -> Time| {
        percentile(&runs.iter().map(pick).collect::<Vec<_>>(), 0.5)
    };
    let pooled = |pick: &dyn Fn(&Figures) -> &Vec<Time>| {
        runs.iter()
            .flat_map(|f| pick(f).iter().copied())
            .collect::<Vec<_>>()
    };
    let highest =
        |pick: &dyn Fn(&Figures) -> Option<f64>| runs.iter().filter_map(pick).reduce(f64::max);
    let mut bytes: Vec<f64> = runs.iter().filter_map(|f| f.bytes_per_move).collect();
    bytes.sort_by(f64::total_cmp);
    Figures {
        name: runs.first().map_or("", |f| f.name),
        launch: median(&|f| f.launch),
        first_open: median(&|f| f.first_open),
        listed: runs.iter().find_map(|f| f.listed),
        unique: median(&|f| f.unique),
        common: median(&|f| f.common),
        common_matches: runs.iter().find_map(|f| f.common_matches),
        navigation: pooled(&|f| &f.navigation),
        typing: pooled(&|f| &f.typing),
        opens: pooled(&|f| &f.opens),
        other_keys: pooled(&|f| &f.other_keys),
        bytes_per_move: bytes.get(bytes.len() / 2).copied(),
        memory: Memory {
            rss_anon: highest(&|f| f.memory.rss_anon),
            hwm: highest(&|f| f.memory.hwm),
        },
        list_output: median(&|f| f.list_output),
        append: median(&|f| f.append),
    }
}

/// The issue's goals for a corpus size: those for 100,000 articles up to that size, those for
/// 1,000,000 above it.
struct Goals {
    scale: &'static str,
    launch: (Duration, &'static str),
    search: (Duration, &'static str),
    list: (Duration, &'static str),
}

impl Goals {
    fn for_count(count: usize) -> Goals {
        let s = Duration::from_secs_f64;
        if count <= 100_000 {
            Goals {
                scale: "100k",
                launch: (s(0.15), "≤ 0.15 s"),
                search: (s(0.10), "≤ 0.10 s"),
                list: (s(0.3), "≤ 0.3 s"),
            }
        } else {
            Goals {
                scale: "1M",
                launch: (s(1.0), "≤ 1.0 s"),
                search: (s(0.5), "≤ 0.5 s"),
                list: (s(3.0), "≤ 3 s"),
            }
        }
    }
}
const KEY_GOAL: (Duration, &str) = (Duration::from_millis(16), "≤ 16 ms");
const OPEN_GOAL: (Duration, &str) = (Duration::from_millis(5), "≤ 5 ms");
const APPEND_GOAL: (Duration, &str) = (Duration::from_secs(2), "≤ 2 s");
const SAMPLE_GOAL: (Duration, &str) = (Duration::from_millis(30), "≤ 30 ms");
const RSS_ANON_GOAL: f64 = 0.5;
const HWM_GOAL: f64 = 1.3;

/// The generated corpus on disk.
struct Corpus {
    path: PathBuf,
    bytes: u64,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let count: usize = env_or("BYLINE_E2E_ARTICLES", 100_000);
    let runs: usize = env_or("BYLINE_E2E_RUNS", 3usize).max(1);
    let goals = Goals::for_count(count);
    let corpus = prepare(count);
    let mib = corpus.bytes as f64 / MIB;
    println!(
        "corpus: {} articles, {mib:.0} MiB, terminal {COLS}x{ROWS}; goals for {} articles",
        group_thousands(count as u64),
        goals.scale
    );
    let (articles, holding) = scan(&corpus.path, COMMON);
    let share = 100.0 * holding as f64 / articles.max(1) as f64;
    println!(
        "common word '{COMMON}' in {share:.1}% of articles ({} of {})",
        group_thousands(holding),
        group_thousands(articles)
    );

    let sample = sample_launch();
    println!("the sample: launch → list {} (median of 5)", sample.show());
    // One home for every byline run: the first launch indexes the dump and keeps the index in
    // the home's cache directory, as a user's first open of an archive does; later ones use it.
    let home = tempfile::tempdir().expect("a temporary directory");
    warm(&corpus.path);
    let first_open = first_launch(&corpus, count, home.path());
    println!(
        "byline first open (indexing the dump): launch {}",
        first_open.show()
    );
    let mut byline = combine(
        (1..=runs)
            .map(|run| {
                warm(&corpus.path);
                let f = measure_byline(&corpus, count, home.path());
                println!(
                    "byline run {run} of {runs}: launch {}, unique {}, common {}, open p50 {}, \
                     append {}, --list {}",
                    f.launch.show(),
                    f.unique.show(),
                    f.common.show(),
                    percentile(&f.opens, 0.5).show(),
                    f.append.show(),
                    f.list_output.show()
                );
                f
            })
            .collect(),
    );
    byline.first_open = first_open;
    let less = combine(
        (1..=runs)
            .map(|_| {
                warm(&corpus.path);
                measure_less(&corpus)
            })
            .collect(),
    );
    println!(
        "less: first screen {}, unique {}",
        less.launch.show(),
        less.unique.show()
    );
    let mut table = vec![byline, less];
    if rg_installed() {
        let rg = combine(
            (1..=runs)
                .map(|_| {
                    warm(&corpus.path);
                    measure_rg(&corpus)
                })
                .collect(),
        );
        println!(
            "rg: unique {}, common {}",
            rg.unique.show(),
            rg.common.show()
        );
        table.push(rg);
    } else {
        println!("rg is not installed: its column is left out");
    }
    let wanted = std::env::var_os("BYLINE_E2E_NO_NEWSBOAT").is_none();
    if !wanted {
        println!("newsboat left out (BYLINE_E2E_NO_NEWSBOAT)");
    } else if count > 100_000 {
        println!("newsboat left out: it cannot hold more than 100,000 articles");
    } else if let Some(program) = newsboat() {
        warm(&corpus.path);
        let newsboat = measure_newsboat(program, &corpus);
        println!(
            "newsboat: launch {}, unique {}",
            newsboat.launch.show(),
            newsboat.unique.show()
        );
        table.push(newsboat);
    } else {
        println!("newsboat is not installed: its column is left out");
    }

    println!(
        "\n(byline, less and rg: {runs} run(s), medians, key latencies pooled, the highest \
         memory; newsboat once)"
    );
    print_table(&table, &goals, count, mib, share, sample);
}

/// The corpus for `count` articles, generated unless an earlier run left it in `target/`.
fn prepare(count: usize) -> Corpus {
    let dir = target_dir();
    let name = format!("e2e-corpus-{count}-seed{SEED}-v{}", generate::VERSION);
    let path = dir.join(format!("{name}.txt"));
    let length_file = dir.join(format!("{name}.len"));
    let recorded: Option<u64> = std::fs::read_to_string(&length_file)
        .ok()
        .and_then(|s| s.trim().parse().ok());
    let on_disk = std::fs::metadata(&path).ok().map(|m| m.len());
    if let (Some(bytes), Some(on_disk)) = (recorded, on_disk)
        && on_disk >= bytes
    {
        // An article appended by a run that was stopped before it took it away again.
        if on_disk > bytes {
            truncate(&path, bytes);
        }
        println!(
            "corpus: reusing {} (delete it to generate it again)",
            path.display()
        );
        return Corpus { path, bytes };
    }
    std::fs::create_dir_all(&dir).expect("the target directory");
    let partial = dir.join(format!("{name}.partial"));
    let started = Instant::now();
    let bytes = generate::write_dump(&partial, count, SEED).expect("writing the corpus");
    std::fs::rename(&partial, &path).expect("naming the corpus");
    std::fs::write(&length_file, bytes.to_string()).expect("recording the corpus length");
    println!(
        "corpus: generated in {:.1} s and cached at {} for the next run",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    Corpus { path, bytes }
}

/// Cargo's target directory: the bench runs from `target/<profile>/deps/`.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            let deps = exe.parent()?;
            (deps.file_name()? == "deps").then(|| deps.parent()?.parent().map(Path::to_path_buf))?
        })
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn truncate(path: &Path, bytes: u64) {
    let file = std::fs::OpenOptions::new().write(true).open(path);
    if let Err(error) = file.and_then(|f| f.set_len(bytes)) {
        println!("could not restore the corpus to its length: {error}");
    }
}

/// Reads the whole corpus, so that it is in the page cache before a program is timed on it.
fn warm(path: &Path) {
    if let Ok(mut file) = std::fs::File::open(path) {
        let _ = std::io::copy(&mut file, &mut std::io::sink());
    }
}

/// Reads the corpus once, line by line: how many articles it has, and how many of them hold
/// `word` (ASCII, in any case).
fn scan(path: &Path, word: &str) -> (u64, u64) {
    let Ok(file) = std::fs::File::open(path) else {
        return (0, 0);
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let (mut articles, mut holding, mut holds) = (0, 0, false);
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        line.make_ascii_lowercase();
        let text = line.trim_end();
        // The generator ends every article with a "View N times" line and writes no other line
        // that starts with "View".
        if text.starts_with("view ") && (text.ends_with(" times") || text.ends_with(" time")) {
            articles += 1;
            holding += u64::from(holds);
            holds = false;
        } else {
            holds |= text.contains(word);
        }
        line.clear();
    }
    (articles, holding)
}

/// The status line: the screen's last.
fn status(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// `(row, rows)` from the `3/10` at the start of byline's status line.
fn position(screen: &str) -> Option<(u64, u64)> {
    let (row, rows) = status(screen).split_whitespace().next()?.split_once('/')?;
    Some((row.parse().ok()?, rows.parse().ok()?))
}

/// `M` of the `M of N` that byline's status shows for a search, N being `total` (grouped).
fn match_count(screen: &str, total: &str) -> Option<u64> {
    let status = status(screen);
    let at = status.find(&format!(" of {total}"))?;
    let number = status[..at].rsplit(' ').next()?;
    number.replace(',', "").parse().ok()
}

/// The list's part of the first row.
fn first_row(screen: &str) -> String {
    let line = screen.lines().next().unwrap_or("");
    line.split_once('│')
        .map_or(line, |(list, _)| list)
        .trim()
        .to_owned()
}

fn prompt_open(screen: &str) -> bool {
    status(screen).starts_with('/')
}

/// The start of the headline in a list row: after the read and star markers, before the `…`
/// of a cut headline or the gap before the views.
fn headline_start(row: &str) -> String {
    let row = row.split_once('│').map_or(row, |(list, _)| list);
    let headline = row.trim_start_matches(['●', '+', '★', ' ']);
    let headline = headline.split('…').next().unwrap_or("");
    let headline = headline.split("  ").next().unwrap_or("");
    headline
        .chars()
        .take(24)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// byline on its built-in sample, no arguments: from the start to the list on screen.
fn sample_launch() -> Time {
    let home = tempfile::tempdir().expect("a temporary directory");
    let times: Vec<Time> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let mut s = Session::spawn(BYLINE, &[], home.path(), COLS, ROWS);
            let shown = s.wait_within(
                |screen| status(screen).contains(" 1/10 ") && screen.contains("? help"),
                KEY_LIMIT,
            );
            s.send("q");
            s.finish();
            took(started, shown)
        })
        .collect();
    percentile(&times, 0.5)
}

/// byline's launch to the full list with nothing kept of the corpus yet; then it stays open
/// until it has built and kept its search index, as a first session of a reader who reads
/// for a while does, so that the runs after it start with what a returning reader has.
fn first_launch(corpus: &Corpus, count: usize, home: &Path) -> Time {
    let path = corpus.path.to_string_lossy().into_owned();
    let started = Instant::now();
    let mut s = Session::spawn(BYLINE, &[&path], home, COLS, ROWS);
    let first = format!(" 1/{count} ");
    let shown = s.wait_within(
        |screen| status(screen).contains(&first) && screen.contains("? help"),
        LAUNCH_LIMIT,
    );
    let idle = s.wait_idle(Duration::from_secs(2), LAUNCH_LIMIT);
    let kept = home.join("cache/byline/trigrams");
    let files = std::fs::read_dir(&kept).map_or(0, |entries| entries.count());
    println!(
        "byline first session: search index built and kept {:.1} s after launch{} ({files} file(s) in {})",
        started.elapsed().as_secs_f64(),
        if idle {
            ""
        } else {
            " (did not go idle: limit reached)"
        },
        kept.display()
    );
    s.send("q");
    s.finish();
    took(started, shown)
}

fn measure_byline(corpus: &Corpus, count: usize, home: &Path) -> Figures {
    // Each run starts with no reading state (the last run's position would be restored), but
    // with the dump's index kept in the shared cache.
    let _ = std::fs::remove_dir_all(home.join("state"));
    let path = corpus.path.to_string_lossy().into_owned();
    let mut figures = Figures {
        name: "byline",
        ..Figures::default()
    };
    let started = Instant::now();
    // Default state handling: the state database goes to $XDG_STATE_HOME in the temporary home.
    let mut s = Session::spawn(BYLINE, &[&path], home, COLS, ROWS);
    let sampler = Sampler::start(s.pid());
    let first = format!(" 1/{count} ");
    let shown = s.wait_within(
        |screen| status(screen).contains(&first) && screen.contains("? help"),
        LAUNCH_LIMIT,
    );
    figures.launch = took(started, shown);
    figures.listed = position(&s.contents()).map(|(_, rows)| rows);
    if shown.is_some() {
        use_the_reader(&mut s, count, &mut figures);
        figures.append = append(&s, corpus, count);
    } else {
        println!(
            "byline did not list {count} articles; screen:\n{}",
            s.contents()
        );
    }
    s.send("\x1b");
    std::thread::sleep(BETWEEN_KEYS);
    s.send("q");
    s.finish();
    figures.memory = sampler.stop();
    truncate(&corpus.path, corpus.bytes);
    // The append and the cut made the kept index stale: the first list indexes the dump again.
    list_output(corpus, home);
    figures.list_output = list_output(corpus, home);
    figures
}

/// Everything timed in the reader once its list is up, in the order a user might do it.
fn use_the_reader(s: &mut Session, count: usize, figures: &mut Figures) {
    let grouped = group_thousands(count as u64);
    let total = format!("/{count}");

    // A word that one article holds, arriving at once (pasted) right after the list appears:
    // from the write to the result. The first search may build an index first.
    s.send("/");
    figures.unique = match s.wait_within(prompt_open, KEY_LIMIT) {
        Some(_) => {
            let sent = s.send(generate::UNIQUE);
            let prompt = format!("/{}", generate::UNIQUE);
            let result = format!("1 of {grouped}");
            let shown = s.wait_within(
                |screen| status(screen).starts_with(&prompt) && status(screen).contains(&result),
                SEARCH_LIMIT,
            );
            took(sent, shown)
        }
        None => Time::TimedOut,
    };
    back_to_list(s, count);

    // A word in about a third of the articles: from the write to the first screen of results,
    // the query echoed and either the match count shown or the first row changed.
    s.send("/");
    figures.common = match s.wait_within(prompt_open, KEY_LIMIT) {
        Some(_) => {
            let before = first_row(&s.contents());
            let sent = s.send(COMMON);
            let prompt = format!("/{COMMON}");
            let shown = s.wait_within(
                |screen| {
                    let row = first_row(screen);
                    status(screen).starts_with(&prompt)
                        && (match_count(screen, &grouped).is_some()
                            || status(screen).contains(" so far")
                            || (row != before && !row.is_empty()))
                },
                SEARCH_LIMIT,
            );
            let done = s.wait_within(
                |screen| {
                    status(screen).starts_with(&prompt) && match_count(screen, &grouped).is_some()
                },
                SEARCH_LIMIT,
            );
            figures.common_matches = done.and_then(|_| match_count(&s.contents(), &grouped));
            took(sent, shown)
        }
        None => Time::TimedOut,
    };
    back_to_list(s, count);

    // Navigation: j and k within the first page (the reading pane stays as it is), each timed
    // from just before the key to the frame that shows the move.
    let bytes_before = s.bytes();
    let mut moved = 0;
    for round in 0..200 {
        let (key, row) = if round % 80 < 40 {
            ("j", round % 80 + 2)
        } else {
            ("k", 80 - round % 80)
        };
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send(key);
        let wanted = format!(" {row}{total} ");
        let shown = s.wait_within(|screen| status(screen).contains(&wanted), KEY_LIMIT);
        figures.navigation.push(took(sent, shown));
        if shown.is_none() {
            break;
        }
        moved += 1;
    }
    s.settle_within(KEY_LIMIT);
    if moved == 200 {
        figures.bytes_per_move = Some((s.bytes() - bytes_before) as f64 / 200.0);
    }

    // Typing a query: each letter timed to the frame that echoes it in the prompt.
    s.send("/");
    if s.wait_within(prompt_open, KEY_LIMIT).is_some() {
        let mut typed = String::from("/");
        for letter in "minister".chars() {
            typed.push(letter);
            std::thread::sleep(BETWEEN_KEYS);
            let sent = s.send(&letter.to_string());
            let shown = s.wait_within(|screen| status(screen).starts_with(&typed), KEY_LIMIT);
            figures.typing.push(took(sent, shown));
            if shown.is_none() {
                break;
            }
        }
        s.wait_within(
            |screen| !status(screen).contains("searching…"),
            SEARCH_LIMIT,
        );
    } else {
        figures.typing.push(Time::TimedOut);
    }
    back_to_list(s, count);

    // Opening articles: j to the next one, Enter (before the pane previews it, 150 ms after
    // the selection rests), timed to the reading pane showing its headline, and Esc back.
    for _ in 0..OPENS {
        let Some((row, _)) = position(&s.contents()) else {
            break;
        };
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send("j");
        let next = format!(" {}{total} ", row + 1);
        let shown = s.wait_within(|screen| status(screen).contains(&next), KEY_LIMIT);
        figures.other_keys.push(took(sent, shown));
        let Some(headline) = shown
            .and_then(|_| s.reversed_row())
            .map(|row| headline_start(&row))
            .filter(|h| !h.is_empty())
        else {
            break;
        };
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send("\r");
        let shown = s.wait_within(
            |screen| {
                status(screen).contains(" reader ")
                    && screen.lines().any(|line| {
                        line.split_once('│')
                            .is_some_and(|(_, pane)| pane.contains(&headline))
                    })
            },
            KEY_LIMIT,
        );
        figures.opens.push(took(sent, shown));
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send("\x1b");
        let back = s.wait_within(|screen| status(screen).contains(" list "), KEY_LIMIT);
        figures.other_keys.push(took(sent, back));
        if shown.is_none() || back.is_none() {
            break;
        }
    }
}

/// Esc out of a search prompt, waiting until the whole list is back.
fn back_to_list(s: &mut Session, count: usize) {
    s.send("\x1b");
    let all = format!("/{count} ");
    s.wait_within(
        |screen| !prompt_open(screen) && status(screen).contains(&all),
        SEARCH_LIMIT,
    );
}

/// Appends one article to the open dump, as a scraper does (one write at the end), and times
/// it to the frame that lists one more article. byline looks at its files every 500 ms.
fn append(s: &Session, corpus: &Corpus, count: usize) -> Time {
    s.settle_within(KEY_LIMIT);
    let article = format!("{APPENDED} {}", generate::one_article(SEED + 1));
    let Ok(mut file) = std::fs::OpenOptions::new().append(true).open(&corpus.path) else {
        return Time::NotMeasured;
    };
    let more = format!("/{} ", count + 1);
    let sent = Instant::now();
    if file.write_all(article.as_bytes()).is_err() {
        return Time::NotMeasured;
    }
    drop(file);
    took(
        sent,
        s.wait_within(|screen| status(screen).contains(&more), APPEND_LIMIT),
    )
}

/// Runs a command to the end, or kills it at `limit`; its wall time.
fn run_timed(mut command: Command, limit: Duration) -> Time {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let started = Instant::now();
    let Ok(mut child) = command.spawn() else {
        return Time::NotMeasured;
    };
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let elapsed = started.elapsed();
            // rg exits 1 when nothing matched: that is still a finished search.
            if status.code().is_none_or(|c| c > 1) {
                println!("{command:?} failed: {status}");
                return Time::NotMeasured;
            }
            return Time::Took(elapsed);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Time::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// `byline --list CORPUS > /dev/null`.
fn list_output(corpus: &Corpus, home: &Path) -> Time {
    warm(&corpus.path);
    let mut command = Command::new(BYLINE);
    command
        .arg("--list")
        .arg(&corpus.path)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"));
    run_timed(command, SLOW_LIMIT)
}

fn measure_less(corpus: &Corpus) -> Figures {
    let home = tempfile::tempdir().expect("a temporary directory");
    let path = corpus.path.to_string_lossy().into_owned();
    let name = corpus
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let started = Instant::now();
    let mut s = Session::spawn("less", &[&path], home.path(), COLS, ROWS);
    let sampler = Sampler::start(s.pid());
    let shown = s.wait_within(
        |screen| {
            let last = status(screen);
            last.contains(&name) || last.starts_with(':')
        },
        SEARCH_LIMIT,
    );
    let mut figures = Figures {
        name: "less",
        launch: took(started, shown),
        ..Figures::default()
    };
    if shown.is_some() {
        time_moves(&mut s, "j", &mut figures);
        s.send(&format!("/{}", generate::UNIQUE));
        let sent = s.send("\r");
        let shown = s.wait_within(
            |screen| screen.contains(generate::UNIQUE) && !status(screen).starts_with('/'),
            SLOW_LIMIT,
        );
        figures.unique = took(sent, shown);
    }
    s.send("q");
    s.finish();
    figures.memory = sampler.stop();
    figures
}

fn rg_installed() -> bool {
    Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `rg -c -i WORD CORPUS`: lines holding the word counted, in any case as byline matches it.
fn measure_rg(corpus: &Corpus) -> Figures {
    let search = |word: &str| {
        let mut command = Command::new("rg");
        command.args(["-c", "-i", word]).arg(&corpus.path);
        run_timed(command, SLOW_LIMIT)
    };
    Figures {
        name: "rg",
        unique: search(generate::UNIQUE),
        common: search(COMMON),
        ..Figures::default()
    }
}

/// Presses `key` 50 times, timing each to the next change of the screen (a moved highlight
/// counts), and the bytes written per press.
fn time_moves(s: &mut Session, key: &str, figures: &mut Figures) {
    let bytes_before = s.bytes();
    for _ in 0..50 {
        std::thread::sleep(BETWEEN_KEYS);
        let before = s.formatted();
        let sent = s.send(key);
        let shown = s.wait_changed_within(&before, KEY_LIMIT);
        figures.navigation.push(took(sent, shown));
        if shown.is_none() {
            return;
        }
    }
    s.settle_within(KEY_LIMIT);
    figures.bytes_per_move = Some((s.bytes() - bytes_before) as f64 / 50.0);
}

fn newsboat() -> Option<&'static str> {
    ["/usr/bin/newsboat", "/usr/local/bin/newsboat"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// newsboat reads the same articles as an RSS feed from a `file://` URL.
fn measure_newsboat(program: &str, corpus: &Corpus) -> Figures {
    let mut figures = Figures {
        name: "newsboat",
        ..Figures::default()
    };
    let home = tempfile::tempdir().expect("a temporary directory");
    let home = home.path();
    let feed = home.join("feed.xml");
    let count = match std::fs::read_to_string(&corpus.path) {
        Ok(dump) => write_rss(&byline::loader::dump::parse(&dump).articles, &feed),
        Err(_) => return figures,
    };
    let urls = home.join("urls");
    let config = home.join("config");
    let cache = home.join("cache.db");
    let written = std::fs::write(&urls, format!("file://{}\n", feed.display()))
        .and_then(|()| std::fs::write(&config, "show-read-feeds yes\n"));
    if written.is_err() {
        return figures;
    }
    // -r: load the feed at start, as a first start or a start after new articles does.
    let (urls, config, cache) = (
        urls.to_string_lossy(),
        config.to_string_lossy(),
        cache.to_string_lossy(),
    );
    let args = ["-r", "-u", &urls, "-C", &config, "-c", &cache];
    let started = Instant::now();
    let mut s = Session::spawn(program, &args, home, COLS, ROWS);
    let sampler = Sampler::start(s.pid());
    // The feed's row shows "(unread/total)", cut short when the column is narrow.
    let loaded = s.wait_within(|screen| screen.contains(&format!("({count}/")), SLOW_LIMIT);
    let shown = loaded.and_then(|_| {
        s.send("\r");
        // The article list is up once its title and first row are (headlines with emoji or
        // CJK may be drawn differently, so rows are not matched by their text).
        s.wait_within(
            |screen| screen.contains("Articles in feed") && screen.contains("   1 N "),
            SLOW_LIMIT,
        )
    });
    figures.launch = took(started, shown);
    if shown.is_some() {
        // newsboat moves with the arrow keys (in application cursor mode); `j` changes feeds.
        time_moves(&mut s, "\x1bOB", &mut figures);
        s.send("/");
        s.send(generate::UNIQUE);
        let sent = s.send("\r");
        let shown = s.wait_within(
            |screen| screen.contains("Search result") && screen.contains("1 total"),
            SLOW_LIMIT,
        );
        figures.unique = took(sent, shown);
    }
    for _ in 0..3 {
        s.send("q");
        std::thread::sleep(BETWEEN_KEYS);
    }
    s.finish();
    figures.memory = sampler.stop();
    figures
}

/// Writes the articles as an RSS feed; returns how many there are.
fn write_rss(articles: &[byline::article::Article], path: &Path) -> usize {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let file = std::fs::File::create(path).expect("creating the feed");
    let mut out = std::io::BufWriter::new(file);
    let _ = writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>corpus</title><link>http://localhost/</link><description>generated</description>"
    );
    for (i, article) in articles.iter().enumerate() {
        let body: Vec<&str> = article.body.iter().filter_map(|b| b.text()).collect();
        let _ = writeln!(
            out,
            "<item><title>{}</title><link>http://localhost/{i}</link><guid>http://localhost/{i}</guid><description>{}</description></item>",
            escape(&article.headline),
            escape(&body.join("\n\n"))
        );
    }
    let _ = writeln!(out, "</channel></rss>");
    articles.len()
}

/// A cell: a figure, and for byline whether it meets its goal.
fn cell(value: String, meets: Option<bool>, marked: bool) -> String {
    match meets.filter(|_| marked) {
        Some(true) => format!("{value} ✓"),
        Some(false) => format!("{value} ✗"),
        None => value,
    }
}

fn memory_cell(mib: Option<f64>, corpus_mib: f64, goal: f64, marked: bool) -> String {
    match mib {
        Some(mib) => {
            let times = mib / corpus_mib;
            cell(
                format!("{mib:.0} MiB ({times:.2}×)"),
                Some(times <= goal),
                marked,
            )
        }
        None => "–".into(),
    }
}

fn print_table(
    table: &[Figures],
    goals: &Goals,
    count: usize,
    corpus_mib: f64,
    share: f64,
    sample: Time,
) {
    type Value<'a> = &'a dyn Fn(&Figures, bool) -> String;
    let row = |label: &str, goal: &str, value: Value| {
        let cells: Vec<String> = table.iter().map(|f| value(f, f.name == "byline")).collect();
        println!("| {label} | {goal} | {} |", cells.join(" | "));
    };
    let timed =
        |time: Time, goal: Duration, marked: bool| cell(time.show(), time.meets(goal), marked);
    let names: Vec<&str> = table.iter().map(|f| f.name).collect();
    println!(
        "\n| {} articles ({corpus_mib:.0} MiB) | goal at {} | {} |",
        group_thousands(count as u64),
        goals.scale,
        names.join(" | ")
    );
    println!("|---|---|{}", "---|".repeat(table.len()));
    row(
        "launch → full list drawn",
        goals.launch.1,
        &|f, marked| {
            let time = timed(f.launch, goals.launch.0, marked);
            match f.listed {
                Some(n) => format!("{time} ({} listed)", group_thousands(n)),
                None => time,
            }
        },
    );
    row(
        "first open of a dump (no index kept yet) → full list drawn",
        "–",
        &|f, _| f.first_open.show(),
    );
    row(
        "a unique word typed right after the list appears → results drawn",
        goals.search.1,
        &|f, marked| timed(f.unique, goals.search.0, marked),
    );
    row(
        &format!(
            "a common word ('{COMMON}', in {share:.1}% of articles) → first screen of results drawn"
        ),
        goals.search.1,
        &|f, marked| {
            let time = timed(f.common, goals.search.0, marked);
            match f.common_matches {
                Some(n) => format!("{time} ({} matches)", group_thousands(n)),
                None => time,
            }
        },
    );
    row(
        "private memory: highest RssAnon sampled, × corpus",
        "≤ 0.5×",
        &|f, marked| memory_cell(f.memory.rss_anon, corpus_mib, RSS_ANON_GOAL, marked),
    );
    row(
        "peak RSS incl. file-backed pages (VmHWM), × corpus",
        "≤ 1.3×",
        &|f, marked| memory_cell(f.memory.hwm, corpus_mib, HWM_GOAL, marked),
    );
    row(
        "every key → frame, p99, search typing included",
        KEY_GOAL.1,
        &|f, marked| timed(percentile(&f.every_key(), 0.99), KEY_GOAL.0, marked),
    );
    row(
        &format!(
            "open an article → drawn, p50 of {}",
            table.first().map_or(0, |f| f.opens.len())
        ),
        OPEN_GOAL.1,
        &|f, marked| timed(percentile(&f.opens, 0.5), OPEN_GOAL.0, marked),
    );
    row(
        "`byline --list CORPUS` to /dev/null, wall time",
        goals.list.1,
        &|f, marked| timed(f.list_output, goals.list.0, marked),
    );
    row(
        "one article appended to the open dump → listed (byline polls files every 500 ms)",
        APPEND_GOAL.1,
        &|f, marked| timed(f.append, APPEND_GOAL.0, marked),
    );
    row(
        "the sample (no args): launch → list",
        SAMPLE_GOAL.1,
        &|_, marked| match marked {
            true => timed(sample, SAMPLE_GOAL.0, true),
            false => "–".into(),
        },
    );
    row("next headline, key → frame p50", "–", &|f, _| {
        percentile(&f.navigation, 0.5).show()
    });
    row("next headline, key → frame p99", "–", &|f, _| {
        percentile(&f.navigation, 0.99).show()
    });
    row("typing a query, key → frame p50", "–", &|f, _| {
        percentile(&f.typing, 0.5).show()
    });
    row("typing a query, key → frame p99", "–", &|f, _| {
        percentile(&f.typing, 0.99).show()
    });
    row("bytes written per move", "–", &|f, _| {
        f.bytes_per_move.map_or("–".into(), |b| format!("{b:.0}"))
    });
    println!(
        "\nless shows the first screen at launch and scans the file when searching; rg is \
         `rg -c -i WORD CORPUS`, wall time; newsboat loads the feed at start (-r). byline runs \
         with its default state handling in a temporary home; ✓/✗: byline against the goal; \
         –: not measured (or not reached after a timeout)."
    );
}
