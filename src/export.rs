//! Articles as plain text (for the clipboard, a pager, an editor or a pipe) and as Markdown
//! (for `w` and `--markdown`).

use crate::article::{Article, Block};
use crate::document::meta_line;

/// Headline, standfirst, body and credits, paragraphs separated by blank lines (the lines of
/// a list, of preformatted text and of the references by line feeds).
pub fn plain_text(article: &Article) -> String {
    let mut out = article.headline.clone();
    if let Some(standfirst) = &article.standfirst {
        out.push_str("\n\n");
        out.push_str(standfirst);
    }
    let mut previous: Option<&Block> = None;
    for block in &article.body {
        out.push_str(match previous.is_some_and(|p| continues(p, block)) {
            true => "\n",
            false => "\n\n",
        });
        match block {
            Block::Paragraph { text } | Block::Heading { text } | Block::Pre { text } => {
                out.push_str(text)
            }
            Block::Item { text } => out.push_str(&format!("• {text}")),
            Block::Quote { text } => out.push_str(&format!("> {text}")),
            Block::Reference { number, url } => out.push_str(&format!("[{number}] {url}")),
            Block::Rule => out.push_str("___"),
        }
        previous = Some(block);
    }
    for credit in &article.credits {
        out.push_str("\n\n");
        out.push_str(credit);
    }
    out + "\n"
}

/// Whether `block` goes on the line after `previous` with no blank line between: items of a
/// list, lines of preformatted text, the references.
fn continues(previous: &Block, block: &Block) -> bool {
    matches!(
        (previous, block),
        (Block::Item { .. }, Block::Item { .. })
            | (Block::Pre { .. }, Block::Pre { .. })
            | (Block::Reference { .. }, Block::Reference { .. })
    )
}

