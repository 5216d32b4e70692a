use std::io::Write;
use std::sync::Arc;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::kept::{BITS, Bytes, Kept, cache_file, fingerprint};
use super::*;
use crate::loader::{self, Input, Known};
use crate::search::{fold, search_among, search_in_steps};
use crate::store::Bytes as StoreBytes;

/// A store of a dump's articles, read lazily, as the reader loads a dump.
fn store_of(dump: &[u8]) -> Option<Store> {
    let bytes = StoreBytes::Read(dump.to_vec());
    loader::parse_kept("dump", bytes, Some("txt"), None)
        .ok()
        .map(|loaded| loaded.store)
}

/// The store of the dump file at `path`, as the reader loads it.
fn load(path: &Path) -> Store {
    let known = Known::default();
    loader::load_known(&[Input::Path(path.to_owned())], known).store
}

fn built(store: &Store, cache_dir: Option<&Path>, block_bytes: usize) -> Index {
    let mut index = Index::with_blocks_of(store, cache_dir, block_bytes);
    while !index.is_complete() {
        index.build_some(store);
    }
    index
}

/// The rows the index lets a search read for `query`, all of them when it cannot tell.
fn readable(index: &Index, store: &Store, query: &str) -> Vec<usize> {
    let filter = index.filter(&Query::parse(query));
    (0..store.len())
        .filter(|&row| filter.as_ref().is_none_or(|f| f.may_match(row)))
        .collect()
}

fn search_indexed(index: &Index, store: &Store, query: &Query) -> Vec<usize> {
    let all: Vec<usize> = (0..store.len()).collect();
    let filter = index.filter(query);
    let may_match = |row| filter.as_ref().is_none_or(|f| f.may_match(row));
    search_among(store, query, &all, may_match, |_| true).unwrap_or_default()
}

fn search_plain(store: &Store, query: &Query) -> Vec<usize> {
    let all: Vec<usize> = (0..store.len()).collect();
    search_in_steps(store, query, &all, |_| true).unwrap_or_default()
}

/// `count` articles of a few words each; article `unique` (if any) also holds "zanzibarite".
fn dump(count: usize, unique: Option<usize>) -> String {
    (0..count)
        .map(|i| {
            let word = if Some(i) == unique { " zanzibarite" } else { "" };
            format!("Headline {i} of the day\n\nTroops at the border{word}. Peña said.\n\nView {i} times\n\n")
        })
        .collect()
}

#[test]
fn a_search_that_every_headline_matches_gives_way_often_before_its_first_match() {
    use crate::search::{HEADLINE_STEP, LAST_STEP};
    let count = 3 * HEADLINE_STEP;
    let store = store_of(dump(count, None).as_bytes()).unwrap();
    let all: Vec<usize> = (0..count).collect();
    let mut asked = Vec::new();
    let query = Query::parse("headline");
    let found = search_in_steps(&store, &query, &all, |so_far| {
        asked.push(so_far.len());
        true
    });
    assert_eq!(found.map(|f| f.len()), Some(count));
    // Once for each step of headlines, none matched yet; then by steps of matches.
    assert_eq!(asked[..3], [0, 0, 0], "{asked:?}");
    assert!(
        asked.windows(2).all(|w| w[1] - w[0] <= LAST_STEP),
        "{asked:?}"
    );
    // Not after the last step: the answer itself follows at once.
    assert!(asked.last() < Some(&count), "{asked:?}");
    let mut once = 0;
    let stopped = search_in_steps(&store, &query, &all, |_| {
        once += 1;
        false
    });
    assert_eq!(
        (stopped, once),
        (None, 1),
        "a newer query stops it at the first chance"
    );
}

