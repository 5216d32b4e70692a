//! Running the real binary in a pseudo-terminal, its screen read back with vt100.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A guard against hangs, not a speed limit: speed is measured in `cargo bench`.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a size above zero")
}

/// A running byline on a pty, with everything it wrote fed to a terminal emulator.
pub struct Session {
    /// A HOME of its own when the test gave none, so no test reads or writes the user's files.
    pub _home_dir: Option<tempfile::TempDir>,
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte byline wrote.
    pub written: Arc<Mutex<Vec<u8>>>,
    /// While set, nothing byline writes is read.
    pub paused: Arc<std::sync::atomic::AtomicBool>,
}

impl Session {
    pub fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Session::start_in(None, args, cols, rows, "xterm-256color")
    }

    pub fn start_with_term(args: &[&str], cols: u16, rows: u16, term: &str) -> Session {
        Session::start_in(None, args, cols, rows, term)
    }

    /// Starts byline with `home` as HOME (a new empty directory when `None`).
    pub fn start_in(
        home: Option<&std::path::Path>,
        args: &[&str],
        cols: u16,
        rows: u16,
        term: &str,
    ) -> Session {
        Session::start_full(home, args, &[], cols, rows, term)
    }

    /// Starts byline with `home` as HOME (a new empty directory when `None`) and `env` set.
    pub fn start_full(
        home: Option<&std::path::Path>,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
        term: &str,
    ) -> Session {
        let byline = env!("CARGO_BIN_EXE_byline");
        Session::start_program(byline, home, args, env, cols, rows, term)
    }

    /// byline at 100x30 with `env` set, `home` as for [`Session::start_full`].
    pub fn start_env(
        home: Option<&std::path::Path>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Session {
        Session::start_full(home, args, env, 100, 30, "xterm-256color")
    }

    /// `program` (byline inside a shell command line, say) with byline's home and terminal.
    pub fn start_program(
        program: &str,
        home: Option<&std::path::Path>,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
        term: &str,
    ) -> Session {
        let home_dir = match home {
            Some(_) => None,
            None => Some(tempfile::tempdir().expect("a temporary home")),
        };
        let home = home.map_or_else(
            || home_dir.as_ref().unwrap().path().to_owned(),
            |h| h.to_owned(),
        );
        let pair = open(cols, rows);
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", term);
        command.env_remove("NO_COLOR");
        // The pty is on this machine, whatever the shell that runs the tests came in by.
        for name in ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"] {
            command.env_remove(name);
        }
        command.env("HOME", &home);
        command.env("XDG_CONFIG_HOME", home.join(".config"));
        command.env("XDG_STATE_HOME", home.join(".local/state"));
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).expect("byline starts");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().expect("a pty reader");
        let sink = Arc::clone(&parser);
        let written = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&written);
        let paused = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let pause = Arc::clone(&paused);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                // A paused reader stands for a terminal that stopped reading (a stalled link).
                while pause.load(std::sync::atomic::Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let Ok(n) = reader.read(&mut chunk) else {
                    break;
                };
                if n == 0 {
                    break;
                }
                log.lock().unwrap().extend_from_slice(&chunk[..n]);
                sink.lock().unwrap().process(&chunk[..n]);
            }
        });
        let writer = pair.master.take_writer().expect("a pty writer");
        Session {
            _home_dir: home_dir,
            master: pair.master,
            writer,
            child,
            parser,
            written,
            paused,
        }
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen satisfies `condition`, failing with the screen after a timeout.
    pub fn wait_for(&self, what: &str, condition: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            {
                let parser = self.parser.lock().unwrap();
                if condition(parser.screen()) {
                    return;
                }
                if start.elapsed() > TIMEOUT {
                    panic!(
                        "timed out waiting for {what}; screen:\n{}",
                        parser.screen().contents()
                    );
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn wait_for_text(&self, text: &str) {
        self.wait_for(text, |screen| screen.contents().contains(text));
    }

    pub fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < TIMEOUT, "byline did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Asserts that the terminal is as byline found it: main screen, cursor shown, no mouse
    /// reporting, and the line discipline back in canonical mode with echo.
    /// The screen's text as it is now.
    pub fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn assert_restored(&self) {
        self.wait_for("the main screen", |screen| !screen.alternate_screen());
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.hide_cursor(), "the cursor is hidden");
        assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        let termios = self.master.get_termios().expect("termios of the pty");
        use nix::sys::termios::LocalFlags;
        assert!(
            termios
                .local_flags
                .contains(LocalFlags::ICANON | LocalFlags::ECHO),
            "raw mode is still on"
        );
    }
}

impl Session {
    /// Resizes the pty, and the emulated screen with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        self.master.resize(size).expect("the pty resizes");
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
    }

    pub fn pid(&mut self) -> i32 {
        self.child.process_id().expect("a running child") as i32
    }

    pub fn signal(&mut self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(self.pid());
        nix::sys::signal::kill(pid, signal).expect("the signal is sent");
    }

    /// Waits for the exit and returns the status code.
    pub fn exit_code(&mut self) -> u32 {
        self.wait_for_exit().exit_code()
    }
}

/// The scheduler state of a process (`S` sleeping, `R` running, `T` stopped), from /proc.
pub fn process_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim_start().chars().next()
}

/// Resident memory of a process in KiB, from /proc.
pub fn rss_kib(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time a process has used so far, in clock ticks, from /proc.
pub fn cpu_ticks(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The state database byline keeps under `home`.
pub fn state_file(home: &std::path::Path) -> std::path::PathBuf {
    home.join(".local/state/byline/state.db")
}

/// The marks saved under `home` (empty when nothing is), read without writing anything.
pub fn saved_state(home: &std::path::Path) -> byline::state::State {
    byline::state::open(&state_file(home), false, None)
        .map(|opened| opened.state)
        .unwrap_or_default()
}

/// The id of the sample's article `index`.
pub fn sample_id(index: usize) -> String {
    byline::loader::load(&[byline::loader::Input::Sample])
        .store
        .summary(index)
        .unwrap()
        .id
        .to_owned()
}

/// A bare pty of `cols`x`rows`, for tests that drive it by hand.
pub fn open(cols: u16, rows: u16) -> portable_pty::PtyPair {
    native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty")
}

/// Starts on the sample in `home`, opens the second article and waits until it shows as read.
pub fn start_and_read_one(home: &std::path::Path) -> Session {
    let mut session = Session::start_in(Some(home), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    session.send("j\r");
    session.wait_for_text("9 unread");
    session
}

/// The state in `home` has the second article read: the run that read it saved it.
pub fn assert_read_was_saved(home: &std::path::Path) {
    let saved = saved_state(home);
    assert!(
        saved.articles.get(&sample_id(1)).is_some_and(|m| m.read),
        "{saved:?}"
    );
}

/// A stand-in program: a shell script in `dir` that runs `body`.
pub fn script(dir: &std::path::Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_string_lossy().into_owned()
}

/// The binary as a command for a pty of the test's own, with `home` for its files.
pub fn byline_command(home: &std::path::Path) -> CommandBuilder {
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_byline"));
    command.env("TERM", "xterm-256color");
    command.env("HOME", home);
    command.env("XDG_STATE_HOME", home.join("state"));
    command.env("XDG_CONFIG_HOME", home.join("config"));
    command
}
