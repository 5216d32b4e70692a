//! `byline serve`: an SSH server whose only program is the reader. Every authorized key gets
//! its own reader (terminal size, colours, reading state by key fingerprint) over one shared
//! library; nothing a reader does runs a program or writes a file on the server.
//!
//! Each connection is a russh session on a small tokio runtime; each reader runs the ordinary
//! runtime on a thread of its own, fed by the connection's handler ([`host::SshHost`]).

mod connection;
#[doc(hidden)]
pub mod fuzz;
pub mod host;
pub mod keys;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use russh::keys::{PrivateKey, PublicKey};
use russh::server::Handle;
use russh::{ChannelId, ChannelWriteHalf};

use crate::config::Settings;
use crate::library;
use crate::session::{Command, Msg, Options, Session};
use crate::state;
use crate::terminal::{self, Ending, Incoming, Poster, Saver, Signal};
use connection::{Bucket, Connection};
use host::{Link, SshHost, SshOut};

/// How the server is bounded. The defaults are what `byline serve` uses; tests and the
/// benchmark shorten or widen them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Readers at once (`--max-sessions`).
    pub max_sessions: usize,
    /// Output handed to russh and not yet on the socket, per reader; frames are coalesced
    /// behind it.
    pub output_queue: usize,
    /// A client that takes none of its output for this long is disconnected.
    pub stall: Duration,
    /// Input bytes a second per reader, and how many may come at once.
    pub input_rate: f64,
    pub input_burst: f64,
    /// New connections a second per source address, and how many may come at once.
    pub connection_rate: f64,
    pub connection_burst: f64,
    /// Public keys a connection may try.
    pub auth_attempts: usize,
    /// Time from connecting to a running reader.
    pub login_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_sessions: 100,
            output_queue: 256 * 1024,
            stall: Duration::from_secs(30),
            input_rate: 4096.0,
            input_burst: 16384.0,
            connection_rate: 3.0,
            connection_burst: 10.0,
            auth_attempts: 6,
            login_grace: Duration::from_secs(30),
        }
    }
}

/// Everything a server needs besides its articles.
pub struct Config {
    pub listen: SocketAddr,
    pub host_key: PrivateKey,
    pub authorized_keys: PathBuf,
    /// Where each key's reading state is kept (`<dir>/<fingerprint>.db`); `None`: not kept.
    pub state_dir: Option<PathBuf>,
    pub settings: Settings,
    /// Names the inputs, so a reader's position is remembered per set of files.
    pub input_key: String,
    pub limits: Limits,
    /// Debug builds only: honour the test hooks (`BYLINE_TEST_PANIC` sent as an env request).
    pub test_hooks: bool,
}

/// What every connection shares.
pub struct Hub {
    config: Config,
    keys: RwLock<keys::Authorized>,
    library: library::Shared,
    /// The running readers, to tell them when the server stops.
    readers: Mutex<HashMap<u64, Poster>>,
    next_reader: AtomicU64,
    connections: AtomicUsize,
    links: Mutex<HashMap<u64, Arc<Link>>>,
    closing: AtomicBool,
}

impl Hub {
    fn allows(&self, key: &PublicKey) -> bool {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .allows(key)
    }
}

/// One line on standard error, cleaned (addresses and names come from outside).
fn log(line: &str) {
    eprintln!("byline serve: {}", crate::text::clean_line(line));
}

/// A running server; [`Server::shutdown`] stops it.
pub struct Server {
    hub: Arc<Hub>,
    address: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Arc<tokio::sync::Notify>,
}

