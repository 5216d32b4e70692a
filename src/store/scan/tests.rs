use super::*;
use crate::loader::SAMPLE;

/// Scans `bytes` lazily, checks every part of the invariant against the eager parser, and
/// returns what the scan found.
fn agrees(bytes: &[u8]) -> Scanned {
    let scanned = scan(bytes).expect("scanned lazily");
    let (text, invalid) = text::decode(bytes).expect("text");
    let eager = dump::parse(&text);
    let lazy: Vec<Article> = scanned
        .segments
        .iter()
        .map(|segment| article(bytes, segment).expect("an article in every segment"))
        .collect();
    assert_eq!(lazy, eager.articles, "articles of {bytes:?}");
    assert_eq!(
        scanned.empty_segments, eager.empty_segments,
        "empty segments"
    );
    assert_eq!(scanned.invalid_utf8, invalid, "invalid sequences");
    let expected: Vec<Summary> = eager.articles.iter().map(Summary::of).collect();
    for (segment, expected) in scanned.segments.iter().zip(&expected) {
        assert_eq!(summary(bytes, segment).as_ref(), Some(expected));
    }
    assert_eq!(summaries(bytes, &scanned.segments), expected);
    scanned
}

fn views(scanned: &Scanned) -> Vec<Option<u64>> {
    scanned.segments.iter().map(|s| s.views).collect()
}

fn headlines(bytes: &[u8]) -> Vec<String> {
    let scanned = scan(bytes).expect("scanned lazily");
    scanned
        .segments
        .iter()
        .filter_map(|segment| summary(bytes, segment))
        .map(|summary| summary.headline)
        .collect()
}

#[test]
fn the_sample_scans_lazily_into_the_articles_of_the_eager_parse() {
    let scanned = agrees(SAMPLE);
    assert_eq!(scanned.segments.len(), 10);
    assert_eq!(scanned.empty_segments, 0);
    assert_eq!(scanned.invalid_utf8, 0);
}

#[test]
fn each_segment_ends_where_its_view_line_starts_and_the_next_starts_after_it() {
    let bytes = b"One\n\nBody.\nView 3 times\nTwo\nView 1,204 times\n";
    let scanned = agrees(bytes);
    let ranges: Vec<&[u8]> = scanned
        .segments
        .iter()
        .map(|s| &bytes[s.range.clone()])
        .collect();
    assert_eq!(ranges, [&b"One\n\nBody.\n"[..], b"Two\n"]);
    assert_eq!(views(&scanned), [Some(3), Some(1204)]);
}

#[test]
fn a_crlf_view_line_ends_after_the_whole_pair() {
    let bytes = b"One\r\n\r\nBody.\r\nView 3 times\r\nTwo\r\nView 4 times\r\n";
    let scanned = agrees(bytes);
    assert_eq!(&bytes[scanned.segments[1].range.clone()], b"Two\r\n");
    assert_eq!(views(&scanned), [Some(3), Some(4)]);
}

#[test]
fn a_lone_cr_ends_a_line_and_a_view_line() {
    let scanned = agrees(b"One\rBody.\rView 3 times\rTwo\r\rView 4 times\r\r\nThree");
    assert_eq!(views(&scanned), [Some(3), Some(4), None]);
    assert_eq!(
        headlines(b"One\rBody.\rView 3 times\rTwo\r\rView 4 times\r\r\nThree"),
        ["One", "Two", "Three"]
    );
}

#[test]
fn a_byte_order_mark_at_the_start_is_skipped_and_does_not_hide_a_view_line() {
    let scanned = agrees(b"\xEF\xBB\xBFView 2 times\nOne\nView 3 times\n");
    assert_eq!(scanned.empty_segments, 1);
    assert_eq!(
        scanned.segments[0].range.start,
        "\u{FEFF}View 2 times\n".len()
    );
    let scanned = agrees(b"\xEF\xBB\xBFHeadline\r\n\r\nBody.\r\n");
    assert_eq!(scanned.segments[0].range.start, 3);
}

#[test]
fn a_byte_order_mark_after_the_first_is_text_as_decode_leaves_it() {
    agrees(b"\xEF\xBB\xBF\xEF\xBB\xBFHeadline\nView 2 times\n\xEF\xBB\xBFView 3 times\n");
    let scanned = agrees(b"\xEF\xBB\xBF\xEF\xBB\xBF\nView 2 times\n");
    assert_eq!(scanned.segments.len(), 1, "U+FEFF is not whitespace");
}

#[test]
fn invalid_utf8_is_counted_over_the_file_and_replaced_in_each_segment_alike() {
    let bytes =
        b"Caf\xE9 news\n\nBody \xFF.\xE2\x80\nView 3 times\n\xC3\nView 1 times\nTail \xF0\x9F";
    let scanned = agrees(bytes);
    assert_eq!(scanned.invalid_utf8, 5);
    assert_eq!(
        headlines(bytes),
        ["Caf\u{FFFD} news", "\u{FFFD}", "Tail \u{FFFD}"]
    );
}

#[test]
fn tabs_around_and_inside_a_view_line_still_make_it_one() {
    let scanned = agrees(b"One\n\tView\t3\ttimes\t\nTwo\n  View  5 time \nThree\tthree\n");
    assert_eq!(views(&scanned), [Some(3), Some(5), None]);
}

#[test]
fn controls_that_cleaning_replaces_are_not_whitespace_in_a_view_line() {
    // Vertical tab, form feed and U+0085 are whitespace to `trim` but become U+FFFD.
    for line in [
        "View\u{b}3 times",
        "View 3 times\u{c}",
        "\u{85}View 3 times",
        "View 3\u{85}times",
    ] {
        let bytes = format!("One\n{line}\nTwo\n");
        let scanned = agrees(bytes.as_bytes());
        assert_eq!(views(&scanned), [None], "{line:?}");
    }
}

