//! What the reader asks of the world outside it: the clipboard, a pager, an editor, a shell
//! command, a file. The session only describes the work as an [`Effect`]; the runtime does it
//! (or refuses it, when its host cannot) and reports back with a message.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Command, Overlay, Session};
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
}

impl Effect {
    /// What the host must be able to do for this effect.
    pub fn needs(&self) -> Capability {
        match self {
            Effect::Copy { .. } => Capability::Clipboard,
            Effect::Page(_) | Effect::Edit(_) | Effect::Pipe { .. } => Capability::RunPrograms,
            Effect::Save { .. } => Capability::WriteFiles,
        }
    }
}

/// Something a host may or may not be able to do for its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Stop the reader and give the terminal to the shell (`Ctrl-z`).
    Suspend,
    /// Lend the terminal to another program (pager, editor, pipe).
    RunPrograms,
    /// Write files where the reader runs.
    WriteFiles,
    /// Put text on the reader's clipboard (OSC 52, through the reader's own terminal).
    Clipboard,
    /// Send addresses as hyperlinks (OSC 8): the terminal is on the reader's own machine, where
    /// following a link is safe and terminals that do not know the escape are rare.
    Hyperlinks,
}

impl Capability {
    /// Why a host without this capability refuses, for the status line.
    pub fn refusal(self) -> &'static str {
        match self {
            Capability::Suspend => "Suspending is not possible here",
            Capability::RunPrograms => "Running programs is not possible here",
            Capability::WriteFiles => "Saving files is not possible here",
            Capability::Clipboard => "Copying is not possible here",
            Capability::Hyperlinks => "Links are not sent to this terminal",
        }
    }
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

impl Session {
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

    fn request(&mut self, effect: Effect) {
        self.commands.push(Command::Outside(effect));
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
        self.line.reset();
        self.line.set_text(&proposal);
        self.overlay = Overlay::Line(purpose);
    }

    pub(super) fn accept_line(&mut self) {
        let Overlay::Line(purpose) = std::mem::take(&mut self.overlay) else {
            return;
        };
        let text = self.line.text();
        let Some(article) = self.subject() else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        self.line.remember(&text);
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

    pub(super) fn ask(&mut self, question: Question, message: String) {
        self.overlay = Overlay::Confirm(question);
        self.message = Some(message);
    }

    /// Drops the pending question, if there is one; says whether there was.
    pub(super) fn cancel_question(&mut self) -> bool {
        let asking = matches!(self.overlay, Overlay::Confirm(_));
        if asking {
            self.overlay = Overlay::None;
        }
        asking
    }

    /// Answers the pending question.
    pub(super) fn answer(&mut self, yes: bool) {
        let question = match std::mem::take(&mut self.overlay) {
            Overlay::Confirm(question) => Some(question),
            _ => None,
        };
        match (question, yes) {
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

    /// The line being typed for a command or a path (shown while [`Overlay::Line`] is open).
    pub fn line(&self) -> &super::Prompt {
        &self.line
    }
}
