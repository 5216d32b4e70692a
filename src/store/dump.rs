//! The plain-text dump format our users export: articles separated by `View N times` lines.
//! See the README's "Input formats" section for the rules; the sample in `seeds/` is the spec.

use crate::article::{Article, Block};
use crate::parallel::in_parallel;
use crate::text;

/// Articles parsed from a dump, and how many `View N times` lines had no article before them.
#[derive(Debug, Default)]
pub struct Parsed {
    pub articles: Vec<Article>,
    pub empty_segments: usize,
}

/// Parses a whole dump. Never fails: text that is not an article is simply not one. Articles
/// are parsed on every core.
pub fn parse(input: &str) -> Parsed {
    let cleaned = text::clean_document(input);
    let mut segments: Vec<(&str, Option<u64>)> = Vec::new();
    let mut start = 0;
    let mut checked_to = 0;
    // Only a line holding "View" can be a view line: look at those lines, each once.
    for (at, _) in cleaned.match_indices("View") {
        if at < checked_to {
            continue;
        }
        let line_start = cleaned[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = cleaned[at..].find('\n').map_or(cleaned.len(), |i| at + i);
        checked_to = line_end;
        if let Some(views) = view_count(&cleaned[line_start..line_end]) {
            segments.push((&cleaned[start..line_start], Some(views)));
            start = (line_end + 1).min(cleaned.len());
        }
    }
    let tail = cleaned.get(start..).unwrap_or("");
    if !tail.trim().is_empty() {
        segments.push((tail, None));
    }
    let articles: Vec<Option<Article>> = in_parallel(&segments, |part| {
        part.iter()
            .map(|(text, views)| parse_article(text, *views))
            .collect()
    });
    let empty_segments = articles.iter().filter(|a| a.is_none()).count();
    Parsed {
        articles: articles.into_iter().flatten().collect(),
        empty_segments,
    }
}

/// The view count of a `View 1,204 times` line, or `None` for any other line.
pub fn view_count(line: &str) -> Option<u64> {
    let rest = line.trim().strip_prefix("View")?;
    let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
    let (number, unit) = rest.split_once(char::is_whitespace)?;
    if !matches!(unit.trim(), "time" | "times") {
        return None;
    }
    let mut groups = number.split(',');
    let first = groups.next()?;
    let grouped_ok = (1..=3).contains(&first.len())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if number.contains(',') && !grouped_ok {
        return None;
    }
    let digits: String = number.chars().filter(|&c| c != ',').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Turns the text of one article into an [`Article`], or `None` when it is all blank.
pub(crate) fn parse_article(text: &str, views: Option<u64>) -> Option<Article> {
    let mut tags = Vec::new();
    // Runs of consecutive non-blank lines; a blank line (or several) ends a run.
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut in_run = false;
    for line in text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            in_run = false;
            continue;
        }
        let line = strip_hashtags(line, &mut tags);
        match runs.last_mut() {
            Some(run) if in_run => run.push(line),
            _ => runs.push(vec![line]),
        }
        in_run = true;
    }

    let mut runs = runs.into_iter();
    let mut first = runs.next()?.into_iter();
    let mut headline = first.next()?;
    let mut standfirst = None;
    let mut body = Vec::new();
    if let Some((head, rest)) = split_first_sentence(&headline) {
        body.push(Block::Paragraph {
            text: rest.to_owned(),
        });
        headline = head.to_owned();
    } else {
        standfirst = first.next();
    }
    for (index, run) in std::iter::once(first.collect()).chain(runs).enumerate() {
        let run: Vec<String> = run;
        for (position, line) in run.into_iter().enumerate() {
            // Every line of the first run touches the headline line, so it follows what precedes.
            let follows_paragraph = matches!(body.last(), Some(Block::Paragraph { .. }))
                && (position > 0 || index == 0);
            body.push(classify(line, follows_paragraph));
        }
    }

    let credits = split_credits(&mut body);
    let source = credits.iter().find_map(|line| byline_publication(line));
    let source = source.map(str::to_owned);
    let id = Article::compute_id(&headline, &body);
    Some(Article {
        id,
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
    })
}

