//! The command line: arguments, the non-interactive outputs, and choosing the reader.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::article::{Article, Corpus};
use crate::loader::{self, Input};

const EXAMPLES: &str = "\
Examples:
  byline                      read the built-in sample
  byline dumps/               read every .txt/.json/.jsonl file in dumps/, by name
  byline --list today.txt     print index, views and headline, tab-separated
  byline --json a.txt > a.json
  curl -s URL | byline -      read a dump from standard input";

/// A terminal reader for news article dumps.
#[derive(Debug, Parser)]
#[command(version, about, after_help = EXAMPLES)]
pub struct Args {
    /// Dump or JSON files, directories of them, or - for standard input [default: the sample]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print one line per article (index, views, headline; tab-separated) and exit
    #[arg(long, conflicts_with = "json")]
    pub list: bool,

    /// Print the articles as a JSON array and exit
    #[arg(long)]
    pub json: bool,
}

/// What `main` should do after loading.
enum Output {
    List,
    Json,
    Reader,
}

/// Runs byline with parsed arguments. Errors are returned for `main` to print in one line.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let inputs: Vec<Input> = if args.paths.is_empty() {
        vec![Input::Sample]
    } else {
        args.paths.iter().map(|p| Input::from_arg(p)).collect()
    };
    let corpus = loader::load(&inputs);
    let errors: Vec<&str> = corpus.errors().map(|p| p.message.as_str()).collect();
    if let Some((last, others)) = errors.split_last() {
        for error in others {
            eprintln!("byline: {error}");
        }
        anyhow::bail!("{last}");
    }

    let output = if args.json {
        Output::Json
    } else if args.list {
        Output::List
    } else {
        Output::Reader
    };
    if !matches!(output, Output::Reader) {
        for warning in corpus.warnings() {
            eprintln!("byline: warning: {}", warning.message);
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match output {
        Output::List => write_list(&corpus.articles, &mut out),
        Output::Json => loader::json::write(&corpus.articles, &mut out),
        Output::Reader => return run_reader(corpus),
    };
    finish(written.and_then(|()| out.flush()))
}

fn run_reader(corpus: Corpus) -> anyhow::Result<ExitCode> {
    for warning in corpus.warnings() {
        eprintln!("byline: warning: {}", warning.message);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = writeln!(
        out,
        "byline: the reader is not built yet; listing the articles"
    )
    .and_then(|()| write_list(&corpus.articles, &mut out));
    finish(written.and_then(|()| out.flush()))
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

/// One line per article: 1-based index, views (empty when unknown), headline.
pub fn write_list(articles: &[Article], out: &mut impl Write) -> std::io::Result<()> {
    for (index, article) in articles.iter().enumerate() {
        let views = article.views.map(|v| v.to_string()).unwrap_or_default();
        writeln!(out, "{}\t{views}\t{}", index + 1, article.headline)?;
    }
    Ok(())
}

/// True when byline can draw its reader: both ends are a terminal that is not `dumb`.
pub fn can_draw() -> bool {
    std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal()
        && std::env::var("TERM").map_or(true, |term| term != "dumb")
}
