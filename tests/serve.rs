//! `byline serve` end to end on 127.0.0.1: a server started by the test, SSH clients of the
//! test's own (russh's client side), screens read by a terminal emulator. No timing
//! assertions: every wait is a hang guard of a minute.

#[path = "support/ssh.rs"]
mod ssh;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use byline::serve::Limits;
use ssh::{Options, Term, clients, closed_by_server, key, serve, settle, sign_in, wait_until};

#[test]
fn a_reader_signs_in_reads_quits_and_finds_its_read_marks_when_it_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let reader = key(1);
    let server = serve(dir.path(), &[&reader], Limits::default());
    let address = server.address();
    clients().block_on(async {
        let term = Term::open(address, &reader, Options::default()).await;
        term.wait_for("10 unread").await;
        term.wait_for("1/10").await;
        term.send("j\r").await;
        term.wait_for("9 unread").await;
        // Back to the list, then quit.
        term.send("q").await;
        term.send("q").await;
        term.wait_closed().await;
        let again = Term::open(address, &reader, Options::default()).await;
        again.wait_for("9 unread").await;
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn every_reader_sees_a_reload_whether_the_file_grew_or_one_of_them_asked() {
    const TWO: &str =
        "First headline\n\nBody one.\nView 1 times\nSecond headline\n\nBody two.\nView 2 times\n";
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("news.txt");
    std::fs::write(&dump, TWO).unwrap();
    let (one, two) = (key(1), key(2));
    let inputs = [byline::loader::Input::Path(dump.clone())];
    let server = ssh::serve_inputs(dir.path(), &[&one, &two], Limits::default(), &inputs);
    let address = server.address();
    clients().block_on(async {
        let first = Term::open(address, &one, Options::default()).await;
        let second = Term::open(address, &two, Options::default()).await;
        first.wait_for("1/2").await;
        second.wait_for("1/2").await;
        let grown = format!("{TWO}Third headline\n\nBody three.\nView 3 times\n");
        std::fs::write(&dump, grown).unwrap();
        first.wait_for("Reloaded: 1 new article").await;
        second.wait_for("Reloaded: 1 new article").await;
        first.wait_for("1/3").await;
        second.wait_for("1/3").await;
        // One reader asks (Ctrl-r); the one library loads, and every reader is told.
        first.send("\x12").await;
        first.wait_for("Reloaded; nothing new").await;
        second.wait_for("Reloaded; nothing new").await;
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn a_key_not_in_the_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (allowed, stranger) = (key(1), key(2));
    let server = serve(dir.path(), &[&allowed], Limits::default());
    let address = server.address();
    clients().block_on(async {
        let refused = sign_in(address, &stranger, None).await;
        assert!(refused.is_err(), "a stranger's key got in");
        assert!(sign_in(address, &allowed, None).await.is_ok());
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn a_connection_gets_a_few_authentication_attempts_then_is_ended() {
    let dir = tempfile::tempdir().unwrap();
    let allowed = key(1);
    let limits = Limits {
        auth_attempts: 3,
        ..Limits::default()
    };
    let server = serve(dir.path(), &[&allowed], limits);
    let address = server.address();
    clients().block_on(async {
        let strangers: Vec<_> = (10..20).map(key).collect();
        let tried = ssh::try_keys(address, &strangers).await;
        // Three refusals (russh counts from the first signed request), then the end: never
        // the ten tries the client had.
        assert!(
            matches!(tried, Some(Err(4..=5))),
            "three refusals, then the end: {tried:?}"
        );
        let mut two_then_allowed: Vec<_> = (10..12).map(key).collect();
        two_then_allowed.push(allowed.clone());
        assert_eq!(ssh::try_keys(address, &two_then_allowed).await, Some(Ok(3)));
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn two_keys_keep_separate_reading_state() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (key(1), key(2));
    let server = serve(dir.path(), &[&one, &two], Limits::default());
    let address = server.address();
    clients().block_on(async {
        let first = Term::open(address, &one, Options::default()).await;
        first.wait_for("1/10").await;
        first.send("j\r").await;
        first.wait_for("9 unread").await;
        first.send("qq").await;
        first.wait_closed().await;
        let second = Term::open(address, &two, Options::default()).await;
        second.wait_for("10 unread").await;
        let first = Term::open(address, &one, Options::default()).await;
        first.wait_for("9 unread").await;
    });
    let files = std::fs::read_dir(dir.path().join("state")).unwrap().count();
    assert!(files >= 2, "one state file per key");
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn running_a_program_is_refused_with_a_message_and_the_reader_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let reader = key(1);
    let server = serve(dir.path(), &[&reader], Limits::default());
    let address = server.address();
    clients().block_on(async {
        let term = Term::open(address, &reader, Options::default()).await;
        term.wait_for("1/10").await;
        term.send("v").await;
        term.wait_for("Running programs is not possible here").await;
        term.send("j").await;
        term.wait_for("2/10").await;
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn a_dumb_terminal_is_told_it_cannot_show_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let reader = key(1);
    let server = serve(dir.path(), &[&reader], Limits::default());
    let address = server.address();
    clients().block_on(async {
        let options = Options {
            env: vec![("TERM".into(), "dumb".into())],
            ..Options::default()
        };
        let term = Term::open(address, &reader, options).await;
        term.wait_closed().await;
        term.wait_for("TERM=dumb cannot show the reader").await;
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn a_client_that_reads_nothing_is_dropped_and_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let (stalled, other) = (key(1), key(2));
    let limits = Limits {
        stall: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = serve(dir.path(), &[&stalled, &other], limits);
    let address = server.address();
    let runtime = clients();
    let (relay, _still, fine) = runtime.block_on(async {
        let relay = ssh::relay(address).await;
        let options = Options {
            window: Some(4096),
            ..Options::default()
        };
        let still = Term::open(relay.address, &stalled, options).await;
        still.wait_for("1/10").await;
        let fine = Term::open(address, &other, Options::default()).await;
        fine.wait_for("1/10").await;
        (relay, still, fine)
    });
    assert_eq!(server.connections(), 2);
    relay
        .stalled
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Keys go on arriving; the frames they cause are never taken.
    runtime.block_on(async {
        let start = std::time::Instant::now();
        while server.connections() > 1 {
            assert!(start.elapsed() < ssh::HANG, "the stalled client was kept");
            for keys in ["G", "g"] {
                let _ = tokio::time::timeout(Duration::from_millis(50), _still.send(keys)).await;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        fine.send("j").await;
        fine.wait_for("2/10").await;
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn output_goes_on_past_256_kib_because_what_russh_writes_to_the_socket_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let reader = key(1);
    let inputs = many_articles(dir.path(), 400, &"long words ".repeat(8));
    let server = ssh::serve_inputs(dir.path(), &[&reader], Limits::default(), &inputs);
    let address = server.address();
    clients().block_on(async {
        let term = Term::open(address, &reader, Options::default()).await;
        term.wait_for("1/400").await;
        // Some 300 frames of about a kilobyte each: well past what russh may hold at once.
        for _ in 0..300 {
            term.send("j").await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        term.wait_for("301/400").await;
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn a_panicking_session_ends_alone_and_the_server_goes_on_serving() {
    let dir = tempfile::tempdir().unwrap();
    let (doomed, other) = (key(1), key(2));
    let server = serve(dir.path(), &[&doomed, &other], Limits::default());
    let address = server.address();
    clients().block_on(async {
        let fine = Term::open(address, &other, Options::default()).await;
        fine.wait_for("1/10").await;
        let options = Options {
            env: vec![("BYLINE_TEST_PANIC".into(), "1".into())],
            ..Options::default()
        };
        let panicking = Term::open(address, &doomed, options).await;
        panicking.wait_for("1/10").await;
        panicking.send("j").await;
        panicking.wait_closed().await;
        assert!(panicking.text().contains("ended on an error"));
        // The alternate screen was left: the client's terminal is its own again.
        assert!(!panicking.screen.lock().unwrap().screen().alternate_screen());
        fine.send("j").await;
        fine.wait_for("2/10").await;
        let later = Term::open(address, &other, Options::default()).await;
        later.wait_for("/10").await;
    });
    // The clients are gone: so are their readers, the panicked one too.
    wait_until("every reader to end", || server.readers() == 0);
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn too_many_sessions_or_connections_a_second_are_refused_before_ssh() {
    let dir = tempfile::tempdir().unwrap();
    let reader = key(1);
    let limits = Limits {
        max_sessions: 1,
        ..Limits::default()
    };
    let server = serve(dir.path(), &[&reader], limits);
    let address = server.address();
    clients().block_on(async {
        let first = Term::open(address, &reader, Options::default()).await;
        first.wait_for("1/10").await;
        assert!(
            sign_in(address, &reader, None).await.is_err(),
            "a second session got in"
        );
    });
    server.shutdown(Duration::from_secs(2));

    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        connection_rate: 0.001,
        connection_burst: 2.0,
        ..Limits::default()
    };
    let server = serve(dir.path(), &[&reader], limits);
    let address = server.address();
    clients().block_on(async {
        assert!(sign_in(address, &reader, None).await.is_ok());
        assert!(sign_in(address, &reader, None).await.is_ok());
        assert!(
            sign_in(address, &reader, None).await.is_err(),
            "a third connection got in"
        );
    });
    server.shutdown(Duration::from_secs(2));
}

/// A dump of `count` articles in `dir`, headlines numbered from 0 and followed by `words`.
fn many_articles(dir: &std::path::Path, count: usize, words: &str) -> Vec<byline::loader::Input> {
    let dump = dir.join("news.txt");
    let text: String = (0..count)
        .map(|i| format!("Headline number {i} {words}\n\nBody {i}.\nView {i} times\n"))
        .collect();
    std::fs::write(&dump, text).unwrap();
    vec![byline::loader::Input::Path(dump)]
}

/// The selected article's number, from the `n/of` the reader shows.
fn position(screen: &str, of: usize) -> Option<usize> {
    let (before, _) = screen.split_once(&format!("/{of}"))?;
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    before[before.len() - digits..].parse().ok()
}

/// How long the grace tests give a connection to have its reader running: long enough for a
/// reader's sign-in on a loaded machine, short enough for the test to wait it out.
const GRACE: Duration = Duration::from_secs(3);

#[test]
fn a_client_flooding_input_is_held_to_its_rate_while_another_reader_is_answered() {
    const RATE: f64 = 50.0;
    const BURST: f64 = 25.0;
    let dir = tempfile::tempdir().unwrap();
    let (flooder, other) = (key(1), key(2));
    let limits = Limits {
        input_rate: RATE,
        input_burst: BURST,
        ..Limits::default()
    };
    let inputs = many_articles(dir.path(), 400, "");
    let server = ssh::serve_inputs(dir.path(), &[&flooder, &other], limits, &inputs);
    let address = server.address();
    clients().block_on(async {
        let flooding = Term::open(address, &flooder, Options::default()).await;
        let answered = Term::open(address, &other, Options::default()).await;
        flooding.wait_for("1/400").await;
        answered.wait_for("1/400").await;
        // One `j` a write, as fast as the connection takes them: each one the reader gets
        // moves its selection one down, so the selection counts the keys let through.
        let written = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped) = (Arc::clone(&written), Arc::clone(&stop));
        let mut writer = flooding.writer();
        let started = Instant::now();
        let flood = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            while !stopped.load(Ordering::SeqCst) && writer.write_all(b"j").await.is_ok() {
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        for n in 2..=6 {
            answered.send("j").await;
            answered.wait_for(&format!("{n}/400")).await;
        }
        // The flooded reader never gets more than its burst and its rate since the flood
        // began (the time is taken after the screen is read, so a slow machine only widens
        // the bound), and it does get keys past its burst: held to the rate, not dropped.
        let moved = loop {
            let screen = flooding.text();
            let elapsed = started.elapsed().as_secs_f64();
            let moved = position(&screen, 400).map_or(0, |at| at.saturating_sub(1));
            let allowed = BURST + RATE * elapsed;
            assert!(
                moved as f64 <= allowed + 1.0,
                "{moved} keys got through in {elapsed:.2} s, at most {allowed:.0} may"
            );
            if moved as f64 > 2.0 * BURST {
                break moved;
            }
            assert!(
                started.elapsed() < ssh::HANG,
                "the flooded reader got {moved} keys in a minute"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        let sent = written.load(Ordering::SeqCst);
        assert!(
            sent > 2 * moved,
            "the client wrote {sent} keys and {moved} went through: a flood is held back"
        );
        answered.send("j").await;
        answered.wait_for("7/400").await;
        stop.store(true, Ordering::SeqCst);
        flood.abort();
    });
    server.shutdown(Duration::from_secs(2));
}

#[test]
fn a_connection_without_a_reader_within_the_grace_is_ended_and_a_reader_stays() {
    let dir = tempfile::tempdir().unwrap();
    let reader = key(1);
    let limits = Limits {
        login_grace: GRACE,
        ..Limits::default()
    };
    let server = serve(dir.path(), &[&reader], limits);
    let address = server.address();
    clients().block_on(async {
        let term = Term::open(address, &reader, Options::default()).await;
        term.wait_for("1/10").await;
        // One connection says nothing at all, another goes through the SSH handshake and
        // never authenticates, a third signs in with an allowed key and never asks for the
        // reader.
        let connected = Instant::now();
        let mut silent = tokio::net::TcpStream::connect(address).await.unwrap();
        let config = Arc::new(russh::client::Config::default());
        let unsigned = russh::client::connect(config, address, ssh::Trusting)
            .await
            .unwrap();
        let idle = ssh::sign_in(address, &reader, None).await.unwrap();
        assert!(
            closed_by_server(&mut silent).await,
            "a connection that sent nothing was kept a minute"
        );
        settle("the connection that never signed in to be ended", || {
            unsigned.is_closed()
        })
        .await;
        settle(
            "the connection that never started a reader to be ended",
            || idle.is_closed(),
        )
        .await;
        // Ended by the grace, not by some later timeout of the SSH library (a bound with room
        // for a loaded machine: it checks which mechanism ended them, not how fast).
        let ended_after = connected.elapsed();
        assert!(
            ended_after < GRACE + Duration::from_secs(20),
            "the connections without a reader were ended only after {ended_after:?}"
        );
        // All were ended after the reader's own grace ran out: the reader is still there.
        settle("one connection left", || server.connections() == 1).await;
        assert!(!term.closed.load(Ordering::SeqCst), "the reader was ended");
        term.send("j").await;
        term.wait_for("2/10").await;
    });
    server.shutdown(Duration::from_secs(2));
}

/// The binary: `byline serve` until SIGTERM, reading its log for the port.
mod binary {
    use super::*;
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    use std::sync::mpsc;

    struct Served {
        child: std::process::Child,
        lines: mpsc::Receiver<String>,
        address: std::net::SocketAddr,
    }

    fn start(home: &std::path::Path, keys: &std::path::Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_byline"))
            .args(["serve", "--listen", "127.0.0.1:0", "--authorized-keys"])
            .arg(keys)
            .env("HOME", home)
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = send.send(line);
            }
        });
        let mut served = Served {
            child,
            lines,
            address: "127.0.0.1:1".parse().unwrap(),
        };
        let listening = served.wait_line("listening on ");
        let address = listening.split("listening on ").nth(1).unwrap();
        served.address = address.split(',').next().unwrap().parse().unwrap();
        served
    }

    impl Served {
        fn wait_line(&mut self, text: &str) -> String {
            loop {
                match self.lines.recv_timeout(ssh::HANG) {
                    Ok(line) if line.contains(text) => return line,
                    Ok(_) => {}
                    Err(e) => panic!("no line with {text:?} in the log: {e}"),
                }
            }
        }

        fn signal(&self, signal: nix::sys::signal::Signal) {
            let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
            nix::sys::signal::kill(pid, signal).unwrap();
        }

        fn wait(&mut self) -> std::process::ExitStatus {
            let start = std::time::Instant::now();
            loop {
                if let Some(status) = self.child.try_wait().unwrap() {
                    return status;
                }
                assert!(start.elapsed() < ssh::HANG, "the server did not stop");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    #[test]
    fn sigterm_saves_every_reader_tells_the_clients_and_exits_0_and_sighup_reads_the_keys_again() {
        use nix::sys::signal::Signal::{SIGHUP, SIGTERM};
        let home = tempfile::tempdir().unwrap();
        let (one, two) = (key(1), key(2));
        let keys = home.path().join("authorized_keys");
        std::fs::write(&keys, one.public_key().to_openssh().unwrap() + "\n").unwrap();
        let mut served = start(home.path(), &keys);
        let address = served.address;
        let runtime = clients();
        let term = runtime.block_on(async {
            assert!(sign_in(address, &two, None).await.is_err());
            let term = Term::open(address, &one, Options::default()).await;
            term.wait_for("1/10").await;
            term.send("j\r").await;
            term.wait_for("9 unread").await;
            term
        });
        served.wait_line("authenticated as");
        let both = format!(
            "{}\n{}\n",
            one.public_key().to_openssh().unwrap(),
            two.public_key().to_openssh().unwrap()
        );
        std::fs::write(&keys, both).unwrap();
        served.signal(SIGHUP);
        served.wait_line("authorized keys read again: 2 keys");
        runtime.block_on(async {
            assert!(sign_in(address, &two, None).await.is_ok());
        });
        served.signal(SIGTERM);
        assert_eq!(served.wait().code(), Some(0));
        runtime.block_on(async {
            term.wait_closed().await;
            term.wait_for("the server is stopping").await;
        });
        // Saved: the next server's reader of the same key has the article read.
        let mut again = start(home.path(), &keys);
        let address = again.address;
        runtime.block_on(async {
            let term = Term::open(address, &one, Options::default()).await;
            term.wait_for("9 unread").await;
        });
        again.signal(SIGTERM);
        assert_eq!(again.wait().code(), Some(0));
    }
}