#[test]
fn a_rare_word_is_read_for_in_its_own_block_alone() {
    let store = store_of(dump(400, Some(123)).as_bytes()).unwrap();
    let index = built(&store, None, 1024);
    assert!(index.blocks.len() > 20, "{} blocks", index.blocks.len());
    let rows = readable(&index, &store, "zanzibarite");
    assert!(rows.contains(&123) && rows.len() < 20, "{rows:?}");
    assert_eq!(
        search_indexed(&index, &store, &Query::parse("Zanzibarite")),
        [] as [usize; 0]
    );
    assert_eq!(
        search_indexed(&index, &store, &Query::parse("zanzibarite")),
        [123]
    );
    assert!(readable(&index, &store, "zanzibarite quixotic").is_empty());
}

#[test]
fn queries_without_a_trigram_of_letters_or_digits_read_everything() {
    let store = store_of(dump(100, None).as_bytes()).unwrap();
    let index = built(&store, None, 1024);
    for query in ["ze", "-zanzibarite", "#nato", "漢字", "a.b.c", "\"of the\""] {
        assert_eq!(readable(&index, &store, query).len(), 100, "{query}");
    }
    assert!(readable(&index, &store, "zzz").is_empty());
}

#[test]
fn an_index_not_built_yet_reads_everything_and_one_built_in_part_reads_the_rest() {
    let store = store_of(dump(400, Some(300)).as_bytes()).unwrap();
    let mut index = Index::with_blocks_of(&store, None, 1024);
    assert_eq!(readable(&index, &store, "zanzibarite").len(), 400);
    index.build_some(&store);
    let rows = readable(&index, &store, "zanzibarite");
    assert!(rows.len() < 400 && rows.contains(&300), "{}", rows.len());
}

#[test]
fn the_last_article_of_a_dump_being_written_is_always_read() {
    let mut text = dump(50, None);
    text.push_str("A headline still being written\n\nzanzibarite");
    let store = store_of(text.as_bytes()).unwrap();
    let index = built(&store, None, 512);
    assert_eq!(readable(&index, &store, "zanzibarite"), [50]);
    assert_eq!(
        search_indexed(&index, &store, &Query::parse("zanzibarite")),
        [50]
    );
}

#[test]
fn bytes_gone_from_under_a_block_build_nothing() {
    let mut trigrams = Trigrams::new();
    assert_eq!(block_set(b"abc\0def", 0..7, &mut trigrams), None);
    assert_eq!(block_set(b"abcdef", 0..70, &mut trigrams), None);
    assert!(
        block_set(b"abcdef", 0..6, &mut trigrams)
            .is_some_and(|set| set.contains(wanted_one("cde")))
    );
}

fn wanted_one(trigram: &str) -> u16 {
    wanted(&Query::parse(trigram))[0]
}

#[test]
fn sets_hold_their_trigrams_as_lists_or_as_bits() {
    let mut trigrams = Trigrams::new();
    let few = trigrams.of("Zürich ZANZIBAR a1b2");
    assert!(matches!(few, Set::List(_)));
    for t in ["zur", "ric", "zan", "bar", "a1b", "1b2"] {
        assert!(few.contains(wanted_one(t)), "{t}");
    }
    assert!(
        !few.contains(wanted_one("hza")),
        "no trigram across a space"
    );
    let every: String = (0..TRIGRAMS)
        .map(|t| {
            let digit = |d: usize| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[d]);
            format!(
                "{}{}{} ",
                digit(t / 1296),
                digit(t / 36 % 36),
                digit(t % 36)
            )
        })
        .collect();
    let all = trigrams.of(&every);
    assert!(matches!(all, Set::Bits(_)));
    assert!((0..TRIGRAMS as u16).all(|t| all.contains(t)));
}

