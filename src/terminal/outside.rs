//! Doing the app's outside work ([`Effect`]): the clipboard through the terminal, and other
//! programs that borrow the terminal (the pager, the editor, a pipe), and files.

use std::io::{self, BufRead, Write};
use std::process::{Command, Stdio};

use base64::Engine;

use super::Host;
use super::runtime::lend;
use super::screen::Screen;
use crate::document::group_thousands;
use crate::session::{Effect, Msg};
use crate::text::clean_line;

/// The longest clipboard escape sent: many terminals ignore longer ones (xterm, tmux and
/// others stop around 100 KB).
pub const CLIPBOARD_LIMIT: usize = 100_000;

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

/// Does `effect`; returns the message that reports how it went.
pub(super) fn perform(
    effect: Effect,
    clipboard: bool,
    host: &mut impl Host,
    screen: &mut Screen,
) -> io::Result<Msg> {
    let message = match effect {
        Effect::Copy { text, what } => copy(&text, what, clipboard, screen),
        Effect::Save {
            path,
            text,
            overwrite,
        } => match crate::save::save(&path, &text, overwrite) {
            crate::save::Outcome::Done(message) => message,
            crate::save::Outcome::Exists(path) => return Ok(Msg::Exists(path)),
        },
        Effect::Page(text) => {
            let pager = std::env::var("PAGER").ok().filter(|p| !p.trim().is_empty());
            let pager = pager.unwrap_or_else(|| "less".to_owned());
            lend(host, screen, &mut || run_with_input(&pager, &text, false))?
        }
        Effect::Edit(text) => {
            let editor = ["VISUAL", "EDITOR"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()));
            let editor = editor.unwrap_or_else(|| "vi".to_owned());
            lend(host, screen, &mut || edit(&editor, &text))?
        }
        Effect::Pipe { command, text } => {
            lend(host, screen, &mut || run_with_input(&command, &text, true))?
        }
    };
    Ok(Msg::Notify(message))
}

fn copy(text: &str, what: &str, allowed: bool, screen: &mut Screen) -> String {
    match clipboard_sequence(text, what, allowed) {
        Ok(sequence) => {
            let _ = screen.frame.write_all(sequence.as_bytes());
            screen.commit();
            format!(
                "Copied {} characters",
                group_thousands(text.chars().count() as u64)
            )
        }
        Err(refusal) => refusal,
    }
}

/// The escape that copies `text`, or why it is not sent.
fn clipboard_sequence(text: &str, what: &str, allowed: bool) -> Result<String, String> {
    if !allowed {
        return Err("Copying is off (clipboard = false in the configuration)".into());
    }
    let sequence = osc52(text);
    if sequence.len() > CLIPBOARD_LIMIT {
        let characters = group_thousands(text.chars().count() as u64);
        return Err(format!(
            "Not copied: the {what} has {characters} characters, over the terminal's 100 KB"
        ));
    }
    Ok(sequence)
}

/// Runs `command` through the shell with `text` on its standard input. With `wait_for_enter`
/// (a pipe, whose output would vanish under the redrawn screen) it waits for Enter afterwards.
fn run_with_input(command: &str, text: &str, wait_for_enter: bool) -> String {
    let mut shell = shell(command);
    shell.stdin(Stdio::piped());
    // A pipe's errors stay on screen with its output until Enter; a pager's would be left on
    // the shell's screen after byline ends, so they go to the status line instead.
    if !wait_for_enter {
        shell.stderr(Stdio::piped());
    }
    let mut child = match shell.spawn() {
        Ok(child) => child,
        Err(e) => return format!("Cannot run sh: {e}"),
    };
    let errors = child.stderr.take().map(read_in_background);
    if let Some(mut input) = child.stdin.take() {
        // A program that stops reading early (a pager quit on page one) is not an error.
        let _ = input.write_all(text.as_bytes());
    }
    let status = child.wait();
    let outcome = with_error(describe(command, status), errors);
    if wait_for_enter {
        // The outcome quotes the command and may quote an error: neither may act.
        print!(
            "\r\n[{}] Press Enter to return to byline ",
            clean_line(&outcome)
        );
        let _ = io::stdout().flush();
        if let Ok(keyboard) = super::local::keyboard() {
            let _ = io::BufReader::new(keyboard).read_line(&mut String::new());
        }
    }
    outcome
}

