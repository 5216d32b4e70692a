//! The end-to-end harness: the real binary in a pseudo-terminal at 200x50 on a generated
//! corpus, timed the way a user feels it, next to less and newsboat on the same articles.
//!
//! `cargo bench --bench e2e` (100,000 articles; `BYLINE_E2E_ARTICLES=10000` for fewer).
//! newsboat is measured when it is installed. One table is printed at the end.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/session.rs"]
mod session;

use std::path::Path;
use std::time::{Duration, Instant};

use session::Session;

const COLS: u16 = 200;
const ROWS: u16 = 50;

/// The pause before each timed key: keys 40 ms apart, as a fast typist or a held key sends
/// them, so each measures one keystroke rather than a queue of them.
const BETWEEN_KEYS: Duration = Duration::from_millis(40);

/// One measured program: the rows of the table.
#[derive(Default)]
struct Figures {
    name: String,
    first_frame: Option<Duration>,
    unique_search: Option<Duration>,
    navigation: Vec<Duration>,
    typing: Vec<Duration>,
    bytes_per_move: Option<f64>,
    peak_rss_mib: Option<f64>,
}

fn percentile(samples: &[Duration], p: f64) -> Option<Duration> {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied()
}

fn main() {
    let count: usize = std::env::var("BYLINE_E2E_ARTICLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dump_path = dir.path().join("corpus.txt");
    let dump = generate::dump(count, 1);
    std::fs::write(&dump_path, &dump).expect("writing the corpus");
    let mib = dump.len() as f64 / (1024.0 * 1024.0);
    println!("corpus: {count} articles, {mib:.0} MiB, terminal {COLS}x{ROWS}");
    let articles = byline::loader::dump::parse(&dump).articles;
    drop(dump);
    let runs: usize = std::env::var("BYLINE_E2E_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let sample: Vec<Duration> = (0..5).map(|_| sample_launch(dir.path())).collect();
    let sample = ms(percentile(&sample, 0.5));
    println!("the sample: launch → headline list drawn {sample} (median of 5)");
    let byline = combine(
        (0..runs)
            .map(|_| measure_byline(&dump_path, count, dir.path()))
            .collect(),
    );
    let less = combine((0..runs).map(|_| measure_less(&dump_path)).collect());
    let mut table = vec![byline, less];
    println!("({runs} runs of byline and less: medians, latencies pooled)");
    print_table(&table, mib);
    let wanted = std::env::var_os("BYLINE_E2E_NO_NEWSBOAT").is_none();
    if let Some(newsboat) = wanted
        .then(|| measure_newsboat(&articles, dir.path()))
        .flatten()
    {
        table.push(newsboat);
        println!("\n(newsboat once, loading the feed at start with -r)");
        print_table(&table, mib);
    }
}

/// Several runs as one: the median of each figure, all latency samples together, the
/// highest peak memory.
fn combine(runs: Vec<Figures>) -> Figures {
    let median = |pick: &dyn Fn(&Figures) -> Option<Duration>| {
        percentile(&runs.iter().filter_map(pick).collect::<Vec<_>>(), 0.5)
    };
    let mut bytes: Vec<f64> = runs.iter().filter_map(|f| f.bytes_per_move).collect();
    bytes.sort_by(f64::total_cmp);
    Figures {
        name: runs.first().map(|f| f.name.clone()).unwrap_or_default(),
        first_frame: median(&|f| f.first_frame),
        unique_search: median(&|f| f.unique_search),
        navigation: runs.iter().flat_map(|f| f.navigation.clone()).collect(),
        typing: runs.iter().flat_map(|f| f.typing.clone()).collect(),
        bytes_per_move: bytes.get(bytes.len() / 2).copied(),
        peak_rss_mib: runs.iter().filter_map(|f| f.peak_rss_mib).reduce(f64::max),
    }
}

/// byline on its built-in sample: from the start to the list on screen.
fn sample_launch(home: &Path) -> Duration {
    let started = Instant::now();
    let mut s = Session::spawn(
        env!("CARGO_BIN_EXE_byline"),
        &["--no-state"],
        home,
        COLS,
        ROWS,
    );
    let shown = s.wait(|screen| screen.contains("1/10") && screen.contains("North Korea releases"));
    s.send("q");
    s.finish();
    shown - started
}

fn measure_byline(corpus: &Path, count: usize, home: &Path) -> Figures {
    let total = format!("/{count}");
    let started = Instant::now();
    let path = corpus.to_string_lossy().into_owned();
    let mut s = Session::spawn(
        env!("CARGO_BIN_EXE_byline"),
        &["--no-state", &path],
        home,
        COLS,
        ROWS,
    );
    s.wait(|screen| screen.contains(&format!("1{total}")) && screen.contains("? help"));
    let mut figures = Figures {
        name: "byline".into(),
        first_frame: Some(started.elapsed()),
        ..Figures::default()
    };

    // Navigation: j and k within the first page (the reading pane stays as it is), each timed
    // from just before the key to the frame that shows the move.
    let bytes_before = s.bytes();
    for round in 0..200 {
        let (key, row) = if round % 80 < 40 {
            ("j", round % 80 + 2)
        } else {
            ("k", 80 - round % 80)
        };
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send(key);
        let shown = s.wait(|screen| screen.contains(&format!(" {row}{total} ")));
        figures.navigation.push(shown - sent);
    }
    s.settle();
    figures.bytes_per_move = Some((s.bytes() - bytes_before) as f64 / 200.0);

    // Typing a query: each letter timed to the frame that echoes it in the prompt.
    s.send("/");
    s.wait(|screen| screen.lines().last().is_some_and(|l| l.starts_with('/')));
    let mut typed = String::from("/");
    for letter in "minister".chars() {
        typed.push(letter);
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send(&letter.to_string());
        let shown = s.wait(|screen| screen.lines().last().is_some_and(|l| l.starts_with(&typed)));
        figures.typing.push(shown - sent);
    }
    s.wait(|screen| !screen.contains("searching…"));
    s.send("\x1b");
    s.settle();

    // A word that one article holds, arriving at once (pasted): from the write to the result.
    s.send("/");
    s.settle();
    let sent = s.send(generate::UNIQUE);
    let result = format!("1 of {}", byline::document::group_thousands(count as u64));
    let prompt = format!("/{}", generate::UNIQUE);
    let shown = s.wait(|screen| screen.contains(&prompt) && screen.contains(&result));
    figures.unique_search = Some(shown - sent);
    figures.peak_rss_mib = s.peak_rss_mib();
    s.send("\x1b");
    s.send("q");
    s.finish();
    figures
}

fn measure_less(corpus: &Path) -> Figures {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let started = Instant::now();
    let path = corpus.to_string_lossy().into_owned();
    let mut s = Session::spawn("less", &[&path], dir.path(), COLS, ROWS);
    s.wait(|screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("corpus.txt") || l.starts_with(':'))
    });
    let mut figures = Figures {
        name: "less".into(),
        first_frame: Some(started.elapsed()),
        ..Figures::default()
    };
    time_moves(&mut s, "j", &mut figures);
    s.send(&format!("/{}", generate::UNIQUE));
    let sent = s.send("\r");
    let shown = s.wait_long(|screen| {
        screen.contains(generate::UNIQUE)
            && !screen.lines().last().is_some_and(|l| l.starts_with('/'))
    });
    figures.unique_search = Some(shown - sent);
    figures.peak_rss_mib = s.peak_rss_mib();
    s.send("q");
    s.finish();
    figures
}

