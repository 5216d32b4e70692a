//! A mapped dump truncated, rewritten or deleted while byline runs: the real binary in a pty
//! keeps reading, searching and drawing, reloads what the file has become, and quits cleanly;
//! and the store, driven directly, reads past a cut without a crash or a panic.
//!
//! Each corpus is big (3,000 generated articles, about 11 MB), so its articles lie in many
//! pages, and the articles read are from the end of the list, so their bytes lie past any cut.
//! Nothing here waits a fixed time to decide an outcome: every wait is for the screen, and the
//! two short sleeps only give byline time to read while a file is being changed.

mod support;

#[path = "../benches/support/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};

use byline::document::group_thousands;
use byline::loader::{self, Input};
use byline::search::{self, Query};
use support::pty::{Session, process_state};

/// Articles in every generated dump.
const COUNT: usize = 3000;

/// A generated dump of [`COUNT`] articles in a directory of its own, which is also byline's home.
fn dump(seed: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.txt");
    generate::write_dump(&path, COUNT, seed).unwrap();
    (dir, path)
}

/// The headlines of a file's articles, as byline loads them.
fn headlines(path: &Path) -> Vec<String> {
    let corpus = loader::load(&[Input::Path(path.to_owned())]);
    assert!(corpus.errors().next().is_none(), "{:?}", corpus.problems);
    (corpus.store.summaries().iter())
        .map(|s| s.headline.to_owned())
        .collect()
}

/// The start of a headline, short enough to be shown whole in the list and the reader.
fn shown(headline: &str) -> String {
    headline
        .chars()
        .take(16)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `n` as counts are written (`3,000`); a position is not grouped (`1/3000`).
fn grouped(n: usize) -> String {
    group_thousands(n as u64)
}

/// Cuts the file at `path` to `len` bytes in place, as `truncate -s` does.
fn truncate(path: &Path, len: u64) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_len(len).unwrap();
}

/// A length about `fraction` of the file's that is not a multiple of the page size.
fn unaligned(path: &Path, fraction: f64) -> u64 {
    let len = (std::fs::metadata(path).unwrap().len() as f64 * fraction) as u64;
    if len.is_multiple_of(4096) {
        len + 123
    } else {
        len
    }
}

/// byline on `path`, 160x40, with `home` as its home, once it shows the first article.
fn start(home: &Path, path: &Path, count: usize) -> Session {
    let name = path.to_string_lossy().into_owned();
    let mut session = Session::start_in(Some(home), &[&name], 160, 40, "xterm-256color");
    wait_for_text(&mut session, &format!("1/{count} "));
    session
}

/// The bottom row: the status line.
fn status_line(screen: &vt100::Screen) -> String {
    let (rows, cols) = screen.size();
    screen
        .rows(0, cols.get())
        .nth(usize::from(rows.get()) - 1)
        .unwrap_or_default()
}

/// Waits until the screen satisfies `condition`, failing at once if byline exits meanwhile.
fn wait_for(session: &mut Session, what: &str, condition: impl Fn(&vt100::Screen) -> bool) {
    let pid = session.pid();
    let exited = std::cell::Cell::new(None);
    session.wait_for(what, |screen| {
        if condition(screen) {
            return true;
        }
        let state = process_state(pid);
        if state.is_some_and(|s| s != 'Z') {
            return false;
        }
        exited.set(Some((state, screen.contents())));
        true
    });
    if let Some((state, screen)) = exited.take() {
        panic!("byline exited (state {state:?}) while waiting for {what}; screen:\n{screen}");
    }
}

/// Waits until the screen shows `text`, failing at once if byline exits meanwhile.
fn wait_for_text(session: &mut Session, text: &str) {
    wait_for(session, text, |screen| screen.contents().contains(text));
}

/// Waits until the status line holds every one of `texts`.
fn wait_for_status(session: &mut Session, texts: &[&str]) {
    wait_for(
        session,
        &format!("a status line with {texts:?}"),
        |screen| {
            let status = status_line(screen);
            texts.iter().all(|text| status.contains(text))
        },
    );
}

