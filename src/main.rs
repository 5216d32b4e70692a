use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = byline::cli::Args::parse();
    match byline::cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("byline: {error:#}");
            ExitCode::from(2)
        }
    }
}
