use super::*;

fn mark(read: bool, starred: bool, changed: u64) -> ArticleMark {
    ArticleMark {
        read,
        starred,
        changed,
    }
}

fn state_with(entries: &[(&str, ArticleMark)]) -> State {
    State {
        articles: entries.iter().map(|(id, m)| (id.to_string(), *m)).collect(),
        ..State::default()
    }
}

#[test]
fn merging_keeps_the_newer_entry_per_article() {
    let mut ours = state_with(&[("a", mark(true, false, 10)), ("b", mark(false, false, 30))]);
    let theirs = state_with(&[
        ("a", mark(false, true, 20)),
        ("b", mark(true, true, 5)),
        ("c", mark(true, false, 1)),
    ]);
    ours.merge(theirs);
    assert_eq!(ours.articles["a"], mark(false, true, 20));
    assert_eq!(ours.articles["b"], mark(false, false, 30));
    assert_eq!(
        ours.articles["c"],
        mark(true, false, 1),
        "entries we did not have are kept"
    );
}

#[test]
fn merging_keeps_the_newer_position_per_input() {
    let position = |scroll, changed| Position {
        scroll,
        changed,
        ..Position::default()
    };
    let mut ours = State::default();
    ours.positions.insert("x".into(), position(1, 10));
    ours.positions.insert("y".into(), position(2, 10));
    let mut theirs = State::default();
    theirs.positions.insert("x".into(), position(3, 20));
    theirs.positions.insert("y".into(), position(4, 5));
    ours.merge(theirs);
    assert_eq!(ours.positions["x"].scroll, 3);
    assert_eq!(ours.positions["y"].scroll, 2);
}

#[test]
fn a_missing_file_is_empty_state_and_saving_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/byline/state.json");
    let opened = Store::open(path.clone(), true);
    assert_eq!(opened.state, State::default());
    assert!(opened.notice.is_none());
    assert!(opened.store.is_writable());
    let state = state_with(&[("a", mark(true, false, 1))]);
    opened.store.save(&state).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"version\":1"), "{text}");
    assert_eq!(Store::open(path, true).state, state);
}

#[test]
fn saving_merges_what_another_process_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let first = Store::open(path.clone(), true).store;
    let second = Store::open(path.clone(), true).store;
    first
        .save(&state_with(&[("a", mark(true, false, 10))]))
        .unwrap();
    let merged = second
        .save(&state_with(&[("b", mark(true, true, 11))]))
        .unwrap();
    assert_eq!(merged.articles.len(), 2);
    assert_eq!(Store::open(path, true).state, merged);
}

#[test]
fn a_corrupt_file_is_moved_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, b"{\"version\":1,\"articles\":{").unwrap();
    let opened = Store::open(path.clone(), true);
    assert_eq!(opened.state, State::default());
    let notice = opened.notice.unwrap();
    assert!(
        notice.contains("corrupt state file") && notice.contains("moved it to"),
        "{notice}"
    );
    let aside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("state.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        fs::read(dir.path().join(&aside[0])).unwrap(),
        b"{\"version\":1,\"articles\":{"
    );
    assert!(!path.exists());
}

#[test]
fn another_format_version_is_not_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, b"{\"version\":99}").unwrap();
    let opened = Store::open(path.clone(), true);
    assert!(
        opened
            .notice
            .unwrap()
            .contains("state format version 99 is not 1")
    );
    assert!(!path.exists(), "moved aside");
}

#[test]
fn a_read_only_store_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let store = Store::open(path.clone(), false).store;
    store
        .save(&state_with(&[("a", mark(true, false, 1))]))
        .unwrap();
    assert!(!path.exists());
    fs::write(&path, b"garbage").unwrap();
    let opened = Store::open(path.clone(), false);
    assert!(opened.notice.unwrap().contains("corrupt"));
    assert_eq!(
        fs::read(&path).unwrap(),
        b"garbage",
        "a read-only store leaves a bad file alone"
    );
}

#[test]
fn an_unwritable_directory_makes_the_store_read_only_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the directory should be cannot be created or written, even by root.
    let blocker = dir.path().join("blocked");
    fs::write(&blocker, b"").unwrap();
    let opened = Store::open(blocker.join("byline/state.json"), true);
    assert!(!opened.store.is_writable());
    assert!(opened.notice.unwrap().contains("without saving"));
}

#[test]
fn concurrent_saves_lose_nothing_and_never_tear_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || {
                let store = Store::open(path, true).store;
                let mut state = State::default();
                for n in 0..25 {
                    state
                        .articles
                        .insert(format!("{writer}-{n}"), mark(true, false, now()));
                    store.save(&state).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let saved: State = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved.articles.len(), 100);
}
