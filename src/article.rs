//! The data model: articles, their blocks, and a loaded corpus. Nothing here knows about
//! terminals or file formats.

use serde::{Deserialize, Serialize};

mod tags;
pub use tags::{Tags, TagsIter};

/// One article. Every text field is a single line free of control characters (see
/// [`crate::text`]), so the reader can wrap and search it without re-parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identity derived from the headline and body; see [`Article::compute_id`].
    #[serde(default)]
    pub id: String,
    pub headline: String,
    #[serde(default)]
    pub standfirst: Option<String>,
    #[serde(default)]
    pub body: Vec<Block>,
    #[serde(default)]
    pub credits: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub views: Option<u64>,
    /// Where the article is on the web (an absolute URL), for feed articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// When it was published (or last updated), for feed articles; RFC 3339 in JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// Who wrote it, several names joined by `, `.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// A unit of an article's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        text: String,
    },
    Heading {
        text: String,
    },
    Rule,
    /// One item of a list.
    Item {
        text: String,
    },
    /// A paragraph of a block quote.
    Quote {
        text: String,
    },
    /// One line of preformatted text, its indentation kept.
    Pre {
        text: String,
    },
    /// The target of the link marked `[number]` in the text before it.
    Reference {
        number: usize,
        url: String,
    },
}

impl Block {
    /// The block's text (a reference's URL), or `None` for a rule.
    pub fn text(&self) -> Option<&str> {
        match self {
            Block::Paragraph { text }
            | Block::Heading { text }
            | Block::Item { text }
            | Block::Quote { text }
            | Block::Pre { text } => Some(text),
            Block::Reference { url, .. } => Some(url),
            Block::Rule => None,
        }
    }

    /// The block with `clean` applied to its text, or `None` when that leaves it empty.
    pub fn cleaned(self, clean: impl Fn(String) -> Option<String>) -> Option<Block> {
        Some(match self {
            Block::Paragraph { text } => Block::Paragraph { text: clean(text)? },
            Block::Heading { text } => Block::Heading { text: clean(text)? },
            Block::Item { text } => Block::Item { text: clean(text)? },
            Block::Quote { text } => Block::Quote { text: clean(text)? },
            Block::Pre { text } => Block::Pre {
                text: crate::text::clean_indented_line(&text),
            },
            Block::Reference { number, url } => Block::Reference {
                number,
                url: clean(url)?,
            },
            Block::Rule => Block::Rule,
        })
    }
}

impl Article {
    /// An id that is the same on every run and machine for the same headline and body:
    /// 16 hex digits of the XXH3 hash of that text.
    pub fn compute_id(headline: &str, body: &[Block]) -> String {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(headline.as_bytes());
        for block in body {
            // A separator that cannot occur in cleaned text keeps "ab"+"c" apart from "a"+"bc".
            hasher.update(b"\n");
            hasher.update(block.text().unwrap_or("---").as_bytes());
        }
        format!("{:016x}", hasher.digest())
    }

    /// [`Article::compute_id`] from the text it hashes, already joined: the headline, then for
    /// each body block a line feed and its text (`---` for a rule).
    pub fn id_of_joined(joined: &str) -> String {
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(joined.as_bytes()))
    }

    /// Every piece of text in reading order: headline, standfirst, body, credits.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.headline.as_str())
            .chain(self.standfirst.as_deref())
            .chain(self.body.iter().filter_map(Block::text))
            .chain(self.credits.iter().map(String::as_str))
    }

    /// Words in the standfirst, body and credits, for the reading-time estimate (a link
    /// reference's URL is not read).
    pub fn word_count(&self) -> usize {
        let references = (self.body.iter())
            .filter_map(|block| match block {
                Block::Reference { url, .. } => Some(url.split_whitespace().count()),
                _ => None,
            })
            .sum::<usize>();
        let all: usize = (self.texts().skip(1))
            .map(|text| text.split_whitespace().count())
            .sum();
        all - references
    }

    /// Minutes to read at 230 words a minute, never less than one.
    pub fn reading_minutes(&self) -> usize {
        self.word_count().div_ceil(230).max(1)
    }
}

/// What the list shows of an article and what marks, filters and sorting go by: everything
/// but its text, so that a corpus can keep this for every article and parse bodies on demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub id: String,
    pub headline: String,
    pub views: Option<u64>,
    pub tags: Vec<String>,
    pub source: Option<String>,
}

impl Summary {
    /// The most of a headline a summary keeps, in bytes: more than the widest list shows, and a
    /// one-line dump whose headline is the whole file is not held twice.
    pub const HEADLINE_MAX: usize = 4096;

    /// As much of a headline as a summary keeps, cut at a character boundary.
    pub fn kept_headline(headline: &str) -> &str {
        Summary::prefix(headline, Summary::HEADLINE_MAX)
    }

    /// As much of `text` as fits in `max` bytes, cut at a character boundary.
    pub fn prefix(text: &str, max: usize) -> &str {
        let mut end = text.len().min(max);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    }

