//! A program in a pseudo-terminal, its screen kept by vt100, with timestamps precise enough
//! for keystroke latencies: the reader thread wakes waiters as soon as bytes arrive. Shared by the
//! benchmarks, each of which uses part of it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long a wait may take before the harness gives up.
const TIMEOUT: Duration = Duration::from_secs(30);
const LONG_TIMEOUT: Duration = Duration::from_secs(600);

struct Shared {
    parser: vt100::Parser,
    bytes: usize,
    last_byte: Instant,
}

pub struct Session {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    shared: Arc<(Mutex<Shared>, Condvar)>,
}

impl Session {
    pub fn spawn(program: &str, args: &[&str], home: &Path, cols: u16, rows: u16) -> Session {
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
            }),
            Condvar::new(),
        ));
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let sink = Arc::clone(&shared);
        std::thread::spawn(move || {
            let mut chunk = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                let (lock, woken) = &*sink;
                let mut shared = lock.lock().expect("the screen");
                shared.parser.process(&chunk[..n]);
                shared.bytes += n;
                shared.last_byte = Instant::now();
                woken.notify_all();
            }
        });
        let writer = pair.master.take_writer().expect("a writer");
        Session {
            _master: pair.master,
            writer,
            child,
            shared,
        }
    }

    /// Writes `keys` and returns the time just before the write.
    pub fn send(&mut self, keys: &str) -> Instant {
        let sent = Instant::now();
        self.writer
            .write_all(keys.as_bytes())
            .expect("writing keys");
        self.writer.flush().expect("writing keys");
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
        let start = Instant::now();
        loop {
            let quiet = self
                .shared
                .0
                .lock()
                .expect("the screen")
                .last_byte
                .elapsed();
            if quiet >= Duration::from_millis(100) {
                return true;
            }
            if start.elapsed() >= limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100) - quiet);
        }
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
