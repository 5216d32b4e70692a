//! The command line: arguments, configuration and state files, the non-interactive outputs,
//! and starting the reader.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use etcetera::BaseStrategy;

use crate::article::{Article, Problem, Severity, SummaryRef};
use crate::config::{self, Settings};
use crate::export;
use crate::loader::{self, Input};
use crate::reload::Watch;
use crate::search::{self, Query};
use crate::session::{Command, Msg, Options, Session};
use crate::state;
use crate::store::Corpus;
use crate::terminal;
use crate::terminal::Saver;
use crate::text::tell;

const EXAMPLES: &str = "\
Examples:
  byline                      read the built-in sample
  byline dumps/               read every .txt/.json/.jsonl file in dumps/, by name
  byline --list today.txt     print index, views and headline, tab-separated
  byline --json a.txt > a.json
  curl -s URL | byline -      read a dump from standard input
  byline --no-state demo.txt  read without remembering anything
  byline https://example.org/feed.xml   read a feed (RSS, Atom or JSON Feed)
  byline subscriptions.opml   read every feed of an OPML file
  byline --offline            read the feeds of the urls file as last fetched";

/// A terminal reader for news article dumps.
#[derive(Debug, Parser)]
#[command(version, about, after_help = EXAMPLES, args_conflicts_with_subcommands = true, disable_help_subcommand = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,

    /// Dump, JSON or feed files, directories of them, OPML files, feed URLs, or - for standard
    /// input [default: the feeds of $XDG_CONFIG_HOME/byline/urls, else the sample]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read feeds only as last fetched into the cache; fetch nothing
    #[arg(long)]
    pub offline: bool,

    /// Print one line per article (index, views, headline; tab-separated) and exit
    #[arg(long, conflicts_with = "json")]
    pub list: bool,

    /// Print the articles as a JSON array and exit
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,

    /// Print the articles as Markdown and exit
    #[arg(long, conflicts_with = "list")]
    pub markdown: bool,

    /// Only the articles matching QUERY (the reader's search syntax), for --list, --json and
    /// --markdown; the reader starts with it as its filter
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub search: Option<String>,

    /// Read the configuration from PATH [default: $XDG_CONFIG_HOME/byline/config.toml]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Keep reading state in the database PATH; a JSON state file there is imported
    /// [default: $XDG_STATE_HOME/byline/state.db]
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,

    /// Read the saved state but never write it
    #[arg(long)]
    pub no_state: bool,

    /// Print the effective configuration as TOML and exit
    #[arg(long)]
    pub print_config: bool,

    /// Print a completion script for SHELL and exit
    #[arg(long, value_name = "SHELL")]
    pub completions: Option<clap_complete::Shell>,

    /// Print the manual page (roff) and exit
    #[arg(long)]
    pub man: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Serve the reader over SSH: each authorized key gets its own reader and state
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Listen on ADDR:PORT (listening on all interfaces is an explicit choice)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
    pub listen: std::net::SocketAddr,

    /// The server's key, made (ed25519, mode 0600) if missing
    /// [default: host_ed25519 in byline's data directory]
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,

    /// Only keys in this OpenSSH file get in [default: ~/.ssh/authorized_keys]
    #[arg(long, value_name = "PATH")]
    pub authorized_keys: Option<PathBuf>,

    /// Readers at once
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_sessions: usize,

    /// Dump or JSON files, or directories of them [default: the sample]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Runs byline with parsed arguments. Errors are returned for `main` to print in one line.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(shell) = args.completions {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Args::command(), "byline", &mut out);
        return finish(std::io::stdout().lock().write_all(&out));
    }
    if args.man {
        let mut out = Vec::new();
        crate::manual::render(Args::command(), EXAMPLES, &mut out)?;
        return finish(std::io::stdout().lock().write_all(&out));
    }
    let settings = load_settings(&args)?;
    if let Some(Sub::Serve(serve)) = &args.command {
        return run_server(serve, settings);
    }
    if args.print_config {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        return finish(out.write_all(config::to_toml(&settings).as_bytes()));
    }
    let (inputs, notes) = inputs(&args.paths)?;
    // Dumps are indexed once and their indexes kept, so that an archive opens at once.
    let cache_dir = xdg().map(|x| x.cache_dir());
    let printing = args.json || args.list || args.markdown;
    let drawing = !printing && can_draw(inputs.contains(&Input::Stdin));
    if !drawing && !args.offline {
        // Printed from what a fetch brings now; the reader lists the cache at once instead.
        fetch_now(&inputs, cache_dir.as_deref());
    }
    let known = loader::Known {
        cache_dir: cache_dir.as_deref(),
        previous: None,
    };
    let mut corpus = loader::load_known(&inputs, known);
    let notes = notes.into_iter().map(|message| Problem {
        severity: Severity::Warning,
        message,
    });
    corpus.problems.extend(notes);
    let errors: Vec<&str> = corpus.errors().map(|p| p.message.as_str()).collect();
    if let Some((last, others)) = errors.split_last() {
        for error in others {
            tell("byline", error);
        }
        anyhow::bail!("{last}");
    }
    if drawing {
        return run_reader(corpus, settings, &args, &inputs, cache_dir);
    }
    if corpus.store.is_empty() {
        // Only feeds come to nothing without an error: each said why, and nothing is printed.
        let warnings: Vec<&str> = corpus.warnings().map(|p| p.message.as_str()).collect();
        let (last, others) = warnings.split_last().unwrap_or((&"no articles found", &[]));
        for warning in others {
            tell("byline", warning);
        }
        anyhow::bail!("{last}");
    }
    if !printing && std::env::var("TERM").is_ok_and(|term| term == "dumb") {
        tell(
            "byline",
            "TERM=dumb cannot show the reader; listing the articles instead",
        );
    }
    for warning in corpus.warnings() {
        tell("byline", &format!("warning: {}", warning.message));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let query = Query::parse(args.search.as_deref().unwrap_or(""));
    // Ranked as the reader lists them: headline matches first (no index: each is folded once).
    let store = &corpus.store;
    let everything: Vec<usize> = (0..store.len()).collect();
    let chosen = search::search(store, &query, &everything);
    let written = if args.json || args.markdown {
        let parsed: Vec<_> = chosen.iter().filter_map(|&i| store.parse(i)).collect();
        let articles: Vec<&Article> = parsed.iter().map(|a| &**a).collect();
        match args.json {
            true => loader::json::write(&articles, &mut out),
            false => out.write_all(export::markdown_all(&articles).as_bytes()),
        }
    } else {
        let listed: Vec<(usize, SummaryRef)> = (chosen.iter())
            .filter_map(|&i| Some((i, store.summary(i)?)))
            .collect();
        write_list(&listed, &mut out)
    };
    let written = written.and_then(|()| out.flush());
    // The process ends here: freeing a million summaries one by one would only delay that.
    std::mem::forget(corpus);
    finish(written)
}

