//! A feed's HTML as article blocks: paragraphs, headings, list items, quotes, preformatted
//! lines, links as numbered references and images as `[image: alt]`. html5gum's tokenizer
//! reads the HTML (entities, broken markup and all) and calls [`Reader`] for each piece, which
//! keeps no token: text goes straight into the block being read, and of a tag only its name and
//! the two attributes looked at (`href`, `alt`) are kept, in buffers reused from tag to tag.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt::Write as _;

use html5gum::{Emitter, Error, State as Lexer, Tokenizer};
use url::Url;

use crate::article::Block;
use crate::text::{clean_indented_line, clean_line};

/// The blocks of `html`, its links resolved against `base` and numbered from 1 in the
/// references that end the blocks.
pub fn to_blocks(html: &str, base: Option<&Url>) -> Vec<Block> {
    let mut state = tokenize(html, base, true);
    state.flush();
    let mut blocks = state.blocks;
    blocks.extend(
        (state.links.into_iter().enumerate())
            .map(|(i, url)| Block::Reference { number: i + 1, url }),
    );
    blocks
}

/// The text of `html` on one line (for a headline or a standfirst): its blocks' texts joined
/// by spaces, with no link numbers.
pub fn to_text(html: &str) -> String {
    let mut state = tokenize(html, None, false);
    state.flush();
    let texts: Vec<&str> = state.blocks.iter().filter_map(Block::text).collect();
    clean_line(&texts.join(" "))
}

fn tokenize(html: &str, base: Option<&Url>, number_links: bool) -> State {
    // A byte order mark at the start is not text.
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    let mut reader = Reader {
        state: State {
            base: base.cloned(),
            number_links,
            ..State::default()
        },
        ..Reader::default()
    };
    // Reading a string cannot fail (its error type has no value), and the emitter never
    // makes a token: every call happens inside `finish`.
    let _ = Tokenizer::new_with_emitter(html, Sink(&mut reader)).finish();
    reader.end_text();
    reader.state
}

/// What a block's text becomes, by the elements it is inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Heading,
    Item,
    Quote,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    /// The text of the block being read, its whitespace already collapsed.
    text: String,
    /// Preformatted text being read, as it is.
    pre: String,
    /// How deep the reader is in each kind of element that shapes blocks.
    pre_depth: usize,
    quote_depth: usize,
    item_depth: usize,
    heading_depth: usize,
    /// Inside a script, style or similar (its name): its text is not shown.
    skipping: Option<&'static [u8]>,
    /// The targets of the links seen so far, in order of first appearance.
    links: Vec<String>,
    /// The target of the link being read.
    open_link: Option<String>,
    base: Option<Url>,
    /// Whether links get numbers (not in a headline's text).
    number_links: bool,
}

/// A tag as the block reader sees it.
struct Tag<'a> {
    start: bool,
    /// Lower case, as the tokenizer gives it.
    name: &'a [u8],
    self_closing: bool,
    href: Option<Cow<'a, str>>,
    alt: Option<Cow<'a, str>>,
}

/// The tag being tokenized, in buffers kept from one tag to the next.
#[derive(Default)]
struct TagBuffer {
    start: bool,
    name: Vec<u8>,
    self_closing: bool,
    /// The attribute being read: its name, and its value when it is one of those kept.
    attribute: Option<Vec<u8>>,
    value: Vec<u8>,
    /// The first `href` and `alt` (a repeated attribute is ignored, as HTML says).
    href: Option<Vec<u8>>,
    alt: Option<Vec<u8>>,
}

impl TagBuffer {
    fn begin(&mut self, start: bool) {
        self.start = start;
        self.name.clear();
        self.self_closing = false;
        self.attribute = None;
        self.value.clear();
        self.href = None;
        self.alt = None;
    }

    /// Whether the value of the attribute being read is kept.
    fn keeps_value(&self) -> bool {
        matches!(self.attribute.as_deref(), Some(b"href" | b"alt"))
    }

