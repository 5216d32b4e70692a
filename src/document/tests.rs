use super::*;
use unicode_width::UnicodeWidthStr;

/// The wrapped lines hold every word of `text`, in order, none split.
fn assert_every_word_kept(text: &str, lines: &[std::ops::Range<usize>]) {
    let words: Vec<&str> = lines
        .iter()
        .flat_map(|l| text[l.clone()].split_whitespace())
        .collect();
    assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
}

fn sample() -> Vec<Article> {
    crate::store::dump::parse(include_str!("../../seeds/sample.txt")).articles
}

#[test]
fn wrapped_lines_fit_the_width_and_cover_the_words() {
    let text = "The quick brown fox jumps over the lazy dog and keeps running far away";
    let lines = wrap(text, 20);
    assert!(lines.len() > 1);
    for line in &lines {
        assert!(
            text[line.clone()].width() <= 20,
            "{:?}",
            &text[line.clone()]
        );
    }
    assert_every_word_kept(text, &lines);
}

#[test]
fn wide_characters_wrap_by_display_width_without_splitting() {
    let text = "漢字漢字漢字漢字漢字 🎉🎉🎉 emoji";
    for width in 2..12 {
        for line in wrap(text, width) {
            let part = &text[line];
            assert!(part.width() <= width, "{part:?} wider than {width}");
        }
    }
}

#[test]
fn very_long_words_are_broken() {
    let text = "x".repeat(50);
    let lines = wrap(&text, 10);
    assert_eq!(lines.len(), 5);
}

#[test]
fn the_document_has_headline_meta_body_and_credits_in_order() {
    let article = &sample()[0];
    let doc = Document::new(article, 100);
    let lines = doc.lines(article, &Query::default(), 0..doc.line_count());
    let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds[0], LineKind::Headline);
    let meta: Vec<&DocLine> = lines.iter().filter(|l| l.kind == LineKind::Meta).collect();
    assert_eq!(meta.len(), 1);
    assert_eq!(
        meta[0].text,
        "The Associated Press · 227 views · Washington · 1,378 words · 6 min read"
    );
    assert_eq!(kinds.iter().filter(|k| **k == LineKind::Heading).count(), 4);
    assert_eq!(kinds.last(), Some(&LineKind::Credit));
    assert!(doc.all_matches(article, &Query::default()).is_empty());
}

#[test]
fn the_meta_line_names_a_source_once_and_wraps_only_between_its_parts() {
    let mut article = sample()[0].clone();
    article.source = Some("CNN".into());
    article.tags = vec!["cnn".into(), "Washington".into()];
    assert!(
        !meta_line(&article).contains("cnn"),
        "{}",
        meta_line(&article)
    );
    let doc = Document::new(&article, 24);
    let lines = doc.lines(&article, &Query::default(), 0..doc.line_count());
    let meta: Vec<String> = (lines.iter())
        .filter(|l| l.kind == LineKind::Meta)
        .map(|l| l.text.to_owned())
        .collect();
    assert_eq!(
        meta,
        [
            "CNN · 227 views ·",
            "Washington ·",
            "1,378 words · 6 min read"
        ]
    );
    assert!(meta.iter().all(|line| line.width() <= 24));
}

#[test]
fn search_matches_are_marked_and_listed_in_order() {
    let article = &sample()[2];
    let query = Query::parse("nato");
    let doc = Document::new(article, 70);
    let matches = doc.all_matches(article, &query);
    assert!(matches.len() >= 5);
    assert!(matches.windows(2).all(|w| w[0].line <= w[1].line));
    for hit in &matches {
        let line = &doc.lines(article, &query, hit.line..hit.line + 1)[0];
        let range = hit.range.start - line.offset..hit.range.end - line.offset;
        assert_eq!(line.text[range.clone()].to_lowercase(), "nato");
        assert!(line.marks.contains(&(range, Mark::Match)));
    }
}

