use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::loader::{self, Input};
use crate::session::{Capability, Options, Session};
use crate::state::Changes;
use crate::state::State;
use signal_hook::consts::{SIGINT, SIGTERM};

/// A host that replays a script (`None`: nothing happens, so a frame is drawn) and then reports
/// that its input ended.
struct Scripted {
    script: VecDeque<Option<Incoming>>,
    /// What workers and the writer posted, taken before the script goes on.
    posted: Arc<Mutex<VecDeque<Incoming>>>,
    size: (u16, u16),
    suspended: usize,
    resumed: usize,
    /// Whether it can do everything, or nothing but draw (as a server's session may be).
    capable: bool,
    handed_over: usize,
    /// Whether the terminal hung up after its size was asked: then suspending or resuming
    /// fails, as with a tty.
    hung_up: bool,
}

impl Scripted {
    fn new(script: Vec<Option<Incoming>>, size: (u16, u16)) -> Scripted {
        Scripted {
            script: script.into(),
            posted: Arc::default(),
            size,
            suspended: 0,
            resumed: 0,
            capable: true,
            handed_over: 0,
            hung_up: false,
        }
    }

    /// The error a hung-up terminal gives.
    fn fails(&self) -> io::Result<()> {
        match self.hung_up {
            true => Err(io::Error::from_raw_os_error(libc::ENXIO)),
            false => Ok(()),
        }
    }
}

impl Host for Scripted {
    fn next(&mut self, timeout: Option<Duration>) -> Option<Incoming> {
        if let Some(posted) = self.posted.lock().unwrap().pop_front() {
            return Some(posted);
        }
        // A look at the queue that waits for nothing does not take a pause of the script:
        // that is for the loop's wait for the frame due.
        if timeout == Some(Duration::ZERO) && matches!(self.script.front(), Some(None)) {
            return None;
        }
        let next = self.script.pop_front().unwrap_or(Some(Incoming::Hangup));
        if next.is_some() {
            return next;
        }
        match timeout {
            // Waiting as asked lets the frame that is due be drawn.
            Some(timeout) => std::thread::sleep(timeout.min(FRAME)),
            // The loop waits for the writer's word (a frame in flight) or a worker's answer:
            // it gets it, however slow a loaded machine makes the writer, within reason.
            None => {
                let start = Instant::now();
                while self.posted.lock().unwrap().is_empty()
                    && start.elapsed() < Duration::from_secs(2)
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                return self.posted.lock().unwrap().pop_front();
            }
        }
        None
    }

    fn poster(&self) -> Poster {
        let posted = Arc::clone(&self.posted);
        Poster::new(move |incoming| {
            posted.lock().unwrap().push_back(incoming);
            true
        })
    }

    fn can(&self, _: Capability) -> bool {
        self.capable
    }

    fn hand_over(&mut self, run: &mut dyn FnMut() -> String) -> io::Result<String> {
        let _ = run;
        self.handed_over += 1;
        Ok("ran".into())
    }

    fn size(&mut self) -> io::Result<(u16, u16)> {
        Ok(self.size)
    }

    fn suspend(&mut self) -> io::Result<()> {
        self.suspended += 1;
        self.fails()
    }

    fn resume(&mut self) -> io::Result<()> {
        self.resumed += 1;
        self.fails()
    }
}

/// Output that the test can read after the loop has written to it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Counts the waits for everything handed over to be saved, which every ending must do once.
struct Counting(usize);

impl Saver for Counting {
    fn persist(&mut self, _: Changes) -> Result<(), String> {
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        self.0 += 1;
        Ok(())
    }
}

/// A store that cannot be written.
struct Failing;

impl Saver for Failing {
    fn persist(&mut self, _: Changes) -> Result<(), String> {
        Err("cannot save /nowhere: Read-only file system".into())
    }

    fn finish(&mut self) -> Result<(), String> {
        Err("cannot save /nowhere: Read-only file system".into())
    }
}

