//! Feeds as the reader's inputs, end to end against a server of our own on 127.0.0.1: a URL on
//! the command line, an OPML file, the `urls` file, `--offline`, a failing feed beside good
//! ones, and the reader fetching in the background, refreshing on Ctrl-r and keeping marks.

mod support;

#[path = "support/http.rs"]
mod http;

use std::path::Path;
use std::process::Output;

use http::{Reply, Server};
use support::pty::Session;

/// An RSS feed titled `title` whose items are `(guid, headline)`.
fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let items: String = (items.iter())
        .map(|(guid, headline)| {
            format!(
                "<item><title>{headline}</title><guid>{guid}</guid>\
                 <description>&lt;p&gt;About {headline}.&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn json(output: &Output) -> Vec<serde_json::Value> {
    serde_json::from_str(&stdout(output)).expect("--json prints JSON")
}

fn headlines(output: &Output) -> Vec<String> {
    (stdout(output).lines())
        .map(|line| line.rsplit('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_feed_url_is_fetched_and_listed_then_read_offline_from_the_cache() {
    let server = Server::start();
    let feed = rss("Coast", &[("a", "Storm hits"), ("b", "Roads reopen")]);
    server.route("/feed.xml", Reply::ok(feed));
    let home = tempfile::tempdir().unwrap();
    let url = server.url("/feed.xml");
    let listed = support::run_in(home.path(), &["--list", &url]);
    assert_eq!(headlines(&listed), ["Storm hits", "Roads reopen"]);
    assert_eq!(server.requests("/feed.xml").len(), 1);
    // The server now fails: offline, nothing is asked and the cache still lists them.
    server.route("/feed.xml", Reply::status(500));
    let offline = support::run_in(home.path(), &["--list", "--offline", &url]);
    assert_eq!(headlines(&offline), ["Storm hits", "Roads reopen"]);
    assert_eq!(
        server.requests("/feed.xml").len(),
        1,
        "offline asks nothing"
    );
    // Online, the failure is one warning naming the URL, and the last good articles stay.
    let failed = support::run_in(home.path(), &["--list", &url]);
    assert_eq!(headlines(&failed), ["Storm hits", "Roads reopen"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&url) && stderr.contains("HTTP 500"),
        "{stderr}"
    );
}

#[test]
fn an_opml_file_reads_every_feed_under_its_folders_and_one_failure_does_not_stop_the_rest() {
    let server = Server::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("1", "Alpha one")])));
    server.route("/b.xml", Reply::ok(rss("Beta", &[("2", "Beta two")])));
    let home = tempfile::tempdir().unwrap();
    let opml = home.path().join("subscriptions.opml");
    let text = format!(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>mine</title></head><body>\
         <outline text=\"Tech\"><outline text=\"Daily\">\
         <outline text=\"A\" xmlUrl=\"{}\"/></outline></outline>\
         <outline text=\"B\" xmlUrl=\"{}\"/>\
         <outline text=\"Gone\" xmlUrl=\"{}\"/></body></opml>",
        server.url("/a.xml"),
        server.url("/b.xml"),
        server.url("/gone.xml")
    );
    std::fs::write(&opml, text).unwrap();
    let output = support::run_in(home.path(), &["--json", opml.to_str().unwrap()]);
    let articles = json(&output);
    let sources: Vec<(&str, &str)> = (articles.iter())
        .map(|a| {
            (
                a["headline"].as_str().unwrap(),
                a["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [("Alpha one", "Tech / Daily / Alpha"), ("Beta two", "Beta")]
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let gone = server.url("/gone.xml");
    assert!(stderr.contains(&format!("{gone}: HTTP 404")), "{stderr}");
}

#[test]
fn without_a_path_the_urls_file_gives_the_feeds_with_their_tags_and_names() {
    let server = Server::start();
    server.route("/a.xml", Reply::ok(rss("Alpha", &[("1", "Alpha one")])));
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/byline");
    std::fs::create_dir_all(&config).unwrap();
    let urls = format!(
        "# feeds\n{} world \"long reads\" ~Mine\nnot a url\n",
        server.url("/a.xml")
    );
    std::fs::write(config.join("urls"), urls).unwrap();
    let output = support::run_in(home.path(), &["--json"]);
    let articles = json(&output);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["source"], "Mine");
    assert_eq!(
        articles[0]["tags"],
        serde_json::json!(["world", "long reads"])
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("urls: line 3: not an http"), "{stderr}");
}

#[test]
fn feeds_that_bring_nothing_are_an_error_naming_the_url() {
    let server = Server::start();
    let home = tempfile::tempdir().unwrap();
    let url = server.url("/missing.xml");
    let output = support::run_in(home.path(), &["--list", &url]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("{url}: HTTP 404")), "{stderr}");
}

/// The reader on `args` with `home` for its files (the feeds' cache among them).
fn reader(home: &Path, args: &[&str]) -> Session {
    let cache = home.join("cache");
    let env = [("XDG_CACHE_HOME", cache.to_str().unwrap())];
    Session::start_full(Some(home), args, &env, 100, 24, "xterm-256color")
}

#[test]
fn the_reader_lists_a_feed_as_it_arrives_fetches_again_on_ctrl_r_and_keeps_marks() {
    let server = Server::start();
    let feed = |second: &str| rss("Coast", &[("a", "Storm hits"), ("b", second)]);
    server.route("/feed.xml", Reply::ok(feed("Roads reopen")));
    let home = tempfile::tempdir().unwrap();
    let url = server.url("/feed.xml");
    let mut reader = reader(home.path(), &[&url]);
    // Nothing is cached yet: the list fills in once the background fetch has landed.
    reader.wait_for_text("Roads reopen");
    reader.wait_for_text("2 unread");
    reader.send("j\r");
    reader.wait_for_text("About Roads reopen.");
    reader.wait_for_text("1 unread");
    // The feed changes its headline but not its guid: the article is the same, still read.
    server.route("/feed.xml", Reply::ok(feed("Roads reopen at last")));
    reader.send("q\x12");
    reader.wait_for_text("Roads reopen at last");
    assert_eq!(
        server.requests("/feed.xml").len(),
        2,
        "Ctrl-r fetched again"
    );
    reader.wait_for_text("1 unread");
    reader.send("q");
    reader.wait_for_exit();
    reader.assert_restored();
    // Next time the cache lists it at once, before any fetch, with its mark kept.
    server.route(
        "/feed.xml",
        Reply::status(503).delay(std::time::Duration::from_secs(2)),
    );
    let mut again = self::reader(home.path(), &[&url]);
    again.wait_for_text("Roads reopen at last");
    again.wait_for_text("1 unread");
    again.send("q");
    again.wait_for_exit();
}
