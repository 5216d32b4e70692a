//! Signals from outside, aborts from inside and terminals that lie about their size: the real
//! binary in a pseudo-terminal, checked for the terminal it leaves, its exit status and the
//! state it kept.

mod support;

use std::io::Read;
use std::os::fd::BorrowedFd;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use nix::sys::termios::{LocalFlags, SetArg, Termios};
use portable_pty::{CommandBuilder, PtySize};
use support::pty::{
    Session, TIMEOUT, assert_read_was_saved, byline_command, process_state, script,
    start_and_read_one,
};

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn termios(session: &Session) -> Termios {
    session.master.get_termios().expect("termios of the pty")
}

fn in_raw_mode(session: &Session) -> bool {
    !termios(session).local_flags.contains(LocalFlags::ICANON)
}

/// No core file from an abort in the working directory.
fn no_core_files() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (_, hard) = getrlimit(Resource::RLIMIT_CORE).expect("the core limit");
    setrlimit(Resource::RLIMIT_CORE, 0, hard).expect("no core files");
}

#[test]
fn an_abort_gives_the_terminal_back_and_says_that_reset_restores_it() {
    no_core_files();
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    session.send("j");
    session.wait_for_text("2/10");
    session.signal(Signal::SIGABRT);
    let status = session.wait_for_exit();
    assert_eq!(
        status.signal(),
        Some("Aborted"),
        "it still dies of the abort"
    );
    session.assert_restored();
    session.wait_for_text("type `reset` to restore it");
}

#[test]
fn running_out_of_memory_gives_the_terminal_back_and_says_that_reset_restores_it() {
    no_core_files();
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    let pid = session.pid();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmSize:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    // Room for what byline has now and a little more, not for a screen of 1000x500.
    use nix::libc::{RLIMIT_AS, prlimit, rlimit};
    let mut limit = rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: prlimit reads and writes only the `rlimit` passed to it.
    assert_eq!(
        unsafe { prlimit(pid, RLIMIT_AS, std::ptr::null(), &mut limit) },
        0
    );
    limit.rlim_cur = (kib + 8 * 1024) * 1024;
    // SAFETY: as above.
    assert_eq!(
        unsafe { prlimit(pid, RLIMIT_AS, &limit, std::ptr::null_mut()) },
        0
    );
    // Only the pty grows: the emulated screen keeps its size.
    let size = PtySize {
        rows: 500,
        cols: 1000,
        pixel_width: 0,
        pixel_height: 0,
    };
    session.master.resize(size).unwrap();
    let status = session.wait_for_exit();
    assert_eq!(status.signal(), Some("Aborted"));
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
    assert!(
        written.contains("memory allocation of"),
        "an allocation failed"
    );
    session.assert_restored();
    session.wait_for_text("type `reset` to restore it");
}

#[test]
fn sigterm_sigint_sigquit_sigusr1_and_every_other_ending_signal_save_and_give_the_terminal_back() {
    let signals = [
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGQUIT,
        Signal::SIGUSR1,
        Signal::SIGUSR2,
        Signal::SIGALRM,
        Signal::SIGVTALRM,
        Signal::SIGPROF,
        Signal::SIGXCPU,
        Signal::SIGXFSZ,
    ];
    for signal in signals {
        let home = tempfile::tempdir().unwrap();
        let mut session = start_and_read_one(home.path());
        session.signal(signal);
        assert_eq!(session.exit_code(), 128 + signal as u32, "{signal}");
        session.assert_restored();
        assert_read_was_saved(home.path());
    }
}

#[test]
fn sighup_on_a_live_terminal_gives_it_back_before_exiting_129() {
    let home = tempfile::tempdir().unwrap();
    let mut session = start_and_read_one(home.path());
    session.signal(Signal::SIGHUP);
    assert_eq!(session.exit_code(), 129);
    session.assert_restored();
    assert_read_was_saved(home.path());
}

#[test]
fn kill_stop_then_cont_comes_back_in_raw_mode_with_the_screen_redrawn() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    session.send("j");
    session.wait_for_text("2/10");
    session.signal(Signal::SIGSTOP);
    let pid = session.pid();
    wait_until("byline to stop", || process_state(pid) == Some('T'));
    // What a shell does to a stopped job's terminal: its own line mode, a line about the job.
    let mut cooked = termios(&session);
    cooked.local_flags |= LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG;
    let fd = session.master.as_raw_fd().expect("the pty's descriptor");
    // SAFETY: the descriptor belongs to `session.master`, which outlives this call.
    let master = unsafe { BorrowedFd::borrow_raw(fd) };
    nix::sys::termios::tcsetattr(master, SetArg::TCSANOW, &cooked).expect("line mode");
    session
        .parser
        .lock()
        .unwrap()
        .process(b"\x1b[1;1H[1]+  Stopped                 byline");
    session.signal(Signal::SIGCONT);
    wait_until("raw mode again", || in_raw_mode(&session));
    session.wait_for("a full redraw", |screen| {
        !screen.contents().contains("Stopped") && screen.contents().contains("2/10")
    });
    // Keys arrive one by one again, without Enter.
    session.send("j");
    session.wait_for_text("3/10");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}

