//! A deterministic corpus generator: the same seed gives the same bytes. It writes the dump
//! format with the variety of the sample: lengths from a headline alone to long reads,
//! standfirsts, multi-sentence headlines, subheadings, rules, credit lines and sources,
//! hashtags, view counts with thousands separators, and non-ASCII text.
//!
//! Shared by the benchmarks (`benches/`) and the tests that check search at scale.

#![allow(dead_code)]

use rand::Rng;
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "said",
    "on",
    "for",
    "that",
    "with",
    "was",
    "government",
    "minister",
    "report",
    "city",
    "police",
    "court",
    "president",
    "election",
    "officials",
    "people",
    "year",
    "week",
    "would",
    "could",
    "after",
    "before",
    "despite",
    "because",
    "while",
    "council",
    "border",
    "troops",
    "market",
    "prices",
    "workers",
    "students",
    "protest",
    "agreement",
    "talks",
    "ministry",
    "budget",
    "hospital",
    "storm",
    "flood",
    "energy",
    "climate",
    "trade",
    "tariffs",
    "Peña",
    "Zürich",
    "São",
    "Paulo",
    "Kraków",
    "Dvořák",
    "café",
    "naïve",
    "Ørsted",
    "Москва",
    "東京",
    "北京",
    "서울",
    "🎉",
    "—",
    "“quoted”",
    "it’s",
    "U.S.",
    "Sept.",
    "A$2.5",
    "1,204",
];

const TAGS: &[&str] = &[
    "NATO",
    "Russia",
    "Israel",
    "Serbian",
    "Washington",
    "Climate",
    "Election",
    "CNN",
];
const NAMES: &[&str] = &[
    "Jim Bronskill",
    "Jessie Yeung",
    "Rebecca Santana",
    "Will Weissert",
    "Ana López",
];
const PUBLICATIONS: &[&str] = &[
    "The Associated Press",
    "The Canadian Press",
    "CNN",
    "Reuters",
];

fn words(rng: &mut ChaCha8Rng, count: usize) -> String {
    let mut out = String::new();
    for i in 0..count {
        if i > 0 {
            out.push(' ');
        }
        if rng.random_ratio(1, 40) {
            out.push('#');
            out.push_str(TAGS.choose(rng).unwrap_or(&"Tag"));
        } else {
            out.push_str(WORDS.choose(rng).unwrap_or(&"word"));
        }
    }
    out
}

fn sentence(rng: &mut ChaCha8Rng, min: usize, max: usize) -> String {
    let count = rng.random_range(min..=max);
    let mut text = words(rng, count);
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    text.push('.');
    text
}

/// Appends one article; `unique` goes into its body when given, and [`COMMON`] into its last
/// paragraph when `common` and it has one. Neither draws on `rng`, so the rest of the text is
/// the same with or without them.
fn article(rng: &mut ChaCha8Rng, out: &mut String, unique: Option<&str>, common: bool) {
    out.push_str(&sentence(rng, 6, 16));
    if rng.random_ratio(1, 10) {
        // A headline that runs into the first paragraph.
        out.push(' ');
        out.push_str(&sentence(rng, 8, 20));
    }
    out.push('\n');
    if rng.random_ratio(1, 5) {
        out.push_str(&sentence(rng, 10, 25));
        out.push('\n');
    }
    let paragraphs = match rng.random_range(0..10) {
        0 => 0,
        1..=6 => rng.random_range(3..15),
        _ => rng.random_range(15..45),
    };
    // The article that carries the unique word needs a body to carry it in.
    let paragraphs = if unique.is_some() {
        paragraphs.max(3)
    } else {
        paragraphs
    };
    for p in 0..paragraphs {
        out.push('\n');
        for _ in 0..rng.random_range(1..4) {
            out.push_str(&sentence(rng, 8, 30));
            out.push(' ');
        }
        if let Some(word) = unique.filter(|_| p == paragraphs / 2) {
            out.push_str(word);
            out.push_str(" appears here.");
        }
        if common && p + 1 == paragraphs {
            out.push_str("A ");
            out.push_str(COMMON);
            out.push_str(" was agreed. ");
        }
        out.push('\n');
        if p > 0 && rng.random_ratio(1, 8) {
            let length = rng.random_range(3..7);
            let heading = words(rng, length);
            out.push_str(&heading.replace('#', ""));
            out.push('\n');
        }
    }
    if paragraphs > 0 && rng.random_ratio(1, 3) {
        out.push_str("\n___\n\n");
        out.push_str(&sentence(rng, 6, 12));
        out.push('\n');
    }
    if paragraphs > 0 {
        let name = NAMES.choose(rng).unwrap_or(&"A Reporter");
        let publication = PUBLICATIONS.choose(rng).unwrap_or(&"CNN");
        out.push_str(&format!("\n{name}, {publication}\n"));
    }
    let views: u32 = rng.random_range(0..20_000);
    let views = if views >= 1000 {
        format!("{},{:03}", views / 1000, views % 1000)
    } else {
        views.to_string()
    };
    out.push_str(&format!("\n\nView {views} times\n\n"));
}

/// `count` articles in the dump format. Article `count / 2` (when there are any) holds
/// [`UNIQUE`] once in its body; every third article with a body holds [`COMMON`].
pub fn dump(count: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = String::with_capacity(count * 3700);
    for index in 0..count {
        let unique = (index == count / 2).then_some(UNIQUE);
        article(&mut rng, &mut out, unique, has_common(index));
    }
    out
}

/// The same bytes as [`dump`]`(count, seed)`, written to `path` article by article, so that a
/// corpus larger than memory can be made. Returns the number of bytes written.
pub fn write_dump(path: &std::path::Path, count: usize, seed: u64) -> std::io::Result<u64> {
    use std::io::Write;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut one = String::with_capacity(64 * 1024);
    let mut written = 0u64;
    for index in 0..count {
        one.clear();
        let unique = (index == count / 2).then_some(UNIQUE);
        article(&mut rng, &mut one, unique, has_common(index));
        out.write_all(one.as_bytes())?;
        written += one.len() as u64;
    }
    out.flush()?;
    Ok(written)
}

/// One article in the dump format, without [`UNIQUE`], as a scraper appends it to a dump.
pub fn one_article(seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = String::new();
    article(&mut rng, &mut out, None, false);
    out
}

/// Changes whenever the generator's output for a seed changes, so that a corpus cached on disk
/// by an earlier version is made again.
pub const VERSION: u32 = 1;

/// A word that occurs in exactly one generated article.
pub const UNIQUE: &str = "zanzibarite";

/// A word in about 30% of generated articles: every third one, when it has a body (nine in
/// ten do). No other generated text holds it.
pub const COMMON: &str = "ceasefire";

fn has_common(index: usize) -> bool {
    index.is_multiple_of(3)
}
