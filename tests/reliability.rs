//! The terminal is always given back, and article text never acts on it: the real binary in a
//! pseudo-terminal, ended and paused every way it can be.

mod support;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use portable_pty::{CommandBuilder, PtySize};
use support::pty::{Session, TIMEOUT, byline_command, cpu_ticks, process_state, rss_kib};

#[test]
fn a_panic_gives_the_terminal_back_before_its_message() {
    // No backtrace: it would push the message off the screen.
    let env = [("BYLINE_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")];
    let mut session = Session::start_env(None, &[], &env);
    session.wait_for_text("1/10");
    session.send("j");
    assert_eq!(session.exit_code(), 101);
    session.assert_restored();
    session.wait_for_text("BYLINE_TEST_PANIC is set");
    session.wait_for_text("Please report it on byline's issue tracker");
}

#[test]
fn ctrl_z_suspends_with_the_terminal_back_and_fg_redraws() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    session.send("j");
    session.wait_for_text("2/10");
    session.send("\x1a");
    let pid = session.pid();
    let start = Instant::now();
    while process_state(pid) != Some('T') {
        assert!(start.elapsed() < TIMEOUT, "byline did not stop");
        std::thread::sleep(Duration::from_millis(10));
    }
    session.assert_restored();
    // `fg`: the shell continues the job.
    session.signal(Signal::SIGCONT);
    session.wait_for("the alternate screen again", |screen| {
        screen.alternate_screen()
    });
    session.wait_for_text("2/10");
    session.wait_for_text("Chaotic showdown");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}

#[test]
fn a_storm_of_resizes_down_to_nothing_is_survived() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    let sizes = [
        (1, 1),
        (0, 0),
        (200, 0),
        (0, 50),
        (3, 2),
        (59, 15),
        (250, 80),
        (20, 5),
        (1, 40),
    ];
    for round in 0..20 {
        for (cols, rows) in sizes {
            let size = PtySize {
                rows: rows + round % 2,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            };
            session.master.resize(size).unwrap();
        }
        session.send("j");
    }
    session.resize(100, 30);
    session.send("g");
    session.wait_for_text("1/10");
    session.wait_for_text("Chaotic showdown over Guatemalan");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}

#[test]
fn a_closed_terminal_ends_byline_without_spinning() {
    let pair = support::pty::open(80, 24);
    let home = tempfile::tempdir().unwrap();
    let command = byline_command(home.path());
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("1/10") {
        let n = reader.read(&mut chunk).unwrap();
        assert!(n > 0, "byline ended early");
        seen.extend_from_slice(&chunk[..n]);
    }
    let pid = child.process_id().unwrap() as i32;
    let ticks_before = cpu_ticks(pid).unwrap();
    drop(reader);
    drop(pair.master);
    let closed = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(closed.elapsed() < TIMEOUT, "still running after the hangup");
        if let Some(ticks) = cpu_ticks(pid) {
            // Clock ticks are 10 ms: a spinning process would pile them up.
            assert!(
                ticks - ticks_before <= 10,
                "spinning: {} ticks",
                ticks - ticks_before
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(status.exit_code(), 129);
}

/// Escape sequences a hostile article might carry.
const HOSTILE: &[&str] = &[
    "\x1b[2J",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b]8;;https://evil.example/\x1b\\",
    "\x07",
    "\x1b[10;10H",
];

#[test]
fn escape_sequences_in_articles_never_reach_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("hostile.txt");
    let dump = format!(
        "Headline {} clear {} clip {} link {} bell {} move end\n\nBody {} clear {} clip {} link {} bell {} move tail.\nView 3 times\n",
        HOSTILE[0],
        HOSTILE[1],
        HOSTILE[2],
        HOSTILE[3],
        HOSTILE[4],
        HOSTILE[0],
        HOSTILE[1],
        HOSTILE[2],
        HOSTILE[3],
        HOSTILE[4],
    );
    std::fs::write(&path, dump).unwrap();
    let path = path.to_string_lossy().into_owned();
    let mut session =
        Session::start_full(Some(home.path()), &[&path], &[], 160, 30, "xterm-256color");
    session.wait_for_text("Headline");
    session.send("\r");
    // The rest of the article shows intact around the replaced bytes.
    session.wait_for_text("move tail.");
    session.wait_for_text("[2J clear");
    session.wait_for_text("cm0gLXJmIH4=");
    session.wait_for_text("evil.example/");
    session.send("q");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
    assert_eq!(
        written.matches("\x1b[2J").count(),
        1,
        "only byline's own clear at start"
    );
    for sequence in &HOSTILE[1..] {
        assert!(
            !written.contains(sequence),
            "{sequence:?} reached the terminal"
        );
    }
    assert!(!written.contains('\x07'));
    assert!(
        !written.contains("\x1b]"),
        "no operating system command at all"
    );
    // (After a U+FFFD, whose width terminals disagree on, the cursor is placed again.)
    for shown in [
        "Body \u{FFFD}",
        "[2J clear \u{FFFD}",
        "]52;c;cm0gLXJmIH4=\u{FFFD}",
    ] {
        assert!(written.contains(shown), "{shown:?} shown replaced");
    }
}

#[test]
fn with_stdout_redirected_not_one_escape_byte_goes_to_the_file() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out.txt");
    let script = format!("'{}' > '{}'", env!("CARGO_BIN_EXE_byline"), out.display());
    let mut session = Session::start_env(Some(home.path()), &[], &[]);
    session.send("q");
    session.wait_for_exit();
    // The same binary, run by a shell inside the pty with only stdout redirected.
    let pair = support::pty::open(80, 24);
    let mut command = CommandBuilder::new("sh");
    command.args(["-c", &script]);
    command.env("TERM", "xterm-256color");
    command.env("HOME", home.path());
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    assert!(child.wait().unwrap().success());
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !bytes.contains(&0x1b),
        "escape bytes in the redirected output"
    );
    assert!(String::from_utf8_lossy(&bytes).contains("10\t207\tNorth Korea"));
}

#[test]
fn a_held_key_leaves_no_backlog() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    // A frame for each of these keys at 60 frames a second would take over two minutes, longer
    // than the hang guard in exit_code.
    session.send(&"jk".repeat(5000));
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn a_terminal_that_stops_reading_neither_blocks_input_nor_grows_memory() {
    let mut session = Session::start(&[], 200, 50);
    session.wait_for_text("1/10");
    let pid = session.pid();
    session
        .paused
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let before = rss_kib(pid).unwrap();
    for _ in 0..200 {
        // Each of these would redraw the whole reading pane.
        session.send("j\rG\x1bgk");
    }
    std::thread::sleep(Duration::from_millis(300));
    let after = rss_kib(pid).unwrap();
    assert!(
        after < before + 8 * 1024,
        "memory grew from {before} KiB to {after} KiB"
    );
    // Input is still read while output is stuck: Ctrl-c gets through.
    session.writer.write_all(b"\x03").unwrap();
    session
        .paused
        .store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}

#[test]
fn an_idle_reader_draws_nothing_and_uses_no_cpu() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    let pid = session.pid();
    // Let the first frame and the save after start-up finish.
    std::thread::sleep(Duration::from_millis(500));
    let (bytes, ticks) = (
        session.written.lock().unwrap().len(),
        cpu_ticks(pid).unwrap(),
    );
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        session.written.lock().unwrap().len(),
        bytes,
        "something was drawn while idle"
    );
    assert!(cpu_ticks(pid).unwrap() - ticks <= 1, "busy while idle");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}
