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

/// `rows` with the headline of row `i` replaced.
fn with_headline(rows: &Rows, i: usize, headline: &str) -> Rows {
    let mut summary = rows.summary(i).expect("a row").to_summary();
    summary.headline = headline.into();
    rows.with_summary(i, &summary)
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
    known.rows = with_headline(&known.rows, 0, "Kept");
    let same = DumpIndex::update(FIRST.as_bytes(), known.identity, Some(known.clone()));
    assert_eq!(
        same.unwrap().rows.summary(0).unwrap().headline,
        "Kept",
        "not scanned"
    );
    // Rewritten to the same length within the same clock tick: the fingerprint tells.
    let other = FIRST.replace("First", "Fresh");
    let again = DumpIndex::update(other.as_bytes(), known.identity, Some(known)).unwrap();
    assert_eq!(again.rows.summary(0).unwrap().headline, "Fresh headline");
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
    // A byte changed anywhere in the pieces of summaries, even one that leaves it clean text.
    for back in [1, 20, 60, 200] {
        let mut damaged = bytes.clone();
        let at = damaged.len() - back;
        damaged[at] = if damaged[at] == b'x' { b'y' } else { b'x' };
        std::fs::write(&file, &damaged).unwrap();
        assert_eq!(
            DumpIndex::read(dir.path(), path),
            None,
            "{back} from the end"
        );
    }
}

#[test]
fn a_kept_index_with_text_a_terminal_would_act_on_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = Path::new("/archive/dump.txt");
    let mut kept = index(FIRST.as_bytes(), None, 1);
    kept.rows = with_headline(&kept.rows, 0, "\x1b]52;c;aGk=\x07");
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

#[test]
fn the_duplicates_of_a_dump_are_kept_in_its_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = Path::new("/archive/dump.txt");
    // The second is the first again; the third has its id but other credits.
    let credited = FIRST.replace("#Tag\n", "#Tag\n\nJane Doe, The Paper\n");
    let dump = format!("{FIRST}{SECOND}{FIRST}{credited}");
    let kept = index(dump.as_bytes(), None, 1);
    assert_eq!(kept.rows.len(), 4);
    assert_eq!(kept.duplicates, [2]);
    kept.write(dir.path(), path).unwrap();
    assert_eq!(DumpIndex::read(dir.path(), path).unwrap().duplicates, [2]);
}

#[test]
fn rows_read_on_are_checked_for_duplicates_of_the_rows_before() {
    let known = index(format!("{FIRST}{SECOND}").as_bytes(), None, 1);
    let grown = format!("{FIRST}{SECOND}{SECOND}{FIRST}");
    let read_on = index(grown.as_bytes(), Some(known), 2);
    assert_eq!(read_on.read_from, FIRST.len() + SECOND.len(), "read on");
    assert_eq!(read_on.duplicates, [2, 3]);
    assert_eq!(
        read_on.duplicates,
        index(grown.as_bytes(), None, 2).duplicates
    );
    // And among themselves.
    let third = FIRST.replace("First", "Third");
    let grown_more = format!("{grown}{third}{third}");
    let read_on = index(grown_more.as_bytes(), Some(read_on), 3);
    assert_eq!(read_on.duplicates, [2, 3, 5]);
}

#[test]
fn a_dump_read_on_shares_the_rows_it_had_and_copies_none_of_them() {
    let long: String = (0..200)
        .map(|i| FIRST.replace("First", &format!("Article {i}")))
        .collect();
    let known = index(long.as_bytes(), None, 1);
    let grown = format!("{long}{SECOND}");
    let read_on = index(grown.as_bytes(), Some(known.clone()), 2);
    assert!(read_on.rows.shares_parts_with(&known.rows));
    assert_eq!(read_on.rows.len(), 201);
    assert_eq!(
        read_on.rows.summary(200).unwrap().headline,
        "Second headline"
    );
    // A tail read again is not shared: the row that held it is left out.
    let with_tail = format!("{long}{TAIL}");
    let known = index(with_tail.as_bytes(), None, 1);
    let finished = format!("{with_tail} paragraph.\nView 3 times\n");
    let read_on = index(finished.as_bytes(), Some(known.clone()), 2);
    assert_eq!(read_on.rows.len(), 201);
    assert!(!read_on.rows.shares_parts_with(&known.rows));
    let mut without_tail = known.rows.clone();
    without_tail.pop();
    assert!(read_on.rows.shares_parts_with(&without_tail));
}
