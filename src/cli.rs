//! The command line: arguments, the non-interactive outputs, and choosing the reader.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::app::{App, Options};
use crate::article::{Article, Corpus};
use crate::loader::{self, Input};
use crate::terminal;

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

    if !args.json && !args.list {
        return run_reader(corpus);
    }
    for warning in corpus.warnings() {
        eprintln!("byline: warning: {}", warning.message);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.json {
        loader::json::write(&corpus.articles, &mut out)
    } else {
        write_list(&corpus.articles, &mut out)
    };
    finish(written.and_then(|()| out.flush()))
}

fn run_reader(corpus: Corpus) -> anyhow::Result<ExitCode> {
    if !can_draw() {
        if std::env::var("TERM").is_ok_and(|term| term == "dumb") {
            eprintln!("byline: TERM=dumb cannot show the reader; listing the articles instead");
        }
        for warning in corpus.warnings() {
            eprintln!("byline: warning: {}", warning.message);
        }
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let written = write_list(&corpus.articles, &mut out);
        return finish(written.and_then(|()| out.flush()));
    }
    let options = Options {
        color: std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
        ..Options::default()
    };
    let mut app = App::new(corpus, options);
    terminal::run_local(&mut app).map_err(|e| anyhow::anyhow!("terminal: {e}"))?;
    Ok(ExitCode::SUCCESS)
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
