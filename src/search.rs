//! Search queries: parsed once, matched against articles with case and diacritic folding, and
//! mapped back to ranges of the original text for highlighting.
//!
//! Syntax: words must all occur (in any order); `"a phrase"` must occur as written; `#tag`
//! restricts to articles with that tag; `-word` (or `-"phrase"`) excludes. Matching ignores
//! diacritics always and case unless the query holds an uppercase letter (smart case).

pub mod background;
mod fold;
pub(crate) mod index;

use std::ops::Range;

use crate::article::Article;
use crate::parallel::{in_parallel, in_parallel_from};
use crate::store::Store;
use fold::{Folded, fold_for_ascii_terms, fold_into, is_ascii_word};
pub use fold::{fold, fold_article};

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Folded words and phrases that must all occur.
    include: Vec<String>,
    /// Folded words and phrases that must not occur.
    exclude: Vec<String>,
    /// Folded (always case-insensitive) tags the article must carry.
    tags: Vec<String>,
    case_sensitive: bool,
}

impl Query {
    pub fn parse(input: &str) -> Query {
        let tokens: Vec<_> = tokenize(input)
            .into_iter()
            .map(|(negated, quoted, text)| {
                let is_tag = !negated && !quoted && text.starts_with('#') && text.len() > 1;
                (negated, is_tag, text)
            })
            .collect();
        // Tags match in any case, so `#Russia` says nothing about how the words should match.
        let case_sensitive = tokens
            .iter()
            .any(|(_, is_tag, text)| !is_tag && text.chars().any(char::is_uppercase));
        let mut query = Query {
            case_sensitive,
            ..Query::default()
        };
        for (negated, is_tag, text) in tokens {
            if text.is_empty() {
                continue;
            }
            let folded = match is_tag {
                true => fold(&text[1..], false),
                false => fold(&text, case_sensitive),
            };
            // A term of nothing but combining marks folds to nothing and would match anywhere.
            if folded.is_empty() {
                continue;
            }
            if is_tag {
                query.tags.push(folded);
            } else if negated {
                query.exclude.push(folded);
            } else {
                query.include.push(folded);
            }
        }
        query
    }

    /// True when the query has nothing to match on, so every article matches.
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty() && self.tags.is_empty()
    }

    pub fn matches(&self, article: &Article) -> bool {
        let folded = fold_article(article, self.case_sensitive);
        self.has_tags(&article.tags)
            && self
                .include
                .iter()
                .all(|term| folded.contains(term.as_str()))
            && !self
                .exclude
                .iter()
                .any(|term| folded.contains(term.as_str()))
    }

    pub fn case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// True when the headline holds one of the query's words or phrases (such articles rank
    /// first).
    pub fn matches_headline(&self, headline: &str) -> bool {
        let folded = fold(headline, self.case_sensitive);
        self.include
            .iter()
            .any(|term| folded.contains(term.as_str()))
    }

    /// Byte ranges of `text` that match the query's words and phrases, sorted and merged.
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        if self.include.is_empty() {
            return Vec::new();
        }
        let folded = Folded::new(text, self.case_sensitive);
        let mut ranges: Vec<Range<usize>> = self
            .include
            .iter()
            .flat_map(|term| {
                folded
                    .text
                    .match_indices(term.as_str())
                    .map(|(start, found)| folded.original_range(start..start + found.len()))
            })
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        merged
    }
}

/// Splits a query into (negated, quoted, text) tokens; an unclosed quote runs to the end.
fn tokenize(input: &str) -> Vec<(bool, bool, String)> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut negated = false;
        if first == '-' {
            chars.next();
            match chars.peek() {
                Some(c) if !c.is_whitespace() => negated = true,
                _ => {
                    tokens.push((false, false, "-".to_owned()));
                    continue;
                }
            }
        }
        if chars.next_if_eq(&'"').is_some() {
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            let words: Vec<&str> = phrase.split_whitespace().collect();
            tokens.push((negated, true, words.join(" ")));
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                word.push(c);
            }
            tokens.push((negated, false, word));
        }
    }
    tokens
}

