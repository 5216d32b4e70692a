use std::time::Duration;

use super::*;

/// A guard against hangs, not a speed limit.
const WAIT: Duration = Duration::from_secs(60);

fn read_change(id: &str, read: bool) -> Changes {
    Changes {
        marks: [(
            id.to_owned(),
            MarkChange {
                read: Some(read),
                starred: None,
            },
        )]
        .into(),
        ..Changes::default()
    }
}

fn star_change(id: &str, starred: bool) -> Changes {
    Changes {
        marks: [(
            id.to_owned(),
            MarkChange {
                read: None,
                starred: Some(starred),
            },
        )]
        .into(),
        ..Changes::default()
    }
}

fn open_ok(path: &Path) -> Opened {
    open(path, true, None).expect("opens")
}

/// Hands `changes` to a store's saver and waits until they are on disk.
fn save(opened: &mut Opened, changes: Changes) {
    let saver = opened.saver.as_mut().expect("a saver");
    saver.hand_over(changes);
    saver.flush(WAIT).expect("saved");
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_database_is_empty_state_and_changes_are_saved_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/byline/state.db");
    let mut opened = open_ok(&path);
    assert_eq!(opened.state, State::default());
    assert!(opened.notice.is_none());
    save(&mut opened, read_change("a", true));
    let mut position = Changes::default();
    position.positions.insert(
        "input".into(),
        Position {
            scroll: 7,
            ..Position::default()
        },
    );
    save(&mut opened, position);
    let again = open_ok(&path).state;
    assert!(again.articles["a"].read);
    assert_eq!(again.positions["input"].scroll, 7);
    assert_eq!(db::recognise(&path), db::Kind::Database);
}

#[test]
fn two_processes_changing_different_flags_of_one_article_both_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut first = open_ok(&path);
    let mut second = open_ok(&path);
    save(&mut first, read_change("a", true));
    save(&mut second, star_change("a", true));
    let mark = open_ok(&path).state.articles["a"];
    assert!(mark.read && mark.starred, "{mark:?}");
}

#[test]
fn concurrent_savers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut opened = open_ok(&path);
                for n in 0..25 {
                    let saver = opened.saver.as_mut().unwrap();
                    saver.hand_over(read_change(&format!("{writer}-{n}"), true));
                }
                opened.saver.as_mut().unwrap().flush(WAIT).unwrap();
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(open_ok(&path).state.articles.len(), 100);
}

#[test]
fn a_lock_held_elsewhere_delays_the_save_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut opened = open_ok(&path);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let saver = opened.saver.as_mut().unwrap();
    saver.hand_over(read_change("a", true));
    saver.hand_over(star_change("a", true));
    assert!(
        !saver.wait_durable(1, db::BUSY_WAIT * 3),
        "nothing can be written while the lock is held"
    );
    assert_eq!(saver.take_error(), None, "a lock is not an error");
    other.execute_batch("COMMIT").unwrap();
    assert!(saver.wait_durable(2, WAIT));
    let mark = open_ok(&path).state.articles["a"];
    assert!(mark.read && mark.starred);
}

#[test]
fn a_later_local_change_wins_over_a_mark_stamped_in_the_future() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("state.json");
    let future = u64::MAX / 2;
    fs::write(
        &json,
        format!(r#"{{"version":1,"articles":{{"a":{{"read":true,"starred":true,"changed":{future}}}}}}}"#),
    )
    .unwrap();
    let path = dir.path().join("state.db");
    let mut opened = open(&path, true, Some(&json)).unwrap();
    assert!(opened.state.articles["a"].starred);
    save(&mut opened, star_change("a", false));
    save(&mut opened, read_change("a", false));
    let mark = open_ok(&path).state.articles["a"];
    assert!(!mark.starred && !mark.read, "{mark:?}");
}

#[test]
fn a_json_state_beside_the_database_is_imported_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("state.json");
    let text = r#"{"version":1,"articles":{"a":{"read":true,"starred":false,"changed":5}},"positions":{"in":{"scroll":3,"changed":5}}}"#;
    fs::write(&json, text).unwrap();
    let path = dir.path().join("state.db");
    let mut opened = open(&path, true, Some(&json)).unwrap();
    assert!(opened.notice.as_ref().unwrap().contains("imported"));
    assert!(opened.state.articles["a"].read);
    assert_eq!(opened.state.positions["in"].scroll, 3);
    save(&mut opened, read_change("a", false));
    assert!(!json.exists());
    assert_eq!(
        fs::read_to_string(dir.path().join("state.json.imported")).unwrap(),
        text
    );
    let again = open(&path, true, Some(&json)).unwrap();
    assert!(again.notice.is_none());
    assert!(!again.state.articles["a"].read, "imported only once");
}

#[test]
fn a_json_state_named_by_the_path_is_imported_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.json");
    let text = r#"{"version":1,"articles":{"a":{"starred":true}},"positions":{}}"#;
    fs::write(&path, text).unwrap();
    let opened = open_ok(&path);
    assert!(opened.state.articles["a"].starred);
    assert!(opened.notice.unwrap().contains("kept as"));
    assert_eq!(db::recognise(&path), db::Kind::Database);
    assert_eq!(
        fs::read_to_string(dir.path().join("mine.json.imported")).unwrap(),
        text
    );
    assert!(open_ok(&path).state.articles["a"].starred);
}