/// The configuration from `--config`, or from the default place if a file is there.
fn load_settings(args: &Args) -> anyhow::Result<Settings> {
    let (path, required) = match &args.config {
        Some(path) => (path.clone(), true),
        None => match xdg() {
            Some(xdg) => (xdg.config_dir().join("byline/config.toml"), false),
            None => return Ok(Settings::default()),
        },
    };
    config::load(&path, required).map_err(|e| anyhow::anyhow!(e))
}

fn xdg() -> Option<etcetera::base_strategy::Xdg> {
    etcetera::base_strategy::Xdg::new().ok()
}

fn run_reader(
    corpus: Corpus,
    settings: Settings,
    args: &Args,
    inputs: &[Input],
    cache_dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    // Refused before the terminal is touched: a path byline did not write is never used.
    let opened = match (&args.state, xdg().and_then(|x| x.state_dir())) {
        (Some(path), _) => Some(state::open(path, !args.no_state, None)),
        (None, Some(dir)) => {
            let legacy = dir.join("byline/state.json");
            Some(state::open(
                &state::default_path(&dir),
                !args.no_state,
                Some(&legacy),
            ))
        }
        (None, None) => None,
    };
    let (mut saver, saved, notice) = match opened.transpose().map_err(|e| anyhow::anyhow!(e))? {
        Some(opened) => (opened.saver, opened.state, opened.notice),
        None => (
            None,
            state::State::default(),
            Some("no home directory; state is not saved".into()),
        ),
    };
    let options = Options {
        settings,
        color: std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
        input_key: state::input_key(&inputs.iter().map(input_name).collect::<Vec<_>>()),
        unsaved: saver.is_none(),
    };
    let mut app = Session::new(corpus, options, saved);
    let filter = args.search.clone().map(Msg::Filter);
    for msg in filter.into_iter().chain(notice.map(Msg::Notify)) {
        for command in app.update(msg) {
            if let Command::Persist(changes) = command {
                // A failure shows at the next save, in the status line.
                let _ = saver.persist(changes);
            }
        }
    }
    let every = refresh_every(&app.options().settings);
    let watch = Watch::new(inputs, cache_dir).map(|watch| match args.offline {
        true => watch,
        false => watch.fetching(every),
    });
    let finished = terminal::local::run(&mut app, &mut saver, watch)
        .map_err(|e| anyhow::anyhow!("terminal: {e}"))?;
    // Only now, on the main screen: on the alternate one it would vanish with it.
    if let Some(message) = finished.unsaved {
        tell("byline", &message);
    }
    Ok(ExitCode::from(finished.ending.exit_code()))
}

