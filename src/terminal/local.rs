//! The process's own terminal as a [`Host`]: raw mode, a thread reading standard input, and a
//! thread turning signals into messages, all feeding one channel the loop sleeps on.

use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::Duration;

use ratatui::crossterm::terminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP, SIGWINCH};
use signal_hook::iterator::Signals;

use super::{Decoder, Ending, Host, Incoming, Saver, give_back};
use crate::app::App;

/// Messages waiting for the loop; a full queue makes the reader wait (no backlog).
const QUEUE: usize = 1024;

pub struct LocalHost {
    incoming: Receiver<Incoming>,
}

impl LocalHost {
    /// Starts reading standard input and catching signals.
    pub fn start() -> io::Result<LocalHost> {
        let (sender, incoming) = mpsc::sync_channel(QUEUE);
        let mut signals = Signals::new([SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGTSTP])?;
        let to_loop = sender.clone();
        std::thread::spawn(move || {
            for signal in signals.forever() {
                if to_loop.send(Incoming::Signal(signal)).is_err() {
                    break;
                }
            }
        });
        std::thread::spawn(move || read_input(io::stdin(), sender));
        Ok(LocalHost { incoming })
    }
}

/// Decodes input until it ends or fails, which means the terminal is gone.
fn read_input(mut input: impl Read, sender: SyncSender<Incoming>) {
    let mut decoder = Decoder::default();
    let mut buffer = [0u8; 4096];
    loop {
        let read = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        for event in decoder.feed(&buffer[..read]) {
            if sender.send(Incoming::Event(event)).is_err() {
                return;
            }
        }
    }
    let _ = sender.send(Incoming::Hangup);
}

impl Host for LocalHost {
    fn next(&mut self, timeout: Option<Duration>) -> Option<Incoming> {
        match timeout {
            None => Some(self.incoming.recv().unwrap_or(Incoming::Hangup)),
            Some(timeout) => match self.incoming.recv_timeout(timeout) {
                Ok(incoming) => Some(incoming),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Incoming::Hangup),
            },
        }
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
}

/// Runs the reader on the process's own terminal and gives the terminal back however it ends:
/// quit, signal, hangup, error or panic.
pub fn run(app: &mut App, saver: &mut impl Saver) -> io::Result<Ending> {
    let mut host = LocalHost::start()?;
    terminal::enable_raw_mode()?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous_hook(info);
        eprintln!(
            "byline crashed; this is a bug. Please report it on byline's issue tracker with the \
             message above and the command you ran."
        );
    }));
    let ending = super::run(app, &mut host, saver, io::stdout());
    let _ = std::panic::take_hook();
    let _ = terminal::disable_raw_mode();
    ending
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

    fn received(input: impl Read) -> Vec<Incoming> {
        let (sender, receiver) = mpsc::sync_channel(16);
        read_input(input, sender);
        receiver.try_iter().collect()
    }

    #[test]
    fn input_is_decoded_until_it_ends_and_the_end_is_a_hangup() {
        let key = |c| {
            Incoming::Event(Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )))
        };
        assert_eq!(received(&b"jq"[..]), [key('j'), key('q'), Incoming::Hangup]);
    }

    #[test]
    fn a_read_error_is_a_hangup() {
        struct Gone;
        impl Read for Gone {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(5))
            }
        }
        assert_eq!(received(Gone), [Incoming::Hangup]);
    }
}
