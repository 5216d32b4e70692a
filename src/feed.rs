//! Feeds: RSS, Atom and JSON Feed documents and OPML lists of them, read from files or fetched
//! over HTTP into a cache that the reader loads from (so it opens at once, online or not).
//!
//! - `parse`: a feed document into articles (`html`: its HTML into blocks); `opml`: an OPML
//!   file into subscriptions.
//! - `fetch`: the HTTP client that brings feeds into the `cache`.

pub mod html;
pub mod opml;
pub mod parse;
mod sniff;

use sniff::{document_start, line_and_column, xml_root, xml_root_base};
pub mod cache;
pub mod fetch;
