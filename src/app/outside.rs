//! What the reader asks of the world outside it: the clipboard, a pager, an editor, a shell
//! command, a file. The app only describes the work as an [`Effect`]; the terminal loop does
//! it and reports back with an action.

use std::path::PathBuf;
use std::sync::Arc;

use super::{App, Mode, Prompt};
use crate::article::Article;
use crate::export;

/// Work for the terminal loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the terminal's clipboard (OSC 52); `what` names it for the message.
    Copy { text: String, what: &'static str },
    /// Show text in `$PAGER`.
    Page(String),
    /// Open a read-only copy of text in `$VISUAL` or `$EDITOR`.
    Edit(String),
    /// Pipe text into a shell command.
    Pipe { command: String, text: String },
    /// Write a file; without `overwrite`, only if it does not exist yet.
    Save {
        path: PathBuf,
        text: String,
        overwrite: bool,
    },
    /// Load the inputs again.
    Reload,
}

/// What a line typed at the bottom is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Pipe,
    Save,
}

/// A question waiting for `y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    MarkAllRead,
    Overwrite(PathBuf),
}

#[derive(Debug, Default)]
pub(super) struct Outside {
    /// The newest effect and its number; the loop does each number once.
    pub effect: Option<(u64, Effect)>,
    made: u64,
    /// The line being typed for a command or a path, and what it is for.
    pub line: Prompt,
    pub purpose: Option<Purpose>,
    pub question: Option<Question>,
}

impl App {
    /// The text of the article that outside actions work on; when its file lost it, `None`
    /// and the status line says so.
    fn subject_text(&mut self) -> Option<Arc<Article>> {
        self.text_of(self.subject()?)
    }

    fn text_of(&mut self, index: usize) -> Option<Arc<Article>> {
        let text = self.store.article(index);
        if text.is_none() {
            self.message = Some(super::reading::GONE.into());
        }
        text
    }

    pub(super) fn request(&mut self, effect: Effect) {
        self.outside.made += 1;
        self.outside.effect = Some((self.outside.made, effect));
    }

    /// The article the outside actions work on: the open one in the reader, else the selected.
    pub(super) fn copy(&mut self, whole: bool) {
        let effect = if whole {
            let Some(article) = self.subject_text() else {
                return;
            };
            Effect::Copy {
                text: export::plain_text(&article),
                what: "article",
            }
        } else {
            // The headline is at hand even when the article's file lost the rest.
            let Some(subject) = self.subject() else {
                return;
            };
            let headline = match self.store.article(subject) {
                Some(article) => article.headline.clone(),
                None => self
                    .store
                    .summary(subject)
                    .map(|s| s.headline.to_owned())
                    .unwrap_or_default(),
            };
            Effect::Copy {
                text: headline,
                what: "headline",
            }
        };
        self.request(effect);
    }

    pub(super) fn open_outside(&mut self, editor: bool) {
        let Some(article) = self.subject_text() else {
            return;
        };
        self.request(if editor {
            Effect::Edit(export::plain_text(&article))
        } else {
            // Wrapped as the reader wraps: the terminal's width, at most the measure.
            let width = self.size.width.min(self.options.settings.layout.measure);
            Effect::Page(export::plain_text_wrapped(&article, usize::from(width)))
        });
    }

    pub(super) fn start_line(&mut self, purpose: Purpose) {
        let Some(article) = self.subject_text() else {
            return;
        };
        let proposal = match purpose {
            Purpose::Pipe => String::new(),
            Purpose::Save => export::slug(&article),
        };
        self.outside.line.reset();
        self.outside.line.set_text(&proposal);
        self.outside.purpose = Some(purpose);
        self.mode = Mode::Input;
    }

    pub(super) fn accept_line(&mut self) {
        self.mode = super::Mode::Normal;
        let text = self.outside.line.text();
        let (Some(purpose), Some(article)) = (self.outside.purpose.take(), self.subject()) else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        self.outside.line.remember(&text);
        let Some(article) = self.text_of(article) else {
            return;
        };
        let effect = match purpose {
            Purpose::Pipe => Effect::Pipe {
                command: text,
                text: export::plain_text(&article),
            },
            Purpose::Save => Effect::Save {
                path: PathBuf::from(text.trim()),
                text: export::markdown(&article),
                overwrite: false,
            },
        };
        self.request(effect);
    }

    pub(super) fn cancel_line(&mut self) {
        self.mode = Mode::Normal;
        self.outside.purpose = None;
    }

    pub(super) fn ask(&mut self, question: Question, message: String) {
        self.outside.question = Some(question);
        self.mode = Mode::Confirm;
        self.message = Some(message);
    }

    /// Drops the pending question, if there is one; says whether there was.
    pub(super) fn cancel_question(&mut self) -> bool {
        if self.mode == Mode::Confirm {
            self.mode = Mode::Normal;
        }
        self.outside.question.take().is_some()
    }

    /// Answers the pending question.
    pub(super) fn answer(&mut self, yes: bool) {
        self.mode = Mode::Normal;
        match (self.outside.question.take(), yes) {
            (Some(Question::MarkAllRead), true) => self.mark_all_read(),
            (Some(Question::Overwrite(path)), true) => {
                if let Some(article) = self.subject_text() {
                    let text = export::markdown(&article);
                    self.request(Effect::Save {
                        path,
                        text,
                        overwrite: true,
                    });
                }
            }
            (Some(Question::MarkAllRead), false) => self.message = Some("Nothing marked".into()),
            (Some(Question::Overwrite(_)), false) => self.message = Some("Not saved".into()),
            (None, _) => {}
        }
    }

    /// The newest piece of outside work and its number.
    pub fn effect(&self) -> Option<&(u64, Effect)> {
        self.outside.effect.as_ref()
    }

    /// The line being typed for a command or a path, and what it is for.
    pub fn line(&self) -> (&Prompt, Option<Purpose>) {
        (&self.outside.line, self.outside.purpose)
    }
}
