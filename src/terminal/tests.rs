use std::collections::VecDeque;
use std::sync::Mutex;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::Options;
use crate::loader::{self, Input};
use crate::state::State;

/// A host that replays a script and then reports that its input ended.
struct Scripted {
    script: VecDeque<Incoming>,
    suspended: usize,
}

impl Host for Scripted {
    fn next(&mut self, _timeout: Option<Duration>) -> Option<Incoming> {
        Some(self.script.pop_front().unwrap_or(Incoming::Hangup))
    }

    fn size(&mut self) -> io::Result<(u16, u16)> {
        Ok((80, 24))
    }

    fn suspend(&mut self) -> io::Result<()> {
        self.suspended += 1;
        Ok(())
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
    fn save(&mut self, _app: &mut App) -> Result<(), String> {
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        self.0 += 1;
        Ok(())
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
    let mut app = App::new(
        loader::load(&[Input::Sample]),
        Options::default(),
        State::default(),
    );
    let mut host = Scripted {
        script: script.into(),
        suspended: 0,
    };
    let out = Shared::default();
    let mut saver = Counting(0);
    let ending = run(&mut app, &mut host, &mut saver, None, out.clone()).unwrap();
    // The restore sequence is written on the writer thread; wait for it like `run` does.
    std::thread::sleep(Duration::from_millis(50));
    let written = String::from_utf8_lossy(&out.0.lock().unwrap()).into_owned();
    (ending, written, saver.0, host.suspended)
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
    let (ending, written, _, _) = run_script(vec![Incoming::Signal(SIGTERM)]);
    assert_eq!(ending, Ending::Signal(SIGTERM));
    assert_eq!(ending.exit_code(), 143);
    assert!(written.contains(LEAVE));
    let (ending, _, _, _) = run_script(vec![Incoming::Signal(SIGINT)]);
    assert_eq!(ending.exit_code(), 130);
    let (ending, written, _, _) = run_script(vec![Incoming::Signal(SIGHUP)]);
    assert_eq!(ending, Ending::Hangup);
    assert!(!written.contains(LEAVE));
}

#[test]
fn ctrl_z_and_sigtstp_suspend_with_the_screen_given_back_and_taken_again() {
    let (ending, written, _, suspended) =
        run_script(vec![press('z'), Incoming::Signal(SIGTSTP), press('q')]);
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
