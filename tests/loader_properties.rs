//! Properties of the loader on arbitrary input.

use byline::article::{Article, Block};
use byline::loader::{self, dump, json};
use byline::text::is_unsafe;
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
            },
        )
}

proptest! {
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
