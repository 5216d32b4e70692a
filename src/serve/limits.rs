//! How the server is bounded: its [`Limits`], and the [`Bucket`] that paces connections and input.

use std::time::{Duration, Instant};

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

/// A token bucket: `rate` a second, at most `burst` saved up.
pub struct Bucket {
    tokens: f64,
    at: Instant,
    rate: f64,
    burst: f64,
}

impl Bucket {
    pub fn new(rate: f64, burst: f64) -> Bucket {
        Bucket {
            tokens: burst,
            at: Instant::now(),
            rate,
            burst,
        }
    }

    fn fill(&mut self) {
        let now = Instant::now();
        let earned = now.duration_since(self.at).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + earned).min(self.burst);
        self.at = now;
    }

    /// Takes `n` tokens if there are; false otherwise (nothing taken).
    pub fn try_take(&mut self, n: f64) -> bool {
        self.fill();
        let enough = self.tokens >= n;
        if enough {
            self.tokens -= n;
        }
        enough
    }

    /// Takes `n` tokens, going into debt; says how long to wait until the debt is paid (for
    /// ever, as far as a `Duration` goes, at a rate of nothing).
    pub fn take(&mut self, n: f64) -> Duration {
        self.fill();
        self.tokens -= n;
        match self.tokens < 0.0 {
            true => Duration::try_from_secs_f64(-self.tokens / self.rate).unwrap_or(Duration::MAX),
            false => Duration::ZERO,
        }
    }

    pub fn full(&mut self) -> bool {
        self.fill();
        self.tokens >= self.burst
    }
}

#[cfg(test)]
mod tests {
    use super::Bucket;

    #[test]
    fn a_bucket_lets_a_burst_through_then_asks_to_wait_for_what_is_over_it() {
        let mut bucket = Bucket::new(1000.0, 100.0);
        assert!(bucket.take(100.0).is_zero(), "the burst passes at once");
        let wait = bucket.take(1000.0);
        assert!(
            wait.as_secs_f64() > 0.5,
            "a flood waits for its rate: {wait:?}"
        );
        assert!(!bucket.try_take(50.0), "nothing is left to take");
    }

    #[test]
    fn a_debt_is_paid_at_the_rate_however_slow() {
        let mut bucket = Bucket::new(0.25, 1.0);
        assert!(bucket.take(1.0).is_zero());
        let wait = bucket.take(1.0).as_secs_f64();
        assert!(
            (3.9..=4.0).contains(&wait),
            "one token at a quarter a second takes 4 s: {wait}"
        );
        let mut stopped = Bucket::new(0.0, 1.0);
        assert!(stopped.take(1.0).is_zero());
        assert_eq!(stopped.take(1.0), std::time::Duration::MAX);
    }

    #[test]
    fn a_full_bucket_is_known_so_idle_addresses_can_be_forgotten() {
        let mut bucket = Bucket::new(1.0, 10.0);
        assert!(bucket.full());
        assert!(bucket.try_take(1.0));
        assert!(!bucket.full());
    }
}
