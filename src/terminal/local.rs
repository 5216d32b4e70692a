//! The process's own terminal as a [`Host`]: raw mode, a thread reading standard input, and a
//! thread turning signals into messages, all feeding one channel the loop sleeps on.

use std::io::{self, IsTerminal, Read};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal as NixSignal, sigaction};

use ratatui::crossterm::terminal;
use signal_hook::consts::{SIGCONT, SIGHUP, SIGTSTP, SIGWINCH};
use signal_hook::iterator::Signals;

use super::{
    Decoder, ENDING_SIGNALS, Ending, Finished, Host, Incoming, Poster, Saver, Signal, give_back,
    rescue,
};
use crate::reload::Watch;
use crate::session::{Capability, Session};

/// Messages waiting for the loop; a full queue makes the reader wait (no backlog).
const QUEUE: usize = 1024;

pub struct LocalHost {
    incoming: Receiver<Incoming>,
    sender: SyncSender<Incoming>,
    input: Arc<Pause>,
    /// Debug builds only: panic at the first key (`BYLINE_TEST_PANIC`), so a test can see the
    /// terminal given back from a panic. Release builds have no such door.
    panic_at_key: bool,
    /// Whether the terminal is on this machine, not at the far end of an SSH login, and can
    /// show hyperlinks.
    hyperlinks: bool,
}

/// What a signal number means to the reader.
fn meaning(signal: i32) -> Option<Signal> {
    match signal {
        SIGWINCH => Some(Signal::Resize),
        SIGTSTP => Some(Signal::Suspend),
        SIGCONT => Some(Signal::Continue),
        SIGHUP => Some(Signal::HangUp),
        _ if ENDING_SIGNALS.contains(&signal) => Some(Signal::Terminate(signal)),
        _ => None,
    }
}

/// Stops the input thread while another program has the terminal, so it gets every key.
#[derive(Default)]
struct Pause {
    /// (pause wanted, input thread parked)
    state: Mutex<(bool, bool)>,
    changed: Condvar,
    /// Written to wake the input thread out of `poll`.
    wake: Mutex<Option<OwnedFd>>,
}

impl Pause {
    fn set(&self, paused: bool) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = paused;
        self.changed.notify_all();
        if paused {
            if let Some(wake) = &*self.wake.lock().unwrap_or_else(|e| e.into_inner()) {
                let _ = nix::unistd::write(wake, b"p");
            }
            // Wait until the thread is parked, or has ended.
            while !state.1 {
                let (next, timeout) = self
                    .changed
                    .wait_timeout(state, Duration::from_millis(200))
                    .unwrap_or_else(|e| e.into_inner());
                state = next;
                if timeout.timed_out() {
                    break;
                }
            }
        }
    }

    /// Called by the input thread when woken: parks while a pause is wanted.
    fn park_while_paused(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 = true;
        self.changed.notify_all();
        while state.0 {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.1 = false;
    }
}

/// Where the keys come from: standard input when it is the terminal, otherwise the process's
/// controlling terminal (`cat dump | byline -` read the dump from standard input).
pub fn keyboard() -> io::Result<std::fs::File> {
    if io::stdin().is_terminal() {
        return Ok(io::stdin().as_fd().try_clone_to_owned()?.into());
    }
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
}

impl LocalHost {
    /// Starts reading keys from `keyboard` and catching signals.
    pub fn start(keyboard: std::fs::File) -> io::Result<LocalHost> {
        let (sender, incoming) = mpsc::sync_channel(QUEUE);
        let mut signals = Signals::new(
            [SIGWINCH, SIGHUP, SIGTSTP, SIGCONT]
                .iter()
                .chain(&ENDING_SIGNALS),
        )?;
        let to_loop = sender.clone();
        std::thread::spawn(move || {
            for signal in signals.forever().filter_map(meaning) {
                if to_loop.send(Incoming::Signal(signal)).is_err() {
                    break;
                }
            }
        });
        let (wake_read, wake_write) = nix::unistd::pipe()?;
        let input = Arc::new(Pause::default());
        *input.wake.lock().unwrap_or_else(|e| e.into_inner()) = Some(wake_write);
        let pause = Arc::clone(&input);
        let keys = keyboard.try_clone()?;
        let to_reader = sender.clone();
        std::thread::spawn(move || {
            // Wait for input or a wake-up; a pause parks the thread until it is lifted.
            let wait = move || loop {
                let mut fds = [
                    PollFd::new(keyboard.as_fd(), PollFlags::POLLIN),
                    PollFd::new(wake_read.as_fd(), PollFlags::POLLIN),
                ];
                match poll(&mut fds, PollTimeout::NONE) {
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(_) => return false,
                    Ok(_) => {}
                }
                if fds[1].any().unwrap_or(false) {
                    let _ = nix::unistd::read(wake_read.as_raw_fd(), &mut [0u8; 16]);
                    pause.park_while_paused();
                    continue;
                }
                return true;
            };
            read_input(keys, wait, to_reader)
        });
        Ok(LocalHost {
            incoming,
            sender,
            input,
            panic_at_key: cfg!(debug_assertions) && std::env::var_os("BYLINE_TEST_PANIC").is_some(),
            hyperlinks: shows_hyperlinks(|name| std::env::var_os(name)),
        })
    }
}