    pub fn of(article: &Article) -> Summary {
        Summary {
            id: article.id.clone(),
            headline: Summary::kept_headline(&article.headline).to_owned(),
            views: article.views,
            tags: article.tags.clone(),
            source: article.source.clone(),
        }
    }
}

/// A summary as a store keeps it: borrowed from the one string that holds many articles'
/// summaries (see [`crate::store::packed`]). The fields are those of a [`Summary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryRef<'a> {
    pub id: &'a str,
    pub headline: &'a str,
    pub views: Option<u64>,
    pub tags: Tags<'a>,
    pub source: Option<&'a str>,
}

impl SummaryRef<'_> {
    /// The summary with strings of its own.
    pub fn to_summary(&self) -> Summary {
        Summary {
            id: self.id.to_owned(),
            headline: self.headline.to_owned(),
            views: self.views,
            tags: self.tags.iter().map(str::to_owned).collect(),
            source: self.source.map(str::to_owned),
        }
    }
}

impl PartialEq<Summary> for SummaryRef<'_> {
    fn eq(&self, other: &Summary) -> bool {
        self.id == other.id
            && self.headline == other.headline
            && self.views == other.views
            && self.tags == other.tags[..]
            && self.source == other.source.as_deref()
    }
}

/// A message from the loader, already formatted as one printable line that names its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Something was replaced or skipped, but the input loaded.
    Warning,
    /// The input could not be loaded.
    Error,
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// As in the file (with a search: headline matches first).
    #[default]
    File,
    /// Most viewed first.
    Views,
    /// Headline A–Z, ignoring case and accents.
    Headline,
    /// Newest first by publication date; articles without one last, in file order.
    Newest,
}

impl Order {
    pub fn next(self) -> Order {
        match self {
            Order::File => Order::Views,
            Order::Views => Order::Headline,
            Order::Headline => Order::Newest,
            Order::Newest => Order::File,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Order::File => "file order",
            Order::Views => "most viewed",
            Order::Headline => "A–Z",
            Order::Newest => "newest first",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph { text: text.into() }
    }

    #[test]
    fn id_is_stable_and_depends_on_headline_and_body() {
        let id = Article::compute_id("Headline", &[para("Body")]);
        assert_eq!(id.len(), 16);
        assert_eq!(id, Article::compute_id("Headline", &[para("Body")]));
        assert_ne!(id, Article::compute_id("Headline", &[para("Other")]));
        assert_ne!(id, Article::compute_id("Other", &[para("Body")]));
        assert_ne!(
            Article::compute_id("ab", &[para("c")]),
            Article::compute_id("a", &[para("bc")])
        );
    }

    #[test]
    fn the_id_of_the_joined_text_is_the_id_of_the_blocks() {
        let body = [
            para("Body"),
            Block::Rule,
            Block::Heading { text: "H".into() },
        ];
        let id = Article::compute_id("Headline", &body);
        assert_eq!(Article::id_of_joined("Headline\nBody\n---\nH"), id);
        // Past xxh3's internal buffer and stripes too.
        let long = "word ".repeat(400);
        assert_eq!(
            Article::id_of_joined(&format!("{long}\n{long}")),
            Article::compute_id(&long, &[para(&long)])
        );
        assert_eq!(
            Article::id_of_joined("Alone"),
            Article::compute_id("Alone", &[])
        );
    }

    #[test]
    fn a_link_reference_is_searched_but_not_counted_as_words_to_read() {
        let article = Article {
            headline: "H".into(),
            body: vec![
                Block::Item {
                    text: "two words".into(),
                },
                Block::Reference {
                    number: 1,
                    url: "https://example.org/".into(),
                },
            ],
            ..Article::default()
        };
        assert_eq!(article.word_count(), 2);
        assert!(article.texts().any(|t| t == "https://example.org/"));
    }

    #[test]
    fn blocks_serialise_with_a_type_tag() {
        let json =
            serde_json::to_string(&[para("p"), Block::Heading { text: "h".into() }, Block::Rule])
                .unwrap();
        assert_eq!(
            json,
            r#"[{"type":"paragraph","text":"p"},{"type":"heading","text":"h"},{"type":"rule"}]"#
        );
    }

    #[test]
    fn a_summary_keeps_a_headline_up_to_its_limit_on_a_character_boundary() {
        let article = |headline: String| Article {
            id: String::new(),
            headline,
            standfirst: None,
            body: Vec::new(),
            credits: Vec::new(),
            source: None,
            tags: Vec::new(),
            views: None,
            link: None,
            published: None,
            author: None,
        };
        let short = Summary::of(&article("Short".into()));
        assert_eq!(short.headline, "Short");
        let long = Summary::of(&article(format!("a{}", "é".repeat(Summary::HEADLINE_MAX))));
        assert_eq!(long.headline.len(), Summary::HEADLINE_MAX - 1);
        assert!(long.headline.ends_with('é'));
    }
}
