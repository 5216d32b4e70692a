//! The real binary in a pseudo-terminal, its screen read back with vt100.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const TIMEOUT: Duration = Duration::from_secs(10);

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a size above zero")
}

/// A running byline on a pty, with everything it wrote fed to a terminal emulator.
struct Session {
    /// A HOME of its own when the test gave none, so no test reads or writes the user's files.
    _home_dir: Option<tempfile::TempDir>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte byline wrote.
    written: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Session::start_in(None, args, cols, rows, "xterm-256color")
    }

    fn start_with_term(args: &[&str], cols: u16, rows: u16, term: &str) -> Session {
        Session::start_in(None, args, cols, rows, term)
    }

    /// Starts byline with `home` as HOME (a new empty directory when `None`).
    fn start_in(
        home: Option<&std::path::Path>,
        args: &[&str],
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
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_byline"));
        command.args(args);
        command.env("TERM", term);
        command.env_remove("NO_COLOR");
        command.env("HOME", &home);
        command.env("XDG_CONFIG_HOME", home.join(".config"));
        command.env("XDG_STATE_HOME", home.join(".local/state"));
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
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
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
        }
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen satisfies `condition`, failing with the screen after a timeout.
    fn wait_for(&self, what: &str, condition: impl Fn(&vt100::Screen) -> bool) {
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

    fn wait_for_text(&self, text: &str) {
        self.wait_for(text, |screen| screen.contents().contains(text));
    }

    fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
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
    fn assert_restored(&self) {
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

#[test]
fn read_search_and_quit_leave_the_terminal_intact() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("Chaotic showdown over Guatemalan");
    session.wait_for("the alternate screen", |screen| screen.alternate_screen());
    session.wait_for_text("1/10");
    session.send("j");
    session.wait_for_text("2/10");
    session.send("\r");
    session.wait_for_text("Billionaire and onetime top White House advisor");
    session.send("/NATO");
    session.wait_for_text("1 of 10");
    session.send("\r");
    session.wait_for_text("/NATO 1 of 10");
    session.wait_for_text("list");
    session.send("q");
    let status = session.wait_for_exit();
    assert!(status.success(), "{status:?}");
    session.assert_restored();
}

#[test]
fn ctrl_c_in_the_reader_quits_and_restores() {
    let mut session = Session::start(&[], 80, 24);
    session.wait_for_text("1/10");
    session.send("\r");
    session.wait_for_text("reader");
    session.send("\x03");
    let status = session.wait_for_exit();
    assert!(status.success());
    session.assert_restored();
}

#[test]
fn a_resize_redraws_at_the_new_size() {
    let mut session = Session::start(&[], 120, 30);
    session.wait_for_text("1/10");
    session
        .master
        .resize(PtySize {
            rows: 20,
            cols: 50,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    session
        .parser
        .lock()
        .unwrap()
        .screen_mut()
        .set_size(nonzero(20), nonzero(50));
    // Below 60 columns only the list shows, with its hint at the right edge.
    session.wait_for("the single-pane layout", |screen| {
        screen
            .contents_between(19, 0, 19, 50)
            .trim_end()
            .ends_with("? help")
            && !screen.contents().contains("│")
    });
    session.send("q");
    assert!(session.wait_for_exit().success());
}

#[test]
fn term_dumb_gets_the_list_with_a_note() {
    let mut session = Session::start_with_term(&[], 100, 30, "dumb");
    let status = session.wait_for_exit();
    assert!(status.success());
    session.wait_for_text("North Korea releases propaganda video");
    let parser = session.parser.lock().unwrap();
    let contents = parser.screen().contents();
    assert!(contents.contains("TERM=dumb"), "{contents}");
    assert!(!parser.screen().alternate_screen());
}

fn state_file(home: &std::path::Path) -> std::path::PathBuf {
    home.join(".local/state/byline/state.json")
}

fn sample_id(index: usize) -> String {
    byline::loader::load(&[byline::loader::Input::Sample]).articles[index]
        .id
        .clone()
}

/// The row of the list that shows `headline`'s start (just after the marker columns).
fn row_with(screen: &vt100::Screen, headline: &str) -> String {
    screen
        .contents()
        .lines()
        .find(|line| line.find(headline).is_some_and(|at| at < 8))
        .unwrap_or_else(|| panic!("no row with {headline}"))
        .to_owned()
}

#[test]
fn reading_state_and_position_survive_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("10 unread");
    session.send("jj\r");
    session.wait_for_text("The report, released by the Montreal Institute");
    session.wait_for_text("9 unread");
    session.send("q");
    session.wait_for_text(" list ");
    session.send("q");
    assert!(session.wait_for_exit().success());

    let mut again = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    again.wait_for_text("3/10");
    again.wait_for_text("9 unread");
    again.wait_for_text("The report, released by the Montreal Institute");
    {
        let parser = again.parser.lock().unwrap();
        let read_row = row_with(parser.screen(), "Report calls on NATO");
        assert!(!read_row.starts_with('●'), "{read_row}");
        assert!(row_with(parser.screen(), "Elon Musk says").starts_with('●'));
    }
    again.send("q");
    assert!(again.wait_for_exit().success());
}

#[test]
fn a_corrupt_state_file_is_moved_aside_and_reported() {
    let home = tempfile::tempdir().unwrap();
    let path = state_file(home.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"{\"version\": 1, \"articles\": [tor").unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 120, 30, "xterm-256color");
    session.wait_for_text("corrupt state file");
    session.send("q");
    assert!(session.wait_for_exit().success());
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let aside = names
        .iter()
        .find(|n| n.starts_with("state.json.corrupt-"))
        .expect("moved aside");
    let kept = std::fs::read(path.parent().unwrap().join(aside)).unwrap();
    assert_eq!(kept, b"{\"version\": 1, \"articles\": [tor");
}

#[test]
fn no_state_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mut session = Session::start_in(
        Some(home.path()),
        &["--no-state"],
        100,
        30,
        "xterm-256color",
    );
    session.wait_for_text("1/10");
    session.send("j\rsq");
    session.wait_for_text(" list ");
    session.send("q");
    assert!(session.wait_for_exit().success());
    assert!(
        !home.path().join(".local/state").exists(),
        "nothing was created"
    );
}