/// Whether a terminal with this environment is the reader's own and shows hyperlinks: not
/// reached over SSH (whose far end may be any terminal), not the Linux console or a dumb one.
fn shows_hyperlinks(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    let over_ssh = ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"]
        .iter()
        .any(|name| var(name).is_some_and(|value| !value.is_empty()));
    let term = var("TERM").unwrap_or_default();
    !over_ssh && !matches!(term.to_str(), Some("linux" | "dumb" | ""))
}

/// Decodes input until it ends or fails, which means the terminal is gone. `ready` waits
/// until input can be read (false: it never will).
fn read_input(mut input: impl Read, mut ready: impl FnMut() -> bool, sender: SyncSender<Incoming>) {
    let mut decoder = Decoder::default();
    let mut buffer = [0u8; 4096];
    while ready() {
        let read = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let events = decoder
            .feed(&buffer[..read])
            .into_iter()
            .map(Incoming::Event);
        let replies = decoder.take_replies().into_iter().map(Incoming::Reply);
        for incoming in events.chain(replies) {
            if sender.send(incoming).is_err() {
                return;
            }
        }
    }
    let _ = sender.send(Incoming::Hangup);
}

impl LocalHost {
    fn wait(&mut self, timeout: Option<Duration>) -> Option<Incoming> {
        match timeout {
            None => Some(self.incoming.recv().unwrap_or(Incoming::Hangup)),
            Some(timeout) => match self.incoming.recv_timeout(timeout) {
                Ok(incoming) => Some(incoming),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Incoming::Hangup),
            },
        }
    }
}

impl Host for LocalHost {
    fn next(&mut self, timeout: Option<Duration>) -> Option<Incoming> {
        let next = self.wait(timeout);
        if self.panic_at_key && matches!(next, Some(Incoming::Event(_))) {
            panic!("BYLINE_TEST_PANIC is set");
        }
        next
    }

    fn poster(&self) -> Poster {
        let sender = self.sender.clone();
        Poster::new(move |incoming| sender.send(incoming).is_ok())
    }

    fn can(&self, capability: Capability) -> bool {
        // The process's own terminal, on the reader's own machine: everything, links where
        // the terminal shows them.
        capability != Capability::Hyperlinks || self.hyperlinks
    }

    fn size(&mut self) -> io::Result<(u16, u16)> {
        terminal::size()
    }

    fn suspend(&mut self) -> io::Result<()> {
        terminal::disable_raw_mode()?;
        // Stops the process here; `fg` continues it.
        signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
        terminal::enable_raw_mode()
    }

    fn resume(&mut self) -> io::Result<()> {
        // Raw mode is set again: crossterm thinks it still is and would do nothing.
        terminal::disable_raw_mode()?;
        terminal::enable_raw_mode()
    }

    fn hand_over(&mut self, run: &mut dyn FnMut() -> String) -> io::Result<String> {
        self.input.set(true);
        // Set for as long as the terminal makes signals of Ctrl-c, Ctrl-\ and Ctrl-z.
        let signals = JobSignals::set();
        terminal::disable_raw_mode()?;
        let outcome = run();
        let restored = terminal::enable_raw_mode();
        drop(signals);
        self.input.set(false);
        restored.map(|()| outcome)
    }
}

