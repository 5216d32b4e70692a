//! A program in a pseudo-terminal, its screen kept by vt100, with timestamps precise enough
//! for keystroke latencies: the reader thread wakes waiters as soon as bytes arrive. Shared by the
//! benchmarks, each of which uses part of it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long a wait may take before the harness gives up.
const TIMEOUT: Duration = Duration::from_secs(30);
const LONG_TIMEOUT: Duration = Duration::from_secs(600);

/// A slow link between the program and its screen: output is paced at `rate` and arrives
/// `delay` after it left, keys arrive `delay` after they were pressed.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    /// One way's delay (half the round trip), for output and keys alike.
    pub delay: Duration,
    /// Bytes a second from the program to the screen.
    pub rate: f64,
    /// Bytes read from the pty and not yet on the wire that the sender holds before it stops
    /// reading, as a TCP send buffer does: the program then finds its writes blocked, as it
    /// would on a real link.
    pub buffer: usize,
}

/// How a session is watched beyond its screen.
#[derive(Clone, Copy, Debug, Default)]
pub struct Watch {
    /// Keep every byte the program wrote, and when each piece arrived, for [`Session::raw`],
    /// [`Session::screen_at`] and [`Session::arrivals`]. Off for long runs: it grows without
    /// end.
    pub record: bool,
    /// Put a [`Link`] between the program and its screen.
    pub link: Option<Link>,
}

/// Output is put on the wire in pieces of at most this size, so that arrivals are timed to a
/// few milliseconds at a megabit.
const SLICE: usize = 1024;

struct Shared {
    parser: vt100::Parser,
    bytes: usize,
    last_byte: Instant,
    record: bool,
    raw: Vec<u8>,
    /// The end offset in `raw` of each piece that arrived, and when it did.
    arrivals: Vec<(usize, Instant)>,
}

/// The way keys go to the program.
enum Keys {
    Direct(Box<dyn Write + Send>),
    /// To a thread that writes each when it is due.
    Delayed(Sender<(Instant, Vec<u8>)>, Duration),
}

pub struct Session {
    _master: Box<dyn MasterPty + Send>,
    keys: Keys,
    child: Box<dyn Child + Send + Sync>,
    shared: Arc<(Mutex<Shared>, Condvar)>,
    size: (u16, u16),
}

/// Takes in bytes that reached the screen.
fn arrive(shared: &(Mutex<Shared>, Condvar), bytes: &[u8]) {
    let (lock, woken) = shared;
    let mut shared = lock.lock().expect("the screen");
    shared.parser.process(bytes);
    shared.bytes += bytes.len();
    let now = Instant::now();
    shared.last_byte = now;
    if shared.record {
        shared.raw.extend_from_slice(bytes);
        let end = shared.raw.len();
        shared.arrivals.push((end, now));
    }
    woken.notify_all();
}

fn sleep_until(at: Instant) {
    if let Some(left) = at.checked_duration_since(Instant::now()) {
        std::thread::sleep(left);
    }
}

/// Carries the program's output to the screen over `link`: a reader that stops while the
/// sender's buffer is full, a wire that paces it, and a far end that takes it in when due.
fn relay(mut reader: Box<dyn Read + Send>, link: Link, shared: Arc<(Mutex<Shared>, Condvar)>) {
    let held = Arc::new((Mutex::new(0usize), Condvar::new()));
    let (to_wire, on_wire) = channel::<(Instant, Vec<u8>)>();
    let (to_far_end, at_far_end) = channel::<(Instant, Vec<u8>)>();
    let sent = Arc::clone(&held);
    std::thread::spawn(move || {
        let mut free_at = Instant::now();
        for (read_at, bytes) in on_wire {
            for slice in bytes.chunks(SLICE) {
                let start = read_at.max(free_at);
                free_at = start + Duration::from_secs_f64(slice.len() as f64 / link.rate);
                sleep_until(free_at);
                *sent.0.lock().expect("the buffer") -= slice.len();
                sent.1.notify_all();
                if to_far_end
                    .send((free_at + link.delay, slice.to_vec()))
                    .is_err()
                {
                    return;
                }
            }
        }
    });
    std::thread::spawn(move || {
        for (due, bytes) in at_far_end {
            sleep_until(due);
            arrive(&shared, &bytes);
        }
    });
    std::thread::spawn(move || {
        let mut chunk = vec![0u8; SLICE * 4];
        loop {
            let room = {
                let mut bytes = held.0.lock().expect("the buffer");
                while *bytes >= link.buffer {
                    bytes = held.1.wait(bytes).expect("the buffer");
                }
                link.buffer - *bytes
            };
            let want = room.min(chunk.len());
            let n = match reader.read(&mut chunk[..want]) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            *held.0.lock().expect("the buffer") += n;
            if to_wire.send((Instant::now(), chunk[..n].to_vec())).is_err() {
                return;
            }
        }
    });
}