#[test]
fn ctrl_c_and_ctrl_backslash_in_the_pager_go_to_the_pager_and_byline_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("signals.log");
    // A trap only takes in a shell that did not start with the signal ignored: this pager
    // notes each signal it really gets, and ends on SIGQUIT. Its sleeps run in the background,
    // where a shell ignores both signals.
    let body = format!(
        "cat > /dev/null\n\
         trap 'echo int >> \"{log}\"' INT\n\
         trap 'echo quit >> \"{log}\"; exit 0' QUIT\n\
         echo ready >> \"{log}\"\n\
         while :; do sleep 1 & wait $!; done",
        log = log.display()
    );
    let pager = script(dir.path(), "pager", &body);
    let mut session = Session::start_env(Some(dir.path()), &[], &[("PAGER", &pager)]);
    let logged = |line: &str| {
        std::fs::read_to_string(&log).is_ok_and(|text| text.lines().any(|l| l == line))
    };
    session.wait_for_text("1/10");
    session.send("v");
    wait_until("the pager", || logged("ready"));
    session.send("\x03");
    wait_until("the pager's SIGINT", || logged("int"));
    session.send("\x1c");
    wait_until("the pager's SIGQUIT", || logged("quit"));
    session.wait_for_text("pager finished");
    session.wait_for("the reader again", |screen| {
        screen.alternate_screen() && screen.contents().contains("Chaotic showdown")
    });
    session.send("j");
    session.wait_for_text("2/10");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}

#[test]
fn a_state_that_cannot_be_saved_is_said_on_the_main_screen_with_its_path_cleaned() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("state\x1b]0;pwned\x07");
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("state.db");
    let name = path.to_string_lossy().into_owned();
    let mut session = Session::start_in(
        Some(home.path()),
        &["--state", &name],
        100,
        30,
        "xterm-256color",
    );
    session.wait_for_text("1/10");
    // Another process holds the database for longer than byline waits at the end: the last
    // change cannot be saved, and byline must say so where it can be read.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    session.send("s");
    session.wait_for_text("★");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
    session.wait_for_text("byline: cannot save");
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
    assert!(
        !written.contains("\x1b]0;pwned"),
        "the path retitled the terminal"
    );
    assert!(written.contains("state\u{FFFD}]0;pwned\u{FFFD}/state.db"));
    other.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn a_terminal_claiming_65535_by_65535_gets_a_reader_not_an_abort() {
    let pair = support::pty::open(u16::MAX, u16::MAX);
    let home = tempfile::tempdir().unwrap();
    let command = byline_command(home.path());
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    // Too big a screen for an emulator: the output is only searched.
    let written = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&written);
    let mut reader = pair.master.try_clone_reader().unwrap();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 65536];
        while let Ok(n @ 1..) = reader.read(&mut chunk) {
            log.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    let shows = |text: &str| String::from_utf8_lossy(&written.lock().unwrap()).contains(text);
    let start = Instant::now();
    while !shows("1/10") {
        let ended = child.try_wait().unwrap();
        assert!(ended.is_none(), "byline ended: {ended:?}");
        assert!(start.elapsed() < TIMEOUT, "no reader drawn");
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut writer = pair.master.take_writer().unwrap();
    std::io::Write::write_all(&mut writer, b"q").unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < TIMEOUT, "byline did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.exit_code(), 0, "{status:?}");
}

/// A job-control shell on a pty, ready for a command: byline started from it is a job in a
/// process group a shell looks after, as at a real prompt.
fn start_shell(home: &std::path::Path, env: &[(&str, &str)]) -> Session {
    let pair = support::pty::open(100, 30);
    let mut command = CommandBuilder::new("sh");
    command.arg("-i");
    command.env("TERM", "xterm-256color");
    command.env("HOME", home);
    command.env("XDG_CONFIG_HOME", home.join(".config"));
    command.env("XDG_STATE_HOME", home.join(".local/state"));
    command.env("PS1", "prompt$ ");
    // No start-up file: only the prompt set here.
    command.env_remove("ENV");
    for (name, value) in env {
        command.env(name, value);
    }
    let child = pair.slave.spawn_command(command).expect("sh starts");
    drop(pair.slave);
    let rows = support::pty::nonzero(30);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        rows,
        support::pty::nonzero(100),
        0,
    )));
    let written = Arc::new(Mutex::new(Vec::new()));
    let (sink, log) = (Arc::clone(&parser), Arc::clone(&written));
    let mut reader = pair.master.try_clone_reader().expect("a pty reader");
    std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(n @ 1..) = reader.read(&mut chunk) {
            log.lock().unwrap().extend_from_slice(&chunk[..n]);
            sink.lock().unwrap().process(&chunk[..n]);
        }
    });
    let writer = pair.master.take_writer().expect("a pty writer");
    let session = Session {
        _home_dir: None,
        master: pair.master,
        writer,
        child,
        parser,
        written,
        paused: Arc::new(std::sync::atomic::AtomicBool::new(false)),
    };
    session.wait_for_text("prompt$");
    session
}

#[test]
fn ctrl_z_in_the_pager_stops_the_whole_job_and_fg_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("pager.log");
    let go = dir.path().join("go");
    let body = format!(
        "cat > /dev/null\n\
         echo ready >> \"{log}\"\n\
         while [ ! -e \"{go}\" ]; do sleep 0.1; done",
        log = log.display(),
        go = go.display()
    );
    let pager = script(dir.path(), "pager", &body);
    let mut session = start_shell(dir.path(), &[("PAGER", &pager)]);
    session.send(&format!("'{}'\r", env!("CARGO_BIN_EXE_byline")));
    session.wait_for_text("1/10");
    session.send("v");
    wait_until("the pager", || log.exists());
    session.send("\x1a");
    // Byline stops with its pager, so the shell has its prompt back rather than a frozen job.
    session.wait_for_text("Stopped");
    std::fs::write(&go, "").unwrap();
    session.send("fg\r");
    session.wait_for("the reader again", |screen| {
        screen.alternate_screen() && screen.contents().contains("pager finished")
    });
    wait_until("raw mode", || in_raw_mode(&session));
    session.send("q");
    session.wait_for("the prompt again", |screen| {
        !screen.alternate_screen() && screen.contents().matches("prompt$").count() >= 3
    });
    session.send("exit\r");
    assert_eq!(session.exit_code(), 0);
}
