//! How the server is bounded: the [`Limits`] it is started with.

use std::time::Duration;

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