/// How many articles the first step of [`search_in_steps`] looks at, and the most any step
/// does: steps double, so that the first screen of matches comes soon and the rest at speed,
/// and a newer query never waits long for one to end.
const FIRST_STEP: usize = 2_048;
pub(crate) const LAST_STEP: usize = 8_192;

/// How many headlines are looked at between two chances to stop: a query that every article
/// may match (its first letter, typed or pasted) is stopped by the next one within a few
/// milliseconds, not after a look at every headline.
pub(crate) const HEADLINE_STEP: usize = 16_384;

/// The fewest articles worth a thread of their own.
const PER_THREAD: usize = 64;

/// The articles among `candidates` that match, ranked: those whose headline matches first,
/// then the rest, each group in corpus order. Searches run on every core, over the text as it
/// is in the file where they can (queries of letters and digits), else over parsed articles.
pub fn search(store: &Store, query: &Query, candidates: &[usize]) -> Vec<usize> {
    search_in_steps(store, query, candidates, |_| true).unwrap_or_default()
}

/// [`search`] a step at a time: after each but the last, `go_on` is given the matches so far,
/// which are the first of the final answer, and says whether to go on (`None` when it did
/// not).
pub fn search_in_steps(
    store: &Store,
    query: &Query,
    candidates: &[usize],
    go_on: impl FnMut(&[usize]) -> bool,
) -> Option<Vec<usize>> {
    search_among(store, query, candidates, |_| true, go_on)
}

/// [`search_in_steps`] among the candidates that `may_match` (it is false only for rows that
/// cannot match: see [`index::Filter`]).
fn search_among(
    store: &Store,
    query: &Query,
    candidates: &[usize],
    may_match: impl Fn(usize) -> bool,
    mut go_on: impl FnMut(&[usize]) -> bool,
) -> Option<Vec<usize>> {
    if query.is_empty() {
        return Some(candidates.to_vec());
    }
    let summaries = store.summaries();
    let mut sorted: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| may_match(i))
        .collect();
    sorted.sort_unstable();
    // Headline matches come first: only their headlines are needed to find them. No match is
    // known before they all are, so `go_on` hears of none meanwhile.
    let headlines = RawMatcher::headlines(query);
    let (mut headlined, mut others) = (Vec::new(), Vec::with_capacity(sorted.len()));
    for step in sorted.chunks(HEADLINE_STEP) {
        let hits = in_parallel(step, |part| {
            let mut folded = String::new();
            (part.iter())
                .map(|&i| {
                    (summaries.get(i))
                        .is_some_and(|s| headlines.matches_any(s.headline, &mut folded))
                })
                .collect()
        });
        for (&i, hit) in step.iter().zip(hits) {
            match hit {
                true => headlined.push(i),
                false => others.push(i),
            }
        }
        if !go_on(&[]) {
            return None;
        }
    }
    let mut ranked = Vec::new();
    let mut step = FIRST_STEP;
    // The pages of the others are given back as they are read; the headlined, likeliest to be
    // opened, keep theirs.
    let total = headlined.len() + others.len();
    for (before, group, release) in [(0, &headlined, false), (headlined.len(), &others, true)] {
        let mut done = 0;
        while done < group.len() {
            let end = group.len().min(done + step);
            ranked.extend(matching(store, query, &group[done..end]));
            if release {
                store.release(&group[done..end]);
            }
            // After the last step there is nothing to stop, and no first matches to show
            // apart from the answer itself (that would be one frame more).
            if before + end < total && !go_on(&ranked) {
                return None;
            }
            (done, step) = (end, (step * 2).min(LAST_STEP));
        }
    }
    Some(ranked)
}

