//! A one-line editor for the search prompt, with a bounded history of earlier queries.

use crate::input::Edit;

/// The longest query the prompt accepts, in characters.
pub const MAX_CHARS: usize = 512;
/// How many earlier queries are remembered.
const MAX_HISTORY: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    chars: Vec<char>,
    /// Cursor position in characters.
    cursor: usize,
    history: Vec<String>,
    /// Position in the history while recalling; `history.len()` means the line being typed.
    recall: usize,
    /// The line being typed, kept while recalling.
    draft: Vec<char>,
}

impl Prompt {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// The text before the cursor, for placing the terminal cursor.
    pub fn before_cursor(&self) -> String {
        self.chars[..self.cursor].iter().collect()
    }

    /// Starts a new, empty line.
    pub fn reset(&mut self) {
        self.chars.clear();
        self.cursor = 0;
        self.recall = self.history.len();
    }

    /// Replaces the line with `text`, the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        self.chars = text
            .chars()
            .filter(|&c| !crate::text::is_dropped_from_input(c))
            .take(MAX_CHARS)
            .collect();
        self.cursor = self.chars.len();
    }

    /// Remembers a query for recall; repeating the last query does not add it twice.
    pub fn remember(&mut self, query: &str) {
        if query.trim().is_empty() || self.history.last().is_some_and(|last| last == query) {
            return;
        }
        if self.history.len() == MAX_HISTORY {
            self.history.remove(0);
        }
        self.history.push(query.to_owned());
    }

    /// Applies an edit. Returns whether the text changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let before = self.chars.len();
        match edit {
            Edit::Insert(c)
                if !crate::text::is_dropped_from_input(c) && self.chars.len() < MAX_CHARS =>
            {
                self.chars.insert(self.cursor, c);
                self.cursor += 1;
                return true;
            }
            Edit::Insert(_) => {}
            Edit::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            Edit::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            Edit::Backspace | Edit::Delete => {}
            Edit::DeleteWord => {
                let mut start = self.cursor;
                while start > 0 && self.chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !self.chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                self.chars.drain(start..self.cursor);
                self.cursor = start;
            }
            Edit::DeleteToStart => {
                self.chars.drain(..self.cursor);
                self.cursor = 0;
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.chars.len(),
            Edit::HistoryPrevious | Edit::HistoryNext => {
                return self.recall(edit == Edit::HistoryPrevious);
            }
        }
        // Every remaining edit either removes characters or only moves the cursor.
        self.chars.len() != before
    }

    fn recall(&mut self, older: bool) -> bool {
        let target = if older {
            match self.recall.checked_sub(1) {
                Some(target) => target,
                None => return false,
            }
        } else if self.recall < self.history.len() {
            self.recall + 1
        } else {
            return false;
        };
        if self.recall == self.history.len() {
            self.draft = self.chars.clone();
        }
        self.recall = target;
        self.chars = match self.history.get(target) {
            Some(query) => query.chars().collect(),
            None => self.draft.clone(),
        };
        self.cursor = self.chars.len();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Prompt {
        let mut prompt = Prompt::default();
        text.chars().for_each(|c| {
            prompt.edit(Edit::Insert(c));
        });
        prompt
    }

    #[test]
    fn typing_inserts_at_the_cursor() {
        let mut prompt = typed("helo");
        prompt.edit(Edit::Left);
        prompt.edit(Edit::Insert('l'));
        assert_eq!(prompt.text(), "hello");
        assert_eq!(prompt.before_cursor(), "hell");
    }

    #[test]
    fn backspace_word_and_line_deletion() {
        let mut prompt = typed("one two  three");
        prompt.edit(Edit::DeleteWord);
        assert_eq!(prompt.text(), "one two  ");
        prompt.edit(Edit::DeleteWord);
        assert_eq!(prompt.text(), "one ");
        prompt.edit(Edit::Backspace);
        assert_eq!(prompt.text(), "one");
        prompt.edit(Edit::Home);
        prompt.edit(Edit::Delete);
        assert_eq!(prompt.text(), "ne");
        prompt.edit(Edit::End);
        prompt.edit(Edit::DeleteToStart);
        assert_eq!(prompt.text(), "");
    }

    #[test]
    fn history_recalls_older_queries_and_returns_to_the_draft() {
        let mut prompt = Prompt::default();
        prompt.remember("first");
        prompt.remember("second");
        prompt.remember("second");
        prompt.reset();
        prompt.edit(Edit::Insert('x'));
        assert!(prompt.edit(Edit::HistoryPrevious));
        assert_eq!(prompt.text(), "second");
        prompt.edit(Edit::HistoryPrevious);
        assert_eq!(prompt.text(), "first");
        assert!(!prompt.edit(Edit::HistoryPrevious), "no older query");
        prompt.edit(Edit::HistoryNext);
        prompt.edit(Edit::HistoryNext);
        assert_eq!(prompt.text(), "x");
    }

    #[test]
    fn the_line_and_history_are_bounded() {
        let prompt = typed(&"a".repeat(MAX_CHARS + 50));
        assert_eq!(prompt.text().chars().count(), MAX_CHARS);
        let mut prompt = Prompt::default();
        (0..MAX_HISTORY + 10).for_each(|i| prompt.remember(&i.to_string()));
        assert_eq!(prompt.history.len(), MAX_HISTORY);
        assert_eq!(prompt.history[0], "10");
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_not_typed() {
        let prompt = typed("a\u{1b}b\u{7}\u{202e}c");
        assert_eq!(prompt.text(), "abc");
    }

    #[test]
    fn a_typed_or_pasted_zero_width_joiner_is_dropped_like_the_cleaners_drop_it() {
        let family = "\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(typed(family).text(), "\u{1F469}\u{1F467}");
        let mut pasted = Prompt::default();
        pasted.set_text(family);
        assert_eq!(pasted.text(), "\u{1F469}\u{1F467}");
    }
}
