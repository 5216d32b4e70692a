//! Fetching feeds over HTTP into the cache, against a server of our own on 127.0.0.1.

#[path = "support/http.rs"]
mod http;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use byline::feed::cache::Cache;
use byline::feed::fetch::{self, Options, Progress, Report};
use http::{Gauge, Reply, Server};

/// A small RSS document titled `title`.
fn rss(title: &str) -> String {
    format!(
        "<rss version=\"2.0\"><channel><title>{title}</title>\
         <item><title>First</title><guid>1</guid></item></channel></rss>"
    )
}

/// Whether a body is a feed, as the reader checks it: parsed by byline's feed parser.
fn is_rss(body: &[u8], url: &str) -> Result<(), String> {
    byline::feed::check(body, url)
}

fn fetch(urls: &[String], cache: &Cache, options: &Options) -> Report {
    fetch::fetch_all(urls, cache, options, &is_rss, &|_| {})
}

fn cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("feeds"));
    (dir, cache)
}

fn body(cache: &Cache, url: &str) -> Option<String> {
    let entry = cache.read(url)?;
    Some(String::from_utf8(entry.body?).unwrap())
}

fn inode(path: &std::path::Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

/// The one failure line of `report` that names `url`.
fn failure<'a>(report: &'a Report, url: &str) -> &'a str {
    let lines: Vec<&String> = report
        .failures
        .iter()
        .filter(|l| l.starts_with(url))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "one line for {url} in {:?}",
        report.failures
    );
    lines[0]
}

#[test]
fn a_feed_is_fetched_into_the_cache_with_our_user_agent() {
    let server = Server::start();
    server.route("/feed.xml", Reply::ok(rss("News")));
    let (_dir, cache) = cache();
    let url = server.url("/feed.xml");
    let report = fetch(std::slice::from_ref(&url), &cache, &Options::default());
    assert_eq!((report.updated, report.failures.len()), (1, 0));
    assert_eq!(body(&cache, &url), Some(rss("News")));
    assert_eq!(cache.read(&url).unwrap().error, None);
    let sent = server.requests("/feed.xml");
    assert_eq!(sent[0].header("user-agent"), Some(fetch::USER_AGENT));
}

#[test]
fn the_second_fetch_sends_the_validators_and_a_304_keeps_the_body() {
    let server = Server::start();
    let date = "Mon, 07 Dec 2026 10:00:00 GMT";
    server.route_with("/feed.xml", move |request| {
        match request.header("if-none-match") {
            Some("\"v1\"") => Reply::status(304),
            _ => Reply::ok(rss("News"))
                .header("ETag", "\"v1\"")
                .header("Last-Modified", date),
        }
    });
    let (_dir, cache) = cache();
    let url = server.url("/feed.xml");
    let urls = [url.clone()];
    assert_eq!(fetch(&urls, &cache, &Options::default()).updated, 1);
    let watched = inode(&cache.file(&url));
    let report = fetch(&urls, &cache, &Options::default());
    assert_eq!((report.unchanged, report.updated), (1, 0));
    assert_eq!(
        inode(&cache.file(&url)),
        watched,
        "the watched file is left alone"
    );
    let second = &server.requests("/feed.xml")[1];
    assert_eq!(second.header("if-none-match"), Some("\"v1\""));
    assert_eq!(second.header("if-modified-since"), Some(date));
    assert_eq!(body(&cache, &url), Some(rss("News")));
    assert_eq!(cache.read(&url).unwrap().etag.as_deref(), Some("\"v1\""));
}

#[test]
fn a_feed_fresh_by_its_max_age_is_skipped_unless_forced() {
    let server = Server::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss("News")).header("Cache-Control", "max-age=600"),
    );
    let (_dir, cache) = cache();
    let urls = [server.url("/feed.xml")];
    fetch(&urls, &cache, &Options::default());
    let report = fetch(&urls, &cache, &Options::default());
    assert_eq!(report.skipped, 1);
    assert_eq!(server.requests("/feed.xml").len(), 1);
    let forced = Options {
        force: true,
        ..Options::default()
    };
    assert_eq!(fetch(&urls, &cache, &forced).updated, 1);
    assert_eq!(server.requests("/feed.xml").len(), 2);
}