impl Session {
    pub fn spawn(program: &str, args: &[&str], home: &Path, cols: u16, rows: u16) -> Session {
        Session::spawn_watched(program, args, home, cols, rows, Watch::default())
    }

    /// A session whose output is recorded, or reaches the screen over a slow link, or both.
    pub fn spawn_watched(
        program: &str,
        args: &[&str],
        home: &Path,
        cols: u16,
        rows: u16,
        watch: Watch,
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("HOME", home);
        command.env("XDG_CONFIG_HOME", home.join("config"));
        command.env("XDG_STATE_HOME", home.join("state"));
        command.env("XDG_DATA_HOME", home.join("data"));
        command.env("XDG_CACHE_HOME", home.join("cache"));
        command.env("LESSHISTFILE", "-");
        // Whatever a program saves lands in the temporary home, never in the checkout.
        command.cwd(home);
        let child = pair
            .slave
            .spawn_command(command)
            .expect("the program starts");
        drop(pair.slave);
        let size = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let shared = Arc::new((
            Mutex::new(Shared {
                parser: vt100::Parser::new(size(rows), size(cols), 0),
                bytes: 0,
                last_byte: Instant::now(),
                record: watch.record,
                raw: Vec::new(),
                arrivals: Vec::new(),
            }),
            Condvar::new(),
        ));
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let sink = Arc::clone(&shared);
        let mut writer = pair.master.take_writer().expect("a writer");
        let keys = match watch.link {
            Some(link) => {
                relay(reader, link, sink);
                let (keys, due) = channel::<(Instant, Vec<u8>)>();
                std::thread::spawn(move || {
                    for (at, bytes) in due {
                        sleep_until(at);
                        if writer
                            .write_all(&bytes)
                            .and_then(|_| writer.flush())
                            .is_err()
                        {
                            return;
                        }
                    }
                });
                Keys::Delayed(keys, link.delay)
            }
            None => {
                std::thread::spawn(move || {
                    let mut chunk = vec![0u8; 1 << 16];
                    while let Ok(n) = reader.read(&mut chunk) {
                        if n == 0 {
                            break;
                        }
                        arrive(&sink, &chunk[..n]);
                    }
                });
                Keys::Direct(writer)
            }
        };
        Session {
            _master: pair.master,
            keys,
            child,
            shared,
            size: (cols, rows),
        }
    }

    /// Writes `keys` (over a link: has them written when they arrive) and returns the time
    /// just before, when the user pressed them.
    pub fn send(&mut self, keys: &str) -> Instant {
        let sent = Instant::now();
        match &mut self.keys {
            Keys::Direct(writer) => {
                writer.write_all(keys.as_bytes()).expect("writing keys");
                writer.flush().expect("writing keys");
            }
            Keys::Delayed(due, delay) => due
                .send((sent + *delay, keys.as_bytes().to_vec()))
                .expect("the key thread"),
        }
        sent
    }