#[test]
fn c1_controls_and_escapes_in_articles_are_cleaned_as_the_eager_parser_cleans_them() {
    let bytes = "Head\u{9b}line \u{1b}[2J\u{7}\n\nBody\u{85}text.\u{7f}\nView 3 times\n".as_bytes();
    agrees(bytes);
    assert_eq!(headlines(bytes), ["Head\u{FFFD}line \u{FFFD}[2J\u{FFFD}"]);
}

#[test]
fn the_tail_after_the_last_view_line_is_an_article_only_when_it_is_not_blank() {
    assert_eq!(views(&agrees(b"One\nView 3 times\n \t\r\n\n")), [Some(3)]);
    assert_eq!(
        views(&agrees(b"One\nView 3 times\n\nTail")),
        [Some(3), None]
    );
    assert_eq!(views(&agrees(b"One\nView 3 times")), [Some(3)]);
    assert_eq!(views(&agrees(b"Only a tail")), [None]);
    // A tail of Unicode whitespace is blank too, and not counted as an empty segment.
    let scanned = agrees("One\nView 3 times\n\u{a0}\u{3000}\n".as_bytes());
    assert_eq!((scanned.segments.len(), scanned.empty_segments), (1, 0));
}

#[test]
fn blank_segments_between_view_lines_are_counted_as_empty() {
    let scanned = agrees(b"View 1 times\nHead\nView 2 times\n \t\r\nView 1 times\n");
    assert_eq!((scanned.segments.len(), scanned.empty_segments), (1, 2));
    let scanned = agrees("\u{2003}\n\u{a0}\nView 1 times\n\u{200D}\nView 2 times\nA".as_bytes());
    assert_eq!((scanned.segments.len(), scanned.empty_segments), (1, 2));
    // A control is not blank: it becomes U+FFFD, an article's headline.
    let scanned = agrees(b"\x0b\nView 1 times\n\xC2\x85\nView 2 times\n");
    assert_eq!((scanned.segments.len(), scanned.empty_segments), (2, 0));
}

#[test]
fn view_in_mid_line_or_in_other_words_is_not_a_boundary() {
    let bytes =
        b"Preview View 2 times\nReview of View 3 times today\nViews 4 times\nView 5 times\n";
    let scanned = agrees(bytes);
    assert_eq!(views(&scanned), [Some(5)]);
    assert_eq!(
        scanned.segments[0].range,
        0..bytes.len() - "View 5 times\n".len()
    );
}

#[test]
fn view_lines_are_read_as_view_count_reads_them() {
    let bytes = b"A\nView 1,204 times\nB\nView 1,2 times\nC\nView 1 time\nD\nView  times\nE\nView 99999999999999999999 times\nF\n";
    assert_eq!(views(&agrees(bytes)), [Some(1204), Some(1), None]);
}

#[test]
fn a_joiner_that_cleaning_drops_to_make_a_view_line_makes_one() {
    let scanned = agrees("One\nVi\u{200D}ew 3 times\u{200D}\nTwo\n".as_bytes());
    assert_eq!(views(&scanned), [Some(3), None]);
    // Joiners elsewhere, on lines that are not view lines, change nothing.
    let family = "Family \u{1F469}\u{200D}\u{1F467} day\nView 2 times\nTwo\u{200D}\nView 3 times\n";
    assert_eq!(views(&agrees(family.as_bytes())), [Some(2), Some(3)]);
}

#[test]
fn bytes_with_a_nul_are_left_to_the_eager_parser() {
    assert_eq!(scan(b"One\nView 3 times\n\0"), None);
    assert_eq!(scan(b""), Some(Scanned::default()));
}

#[test]
fn summaries_follow_the_headline_standfirst_body_and_credits_rules() {
    let bytes = "Leaders meet in Ottawa. Talks begin on #Trade today\n\
        Standfirst with #Climate words.\n\n\
        Body paragraph about #trade.\n\
        A heading\n\n___\n\n\
        Jim Bronskill, The Canadian Press\n\
        View 3 times\n\
        Headline alone\nIts standfirst #NATO\n\nBody.\n\n\
        Reporting by Jane Doe; editing by Al Smith\n\
        Ana López, Reuters\n"
        .as_bytes();
    agrees(bytes);
    let scanned = scan(bytes).expect("scanned");
    let all = summaries(bytes, &scanned.segments);
    assert_eq!(all[0].headline, "Leaders meet in Ottawa.");
    assert_eq!(all[0].tags, ["Trade", "Climate"]);
    assert_eq!(all[0].source.as_deref(), Some("The Canadian Press"));
    assert_eq!(all[1].tags, ["NATO"]);
    assert_eq!(all[1].source.as_deref(), Some("Reuters"));
    assert_eq!(all[1].views, None);
}

#[test]
fn a_segment_outside_the_bytes_has_no_article_and_no_summary() {
    let segment = Segment {
        range: 5..50,
        views: None,
    };
    assert_eq!(article(b"short", &segment), None);
    assert_eq!(summary(b"short", &segment), None);
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = Segment {
        range: 3..1,
        views: None,
    };
    assert_eq!(summary(b"short", &backwards), None);
}

#[test]
fn a_generated_corpus_scans_into_the_eager_parse() {
    let mut bytes = Vec::new();
    for copy in 0..3 {
        bytes.extend_from_slice(SAMPLE);
        bytes.extend_from_slice(b"\r\nExtra \t#Tag\r\nView 1,000 times\r\n\r\n");
        if copy == 1 {
            bytes.extend_from_slice(b"\xFF\xFE stray bytes\rView 7 times\r");
        }
    }
    agrees(&bytes);
}
