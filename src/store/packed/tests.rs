use super::*;
use crate::loader::SAMPLE;
use crate::store::scan;

/// The sample's segments and summaries, as a scan finds them.
fn sample() -> (Vec<Segment>, Vec<Summary>) {
    let segments = scan::scan(SAMPLE).expect("the sample scans").segments;
    let summaries = scan::summaries(SAMPLE, &segments);
    (segments, summaries)
}

/// Every row's summary and segment, owned.
fn contents(rows: &Rows) -> Vec<(Summary, Option<(usize, Segment)>)> {
    (0..rows.len())
        .map(|i| (rows.summary(i).unwrap().to_summary(), rows.segment(i)))
        .collect()
}

fn summary(id: &str, headline: &str, tags: &[&str], source: Option<&str>) -> Summary {
    Summary {
        id: id.into(),
        headline: headline.into(),
        views: Some(id.len() as u64),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        source: source.map(str::to_owned),
    }
}

fn segment(i: usize) -> Segment {
    Segment {
        range: i * 10..i * 10 + 5,
        views: Some(i as u64),
    }
}

/// Rows of `count` made-up summaries with `tags` tags each, every third with a source.
fn made_up(count: usize, tags: usize) -> (Vec<Segment>, Vec<Summary>) {
    let summaries = (0..count)
        .map(|i| {
            let tags: Vec<String> = (0..tags).map(|t| format!("tag{t}é{i}")).collect();
            let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
            let source = (i % 3 == 0).then_some("The Source");
            let mut summary = summary(
                &format!("{i:016x}"),
                &format!("Headline № {i}"),
                &tags,
                source,
            );
            summary.views = (i % 5 != 0).then_some(i as u64 * 7);
            summary
        })
        .collect::<Vec<Summary>>();
    let segments = (0..count).map(|i| Segment {
        views: summaries[i].views,
        ..segment(i)
    });
    (segments.collect(), summaries)
}

#[test]
fn packed_rows_give_back_the_summaries_and_segments_they_were_made_of() {
    for (segments, summaries) in [sample(), made_up(1000, 0), made_up(1000, 3)] {
        let rows = Rows::of_dump(&segments, &summaries);
        assert_eq!(rows.len(), summaries.len());
        for (i, (summary, segment)) in summaries.iter().zip(&segments).enumerate() {
            assert_eq!(rows.summary(i).unwrap(), *summary);
            assert_eq!(rows.segment(i), Some((0, segment.clone())));
        }
        assert!(rows.summary(rows.len()).is_none());
        let all: Vec<Summary> = rows.iter(0..rows.len()).map(|s| s.to_summary()).collect();
        assert_eq!(all, summaries);
        assert_eq!(
            rows.max_views(),
            summaries.iter().filter_map(|s| s.views).max()
        );
    }
}

#[test]
fn rows_past_a_part_go_on_in_the_next() {
    let (segments, summaries) = made_up(PART * 2 + 5, 1);
    let rows = Rows::of_dump(&segments, &summaries);
    assert_eq!(rows.runs.len(), 3);
    for i in [0, PART - 1, PART, PART + 1, 2 * PART + 4] {
        assert_eq!(rows.summary(i).unwrap(), summaries[i], "row {i}");
    }
    let from = PART - 2;
    let some: Vec<Summary> = rows.iter(from..from + 5).map(|s| s.to_summary()).collect();
    assert_eq!(some, summaries[from..from + 5]);
    assert_eq!(rows.iter(5..5).count(), 0);
    assert_eq!(rows.iter(2 * PART..usize::MAX).count(), 5);
}

#[test]
fn parsed_articles_are_kept_with_their_summaries() {
    let articles = crate::store::dump::parse(std::str::from_utf8(SAMPLE).unwrap()).articles;
    let rows = Rows::of_articles(articles.clone());
    for (i, article) in articles.iter().enumerate() {
        assert_eq!(rows.summary(i).unwrap(), Summary::of(article));
        assert_eq!(rows.article(i).map(|a| &**a), Some(article));
        assert_eq!(rows.segment(i), None, "not in a dump");
    }
}

#[test]
fn packed_rows_round_trip_through_their_kept_pieces() {
    for (segments, summaries) in [sample(), made_up(PART + 100, 2)] {
        let rows = Rows::of_dump(&segments, &summaries);
        let pieces = rows.encode();
        let pieces: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        let decoded = Rows::decode(&pieces).expect("whole pieces decode");
        assert_eq!(decoded, rows);
        assert_eq!(contents(&decoded), contents(&rows));
    }
}