#[test]
fn a_torn_json_state_is_moved_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("state.json");
    fs::write(&json, br#"{"version":1,"articles":{"a":{"re"#).unwrap();
    let opened = open(&dir.path().join("state.db"), true, Some(&json)).unwrap();
    let notice = opened.notice.unwrap();
    assert!(
        notice.contains("corrupt state file") && notice.contains("moved it to"),
        "{notice}"
    );
    assert!(!json.exists());
    assert!(
        names_in(dir.path())
            .iter()
            .any(|n| n.starts_with("state.json.corrupt-"))
    );
}

#[test]
fn a_corrupt_database_is_moved_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    // byline's header with nothing sensible after it: a page size of zero.
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.resize(4096, 0);
    bytes[68..72].copy_from_slice(&db::APPLICATION_ID.to_be_bytes());
    fs::write(&path, &bytes).unwrap();
    let mut opened = open_ok(&path);
    let notice = opened.notice.take().unwrap();
    assert!(notice.contains("moved it to"), "{notice}");
    let aside = names_in(dir.path())
        .into_iter()
        .find(|n| n.starts_with("state.db.corrupt-"))
        .expect("moved aside");
    assert_eq!(fs::read(dir.path().join(aside)).unwrap(), bytes);
    save(&mut opened, read_change("a", true));
    assert!(open_ok(&path).state.articles["a"].read, "a fresh database");
}

#[test]
fn a_directory_as_the_state_is_refused_and_left_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let error = open(dir.path(), true, None).unwrap_err();
    assert!(error.contains("is a directory"), "{error}");
    assert!(dir.path().is_dir());
    assert!(
        names_in(dir.path().parent().unwrap())
            .iter()
            .all(|n| !n.contains("corrupt"))
    );
}

#[test]
fn an_unrelated_file_as_the_state_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("bashrc", &b"export PATH=$HOME/bin:$PATH\n"[..]),
        ("package.json", &br#"{"version":"1.0","name":"x"}"#[..]),
        (
            "other.db",
            &b"SQLite format 3\0 another program's database"[..],
        ),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        for write in [true, false] {
            let error = open(&path, write, None).unwrap_err();
            assert!(error.contains("not a byline state file"), "{error}");
            assert_eq!(fs::read(&path).unwrap(), bytes);
        }
    }
    assert_eq!(names_in(dir.path()), ["bashrc", "other.db", "package.json"]);
}

#[test]
fn a_fifo_as_the_state_is_refused_without_opening_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let error = open(&path, true, None).unwrap_err();
    assert!(error.ends_with("state.db: not a regular file"), "{error}");
}

#[test]
fn a_json_state_is_read_up_to_a_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(
        &path,
        format!(
            r#"{{"version":1,"articles":{{}},"pad":"{}"}}"#,
            "x".repeat(100)
        ),
    )
    .unwrap();
    let file = || fs::File::open(&path).unwrap();
    assert!(legacy::read_capped(file(), 1000).is_ok());
    let error = legacy::read_capped(file(), 50).unwrap_err();
    assert!(error.contains("larger than"), "{error}");
}

#[test]
fn without_write_nothing_on_disk_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let opened = open(&path, false, None).unwrap();
    assert!(opened.saver.is_none());
    assert!(names_in(dir.path()).is_empty(), "nothing was created");
    // Written and closed here, so no saver thread is left to touch the file later.
    let mut connection = db::open(&path).unwrap();
    db::write(&mut connection, &read_change("a", true), false).unwrap();
    drop(connection);
    let before = fs::read(&path).unwrap();
    let listed = names_in(dir.path());
    assert!(open(&path, false, None).unwrap().state.articles["a"].read);
    assert!(fs::read(&path).unwrap() == before, "the database changed");
    assert_eq!(names_in(dir.path()), listed);
    let json = dir.path().join("old.json");
    fs::write(&json, br#"{"version":1,"articles":{"b":{"read":true}}}"#).unwrap();
    assert!(open(&json, false, None).unwrap().state.articles["b"].read);
    assert_eq!(db::recognise(&json), db::Kind::Json, "not imported");
}

#[test]
fn an_unwritable_directory_makes_the_store_read_only_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the directory should be cannot be created or written, even by root.
    let blocker = dir.path().join("blocked");
    fs::write(&blocker, b"").unwrap();
    let opened = open(&blocker.join("byline/state.db"), true, None).unwrap();
    assert!(opened.saver.is_none());
    assert!(opened.notice.unwrap().contains("without saving"));
}

#[test]
fn later_changes_win_when_changes_are_gathered() {
    let mut changes = read_change("a", true);
    changes.absorb(star_change("a", true));
    changes.absorb(read_change("a", false));
    assert_eq!(
        changes.marks["a"],
        MarkChange {
            read: Some(false),
            starred: Some(true)
        }
    );
    assert_eq!(changes.len(), 1);
}

#[test]
fn a_database_damaged_inside_is_moved_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut connection = db::open(&path).unwrap();
    let mut many = Changes::default();
    for n in 0..2000 {
        many.marks
            .insert(format!("article-{n}"), MarkChange::default());
    }
    db::write(&mut connection, &many, false).unwrap();
    drop(connection);
    // The header stays byline's; the pages after it are overwritten.
    let mut bytes = fs::read(&path).unwrap();
    let page = 4096;
    for byte in &mut bytes[page..] {
        *byte = 0xa5;
    }
    fs::write(&path, &bytes).unwrap();
    let opened = open_ok(&path);
    let notice = opened.notice.unwrap();
    assert!(notice.contains("moved it to"), "{notice}");
    assert!(opened.saver.is_some(), "a fresh database is saved to");
    assert!(opened.state.articles.is_empty());
}
