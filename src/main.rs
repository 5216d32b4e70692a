use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = byline::cli::Args::parse();
    match byline::cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            // Messages can quote the input (a bad key, a JSON string): never let it act.
            byline::text::tell("byline", &format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}