#[test]
fn tag_words_are_marked_as_whole_words() {
    let tags = vec!["NATO".to_owned()];
    assert_eq!(tag_ranges("NATO and NATOs, NATO.", &tags), [0..4, 16..20]);
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(group_thousands(0), "0");
    assert_eq!(group_thousands(999), "999");
    assert_eq!(group_thousands(1204), "1,204");
    assert_eq!(group_thousands(1234567), "1,234,567");
}

#[test]
fn lines_mixing_emoji_and_cjk_never_exceed_the_width() {
    // textwrap's optimal-fit algorithm let this one run a column over; first-fit does not.
    let text =
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 🎉 漢字 Peña azjiwdmnpvfckkgbsrrvqzyzutffkpours cjzz";
    for line in wrap(text, 79) {
        assert!(text[line.clone()].width() <= 79, "{:?}", &text[line]);
    }
}

fn huge_paragraph() -> Article {
    // Longer than two chunks, with a needle every thousand words.
    let text: Vec<String> = (0..50_000)
        .map(|i| {
            if i % 1000 == 999 {
                "needle".into()
            } else {
                format!("w{}", i % 7)
            }
        })
        .collect();
    Article {
        id: String::new(),
        headline: "Huge".into(),
        standfirst: None,
        body: vec![Block::Paragraph {
            text: text.join(" "),
        }],
        credits: Vec::new(),
        source: None,
        tags: Vec::new(),
        views: None,
        link: None,
        published: None,
        author: None,
    }
}

#[test]
fn a_paragraph_longer_than_a_chunk_wraps_to_lines_that_fit_and_keep_every_word() {
    let article = huge_paragraph();
    let Block::Paragraph { text } = &article.body[0] else {
        unreachable!()
    };
    assert!(text.len() > 2 * CHUNK);
    let lines = wrap(text, 60);
    assert!(lines.iter().all(|l| text[l.clone()].width() <= 60));
    assert_every_word_kept(text, &lines);
}

#[test]
fn a_huge_paragraph_is_laid_out_as_line_starts_not_as_copies_of_its_text() {
    let article = huge_paragraph();
    let text_len = article.body[0].text().map_or(0, str::len);
    let doc = Document::new(&article, 60);
    assert!(doc.line_count() > 1000);
    // Eight bytes a line of about fifty: a fraction of the text, whatever its length.
    assert!(
        doc.layout_bytes() < text_len / 4,
        "{} bytes of layout for {text_len} bytes of text",
        doc.layout_bytes()
    );
    let shown = doc.lines(&article, &Query::parse("needle"), 500..510);
    assert_eq!(shown.len(), 10);
}

#[test]
fn matches_in_a_huge_paragraph_are_found_across_chunks_both_ways() {
    let article = huge_paragraph();
    let query = Query::parse("needle");
    let doc = Document::new(&article, 60);
    let forward = doc.all_matches(&article, &query);
    assert_eq!(forward.len(), 50);
    let end = doc.line_position(usize::MAX);
    let mut backward = Vec::new();
    let mut from = end;
    while let Some(hit) = doc.find_match(&article, &query, from, false) {
        from = Position {
            piece: hit.piece,
            offset: hit.range.start,
        };
        backward.push(hit);
    }
    backward.reverse();
    assert_eq!(backward, forward);
    for hit in &forward {
        let line = &doc.lines(&article, &query, hit.line..hit.line + 1)[0];
        assert!(line.text.contains("needle"), "{:?}", line.text);
    }
}

#[test]
fn a_huge_paragraph_of_wide_characters_wraps_within_the_width_without_losing_any() {
    let unit =
        "漢字漢字漢字漢字漢字 🎉🎉🎉 emoji Peña 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字";
    let text = vec![unit; CHUNK / unit.len() + 2].join(" ");
    assert!(text.len() > CHUNK);
    for width in [2, 5, 11, 80] {
        let lines = wrap(&text, width);
        for line in &lines {
            assert!(
                text[line.clone()].width() <= width,
                "{:?}",
                &text[line.clone()]
            );
        }
        let kept: String = lines
            .iter()
            .map(|l| text[l.clone()].replace(' ', ""))
            .collect();
        assert_eq!(kept, text.replace(' ', ""), "at width {width}");
    }
}