/// The articles among `candidates` that match, in the same order; on every core when there
/// are enough of them for it.
fn matching(store: &Store, query: &Query, candidates: &[usize]) -> Vec<usize> {
    let summaries = store.summaries();
    let raw = query.words_only().then(|| RawMatcher::new(query));
    in_parallel_from(candidates, PER_THREAD, |part| {
        let mut folded = String::new();
        (part.iter().copied())
            .filter(|&i| {
                let Some(summary) = summaries.get(i) else {
                    return false;
                };
                if !query.has_tags(summary.tags) {
                    return false;
                }
                match raw.as_ref().and_then(|raw| Some((raw, store.raw_text(i)?))) {
                    Some((raw, text)) => raw.matches(&text, &mut folded),
                    None => store.parse(i).is_some_and(|a| query.matches(&a)),
                }
            })
            .collect()
    })
}

impl Query {
    /// Whether an article with these tags carries every tag the query asks for.
    fn has_tags(&self, tags: impl IntoIterator<Item: AsRef<str>, IntoIter: Clone>) -> bool {
        let tags = tags.into_iter();
        self.tags
            .iter()
            .all(|tag| tags.clone().any(|t| fold(t.as_ref(), false) == *tag))
    }

    /// True when every word and phrase of the query is letters and digits alone. Such a term
    /// matches an article's parsed text exactly when it matches the text as it is in the file:
    /// what parsing changes (hashtag signs, tabs, controls, line breaks, trimming) is never a
    /// letter or digit, so it can neither join nor split one.
    fn words_only(&self) -> bool {
        (self.include.iter().chain(&self.exclude))
            .all(|term| term.chars().all(char::is_alphanumeric))
    }
}

/// The words of a query that is [`Query::words_only`], to look for in an article's text as it
/// is in its file (tags are checked apart); each word's searcher is built once per search.
struct RawMatcher {
    include: Vec<memchr::memmem::Finder<'static>>,
    exclude: Vec<memchr::memmem::Finder<'static>>,
    ascii: bool,
    case_sensitive: bool,
}

impl RawMatcher {
    fn new(query: &Query) -> RawMatcher {
        let finders = |terms: &[String]| {
            (terms.iter())
                .map(|term| memchr::memmem::Finder::new(term.as_bytes()).into_owned())
                .collect()
        };
        RawMatcher {
            include: finders(&query.include),
            exclude: finders(&query.exclude),
            ascii: (query.include.iter().chain(&query.exclude)).all(|t| is_ascii_word(t)),
            case_sensitive: query.case_sensitive,
        }
    }

    /// The query's words and phrases, to find in headlines as [`Query::matches_headline`]
    /// does.
    fn headlines(query: &Query) -> RawMatcher {
        RawMatcher {
            exclude: Vec::new(),
            ascii: query.include.iter().all(|t| is_ascii_word(t)),
            ..RawMatcher::new(query)
        }
    }

    fn fold(&self, text: &str, folded: &mut String) {
        folded.clear();
        match self.ascii {
            true => fold_for_ascii_terms(folded, text, self.case_sensitive),
            false => fold_into(folded, text, self.case_sensitive),
        }
    }

    /// Whether `text` matches; `folded` is a buffer to reuse.
    fn matches(&self, text: &str, folded: &mut String) -> bool {
        self.fold(text, folded);
        let found = |finder: &memchr::memmem::Finder| finder.find(folded.as_bytes()).is_some();
        self.include.iter().all(found) && !self.exclude.iter().any(found)
    }

    /// Whether `text` holds any of the words and phrases.
    fn matches_any(&self, text: &str, folded: &mut String) -> bool {
        self.fold(text, folded);
        (self.include.iter()).any(|finder| finder.find(folded.as_bytes()).is_some())
    }
}

impl Query {
    /// True when everything this query matches, `previous` matched too (it only adds
    /// constraints), so a search can start from `previous`'s results.
    pub fn narrows(&self, previous: &Query) -> bool {
        self.case_sensitive == previous.case_sensitive
            && previous
                .include
                .iter()
                .all(|old| self.include.iter().any(|new| new.contains(old.as_str())))
            && previous
                .exclude
                .iter()
                .all(|old| self.exclude.contains(old))
            && previous.tags.iter().all(|old| self.tags.contains(old))
    }
}

#[cfg(test)]
mod tests;