/// Presses `key` 50 times, timing each to the next change of the screen (a moved highlight
/// counts), and the bytes written per press.
fn time_moves(s: &mut Session, key: &str, figures: &mut Figures) {
    let bytes_before = s.bytes();
    for _ in 0..50 {
        let before = s.formatted();
        std::thread::sleep(BETWEEN_KEYS);
        let sent = s.send(key);
        let shown = s.wait_changed(&before);
        figures.navigation.push(shown - sent);
    }
    s.settle();
    figures.bytes_per_move = Some((s.bytes() - bytes_before) as f64 / 50.0);
}

/// newsboat reads the same articles as an RSS feed from a `file://` URL.
fn measure_newsboat(articles: &[byline::article::Article], home: &Path) -> Option<Figures> {
    let program = ["/usr/bin/newsboat", "/usr/local/bin/newsboat"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let feed = home.join("feed.xml");
    write_rss(articles, &feed);
    let urls = home.join("urls");
    std::fs::write(&urls, format!("file://{}\n", feed.display())).ok()?;
    let config = home.join("config");
    std::fs::write(&config, "show-read-feeds yes\n").ok()?;
    let cache = home.join("cache.db");
    // -r: load the feed at start, as a first start or a start after new articles does.
    let args = [
        "-r",
        "-u",
        urls.to_str()?,
        "-C",
        config.to_str()?,
        "-c",
        cache.to_str()?,
    ];
    let started = Instant::now();
    let mut s = Session::spawn(program, &args, home, COLS, ROWS);
    let count = articles.len();
    // The feed's row shows "(unread/total)", cut short when the column is narrow.
    s.wait_long(|screen| screen.contains(&format!("({count}/")));
    s.send("\r");
    // The article list is up once its title and first row are (headlines with emoji or CJK
    // may be drawn differently, so rows are not matched by their text).
    s.wait_long(|screen| screen.contains("Articles in feed") && screen.contains("   1 N "));
    let mut figures = Figures {
        name: "newsboat".into(),
        first_frame: Some(started.elapsed()),
        ..Figures::default()
    };
    // newsboat moves with the arrow keys (in application cursor mode); `j` changes feeds.
    time_moves(&mut s, "\x1bOB", &mut figures);
    s.send("/");
    s.send(generate::UNIQUE);
    let sent = s.send("\r");
    let shown =
        s.wait_long(|screen| screen.contains("Search result") && screen.contains("1 total"));
    figures.unique_search = Some(shown - sent);
    figures.peak_rss_mib = s.peak_rss_mib();
    s.send("q");
    s.send("q");
    s.send("q");
    s.finish();
    Some(figures)
}

fn write_rss(articles: &[byline::article::Article], path: &Path) {
    use std::io::Write;
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
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(
        || "–".into(),
        |d| format!("{:.1} ms", d.as_secs_f64() * 1000.0),
    )
}

fn print_table(table: &[Figures], corpus_mib: f64) {
    let row = |label: &str, cell: &dyn Fn(&Figures) -> String| {
        let cells: Vec<String> = table.iter().map(cell).collect();
        println!("| {label} | {} |", cells.join(" | "));
    };
    let names: Vec<&str> = table.iter().map(|f| f.name.as_str()).collect();
    println!("\n| | {} |", names.join(" | "));
    println!("|---|{}", "---|".repeat(table.len()));
    row("launch → headline list drawn", &|f| ms(f.first_frame));
    row("search for a unique word → results drawn", &|f| {
        ms(f.unique_search)
    });
    row("next headline, key → frame p50", &|f| {
        ms(percentile(&f.navigation, 0.5))
    });
    row("next headline, key → frame p99", &|f| {
        ms(percentile(&f.navigation, 0.99))
    });
    row("typing a query, key → frame p50", &|f| {
        ms(percentile(&f.typing, 0.5))
    });
    row("typing a query, key → frame p99", &|f| {
        ms(percentile(&f.typing, 0.99))
    });
    row("bytes written per move", &|f| {
        f.bytes_per_move.map_or("–".into(), |b| format!("{b:.0}"))
    });
    row("peak memory", &|f| {
        f.peak_rss_mib.map_or("–".into(), |m| {
            format!("{m:.0} MiB ({:.2}× corpus)", m / corpus_mib)
        })
    });
}