fn classify(line: String, follows_paragraph: bool) -> Block {
    if is_rule(&line) {
        Block::Rule
    } else if follows_paragraph && looks_like_heading(&line) {
        Block::Heading { text: line }
    } else {
        Block::Paragraph { text: line }
    }
}

/// A line of three or more underscores, which separates the body from what follows.
pub(crate) fn is_rule(line: &str) -> bool {
    line.len() >= 3 && line.chars().all(|c| c == '_')
}

/// Removes `#` from hashtags (`#NATO` → `NATO`) and records each tag once, in order.
pub(crate) fn strip_hashtags(line: &str, tags: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(line.len());
    hashtag_pieces(line, |tag| add_tag(tags, tag), |piece| out.push_str(piece));
    out
}

/// Walks a line as [`strip_hashtags`] reads it: `piece` is given the line's text without the
/// `#` of its hashtags, a piece at a time, and `tag` the word of each hashtag.
pub(crate) fn hashtag_pieces<'a>(
    line: &'a str,
    mut tag: impl FnMut(&'a str),
    mut piece: impl FnMut(&'a str),
) {
    let mut rest = line;
    let mut previous: Option<char> = None;
    while let Some(hash) = memchr::memchr(b'#', rest.as_bytes()) {
        let before = &rest[..hash];
        piece(before);
        previous = before.chars().next_back().or(previous);
        let after = &rest[hash + 1..];
        let word_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let word = &after[..word_len];
        let starts_tag = previous.is_none_or(|p| !(p.is_alphanumeric() || p == '/' || p == '&'));
        if starts_tag && word.chars().next().is_some_and(char::is_alphabetic) {
            tag(word);
        } else {
            piece("#");
            previous = Some('#');
            rest = after;
            continue;
        }
        piece(word);
        previous = word.chars().next_back();
        rest = &after[word_len..];
    }
    piece(rest);
}

/// Records a hashtag's word unless a tag differing only in case is already there.
pub(crate) fn add_tag(tags: &mut Vec<String>, word: &str) {
    // Most hashtags repeat a tag as it was first written.
    if tags.iter().any(|tag| tag == word) {
        return;
    }
    let ascii = word.is_ascii();
    let same = |tag: &String| match ascii && tag.is_ascii() {
        true => tag.eq_ignore_ascii_case(word),
        false => tag.to_lowercase() == word.to_lowercase(),
    };
    if !tags.iter().any(same) {
        tags.push(word.to_owned());
    }
}

/// True when a line ends a sentence: its last character, before closing quotes and brackets, is
/// sentence or clause punctuation.
fn ends_with_punctuation(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '’', '”', ')', ']', '»']);
    trimmed
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | ','))
}

/// A subheading is short, starts with a letter or digit and does not end like a sentence.
fn looks_like_heading(line: &str) -> bool {
    line.chars().count() <= 100
        && line.split_whitespace().count() <= 14
        && line.chars().next().is_some_and(char::is_alphanumeric)
        && !ends_with_punctuation(line)
}

/// Words that end in a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "inc", "co", "corp", "ltd", "vs", "no", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "pres", "rev", "hon", "est",
];

/// Splits a line after its first sentence when another sentence follows, as in a headline that
/// runs into the first paragraph. Abbreviations (`U.S.`, `Sen.`) do not end a sentence.
pub(crate) fn split_first_sentence(line: &str) -> Option<(&str, &str)> {
    let mut chars = line.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut end = index + c.len_utf8();
        while let Some(&(i, q)) = chars.peek() {
            if !matches!(q, '"' | '\'' | '’' | '”' | ')') {
                break;
            }
            end = i + q.len_utf8();
            chars.next();
        }
        let rest = &line[end..];
        let next_sentence = rest.trim_start();
        if next_sentence.len() == rest.len() || next_sentence.is_empty() {
            continue;
        }
        let starts_sentence = next_sentence
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘'(".contains(n));
        if !starts_sentence || (c == '.' && is_abbreviation(&line[..index])) {
            continue;
        }
        return Some((line[..end].trim_end(), next_sentence));
    }
    None
}