/// Starts serving the articles of `library`; fails (one line) if the address cannot be
/// listened on or the authorized keys cannot be read.
pub fn start(config: Config, library: library::Shared) -> Result<Server, String> {
    let authorized = keys::authorized(&config.authorized_keys)?;
    for skipped in &authorized.skipped {
        log(skipped);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("byline-serve")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's threads: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(config.listen))
        .map_err(|e| format!("{}: {e}", config.listen))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("{}: {e}", config.listen))?;
    let russh_config = Arc::new(russh::server::Config {
        server_id: russh::SshId::Standard("SSH-2.0-byline".into()),
        methods: russh::MethodSet::from(&[russh::MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![config.host_key.clone()],
        max_auth_attempts: config.limits.auth_attempts,
        // Idle readers cost nothing: no timer but a keepalive now and then, which also finds
        // clients that went away without a word.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(60)),
        keepalive_max: 3,
        ..Default::default()
    });
    let hub = Arc::new(Hub {
        keys: RwLock::new(authorized),
        library,
        readers: Mutex::default(),
        next_reader: AtomicU64::new(0),
        connections: AtomicUsize::new(0),
        links: Mutex::default(),
        closing: AtomicBool::new(false),
        config,
    });
    let stop = Arc::new(tokio::sync::Notify::new());
    runtime.spawn(accept(
        listener,
        Arc::clone(&hub),
        russh_config,
        Arc::clone(&stop),
    ));
    Ok(Server {
        hub,
        address,
        runtime: Some(runtime),
        stop,
    })
}

impl Server {
    /// Where it listens (the port chosen, when asked for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Readers running now.
    pub fn readers(&self) -> usize {
        self.hub
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Connections open now, signed in or not.
    pub fn connections(&self) -> usize {
        self.hub.connections.load(Ordering::SeqCst)
    }

    /// Reads the authorized keys file again (SIGHUP); on failure the keys stay as they were.
    pub fn reload_keys(&self) -> Result<usize, String> {
        let authorized = keys::authorized(&self.hub.config.authorized_keys)?;
        for skipped in &authorized.skipped {
            log(skipped);
        }
        let count = authorized.keys.len();
        *self
            .hub
            .keys
            .write()
            .unwrap_or_else(PoisonError::into_inner) = authorized;
        Ok(count)
    }

    /// Stops: no new connections, every reader told to end (its state saved, its client told),
    /// then whatever is left cut, all within about `limit`.
    pub fn shutdown(mut self, limit: Duration) {
        let started = Instant::now();
        self.hub.closing.store(true, Ordering::SeqCst);
        self.stop.notify_one();
        let readers: Vec<Poster> = (self.hub.readers.lock())
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for reader in readers {
            reader.post(Incoming::Signal(Signal::Terminate(libc::SIGTERM)));
        }
        while self.readers() > 0 && started.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(10));
        }
        for link in self
            .hub
            .links
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            link.cut();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(limit.saturating_sub(started.elapsed()));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            self.hub.closing.store(true, Ordering::SeqCst);
            self.stop.notify_one();
            for link in (self
                .hub
                .links
                .lock()
                .unwrap_or_else(PoisonError::into_inner))
            .values()
            {
                link.cut();
            }
            runtime.shutdown_background();
        }
    }
}

/// Takes connections until stopped: a few a second per address, `max_sessions` at once.
async fn accept(
    listener: tokio::net::TcpListener,
    hub: Arc<Hub>,
    config: Arc<russh::server::Config>,
    stop: Arc<tokio::sync::Notify>,
) {
    let mut rates: HashMap<IpAddr, Bucket> = HashMap::new();
    let mut next_link = 0u64;
    loop {
        let (socket, peer) = tokio::select! {
            _ = stop.notified() => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    log(&format!("accept: {e}"));
                    // Out of descriptors, most likely: give the others a moment to end.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let limits = &hub.config.limits;
        if rates.len() > 10_000 {
            rates.retain(|_, bucket| !bucket.full());
        }
        let bucket = rates
            .entry(peer.ip())
            .or_insert_with(|| Bucket::new(limits.connection_rate, limits.connection_burst));
        if !bucket.try_take(1.0) {
            log(&format!("{peer}: refused, too many connections a second"));
            continue;
        }
        if hub.closing.load(Ordering::SeqCst) {
            continue;
        }
        if hub.connections.load(Ordering::SeqCst) >= limits.max_sessions {
            log(&format!(
                "{peer}: refused, {} sessions already (--max-sessions)",
                limits.max_sessions
            ));
            continue;
        }
        hub.connections.fetch_add(1, Ordering::SeqCst);
        log(&format!("{peer}: connect"));
        // A frame goes out when it is drawn, not when Nagle's algorithm has waited for an ACK.
        let _ = socket.set_nodelay(true);
        let link = Arc::new(Link::new(socket.as_fd().try_clone_to_owned().ok()));
        next_link += 1;
        let id = next_link;
        hub.links
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::clone(&link));
        let (hub, config) = (Arc::clone(&hub), Arc::clone(&config));
        tokio::spawn(async move {
            let started = Instant::now();
            serve_connection(&hub, config, socket, peer, &link).await;
            hub.links
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
            hub.connections.fetch_sub(1, Ordering::SeqCst);
            let why = match link.stalled.load(Ordering::SeqCst) {
                true => ", the client read nothing",
                false => "",
            };
            log(&format!(
                "{peer}: disconnect {} after {:.1} s, {} bytes sent{why}",
                link.who(),
                started.elapsed().as_secs_f64(),
                link.sent.load(Ordering::Relaxed)
            ));
        });
    }
}