/// Words and pieces that make folding and parsing differ from plain text: diacritics, marks,
/// hashtags (after a mark too), joiners, case, controls, line ends and invalid bytes.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"zanzibarite ".to_vec()),
        Just(b"ZanZibarite".to_vec()),
        Just("zänzi\u{301}barïte ".as_bytes().to_vec()),
        Just("zan\u{200D}zibarite".as_bytes().to_vec()),
        Just("e\u{301}#bar ".as_bytes().to_vec()),
        Just(b"#Nato ".to_vec()),
        Just(b"nato#summit ".to_vec()),
        Just("Peña Kraków İstanbul \u{212A}elvin ".as_bytes().to_vec()),
        Just(b"pena ".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\xff\xc3".to_vec()),
        Just(b"View 3 times\n".to_vec()),
        Just(b"View 1,204 times\r\n".to_vec()),
        Just(b"___\n".to_vec()),
        Just(b"Jim Bronskill, The Canadian Press\n".to_vec()),
        Just("漢字 🎉 — “quoted” ".as_bytes().to_vec()),
        "[a-zA-Z0-9 ]{1,12}".prop_map(String::into_bytes),
    ]
}

fn query() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("zanzibarite".to_owned()),
        Just("Zanzibarite".to_owned()),
        Just("zänzibarite".to_owned()),
        Just("ebar".to_owned()),
        Just("natosummit".to_owned()),
        Just("nato".to_owned()),
        Just("#nato".to_owned()),
        Just("-pena".to_owned()),
        Just("peña".to_owned()),
        Just("kelvin".to_owned()),
        Just("istanbul".to_owned()),
        Just("\"press view\"".to_owned()),
        Just("\"canadian press\"".to_owned()),
        Just("times".to_owned()),
        "[a-zA-Z0-9]{1,6}",
    ];
    prop::collection::vec(word, 1..3).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn searches_read_through_the_index_find_what_searches_of_everything_find(
        pieces in prop::collection::vec(piece(), 1..80),
        queries in prop::collection::vec(query(), 1..6),
        block_bytes in 1usize..400,
        built_blocks in 0usize..40,
    ) {
        let Some(store) = store_of(&pieces.concat()) else { return Ok(()) };
        let full = built(&store, None, block_bytes);
        let mut part = Index::with_blocks_of(&store, None, block_bytes);
        for _ in 0..built_blocks {
            part.build_some(&store);
        }
        for query in &queries {
            let query = Query::parse(query);
            let expected = search_plain(&store, &query);
            prop_assert_eq!(&search_indexed(&full, &store, &query), &expected, "{:?}", query);
            prop_assert_eq!(&search_indexed(&part, &store, &query), &expected, "{:?}", query);
        }
    }
}

proptest! {
    #[test]
    fn a_set_holds_every_trigram_of_a_word_that_folded_text_holds(
        before in "(\\PC|#|\u{301}){0,6}",
        word in "[a-zA-Z0-9]{1,8}",
        dressed in prop::collection::vec(0usize..6, 8),
        after in "(\\PC|#){0,6}",
        search_for in 0usize..3,
    ) {
        // The word as text may write it: case changed, diacritics composed or combining.
        let mut text = before;
        for (c, dress) in word.chars().zip(dressed) {
            match (dress, c) {
                (1, c) => text.extend(c.to_uppercase()),
                (2, c) => text.extend([c, '\u{301}']),
                (3, 'k' | 'K') => text.push('\u{212A}'),
                (3, c) => text.extend([c, '\u{301}'].into_iter().nfc()),
                (4, c) => text.extend([c, '#']),
                (_, c) => text.push(c),
            }
        }
        text.push_str(&after);
        let typed = match search_for {
            0 => word.to_lowercase(),
            1 => word.clone(),
            _ => format!("\"{word} x\""),
        };
        let query = Query::parse(&typed);
        let set = Trigrams::new().of(&text);
        let folded = fold(&text, query.case_sensitive);
        if query.include.iter().all(|term| folded.contains(term.as_str())) {
            for trigram in wanted(&query) {
                prop_assert!(set.contains(trigram), "{}", trigram);
            }
        }
    }
}

/// A dump file in a directory of its own, and a cache directory.
fn dump_file(text: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.txt");
    std::fs::write(&path, text).unwrap();
    let cache = dir.path().join("cache");
    (dir, path, cache)
}