    /// Puts the attribute just read on the tag, if it is kept and not there already.
    fn end_attribute(&mut self) {
        let Some(name) = self.attribute.take() else {
            return;
        };
        let slot = match name.as_slice() {
            b"href" => &mut self.href,
            b"alt" => &mut self.alt,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(std::mem::take(&mut self.value));
        }
        self.value.clear();
    }
}

/// What the tokenizer reports to: the block reader, the tag being read, and the name of the
/// last start tag (which ends raw text such as a script's).
#[derive(Default)]
struct Reader {
    state: State,
    tag: TagBuffer,
    last_start: Option<Vec<u8>>,
    /// Text bytes that were not whole UTF-8 characters when they came (the tokenizer cuts text
    /// at ASCII bytes, so this stays empty but for broken input), read at the next tag.
    pending: Vec<u8>,
}

impl Reader {
    fn text(&mut self, bytes: &[u8]) {
        if self.pending.is_empty()
            && let Ok(text) = simdutf8::basic::from_utf8(bytes)
        {
            self.state.characters(text);
            return;
        }
        self.pending.extend_from_slice(bytes);
    }

    /// Reads the pending bytes, invalid UTF-8 replaced.
    fn end_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.state.characters(&String::from_utf8_lossy(&pending));
    }

    fn emit_tag(&mut self) -> Option<Lexer> {
        self.end_text();
        self.tag.end_attribute();
        let buffer = &self.tag;
        if buffer.start {
            let last = self.last_start.get_or_insert_with(Vec::new);
            last.clear();
            last.extend_from_slice(&buffer.name);
        }
        let tag = Tag {
            start: buffer.start,
            name: &buffer.name,
            self_closing: buffer.self_closing,
            href: buffer.href.as_deref().map(String::from_utf8_lossy),
            alt: buffer.alt.as_deref().map(String::from_utf8_lossy),
        };
        self.state.tag(&tag)
    }
}

/// The tokenizer's handle on the [`Reader`].
struct Sink<'a>(&'a mut Reader);

impl Emitter for Sink<'_> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.0.last_start = last_start_tag.map(<[u8]>::to_vec);
    }

    fn emit_eof(&mut self) {
        self.0.end_text();
    }

    fn emit_error(&mut self, _: Error) {}

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    #[inline]
    fn emit_string(&mut self, text: &[u8]) {
        // A NUL in text is dropped (the tokenizer hands it on alone, as it comes; inside a
        // script or a title it is already U+FFFD).
        if text != b"\0" {
            self.0.text(text);
        }
    }

    fn init_start_tag(&mut self) {
        self.0.tag.begin(true);
    }

    fn init_end_tag(&mut self) {
        self.0.tag.begin(false);
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<Lexer> {
        self.0.emit_tag()
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {
        self.0.tag.self_closing = true;
    }

    fn set_force_quirks(&mut self) {}

    #[inline]
    fn push_tag_name(&mut self, name: &[u8]) {
        self.0.tag.name.extend_from_slice(name);
    }

    fn push_comment(&mut self, _: &[u8]) {}

    fn push_doctype_name(&mut self, _: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        self.0.tag.end_attribute();
        self.0.tag.attribute = Some(Vec::new());
    }

    #[inline]
    fn push_attribute_name(&mut self, name: &[u8]) {
        if let Some(attribute) = &mut self.0.tag.attribute {
            attribute.extend_from_slice(name);
        }
    }

    #[inline]
    fn push_attribute_value(&mut self, value: &[u8]) {
        if self.0.tag.keeps_value() {
            self.0.tag.value.extend_from_slice(value);
        }
    }

    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        let tag = &self.0.tag;
        !tag.start && self.0.last_start.as_deref() == Some(tag.name.as_slice())
    }
}

/// Whether an element's start and end end the block before it.
fn is_block_element(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"section"
            | b"article"
            | b"header"
            | b"footer"
            | b"aside"
            | b"nav"
            | b"main"
            | b"figure"
            | b"figcaption"
            | b"table"
            | b"thead"
            | b"tbody"
            | b"tr"
            | b"td"
            | b"th"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"dt"
            | b"dd"
            | b"address"
            | b"details"
            | b"summary"
            | b"caption"
            | b"form"
            | b"fieldset"
            | b"center"
    )
}