#[test]
fn a_run_that_is_part_of_a_part_is_kept_alone() {
    let (segments, summaries) = made_up(50, 2);
    let rows = Rows::of_dump(&segments, &summaries).without(&[0, 1, 20, 49]);
    let pieces = rows.encode();
    assert_eq!(pieces.len(), 2, "rows 2..20 and 21..49");
    let pieces: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
    assert_eq!(contents(&Rows::decode(&pieces).unwrap()), contents(&rows));
}

/// A piece with `change` made to it, and its hash made right again: damage that the hash
/// cannot tell, which the other checks must.
fn rehashed(piece: &[u8], change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut piece = piece.to_vec();
    change(&mut piece);
    let hash = xxhash_rust::xxh3::xxh3_64(&piece[HEADER..]);
    piece[HEADER - 8..HEADER].copy_from_slice(&hash.to_le_bytes());
    piece
}

#[test]
fn a_damaged_piece_is_refused() {
    let (segments, summaries) = made_up(20, 2);
    let pieces = Rows::of_dump(&segments, &summaries).encode();
    let piece = &pieces[0];
    assert!(decode(piece).is_some());
    // Any byte changed, any cut: the hash tells.
    for at in (0..piece.len()).step_by(7) {
        let mut damaged = piece.clone();
        damaged[at] ^= 0x20;
        assert!(decode(&damaged).is_none(), "byte {at} changed");
    }
    for len in [0, HEADER - 1, HEADER, piece.len() - 1] {
        assert!(decode(&piece[..len]).is_none(), "cut to {len}");
    }
    let text_at = piece.len() - summaries_text(&summaries);
    let ends_at = HEADER + 20 * ROW;
    // Text that a terminal would act on, or that is not UTF-8.
    for bad in [&b"\x1b"[..], b"\n", b"\xC2\x9B", b"\xE2\x80\xAE", b"\xFF"] {
        let damaged = rehashed(piece, |p| {
            p[text_at..text_at + bad.len()].copy_from_slice(bad)
        });
        assert!(decode(&damaged).is_none(), "{bad:?}");
    }
    // A string that ends inside a character (the first headline ends in `№ 0`), or past the
    // text, or before the string before it.
    let headline_end = ends_at + 4;
    let end = u32::from_le_bytes(piece[headline_end..headline_end + 4].try_into().unwrap());
    for wrong in [end - 3, u32::MAX, 0] {
        let damaged = rehashed(piece, |p| {
            p[headline_end..headline_end + 4].copy_from_slice(&wrong.to_le_bytes())
        });
        assert!(decode(&damaged).is_none(), "an end at {wrong}");
    }
    // A row that says it has more strings than there are, or unknown flags.
    let count_at = HEADER + 24;
    let damaged = rehashed(piece, |p| p[count_at] += 1);
    assert!(decode(&damaged).is_none(), "a string too many");
    let damaged = rehashed(piece, |p| p[count_at + 4] |= 0x80);
    assert!(decode(&damaged).is_none(), "a flag never written");
    let damaged = rehashed(piece, |p| p[count_at] = 1);
    assert!(decode(&damaged).is_none(), "no headline");
}

/// How many bytes of text made-up summaries hold.
fn summaries_text(summaries: &[Summary]) -> usize {
    let strings = |s: &Summary| {
        s.id.len()
            + s.headline.len()
            + s.source.as_ref().map_or(0, String::len)
            + s.tags.iter().map(String::len).sum::<usize>()
    };
    summaries.iter().map(strings).sum()
}

#[test]
fn rows_left_out_leave_the_rest_in_order_and_share_their_parts() {
    let (segments, summaries) = made_up(PART + 10, 1);
    let rows = Rows::of_dump(&segments, &summaries);
    let dropped = [0, 5, 6, PART - 1, PART, PART + 9];
    let kept = rows.without(&dropped);
    let expected: Vec<&Summary> = (summaries.iter().enumerate())
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(_, s)| s)
        .collect();
    assert_eq!(kept.len(), expected.len());
    for (i, summary) in expected.iter().enumerate() {
        assert_eq!(kept.summary(i).unwrap(), **summary, "row {i}");
    }
    assert!(
        kept.runs
            .iter()
            .all(|run| rows.runs.iter().any(|r| Arc::ptr_eq(&r.part, &run.part)))
    );
    let mut popped = kept.clone();
    popped.pop();
    assert_eq!(popped.len(), kept.len() - 1);
    assert_eq!(
        popped.summary(popped.len() - 1),
        kept.summary(kept.len() - 2)
    );
}

