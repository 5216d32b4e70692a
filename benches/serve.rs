//! `byline serve` under load, on loopback, each figure printed beside its goal (issue 13):
//!
//! - connection to first frame (TCP connect, SSH handshake, key, pty, shell, first bytes of
//!   the screen): goal ≤ 150 ms;
//! - 1,000 idle sessions: the server's RSS beyond the library (≤ 1 MiB a session) and its CPU
//!   while nobody types (goal 0);
//! - 50 of them holding `j` at 30 keys a second: key → first bytes of the frame, p99 ≤ 10 ms,
//!   and no session starved (each gets frames all along). Each session starts its key repeat
//!   at a moment of its own, as 50 people would; a second run sends all 50 keys in the same
//!   instant, the worst case, and prints it beside.
//!
//! The real binary serves a generated dump of 10,000 articles from a temporary home. Clients
//! are russh's client side in this process; they connect from many loopback addresses
//! (127.0.x.y) because the server allows only a few new connections a second per address.
//! `BYLINE_SERVE_IDLE` (default 1000) and `BYLINE_SERVE_HOLD_SECONDS` (default 5) scale it.
//! Every wait has a limit, and the whole run stops by itself.

#[path = "support/generate.rs"]
mod generate;

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client;
use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};

const BYLINE: &str = env!("CARGO_BIN_EXE_byline");
const ARTICLES: usize = 10_000;
const HELD: usize = 50;
const KEYS_A_SECOND: u64 = 30;
/// Connections opened from one source address (the server lets 10 in at once per address).
const PER_ADDRESS: usize = 8;
const LIMIT: Duration = Duration::from_secs(60);

fn key(index: usize) -> PrivateKey {
    let mut seed = [7u8; 32];
    seed[..8].copy_from_slice(&(index as u64).to_le_bytes());
    let pair = KeypairData::Ed25519(Ed25519Keypair::from_seed(&seed));
    PrivateKey::new(pair, "bench").expect("a key")
}

/// The `n`th source address: 127.0.x.y, never 127.0.0.1 (the test clients' own).
fn source(n: usize) -> SocketAddr {
    let n = n + 2;
    SocketAddr::from(([127, 0, (n / 250) as u8, (n % 250 + 2) as u8], 0))
}

struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// One reader's client: when its data arrived, and how to type into it.
struct Reader {
    _handle: client::Handle<Trusting>,
    writer: russh::ChannelWriteHalf<client::Msg>,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

/// Connects from `from`, signs in with `key`, asks for a pty and the reader; returns once the
/// first bytes of its screen arrived, with the time that took.
async fn open(
    server: SocketAddr,
    from: SocketAddr,
    key: &PrivateKey,
) -> Result<(Reader, Duration), String> {
    let start = Instant::now();
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket.bind(from).map_err(|e| format!("{from}: {e}"))?;
    let stream = socket.connect(server).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect_stream(config, stream, Trusting)
        .await
        .map_err(|e| e.to_string())?;
    let signed = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
    let auth = handle
        .authenticate_publickey("bench", signed)
        .await
        .map_err(|e| e.to_string())?;
    if !auth.success() {
        return Err("key refused".into());
    }
    let channel = handle
        .channel_open_session()
        .await
        .map_err(|e| e.to_string())?;
    channel
        .request_pty(false, "xterm-256color", 120, 40, 0, 0, &[])
        .await
        .map_err(|e| e.to_string())?;
    channel
        .request_shell(false)
        .await
        .map_err(|e| e.to_string())?;
    let (mut read, writer) = channel.split();
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let (first_tx, first_rx) = tokio::sync::oneshot::channel();
    let seen = Arc::clone(&arrivals);
    tokio::spawn(async move {
        let mut first = Some(first_tx);
        while let Some(message) = read.wait().await {
            if let ChannelMsg::Data { .. } = message {
                let now = Instant::now();
                if let Some(first) = first.take() {
                    let _ = first.send(now);
                }
                seen.lock().unwrap().push(now);
            }
        }
    });
    let first = tokio::time::timeout(LIMIT, first_rx)
        .await
        .map_err(|_| "no first frame".to_string())?
        .map_err(|_| "closed before the first frame".to_string())?;
    let reader = Reader {
        _handle: handle,
        writer,
        arrivals,
    };
    Ok((reader, first - start))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Resident memory and CPU ticks (user + system) of a process, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line; 12 and 13 after the name.
    field(11) + field(12)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn main() {
    let idle: usize = std::env::var("BYLINE_SERVE_IDLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let hold = Duration::from_secs(
        std::env::var("BYLINE_SERVE_HOLD_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5),
    );
    let home = tempfile::tempdir().expect("a temporary home");
    let dump = home.path().join("news.txt");
    generate::write_dump(&dump, ARTICLES, 1).expect("the corpus");
    let keys: Vec<PrivateKey> = (0..idle.max(HELD) + 20).map(key).collect();
    let authorized: String = keys
        .iter()
        .map(|k| k.public_key().to_openssh().expect("a public key") + "\n")
        .collect();
    let authorized_keys = home.path().join("authorized_keys");
    std::fs::write(&authorized_keys, authorized).expect("authorized_keys");
    println!(
        "byline serve bench: {idle} idle sessions, {HELD} holding j, load {}",
        load_average()
    );

    let mut server = Command::new(BYLINE)
        .args(["serve", "--listen", "127.0.0.1:0", "--max-sessions"])
        .arg((idle + 40).to_string())
        .arg("--authorized-keys")
        .arg(&authorized_keys)
        .arg(&dump)
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("byline serve starts");
    let pid = server.id();
    let stderr = server.stderr.take().expect("its log");
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines_tx.send(line);
        }
    });
    let address: SocketAddr = loop {
        let line = lines
            .recv_timeout(LIMIT)
            .expect("the server says where it listens");
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest
                .split(',')
                .next()
                .unwrap_or("")
                .parse()
                .expect("an address");
        }
    };
    // The log is drained so that the server never waits on a full pipe.
    std::thread::spawn(move || for _ in lines {});

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    std::thread::sleep(Duration::from_millis(500));
    let rss_before = rss_kib(pid);

    // Connection to first frame, one at a time.
    let mut firsts = Vec::new();
    let mut readers = Vec::new();
    for (n, key) in keys.iter().enumerate().take(20) {
        match runtime.block_on(open(address, source(n), key)) {
            Ok((reader, took)) => {
                firsts.push(took);
                readers.push(reader);
            }
            Err(e) => println!("connection {n}: {e}"),
        }
    }
    firsts.sort();

    // The idle crowd, 50 connections at a time.
    let started = Instant::now();
    let mut n = readers.len();
    while readers.len() < idle && started.elapsed() < LIMIT * 3 {
        let batch: Vec<_> = (n..(n + 50).min(idle))
            .map(|i| {
                let key = keys[i].clone();
                let from = source(20 + (i - 20) / PER_ADDRESS + 1);
                runtime.spawn(async move { open(address, from, &key).await })
            })
            .collect();
        n += batch.len();
        for opened in batch {
            match runtime.block_on(opened) {
                Ok(Ok((reader, _))) => readers.push(reader),
                Ok(Err(e)) => println!("a connection failed: {e}"),
                Err(e) => println!("a connection failed: {e}"),
            }
        }
        if n >= idle {
            break;
        }
    }
    let connected = readers.len();
    let opening = started.elapsed();
    std::thread::sleep(Duration::from_secs(3));
    let rss_idle = rss_kib(pid);
    let ticks_before = cpu_ticks(pid);
    let idle_window = Duration::from_secs(5);
    std::thread::sleep(idle_window);
    let idle_ticks = cpu_ticks(pid) - ticks_before;

    // 50 sessions holding j: as 50 people would, each starting at a moment of its own; then
    // all in step, every key of the 50 sent in the same instant (the worst case, reported).
    let held: Vec<Reader> = readers.drain(..HELD.min(readers.len())).collect();
    let independent = hold_j(&runtime, &held, pid, hold, Phases::Independent);
    let in_step = hold_j(&runtime, &held, pid, hold, Phases::InStep);

    let started = Instant::now();
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
    let status = loop {
        if let Ok(Some(status)) = server.try_wait() {
            break Some(status);
        }
        if started.elapsed() > LIMIT {
            let _ = server.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stopped = started.elapsed();
    drop(readers);
    drop(held);

    let per_session = (rss_idle.saturating_sub(rss_before)) as f64 / connected.max(1) as f64;
    println!();
    println!("| figure | measured | goal |");
    println!("|---|---|---|");
    println!(
        "| connection → first frame (20 in turn) | median {}, p95 {}, max {} | ≤ 150 ms |",
        ms(percentile(&firsts, 0.5)),
        ms(percentile(&firsts, 0.95)),
        ms(percentile(&firsts, 1.0))
    );
    println!(
        "| idle sessions connected | {connected} (opened in {:.1} s) | 1,000 |",
        opening.as_secs_f64()
    );
    println!(
        "| RSS beyond the library | {:.0} MiB in all, {:.0} KiB a session (library and server alone: {:.0} MiB) | ≤ 1 GiB, ≤ 1 MiB a session |",
        (rss_idle.saturating_sub(rss_before)) as f64 / 1024.0,
        per_session,
        rss_before as f64 / 1024.0
    );
    println!(
        "| CPU while nobody types | {idle_ticks} ticks in {} s ({:.2} %) | 0 |",
        idle_window.as_secs(),
        idle_ticks as f64 / idle_window.as_secs_f64()
    );
    independent.print(hold, "each from a moment of its own", "p99 ≤ 10 ms");
    in_step.print(hold, "all 50 keys in the same instant", "(worst case)");
    println!(
        "| SIGTERM → exit with {connected} sessions | {} in {} | 0 within 2 s |",
        status.map_or("killed".into(), |s| format!("status {:?}", s.code())),
        ms(stopped)
    );
    println!("load after: {}", load_average());
}

/// When the sessions holding `j` send their keys.
#[derive(Clone, Copy)]
enum Phases {
    /// Each session starts at its own moment within the first period (seeded, uniform), as
    /// the key repeat of 50 people would.
    Independent,
    /// Every session sends its key in the same instant.
    InStep,
}

/// What holding `j` measured.
struct Held {
    latencies: Vec<Duration>,
    starved: usize,
    fewest: usize,
    unanswered: usize,
    ticks: u64,
}

impl Held {
    fn print(&self, hold: Duration, how: &str, goal: &str) {
        let latencies = &self.latencies;
        println!(
            "| key → frame, {HELD} holding j at {KEYS_A_SECOND}/s for {} s, {how} | p50 {}, p99 {}, max {} ({} keys) | {goal} |",
            hold.as_secs(),
            ms(percentile(latencies, 0.5)),
            ms(percentile(latencies, 0.99)),
            ms(percentile(latencies, 1.0)),
            latencies.len()
        );
        println!(
            "| sessions starved, {how} | {} (fewest frames: {}; keys with no frame after them: {}); server CPU {:.0} % | none |",
            self.starved,
            self.fewest,
            self.unanswered,
            self.ticks as f64 / (hold.as_secs_f64() + 0.5)
        );
    }
}

/// Holds `j` in every session of `held` for `hold`, at [`KEYS_A_SECOND`], starting as `phases`
/// says; each key's latency is the time to the first frame bytes after it.
fn hold_j(
    runtime: &tokio::runtime::Runtime,
    held: &[Reader],
    pid: u32,
    hold: Duration,
    phases: Phases,
) -> Held {
    use rand::{Rng, SeedableRng};
    let period = Duration::from_millis(1000 / KEYS_A_SECOND);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let sent: Vec<Arc<Mutex<Vec<Instant>>>> = held.iter().map(|_| Arc::default()).collect();
    let ticks_before = cpu_ticks(pid);
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for (reader, times) in held.iter().zip(&sent) {
            let writer = &reader.writer;
            let phase = match phases {
                Phases::Independent => period.mul_f64(rng.random::<f64>()),
                Phases::InStep => Duration::ZERO,
            };
            tasks.push(async move {
                let mut every = tokio::time::interval_at(start + phase, period);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let end = Instant::now() + hold;
                while Instant::now() < end {
                    every.tick().await;
                    times.lock().unwrap().push(Instant::now());
                    if writer.data_bytes(&b"j"[..]).await.is_err() {
                        break;
                    }
                }
            });
        }
        futures_join(tasks).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    });
    let ticks = cpu_ticks(pid) - ticks_before;
    let mut held_figures = Held {
        latencies: Vec::new(),
        starved: 0,
        fewest: usize::MAX,
        unanswered: 0,
        ticks,
    };
    for (reader, times) in held.iter().zip(&sent) {
        let arrivals = reader.arrivals.lock().unwrap();
        let times = times.lock().unwrap();
        for &at in times.iter() {
            match arrivals.iter().find(|&&a| a >= at) {
                Some(&a) => held_figures.latencies.push(a - at),
                None => held_figures.unanswered += 1,
            }
        }
        let frames = times
            .first()
            .map_or(0, |&start| arrivals.iter().filter(|&&a| a >= start).count());
        held_figures.fewest = held_figures.fewest.min(frames);
        if frames == 0 {
            held_figures.starved += 1;
        }
    }
    held_figures.latencies.sort();
    held_figures
}

/// Runs futures side by side until all end (no extra dependency for `join_all`).
async fn futures_join<F: std::future::Future<Output = ()>>(tasks: Vec<F>) {
    let mut tasks: Vec<_> = tasks.into_iter().map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        tasks.retain_mut(|task| task.as_mut().poll(cx).is_pending());
        match tasks.is_empty() {
            true => std::task::Poll::Ready(()),
            false => std::task::Poll::Pending,
        }
    })
    .await
}
