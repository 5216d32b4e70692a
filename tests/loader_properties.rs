//! Properties of the loader on arbitrary input.

#[path = "../benches/support/generate.rs"]
mod generate;

use byline::article::{Article, Block, Summary};
use byline::loader::{self, dump, json, scan};
use byline::text::{self, is_unsafe};
use proptest::prelude::*;

fn assert_clean(article: &Article) {
    for text in article
        .texts()
        .chain(article.tags.iter().map(String::as_str))
    {
        assert!(!text.chars().any(is_unsafe), "unsafe character in {text:?}");
        assert!(!text.contains('\n'), "line break in {text:?}");
    }
    assert!(!article.headline.trim().is_empty());
}

/// Bytes that look a little like a dump: fragments of real lines, controls and invalid UTF-8.
fn dumpish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"View 3 times\n".to_vec()),
        Just(b"View 1,204 times\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"___\n".to_vec()),
        Just(b"#Tag words. More words\n".to_vec()),
        Just(b"Jim Bronskill, The Canadian Press\n".to_vec()),
        Just("Peña ünïcödé 漢字 🎉\n".as_bytes().to_vec()),
        Just(b"\x1b[2J\x07\x9b\xff\xc3\t\r".to_vec()),
        Just(b"[{\"headline\":".to_vec()),
        Just(b"\r".to_vec()),
        Just("\u{200D}".as_bytes().to_vec()),
        Just(b"Vi\xE2\x80\x8Dew 4 times\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"Preview: View 2 times here\n".to_vec()),
        Just(b"\t View\t5 times \t\n".to_vec()),
        Just(b"\x0b\x0c\xc2\x85\xc2\xa0".to_vec()),
        prop::collection::vec(any::<u8>(), 0..20),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

fn clean_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 .,’é漢🎉-]{0,30}".prop_map(|s| s.trim().to_owned())
}

fn article() -> impl Strategy<Value = Article> {
    let block = prop_oneof![
        clean_text()
            .prop_filter("non-empty", |t| !t.is_empty())
            .prop_map(|text| Block::Paragraph { text }),
        clean_text()
            .prop_filter("non-empty", |t| !t.is_empty())
            .prop_map(|text| Block::Heading { text }),
        Just(Block::Rule),
    ];
    let non_empty = || clean_text().prop_filter("non-empty", |t| !t.is_empty());
    (
        non_empty(),
        prop::option::of(non_empty()),
        prop::collection::vec(block, 0..5),
        prop::collection::vec(non_empty(), 0..3),
        prop::option::of(non_empty()),
        prop::collection::vec(non_empty(), 0..3),
        prop::option::of(any::<u64>()),
    )
        .prop_map(
            |(headline, standfirst, body, credits, source, tags, views)| Article {
                id: Article::compute_id(&headline, &body),
                headline,
                standfirst,
                body,
                credits,
                source,
                tags,
                views,
                link: None,
                published: None,
                author: None,
            },
        )
}

/// Checks everything the lazy reader promises about `bytes` when it scans them: the articles,
/// the count of empty segments and of invalid UTF-8 sequences and the summaries are the eager
/// parser's.
fn assert_scan_agrees(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Some(scanned) = scan::scan(bytes) else {
        return Ok(());
    };
    let Some((text, invalid)) = text::decode(bytes) else {
        return Err(TestCaseError::fail("scanned bytes that do not decode"));
    };
    let eager = dump::parse(&text);
    let lazy: Vec<Option<Article>> = scanned
        .segments
        .iter()
        .map(|segment| scan::article(bytes, segment))
        .collect();
    let eager_articles: Vec<Option<Article>> = eager.articles.iter().cloned().map(Some).collect();
    prop_assert_eq!(lazy, eager_articles);
    prop_assert_eq!(scanned.empty_segments, eager.empty_segments);
    prop_assert_eq!(scanned.invalid_utf8, invalid);
    let summaries: Vec<Summary> = eager.articles.iter().map(Summary::of).collect();
    for (segment, expected) in scanned.segments.iter().zip(&summaries) {
        prop_assert_eq!(scan::summary(bytes, segment), Some(expected.clone()));
    }
    prop_assert_eq!(scan::summaries(bytes, &scanned.segments), summaries);
    Ok(())
}

#[test]
fn the_embedded_sample_scans_lazily_and_agrees_with_the_eager_parse() {
    let scanned = scan::scan(loader::SAMPLE).expect("the sample scans lazily");
    assert_eq!(scanned.segments.len(), 10);
    assert_scan_agrees(loader::SAMPLE).unwrap();
}

#[test]
fn a_generated_corpus_scans_lazily_and_agrees_with_the_eager_parse() {
    let dump = generate::dump(2_000, 3);
    let scanned = scan::scan(dump.as_bytes()).expect("a generated dump scans lazily");
    assert_eq!(scanned.segments.len(), 2_000);
    assert_scan_agrees(dump.as_bytes()).unwrap();
    let crlf = dump.replace('\n', "\r\n");
    assert_scan_agrees(crlf.as_bytes()).unwrap();
}

proptest! {
    #[test]
    fn scanning_lazily_gives_the_eager_parse_or_nothing(bytes in dumpish()) {
        assert_scan_agrees(&bytes)?;
    }

    #[test]
    fn scanning_lazily_agrees_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        assert_scan_agrees(&bytes)?;
    }

    #[test]
    fn only_a_nul_keeps_a_dump_from_the_lazy_path(bytes in dumpish()) {
        prop_assert_eq!(scan::scan(&bytes).is_some(), !bytes.contains(&0));
        let text: Vec<u8> = bytes.into_iter().filter(|&b| b != 0).collect();
        prop_assert!(scan::scan(&text).is_some(), "an ordinary dump is scanned lazily");
    }

    #[test]
    fn the_loader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(loaded) = loader::parse_bytes("x", &bytes, None) {
            loaded.store.to_articles().iter().for_each(assert_clean);
        }
    }

    #[test]
    fn every_loaded_text_is_free_of_control_characters(bytes in dumpish()) {
        if let Ok(loaded) = loader::parse_bytes("x", &bytes, None) {
            prop_assert!(!loaded.store.is_empty());
            loaded.store.to_articles().iter().for_each(assert_clean);
        }
    }

    #[test]
    fn dump_parsing_never_panics_on_arbitrary_text(text in "(\\PC|\\n|\\r|#|\\.| ){0,200}") {
        dump::parse(&text).articles.iter().for_each(assert_clean);
    }

    #[test]
    fn json_round_trips(articles in prop::collection::vec(article(), 1..5)) {
        let mut out = Vec::new();
        json::write(&articles, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        prop_assert_eq!(json::parse(&text).unwrap(), articles);
    }
}