/// Asserts byline is still running: not gone, not a zombie.
fn assert_alive(session: &mut Session) {
    let pid = session.pid();
    let state = process_state(pid);
    assert!(
        state.is_some_and(|s| s != 'Z'),
        "byline is not running (state {state:?}); screen:\n{}",
        session.screen_text()
    );
    assert!(
        session.child.try_wait().unwrap().is_none(),
        "byline exited; screen:\n{}",
        session.screen_text()
    );
}

/// Opens the last article of `count` in the reader and waits for its headline.
fn open_last(session: &mut Session, titles: &[String]) {
    let count = titles.len();
    session.send("G");
    wait_for_status(session, &[&format!("{count}/{count}")]);
    session.send("\r");
    wait_for_status(session, &[&format!("{count}/{count}"), " reader "]);
    wait_for_text(session, &shown(titles.last().unwrap()));
}

/// Back to the list from the reader, or out of a filter in the list.
///
/// `h`, not Esc: an Esc with the next key right behind it reads as Alt and that key.
fn back(session: &mut Session) {
    session.send("h");
    wait_for(session, "the list, unfiltered", |screen| {
        let status = status_line(screen);
        status.contains(" list ") && !status.contains("· /")
    });
}

/// Back to the list, then `q`: exit 0, the terminal restored.
fn quit(session: &mut Session) {
    back(session);
    session.send("q");
    assert_eq!(session.exit_code(), 0, "screen:\n{}", session.screen_text());
    session.assert_restored();
}

#[test]
fn a_dump_truncated_to_nothing_under_the_open_article_leaves_byline_reading_and_drawing() {
    let (dir, path) = dump(1);
    let titles = headlines(&path);
    let mut session = start(dir.path(), &path, COUNT);
    open_last(&mut session, &titles);
    truncate(&path, 0);

    // Scrolling the article on screen, then opening the ones before it, whose bytes are gone.
    session.send("j");
    session.send(" ");
    session.send("G");
    session.send("K");
    wait_for_status(&mut session, &["2999/3000", " reader "]);
    assert_alive(&mut session);
    session.send("K");
    wait_for_status(&mut session, &["2998/3000"]);
    session.send("J");
    wait_for_status(&mut session, &["2999/3000"]);
    assert_alive(&mut session);

    // The empty file does not replace the articles loaded.
    wait_for_status(
        &mut session,
        &[
            "Reload failed, keeping the articles as they were: ",
            "dump.txt: no articles found",
        ],
    );
    assert_alive(&mut session);

    // Still answering every key: stepping, scrolling, copying, searching.
    session.send("K");
    wait_for_status(&mut session, &["2998/3000", " reader "]);
    session.send("jGg ");
    // The article's text is gone with the file, its headline is not.
    session.send("Y");
    wait_for_status(&mut session, &["no longer in its file"]);
    session.send("k");
    wait_for(&mut session, "the message to go", |screen| {
        !status_line(screen).contains("no longer in its file")
    });
    session.send("y");
    wait_for_status(&mut session, &["Copied "]);
    assert_alive(&mut session);
    session.send(&format!("/{}\r", generate::COMMON));
    wait_for(&mut session, "the search to end", |screen| {
        let status = status_line(screen);
        status.contains(&format!("/{} ", generate::COMMON))
            && status.contains(" of 3,000")
            && !status.contains("searching")
    });
    assert_alive(&mut session);
    quit(&mut session);
}

#[test]
fn an_article_whose_bytes_were_truncated_away_says_so_instead_of_drawing_replacement_characters() {
    let (dir, path) = dump(11);
    let titles = headlines(&path);
    let mut session = start(dir.path(), &path, COUNT);
    open_last(&mut session, &titles);
    truncate(&path, 0);
    wait_for_status(
        &mut session,
        &["Reload failed", "dump.txt: no articles found"],
    );
    // Articles a few rows up, never opened, so parsed now from what the mapping reads.
    let from = session.written.lock().unwrap().len();
    session.send("KKKK");
    wait_for_status(&mut session, &["2996/3000 ", " reader "]);
    assert_alive(&mut session);
    // The emulator drops U+FFFD, so what byline wrote is looked at, not the screen.
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()[from..]).into_owned();
    let wall = "\u{FFFD}".repeat(16);
    let replaced = written.matches('\u{FFFD}').count();
    assert!(
        !written.contains(&wall),
        "byline drew {replaced} replacement characters for articles whose bytes are gone"
    );
    wait_for_text(&mut session, "no longer in its file");
    quit(&mut session);
}

