//! The corpus generator, and search on a generated corpus checked against the plain, slow
//! definition of each query.

mod support;

#[path = "../benches/support/generate.rs"]
mod generate;

use byline::search::Query;
use support::*;

#[test]
fn the_generator_is_deterministic_and_varied() {
    let first = generate::dump(300, 7);
    assert_eq!(first, generate::dump(300, 7));
    assert_ne!(first, generate::dump(300, 8));
    let parsed = byline::loader::dump::parse(&first);
    assert_eq!(parsed.articles.len(), 300);
    let with = |f: &dyn Fn(&byline::article::Article) -> bool| {
        parsed.articles.iter().filter(|a| f(a)).count()
    };
    assert!(with(&|a| a.standfirst.is_some()) > 20);
    assert!(with(&|a| a.body.is_empty()) > 10);
    assert!(
        with(&|a| a
            .body
            .iter()
            .any(|b| matches!(b, byline::article::Block::Heading { .. })))
            > 20
    );
    assert!(with(&|a| !a.tags.is_empty()) > 100);
    assert!(with(&|a| a.source.is_some()) > 100);
    assert!(with(&|a| a.views.is_some_and(|v| v >= 1000)) > 100);
    assert!(with(&|a| a.texts().any(|t| !t.is_ascii())) > 200);
    let unique = with(&|a| a.texts().any(|t| t.contains(generate::UNIQUE)));
    assert_eq!(unique, 1);
}

/// The slow definition of a match: fold everything with the query's own rules, by brute force.
fn slow_matches(query: &str, article: &byline::article::Article) -> bool {
    // Smart case: an uppercase letter in a word or phrase, not in a tag (tags ignore case).
    let sensitive = query
        .split_whitespace()
        .filter(|word| !(word.starts_with('#') && word.len() > 1))
        .any(|word| word.chars().any(char::is_uppercase));
    let fold = |s: &str| byline::search::fold(s, sensitive);
    let text: Vec<String> = article
        .texts()
        .chain(article.tags.iter().map(String::as_str))
        .map(fold)
        .collect();
    let mut rest = query;
    let mut ok = true;
    while let Some(token) = next_token(&mut rest) {
        let (negated, token) = match token.strip_prefix('-') {
            Some(t) if !t.is_empty() => (true, t.to_owned()),
            _ => (false, token),
        };
        let phrase = token.trim_matches('"');
        let found = if let Some(tag) = phrase
            .strip_prefix('#')
            .filter(|t| !t.is_empty() && !negated && !token.starts_with('"'))
        {
            article
                .tags
                .iter()
                .any(|t| byline::search::fold(t, false) == byline::search::fold(tag, false))
        } else {
            text.iter().any(|t| t.contains(&fold(phrase)))
        };
        ok &= found != negated;
    }
    ok
}

fn next_token(rest: &mut &str) -> Option<String> {
    let trimmed = rest.trim_start();
    if trimmed.is_empty() {
        return None;
    }
    let (negation, body) = match trimmed.strip_prefix("-\"") {
        Some(body) => ("-", body),
        None => ("", trimmed),
    };
    if let Some(quoted) = body.strip_prefix('"').or((negation == "-").then_some(body)) {
        let end = quoted.find('"').unwrap_or(quoted.len());
        *rest = quoted.get(end + 1..).unwrap_or("");
        let phrase = quoted[..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        return Some(format!("{negation}\"{phrase}\""));
    }
    let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
    *rest = &trimmed[end..];
    Some(trimmed[..end].to_owned())
}

#[test]
fn search_at_scale_equals_the_slow_definition() {
    let corpus = corpus(&generate::dump(1000, 11));
    let articles = corpus.store.to_articles();
    let mut app = app_for(corpus, 200, 50);
    for query in [
        generate::UNIQUE,
        "minister",
        "pena",
        "Peña",
        "zurich cafe",
        "\"the government\"",
        "#nato",
        "#Russia storm",
        "police -court",
        "-\"the city\"",
        "東京",
        "MINISTER",
    ] {
        keys(&mut app, "<Esc>");
        keys(&mut app, &format!("/{query}<Enter>"));
        let mut found = app.view().to_vec();
        found.sort_unstable();
        let expected: Vec<usize> = (0..articles.len())
            .filter(|&i| slow_matches(query, &articles[i]))
            .collect();
        assert_eq!(found, expected, "{query}");
        assert!(
            Query::parse(query).matches(&articles[expected.first().copied().unwrap_or(0)])
                || expected.is_empty()
        );
    }
}