/// While another program has the terminal, byline acts as a shell does for a job: SIGINT and
/// SIGQUIT are ignored (Ctrl-c and Ctrl-\ are for that program, which gets them at their
/// defaults, see `outside`), and SIGTSTP stops byline with it, so that Ctrl-z stops the whole
/// job instead of leaving byline waiting on a stopped pager, with no prompt back.
struct JobSignals(Vec<(NixSignal, SigAction)>);

impl JobSignals {
    fn set() -> JobSignals {
        let action = |handler| SigAction::new(handler, SaFlags::empty(), SigSet::empty());
        let wanted = [
            (NixSignal::SIGINT, SigHandler::SigIgn),
            (NixSignal::SIGQUIT, SigHandler::SigIgn),
            (NixSignal::SIGTSTP, SigHandler::SigDfl),
        ];
        let replaced = wanted
            .into_iter()
            // SAFETY: ignoring or defaulting installs no handler; the old one is put back on drop.
            .filter_map(|(signal, handler)| {
                Some((signal, unsafe { sigaction(signal, &action(handler)) }.ok()?))
            })
            .collect();
        JobSignals(replaced)
    }
}

impl Drop for JobSignals {
    fn drop(&mut self) {
        for (signal, previous) in &self.0 {
            // SAFETY: puts back exactly the action (signal-hook's handler) that was there.
            let _ = unsafe { sigaction(*signal, previous) };
        }
    }
}

/// Runs the reader on the process's own terminal and gives the terminal back however it ends:
/// quit, signal, hangup, error, panic or abort.
pub fn run(
    app: &mut Session,
    saver: &mut impl Saver,
    watch: Option<Watch>,
) -> io::Result<Finished> {
    let keyboard = keyboard()?;
    rescue::arm(&keyboard)?;
    let mut host = LocalHost::start(keyboard)?;
    terminal::enable_raw_mode()?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous_hook(info);
        crate::text::tell(
            "byline",
            "crashed; this is a bug. Please report it on byline's issue tracker with the \
             message above and the command you ran.",
        );
    }));
    let finished = super::run(app, &mut host, saver, watch, io::stdout());
    let _ = std::panic::take_hook();
    match &finished {
        // A hung-up terminal refuses the restore, a live one (`kill -HUP`) gets it.
        Ok(Finished {
            ending: Ending::Hangup,
            ..
        }) => rescue::give_back_without_blocking(),
        _ => {
            let _ = terminal::disable_raw_mode();
        }
    }
    rescue::disarm();
    finished
}

/// Gives the terminal back from a panic: raw mode off, main screen, cursor, no mouse.
fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = give_back(&mut out);
    let _ = io::Write::flush(&mut out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    /// What the input thread posts for `input`, as text (answers and loads are not comparable).
    fn received(input: impl Read) -> Vec<String> {
        let (sender, receiver) = mpsc::sync_channel(16);
        read_input(input, || true, sender);
        receiver.try_iter().map(|i| format!("{i:?}")).collect()
    }

    #[test]
    fn hyperlinks_go_to_a_terminal_on_this_machine_only() {
        let shows = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, String)> = (vars.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            shows_hyperlinks(|name| {
                (vars.iter())
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into())
            })
        };
        assert!(shows(&[("TERM", "xterm-256color")]));
        assert!(shows(&[("TERM", "tmux-256color"), ("SSH_TTY", "")]));
        assert!(!shows(&[
            ("TERM", "xterm-256color"),
            ("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 5000")
        ]));
        assert!(!shows(&[
            ("TERM", "xterm"),
            ("SSH_CLIENT", "10.0.0.1 5000 22")
        ]));
        assert!(!shows(&[("TERM", "xterm"), ("SSH_TTY", "/dev/pts/3")]));
        assert!(!shows(&[("TERM", "linux")]));
        assert!(!shows(&[("TERM", "dumb")]));
        assert!(!shows(&[]));
    }

    #[test]
    fn input_is_decoded_until_it_ends_and_the_end_is_a_hangup() {
        let key = |c| {
            let key = Incoming::Event(Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
            format!("{key:?}")
        };
        let hangup = format!("{:?}", Incoming::Hangup);
        assert_eq!(received(&b"jq"[..]), [key('j'), key('q'), hangup]);
    }

    #[test]
    fn a_read_error_is_a_hangup() {
        struct Gone;
        impl Read for Gone {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(5))
            }
        }
        assert_eq!(received(Gone), [format!("{:?}", Incoming::Hangup)]);
    }
}
