//! JSON input: an array of article objects, or JSON Lines (one object per line). Only
//! `headline` is required; every text is cleaned like dump text.

use crate::article::Article;
use crate::text::clean_line;

/// Parses a JSON array or a stream of JSON objects. Errors carry the line and column.
pub fn parse(input: &str) -> Result<Vec<Article>, String> {
    let trimmed = input.trim_start();
    let records: Vec<Article> = if trimmed.starts_with('[') {
        serde_json::from_str(input).map_err(|e| format!("invalid JSON: {e}"))?
    } else {
        let mut records = Vec::new();
        for record in serde_json::Deserializer::from_str(input).into_iter::<Article>() {
            records.push(record.map_err(|e| format!("invalid JSON: {e}"))?);
        }
        records
    };
    records
        .into_iter()
        .enumerate()
        .map(|(index, record)| {
            clean(record).ok_or_else(|| format!("article {} has an empty headline", index + 1))
        })
        .collect()
}

/// True when text is shaped like JSON input rather than a dump whose first line starts with a
/// bracket: an object, or an array that is empty or holds objects.
pub fn looks_like_json(input: &str) -> bool {
    let trimmed = input.trim_start();
    trimmed.starts_with('{')
        || trimmed
            .strip_prefix('[')
            .is_some_and(|rest| rest.trim_start().starts_with(['{', ']']))
}

/// Applies the loader's invariants to a record: single-line texts free of control characters,
/// no empty strings, and an id when the input gave none.
fn clean(mut article: Article) -> Option<Article> {
    let non_empty = |text: String| Some(clean_line(&text)).filter(|t| !t.is_empty());
    article.headline = non_empty(article.headline)?;
    article.standfirst = article.standfirst.and_then(non_empty);
    article.source = article.source.and_then(non_empty);
    article.credits = article.credits.into_iter().filter_map(non_empty).collect();
    article.tags = article.tags.into_iter().filter_map(non_empty).collect();
    article.body = article
        .body
        .into_iter()
        .filter_map(|block| block.cleaned(non_empty))
        .collect();
    article.link = article.link.and_then(non_empty);
    article.author = article.author.and_then(non_empty);
    article.id = clean_line(&article.id);
    if article.id.is_empty() {
        article.id = Article::compute_id(&article.headline, &article.body);
    }
    Some(article)
}

/// Writes articles as a pretty-printed JSON array followed by a newline.
pub fn write<A: serde::Serialize>(
    articles: &[A],
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, articles)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    #[test]
    fn only_the_headline_is_required() {
        let articles = parse(r#"[{"headline":"Just this"}]"#).unwrap();
        assert_eq!(articles.len(), 1);
        let article = &articles[0];
        assert_eq!(article.headline, "Just this");
        assert_eq!(article.id, Article::compute_id("Just this", &[]));
        assert!(article.body.is_empty() && article.tags.is_empty() && article.views.is_none());
    }

    #[test]
    fn json_lines_load_one_object_per_line() {
        let input = "{\"headline\":\"One\",\"views\":3}\n\n{\"headline\":\"Two\",\"body\":[{\"type\":\"rule\"}]}\n";
        let articles = parse(input).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].views, Some(3));
        assert_eq!(articles[1].body, [Block::Rule]);
    }

    #[test]
    fn text_from_json_is_cleaned() {
        let input = r#"[{"headline":" Bad\u001b[2J\nline ","body":[{"type":"paragraph","text":"a\tb\u0007"}]}]"#;
        let article = &parse(input).unwrap()[0];
        assert_eq!(article.headline, "Bad\u{FFFD}[2J line");
        assert_eq!(
            article.body,
            [Block::Paragraph {
                text: "a b\u{FFFD}".into()
            }]
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let error = parse("[\n  {\"headline\": \"x\"},\n  {\"headline\": 3}\n]").unwrap_err();
        assert!(error.contains("line 3 column"), "{error}");
        let error = parse("{\"headline\":\"x\"}\n{\"headline\"").unwrap_err();
        assert!(error.contains("line 2"), "{error}");
    }

    #[test]
    fn a_missing_or_empty_headline_is_an_error() {
        assert!(parse(r#"[{"body":[]}]"#).unwrap_err().contains("headline"));
        assert_eq!(
            parse(r#"[{"headline":"ok"},{"headline":"  "}]"#).unwrap_err(),
            "article 2 has an empty headline"
        );
    }

    #[test]
    fn json_shape_is_recognised_by_content() {
        assert!(looks_like_json("  [\n {\"headline\":1}]"));
        assert!(looks_like_json("[]"));
        assert!(looks_like_json("{\"headline\":\"x\"}"));
        assert!(!looks_like_json("[Video] A headline\n\nView 3 times"));
        assert!(!looks_like_json("Headline"));
    }
}
