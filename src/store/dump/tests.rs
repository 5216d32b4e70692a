use super::*;

const SAMPLE: &str = include_str!("../../../seeds/sample.txt");

fn texts(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { text } => format!("p:{text}"),
            Block::Heading { text } => format!("h:{text}"),
            Block::Rule => "rule".into(),
            other => format!("other:{other:?}"),
        })
        .collect()
}

fn one(input: &str) -> Article {
    let mut parsed = parse(input);
    assert_eq!(parsed.articles.len(), 1, "{:#?}", parsed.articles);
    parsed.articles.remove(0)
}

#[test]
fn the_sample_has_ten_articles_with_their_view_counts() {
    let parsed = parse(SAMPLE);
    let views: Vec<_> = parsed.articles.iter().map(|a| a.views).collect();
    let expected = [227, 221, 217, 223, 215, 202, 208, 207, 211, 207].map(Some);
    assert_eq!(views, expected);
    assert_eq!(parsed.empty_segments, 0);
}

#[test]
fn the_sample_tags_come_from_hashtags() {
    let parsed = parse(SAMPLE);
    let tags: Vec<String> = parsed.articles.iter().map(|a| a.tags.join(", ")).collect();
    let expected = [
        "Washington",
        "",
        "NATO",
        "",
        "",
        "Pakistani",
        "",
        "Israel",
        "Serbian",
        "Russia, CNN",
    ];
    assert_eq!(tags, expected);
    assert_eq!(
        parsed.articles[2].headline,
        "Report calls on NATO to counter authoritarian manipulation, disinformation."
    );
    let all_text: String = parsed.articles.iter().flat_map(Article::texts).collect();
    assert!(!all_text.contains('#'));
}

#[test]
fn the_first_sample_article_has_four_subheadings_and_two_credits() {
    let article = &parse(SAMPLE).articles[0];
    let headings: Vec<&str> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        [
            "Children told to pack a bag",
            "A judge is jolted awake in the middle of the night",
            "A 2008 law requires children appear before an immigration judge",
            "Lawyers sensed something was afoot heading into the holiday weekend",
        ]
    );
    assert_eq!(
        article.credits,
        [
            "Santana reported from Washington and Perez reported from Guatemala City. Elliot Spagat contributed from San Diego.",
            "Rebecca Santana, Valerie Gonzalez And Sonia Pérez D., The Associated Press",
        ]
    );
    assert!(!article.body.contains(&Block::Rule));
    assert_eq!(
        texts(&article.body).last().map(String::as_str),
        Some("p:Children’s advocates and lawyers believe the chaos isn’t over.")
    );
}

#[test]
fn the_sample_sources_come_from_credit_lines() {
    let parsed = parse(SAMPLE);
    let sources: Vec<Option<&str>> = parsed
        .articles
        .iter()
        .map(|a| a.source.as_deref())
        .collect();
    assert_eq!(
        sources,
        [
            Some("The Associated Press"),
            None,
            Some("The Canadian Press"),
            Some("The Associated Press"),
            None,
            None,
            None,
            None,
            None,
            Some("CNN"),
        ]
    );
}

#[test]
fn the_sample_credit_lines_are_not_body() {
    let parsed = parse(SAMPLE);
    let credits: Vec<usize> = parsed.articles.iter().map(|a| a.credits.len()).collect();
    assert_eq!(credits, [2, 1, 2, 2, 1, 0, 0, 0, 0, 1]);
    assert_eq!(
        parsed.articles[1].credits,
        ["CNN’s Samantha Waldenberg contributed to this report."]
    );
    assert_eq!(
        parsed.articles[4].credits,
        ["(Reporting by Kirsty Needham in Sydney. Editing by Michael Perry and Frances Kerry)"]
    );
}

#[test]
fn the_sample_standfirst_and_bodiless_articles() {
    let parsed = parse(SAMPLE);
    let with_standfirst: Vec<usize> = (0..10)
        .filter(|&i| parsed.articles[i].standfirst.is_some())
        .collect();
    assert_eq!(with_standfirst, [5]);
    assert!(
        parsed.articles[5]
            .standfirst
            .as_deref()
            .unwrap()
            .starts_with("Shehbaz Sharif underscored")
    );
    assert!(parsed.articles[6].body.is_empty());
    assert!(parsed.articles[7].body.is_empty());
    assert!(
        parsed.articles[6]
            .headline
            .starts_with("Rescuers desperately searched")
    );
    assert!(
        parsed.articles[6]
            .headline
            .ends_with("killing more than 900 people.")
    );
}

#[test]
fn a_headline_of_several_sentences_keeps_only_the_first() {
    let article = &parse(SAMPLE).articles[8];
    assert_eq!(
        article.headline,
        "Serbian students march in latest anti-graft protest."
    );
    let first = texts(&article.body).remove(0);
    assert!(
        first.starts_with("p:Thousands of high-school students marched"),
        "{first}"
    );
}

