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
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Session {
    fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Session::start_with_term(args, cols, rows, "xterm-256color")
    }

    fn start_with_term(args: &[&str], cols: u16, rows: u16, term: &str) -> Session {
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
        let child = pair.slave.spawn_command(command).expect("byline starts");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().expect("a pty reader");
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&chunk[..n]);
            }
        });
        let writer = pair.master.take_writer().expect("a pty writer");
        Session {
            master: pair.master,
            writer,
            child,
            parser,
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
