//! The reading state on disk, with the real binary: which paths byline uses, refuses or moves,
//! and that saving never holds up a key.

mod support;

use std::path::Path;
use std::time::Instant;

use support::pty::{Session, TIMEOUT, sample_id, saved_state, state_file};

/// Starts byline in `home` with `args` and returns its exit status and everything it wrote
/// once `message` is on screen, for a start that must be refused before the terminal is touched.
fn refused(home: &Path, args: &[&str], message: &str) -> (u32, String) {
    let mut session = Session::start_in(Some(home), args, 100, 30, "xterm-256color");
    let code = session.exit_code();
    // The pty may still hold output when the process has ended: wait for it to be read.
    session.wait_for_text(message);
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
    (code, written)
}

fn assert_refused_before_the_terminal(home: &Path, args: &[&str], message: &str) {
    let (code, written) = refused(home, args, message);
    assert_eq!(code, 2, "{written}");
    assert_eq!(written.trim_end().lines().count(), 1, "one line: {written}");
    assert!(
        !written.contains("\x1b["),
        "the terminal was touched: {written:?}"
    );
}

#[test]
fn a_directory_given_as_state_is_refused_and_never_moved() {
    let home = tempfile::tempdir().unwrap();
    let documents = home.path().join("Documents");
    std::fs::create_dir(&documents).unwrap();
    std::fs::write(documents.join("letter.txt"), "kept").unwrap();
    let arg = documents.to_string_lossy().into_owned();
    assert_refused_before_the_terminal(home.path(), &["--state", &arg], "is a directory");
    assert_eq!(
        std::fs::read_to_string(documents.join("letter.txt")).unwrap(),
        "kept"
    );
    let names: Vec<_> = std::fs::read_dir(home.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "nothing was renamed beside it");
}

#[test]
fn an_unrelated_file_given_as_state_is_refused_and_left_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let bashrc = home.path().join(".bashrc");
    std::fs::write(&bashrc, "export EDITOR=vi\n").unwrap();
    let arg = bashrc.to_string_lossy().into_owned();
    assert_refused_before_the_terminal(home.path(), &["--state", &arg], "not a byline state file");
    assert_eq!(
        std::fs::read_to_string(&bashrc).unwrap(),
        "export EDITOR=vi\n"
    );
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 1);
}

#[test]
fn a_fifo_as_the_state_file_is_refused_instead_of_hanging() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("state.db");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let arg = fifo.to_string_lossy().into_owned();
    assert_refused_before_the_terminal(home.path(), &["--state", &arg], "not a regular file");
}

#[test]
fn a_fifo_as_the_config_file_is_refused_instead_of_hanging() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("config.toml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let arg = fifo.to_string_lossy().into_owned();
    assert_refused_before_the_terminal(home.path(), &["--config", &arg], "not a regular file");
}

#[test]
fn a_star_stamped_in_the_future_can_still_be_taken_off() {
    let home = tempfile::tempdir().unwrap();
    let json = home.path().join(".local/state/byline/state.json");
    std::fs::create_dir_all(json.parent().unwrap()).unwrap();
    // Stamped by a clock far ahead (in the year 2286), as the JSON state of earlier versions had it.
    let text = format!(
        r#"{{"version":1,"articles":{{"{}":{{"read":false,"starred":true,"changed":9999999999999}}}},"positions":{{}}}}"#,
        sample_id(0)
    );
    std::fs::write(&json, text).unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("★");
    session.send("s");
    session.wait_for("the star to go", |screen| !screen.contents().contains('★'));
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let mut again = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    again.wait_for_text("1/10");
    again.wait_for_text("10 unread");
    assert!(
        !again
            .parser
            .lock()
            .unwrap()
            .screen()
            .contents()
            .contains('★'),
        "the star came back"
    );
    again.send("q");
    assert_eq!(again.exit_code(), 0);
}

#[test]
fn a_lock_held_on_the_state_delays_the_save_but_never_a_key() {
    let home = tempfile::tempdir().unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    let other = rusqlite::Connection::open(state_file(home.path())).unwrap();
    other.busy_timeout(TIMEOUT).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    session.send("s");
    session.wait_for_text("★");
    session.send("jjj");
    session.wait_for_text("4/10");
    let starred = |home: &Path| {
        saved_state(home)
            .articles
            .get(&sample_id(0))
            .is_some_and(|m| m.starred)
    };
    assert!(
        !starred(home.path()),
        "saved through another process's lock"
    );
    other.execute_batch("COMMIT").unwrap();
    let released = Instant::now();
    while !starred(home.path()) {
        assert!(
            released.elapsed() < TIMEOUT,
            "never saved once the lock was released"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn a_json_state_named_by_state_is_imported_and_kept() {
    let home = tempfile::tempdir().unwrap();
    let json = home.path().join("old-state.json");
    let text = format!(
        r#"{{"version":1,"articles":{{"{}":{{"read":true,"starred":true,"changed":1}}}},"positions":{{}}}}"#,
        sample_id(2)
    );
    std::fs::write(&json, &text).unwrap();
    let arg = json.to_string_lossy().into_owned();
    let mut session = Session::start_in(
        Some(home.path()),
        &["--state", &arg],
        140,
        30,
        "xterm-256color",
    );
    session.wait_for_text("9 unread");
    session.wait_for_text("★");
    session.wait_for_text("kept as");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    let kept = home.path().join("old-state.json.imported");
    assert_eq!(std::fs::read_to_string(kept).unwrap(), text);
    let state = byline::state::open(&json, false, None).unwrap().state;
    assert!(
        state.articles[&sample_id(2)].starred,
        "the database took its place"
    );
}