#[test]
fn a_kept_index_is_read_back_whole() {
    let (_dir, path, cache) = dump_file(&dump(300, Some(7)));
    let store = load(&path);
    let mut index = built(&store, Some(&cache), 1024);
    index.keep(&store, &cache);
    let again = Index::with_blocks_of(&store, Some(&cache), 1024);
    assert!(again.is_complete(), "nothing left to build");
    assert_eq!(again.blocks, index.blocks);
    assert_eq!(again.row_block, index.row_block);
    assert_eq!(
        search_indexed(&again, &store, &Query::parse("zanzibarite")),
        [7]
    );
}

#[test]
fn a_dump_that_grew_is_indexed_on_from_where_its_kept_index_ends() {
    let (_dir, path, cache) = dump_file(&dump(300, None));
    let store = load(&path);
    built(&store, Some(&cache), 1024).keep(&store, &cache);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(b"Grown\n\nA zanzibarite story.\n\nView 1 times\n\n")
        .unwrap();
    let grown = load(&path);
    let mut index = Index::with_blocks_of(&grown, Some(&cache), 1024);
    assert_eq!(index.pending.len(), 1, "only the new article");
    assert_eq!(index.pending[0].rows, 300..301);
    index.build_some(&grown);
    let kept = std::fs::read(kept_file(&cache, &path)).unwrap();
    index.keep(&grown, &cache);
    assert_eq!(
        std::fs::read(kept_file(&cache, &path)).unwrap(),
        kept,
        "one article more is not worth writing the whole index again"
    );
    assert_eq!(
        search_indexed(&index, &grown, &Query::parse("zanzibarite")),
        [300]
    );
    assert_eq!(readable(&index, &grown, "zanzibarite"), [300]);
}

#[test]
fn a_rewritten_dump_is_indexed_again() {
    let (_dir, path, cache) = dump_file(&dump(300, None));
    built(&load(&path), Some(&cache), 1024).keep(&load(&path), &cache);
    // The same length, and the same last bytes: only what is in between changed.
    std::fs::write(&path, dump(300, None).replacen("Troops", "Zanzi", 1)).unwrap();
    let rewritten = load(&path);
    let index = Index::with_blocks_of(&rewritten, Some(&cache), 1024);
    assert!(
        index.blocks.is_empty(),
        "a rewrite is a new file: its index is not used"
    );
    let index = built(&rewritten, Some(&cache), 1024);
    assert_eq!(
        search_indexed(&index, &rewritten, &Query::parse("zanzi")),
        [0]
    );
}

/// The file that the index of the dump at `path` is kept in.
fn kept_file(cache: &Path, path: &Path) -> PathBuf {
    cache_file(cache, &std::fs::canonicalize(path).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_kept_index_that_is_not_whole_is_not_used(
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..), 0..3),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        prop_assume!(!flips.is_empty() || cut.is_some());
        let (_dir, path, cache) = dump_file(&dump(300, None));
        let store = load(&path);
        built(&store, Some(&cache), 1024).keep(&store, &cache);
        let kept = kept_file(&cache, &path);
        let mut whole = std::fs::read(&kept).unwrap();
        for (at, flip) in flips {
            let at = at.index(whole.len());
            whole[at] ^= flip;
        }
        if let Some(cut) = cut {
            whole.truncate(cut.index(whole.len()));
        }
        std::fs::write(&kept, &whole).unwrap();
        let index = Index::with_blocks_of(&store, Some(&cache), 1024);
        prop_assert!(index.blocks.is_empty());
        prop_assert!(!index.is_complete());
    }
}

