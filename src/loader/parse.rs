//! One input's bytes parsed: a dump indexed and kept, or JSON parsed now, with its warnings.

use super::index::{DumpIndex, Identity};
use super::read::NOT_TEXT;
use super::{KnownFile, dump, json, plural};
use crate::feed;
use crate::store::{Bytes, Store};
use crate::text;

/// Loads one input's bytes, choosing the format by content (and the extension as a hint). A
/// dump keeps its bytes, and its articles are parsed when they are read; other input is
/// parsed now.
pub fn parse_kept(
    name: &str,
    bytes: Bytes,
    extension: Option<&str>,
    mut file: Option<KnownFile<'_>>,
) -> Result<Loaded, String> {
    let (identity, known) = match file.as_mut() {
        Some(file) => (file.identity, file.index.take()),
        None => (Identity::default(), None),
    };
    let known_identity = known.as_ref().map(|k| k.identity);
    if feed::parse::is_feed(&bytes) {
        return parse_feed(name, &bytes);
    }
    let index = match is_json(&bytes, extension) {
        true => None,
        false => DumpIndex::update(&bytes, identity, known),
    };
    let Some(index) = index else {
        return parse_bytes(name, &bytes, extension);
    };
    if index.rows.is_empty() {
        return Err(format!("{name}: no articles found"));
    }
    let mut warnings = Vec::new();
    if index.invalid_utf8 > 0 {
        warnings.push(invalid_warning(name, index.invalid_utf8));
    }
    if index.empty_segments > 0 {
        warnings.push(empty_warning(name, index.empty_segments));
    }
    let path = match file {
        Some(file) => {
            // Kept for the next start; a cache that cannot be written only costs that.
            if let Some(dir) = file
                .cache_dir
                .filter(|_| index.worth_keeping(known_identity))
            {
                let _ = index.write(dir, &file.path);
            }
            Some(file.path)
        }
        None => None,
    };
    // What the scan read is not needed until an article is read.
    if let Bytes::Mapped(mapped) = &bytes {
        mapped.release(0..mapped.len());
    }
    let duplicates = Some(index.duplicates.clone());
    let store = Store::from_index(bytes, index, path);
    Ok(Loaded {
        store,
        warnings,
        duplicates,
    })
}

/// Whether input is JSON (else a dump), by its extension or else by how it starts: only the
/// start is decoded, so that telling costs nothing for a large dump.
fn is_json(bytes: &[u8], extension: Option<&str>) -> bool {
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("json" | "jsonl" | "ndjson") => true,
        Some("txt") => false,
        _ => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let blank = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let start = &bytes[blank..bytes.len().min(blank + 64 * 1024)];
            json::looks_like_json(&String::from_utf8_lossy(start))
        }
    }
}

fn invalid_warning(name: &str, invalid: usize) -> String {
    let s = plural(invalid);
    format!("{name}: {invalid} invalid UTF-8 sequence{s} replaced with �")
}

fn empty_warning(name: &str, empty: usize) -> String {
    format!("{name}: skipped {empty} empty article{}", plural(empty))
}

/// Parses one input's bytes, choosing the format by content (and the extension as a hint).
pub fn parse_bytes(name: &str, bytes: &[u8], extension: Option<&str>) -> Result<Loaded, String> {
    if feed::parse::is_feed(bytes) {
        return parse_feed(name, bytes);
    }
    let Some((text, invalid)) = text::decode(bytes) else {
        return Err(format!("{name}: {NOT_TEXT}"));
    };
    let mut warnings = Vec::new();
    if invalid > 0 {
        warnings.push(invalid_warning(name, invalid));
    }
    let articles = if is_json(text.as_bytes(), extension) {
        json::parse(&text).map_err(|e| format!("{name}: {e}"))?
    } else {
        let parsed = dump::parse(&text);
        if parsed.empty_segments > 0 && !parsed.articles.is_empty() {
            warnings.push(empty_warning(name, parsed.empty_segments));
        }
        parsed.articles
    };
    if articles.is_empty() {
        return Err(format!("{name}: no articles found"));
    }
    let store = Store::from_articles(articles);
    Ok(Loaded {
        store,
        warnings,
        duplicates: None,
    })
}

/// A feed document's entries (feed-rs reads its encoding from the document itself).
fn parse_feed(name: &str, bytes: &[u8]) -> Result<Loaded, String> {
    let parsed = feed::parse::parse(bytes, name).map_err(|e| format!("{name}: {e}"))?;
    if parsed.articles.is_empty() {
        return Err(format!("{name}: no articles found"));
    }
    Ok(Loaded {
        store: Store::from_articles(parsed.articles),
        warnings: Vec::new(),
        duplicates: None,
    })
}

/// The articles of one input and what was replaced or skipped on the way.
#[derive(Debug)]
pub struct Loaded {
    pub store: Store,
    pub warnings: Vec<String>,
    /// The articles of `store` that repeat an earlier one, in increasing order, when they are
    /// known (a dump's index keeps them).
    pub duplicates: Option<Vec<usize>>,
}
