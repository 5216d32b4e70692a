use super::*;
use crate::article::Block;
use fold::fold_char;

fn article(headline: &str, body: &str, tags: &[&str]) -> Article {
    Article {
        id: String::new(),
        headline: headline.into(),
        standfirst: None,
        body: vec![Block::Paragraph { text: body.into() }],
        credits: vec!["Jim Bronskill, The Canadian Press".into()],
        source: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        views: None,
        link: None,
        published: None,
        author: None,
    }
}

#[test]
fn empty_query_matches_everything() {
    let query = Query::parse("   ");
    assert!(query.is_empty());
    assert!(query.matches(&article("a", "b", &[])));
}

#[test]
fn lowercase_queries_ignore_case_and_uppercase_ones_do_not() {
    let nato = article("Report on NATO", "", &[]);
    assert!(Query::parse("nato").matches(&nato));
    assert!(Query::parse("NATO").matches(&nato));
    assert!(!Query::parse("Nato").matches(&nato));
}

#[test]
fn a_capitalised_tag_does_not_make_the_rest_of_the_query_case_sensitive() {
    let tagged = article("Korea talks", "", &["Russia"]);
    assert!(Query::parse("#Russia korea").matches(&tagged));
    assert!(!Query::parse("#Russia -korea").matches(&tagged));
    assert!(
        !Query::parse("#Russia Korea").matches(&article("korea talks", "", &["Russia"])),
        "an uppercase word still asks for its case"
    );
}

#[test]
fn diacritics_are_ignored_both_ways() {
    let pena = article("Laura Peña knew", "", &[]);
    assert!(Query::parse("pena").matches(&pena));
    assert!(Query::parse("Pena").matches(&pena));
    assert!(Query::parse("peña").matches(&article("Laura Pena", "", &[])));
}

#[test]
fn every_word_must_match_in_any_order() {
    let a = article("Chicago troops", "Baltimore next", &[]);
    assert!(Query::parse("baltimore chicago").matches(&a));
    assert!(!Query::parse("baltimore boston").matches(&a));
}

#[test]
fn quoted_phrases_match_as_written() {
    let a = article("National Guard could go", "", &[]);
    assert!(Query::parse("\"national guard\"").matches(&a));
    assert!(!Query::parse("\"guard national\"").matches(&a));
    assert!(
        Query::parse("\"national   guard").matches(&a),
        "unclosed quote runs to the end"
    );
}

#[test]
fn hash_restricts_to_a_tag() {
    let tagged = article("Report", "about NATO", &["NATO"]);
    let untagged = article("Report", "about NATO", &[]);
    assert!(Query::parse("#nato").matches(&tagged));
    assert!(!Query::parse("#nato").matches(&untagged));
    assert!(
        !Query::parse("#nat").matches(&tagged),
        "a tag matches whole"
    );
}

#[test]
fn minus_excludes_a_word_or_phrase() {
    let a = article("Trump in Chicago", "", &[]);
    assert!(!Query::parse("trump -chicago").matches(&a));
    assert!(Query::parse("trump -boston").matches(&a));
    assert!(!Query::parse("-\"in chicago\"").matches(&a));
    assert!(Query::parse("a - b").include.contains(&"-".to_owned()));
}

#[test]
fn credits_and_tags_are_searched() {
    assert!(Query::parse("bronskill").matches(&article("x", "y", &[])));
    assert!(Query::parse("serbian").matches(&article("x", "y", &["Serbian"])));
}

#[test]
fn phrases_do_not_span_two_fields() {
    let a = article("ends here", "starts there", &[]);
    assert!(!Query::parse("\"here starts\"").matches(&a));
}

#[test]
fn highlights_map_back_to_original_bytes() {
    let query = Query::parse("pena");
    let text = "Sra. Peña and PENA";
    let ranges = query.highlights(text);
    assert_eq!(
        ranges.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
        ["Peña", "PENA"]
    );
}

