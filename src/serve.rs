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
mod limits;
mod listen;
mod reader;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use russh::keys::{PrivateKey, PublicKey};

use crate::config::Settings;
use crate::library;
use crate::terminal::{Incoming, Poster, Signal};
use host::Link;
pub use limits::Limits;

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
    crate::text::tell("byline serve", line);
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
    runtime.spawn(listen::accept(
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