#[test]
fn a_server_answering_429_is_not_asked_again_before_its_retry_after_even_when_forced() {
    let server = Server::start();
    server.route("/feed.xml", Reply::ok(rss("News")));
    let (_dir, cache) = cache();
    let url = server.url("/feed.xml");
    let urls = [url.clone()];
    fetch(&urls, &cache, &Options::default());
    server.route(
        "/feed.xml",
        Reply::status(429).header("Retry-After", "3600"),
    );
    let forced = Options {
        force: true,
        ..Options::default()
    };
    let report = fetch(&urls, &cache, &forced);
    assert!(
        failure(&report, &url).contains("HTTP 429 Too Many Requests"),
        "{report:?}"
    );
    assert_eq!(body(&cache, &url), Some(rss("News")));
    let report = fetch(&urls, &cache, &forced);
    assert_eq!(report.skipped, 1);
    assert_eq!(server.requests("/feed.xml").len(), 2);
}

#[test]
fn a_body_that_trickles_in_forever_times_out_as_a_whole() {
    let server = Server::start();
    server.route("/trickle.xml", Reply::trickle());
    let (_dir, cache) = cache();
    let url = server.url("/trickle.xml");
    let options = Options {
        timeout: Duration::from_millis(700),
        ..Options::default()
    };
    let report = fetch(std::slice::from_ref(&url), &cache, &options);
    let line = failure(&report, &url);
    assert!(
        line.ends_with("timed out: no complete response within 0.7 s"),
        "{line}"
    );
}

#[test]
fn a_slow_server_times_out() {
    let server = Server::start();
    server.route(
        "/slow.xml",
        Reply::ok(rss("Slow")).delay(Duration::from_secs(20)),
    );
    let (_dir, cache) = cache();
    let url = server.url("/slow.xml");
    let options = Options {
        timeout: Duration::from_millis(500),
        ..Options::default()
    };
    let report = fetch(std::slice::from_ref(&url), &cache, &options);
    let line = failure(&report, &url);
    assert!(
        line.ends_with("timed out: no complete response within 0.5 s"),
        "{line}"
    );
}

#[test]
fn a_redirect_loop_is_an_error_and_a_chain_of_five_is_followed() {
    let server = Server::start();
    server.route("/a", Reply::redirect("/b"));
    server.route("/b", Reply::redirect(&server.url("/a")));
    for hop in 0..6 {
        server.route(
            &format!("/hop{hop}"),
            Reply::redirect(&format!("hop{}", hop + 1)),
        );
    }
    server.route("/hop6", Reply::ok(rss("Far")));
    let (_dir, cache) = cache();
    let (looping, five, six) = (server.url("/a"), server.url("/hop1"), server.url("/hop0"));
    let report = fetch(
        &[looping.clone(), five.clone(), six.clone()],
        &cache,
        &Options::default(),
    );
    let line = failure(&report, &looping);
    assert!(line.contains("redirect loop"), "{line}");
    assert!(failure(&report, &six).ends_with("more than 5 redirects"));
    assert_eq!(body(&cache, &five), Some(rss("Far")));
}