/// [`plain_text`] with each paragraph wrapped to `width` columns between words, as a pager
/// shows it best: less breaks long lines wherever the screen ends, even inside a word.
pub fn plain_text_wrapped(article: &Article, width: usize) -> String {
    let options = textwrap::Options::new(width.max(1))
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    plain_text(article)
        .split('\n')
        .map(|paragraph| textwrap::fill(paragraph, &options))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The article as a Markdown document.
pub fn markdown(article: &Article) -> String {
    let mut out = format!("# {}\n\n", escape(&article.headline));
    if let Some(standfirst) = &article.standfirst {
        out.push_str(&format!("*{}*\n\n", escape(standfirst)));
    }
    out.push_str(&format!("{}\n\n", escape(&meta_line(article))));
    if let Some(link) = &article.link {
        out.push_str(&format!("<{}>\n\n", autolink(link)));
    }
    let fence = match article
        .body
        .iter()
        .any(|b| matches!(b, Block::Pre { text } if text.contains("```")))
    {
        true => "````",
        false => "```",
    };
    let mut previous: Option<&Block> = None;
    for block in &article.body {
        let joined = previous.is_some_and(|p| continues(p, block));
        if joined {
            // The blank line the previous block ended with goes: the two are one list or block.
            out.pop();
        } else if matches!(previous, Some(Block::Pre { .. })) {
            out.insert_str(out.len() - 1, &format!("{fence}\n"));
        }
        match block {
            Block::Paragraph { text } => out.push_str(&format!("{}\n\n", escape(text))),
            Block::Heading { text } => out.push_str(&format!("## {}\n\n", escape(text))),
            Block::Item { text } => out.push_str(&format!("- {}\n\n", escape(text))),
            Block::Quote { text } => out.push_str(&format!("> {}\n\n", escape(text))),
            Block::Pre { text } if joined => out.push_str(&format!("{text}\n\n")),
            Block::Pre { text } => out.push_str(&format!("{fence}\n{text}\n\n")),
            Block::Reference { number, url } => {
                out.push_str(&format!("{number}. <{}>\n\n", autolink(url)))
            }
            Block::Rule => out.push_str("---\n\n"),
        }
        previous = Some(block);
    }
    if matches!(previous, Some(Block::Pre { .. })) {
        out.insert_str(out.len() - 1, &format!("{fence}\n"));
    }
    if !article.credits.is_empty() {
        out.push_str("---\n\n");
        for credit in &article.credits {
            out.push_str(&format!("{}\n\n", escape(credit)));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Several articles as one Markdown document, separated by rules.
pub fn markdown_all(articles: &[&Article]) -> String {
    articles
        .iter()
        .map(|a| markdown(a))
        .collect::<Vec<_>>()
        .join("\n---\n\n")
}

/// A URL as a Markdown autolink holds it: the characters that would end or break one encoded.
fn autolink(url: &str) -> String {
    url.replace('<', "%3C")
        .replace('>', "%3E")
        .replace(' ', "%20")
}

/// Keeps text from being read as Markdown syntax: a leading `#`, `>`, `-`, `+`, `*` or a
/// number and dot or parenthesis, and inline `*`, `_`, `` ` ``, `[`, `]`, `<` and `\`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['#', '>', '-', '+']) {
        out.insert(0, '\\');
    }
    // An ordered list marker is digits then `.` or `)`; CommonMark escapes the punctuation
    // (`1\.`), since a backslash before a digit is shown as written.
    let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &out[digits..];
    let marker =
        rest.starts_with(['.', ')']) && rest[1..].chars().next().is_none_or(char::is_whitespace);
    if digits > 0 && marker {
        out.insert(digits, '\\');
    }
    out
}

/// A file name for an article: its headline in lowercase words joined by hyphens, at most
/// 60 characters, then `.md`.
pub fn slug(article: &Article) -> String {
    let mut slug = String::new();
    for word in article
        .headline
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.chars().count() + word.chars().count() > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().flat_map(char::to_lowercase));
    }
    if slug.is_empty() {
        slug.push_str("article");
    }
    slug + ".md"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Article> {
        crate::store::dump::parse(include_str!("../seeds/sample.txt")).articles
    }

    #[test]
    fn plain_text_has_every_part_in_order() {
        let article = &sample()[5];
        let text = plain_text(article);
        assert!(text.starts_with("Pakistani premier describes meeting with Putin as 'very warm and constructive'\n\nShehbaz Sharif underscored"));
        assert!(text.ends_with("take part in the SCO prime ministers’ meeting in November.\n"));
        let credits = plain_text(&sample()[2]);
        assert!(credits.ends_with("Jim Bronskill, The Canadian Press\n"));
    }

    #[test]
    fn markdown_has_headings_emphasis_and_credits() {
        let article = &sample()[0];
        let md = markdown(article);
        assert!(md.starts_with("# Chaotic showdown over Guatemalan children exposes fault lines in Trump’s deportation push.\n\nThe Associated Press · 227 views"));
        assert!(md.contains("\n## Children told to pack a bag\n"));
        assert!(md.ends_with("---\n\nSantana reported from Washington and Perez reported from Guatemala City. Elliot Spagat contributed from San Diego.\n\nRebecca Santana, Valerie Gonzalez And Sonia Pérez D., The Associated Press\n"));
        let standfirst = markdown(&sample()[5]);
        assert!(standfirst.contains("\n*Shehbaz Sharif underscored"));
    }

    #[test]
    fn text_for_the_pager_is_wrapped_between_words() {
        for article in sample() {
            let wrapped = plain_text_wrapped(&article, 60);
            for line in wrapped.lines() {
                let long_word = !line.contains(' ');
                assert!(line.chars().count() <= 60 || long_word, "{line:?}");
            }
            let words = |text: &str| {
                text.split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            };
            assert!(
                words(&wrapped) == words(&plain_text(&article)),
                "a word was split"
            );
            let gaps = |text: &str| text.matches("\n\n").count();
            assert_eq!(
                gaps(&wrapped),
                gaps(&plain_text(&article)),
                "paragraphs stay apart"
            );
        }
    }

    fn feed_article() -> Article {
        let text = |t: &str| t.to_owned();
        let mut article = sample()[0].clone();
        article.link = Some(text("https://example.org/a"));
        article.body = vec![
            Block::Paragraph {
                text: text("See this[1]."),
            },
            Block::Item { text: text("one") },
            Block::Item { text: text("two") },
            Block::Quote { text: text("Said") },
            Block::Pre {
                text: text("fn main() {"),
            },
            Block::Pre {
                text: text("    run();"),
            },
            Block::Pre { text: text("}") },
            Block::Reference {
                number: 1,
                url: text("https://example.org/b"),
            },
        ];
        article.credits.clear();
        article
    }

    #[test]
    fn markdown_writes_lists_quotes_code_references_and_the_link() {
        let md = markdown(&feed_article());
        assert!(md.contains("\n\n<https://example.org/a>\n\n"), "{md}");
        assert!(
            md.contains("\nSee this\\[1\\].\n\n- one\n- two\n\n> Said\n\n"),
            "{md}"
        );
        assert!(
            md.contains("\n```\nfn main() {\n    run();\n}\n```\n\n1. <https://example.org/b>\n"),
            "{md}"
        );
    }

    #[test]
    fn plain_text_keeps_lists_and_code_lines_together() {
        let text = plain_text(&feed_article());
        assert!(text.contains("\n\n• one\n• two\n\n> Said\n\nfn main() {\n    run();\n}\n\n[1] https://example.org/b\n"), "{text}");
    }

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(
            escape("#1 *bold* [link](x) a_b"),
            "\\#1 \\*bold\\* \\[link\\](x) a\\_b"
        );
        assert_eq!(escape("1. Not a list"), "1\\. Not a list");
        assert_eq!(
            escape("2024) Not a list either"),
            "2024\\) Not a list either"
        );
        assert_eq!(escape("3."), "3\\.");
        assert_eq!(escape("3.5 million"), "3.5 million");
        assert_eq!(escape("Plain, text."), "Plain, text.");
    }

    #[test]
    fn slugs_are_lowercase_words_with_hyphens() {
        assert_eq!(
            slug(&sample()[2]),
            "report-calls-on-nato-to-counter-authoritarian-manipulation.md"
        );
        assert_eq!(
            slug(&sample()[4]),
            "australia-agrees-to-pay-pacific-nation-of-nauru-us-1-62.md"
        );
        let mut empty = sample()[0].clone();
        empty.headline = "!!!".into();
        assert_eq!(slug(&empty), "article.md");
    }
}