#[test]
fn sentence_splitting_skips_abbreviations() {
    assert_eq!(split_first_sentence("U.S. Sen. Ron Wyden speaks"), None);
    assert_eq!(
        split_first_sentence("Paid US$1.62 billion. Then more"),
        Some(("Paid US$1.62 billion.", "Then more"))
    );
    assert_eq!(split_first_sentence("Gov. JB Pritzker says no."), None);
    assert_eq!(
        split_first_sentence("He said “no.” Then left"),
        Some(("He said “no.”", "Then left"))
    );
    assert_eq!(split_first_sentence("one. two"), None);
}

#[test]
fn view_lines_accept_singular_commas_and_spaces() {
    assert_eq!(view_count("View 1 time"), Some(1));
    assert_eq!(view_count("  View 1,204 times  "), Some(1204));
    assert_eq!(view_count("View 0 times"), Some(0));
    assert_eq!(view_count("View 12,34 times"), None);
    assert_eq!(view_count("View many times"), None);
    assert_eq!(view_count("View 3 timesheets"), None);
    assert_eq!(view_count("Viewed 3 times"), None);
    assert_eq!(view_count("View 99999999999999999999999 times"), None);
}

#[test]
fn text_after_the_last_view_line_is_an_article_without_views() {
    let parsed = parse("First\n\nbody\nView 3 times\n\nSecond headline\n\nIts body");
    assert_eq!(parsed.articles.len(), 2);
    assert_eq!(parsed.articles[0].views, Some(3));
    assert_eq!(parsed.articles[1].views, None);
    assert_eq!(texts(&parsed.articles[1].body), ["p:Its body"]);
}

#[test]
fn crlf_and_cr_line_ends_are_accepted() {
    let parsed = parse("Head\r\nDek\r\n\r\nBody one\r\rBody two\r\nView 1,204 times\r\n");
    assert_eq!(parsed.articles.len(), 1);
    let article = &parsed.articles[0];
    assert_eq!(article.headline, "Head");
    assert_eq!(article.standfirst.as_deref(), Some("Dek"));
    assert_eq!(texts(&article.body), ["p:Body one", "p:Body two"]);
    assert_eq!(article.views, Some(1204));
}

#[test]
fn blank_runs_separate_paragraphs_and_blank_segments_are_counted() {
    let parsed = parse("\n\nView 1 times\nHead\n\n\n\nA.\n\n\nB.\nView 2 times\n   \nView 3 times");
    assert_eq!(parsed.articles.len(), 1);
    assert_eq!(parsed.empty_segments, 2);
    assert_eq!(texts(&parsed.articles[0].body), ["p:A.", "p:B."]);
}

#[test]
fn control_characters_and_tabs_are_neutralised() {
    let article = one("Head\u{1b}[2J\tline\n\nBody \u{7}bell \u{9b}c1 \u{7f}del");
    assert_eq!(article.headline, "Head\u{FFFD}[2J line");
    assert_eq!(
        texts(&article.body),
        ["p:Body \u{FFFD}bell \u{FFFD}c1 \u{FFFD}del"]
    );
}

#[test]
fn a_short_unpunctuated_line_after_a_paragraph_is_a_subheading() {
    let article = one("Head\n\nFirst paragraph.\nA subheading here\n\nNext.\n\nAlone without stop");
    assert_eq!(
        texts(&article.body),
        [
            "p:First paragraph.",
            "h:A subheading here",
            "p:Next.",
            "p:Alone without stop"
        ]
    );
}

#[test]
fn a_line_ending_like_a_sentence_is_not_a_subheading() {
    let article = one("Head\n\nFirst paragraph.\nSecond line, still a paragraph.\n“Quoted speech”");
    assert_eq!(
        texts(&article.body),
        [
            "p:First paragraph.",
            "p:Second line, still a paragraph.",
            "p:“Quoted speech”"
        ]
    );
}

#[test]
fn hashtags_become_tags_once_and_lose_the_hash() {
    let article =
        one("#Rome and #rome, #Paris\n\nSee example.com/#anchor, C# and #1 and a#b. #Paris_2025!");
    assert_eq!(article.headline, "Rome and rome, Paris");
    assert_eq!(article.tags, ["Rome", "Paris", "Paris_2025"]);
    assert_eq!(
        texts(&article.body),
        ["p:See example.com/#anchor, C# and #1 and a#b. Paris_2025!"]
    );
}