#[test]
fn a_dump_cut_in_half_past_the_open_article_is_reloaded_with_the_articles_left() {
    let (dir, path) = dump(2);
    let titles = headlines(&path);
    let mut session = start(dir.path(), &path, COUNT);
    open_last(&mut session, &titles);
    let cut = unaligned(&path, 0.5);
    truncate(&path, cut);
    let left = headlines(&path);
    assert!(
        left.len() > 1000 && left.len() < 2000,
        "{} left",
        left.len()
    );

    session.send("j");
    session.send(" ");
    session.send("K");
    session.send("K");
    session.send("J");
    assert_alive(&mut session);

    // The reload counts the articles the file still holds.
    let count = left.len();
    wait_for_status(&mut session, &["Reloaded", &format!("/{count} ")]);
    assert_alive(&mut session);
    back(&mut session);
    session.send("G");
    wait_for_status(&mut session, &[&format!("{count}/{count} ")]);
    wait_for_text(&mut session, &shown(left.last().unwrap()));
    session.send("\r");
    wait_for_status(&mut session, &[&format!("{count}/{count} "), " reader "]);
    session.send("K");
    let before_last = left.len() - 1;
    wait_for_status(&mut session, &[&format!("{before_last}/{count} ")]);
    wait_for_text(&mut session, &shown(&left[left.len() - 2]));
    assert_alive(&mut session);
    quit(&mut session);
}

/// Waits for the reload of a rewritten dump, then for its first article at the top of the list.
fn wait_for_new_headlines(session: &mut Session, old: &[String], new: &[String]) {
    wait_for_status(session, &["Reloaded"]);
    assert_alive(session);
    back(session);
    session.send("g");
    wait_for(session, "the new first headline at the top", |screen| {
        status_line(screen).contains("1/3000 ") && screen.contents().contains(&shown(&new[0]))
    });
    let screen = session.screen_text();
    assert!(
        !screen.contains(&shown(&old[0])),
        "the old first headline is still listed:\n{screen}"
    );
}

#[test]
fn a_dump_replaced_by_a_rename_keeps_the_open_article_readable_then_lists_the_new_headlines() {
    let (dir, path) = dump(3);
    let titles = headlines(&path);
    let mut session = start(dir.path(), &path, COUNT);
    open_last(&mut session, &titles);
    let new_path = dir.path().join("new.txt");
    generate::write_dump(&new_path, COUNT, 4).unwrap();
    let new_titles = headlines(&new_path);
    std::fs::rename(&new_path, &path).unwrap();

    // The mapping holds the old file: its articles read as they were until the reload.
    session.send("j");
    session.send(" ");
    session.send("K");
    wait_for_status(&mut session, &["/3000 "]);
    assert_alive(&mut session);
    wait_for_new_headlines(&mut session, &titles, &new_titles);
    wait_for_status(&mut session, &["1/3000 ", "3,000 new"]);
    session.send("\r");
    wait_for_status(&mut session, &["1/3000 ", " reader "]);
    assert_alive(&mut session);
    quit(&mut session);
}

