//! The real binary in a pseudo-terminal, its screen read back with vt100.

mod support;

use std::time::{Duration, Instant};

use support::pty::{Session, TIMEOUT, sample_id, saved_state, state_file};

#[test]
fn read_search_and_quit_leave_the_terminal_intact() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("Chaotic showdown over Guatemalan");
    session.wait_for("the alternate screen", |screen| screen.alternate_screen());
    session.wait_for_text("1/10");
    session.send("j");
    session.wait_for_text("2/10");
    session.send("\r");
    session.wait_for_text("Billionaire and onetime top White House advisor");
    session.send("/NATO");
    session.wait_for_text("1 of 10");
    session.send("\r");
    session.wait_for_text("/NATO 1 of 10");
    session.wait_for_text("list");
    session.send("q");
    let status = session.wait_for_exit();
    assert!(status.success(), "{status:?}");
    session.assert_restored();
}

#[test]
fn ctrl_c_in_the_reader_quits_and_restores() {
    let mut session = Session::start(&[], 80, 24);
    session.wait_for_text("1/10");
    session.send("\r");
    session.wait_for_text("reader");
    session.send("\x03");
    let status = session.wait_for_exit();
    assert!(status.success());
    session.assert_restored();
}

#[test]
fn a_resize_redraws_at_the_new_size() {
    let mut session = Session::start(&[], 120, 30);
    session.wait_for_text("1/10");
    session.resize(50, 20);
    // Below 60 columns only the list shows, with its hint at the right edge.
    session.wait_for("the single-pane layout", |screen| {
        screen
            .contents_between(19, 0, 19, 50)
            .trim_end()
            .ends_with("? help")
            && !screen.contents().contains("│")
    });
    session.send("q");
    assert!(session.wait_for_exit().success());
}

#[test]
fn term_dumb_gets_the_list_with_a_note() {
    let mut session = Session::start_with_term(&[], 100, 30, "dumb");
    let status = session.wait_for_exit();
    assert!(status.success());
    session.wait_for_text("North Korea releases propaganda video");
    let parser = session.parser.lock().unwrap();
    let contents = parser.screen().contents();
    assert!(contents.contains("TERM=dumb"), "{contents}");
    assert!(!parser.screen().alternate_screen());
}

/// The row of the list that shows `headline`'s start (just after the marker columns).
fn row_with(screen: &vt100::Screen, headline: &str) -> String {
    screen
        .contents()
        .lines()
        .find(|line| line.find(headline).is_some_and(|at| at < 8))
        .unwrap_or_else(|| panic!("no row with {headline}"))
        .to_owned()
}

#[test]
fn reading_state_and_position_survive_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("10 unread");
    session.send("jj\r");
    session.wait_for_text("The report, released by the Montreal Institute");
    session.wait_for_text("9 unread");
    session.send("q");
    session.wait_for_text(" list ");
    session.send("q");
    assert!(session.wait_for_exit().success());

    let mut again = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    again.wait_for_text("3/10");
    again.wait_for_text("9 unread");
    again.wait_for_text("The report, released by the Montreal Institute");
    {
        let parser = again.parser.lock().unwrap();
        let read_row = row_with(parser.screen(), "Report calls on NATO");
        assert!(!read_row.starts_with('●'), "{read_row}");
        assert!(row_with(parser.screen(), "Elon Musk says").starts_with('●'));
    }
    again.send("q");
    assert!(again.wait_for_exit().success());
}

#[test]
fn a_corrupt_state_file_is_moved_aside_and_reported() {
    let home = tempfile::tempdir().unwrap();
    // A torn JSON state of an earlier version, found beside the database.
    let path = state_file(home.path()).with_extension("json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"{\"version\":1,\"articles\":{\"tor").unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 120, 30, "xterm-256color");
    session.wait_for_text("corrupt state file");
    session.send("q");
    assert!(session.wait_for_exit().success());
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let aside = names
        .iter()
        .find(|n| n.starts_with("state.json.corrupt-"))
        .expect("moved aside");
    let kept = std::fs::read(path.parent().unwrap().join(aside)).unwrap();
    assert_eq!(kept, b"{\"version\":1,\"articles\":{\"tor");
}

