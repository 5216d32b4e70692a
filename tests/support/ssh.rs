//! A server started by the test on 127.0.0.1 over the sample, and an SSH client (russh's own
//! client side) whose screen is read by a terminal emulator.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use byline::loader::{self, Input};
use byline::serve::{self, Limits, Server};
use russh::ChannelMsg;
use russh::client;
use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};

/// How long any wait may take before the test calls it a hang.
pub const HANG: Duration = Duration::from_secs(60);

/// A fixed ed25519 key: the same seed, the same key.
pub fn key(seed: u8) -> PrivateKey {
    let pair = KeypairData::Ed25519(Ed25519Keypair::from_seed(&[seed; 32]));
    PrivateKey::new(pair, format!("test key {seed}")).unwrap()
}

/// Serves the sample from `dir` (state under it) to the `allowed` keys.
pub fn serve(dir: &Path, allowed: &[&PrivateKey], limits: Limits) -> Server {
    serve_inputs(dir, allowed, limits, &[Input::Sample])
}

/// Serves `inputs`, watched for changes as `byline serve` watches them.
pub fn serve_inputs(
    dir: &Path,
    allowed: &[&PrivateKey],
    limits: Limits,
    inputs: &[Input],
) -> Server {
    let keys: String = allowed
        .iter()
        .map(|k| k.public_key().to_openssh().unwrap() + "\n")
        .collect();
    let authorized_keys = dir.join("authorized_keys");
    std::fs::write(&authorized_keys, keys).unwrap();
    let known = loader::Known {
        cache_dir: None,
        previous: None,
    };
    let corpus = loader::load_known(inputs, known);
    let watch = byline::reload::Watch::new(inputs, None);
    let library = byline::library::Shared::spawn(watch, Arc::new(corpus.store));
    let config = serve::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        host_key: key(200),
        authorized_keys,
        state_dir: Some(dir.join("state")),
        settings: Default::default(),
        input_key: format!("{inputs:?}"),
        limits,
        test_hooks: true,
    };
    serve::start(config, library).unwrap()
}

pub struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// A connected client with a pty and the reader running.
pub struct Term {
    _handle: client::Handle<Trusting>,
    writer: russh::ChannelWriteHalf<client::Msg>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    /// The server closed the channel or the connection.
    pub closed: Arc<AtomicBool>,
}

/// How a client connects: its window (small ones make a stall show soon) and environment.
#[derive(Default, Clone)]
pub struct Options {
    pub window: Option<u32>,
    pub env: Vec<(String, String)>,
}

/// Connects and signs in with `key`; `Err` says why not (the server refused the key).
pub async fn sign_in(
    address: SocketAddr,
    key: &PrivateKey,
    window: Option<u32>,
) -> Result<client::Handle<Trusting>, String> {
    let mut config = client::Config::default();
    if let Some(window) = window {
        config.window_size = window;
    }
    let mut handle = client::connect(Arc::new(config), address, Trusting)
        .await
        .map_err(|e| e.to_string())?;
    let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
    let result = handle
        .authenticate_publickey("anyone", key)
        .await
        .map_err(|e| e.to_string())?;
    match result.success() {
        true => Ok(handle),
        false => Err(format!("refused: {result:?}")),
    }
}

/// Tries `keys` one after another on one connection: `Ok(n)` when the `n`th got in, `Err(n)`
/// when the server ended the connection at the `n`th (counted from 1); `None`: all refused.
pub async fn try_keys(address: SocketAddr, keys: &[PrivateKey]) -> Option<Result<usize, usize>> {
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect(config, address, Trusting).await.ok()?;
    for (n, key) in keys.iter().enumerate() {
        let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
        match handle.authenticate_publickey("anyone", key).await {
            Ok(result) if result.success() => return Some(Ok(n + 1)),
            Ok(_) => {}
            Err(_) => return Some(Err(n + 1)),
        }
    }
    None
}

impl Term {
    pub async fn open(address: SocketAddr, key: &PrivateKey, options: Options) -> Term {
        let handle = sign_in(address, key, options.window).await.unwrap();
        Term::start(handle, options).await
    }

    pub async fn start(handle: client::Handle<Trusting>, options: Options) -> Term {
        let channel = handle.channel_open_session().await.unwrap();
        // As OpenSSH does: the pty first, then the environment.
        channel
            .request_pty(true, "xterm-256color", 100, 30, 0, 0, &[])
            .await
            .unwrap();
        for (name, value) in &options.env {
            channel
                .set_env(true, name.as_str(), value.as_str())
                .await
                .unwrap();
        }
        channel.request_shell(true).await.unwrap();
        let (mut read, writer) = channel.split();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(30).unwrap(),
            std::num::NonZeroU16::new(100).unwrap(),
            0,
        )));
        let closed = Arc::new(AtomicBool::new(false));
        let (into, done) = (Arc::clone(&screen), Arc::clone(&closed));
        tokio::spawn(async move {
            while let Some(message) = read.wait().await {
                match message {
                    ChannelMsg::Data { data } => into.lock().unwrap().process(&data),
                    ChannelMsg::Close | ChannelMsg::Eof => break,
                    _ => {}
                }
            }
            done.store(true, Ordering::SeqCst);
        });
        Term {
            _handle: handle,
            writer,
            screen,
            closed,
        }
    }

    pub async fn send(&self, keys: &str) {
        self.writer
            .data_bytes(keys.as_bytes().to_vec())
            .await
            .unwrap();
    }

    /// A writer of keys of its own, for a task that types while the test reads the screen.
    pub fn writer(&self) -> std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>> {
        Box::pin(self.writer.make_writer())
    }

    pub fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`.
    pub async fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self.text().contains(text) {
            assert!(
                start.elapsed() < HANG,
                "waited a minute for {text:?}; the screen:\n{}",
                self.text()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the server has closed the channel.
    pub async fn wait_closed(&self) {
        let start = Instant::now();
        while !self.closed.load(Ordering::SeqCst) {
            assert!(start.elapsed() < HANG, "the channel stayed open a minute");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Waits (on a plain thread) until `condition` holds.
pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < HANG, "waited a minute for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits (in a client task) until `condition` holds.
pub async fn settle(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < HANG, "waited a minute for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads what the server sends on a plain TCP connection until it closes it; false if it was
/// still open after a minute.
pub async fn closed_by_server(socket: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let read_to_end = async {
        let mut buffer = [0u8; 1024];
        while let Ok(1..) = socket.read(&mut buffer).await {}
    };
    tokio::time::timeout(HANG, read_to_end).await.is_ok()
}

/// A tokio runtime for the test's clients (the server has its own).
pub fn clients() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A TCP relay between a client and the server that can stop passing the server's bytes on,
/// as a client that reads nothing would (its keys still pass).
pub struct Relay {
    pub address: SocketAddr,
    pub stalled: Arc<AtomicBool>,
}

pub async fn relay(server: SocketAddr) -> Relay {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let stalled = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&stalled);
    tokio::spawn(async move {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let Ok(upstream) = tokio::net::TcpStream::connect(server).await else {
            return;
        };
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = upstream.into_split();
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
        });
        let mut buffer = vec![0u8; 4096];
        loop {
            if stop.load(Ordering::SeqCst) {
                // Holds the sockets open and reads nothing more from the server.
                tokio::time::sleep(HANG * 2).await;
                return;
            }
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let read = tokio::select! {
                read = server_read.read(&mut buffer) => read,
                _ = tokio::time::sleep(Duration::from_millis(20)) => continue,
            };
            match read {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if client_write.write_all(&buffer[..n]).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    Relay { address, stalled }
}