#[test]
fn a_dump_rewritten_in_place_while_it_is_read_lists_the_new_headlines() {
    let (dir, path) = dump(5);
    let titles = headlines(&path);
    let mut session = start(dir.path(), &path, COUNT);
    open_last(&mut session, &titles);
    let new = generate::dump(COUNT, 6);
    let new_titles = {
        let scratch = dir.path().join("scratch.txt");
        std::fs::write(&scratch, &new).unwrap();
        let titles = headlines(&scratch);
        std::fs::remove_file(&scratch).unwrap();
        titles
    };

    // `cat new > dump.txt`: truncated, then written a piece at a time, read all along.
    use std::io::Write;
    let mut file = std::fs::File::create(&path).unwrap();
    for (i, piece) in new.as_bytes().chunks(1 << 20).enumerate() {
        session.send(if i % 2 == 0 { "K" } else { "j" });
        file.write_all(piece).unwrap();
        // Lets a key be handled between two pieces; what follows does not depend on it.
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(file);
    assert_alive(&mut session);
    wait_for_new_headlines(&mut session, &titles, &new_titles);
    session.send("G\r");
    wait_for_status(&mut session, &["3000/3000 ", " reader "]);
    wait_for_text(&mut session, &shown(new_titles.last().unwrap()));
    assert_alive(&mut session);
    quit(&mut session);
}

#[test]
fn a_dump_deleted_while_it_is_read_stays_readable_and_the_reload_says_it_is_gone() {
    let (dir, path) = dump(7);
    let titles = headlines(&path);
    let mut session = start(dir.path(), &path, COUNT);
    open_last(&mut session, &titles);
    std::fs::remove_file(&path).unwrap();

    // The mapping keeps the deleted file's bytes: the articles before it read as they were.
    session.send("j");
    session.send(" ");
    session.send("K");
    wait_for_status(&mut session, &["2999/3000 ", " reader "]);
    wait_for_text(&mut session, &shown(&titles[COUNT - 2]));
    assert_alive(&mut session);
    wait_for_status(
        &mut session,
        &[
            "Reload failed, keeping the articles as they were: ",
            "dump.txt: no such file or directory",
        ],
    );
    session.send("K");
    wait_for_status(&mut session, &["2998/3000 "]);
    wait_for_text(&mut session, &shown(&titles[COUNT - 3]));
    session.send("j G");
    session.send("Y");
    wait_for_status(&mut session, &["Copied "]);
    assert_alive(&mut session);
    quit(&mut session);
}

/// Opens the search prompt and types the common word: a search of every article starts.
fn search_common(session: &mut Session) {
    session.send("/");
    wait_for_status(session, &["/", "3,000 of 3,000"]);
    session.send(generate::COMMON);
}

/// Whether the search prompt holds the common word and its search has ended, counting `of`.
fn searched(screen: &vt100::Screen, of: &str) -> bool {
    let status = status_line(screen);
    status.starts_with(&format!("/{}", generate::COMMON))
        && status.contains(of)
        && !status.contains("searching")
}

/// How many articles of the file at `path` the common word finds.
fn common_matches(path: &Path) -> usize {
    let corpus = loader::load(&[Input::Path(path.to_owned())]);
    let all: Vec<usize> = (0..corpus.store.len()).collect();
    search::search(&corpus.store, &Query::parse(generate::COMMON), &all).len()
}

/// Esc out of the search prompt, back to the unfiltered list at `first`, then `q`.
fn cancel_search_and_quit(session: &mut Session, first: &str) {
    session.send("\x1b");
    wait_for_status(session, &[" list ", first]);
    session.send("q");
    assert_eq!(session.exit_code(), 0, "screen:\n{}", session.screen_text());
    session.assert_restored();
}

#[test]
fn a_dump_cut_during_a_search_of_every_article_and_written_back_leaves_byline_searching() {
    let (dir, path) = dump(8);
    let whole = std::fs::read(&path).unwrap();
    let matches = common_matches(&path);
    let mut session = start(dir.path(), &path, COUNT);
    search_common(&mut session);
    // Cut while the search reads the articles, and written back whole a moment later, before
    // the reload would take the cut file (a file must look the same at two looks half a second
    // apart to be reloaded). If it took it, the file would still be whole by the end.
    let cut = unaligned(&path, 0.005);
    truncate(&path, cut);
    std::thread::sleep(std::time::Duration::from_millis(100));
    use std::os::unix::fs::FileExt;
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.write_all_at(&whole[cut as usize..], cut).unwrap();
    drop(file);
    assert_eq!(std::fs::read(&path).unwrap(), whole);
    wait_for(&mut session, "the search to end", |screen| {
        searched(screen, " of ")
    });
    assert_alive(&mut session);
    // The reload, then the search again over the articles as the file holds them.
    wait_for(&mut session, "the search of the reloaded file", |screen| {
        searched(screen, &format!("{} of 3,000 ", grouped(matches)))
    });
    assert_alive(&mut session);
    session.send("\r");
    wait_for_status(&mut session, &[" list ", &format!("/{}", generate::COMMON)]);
    session.send("G\r");
    wait_for_status(
        &mut session,
        &[&format!("{matches}/{matches} "), " reader "],
    );
    assert_alive(&mut session);
    session.send("h");
    wait_for_status(&mut session, &[" list ", &format!("/{}", generate::COMMON)]);
    quit(&mut session);
}

#[test]
fn a_dump_cut_short_during_a_search_of_every_article_leaves_byline_running() {
    let (dir, path) = dump(10);
    let mut session = start(dir.path(), &path, COUNT);
    search_common(&mut session);
    // Cut while the search reads the articles.
    truncate(&path, unaligned(&path, 0.005));
    wait_for(&mut session, "the search to end", |screen| {
        searched(screen, " of ")
    });
    assert_alive(&mut session);
    let left = headlines(&path).len();
    assert!(left > 3 && left < 100, "{left} left");
    // The reload replaces the articles under the open prompt, and the search runs again.
    let of = format!(" of {} ", grouped(left));
    wait_for(&mut session, "the search of the reloaded file", |screen| {
        searched(screen, &of)
    });
    assert_alive(&mut session);
    cancel_search_and_quit(&mut session, &format!("1/{left} "));
}

#[test]
fn a_dump_rewritten_shorter_under_a_search_filter_is_reloaded_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.txt");
    let article = |n: usize| format!("Headline {n} about NATO\n\nBody {n}.\nView {n} times\n");
    std::fs::write(&path, (1..=3).map(article).collect::<String>()).unwrap();
    let mut session = start(dir.path(), &path, 3);
    session.send("/nato\r");
    wait_for_status(&mut session, &[" list ", "/nato 3 of 3 "]);
    std::fs::write(&path, article(1)).unwrap();
    wait_for_status(&mut session, &["Reloaded", "/nato 1 of 1 "]);
    assert_alive(&mut session);
    quit(&mut session);
}