fn edit(editor: &str, text: &str) -> String {
    let file = tempfile::Builder::new()
        .prefix("byline-")
        .suffix(".txt")
        .tempfile();
    let file = match file {
        Ok(file) => file,
        Err(e) => return format!("Cannot make a temporary file: {e}"),
    };
    if let Err(e) = std::fs::write(file.path(), text) {
        return format!("Cannot write {}: {e}", file.path().display());
    }
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o444));
    let path = file.path().to_string_lossy().into_owned();
    // The editor reads keys from the terminal, even when byline's input was a piped dump.
    let keyboard = super::local::keyboard().map_or(Stdio::inherit(), Stdio::from);
    let child = shell(&format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .stdin(keyboard)
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return format!("Cannot run sh: {e}"),
    };
    let errors = child.stderr.take().map(read_in_background);
    with_error(describe(editor, child.wait()), errors)
}

/// Reads a child's error output to its end on a thread of its own, so a chatty child never
/// blocks on it; keeps the last few KiB.
fn read_in_background(mut stream: std::process::ChildStderr) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let (mut kept, mut chunk) = (Vec::new(), [0u8; 4096]);
        while let Ok(n @ 1..) = io::Read::read(&mut stream, &mut chunk) {
            kept.extend_from_slice(&chunk[..n]);
            let excess = kept.len().saturating_sub(8192);
            kept.drain(..excess);
        }
        String::from_utf8_lossy(&kept).into_owned()
    })
}

/// `outcome`, and the last line the program wrote to its error output when it failed.
fn with_error(outcome: String, errors: Option<std::thread::JoinHandle<String>>) -> String {
    let errors = errors
        .and_then(|reading| reading.join().ok())
        .unwrap_or_default();
    let last = errors.lines().rev().find(|l| !l.trim().is_empty());
    match last {
        Some(line) if !outcome.ends_with("finished") && !outcome.ends_with("not found") => {
            format!("{outcome}: {}", line.trim())
        }
        _ => outcome,
    }
}

/// `sh -c script`, with Ctrl-c and Ctrl-\ (SIGINT, SIGQUIT) for the programs it runs: they get
/// them at their defaults (byline ignores them meanwhile), and the shell waits for them rather
/// than dying and handing the terminal back while a pager still has it.
fn shell(script: &str) -> Command {
    use nix::sys::signal::{SigHandler, Signal, signal};
    use std::os::unix::process::CommandExt;
    let defaults = || {
        for interrupt in [Signal::SIGINT, Signal::SIGQUIT] {
            // SAFETY: the default action is no handler; sigaction is safe between fork and exec.
            unsafe { signal(interrupt, SigHandler::SigDfl) }?;
        }
        Ok(())
    };
    let mut command = Command::new("sh");
    command.arg("-c").arg(format!("trap : INT QUIT\n{script}"));
    // SAFETY: `defaults` only calls sigaction, which is async-signal-safe.
    unsafe { command.pre_exec(defaults) };
    command
}

/// A program's exit in words; the shell's 127 means it was not found.
fn describe(command: &str, status: io::Result<std::process::ExitStatus>) -> String {
    let name = command.split_whitespace().next().unwrap_or(command);
    match status {
        Ok(status) if status.code() == Some(127) => format!("{name}: command not found"),
        Ok(status) if status.success() => format!("{name} finished"),
        Ok(status) => match status.code() {
            Some(code) => format!("{name} exited with status {code}"),
            None => format!("{name} was stopped by a signal"),
        },
        Err(e) => format!("Cannot run {name}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_the_clipboard_escape_with_base64() {
        assert_eq!(osc52("Peña"), "\x1b]52;c;UGXDsWE=\x07");
    }

    #[test]
    fn long_text_and_a_disabled_clipboard_are_refused_with_a_reason() {
        let long = "x".repeat(80_000);
        let refusal = clipboard_sequence(&long, "article", true).unwrap_err();
        assert_eq!(
            refusal,
            "Not copied: the article has 80,000 characters, over the terminal's 100 KB"
        );
        assert!(clipboard_sequence(&"x".repeat(70_000), "article", true).is_ok());
        assert!(
            clipboard_sequence("short", "headline", false)
                .unwrap_err()
                .contains("clipboard = false")
        );
    }

    #[test]
    fn exit_statuses_read_as_words() {
        use std::os::unix::process::ExitStatusExt;
        let status = |code: i32| Ok(std::process::ExitStatus::from_raw(code << 8));
        assert_eq!(describe("less -R", status(0)), "less finished");
        assert_eq!(describe("nope", status(127)), "nope: command not found");
        assert_eq!(describe("grep x", status(1)), "grep exited with status 1");
    }
}