/// The inputs the arguments name: files, URLs, the feeds of OPML files; without arguments the
/// feeds of the `urls` file if there is one, else the sample. Also returns warnings to show.
fn inputs(paths: &[PathBuf]) -> anyhow::Result<(Vec<Input>, Vec<String>)> {
    if paths.is_empty() {
        let urls = xdg().map(|x| x.config_dir().join("byline/urls"));
        return match urls.filter(|path| path.exists()) {
            Some(path) => {
                let (feeds, notes) =
                    crate::feed::read_urls(&path).map_err(|e| anyhow::anyhow!(e))?;
                Ok((feeds.into_iter().map(Input::Feed).collect(), notes))
            }
            None => Ok((vec![Input::Sample], Vec::new())),
        };
    }
    let mut inputs = Vec::new();
    for path in paths {
        match Input::from_arg(path) {
            Input::Path(path) => match crate::feed::read_opml(&path) {
                Some(feeds) => {
                    let feeds = feeds.map_err(|e| anyhow::anyhow!(e))?;
                    inputs.extend(feeds.into_iter().map(Input::Feed));
                }
                None => inputs.push(Input::Path(path)),
            },
            input => inputs.push(input),
        }
    }
    Ok((inputs, Vec::new()))
}

/// Fetches the feeds among `inputs` into the cache now, saying on stderr what failed.
fn fetch_now(inputs: &[Input], cache_dir: Option<&std::path::Path>) {
    let urls: Vec<String> = (inputs.iter())
        .filter_map(|input| match input {
            Input::Feed(feed) => Some(feed.url.clone()),
            _ => None,
        })
        .collect();
    let Some(dir) = cache_dir.filter(|_| !urls.is_empty()) else {
        return;
    };
    let cache = crate::feed::cache::Cache::new(crate::feed::cache_dir(dir));
    let options = crate::feed::fetch::Options::default();
    // Failures are said by the loader, from the cache entry each one left.
    crate::feed::fetch::fetch_all(&urls, &cache, &options, &crate::feed::check, &|_| {});
}

/// How often feeds are fetched while byline runs, from the configuration.
fn refresh_every(settings: &Settings) -> Option<std::time::Duration> {
    let minutes = settings.refresh_minutes;
    (minutes > 0).then(|| std::time::Duration::from_secs(minutes.saturating_mul(60)))
}

