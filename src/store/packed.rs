//! Summaries packed for archives of a million articles.
//!
//! A [`Part`] holds up to [`PART`] articles: every string of their summaries in one `String`,
//! where each string ends in one array, and a fixed-size row per article. Taking one in from a
//! kept index costs a few copies and one check of the whole string, not an allocation and a
//! check per string; and a part never changes once made, so the stores of successive loads
//! share the parts they have in common ([`Rows`]) instead of copying them: reading on from a
//! dump that grew costs what was appended.

mod pack;
mod part;
mod piece;
mod rows;

pub(crate) use part::IdHasher;
pub use part::{PART, Part};
pub use rows::{Iter, Rows};

#[cfg(test)]
use {
    super::scan::Segment,
    crate::article::Summary,
    piece::{HEADER, ROW, decode},
    std::sync::Arc,
};

#[cfg(test)]
mod tests;