#[test]
fn no_state_writes_nothing_and_says_so() {
    let home = tempfile::tempdir().unwrap();
    let mut session = Session::start_in(
        Some(home.path()),
        &["--no-state"],
        100,
        30,
        "xterm-256color",
    );
    session.wait_for_text("1/10");
    session.wait_for_text("· not saved");
    session.send("j\rsq");
    session.wait_for_text(" list ");
    session.send("q");
    assert!(session.wait_for_exit().success());
    assert!(
        !home.path().join(".local/state").exists(),
        "nothing was created"
    );
}

#[test]
fn remapped_keys_take_effect() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config/byline");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[keys]\nnext = [\"ctrl-n\"]\nprevious = [\"ctrl-p\"]\n",
    )
    .unwrap();
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    session.send("\x0e\x0e");
    session.wait_for_text("3/10");
    session.send("j");
    session.send("\x10");
    session.wait_for_text("2/10");
    session.send("?");
    session.wait_for_text("Ctrl-n / Ctrl-p");
    session.send("xq");
    assert!(session.wait_for_exit().success());
}

#[test]
fn a_bad_config_exits_before_touching_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("bad.toml");
    std::fs::write(&config, "[theme]\naccent = \"plaid\"\n").unwrap();
    let config = config.to_string_lossy().into_owned();
    let mut session = Session::start_in(
        Some(home.path()),
        &["--config", &config],
        100,
        30,
        "xterm-256color",
    );
    let status = session.wait_for_exit();
    assert_eq!(status.exit_code(), 2);
    session.wait_for_text("bad.toml:2: bad colour \"plaid\"");
    let written = session.written.lock().unwrap();
    assert!(
        !written.windows(2).any(|w| w == b"\x1b["),
        "escape sequences were written"
    );
}

#[test]
fn a_killed_reader_loses_at_most_the_last_second() {
    let home = tempfile::tempdir().unwrap();
    let path = state_file(home.path());
    let mut session = Session::start_in(Some(home.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    let opened = sample_id(1);
    session.send("j\r");
    let changed = Instant::now();
    session.wait_for_text("Billionaire and onetime");
    // The change reaches the disk by itself, without a quit (how soon is measured in the benchmarks).
    let read = |home: &std::path::Path| {
        saved_state(home)
            .articles
            .get(&opened)
            .is_some_and(|m| m.read)
    };
    while !read(home.path()) {
        assert!(changed.elapsed() < TIMEOUT, "never saved");
        std::thread::sleep(Duration::from_millis(10));
    }
    // A change right before the kill may be lost; what was saved must still be there.
    session.send("s");
    let pid = session.child.process_id().expect("a pid") as i32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    session.wait_for_exit();
    assert!(read(home.path()));
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with("state.db")),
        "no stray temporary files: {names:?}"
    );
}

#[test]
fn a_dump_piped_into_byline_opens_the_reader_with_keys_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.txt");
    std::fs::write(&dump, byline::loader::SAMPLE).unwrap();
    let line = format!(
        "cat '{}' | '{}' -",
        dump.display(),
        env!("CARGO_BIN_EXE_byline")
    );
    let mut session = Session::start_program(
        "sh",
        Some(dir.path()),
        &["-c", &line],
        &[],
        100,
        30,
        "xterm-256color",
    );
    session.wait_for_text("1/10");
    session.send("j");
    session.wait_for_text("2/10");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}

#[test]
fn the_reading_pane_shows_the_selected_article_once_the_selection_rests() {
    let mut session = Session::start(&[], 120, 40);
    session.wait_for_text("1/10");
    // No key pressed: the first article is previewed, not read.
    session.wait_for_text("HARLINGEN, Texas");
    session.wait_for_text("10 unread");
    session.send("j");
    session.wait_for_text("Billionaire and onetime");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}
