//! A feed's HTML as article blocks: paragraphs, headings, list items, quotes, preformatted
//! lines, links as numbered references and images as `[image: alt]`. html5ever's tokenizer
//! reads the HTML (entities, broken markup and all); only the blocks are worked out here.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{LocalName, local_name};
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
    let sink = Sink(RefCell::new(State {
        base: base.cloned(),
        number_links,
        ..State::default()
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
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
    /// Inside a script, style or similar: its text is not shown.
    skipping: Option<LocalName>,
    /// The targets of the links seen so far, in order of first appearance.
    links: Vec<String>,
    /// The target of the link being read.
    open_link: Option<String>,
    base: Option<Url>,
    /// Whether links get numbers (not in a headline's text).
    number_links: bool,
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => return state.tag(&tag),
            Token::CharacterTokens(text) => state.characters(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Whether an element's start and end end the block before it. (Names are interned atoms:
/// each comparison is of two numbers.)
fn is_block_element(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("aside")
            | local_name!("nav")
            | local_name!("main")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("table")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("address")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("caption")
            | local_name!("form")
            | local_name!("fieldset")
            | local_name!("center")
    )
}

/// Whether an element's content is not text to read.
fn is_skipped_element(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("template")
            | local_name!("noscript")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("svg")
            | local_name!("math")
            | local_name!("head")
            | local_name!("title")
            | local_name!("select")
            | local_name!("textarea")
            | local_name!("button")
    )
}

impl State {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let start = tag.kind == TagKind::StartTag;
        if let Some(skipped) = &self.skipping {
            if !start && *skipped == tag.name {
                self.skipping = None;
            }
            return TokenSinkResult::Continue;
        }
        if is_skipped_element(&tag.name) {
            if start && !tag.self_closing {
                self.skipping = Some(tag.name.clone());
                // Their content is not markup: read it as raw text up to the end tag.
                return match &*tag.name {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "noscript" | "iframe" => TokenSinkResult::RawData(RawKind::Rawtext),
                    "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => TokenSinkResult::Continue,
                };
            }
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        match name {
            "br" if self.pre_depth > 0 => self.pre.push('\n'),
            "br" => self.flush(),
            "hr" => {
                self.flush();
                self.blocks.push(Block::Rule);
            }
            "img" if start => self.image(tag),
            "a" if start => {
                self.open_link = attribute(tag, "href").and_then(|href| self.resolve(href));
            }
            "a" => self.close_link(),
            "pre" => {
                self.flush();
                match start {
                    true => self.pre_depth += 1,
                    false => self.pre_depth = self.pre_depth.saturating_sub(1),
                }
            }
            "blockquote" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let depth = match name {
                    "blockquote" => &mut self.quote_depth,
                    "li" => &mut self.item_depth,
                    _ => &mut self.heading_depth,
                };
                match (start, tag.self_closing) {
                    (true, false) => *depth += 1,
                    (true, true) => {}
                    (false, _) => *depth = depth.saturating_sub(1),
                }
            }
            _ if is_block_element(&tag.name) => self.flush(),
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn characters(&mut self, text: &str) {
        if self.skipping.is_some() {
            return;
        }
        if self.pre_depth > 0 {
            self.pre.push_str(text);
            return;
        }
        // HTML's whitespace is ASCII's: each run of it becomes one space.
        let bytes = text.as_bytes();
        if single_spaced(bytes) {
            // The common case, prose: at most its ends change.
            if bytes.first() == Some(&b' ') {
                self.space();
            }
            self.text.push_str(text.trim_start_matches(' '));
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
        let alt = attribute(tag, "alt")
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
        target.push_str(&format!("[{number}]"));
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
        let text = clean_line(&std::mem::take(&mut self.text));
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

/// Whether text's only whitespace is single spaces, none at its end but perhaps one at its start:
/// a test of 64 bytes at a time that the compiler vectorises.
fn single_spaced(bytes: &[u8]) -> bool {
    let other = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x0c);
    let no_other =
        !(bytes.chunks(64)).any(|block| block.iter().fold(false, |seen, &b| seen | other(b)));
    no_other && bytes.last() != Some(&b' ') && memchr::memmem::find(bytes, b"  ").is_none()
}

/// Every run of whitespace as one space.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attribute<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

#[cfg(test)]
mod tests;
