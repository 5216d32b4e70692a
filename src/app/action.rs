//! Everything that can happen to the reader, as one enum.

use super::prompt;
use crate::search::background::Answer;

/// Every change the reader can make, whatever key, click or signal triggered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Next article in the list; one line further in the reader.
    Down,
    /// Previous article in the list; one line back in the reader.
    Up,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// A full page down.
    PageDown,
    /// A full page up.
    PageUp,
    /// First article, or the top of the article.
    Top,
    /// Last article, or the end of the article.
    Bottom,
    /// Open the selected article and read it.
    Open,
    /// In the list, open the selected article; in the reader, page down and then go on to the
    /// next article.
    Advance,
    /// In the list, clear the filter; in the reader, go back to the list.
    Back,
    /// Move the focus to the other pane.
    ToggleFocus,
    /// Open the next article without leaving the reader.
    NextArticle,
    /// Open the previous article without leaving the reader.
    PreviousArticle,
    /// Open the search prompt.
    StartSearch,
    /// Go to the next search match.
    NextMatch,
    /// Go to the previous search match.
    PreviousMatch,
    /// Show the key help.
    ShowHelp,
    /// Close the key help.
    CloseHelp,
    /// Scroll the key help by lines (down when positive).
    ScrollHelp(i16),
    /// In the list, quit; in the reader, go back to the list.
    Quit,
    /// Quit from anywhere.
    ForceQuit,
    /// Give the terminal back and stop until continued (the terminal loop does the stopping).
    Suspend,
    /// Mark the selected article read, or unread if it was read.
    ToggleRead,
    /// Ask to mark every listed article read.
    MarkAllRead,
    /// Answer the pending question: yes or no.
    Confirm(bool),
    /// Star the selected article, or unstar it.
    ToggleStar,
    /// List only unread articles, or all again.
    ToggleUnreadOnly,
    /// List only starred articles, or all again.
    ToggleStarredOnly,
    /// Show a message in the status line.
    Notify(String),
    /// Have searches answered by a worker thread from now on.
    SearchInBackground,
    /// A worker's answer to a search.
    SearchAnswered(Answer),
    /// Edit the search prompt.
    Prompt(prompt::Edit),
    /// Enter at a prompt: keep the query, run the command, save to the path.
    AcceptPrompt,
    /// Filter the list by a query, as if it had been typed at the prompt and kept.
    Filter(String),
    /// Esc at a prompt: drop what was typed (a search restores the list as it was).
    CancelPrompt,
    /// Copy the selected headline to the clipboard.
    CopyHeadline,
    /// Copy the whole article to the clipboard as plain text.
    CopyArticle,
    /// Show the article in the pager.
    OpenInPager,
    /// Open a read-only copy of the article in the editor.
    OpenInEditor,
    /// Ask for a shell command to pipe the article into.
    StartPipe,
    /// Ask where to save the article as Markdown.
    StartSave,
    /// Load the inputs again.
    Reload,
    /// The inputs as loaded again (by the loop, on a change on disk or a reload).
    Reloaded(Box<crate::store::Corpus>),
    /// List in the next order: as in the file, most viewed, headline A–Z.
    CycleOrder,
    /// Open the picker of tags and sources.
    OpenTagPicker,
    /// The file to save to exists: ask before overwriting it.
    AskOverwrite(std::path::PathBuf),
    /// A mouse click at a screen cell.
    Click { column: u16, row: u16 },
    /// The mouse wheel over a screen cell: positive scrolls down.
    Scroll { column: u16, row: u16, lines: i16 },
    /// The terminal has a new size.
    Resize { width: u16, height: u16 },
    /// The selection has rested: show the selected article in the reading pane, unread.
    Preview,
}