/// The element's name if its content is not text to read.
fn skipped_element(name: &[u8]) -> Option<&'static [u8]> {
    const SKIPPED: [&[u8]; 13] = [
        b"script",
        b"style",
        b"template",
        b"noscript",
        b"iframe",
        b"object",
        b"svg",
        b"math",
        b"head",
        b"title",
        b"select",
        b"textarea",
        b"button",
    ];
    SKIPPED.into_iter().find(|skipped| *skipped == name)
}

impl State {
    /// Reads a tag, and says which state the tokenizer goes on in when the content of the
    /// element it starts is raw text.
    fn tag(&mut self, tag: &Tag) -> Option<Lexer> {
        let start = tag.start;
        if let Some(skipped) = self.skipping {
            if !start && skipped == tag.name {
                self.skipping = None;
            }
            return None;
        }
        if let Some(skipped) = skipped_element(tag.name) {
            if start && !tag.self_closing {
                self.skipping = Some(skipped);
                // Their content is not markup: read it as raw text up to the end tag.
                return match skipped {
                    b"script" => Some(Lexer::ScriptData),
                    b"style" | b"noscript" | b"iframe" => Some(Lexer::RawText),
                    b"title" | b"textarea" => Some(Lexer::RcData),
                    _ => None,
                };
            }
            return None;
        }
        match tag.name {
            b"br" if self.pre_depth > 0 => self.pre.push('\n'),
            b"br" => self.flush(),
            b"hr" => {
                self.flush();
                self.blocks.push(Block::Rule);
            }
            b"img" if start => self.image(tag),
            b"a" if start => {
                self.open_link = tag.href.as_deref().and_then(|href| self.resolve(href));
            }
            b"a" => self.close_link(),
            b"pre" => {
                self.flush();
                match start {
                    true => self.pre_depth += 1,
                    false => self.pre_depth = self.pre_depth.saturating_sub(1),
                }
            }
            b"blockquote" | b"li" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => {
                self.flush();
                let depth = match tag.name {
                    b"blockquote" => &mut self.quote_depth,
                    b"li" => &mut self.item_depth,
                    _ => &mut self.heading_depth,
                };
                match (start, tag.self_closing) {
                    (true, false) => *depth += 1,
                    (true, true) => {}
                    (false, _) => *depth = depth.saturating_sub(1),
                }
            }
            name if is_block_element(name) => self.flush(),
            _ => {}
        }
        None
    }

    fn characters(&mut self, text: &str) {
        if self.skipping.is_some() {
            return;
        }
        if self.pre_depth > 0 {
            self.pre.push_str(text);
            return;
        }
        // HTML's whitespace is ASCII's: each run of it becomes one space. The text is cut at
        // line breaks and tabs (which memchr finds fast), and each piece, mostly prose, read
        // on its own: a space after a piece joins the next one.
        let mut at = 0;
        for cut in memchr::memchr3_iter(b'\n', b'\r', b'\t', text.as_bytes()) {
            // The cut is at an ASCII byte: a character boundary.
            self.words(&text[at..cut]);
            self.space();
            at = cut + 1;
        }
        self.words(&text[at..]);
    }

