use super::*;

fn blocks(html: &str) -> Vec<Block> {
    let base = Url::parse("https://example.org/news/feed.xml").unwrap();
    to_blocks(html, Some(&base))
}

fn para(text: &str) -> Block {
    Block::Paragraph { text: text.into() }
}

#[test]
fn paragraphs_and_headings_become_blocks_with_whitespace_collapsed() {
    assert_eq!(
        blocks("<h2>A  title</h2>\n<p>One\n  two <b>bold</b>three.</p><p></p><div>Loose</div>"),
        [
            Block::Heading {
                text: "A title".into()
            },
            para("One two boldthree."),
            para("Loose"),
        ]
    );
}

#[test]
fn text_outside_any_element_is_a_paragraph_and_br_starts_a_new_one() {
    assert_eq!(
        blocks("First line<br>second line<br/>"),
        [para("First line"), para("second line")]
    );
}

#[test]
fn lists_quotes_and_rules_keep_their_kind() {
    assert_eq!(
        blocks(
            "<ul><li>One</li><li>Two <i>more</i></li></ul><blockquote><p>Said it.</p></blockquote><hr><p>After</p>"
        ),
        [
            Block::Item { text: "One".into() },
            Block::Item {
                text: "Two more".into()
            },
            Block::Quote {
                text: "Said it.".into()
            },
            Block::Rule,
            para("After"),
        ]
    );
}

#[test]
fn preformatted_text_is_one_block_a_line_with_its_indentation() {
    assert_eq!(
        blocks("<pre><code>\nfn main() {\n\n    run(); // a &lt; b\n}\n</code></pre>"),
        [
            Block::Pre {
                text: "fn main() {".into()
            },
            Block::Pre { text: "".into() },
            Block::Pre {
                text: "    run(); // a < b".into()
            },
            Block::Pre { text: "}".into() },
        ]
    );
}

#[test]
fn links_are_numbered_after_their_text_and_listed_absolute_at_the_end() {
    assert_eq!(
        blocks(
            r#"<p>Read <a href="/story?id=1&amp;x=2">the story</a>, <a href="https://other.example/">this</a> and <a href="/story?id=1&amp;x=2">again</a>.</p>"#
        ),
        [
            para("Read the story[1], this[2] and again[1]."),
            Block::Reference {
                number: 1,
                url: "https://example.org/story?id=1&x=2".into()
            },
            Block::Reference {
                number: 2,
                url: "https://other.example/".into()
            },
        ]
    );
}

#[test]
fn relative_links_resolve_against_the_base_and_scripts_lose_their_links() {
    assert_eq!(
        blocks(r#"<a href="more.html">More</a> <a href="javascript:alert(1)">Bad</a>"#),
        [
            para("More[1] Bad"),
            Block::Reference {
                number: 1,
                url: "https://example.org/news/more.html".into()
            },
        ]
    );
}

#[test]
fn images_show_their_alt_text() {
    assert_eq!(
        blocks(r#"<p>Look: <img src="a.png" alt="A  cat"> and <img src="b.png"></p>"#),
        [para("Look: [image: A cat] and [image]")]
    );
}

#[test]
fn scripts_and_styles_are_dropped_with_everything_in_them() {
    assert_eq!(
        blocks(
            "<style>p { color: red }</style><p>Kept</p><script>document.write('<p>no</p>')</script><p>Also</p>"
        ),
        [para("Kept"), para("Also")]
    );
}

#[test]
fn entities_are_decoded_and_controls_replaced() {
    assert_eq!(
        blocks("<p>Fish &amp; chips &eacute;t&#233; &#x1b;[2J\u{202E}rtl \u{9b}x</p>"),
        [para("Fish & chips été \u{FFFD}[2J\u{FFFD}rtl \u{FFFD}x")]
    );
}

#[test]
fn text_for_a_headline_is_one_line_without_link_numbers() {
    assert_eq!(
        to_text("<p>Big <a href='https://x.example/'>news</a></p><p>today</p>"),
        "Big news today"
    );
}

#[test]
fn broken_markup_still_gives_its_text() {
    assert_eq!(
        blocks("<p>Open <b>bold <i>both</p><li>item"),
        [
            para("Open bold both"),
            Block::Item {
                text: "item".into()
            }
        ]
    );
}

#[test]
fn spaces_between_inline_elements_are_kept_once() {
    assert_eq!(
        blocks("<p> one <b>two</b> <i> three</i>four  five\tsix </p>"),
        [para("one two threefour five six")]
    );
}

#[test]
fn names_in_upper_case_and_repeated_attributes_read_as_html_says() {
    assert_eq!(
        blocks(r#"<P>One <A HREF="/a" href="/b">x</A> <IMG ALT="first" alt="second"></P>"#),
        [
            para("One x[1] [image: first]"),
            Block::Reference {
                number: 1,
                url: "https://example.org/a".into()
            },
        ]
    );
}

#[test]
fn markup_inside_raw_text_elements_is_not_read_and_their_end_tag_ends_them() {
    assert_eq!(
        blocks(
            "<title>T <p>not</p></title><p>After</p><script>if (a</b) {}</SCRIPT ><p>More</p><textarea><b>x</b></textarea>End"
        ),
        [para("After"), para("More"), para("End")]
    );
}

#[test]
fn nul_characters_and_a_leading_byte_order_mark_are_dropped() {
    assert_eq!(blocks("\u{FEFF}<p>a\0b</p>\0"), [para("ab")]);
}

#[test]
fn single_spacing_is_told_from_other_whitespace_anywhere_in_long_text() {
    assert!(single_spaced(b""));
    for good in [" ", " one two", "one ", " one "] {
        assert!(single_spaced(good.as_bytes()), "{good:?}");
    }
    for bad in [
        "  ", "one  ", "\tone", "one\ntwo", "one  two", "  one", "one\r",
    ] {
        assert!(!single_spaced(bad.as_bytes()), "{bad:?}");
    }
    // A double space or a line break on either side of a block of 64 bytes.
    for at in [62, 63, 64, 65, 127, 128] {
        let mut text = vec![b'x'; 200];
        text[at] = b' ';
        assert!(single_spaced(&text), "{at}");
        text[at + 1] = b' ';
        assert!(!single_spaced(&text), "{at}");
        text[at + 1] = b'\n';
        assert!(!single_spaced(&text), "{at}");
    }
}