fn is_abbreviation(before_stop: &str) -> bool {
    let word = before_stop
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 1 || word.contains('.') || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// Moves trailing credit lines out of the body: everything after a final rule when that is a
/// short tail, then any trailing lines that read like credits.
fn split_credits(body: &mut Vec<Block>) -> Vec<String> {
    let end = credits_start(
        body,
        |block| *block == Block::Rule,
        |block| block.text().is_some_and(is_credit_line),
    );
    let credits = body[end..]
        .iter()
        .filter_map(Block::text)
        .map(str::to_owned)
        .collect();
    body.truncate(end);
    credits
}

/// Where the credits at the end of a body start: the body keeps the blocks before, the credits
/// are the text blocks from there on. They are everything after a final rule when that is a
/// short tail (the rule itself is dropped), then any trailing lines before it that read like
/// credits (`is_credit`: a text block that [`is_credit_line`]).
pub(crate) fn credits_start<B>(
    blocks: &[B],
    is_rule: impl Fn(&B) -> bool,
    is_credit: impl Fn(&B) -> bool,
) -> usize {
    let mut end = blocks.len();
    if let Some(rule) = blocks.iter().rposition(&is_rule) {
        // Every block after the last rule is text.
        if blocks.len() - (rule + 1) <= 4 {
            end = rule;
        }
    }
    while let Some(last) = end.checked_sub(1).and_then(|last| blocks.get(last)) {
        if is_rule(last) || !is_credit(last) {
            break;
        }
        end -= 1;
    }
    end
}

/// Phrases that make a line a credit anywhere in it, and openings that make it one at its start
/// (after any `(`); all lower-case ASCII, and matched in any case.
const CREDIT_PHRASES: &[&str] = &[
    "contributed to this report",
    "contributed reporting",
    "was first published",
];
const CREDIT_OPENINGS: &[&str] = &[
    "reporting by",
    "additional reporting by",
    "editing by",
    "writing by",
];

pub(crate) fn is_credit_line(line: &str) -> bool {
    // Matching ASCII letters in either case finds just what matching the line's
    // `to_lowercase()` would, without lower-casing every long paragraph at a body's end: the
    // only other characters that lower-case to ASCII are U+212A KELVIN SIGN (to `k`, in no
    // phrase) and U+0130 (to `i` and U+0307, which no phrase has after an `i`).
    let opening = line.trim_start_matches('(').as_bytes();
    byline_publication(line).is_some()
        || CREDIT_PHRASES
            .iter()
            .any(|phrase| contains_ignoring_ascii_case(line.as_bytes(), phrase.as_bytes()))
        || CREDIT_OPENINGS.iter().any(|prefix| {
            opening
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
        })
}

/// Whether `needle` (ASCII) occurs in `haystack` with ASCII letters in either case.
fn contains_ignoring_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    let Some(first) = needle.first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, haystack).any(|at| {
        haystack
            .get(at..at + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
    })
}

/// The publication of a `Names, Publication` credit line (`Jim Bronskill, The Canadian Press`).
pub(crate) fn byline_publication(line: &str) -> Option<&str> {
    // Punctuation first: it is found at the end, and rules out most long paragraphs.
    if ends_with_punctuation(line) || line.chars().count() > 150 {
        return None;
    }
    let (names, publication) = line.rsplit_once(',')?;
    let publication = publication.trim();
    let words: Vec<&str> = publication.split_whitespace().collect();
    let publication_ok = (1..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| is_name_word(w) || matches!(*w, "of" | "and" | "&"));
    let names_ok = names
        .split(',')
        .flat_map(|part| part.split(" and ").flat_map(|p| p.split(" And ")))
        .all(|name| {
            let words: Vec<&str> = name.split_whitespace().collect();
            (1..=5).contains(&words.len()) && words.iter().all(|w| is_name_word(w))
        });
    (publication_ok && names_ok).then_some(publication)
}

fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
}

#[cfg(test)]
mod tests;
