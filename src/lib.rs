//! byline: a terminal reader for news article dumps.

pub mod article;
pub mod cli;
pub mod loader;
pub mod text;