#[test]
fn a_kept_index_that_is_whole_but_wrong_is_not_used() {
    let (_dir, path, cache) = dump_file(&dump(300, None));
    let store = load(&path);
    let (canonical, identity) = store.dump_file(0).unwrap();
    let covered = store.dump_bytes(0).unwrap().len();
    let set = |trigrams: &[u16]| trigrams.iter().flat_map(|t| t.to_le_bytes()).collect();
    let sorted: Vec<u8> = set(&[1, 2, 3]);
    type Blocks = Vec<(usize, usize, u32)>;
    let cases: [(Blocks, Vec<u8>); 7] = [
        (
            vec![(0, 10, 3), (5, 20, 3)],
            [&sorted[..], &sorted[..]].concat(),
        ),
        (vec![(0, 10, 4)], sorted.clone()),
        (vec![(0, 10, 2)], sorted.clone()),
        (vec![(0, 10, 3)], set(&[3, 2, 1])),
        (vec![(0, 10, 1)], set(&[TRIGRAMS as u16])),
        (vec![(0, covered + 1, 3)], sorted.clone()),
        (vec![(0, 10, BITS)], sorted.clone()),
    ];
    for (blocks, sets) in cases {
        let kept = Kept {
            path: canonical.to_owned(),
            identity,
            covered,
            fingerprint: fingerprint(store.dump_bytes(0).unwrap(), covered),
            blocks: blocks.clone(),
            sets: Bytes(&sets),
        };
        let mut whole = postcard::to_stdvec(&(VERSION, kept)).unwrap();
        whole.extend(xxhash_rust::xxh3::xxh3_64(&whole).to_le_bytes());
        let file = cache_file(&cache, canonical);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &whole).unwrap();
        assert_eq!(read(&cache, &store, 0), None, "{blocks:?}");
    }
    // And the same file with sets that fit is read.
    let kept = Kept {
        path: canonical.to_owned(),
        identity,
        covered,
        fingerprint: fingerprint(store.dump_bytes(0).unwrap(), covered),
        blocks: vec![(0, 10, 3)],
        sets: Bytes(&sorted),
    };
    let mut whole = postcard::to_stdvec(&(VERSION, kept)).unwrap();
    whole.extend(xxhash_rust::xxh3::xxh3_64(&whole).to_le_bytes());
    std::fs::write(cache_file(&cache, canonical), &whole).unwrap();
    assert_eq!(
        read(&cache, &store, 0),
        Some(vec![(0..10, Set::List([1, 2, 3].into()))])
    );
}

#[test]
fn an_index_of_a_dump_that_changed_since_it_was_read_is_not_kept() {
    let (_dir, path, cache) = dump_file(&dump(300, None));
    let store = load(&path);
    let mut index = built(&store, Some(&cache), 1024);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(b"More\n\nView 1 times\n").unwrap();
    index.keep(&store, &cache);
    assert!(!cache.join("byline/trigrams").exists());
}

#[test]
fn a_build_cut_short_is_kept_every_sixteenth_and_goes_on_from_there() {
    let (_dir, path, cache) = dump_file(&dump(3000, Some(2900)));
    let store = load(&path);
    let sixteenth = store.dump_bytes(0).unwrap().len() / 16;
    let mut index = Index::with_blocks_of(&store, Some(&cache), 1024);
    index.build_some(&store);
    index.keep(&store, &cache);
    assert!(
        !kept_file(&cache, &path).exists(),
        "a few blocks are not worth a write"
    );
    let built = |index: &Index| index.blocks.iter().map(|b| b.range.len()).sum::<usize>();
    while built(&index) < sixteenth {
        index.build_some(&store);
        index.keep(&store, &cache);
    }
    // Cut short here: the next start reads what was kept, and builds the rest.
    let mut again = Index::with_blocks_of(&store, Some(&cache), 1024);
    assert_eq!(again.blocks, index.blocks);
    assert!(!again.is_complete());
    while !again.is_complete() {
        again.build_some(&store);
        again.keep(&store, &cache);
    }
    let last = Index::with_blocks_of(&store, Some(&cache), 1024);
    assert!(last.is_complete(), "all of it kept at the end");
    assert_eq!(
        readable(&last, &store, "zanzibarite"),
        readable(&again, &store, "zanzibarite")
    );
    assert!(readable(&last, &store, "zanzibarite").len() < 20);
}