#[test]
fn the_first_row_with_an_id_is_found_before_a_row() {
    let mut summaries = made_up(100, 0).1;
    summaries[40].id = summaries[7].id.clone();
    summaries[90].id = summaries[7].id.clone();
    let rows = Rows::of_dump(&made_up(100, 0).0, &summaries);
    let id = summaries[7].id.as_str();
    assert_eq!(rows.first_with_id(id, 100), Some(7));
    assert_eq!(rows.first_with_id(id, 7), None);
    let without = rows.without(&[7]);
    assert_eq!(without.first_with_id(id, 99), Some(39), "row 40 moved up");
    assert_eq!(rows.first_with_id("no such id", 100), None);
}

#[test]
fn an_append_a_row_at_a_time_shares_the_old_parts_and_ends_in_few_parts() {
    let (segments, summaries) = made_up(PART + 300, 1);
    let mut rows = Rows::of_dump(&segments[..PART + 100], &summaries[..PART + 100]);
    let first = Arc::clone(&rows.runs[0].part);
    for i in PART + 100..PART + 300 {
        rows.append(Rows::of_dump(&segments[i..=i], &summaries[i..=i]), 0);
        rows.compact();
        assert!(
            Arc::ptr_eq(&rows.runs[0].part, &first),
            "the full part is never copied"
        );
    }
    assert!(rows.runs.len() <= 2 + 8, "{} runs", rows.runs.len());
    assert_eq!(
        contents(&rows),
        contents(&Rows::of_dump(&segments, &summaries))
    );
}

#[test]
fn rows_read_on_share_the_parts_they_began_with() {
    let (segments, summaries) = made_up(300, 1);
    let old = Rows::of_dump(&segments[..200], &summaries[..200]);
    let mut grown = old.clone();
    grown.pop();
    grown.append(Rows::of_dump(&segments[199..], &summaries[199..]), 0);
    assert!(
        !grown.shares_parts_with(&old),
        "the last row was read again"
    );
    let mut grown = old.clone();
    grown.append(Rows::of_dump(&segments[200..], &summaries[200..]), 0);
    assert!(grown.shares_parts_with(&old));
    assert!(!old.shares_parts_with(&grown));
    assert!(
        !Rows::of_dump(&segments, &summaries).shares_parts_with(&old),
        "made anew"
    );
}

#[test]
fn a_replaced_summary_is_the_only_change() {
    let (segments, summaries) = sample();
    let rows = Rows::of_dump(&segments, &summaries);
    let mut changed = summaries[3].clone();
    changed.headline = "Another".into();
    let replaced = rows.with_summary(3, &changed);
    let mut expected = contents(&rows);
    expected[3].0 = changed;
    assert_eq!(contents(&replaced), expected);
}

proptest::proptest! {
    #[test]
    fn any_clean_summaries_round_trip_through_kept_pieces(
        rows in proptest::collection::vec(
            (
                "\\PC{0,6}",
                "\\PC{0,12}",
                proptest::option::of(0u64..u64::MAX),
                proptest::collection::vec("\\PC{0,5}", 0..4),
                proptest::option::of("\\PC{0,6}"),
                0usize..1 << 40,
            ),
            0..40,
        )
    ) {
        let summaries: Vec<Summary> = rows
            .iter()
            .map(|(id, headline, views, tags, source, _)| Summary {
                id: id.clone(),
                headline: headline.clone(),
                views: *views,
                tags: tags.clone(),
                source: source.clone(),
            })
            .collect();
        let segments: Vec<Segment> = rows
            .iter()
            .map(|(_, _, views, _, _, start)| Segment { range: *start..start + 9, views: *views })
            .collect();
        let packed = Rows::of_dump(&segments, &summaries);
        let pieces = packed.encode();
        let pieces: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        let decoded = Rows::decode(&pieces).expect("clean summaries decode");
        let owned: Vec<Summary> = decoded.iter(0..decoded.len()).map(|s| s.to_summary()).collect();
        proptest::prop_assert_eq!(owned, summaries);
        for (i, segment) in segments.iter().enumerate() {
            proptest::prop_assert_eq!(decoded.segment(i), Some((0, segment.clone())));
        }
    }
}
