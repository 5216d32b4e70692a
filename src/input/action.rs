//! What a key, a click or the wheel asks of the reader: the vocabulary of the keymap.

/// Every change a user can ask for, whatever key or click asked it.
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
    /// Give the reader the whole screen while reading, or share it again.
    ToggleZoom,
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
    /// Give the terminal back and stop until continued.
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
    /// Edit the line at the prompt (search, command, path, picker filter).
    Prompt(Edit),
    /// Enter at a prompt: keep the query, run the command, save to the path.
    AcceptPrompt,
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
    /// List in the next order: as in the file, most viewed, headline A–Z, newest first (when
    /// articles have dates).
    CycleOrder,
    /// Open the picker of tags and sources.
    OpenTagPicker,
    /// A mouse click at a screen cell.
    Click { column: u16, row: u16 },
    /// The mouse wheel over a screen cell: positive scrolls down.
    Scroll { column: u16, row: u16, lines: i16 },
}

/// A change to the line being typed at a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Type a character at the cursor.
    Insert(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete everything before the cursor.
    DeleteToStart,
    Left,
    Right,
    Home,
    End,
    /// Recall the previous query from the history (in the picker: the row above).
    HistoryPrevious,
    /// Recall the next query from the history, or the line being typed (in the picker: the
    /// row below).
    HistoryNext,
}

/// Where keys go, which decides what they mean: a pane, or what is on top of the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The headline list has the focus.
    List,
    /// The reading pane has the focus.
    Reader,
    /// The search prompt is open.
    Search,
    /// A command or a file name is being typed at the bottom.
    Line,
    /// The picker of tags and sources is open.
    Picker,
    /// The key help is shown.
    Help,
    /// A question waits for an answer.
    Confirm,
}