fn press(c: char) -> Incoming {
    let modifiers = if c == 'z' {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    Incoming::Event(Event::Key(KeyEvent::new(KeyCode::Char(c), modifiers)))
}

fn run_script(script: Vec<Incoming>) -> (Ending, String, usize, usize) {
    let mut saver = Counting(0);
    let script = script.into_iter().map(Some).collect();
    let (finished, written, host) = run_on(script, (80, 24), &mut saver);
    (finished.ending, written, saver.0, host.suspended)
}

/// Runs the loop on a terminal of `size` until the script ends; returns what it wrote.
fn run_on(
    script: Vec<Option<Incoming>>,
    size: (u16, u16),
    saver: &mut impl Saver,
) -> (Finished, String, Scripted) {
    run_on_host(script, size, saver, true)
}

/// Runs the loop as [`run_on`] does, on a host that can do everything or nothing.
fn run_on_host(
    script: Vec<Option<Incoming>>,
    size: (u16, u16),
    saver: &mut impl Saver,
    capable: bool,
) -> (Finished, String, Scripted) {
    let host = Scripted {
        capable,
        ..Scripted::new(script, size)
    };
    run_hosted(host, saver)
}

/// Runs the loop on `host` until its script ends; returns what it wrote.
fn run_hosted(mut host: Scripted, saver: &mut impl Saver) -> (Finished, String, Scripted) {
    let mut app = Session::new(
        loader::load(&[Input::Sample]),
        Options::default(),
        State::default(),
    );
    let out = Shared::default();
    let finished = run(&mut app, &mut host, saver, None, out.clone()).unwrap();
    // The restore sequence is written on the writer thread; wait for it like `run` does.
    std::thread::sleep(Duration::from_millis(50));
    let written = String::from_utf8_lossy(&out.0.lock().unwrap()).into_owned();
    (finished, written, host)
}

const LEAVE: &str = "\u{1b}[?1049l";
const ENTER: &str = "\u{1b}[?1049h";

#[test]
fn quitting_gives_the_terminal_back_and_saves() {
    let (ending, written, saves, _) = run_script(vec![press('j'), press('q')]);
    assert_eq!(ending, Ending::Quit);
    assert!(written.starts_with(ENTER), "{written:?}");
    assert!(
        written.ends_with(&format!("{LEAVE}\u{1b}[?25h")),
        "{written:?}"
    );
    assert_eq!(saves, 1);
}

#[test]
fn end_of_input_ends_the_reader_without_writing_to_the_gone_terminal() {
    let (ending, written, saves, _) = run_script(vec![press('j')]);
    assert_eq!(ending, Ending::Hangup);
    assert!(
        !written.contains(LEAVE),
        "nothing is written once the terminal is gone"
    );
    assert_eq!(saves, 1, "state is saved all the same");
}

#[test]
fn signals_end_the_reader_with_their_status() {
    let (ending, written, _, _) = run_script(vec![Incoming::Signal(Signal::Terminate(SIGTERM))]);
    assert_eq!(ending, Ending::Signal(SIGTERM));
    assert_eq!(ending.exit_code(), 143);
    assert!(written.contains(LEAVE));
    let (ending, _, _, _) = run_script(vec![Incoming::Signal(Signal::Terminate(SIGINT))]);
    assert_eq!(ending.exit_code(), 130);
    let (ending, written, _, _) = run_script(vec![Incoming::Signal(Signal::HangUp)]);
    assert_eq!(ending, Ending::Hangup);
    assert!(!written.contains(LEAVE));
}

#[test]
fn a_terminal_that_fails_as_a_hung_up_one_does_is_a_hangup_not_an_error() {
    // The kernel sends SIGCONT with SIGHUP: resuming may be the first to hear the terminal gone.
    let script = vec![None, Some(Incoming::Signal(Signal::Continue))];
    let host = Scripted {
        hung_up: true,
        ..Scripted::new(script, (80, 24))
    };
    let mut saver = Counting(0);
    let (finished, written, host) = run_hosted(host, &mut saver);
    assert_eq!(host.resumed, 1);
    assert_eq!(finished.ending, Ending::Hangup);
    assert_eq!(finished.ending.exit_code(), 129);
    assert!(!written.contains(LEAVE), "nothing more for a gone terminal");
    assert_eq!(saver.0, 1, "state is saved all the same");
}

#[test]
fn ctrl_z_and_sigtstp_suspend_with_the_screen_given_back_and_taken_again() {
    let (ending, written, _, suspended) = run_script(vec![
        press('z'),
        Incoming::Signal(Signal::Suspend),
        press('q'),
    ]);
    assert_eq!(ending, Ending::Quit);
    assert_eq!(suspended, 2);
    assert_eq!(
        written.matches(LEAVE).count(),
        3,
        "twice to suspend, once to quit"
    );
    assert_eq!(
        written.matches(ENTER).count(),
        3,
        "once to start, twice to resume"
    );
}

#[test]
fn a_resize_to_nothing_and_back_is_survived() {
    let script = vec![
        Incoming::Event(Event::Resize(0, 0)),
        Incoming::Event(Event::Resize(1, 1)),
        Incoming::Event(Event::Resize(300, 0)),
        Incoming::Event(Event::Resize(120, 40)),
        press('q'),
    ];
    assert_eq!(run_script(script).0, Ending::Quit);
}

#[test]
fn a_terminal_claiming_65535_by_65535_is_drawn_at_1000_by_500() {
    let resize = Incoming::Event(Event::Resize(u16::MAX, u16::MAX));
    let script = vec![
        Some(press('j')),
        None,
        Some(resize),
        None,
        Some(Incoming::Signal(Signal::Resize)),
        None,
        Some(press('q')),
    ];
    let (finished, written, _) = run_on(script, (u16::MAX, u16::MAX), &mut Counting(0));
    assert_eq!(finished.ending, Ending::Quit);
    let moves = cursor_moves(&written);
    assert!(moves.iter().all(|m| m.0 <= 500), "within 500 rows");
    assert!(moves.iter().all(|m| m.1 <= 1000), "within 1000 columns");
    // Read by a terminal of that size, the status line is on its last row.
    let size = |n| std::num::NonZeroU16::new(n).unwrap();
    let mut terminal = vt100::Parser::new(size(500), size(1000), 0);
    terminal.process(written.rsplit("\u{1b}[2J").next().unwrap().as_bytes());
    let last = terminal.screen().rows(0, 1000).nth(499).unwrap();
    assert!(last.contains("list"), "{last:?}");
}

/// Every (row, column) the output moves the cursor to absolutely.
fn cursor_moves(written: &str) -> Vec<(u32, u32)> {
    let parse = |csi: &str| {
        let place = &csi[..csi.find('H')?];
        let (row, column) = place.split_once(';').unwrap_or((place, "1"));
        Some((row.parse().ok()?, column.parse().ok()?))
    };
    written.split("\u{1b}[").filter_map(parse).collect()
}

#[test]
fn every_ending_signal_ends_the_reader_with_128_plus_its_number_and_the_screen_back() {
    for signal in ENDING_SIGNALS {
        let (ending, written, saves, _) =
            run_script(vec![Incoming::Signal(Signal::Terminate(signal))]);
        assert_eq!(ending, Ending::Signal(signal));
        assert_eq!(i32::from(ending.exit_code()), 128 + signal);
        assert!(
            written.ends_with(&format!("{LEAVE}\u{1b}[?25h")),
            "{signal}"
        );
        assert_eq!(saves, 1, "{signal}");
    }
}

#[test]
fn sigcont_takes_the_terminal_back_and_redraws_it_all_whatever_stopped_byline() {
    let script = vec![
        Some(press('j')),
        None,
        Some(Incoming::Signal(Signal::Continue)),
        None,
        None,
        Some(press('q')),
    ];
    let (finished, written, host) = run_on(script, (80, 24), &mut Counting(0));
    assert_eq!(finished.ending, Ending::Quit);
    assert_eq!(host.resumed, 1, "raw mode is set again");
    assert_eq!(
        written.matches(ENTER).count(),
        2,
        "once to start, once on SIGCONT"
    );
    let redraw = written.rsplit(ENTER).next().unwrap();
    assert!(redraw.contains("Chaotic showdown"), "the full screen again");
}

#[test]
fn a_failed_last_save_is_handed_back_to_be_shown_after_the_screen() {
    let (finished, _, _) = run_on(vec![Some(press('q'))], (80, 24), &mut Failing);
    assert_eq!(finished.ending, Ending::Quit);
    assert_eq!(
        finished.unsaved.as_deref(),
        Some("cannot save /nowhere: Read-only file system")
    );
}

#[test]
fn what_the_host_cannot_do_is_refused_with_a_message_and_never_attempted() {
    // Each key, then time for a frame; then `q`, whose ending waits for every frame to be
    // written, however slow a loaded machine makes the writer.
    let script = |keys: &str| -> Vec<Option<Incoming>> {
        let frame = |c| [Some(press(c)), None, None];
        keys.chars()
            .flat_map(frame)
            .chain([Some(press('q'))])
            .collect()
    };
    let (finished, written, host) = run_on_host(script("vz"), (100, 30), &mut Counting(0), false);
    assert_eq!(finished.ending, Ending::Quit);
    assert_eq!((host.handed_over, host.suspended), (0, 0));
    assert!(
        written.contains("Running programs is not possible here"),
        "{written}"
    );
    let (_, written, host) = run_on_host(script("z"), (100, 30), &mut Counting(0), false);
    assert_eq!(host.suspended, 0);
    assert!(
        written.contains("Suspending is not possible here"),
        "{written}"
    );
    let (_, _, host) = run_on_host(script("vz"), (100, 30), &mut Counting(0), true);
    assert_eq!(
        (host.handed_over, host.suspended),
        (1, 1),
        "a capable host does both"
    );
}

#[test]
fn margins_are_asked_for_and_used_only_once_the_terminal_says_it_has_them() {
    let (_, written, _) = run_on(vec![Some(press('q'))], (100, 30), &mut Counting(0));
    assert!(written.contains("\u{1b}[?69$p"), "asked");
    assert!(!written.contains("\u{1b}[?69h"), "not assumed");
    let reply = Incoming::Reply(Reply::Mode { mode: 69, state: 2 });
    let script = vec![Some(reply), None, Some(press('q'))];
    let (_, written, _) = run_on(script, (100, 30), &mut Counting(0));
    let on = written.find("\u{1b}[?69h").expect("turned on");
    let off = written.rfind("\u{1b}[?69l").expect("turned off at the end");
    assert!(on < off);
    let script = vec![
        Some(Incoming::Reply(Reply::Mode { mode: 69, state: 0 })),
        None,
    ];
    let (_, written, _) = run_on(script, (100, 30), &mut Counting(0));
    assert!(!written.contains("\u{1b}[?69h"), "a terminal without them");
}
