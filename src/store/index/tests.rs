use super::*;
use crate::store::dump;
use crate::store::{Bytes, Store};

fn identity(len: usize, modified_ns: i128) -> Identity {
    Identity {
        device: 1,
        inode: 7,
        len: len as u64,
        modified_ns,
    }
}

fn index(bytes: &[u8], known: Option<DumpIndex>, modified: i128) -> DumpIndex {
    DumpIndex::update(bytes, identity(bytes.len(), modified), known).expect("a dump")
}

/// The articles an index finds, parsed.
fn articles(bytes: &[u8], index: DumpIndex) -> Vec<crate::article::Article> {
    Store::from_index(Bytes::Read(bytes.to_vec()), index, None).to_articles()
}

const FIRST: &str = "First headline\n\nIts body.\n#Tag\nView 1 times\n";
const SECOND: &str = "Second headline\r\n\r\nAnother body.\r\nView 2,000 times\r\n";
const TAIL: &str = "Third headline, still being written\n\nHalf a";

#[test]
fn a_dump_that_grew_is_read_on_from_where_it_ended_and_agrees_with_a_whole_scan() {
    for (before, added) in [
        (FIRST.to_owned(), SECOND.to_owned()),
        (
            format!("{FIRST}{TAIL}"),
            " paragraph.\nView 3 times\n".to_owned(),
        ),
        (FIRST.to_owned(), format!("{SECOND}{TAIL}")),
        (format!("{FIRST}\n\n"), "View 9 times\n".to_owned()),
    ] {
        let known = index(before.as_bytes(), None, 1);
        let grown = format!("{before}{added}");
        let read_on = index(grown.as_bytes(), Some(known), 2);
        let whole = index(grown.as_bytes(), None, 2);
        assert_eq!(read_on.complete_to, whole.complete_to, "{grown:?}");
        assert_eq!(read_on.has_tail, whole.has_tail, "{grown:?}");
        assert_eq!(
            articles(grown.as_bytes(), read_on),
            dump::parse(&grown).articles,
            "{grown:?}"
        );
    }
}

#[test]
fn a_file_rewritten_or_shrunk_is_scanned_again() {
    let known = index(FIRST.as_bytes(), None, 1);
    let rewritten = format!("{}{SECOND}", FIRST.replace("Its", "Her"));
    let again = index(rewritten.as_bytes(), Some(known.clone()), 2);
    assert_eq!(
        articles(rewritten.as_bytes(), again),
        dump::parse(&rewritten).articles
    );
    let shrunk = &SECOND[..SECOND.len() - 5];
    let again = index(shrunk.as_bytes(), Some(known), 2);
    assert_eq!(
        articles(shrunk.as_bytes(), again),
        dump::parse(shrunk).articles
    );
}

#[test]
fn an_unchanged_file_is_not_read_again_but_a_change_near_its_end_is_noticed() {
    let mut known = index(FIRST.as_bytes(), None, 1);
    known.segments[0].1.headline = "Kept".into();
    let same = DumpIndex::update(FIRST.as_bytes(), known.identity, Some(known.clone()));
    assert_eq!(same.unwrap().segments[0].1.headline, "Kept", "not scanned");
    // Rewritten to the same length within the same clock tick: the fingerprint tells.
    let other = FIRST.replace("First", "Fresh");
    let again = DumpIndex::update(other.as_bytes(), known.identity, Some(known)).unwrap();
    assert_eq!(again.segments[0].1.headline, "Fresh headline");
}

#[test]
fn an_index_kept_on_disk_is_read_back_for_the_same_path_only() {
    let dir = tempfile::tempdir().unwrap();
    let kept = index(format!("{FIRST}{SECOND}").as_bytes(), None, 1);
    let path = Path::new("/archive/dump.txt");
    kept.write(dir.path(), path).unwrap();
    assert_eq!(DumpIndex::read(dir.path(), path), Some(kept.clone()));
    assert_eq!(DumpIndex::read(dir.path(), Path::new("/other.txt")), None);
    // A damaged file is not used.
    let file = cache_file(dir.path(), path);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(DumpIndex::read(dir.path(), path), None);
}

#[test]
fn a_kept_index_with_text_a_terminal_would_act_on_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = Path::new("/archive/dump.txt");
    let mut kept = index(FIRST.as_bytes(), None, 1);
    kept.segments[0].1.headline = "\x1b]52;c;aGk=\x07".into();
    kept.write(dir.path(), path).unwrap();
    assert_eq!(DumpIndex::read(dir.path(), path), None);
}

#[test]
fn an_index_is_kept_again_when_it_read_much_of_the_file_not_for_each_small_append() {
    let first = index(FIRST.as_bytes(), None, 1);
    assert!(first.worth_keeping(None), "new");
    assert!(!first.worth_keeping(Some(first.identity)), "unchanged");
    let long: String = (0..40).map(|_| FIRST).collect();
    let kept = index(long.as_bytes(), None, 1);
    let small = format!("{long}{SECOND}");
    let read_on = index(small.as_bytes(), Some(kept.clone()), 2);
    assert!(
        !read_on.worth_keeping(Some(kept.identity)),
        "a small append"
    );
    let large = format!("{long}{}", SECOND.repeat(20));
    let read_on = index(large.as_bytes(), Some(kept.clone()), 2);
    assert!(read_on.worth_keeping(Some(kept.identity)), "a large append");
}