#[test]
fn credits_after_a_final_rule_and_trailing_credit_lines() {
    let article =
        one("Head\n\nBody text.\n\n___\n\nExtra reporting note.\n\nAnna Smith and Bo Li, Reuters");
    assert_eq!(texts(&article.body), ["p:Body text."]);
    assert_eq!(
        article.credits,
        ["Extra reporting note.", "Anna Smith and Bo Li, Reuters"]
    );
    assert_eq!(article.source.as_deref(), Some("Reuters"));
}

#[test]
fn a_rule_followed_by_a_long_tail_stays_in_the_body() {
    let article = one("Head\n\nA.\n\n___\n\nB.\n\nC.\n\nD.\n\nE.\n\nF.");
    assert_eq!(
        texts(&article.body),
        ["p:A.", "rule", "p:B.", "p:C.", "p:D.", "p:E.", "p:F."]
    );
    assert!(article.credits.is_empty());
}

#[test]
fn an_ordinary_last_paragraph_is_not_a_credit() {
    let article = one("Head\n\nShe said the vote, which was close, would stand.");
    assert!(article.credits.is_empty());
    assert_eq!(article.source, None);
}

#[test]
fn a_headline_alone_is_an_article_without_body() {
    let article = one("Only a headline\nView 5 times");
    assert_eq!(article.headline, "Only a headline");
    assert!(article.body.is_empty() && article.credits.is_empty());
    assert_eq!(article.standfirst, None);
}

#[test]
fn a_very_long_paragraph_stays_one_paragraph() {
    let long = "word ".repeat(4000);
    let article = one(&format!("Head\n\n{long}\n"));
    assert_eq!(article.body.len(), 1);
    assert_eq!(
        article.body[0].text().map(str::len),
        Some(long.trim_end().len())
    );
}

#[test]
fn ids_differ_between_articles_and_repeat_across_parses() {
    let first = parse(SAMPLE);
    let second = parse(SAMPLE);
    let ids: std::collections::HashSet<&str> =
        first.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 10);
    assert!(
        first
            .articles
            .iter()
            .zip(&second.articles)
            .all(|(a, b)| a.id == b.id)
    );
}

#[test]
fn a_long_line_full_of_view_is_read_once() {
    let line = "View ".repeat(200_000);
    let parsed = parse(&format!("Head\n{line}\nView 2 times\n"));
    assert_eq!(parsed.articles.len(), 1);
    assert_eq!(parsed.articles[0].views, Some(2));
}

/// `is_credit_line` as it was written first, lower-casing the whole line.
fn is_credit_line_by_lowercase(line: &str) -> bool {
    let lower = line.to_lowercase();
    let opening = lower.trim_start_matches('(');
    byline_publication(line).is_some()
        || CREDIT_PHRASES.iter().any(|phrase| lower.contains(phrase))
        || CREDIT_OPENINGS
            .iter()
            .any(|prefix| opening.starts_with(prefix))
}

#[test]
fn only_two_characters_beyond_ascii_lower_case_to_ascii() {
    let to_ascii: Vec<char> = (0x80..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|c| c.to_lowercase().any(|l| l.is_ascii()))
        .collect();
    assert_eq!(to_ascii, ['\u{130}', '\u{212A}']);
    let after_i = |word: &&str| word.contains("i\u{307}") || word.ends_with('i');
    assert!(!CREDIT_PHRASES.iter().chain(CREDIT_OPENINGS).any(after_i));
    assert!(
        !CREDIT_PHRASES
            .iter()
            .chain(CREDIT_OPENINGS)
            .any(|w| w.contains('k'))
    );
}

mod credit_lines {
    use super::*;
    use proptest::prelude::*;

    /// A credit phrase or opening with some of its letters in upper case.
    fn phrase_in_any_case() -> impl Strategy<Value = String> {
        let phrases: Vec<&str> = CREDIT_PHRASES
            .iter()
            .chain(CREDIT_OPENINGS)
            .copied()
            .collect();
        prop::sample::select(phrases).prop_flat_map(|phrase| {
            prop::collection::vec(any::<bool>(), phrase.len()).prop_map(move |upper| {
                let case = |(c, up): (char, bool)| if up { c.to_ascii_uppercase() } else { c };
                phrase.chars().zip(upper).map(case).collect()
            })
        })
    }

    proptest! {
        #[test]
        fn are_found_in_any_case_as_by_lower_casing(
            pieces in prop::collection::vec(
                prop_oneof![
                    phrase_in_any_case(),
                    prop::sample::select(vec![
                        "(", " ", "\u{130}", "\u{212A}", "\u{3A3}", "i\u{307}", ".", "ö",
                        "Jim Bronskill, The Canadian Press",
                    ])
                    .prop_map(str::to_owned),
                    "\\PC{0,3}",
                ],
                0..6,
            )
        ) {
            let line = pieces.concat();
            prop_assert_eq!(is_credit_line(&line), is_credit_line_by_lowercase(&line), "{:?}", line);
        }
    }
}