async fn serve_connection(
    hub: &Arc<Hub>,
    config: Arc<russh::server::Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    link: &Arc<Link>,
) {
    let grace = hub.config.limits.login_grace;
    let handler = Connection::new(Arc::clone(hub), peer, Arc::clone(link));
    // What russh writes to the socket is counted: what it still holds is handed minus that.
    let socket = host::Counted {
        inner: socket,
        link: Arc::clone(link),
    };
    let running =
        match tokio::time::timeout(grace, russh::server::run_stream(config, socket, handler)).await
        {
            Ok(Ok(running)) => running,
            Ok(Err(e)) => {
                log(&format!("{peer}: {e}"));
                return;
            }
            Err(_) => {
                log(&format!("{peer}: no SSH greeting in time"));
                return;
            }
        };
    // A client that has not signed in within the grace time is cut.
    let watch = Arc::clone(link);
    let guard = tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        if watch.who_is_none() {
            watch.cut();
        }
    });
    match running.await {
        // The client went away or hung up: the disconnect line says so.
        Ok(()) | Err(russh::Error::IO(_) | russh::Error::Disconnect | russh::Error::HUP) => {}
        Err(e) => log(&format!("{peer}: {e}")),
    }
    guard.abort();
}

impl Link {
    fn who_is_none(&self) -> bool {
        (self.fingerprint.lock())
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }
}

/// What a connection hands its reader's thread.
struct Start {
    key: PublicKey,
    host: SshHost,
    writer: ChannelWriteHalf<russh::server::Msg>,
    channel: ChannelId,
    handle: Handle,
    tokio: tokio::runtime::Handle,
    link: Arc<Link>,
    color: bool,
    term: Option<String>,
}

/// Starts a reader on a thread of its own; false if the server is stopping.
fn spawn_reader(hub: &Arc<Hub>, start: Start) -> bool {
    if hub.closing.load(Ordering::SeqCst) {
        return false;
    }
    let id = hub.next_reader.fetch_add(1, Ordering::SeqCst);
    hub.readers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, start.host_poster());
    let hub = Arc::clone(hub);
    let spawned = std::thread::Builder::new()
        .name("byline-reader".into())
        .spawn(move || {
            read(&hub, start);
            hub.readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
        });
    spawned.is_ok()
}

impl Start {
    fn host_poster(&self) -> Poster {
        terminal::Host::poster(&self.host)
    }
}