/// `byline serve`: the inputs loaded once for every reader, keys read, served until a signal.
fn run_server(args: &ServeArgs, settings: Settings) -> anyhow::Result<ExitCode> {
    let xdg = xdg();
    let host_key = match (
        &args.host_key,
        xdg.as_ref().and_then(|x| x.data_dir().into()),
    ) {
        (Some(path), _) => path.clone(),
        (None, Some(dir)) => dir.join("byline/host_ed25519"),
        (None, None) => anyhow::bail!("no home directory: name the host key with --host-key"),
    };
    let authorized_keys = match (&args.authorized_keys, xdg.as_ref().map(|x| x.home_dir())) {
        (Some(path), _) => path.clone(),
        (None, Some(home)) => home.join(".ssh/authorized_keys"),
        (None, None) => anyhow::bail!("no home directory: name the keys with --authorized-keys"),
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!("serve reads files, not standard input");
    }
    let (key, made) = crate::serve::keys::host_key(&host_key).map_err(|e| anyhow::anyhow!(e))?;
    if made {
        let fingerprint = crate::serve::keys::fingerprint(key.public_key());
        let made = format!("made host key {} ({fingerprint})", host_key.display());
        tell("byline serve", &made);
    }
    let (inputs, notes) = inputs(&args.paths)?;
    for note in notes {
        tell("byline serve", &format!("warning: {note}"));
    }
    let cache_dir = xdg.as_ref().map(|x| x.cache_dir());
    let known = loader::Known {
        cache_dir: cache_dir.as_deref(),
        previous: None,
    };
    let corpus = loader::load_known(&inputs, known);
    if let Some(error) = corpus.errors().next() {
        anyhow::bail!("{}", error.message);
    }
    for warning in corpus.warnings() {
        tell("byline serve", &format!("warning: {}", warning.message));
    }
    let every = refresh_every(&settings);
    let watch = Watch::new(&inputs, cache_dir).map(|watch| watch.fetching(every));
    // Feeds are fetched for every reader at once; each reload that brings is shared.
    let _refresher = (watch.as_ref().and_then(|w| w.fetch_plan().cloned())).map(|plan| {
        crate::feed::refresh::Refresher::spawn(plan, |step| {
            if let crate::feed::refresh::Fetch::Done(report) = step {
                for failure in &report.failures {
                    tell("byline serve", &format!("fetch failed: {failure}"));
                }
            }
            true
        })
    });
    let library = crate::library::Shared::spawn(watch, std::sync::Arc::new(corpus.store));
    let config = crate::serve::Config {
        listen: args.listen,
        host_key: key,
        authorized_keys,
        state_dir: xdg
            .as_ref()
            .and_then(|x| x.state_dir())
            .map(|dir| dir.join("byline/serve")),
        settings,
        input_key: state::input_key(&inputs.iter().map(input_name).collect::<Vec<_>>()),
        limits: crate::serve::Limits {
            max_sessions: args.max_sessions,
            ..Default::default()
        },
        test_hooks: false,
    };
    crate::serve::run_until_signalled(config, library)?;
    Ok(ExitCode::SUCCESS)
}

/// An input as the state file remembers it: files by their absolute path.
fn input_name(input: &Input) -> String {
    match input {
        Input::Sample => "sample".into(),
        Input::Stdin => "-".into(),
        Input::Feed(feed) => feed.url.clone(),
        Input::Path(path) => std::fs::canonicalize(path)
            .unwrap_or_else(|_| path.clone())
            .to_string_lossy()
            .into_owned(),
    }
}

/// A closed pipe (`byline --list | head`) is a normal end, not an error.
fn finish(result: std::io::Result<()>) -> anyhow::Result<ExitCode> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::anyhow!("standard output: {e}"))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// One line per article: its 1-based place in the input, views (empty when unknown), headline.
pub fn write_list(articles: &[(usize, SummaryRef)], out: &mut impl Write) -> std::io::Result<()> {
    for (index, article) in articles {
        let views = article.views.map(|v| v.to_string()).unwrap_or_default();
        writeln!(out, "{}\t{views}\t{}", index + 1, article.headline)?;
    }
    Ok(())
}

/// True when byline can draw its reader: standard output is a terminal that is not `dumb`, and
/// keys can be read from standard input, or (when standard input was read for articles, as in
/// `cat dump | byline -`) from the controlling terminal, as less does.
pub fn can_draw(stdin_was_input: bool) -> bool {
    let keys =
        std::io::stdin().is_terminal() || (stdin_was_input && terminal::local::keyboard().is_ok());
    std::io::stdout().is_terminal()
        && keys
        && std::env::var("TERM").map_or(true, |term| term != "dumb")
}