    /// Waits until the screen satisfies `condition`; returns when it first did.
    pub fn wait(&self, condition: impl Fn(&str) -> bool) -> Instant {
        self.wait_for(condition, TIMEOUT)
    }

    pub fn wait_long(&self, condition: impl Fn(&str) -> bool) -> Instant {
        self.wait_for(condition, LONG_TIMEOUT)
    }

    fn wait_for(&self, condition: impl Fn(&str) -> bool, limit: Duration) -> Instant {
        self.wait_within(condition, limit)
            .unwrap_or_else(|| panic!("timed out; screen:\n{}", self.contents()))
    }

    /// When the screen first satisfied `condition`, if it did within `limit`.
    pub fn wait_within(
        &self,
        condition: impl Fn(&str) -> bool,
        limit: Duration,
    ) -> Option<Instant> {
        let start = Instant::now();
        let (lock, woken) = &*self.shared;
        let mut shared = lock.lock().expect("the screen");
        loop {
            if condition(&shared.parser.screen().contents()) {
                return Some(shared.last_byte);
            }
            let left = limit.checked_sub(start.elapsed())?;
            shared = woken.wait_timeout(shared, left).expect("the screen").0;
        }
    }

    /// Waits until nothing has been written for 100 ms.
    pub fn settle(&self) {
        self.settle_within(Duration::MAX);
    }

    /// Waits until nothing has been written for 100 ms, for at most `limit`; false if the
    /// program was still writing then.
    pub fn settle_within(&self, limit: Duration) -> bool {
        self.quiet_for(Duration::from_millis(100), limit)
    }

    /// Waits until nothing has been written for `quiet`, for at most `limit`; false if the
    /// program was still writing then.
    pub fn quiet_for(&self, quiet: Duration, limit: Duration) -> bool {
        let start = Instant::now();
        loop {
            let since = self
                .shared
                .0
                .lock()
                .expect("the screen")
                .last_byte
                .elapsed();
            if since >= quiet {
                return true;
            }
            if start.elapsed() >= limit {
                return false;
            }
            std::thread::sleep(quiet - since);
        }
    }

    /// Waits until `pattern` has arrived after offset `from` of the recorded output, for at
    /// most `limit`; the offset just after it.
    pub fn wait_recorded(&self, from: usize, pattern: &[u8], limit: Duration) -> Option<usize> {
        let start = Instant::now();
        let (lock, woken) = &*self.shared;
        let mut shared = lock.lock().expect("the screen");
        loop {
            let found = (shared.raw.get(from..).unwrap_or_default())
                .windows(pattern.len())
                .position(|w| w == pattern);
            if let Some(at) = found {
                return Some(from + at + pattern.len());
            }
            let left = limit.checked_sub(start.elapsed())?;
            shared = woken.wait_timeout(shared, left).expect("the screen").0;
        }
    }

    /// The recorded output from offset `from` to `to`.
    pub fn raw(&self, from: usize, to: usize) -> Vec<u8> {
        let shared = self.shared.0.lock().expect("the screen");
        shared.raw[from.min(to)..to.min(shared.raw.len())].to_vec()
    }

    /// When each recorded piece of output arrived: its end offset and time.
    pub fn arrivals(&self) -> Vec<(usize, Instant)> {
        self.shared.0.lock().expect("the screen").arrivals.clone()
    }

    /// The screen as it was when the first `offset` recorded bytes had arrived (at the size
    /// the session started with).
    pub fn screen_at(&self, offset: usize) -> vt100::Screen {
        let (cols, rows) = self.size;
        let size = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let mut parser = vt100::Parser::new(size(rows), size(cols), 0);
        parser.process(&self.raw(0, offset));
        parser.screen().clone()
    }

    /// The text of the first row drawn in reverse video (a selected row), if any.
    pub fn reversed_row(&self) -> Option<String> {
        let shared = self.shared.0.lock().expect("the screen");
        let screen = shared.parser.screen();
        let (rows, cols) = screen.size();
        let row = (0..rows.get()).find(|&row| {
            (0..cols.get().min(4)).any(|col| screen.cell(row, col).is_some_and(|c| c.inverse()))
        })?;
        screen.rows(0, cols.get()).nth(usize::from(row))
    }