/// Runs one reader to its end and says goodbye to its client however it ended: quit, hangup,
/// server stopping, error or panic. A panic ends this reader alone.
fn read(hub: &Arc<Hub>, start: Start) {
    let Start {
        key,
        mut host,
        writer,
        channel,
        handle,
        tokio,
        link,
        color,
        term,
    } = start;
    let out = SshOut::new(
        Box::pin(writer.make_writer()),
        tokio.clone(),
        hub.config.limits.stall,
        hub.config.limits.output_queue,
        Arc::clone(&link),
    );
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // As on a local terminal: a dumb one cannot show the reader.
        if term.as_deref() == Some("dumb") {
            return Err("TERM=dumb cannot show the reader".to_owned());
        }
        run_reader(hub, &key, &mut host, out, color)
    }));
    let (goodbye, status) = match ran {
        Ok(Ok(Ending::Quit)) => (String::new(), 0),
        Ok(Ok(Ending::Hangup)) => (String::new(), 0),
        Ok(Ok(Ending::Signal(_))) => ("byline: the server is stopping\r\n".to_owned(), 0),
        Ok(Err(e)) => (format!("byline: {}\r\n", crate::text::clean_line(&e)), 2),
        Err(_) => {
            log(&format!(
                "the reader of {} panicked (a bug); the server goes on",
                keys::fingerprint(&key)
            ));
            let mut restore = Vec::new();
            let _ = terminal::give_back(&mut restore);
            restore.extend_from_slice(b"\r\nbyline: this session ended on an error (a bug)\r\n");
            (String::from_utf8_lossy(&restore).into_owned(), 70)
        }
    };
    if link.stalled.load(Ordering::SeqCst) {
        return;
    }
    let sent = goodbye.len() as u64;
    tokio.block_on(async {
        let farewell = async {
            if !goodbye.is_empty() && handle.data(channel, goodbye.into_bytes()).await.is_ok() {
                link.sent.fetch_add(sent, Ordering::Relaxed);
            }
            let _ = handle.exit_status_request(channel, status).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        };
        if tokio::time::timeout(Duration::from_secs(1), farewell)
            .await
            .is_err()
        {
            link.cut();
        }
    });
}

/// The reader of one key: its state opened, its session made over the shared articles, run.
fn run_reader(
    hub: &Hub,
    key: &PublicKey,
    host: &mut SshHost,
    out: SshOut,
    color: bool,
) -> Result<Ending, String> {
    let config = &hub.config;
    let opened = match &config.state_dir {
        Some(dir) => {
            let path = dir.join(format!("{}.db", keys::file_name(key)));
            Some(state::open(&path, true, None)?)
        }
        None => None,
    };
    let (mut saver, saved, notice) = match opened {
        Some(opened) => (opened.saver, opened.state, opened.notice),
        None => (None, state::State::default(), None),
    };
    let options = Options {
        settings: config.settings.clone(),
        color,
        input_key: config.input_key.clone(),
        unsaved: saver.is_none(),
    };
    // Subscribed before the articles are taken, so that no reload falls in between.
    let poster = terminal::Host::poster(host);
    let library = hub
        .library
        .subscribe(move |store| poster.post(Incoming::Shared(store)));
    let mut session = Session::with_store(hub.library.current(), options, saved);
    for command in notice.map_or_else(Vec::new, |n| session.update(Msg::Notify(n))) {
        if let Command::Persist(changes) = command {
            let _ = saver.persist(changes);
        }
    }
    let finished = terminal::run_from(&mut session, host, &mut saver, library, out)
        .map_err(|e| e.to_string())?;
    Ok(finished.ending)
}

/// `byline serve` from the command line: serves until SIGTERM or SIGINT (exit 0, state saved,
/// clients told, within 2 s); SIGHUP reads the authorized keys again.
pub fn run_until_signalled(config: Config, library: library::Shared) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])
        .map_err(|e| anyhow::anyhow!("signals: {e}"))?;
    let host_print = keys::fingerprint(config.host_key.public_key());
    let server = start(config, library).map_err(|e| anyhow::anyhow!(e))?;
    log(&format!(
        "listening on {}, host key {host_print}",
        server.address()
    ));
    for signal in signals.forever() {
        match signal {
            SIGHUP => match server.reload_keys() {
                Ok(count) => log(&format!("authorized keys read again: {count} keys")),
                Err(e) => log(&format!("{e}; keeping the keys as they were")),
            },
            _ => break,
        }
    }
    log("stopping: saving every reader's state");
    server.shutdown(Duration::from_millis(1500));
    Ok(())
}
