//! Telling feeds and OPML files by their content: only the start of a document is read.

use quick_xml::events::Event;

/// How much of a document's start is looked at to tell what it is.
const START: usize = 64 * 1024;

/// The start of a document: its byte order mark and leading whitespace skipped.
pub(super) fn document_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bytes = bytes.trim_ascii_start();
    &bytes[..bytes.len().min(START)]
}

/// The local name of an XML document's root element (`RDF` for `rdf:RDF`), when the start
/// holds nothing else before it but the declaration, comments, a doctype and whitespace.
pub(super) fn xml_root(start: &[u8]) -> Option<String> {
    root_element(start).map(|(name, _)| name)
}

/// The `xml:base` of an XML document's root element.
pub(super) fn xml_root_base(start: &[u8]) -> Option<String> {
    root_element(start).and_then(|(_, base)| base)
}

/// The root element's local name and `xml:base`.
fn root_element(start: &[u8]) -> Option<(String, Option<String>)> {
    let mut reader = quick_xml::Reader::from_reader(start);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            Event::Start(tag) | Event::Empty(tag) => {
                let name = tag.local_name().as_ref().to_owned();
                let base = (tag.attributes().flatten())
                    .find(|a| a.key.as_ref() == "xml:base")
                    .map(|a| a.value.trim().to_owned());
                return Some((name, base));
            }
            Event::Decl(_) | Event::Comment(_) | Event::DocType(_) | Event::PI(_) => {}
            Event::Text(text) if text.trim_ascii().is_empty() => {}
            _ => return None,
        }
        buffer.clear();
    }
}

/// The 1-based line and column (in characters) of byte `offset`.
pub(super) fn line_and_column(bytes: &[u8], offset: u64) -> (usize, usize) {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let before = &bytes[..end];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_after_the_declaration_comments_and_a_doctype() {
        let xml = b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE rss>\n<?xml-stylesheet href=\"a\"?>\n<rdf:RDF xmlns:rdf=\"x\"><channel/></rdf:RDF>";
        assert_eq!(xml_root(document_start(xml)).as_deref(), Some("RDF"));
    }

    #[test]
    fn text_before_any_element_is_no_xml_document() {
        assert_eq!(xml_root(b"Headline <b>x</b>"), None);
        assert_eq!(xml_root(b""), None);
    }
}
