//! A small HTTP/1.1 server on 127.0.0.1 for the feed tests and benchmarks: scripted replies
//! per path (status, headers, body, delay, gzip, redirects, an endless body), every request
//! it was sent, and how many it was answering at once. It stops when dropped.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What a reply's body is.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Announces `Content-Length: 2 GB` and sends bytes until the client goes away.
    Endless,
    /// Announces a short body and sends it a byte every 50 ms, forever.
    Trickle,
    /// Sent as it is in place of the whole response (status line and headers too).
    Raw(Vec<u8>),
}

/// One scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Waited before the status line is sent.
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
            delay: Duration::ZERO,
        }
    }

    /// 200 with `body`.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            body: Body::Bytes(body.into()),
            ..Reply::status(200)
        }
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Reply {
        Reply::status(302).header("Location", location)
    }

    /// 200 with a body that never ends.
    pub fn endless() -> Reply {
        Reply {
            body: Body::Endless,
            ..Reply::status(200)
        }
    }

    /// 200 whose body comes a byte at a time and never ends.
    pub fn trickle() -> Reply {
        Reply {
            body: Body::Trickle,
            ..Reply::status(200)
        }
    }

    /// `bytes` in place of a whole response.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply {
            body: Body::Raw(bytes.into()),
            ..Reply::status(200)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// The body gzip-compressed, with its `Content-Encoding`.
    pub fn gzip(mut self) -> Reply {
        if let Body::Bytes(bytes) = &self.body {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes).expect("gzip into memory");
            self.body = Body::Bytes(encoder.finish().expect("gzip into memory"));
        }
        self.header("Content-Encoding", "gzip")
    }
}

type Route = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// How many requests are being answered at once, and the most there ever were.
#[derive(Debug, Default)]
pub struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Shared {
    routes: Mutex<HashMap<String, Route>>,
    requests: Mutex<Vec<Request>>,
    gauges: Vec<Arc<Gauge>>,
    stop: AtomicBool,
}

/// The server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accepting: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        Server::start_counted_by(None)
    }

    /// A server whose requests are also counted by `gauge` (shared with other servers).
    pub fn start_counted_by(gauge: Option<Arc<Gauge>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let addr = listener.local_addr().expect("the port's address");
        let mut gauges = vec![Arc::new(Gauge::default())];
        gauges.extend(gauge);
        let shared = Arc::new(Shared {
            routes: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            gauges,
            stop: AtomicBool::new(false),
        });
        let accepting = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = Arc::clone(&shared);
                    std::thread::spawn(move || serve_connection(stream, &shared));
                }
            })
        };
        Server {
            addr,
            shared,
            accepting: Some(accepting),
        }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers `path` with `reply` each time.
    pub fn route(&self, path: &str, reply: Reply) {
        self.route_with(path, move |_| reply.clone());
    }

    /// Answers `path` with what `reply` makes of each request.
    pub fn route_with(
        &self,
        path: &str,
        reply: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) {
        let mut routes = self.shared.routes.lock().unwrap();
        routes.insert(path.to_owned(), Arc::new(reply));
    }

    /// Every request sent to `path` so far.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        let requests = self.shared.requests.lock().unwrap();
        requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// The most requests this server was answering at once.
    pub fn most_at_once(&self) -> usize {
        self.shared.gauges[0].most()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the stop.
        let _ = TcpStream::connect(self.addr);
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}

/// Answers the requests of one connection until it closes, fails or the server stops.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while !shared.stop.load(Ordering::SeqCst) {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        shared.gauges.iter().for_each(|g| g.enter());
        shared.requests.lock().unwrap().push(request.clone());
        let route = shared.routes.lock().unwrap().get(&request.path).cloned();
        let reply = match route {
            Some(route) => route(&request),
            None => Reply::status(404),
        };
        let kept = write_reply(&mut writer, &reply, shared);
        shared.gauges.iter().for_each(|g| g.leave());
        if !kept {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Some(Request { path, headers });
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
}

/// Writes `reply`; whether the connection can carry another request.
fn write_reply(writer: &mut TcpStream, reply: &Reply, shared: &Shared) -> bool {
    std::thread::sleep(reply.delay);
    if let Body::Raw(bytes) = &reply.body {
        let _ = writer.write_all(bytes);
        return false;
    }
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = match &reply.body {
        Body::Bytes(bytes) => bytes.len() as u64,
        Body::Endless => 2 << 30,
        Body::Trickle => 1 << 20,
        Body::Raw(_) => 0,
    };
    head.push_str(&format!("Content-Length: {length}\r\n\r\n"));
    if writer.write_all(head.as_bytes()).is_err() {
        return false;
    }
    match &reply.body {
        Body::Bytes(bytes) => writer.write_all(bytes).is_ok(),
        Body::Endless => {
            let chunk = vec![b'x'; 64 * 1024];
            // Until the client hangs up (each write blocks while it is not reading).
            while !shared.stop.load(Ordering::SeqCst) {
                if writer.write_all(&chunk).is_err() {
                    break;
                }
            }
            false
        }
        Body::Trickle => {
            while !shared.stop.load(Ordering::SeqCst) && writer.write_all(b"<").is_ok() {
                std::thread::sleep(Duration::from_millis(50));
            }
            false
        }
        Body::Raw(_) => false,
    }
}