#[test]
fn remapped_keys_take_effect() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config/byline");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[keys]\nnext = [\"ctrl-n\"]\nprevious = [\"ctrl-p\"]\n",
    )
    .unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    session.send("\x0e\x0e");
    session.wait_for_text("3/10");
    session.send("j");
    session.send("\x10");
    session.wait_for_text("2/10");
    session.send("?");
    session.wait_for_text("Ctrl-n / Ctrl-p");
    session.send("xq");
    assert!(session.wait_for_exit().success());
}

#[test]
fn a_bad_config_exits_before_touching_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("bad.toml");
    std::fs::write(&config, "[theme]\naccent = \"plaid\"\n").unwrap();
    let config = config.to_string_lossy().into_owned();
    let mut session = Session::start_in(
        Some(home.path()),
        &["--config", &config],
        100,
        30,
        "xterm-256color",
    );
    let status = session.wait_for_exit();
    assert_eq!(status.exit_code(), 2);
    session.wait_for_text("bad.toml:2: bad colour \"plaid\"");
    let written = session.written.lock().unwrap();
    assert!(
        !written.windows(2).any(|w| w == b"\x1b["),
        "escape sequences were written"
    );
}

#[test]
fn a_killed_reader_loses_at_most_the_last_second() {
    let home = tempfile::tempdir().unwrap();
    let path = state_file(home.path());
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    let opened = sample_id(1);
    session.send("j\r");
    let changed = Instant::now();
    session.wait_for_text("Billionaire and onetime");
    // The change is on disk within a second of the key.
    loop {
        let saved: Option<serde_json::Value> = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if saved
            .as_ref()
            .is_some_and(|s| s["articles"][&opened]["read"] == true)
        {
            break;
        }
        assert!(
            changed.elapsed() < Duration::from_secs(1),
            "not saved within a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // A change right before the kill may be lost; the file must still be whole.
    session.send("s");
    let pid = session.child.process_id().expect("a pid") as i32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    session.wait_for_exit();
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).expect("valid JSON");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["articles"][&opened]["read"], true);
}