#[test]
fn a_store_reads_and_searches_past_a_cut_without_a_panic_and_says_it_shrank() {
    let (_dir, path) = dump(9);
    let corpus = loader::load(&[Input::Path(path.clone())]);
    let store = &corpus.store;
    assert_eq!(store.len(), COUNT);
    let all: Vec<usize> = (0..store.len()).collect();
    let query = Query::parse(generate::COMMON);
    let before: Vec<_> = all.iter().map(|&i| store.parse(i)).collect();
    let found_before = search::search(store, &query, &all);
    assert!(found_before.len() > COUNT / 5, "{}", found_before.len());
    assert!(!store.shrank());

    let cut = unaligned(&path, 1.0 / 3.0);
    truncate(&path, cut);
    // The articles the cut file still holds whole: all but its last, which the cut ends early.
    let whole = loader::load(&[Input::Path(path.clone())]).store.len() - 1;

    for (i, was) in before.iter().enumerate() {
        let article = store.article(i);
        if i < whole {
            assert_eq!(&article, was, "article {i}, before the cut");
        }
    }
    assert!(store.shrank(), "reading past the cut was not noticed");
    let found = search::search(store, &query, &all);
    assert!(
        found.iter().all(|i| found_before.contains(i)),
        "a match that was not there before the cut"
    );
    let kept: Vec<usize> = found_before
        .iter()
        .copied()
        .filter(|&i| i < whole)
        .collect();
    let found_whole: Vec<usize> = found.iter().copied().filter(|&i| i < whole).collect();
    assert_eq!(found_whole, kept, "matches before the cut");
    assert!(!kept.is_empty());
    // Past the cut the bytes read as zeros: the articles there are gone, not garbage.
    assert!(store.raw_text(COUNT - 1).is_none());
    assert!(store.article(COUNT - 1).is_none());
    assert!(store.to_articles().len() <= whole + 1);
}