#[test]
fn highlights_survive_case_folding_that_changes_length() {
    // "İ" lowercases to two characters; the range must still cover whole original characters.
    let text = "İstanbul İzmir";
    let ranges = Query::parse("izmir").highlights(text);
    assert_eq!(
        ranges.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
        ["İzmir"]
    );
}

#[test]
fn terms_that_fold_to_nothing_are_ignored() {
    let query = Query::parse("\u{301} \u{a4b}");
    assert!(query.is_empty());
    assert!(query.highlights("").is_empty() && query.highlights("text").is_empty());
}

#[test]
fn overlapping_highlights_merge() {
    let ranges = Query::parse("abc bcd").highlights("xabcdx");
    assert_eq!(ranges, vec![Range { start: 1, end: 5 }]);
}

#[test]
fn headline_matches_are_recognised() {
    let query = Query::parse("nato");
    assert!(query.matches_headline("Report calls on NATO"));
    assert!(!query.matches_headline("Other"));
}

proptest::proptest! {
    #[test]
    fn highlights_are_ordered_char_aligned_ranges_of_the_text(
        query in "(\\PC|\"|#|-| ){0,20}",
        text in "(\\PC|İ|ß|ﬁ|é|Ω){0,60}",
    ) {
        let query = Query::parse(&query);
        let mut end = 0;
        for range in query.highlights(&text) {
            proptest::prop_assert!(range.start >= end && range.start < range.end && range.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            end = range.end;
        }
    }

    #[test]
    fn folding_runs_of_ascii_at_once_folds_as_character_by_character(
        text in "(\\PC|İ|ß|ﬁ|é|Ω|A|z){0,60}",
        case_sensitive in proptest::bool::ANY,
    ) {
        let mut one_by_one = String::new();
        for c in text.chars() {
            fold_char(c, case_sensitive, |f| one_by_one.push(f));
        }
        proptest::prop_assert_eq!(fold(&text, case_sensitive), one_by_one);
    }

    #[test]
    fn folding_for_ascii_terms_finds_them_where_full_folding_does(
        text in "(\\PC|İ|ß|ﬁ|é|e\u{301}|\u{212A}|\u{2126}|Å|\u{1E9E}|ǅ|A|z|n|\u{303}){0,40}",
        term in "[a-zA-Z0-9]{1,3}",
        case_sensitive in proptest::bool::ANY,
    ) {
        let term = if case_sensitive { term } else { term.to_ascii_lowercase() };
        let mut for_ascii = String::new();
        fold_for_ascii_terms(&mut for_ascii, &text, case_sensitive);
        proptest::prop_assert_eq!(
            for_ascii.contains(&term),
            fold(&text, case_sensitive).contains(&term)
        );
    }
}

#[test]
fn narrowing_is_recognised_only_when_it_adds_constraints() {
    let narrows = |new: &str, old: &str| Query::parse(new).narrows(&Query::parse(old));
    assert!(narrows("nato", "nat"));
    assert!(narrows("nat troops", "nat"));
    assert!(narrows("\"red s", "\"red"));
    assert!(narrows("putin -pak", "putin"));
    assert!(
        !narrows("foo -b", "foo -"),
        "the '-' word became an exclusion"
    );
    assert!(!narrows("Nato", "nato"), "case sensitivity changed");
    assert!(!narrows("nat", "nato"));
    assert!(
        !narrows("putin -pakistan", "putin -pak"),
        "a longer exclusion excludes less"
    );
}

#[test]
fn every_character_copied_as_it_is_for_ascii_terms_folds_to_no_ascii_letter_or_digit() {
    for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
        let mut copied = String::new();
        fold_for_ascii_terms(&mut copied, &c.to_string(), false);
        if copied == c.to_string() {
            for case_sensitive in [false, true] {
                let folded = fold(&c.to_string(), case_sensitive);
                assert!(
                    !folded.is_empty() && !folded.chars().any(|f| f.is_ascii_alphanumeric()),
                    "{c:?} U+{:04X} folds to {folded:?}",
                    c as u32
                );
            }
        }
    }
}