#[test]
fn an_endless_response_stops_at_the_size_cap() {
    let server = Server::start();
    server.route("/huge.xml", Reply::endless());
    let (_dir, cache) = cache();
    let url = server.url("/huge.xml");
    let options = Options {
        max_bytes: 1_000_000,
        ..Options::default()
    };
    let report = fetch(std::slice::from_ref(&url), &cache, &options);
    let line = failure(&report, &url);
    assert!(
        line.ends_with("too large: more than 1 MB (after decompression)"),
        "{line}"
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_size_cap_and_a_gzipped_feed_is_kept_decompressed() {
    let server = Server::start();
    server.route("/bomb.xml", Reply::ok(vec![0u8; 20_000_000]).gzip());
    server.route("/small.xml", Reply::ok(rss("Zipped")).gzip());
    let (_dir, cache) = cache();
    let (bomb, small) = (server.url("/bomb.xml"), server.url("/small.xml"));
    let options = Options {
        max_bytes: 1_000_000,
        ..Options::default()
    };
    let report = fetch(&[bomb.clone(), small.clone()], &cache, &options);
    assert!(failure(&report, &bomb).contains("too large"), "{report:?}");
    assert_eq!(body(&cache, &small), Some(rss("Zipped")));
    assert_eq!(
        server.requests("/small.xml")[0].header("accept-encoding"),
        Some("gzip")
    );
}

#[test]
fn a_page_that_is_not_a_feed_fails_the_check_and_the_last_good_body_stays() {
    let server = Server::start();
    server.route("/feed.xml", Reply::ok(rss("Good")));
    let (_dir, cache) = cache();
    let url = server.url("/feed.xml");
    let urls = [url.clone()];
    fetch(&urls, &cache, &Options::default());
    server.route("/feed.xml", Reply::ok("<!doctype html><html>Moved</html>"));
    let report = fetch(&urls, &cache, &Options::default());
    let line = failure(&report, &url);
    assert_eq!(
        line,
        format!("{url}: not a feed (no RSS, Atom or JSON Feed document)")
    );
    let entry = cache.read(&url).unwrap();
    assert_eq!(entry.error.as_deref(), Some(line));
    assert_eq!(body(&cache, &url), Some(rss("Good")));
}

#[test]
fn a_success_after_a_failure_clears_the_error() {
    let server = Server::start();
    server.route("/feed.xml", Reply::status(500));
    let (_dir, cache) = cache();
    let url = server.url("/feed.xml");
    let urls = [url.clone()];
    let report = fetch(&urls, &cache, &Options::default());
    assert_eq!(
        failure(&report, &url),
        format!("{url}: HTTP 500 Internal Server Error")
    );
    server.route("/feed.xml", Reply::ok(rss("Back")));
    fetch(&urls, &cache, &Options::default());
    assert_eq!(cache.read(&url).unwrap().error, None);
    assert_eq!(body(&cache, &url), Some(rss("Back")));
}

#[test]
fn every_failure_is_one_clean_line_naming_its_url_while_the_other_feeds_load() {
    let server = Server::start();
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/feed.xml", listener.local_addr().unwrap())
    };
    server.route("/missing.xml", Reply::status(404));
    server.route("/html", Reply::ok("<html><body>Not a feed</body></html>"));
    server.route(
        "/garbage",
        Reply::raw(b"\x1b[31mHTTP/9 banana\r\n\x00\xff\r\n\r\n".to_vec()),
    );
    server.route("/endless", Reply::endless());
    server.route(
        "/slow",
        Reply::ok(rss("Slow")).delay(Duration::from_secs(20)),
    );
    server.route("/loop", Reply::redirect("/loop"));
    let mut urls: Vec<String> = [
        "/missing.xml",
        "/html",
        "/garbage",
        "/endless",
        "/slow",
        "/loop",
    ]
    .iter()
    .map(|path| server.url(path))
    .collect();
    urls.push(refused.clone());
    let bad = urls.len();
    for n in 0..5 {
        server.route(&format!("/good{n}"), Reply::ok(rss(&format!("Good {n}"))));
        urls.push(server.url(&format!("/good{n}")));
    }
    let (_dir, cache) = cache();
    let options = Options {
        timeout: Duration::from_secs(2),
        max_bytes: 1_000_000,
        ..Options::default()
    };
    let report = fetch(&urls, &cache, &options);
    assert_eq!(
        (report.updated, report.failures.len()),
        (5, bad),
        "{report:?}"
    );
    for url in &urls[..bad] {
        let line = failure(&report, url);
        assert!(byline::text::is_clean_line(line), "{line:?}");
        assert_eq!(cache.read(url).unwrap().error.as_deref(), Some(line));
    }
    assert_eq!(
        failure(&report, &urls[0]),
        format!("{}: HTTP 404 Not Found", urls[0])
    );
    assert_eq!(
        failure(&report, &refused),
        format!("{refused}: connection refused")
    );
    for (n, url) in urls[bad..].iter().enumerate() {
        assert_eq!(body(&cache, url), Some(rss(&format!("Good {n}"))));
    }
}

#[test]
fn a_cause_with_control_characters_reaches_the_report_cleaned() {
    let server = Server::start();
    server.route("/feed.xml", Reply::ok("<html>"));
    let (_dir, cache) = cache();
    let url = server.url("/feed.xml");
    let check = |_: &[u8], _: &str| Err("parse error at line 1,\n\x1b[2J column 7".to_owned());
    let report = fetch::fetch_all(
        std::slice::from_ref(&url),
        &cache,
        &Options::default(),
        &check,
        &|_| {},
    );
    let line = failure(&report, &url);
    assert!(byline::text::is_clean_line(line), "{line:?}");
    assert!(
        line.contains("parse error at line 1,") && line.ends_with("column 7"),
        "{line:?}"
    );
}

#[test]
fn requests_in_flight_stay_within_the_limits_overall_and_per_host() {
    let gauge = Arc::new(Gauge::default());
    let servers: Vec<Server> = (0..12)
        .map(|_| Server::start_counted_by(Some(gauge.clone())))
        .collect();
    let mut urls = Vec::new();
    for server in &servers {
        for n in 0..4 {
            let path = format!("/feed{n}.xml");
            server.route(
                &path,
                Reply::ok(rss("Busy")).delay(Duration::from_millis(150)),
            );
            urls.push(server.url(&path));
        }
    }
    let (_dir, cache) = cache();
    let options = Options {
        max_in_flight: 6,
        ..Options::default()
    };
    let told = Mutex::new(Vec::new());
    let progress = |p: Progress| told.lock().unwrap().push(p);
    let report = fetch::fetch_all(&urls, &cache, &options, &is_rss, &progress);
    assert_eq!(report.updated, urls.len());
    assert!(gauge.most() <= 6, "{} at once", gauge.most());
    for server in &servers {
        assert!(
            server.most_at_once() <= 2,
            "{} at once on one host",
            server.most_at_once()
        );
    }
    let told = told.into_inner().unwrap();
    let done: Vec<usize> = told.iter().map(|p| p.done).collect();
    assert_eq!(done, (1..=urls.len()).collect::<Vec<_>>());
    assert!(told.iter().all(|p| p.total == urls.len() && p.failed == 0));
}

#[test]
fn a_slow_hosts_feeds_hold_up_no_other_hosts_feed() {
    // The slow host answers only once the other host's feed has been checked; if that feed
    // waited behind the slow host's, the slow host would give up with 503s.
    let (slow, quick) = (Server::start(), Server::start());
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    for n in 0..6 {
        let gate = Arc::clone(&gate);
        slow.route_with(&format!("/feed{n}.xml"), move |_| {
            let (open, opened) = &*gate;
            let open = open.lock().unwrap();
            let (open, _) = opened
                .wait_timeout_while(open, Duration::from_secs(60), |o| !*o)
                .unwrap();
            if *open {
                Reply::ok(rss("Slow"))
            } else {
                Reply::status(503)
            }
        });
    }
    quick.route("/feed.xml", Reply::ok(rss("Quick")));
    let quick_url = quick.url("/feed.xml");
    let mut urls: Vec<String> = (0..6).map(|n| slow.url(&format!("/feed{n}.xml"))).collect();
    urls.push(quick_url.clone());
    let checked = AtomicUsize::new(0);
    let check = |body: &[u8], url: &str| {
        if url == quick_url {
            checked.fetch_add(1, Ordering::SeqCst);
            *gate.0.lock().unwrap() = true;
            gate.1.notify_all();
        }
        is_rss(body, url)
    };
    let (_dir, cache) = cache();
    let options = Options {
        max_in_flight: 3,
        timeout: Duration::from_secs(120),
        ..Options::default()
    };
    let report = fetch::fetch_all(&urls, &cache, &options, &check, &|_| {});
    assert_eq!((report.updated, &report.failures[..]), (7, &[][..]));
    assert_eq!(checked.load(Ordering::SeqCst), 1);
}