#[test]
fn a_hashtag_whose_sign_parsing_drops_is_found_as_the_word_it_joins() {
    // After a combining mark, `#bar` is a hashtag: the parsed text reads `ébar`, which folds
    // to `ebar`, while the text in the file folds to `e#bar`.
    let store =
        store_of("Headline\n\nSome e\u{301}#bar here.\n\nView 1 times\n".as_bytes()).unwrap();
    let index = built(&store, None, 1024);
    let query = Query::parse("ebar \"some ebar\"");
    assert_eq!(search_plain(&store, &query), [0]);
    assert_eq!(search_indexed(&index, &store, &query), [0]);
}

#[test]
fn the_threads_that_build_run_at_the_lowest_priority() {
    // SAFETY: getpriority reads the calling thread's nice value.
    let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    let mine = nice();
    let theirs = std::thread::spawn(move || {
        lowest_priority();
        nice()
    });
    assert_eq!(theirs.join().unwrap(), 19);
    assert_eq!(nice(), mine);
}

#[test]
fn building_the_index_gives_back_the_pages_it_read() {
    let (_dir, path, _cache) = dump_file(&dump(40_000, None));
    let store = load(&path);
    let bytes = store.dump_bytes(0).unwrap();
    assert!(bytes.len() > 2 << 20, "{} bytes", bytes.len());
    let read: usize = bytes.iter().step_by(1024).map(|&b| usize::from(b)).sum();
    assert!(read > 0 && resident_kib(bytes) > 1024);
    built(&store, None, 16 * 1024);
    assert!(resident_kib(bytes) < 64, "{} KiB left", resident_kib(bytes));
}

/// How many KiB of the mapping that holds `bytes` are resident, from /proc/self/smaps.
fn resident_kib(bytes: &[u8]) -> usize {
    let at = bytes.as_ptr() as usize;
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let mut lines = smaps.lines();
    while let Some(line) = lines.next() {
        let range = line
            .split_whitespace()
            .next()
            .and_then(|r| r.split_once('-'));
        let Some((start, end)) = range else { continue };
        let (Ok(start), Ok(end)) = (
            usize::from_str_radix(start, 16),
            usize::from_str_radix(end, 16),
        ) else {
            continue;
        };
        if (start..end).contains(&at) {
            let rss = lines.find(|l| l.starts_with("Rss:")).unwrap();
            return rss.split_whitespace().nth(1).unwrap().parse().unwrap();
        }
    }
    panic!("the mapping is not in /proc/self/smaps");
}

#[test]
fn an_index_that_could_not_be_kept_is_not_written_again_and_again() {
    let (_dir, path, cache) = dump_file(&dump(300, None));
    let store = load(&path);
    let mut index = built(&store, Some(&cache), 1024);
    std::fs::write(&cache, "a file where the cache directory should be").unwrap();
    index.keep(&store, &cache);
    std::fs::remove_file(&cache).unwrap();
    index.keep(&store, &cache);
    assert!(!cache.exists(), "one failed write is enough for this store");
}

#[test]
fn one_worker_at_a_time_builds_a_shared_index_and_searches_never_wait_behind_it() {
    let shared = Arc::new(Shared::new(Index::default()));
    assert!(shared.take_building(), "the first to ask builds");
    assert!(!shared.take_building(), "the second does not");
    shared.give_back_building();
    assert!(shared.take_building(), "given back, it can be taken again");
    // A search reads the index; the builder waits for it without standing in line, so a
    // second search still gets in at once.
    let searching = shared.read();
    let builder = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            let _index = shared.write_when_free();
        })
    };
    std::thread::sleep(Duration::from_millis(50));
    assert!(!builder.is_finished(), "the builder waits for the search");
    assert!(
        shared.index.try_read().is_ok(),
        "another search is not held up by the builder waiting"
    );
    drop(searching);
    builder.join().unwrap();
}
