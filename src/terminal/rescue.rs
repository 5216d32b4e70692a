//! Giving the terminal back where the normal way cannot: from the handler of an abort (an
//! allocation failure, `std::process::abort`, `kill -ABRT`), and after a hangup, where a
//! blocking write could hang for ever. Everything it writes is prepared before it is needed.

use std::fs::OpenOptions;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::libc;
use signal_hook::consts::SIGABRT;

use super::give_back;

/// The line left on the main screen by an abort.
const HINT: &str =
    "byline stopped abruptly; if the terminal misbehaves, type `reset` to restore it";
/// How long the restore may wait for a terminal that is not reading.
const WAIT: Duration = Duration::from_millis(250);

struct Rescue {
    /// The terminal, opened again without blocking (a description of its own, so the shell's
    /// stays blocking); standard output itself when it cannot be.
    tty: OwnedFd,
    /// The terminal's settings before byline changed them.
    termios: libc::termios,
    /// Mouse off, main screen, cursor shown.
    restore: Vec<u8>,
    /// The same, then the hint.
    abort: Vec<u8>,
}

static RESCUE: OnceLock<Rescue> = OnceLock::new();
/// Set while byline has the terminal: an abort outside that has nothing to give back.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Saves the settings of the terminal `keyboard` reads (call it before raw mode) and makes an
/// abort give them back.
pub fn arm(keyboard: &impl AsFd) -> io::Result<()> {
    if RESCUE.get().is_none() {
        let termios = nix::sys::termios::tcgetattr(keyboard)?.into();
        let tty =
            reopen_without_blocking().or_else(|_| io::stdout().as_fd().try_clone_to_owned())?;
        let mut restore = Vec::new();
        give_back(&mut restore)?;
        let abort = [&restore[..], b"\r\n", HINT.as_bytes(), b"\r\n"].concat();
        let _ = RESCUE.set(Rescue {
            tty,
            termios,
            restore,
            abort,
        });
        // SAFETY: `on_abort` only writes prepared bytes, sets prepared termios and re-raises.
        unsafe { signal_hook::low_level::register(SIGABRT, on_abort)? };
    }
    ARMED.store(true, Ordering::SeqCst);
    Ok(())
}

/// Byline has given the terminal back: an abort from now on leaves it alone.
pub fn disarm() {
    ARMED.store(false, Ordering::SeqCst);
}

/// Gives the terminal back without ever blocking for long: a hung-up terminal refuses it, a
/// stalled one gets a short while.
pub fn give_back_without_blocking() {
    if let Some(rescue) = RESCUE.get() {
        rescue.give_back(&rescue.restore);
    }
}

/// The terminal on standard output, opened again with writes that never block.
fn reopen_without_blocking() -> io::Result<OwnedFd> {
    let path = nix::unistd::ttyname(io::stdout())?;
    let flags = libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC;
    let file = OpenOptions::new()
        .write(true)
        .custom_flags(flags)
        .open(path)?;
    Ok(file.into())
}

/// Runs in the SIGABRT handler: only async-signal-safe calls (write, tcsetattr, sigaction).
fn on_abort() {
    if let Some(rescue) = RESCUE.get().filter(|_| ARMED.load(Ordering::SeqCst)) {
        rescue.give_back(&rescue.abort);
    }
    // The default action ends the process (with a core dump where those are kept).
    let _ = signal_hook::low_level::emulate_default_handler(SIGABRT);
}

impl Rescue {
    fn give_back(&self, bytes: &[u8]) {
        write_within(&self.tty, bytes, WAIT);
        // SAFETY: tcsetattr reads a termios that lives as long as the process.
        unsafe { libc::tcsetattr(self.tty.as_raw_fd(), libc::TCSANOW, &self.termios) };
    }
}

/// Writes `bytes` unless the terminal refuses them or takes longer than `limit`.
fn write_within(fd: &OwnedFd, mut bytes: &[u8], limit: Duration) {
    let start = Instant::now();
    while !bytes.is_empty() {
        match nix::unistd::write(fd, bytes) {
            Ok(0) => return,
            Ok(written) => bytes = &bytes[written..],
            Err(Errno::EAGAIN | Errno::EINTR) if start.elapsed() < limit => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => return,
        }
    }
}
