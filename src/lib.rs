//! byline: a terminal reader for news article dumps.
//!
//! The modules, from the leaves up; each uses only modules listed before it (there are no
//! import cycles):
//!
//! - [`text`]: the one cleaner every outside string passes before it reaches a terminal, and
//!   I/O errors in words.
//! - [`article`]: the data model (articles, blocks, summaries, problems, the list's orders).
//! - [`mapped`]: files mapped read-only that survive being cut short (SIGBUS repaired).
//! - [`store`]: the loaded articles (summaries kept, bodies parsed when read), the dump format,
//!   its scanner and the index kept of each dump.
//! - [`feed`]: feed documents (RSS, Atom, JSON Feed; feed-rs) into articles, their HTML into
//!   blocks (html5gum's tokenizer), OPML and the `urls` file into subscriptions, fetching them
//!   over HTTP (ureq) into a cache and refreshing them in the background.
//! - [`loader`]: inputs (files, directories, pipes, standard input, compression, JSON, feeds) into a
//!   [`store::Corpus`]; [`reload`] notices changed files and loads them again; [`library`]
//!   does that on a thread of its own and posts what it loaded.
//! - [`search`]: queries, folding and searching a store (on every core, in steps, off the UI
//!   thread through its worker).
//! - [`document`]: an article laid out for the reading pane at a width, lazily.
//! - [`input`]: the user's vocabulary (actions, prompt edits, contexts) and the one keymap of
//!   every context; [`config`]: settings and the configuration file; [`layout`]: the panes.
//! - [`state`]: the reading state in SQLite and the thread that saves it.
//! - [`session`]: one reader's state and every way it changes: `update(msg) -> commands`, no
//!   I/O, no clock. [`ui`] draws a session.
//! - [`terminal`]: the only module that touches a terminal: hosts and their capabilities, the
//!   runtime that sleeps on one queue and carries out commands, signals, the frame writer.
//! - [`serve`]: `byline serve`, the reader over SSH (russh): keys, limits, a host per channel.
//! - [`export`], [`save`], [`manual`], [`cli`]: text out, files out, the man page, `main`'s
//!   command line.

pub mod article;
pub mod cli;
pub mod config;
pub mod document;
pub mod export;
pub mod feed;
pub mod input;
pub mod layout;
pub mod library;
pub mod loader;
pub mod manual;
pub mod mapped;
mod parallel;
pub mod reload;
pub mod save;
pub mod search;
pub mod serve;
pub mod session;
pub mod state;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
