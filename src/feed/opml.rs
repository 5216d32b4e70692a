//! OPML subscription lists: every `outline` with an `xmlUrl` is a feed, and the outlines it is
//! nested in are its group. Read with quick-xml.

use quick_xml::events::{BytesStart, Event};

use crate::text::clean_line;

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub url: String,
    pub title: Option<String>,
    /// The `text` (or `title`) of the outlines it is inside, outermost first.
    pub group: Vec<String>,
}

/// Every subscription in an OPML document, in document order. The error is one line with the
/// line and column.
pub fn parse(bytes: &[u8]) -> Result<Vec<Outline>, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buffer = Vec::new();
    let mut outlines = Vec::new();
    // The names of the outlines open around the one being read.
    let mut open: Vec<Option<String>> = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|e| {
            let (line, column) = super::line_and_column(bytes, reader.error_position());
            clean_line(&format!("parse error at line {line}, column {column}: {e}"))
        })?;
        match event {
            Event::Start(tag) if tag.local_name().as_ref() == "outline" => {
                let outline = read_outline(&tag, &open);
                open.push(outline_name(&tag));
                outlines.extend(outline);
            }
            Event::Empty(tag) if tag.local_name().as_ref() == "outline" => {
                outlines.extend(read_outline(&tag, &open));
            }
            Event::End(tag) if tag.local_name().as_ref() == "outline" => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    Ok(outlines)
}

/// Whether `bytes` are an OPML document, by the name of its root element.
pub fn is_opml(bytes: &[u8]) -> bool {
    super::xml_root(super::document_start(bytes)).is_some_and(|root| root == "opml")
}

/// The subscription an outline is, if it has an `xmlUrl`.
fn read_outline(tag: &BytesStart<'_>, open: &[Option<String>]) -> Option<Outline> {
    let url = attribute(tag, "xmlUrl").filter(|u| !u.is_empty())?;
    Some(Outline {
        url,
        title: outline_name(tag),
        group: open.iter().flatten().cloned().collect(),
    })
}

/// An outline's `text`, or else its `title`.
fn outline_name(tag: &BytesStart<'_>) -> Option<String> {
    attribute(tag, "text")
        .filter(|t| !t.is_empty())
        .or_else(|| attribute(tag, "title").filter(|t| !t.is_empty()))
}

/// An attribute's value, entities decoded and cleaned.
fn attribute(tag: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = tag
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)?;
    let value = attribute
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|v| v.into_owned())
        .unwrap_or_else(|_| attribute.value.clone().into_owned());
    Some(clean_line(&value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NESTED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Mine</title></head>
  <body>
    <outline text="News">
      <outline text="World" title="ignored">
        <outline type="rss" text="Example &amp; Co" xmlUrl="https://example.org/feed.xml"/>
      </outline>
      <outline title="Tech" xmlUrl="https://tech.example/rss">
        <outline text="Inside a feed" xmlUrl="https://inner.example/atom"/>
      </outline>
    </outline>
    <outline text="Loose" xmlUrl="http://loose.example/"/>
    <outline text="No feed here"/>
  </body>
</opml>"#;

    #[test]
    fn every_outline_with_an_xml_url_is_a_subscription_with_its_groups() {
        let outlines = parse(NESTED.as_bytes()).unwrap();
        let seen: Vec<(&str, Option<&str>, Vec<&str>)> = (outlines.iter())
            .map(|o| {
                let group = o.group.iter().map(String::as_str).collect();
                (o.url.as_str(), o.title.as_deref(), group)
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "https://example.org/feed.xml",
                    Some("Example & Co"),
                    vec!["News", "World"]
                ),
                ("https://tech.example/rss", Some("Tech"), vec!["News"]),
                (
                    "https://inner.example/atom",
                    Some("Inside a feed"),
                    vec!["News", "Tech"]
                ),
                ("http://loose.example/", Some("Loose"), vec![]),
            ]
        );
    }

    #[test]
    fn opml_is_told_by_its_root_element() {
        assert!(is_opml(NESTED.as_bytes()));
        assert!(!is_opml(b"<rss version=\"2.0\"><channel/></rss>"));
        assert!(!is_opml(b"opml"));
    }

    #[test]
    fn a_broken_document_is_an_error_with_line_and_column() {
        let error = parse(b"<opml>\n<body>\n<outline text=\"a\"></body></opml>").unwrap_err();
        assert!(
            error.starts_with("parse error at line 3, column"),
            "{error}"
        );
        assert!(!error.contains('\n'));
    }

    #[test]
    fn titles_and_groups_are_cleaned() {
        let opml = "<opml><body><outline text=\"G&#x1b;[31m\"><outline text=\"T\u{202E}x\" xmlUrl=\"https://a.example/&#x9b;\"/></outline></body></opml>";
        let outline = &parse(opml.as_bytes()).unwrap()[0];
        assert_eq!(outline.group, ["G\u{FFFD}[31m"]);
        assert_eq!(outline.title.as_deref(), Some("T\u{FFFD}x"));
        assert_eq!(outline.url, "https://a.example/\u{FFFD}");
    }
}