    /// Text with no line break or tab in it, its runs of whitespace as one space.
    fn words(&mut self, text: &str) {
        let bytes = text.as_bytes();
        if single_spaced(bytes) {
            // The common case, prose: at most its ends change (a space before or after the
            // text is one only after other text).
            if bytes.first() == Some(&b' ') {
                self.space();
            }
            self.text.push_str(text.trim_matches(' '));
            if bytes.last() == Some(&b' ') {
                self.space();
            }
            return;
        }
        let mut at = 0;
        while at < bytes.len() {
            let word = bytes[at..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(bytes.len(), |n| at + n);
            // Both ends are at ASCII bytes (or the ends of the text): character boundaries.
            self.text.push_str(&text[at..word]);
            if word == bytes.len() {
                break;
            }
            self.space();
            at = bytes[word..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map_or(bytes.len(), |n| word + n);
        }
    }

    /// A space after the text read so far, unless it is empty or ends in one.
    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    fn image(&mut self, tag: &Tag) {
        let alt = (tag.alt.as_deref())
            .map(|alt| clean_line(&collapse(alt)))
            .unwrap_or_default();
        let label = match alt.is_empty() {
            true => "[image]".to_owned(),
            false => format!("[image: {alt}]"),
        };
        let target = match self.pre_depth > 0 {
            true => &mut self.pre,
            false => &mut self.text,
        };
        if !target.is_empty() && !target.ends_with([' ', '\n']) {
            target.push(' ');
        }
        target.push_str(&label);
    }

    /// Ends a link: its number after its text, `[n]`, the same number for the same target.
    fn close_link(&mut self) {
        let Some(url) = self.open_link.take() else {
            return;
        };
        if !self.number_links {
            return;
        }
        let number = match self.links.iter().position(|u| *u == url) {
            Some(at) => at + 1,
            None => {
                self.links.push(url);
                self.links.len()
            }
        };
        let target = match self.pre_depth > 0 {
            true => &mut self.pre,
            false => &mut self.text,
        };
        let trimmed = target.trim_end_matches(' ').len();
        target.truncate(trimmed);
        // Writing to a String cannot fail.
        let _ = write!(target, "[{number}]");
    }

    /// An absolute `http`, `https` or `mailto` URL for `href`, resolved against the base.
    fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        let url = match &self.base {
            Some(base) => base.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        matches!(url.scheme(), "http" | "https" | "mailto").then(|| clean_line(url.as_str()))
    }

    /// Ends the block being read, if it has text, as a block of the kind it is inside.
    fn flush(&mut self) {
        if !self.pre.is_empty() {
            let pre = std::mem::take(&mut self.pre);
            let lines: Vec<String> = pre.lines().map(clean_indented_line).collect();
            // Blank lines inside the code are kept, those around it not.
            let first = lines.iter().position(|l| !l.is_empty());
            let last = lines.iter().rposition(|l| !l.is_empty());
            if let (Some(first), Some(last)) = (first, last) {
                let lines = lines.into_iter().take(last + 1).skip(first);
                self.blocks.extend(lines.map(|text| Block::Pre { text }));
            }
        }
        // The buffer is kept for the next block: each block's text is allocated once, at its size.
        let text = clean_line(&self.text);
        self.text.clear();
        if text.is_empty() {
            return;
        }
        self.blocks.push(match self.kind() {
            Kind::Heading => Block::Heading { text },
            Kind::Item => Block::Item { text },
            Kind::Quote => Block::Quote { text },
            Kind::Paragraph => Block::Paragraph { text },
        });
    }

    fn kind(&self) -> Kind {
        if self.heading_depth > 0 {
            Kind::Heading
        } else if self.item_depth > 0 {
            Kind::Item
        } else if self.quote_depth > 0 {
            Kind::Quote
        } else {
            Kind::Paragraph
        }
    }
}

/// Whether text's only whitespace is single spaces: one pass over the text, each byte beside the one before it, 64 at a time (which the compiler
/// vectorises).
fn single_spaced(bytes: &[u8]) -> bool {
    let other = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x0c);
    let Some((&first, rest)) = bytes.split_first() else {
        return true;
    };
    // Whitespace other than a space, or a space after a space.
    let wrong = |before: u8, b: u8| other(b) | ((b == b' ') & (before == b' '));
    // Block k of `rest` starts one byte after block k of `bytes`: byte by byte, the one before.
    let pairs = rest.chunks(64).zip(bytes.chunks(64));
    !other(first)
        && !pairs.into_iter().any(|(block, before)| {
            (block.iter().zip(before)).fold(false, |seen, (&b, &p)| seen | wrong(p, b))
        })
}

/// Every run of whitespace as one space.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
