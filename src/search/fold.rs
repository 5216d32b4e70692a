//! Folding text for matching: diacritics dropped and case lowered, fast on text that is mostly
//! ASCII, and mapped back to the original text for highlighting.

use std::ops::Range;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::article::Article;

/// Folds text for matching: diacritics dropped (`Peña` → `Pena`), and lowercased unless
/// `case_sensitive`.
pub fn fold(text: &str, case_sensitive: bool) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text, case_sensitive);
    out
}

/// Appends `text` folded as [`fold`] does.
pub(super) fn fold_into(out: &mut String, text: &str, case_sensitive: bool) {
    fold_runs(out, text, case_sensitive, |c, out| {
        fold_char(c, case_sensitive, |f| out.push(f))
    });
}

/// Appends `text` with its runs of ASCII copied at once and every other character given to
/// `other` (news text is mostly ASCII, with a quote or a name in between), then lowercases the
/// ASCII in one pass unless `case_sensitive` (`other` must push lowercase then).
fn fold_runs(
    out: &mut String,
    mut text: &str,
    case_sensitive: bool,
    mut other: impl FnMut(char, &mut String),
) {
    let start = out.len();
    while !text.is_empty() {
        let ascii = ascii_len(text.as_bytes());
        out.push_str(&text[..ascii]);
        let mut rest = text[ascii..].chars();
        if let Some(c) = rest.next() {
            other(c, out);
        }
        text = rest.as_str();
    }
    if !case_sensitive {
        out[start..].make_ascii_lowercase();
    }
}

/// Whether a term is ASCII letters and digits alone, which [`fold_for_ascii_terms`] finds.
pub(super) fn is_ascii_word(term: &str) -> bool {
    term.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// How many bytes at the start of `bytes` are ASCII, found eight at a time.
pub(super) fn ascii_len(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut len = 0;
    for word in words.by_ref() {
        let high = u64::from_le_bytes(word.try_into().unwrap_or([0x80; 8])) & 0x8080_8080_8080_8080;
        if high != 0 {
            return len + high.trailing_zeros() as usize / 8;
        }
        len += 8;
    }
    len + words
        .remainder()
        .iter()
        .take_while(|b| b.is_ascii())
        .count()
}

/// Folds `text` as far as it matters to terms of ASCII letters and digits: a substring of
/// ASCII letters and digits is in the result exactly when it is in [`fold`]'s. Only characters
/// that fold to ASCII letters or to nothing are folded (Latin letters with diacritics, the
/// Kelvin, Ohm and Ångström signs, combining marks); any other character can never be part of
/// such a substring, and is copied as it is.
pub(super) fn fold_for_ascii_terms(out: &mut String, text: &str, case_sensitive: bool) {
    fold_runs(out, text, case_sensitive, |c, out| {
        fold_char_for_ascii_terms(c, case_sensitive, |f| out.push(f))
    });
}

/// One character folded as [`fold_for_ascii_terms`] folds it.
pub(super) fn fold_char_for_ascii_terms(c: char, case_sensitive: bool, mut push: impl FnMut(char)) {
    match c {
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2126}'..='\u{212B}' => {
            fold_char(c, case_sensitive, push)
        }
        // Dashes, quotes and spaces (the most common characters past ASCII in news),
        // Cyrillic, CJK and Hangul letters and emoji: no combining mark among them.
        '\u{2000}'..='\u{206F}'
        | '\u{0400}'..='\u{0482}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{1F300}'..='\u{1FAFF}' => push(c),
        c if is_combining_mark(c) => {}
        c if c.is_ascii() => push(if case_sensitive {
            c
        } else {
            c.to_ascii_lowercase()
        }),
        c => push(c),
    }
}

pub(super) fn fold_char(c: char, case_sensitive: bool, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        push(if case_sensitive {
            c
        } else {
            c.to_ascii_lowercase()
        });
        return;
    }
    if let Some(folded) = (c as usize).checked_sub(0xC0).and_then(|i| LATIN.get(i)) {
        folded[usize::from(case_sensitive)]
            .iter()
            .copied()
            .for_each(push);
        return;
    }
    fold_char_slowly(c, case_sensitive, push);
}

/// The first Latin letters with diacritics, U+00C0 to U+024F, as [`fold_char`] folds them
/// (case-insensitively, then case-sensitively), worked out once: most of the non-ASCII
/// letters in news are among them, and decomposing each one every time is most of a search.
static LATIN: std::sync::LazyLock<Vec<[Vec<char>; 2]>> = std::sync::LazyLock::new(|| {
    ('\u{C0}'..='\u{24F}')
        .map(|c| {
            [false, true].map(|case_sensitive| {
                let mut folded = Vec::new();
                fold_char_slowly(c, case_sensitive, |f| folded.push(f));
                folded
            })
        })
        .collect()
});

fn fold_char_slowly(c: char, case_sensitive: bool, mut push: impl FnMut(char)) {
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if case_sensitive {
            push(d);
        } else {
            d.to_lowercase().for_each(&mut push);
        }
    });
}

/// All of an article's searchable text folded into one string: headline, standfirst, body,
/// credits and tags, one per line so that a phrase never spans two of them.
pub fn fold_article(article: &Article, case_sensitive: bool) -> String {
    let mut out = String::new();
    for text in article
        .texts()
        .chain(article.tags.iter().map(String::as_str))
    {
        fold_into(&mut out, text, case_sensitive);
        out.push('\n');
    }
    out
}

/// Folded text with, for each folded byte, the original character's byte range.
pub(super) struct Folded {
    pub(super) text: String,
    origin: Vec<Range<usize>>,
}

impl Folded {
    pub(super) fn new(original: &str, case_sensitive: bool) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (start, c) in original.char_indices() {
            let span = start..start + c.len_utf8();
            fold_char(c, case_sensitive, |f| {
                text.push(f);
                origin.extend(std::iter::repeat_n(span.clone(), f.len_utf8()));
            });
        }
        Folded { text, origin }
    }

    /// The original byte range covering a non-empty range of folded bytes.
    pub(super) fn original_range(&self, folded: Range<usize>) -> Range<usize> {
        self.origin[folded.start].start..self.origin[folded.end - 1].end
    }
}