    /// The program's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Waits until the program has used no CPU for `idle` (its background work is done), at
    /// most `limit`; whether it went idle.
    pub fn wait_idle(&self, idle: Duration, limit: Duration) -> bool {
        let ticks = |pid: u32| -> Option<u64> {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let after = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        };
        let Some(pid) = self.pid() else { return false };
        let start = Instant::now();
        let (mut last, mut since) = (ticks(pid), Instant::now());
        while start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(100));
            let now = ticks(pid);
            if now != last {
                (last, since) = (now, Instant::now());
            } else if since.elapsed() >= idle {
                return true;
            }
        }
        false
    }

    /// The screen with its colours and attributes, to notice a selection that only moves a
    /// highlight.
    pub fn formatted(&self) -> String {
        self.shared
            .0
            .lock()
            .expect("the screen")
            .parser
            .screen()
            .contents_formatted()
    }

    /// Waits until the screen, attributes included, differs from `before`.
    pub fn wait_changed(&self, before: &str) -> Instant {
        self.wait_changed_within(before, TIMEOUT)
            .expect("the screen changes")
    }

    /// When the screen, attributes included, first differed from `before`, if it did within
    /// `limit`.
    pub fn wait_changed_within(&self, before: &str, limit: Duration) -> Option<Instant> {
        let start = Instant::now();
        let (lock, woken) = &*self.shared;
        let mut shared = lock.lock().expect("the screen");
        loop {
            if shared.parser.screen().contents_formatted() != before {
                return Some(shared.last_byte);
            }
            let left = limit.checked_sub(start.elapsed())?;
            shared = woken.wait_timeout(shared, left).expect("the screen").0;
        }
    }

    /// Waits until more than `bytes` have been written, for at most `limit`; returns when the
    /// last of them arrived.
    pub fn wait_output(&self, bytes: usize, limit: Duration) -> Option<Instant> {
        let start = Instant::now();
        let (lock, woken) = &*self.shared;
        let mut shared = lock.lock().expect("the screen");
        while shared.bytes <= bytes {
            let left = limit.checked_sub(start.elapsed())?;
            shared = woken.wait_timeout(shared, left).expect("the screen").0;
        }
        Some(shared.last_byte)
    }

    /// The screen's text.
    pub fn contents(&self) -> String {
        self.shared
            .0
            .lock()
            .expect("the screen")
            .parser
            .screen()
            .contents()
    }

    /// Resizes the terminal, as a user dragging the window does.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let size_of = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        self.shared
            .0
            .lock()
            .expect("the screen")
            .parser
            .set_size(size_of(rows), size_of(cols));
        self._master.resize(size).expect("resizing the pty");
        self.size = (cols, rows);
    }

    /// Whether the terminal is as a shell left it: main screen, cursor shown, no mouse reports.
    pub fn restored(&self) -> bool {
        let shared = self.shared.0.lock().expect("the screen");
        let screen = shared.parser.screen();
        !screen.alternate_screen()
            && !screen.hide_cursor()
            && screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    }

    /// Waits for the program to exit; returns its exit code, or `None` if it had to be killed.
    pub fn exit_code(&mut self, limit: Duration) -> Option<u32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().ok().flatten() {
                return Some(status.exit_code());
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn bytes(&self) -> usize {
        self.shared.0.lock().expect("the screen").bytes
    }

    /// The program's peak resident memory so far, from /proc.
    pub fn peak_rss_mib(&mut self) -> Option<f64> {
        let pid = self.child.process_id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// Waits for the program to exit, killing it after a few seconds.
    pub fn finish(mut self) {
        let start = Instant::now();
        while self.child.try_wait().ok().flatten().is_none() {
            if start.elapsed() > Duration::from_secs(5) {
                let _ = self.child.kill();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
