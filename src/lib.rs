//! byline: a terminal reader for news article dumps.

pub mod app;
pub mod article;
pub mod cli;
pub mod config;
pub mod document;
pub mod export;
pub mod input;
pub mod layout;
pub mod loader;
pub mod manual;
pub mod mapped;
mod parallel;
pub mod reload;
pub mod save;
pub mod search;
pub mod state;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
