//! Frames into bytes, as few as a slow link needs: only the cells that changed, the shortest
//! cursor moves, no style the terminal already has, erase-to-end-of-line for blank ends, the
//! terminal's own scrolling for a pane that moved by whole lines, and every frame wrapped in a
//! synchronized update (DEC 2026) so that no half frame is ever shown.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use ratatui::style::Color;

pub use links::Link;
use pen::{Pen, SHOWN_ON_BLANKS};

mod links;
mod moves;
mod pen;
use unicode_width::UnicodeWidthStr;

/// Begin and end a synchronized update (terminals that do not know it ignore it).
const BEGIN_SYNC: &str = "\x1b[?2026h";
const END_SYNC: &str = "\x1b[?2026l";
/// What a scroll costs beyond the cells it saves: the margins set and reset, the scroll.
const SCROLL_COST: usize = 16;
/// The fewest blanks inside a row erased (ECH and a move) rather than written.
const MIN_ERASE: u16 = 9;
/// A pane of the screen that moved by whole lines since the last frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    /// The first row and the row after the last.
    pub rows: (u16, u16),
    /// The first column and the column after the last: the terminal scrolls less than the full
    /// width only when it has left and right margins.
    pub columns: (u16, u16),
    /// How far the content moved up (negative: down), in lines.
    pub lines: i32,
}

/// What the terminal shows, as far as the bytes sent so far tell, and the encoder of the next
/// frame against it.
#[derive(Debug)]
pub struct Encoder {
    shown: Buffer,
    /// Where the cursor is (`None`: not known, the next move is absolute).
    cursor: Option<(u16, u16)>,
    /// Whether every character written on the cursor's row since it was placed has a width all
    /// terminals agree on; if not, its column is found again from the row's start.
    column_sure: bool,
    pen: Pen,
    cursor_visible: bool,
    /// Whether the terminal has left and right margins, turned on (DECLRMM).
    margins: bool,
    /// Whether links are sent (OSC 8); if not, a frame's links are left out.
    hyperlinks: bool,
    /// The links the terminal shows, in order of rows and columns.
    links: Vec<Link>,
    /// The link the cells written now go to (one opened and not yet closed).
    link: Option<String>,
}

impl Encoder {
    /// An encoder for a screen of `area` that was just cleared, its cursor hidden.
    pub fn new(area: Rect) -> Encoder {
        Encoder {
            shown: Buffer::empty(area),
            cursor: None,
            column_sure: true,
            pen: Pen::default(),
            cursor_visible: false,
            margins: false,
            hyperlinks: false,
            links: Vec::new(),
            link: None,
        }
    }

    /// Whether left and right margins are on, so a pane beside another can be scrolled.
    pub fn margins(&self) -> bool {
        self.margins
    }

    pub fn set_margins(&mut self, on: bool) {
        self.margins = on;
    }

    /// Whether frames send their links (OSC 8): on terminals that show them.
    pub fn set_hyperlinks(&mut self, on: bool) {
        self.hyperlinks = on;
    }

    /// After the screen was cleared (and perhaps resized) with the cursor hidden and the
    /// colours reset: the next frame draws everything.
    pub fn cleared(&mut self, area: Rect) {
        *self = Encoder {
            margins: self.margins,
            hyperlinks: self.hyperlinks,
            ..Encoder::new(area)
        };
    }

    /// After the screen was cleared at its size, the cursor hidden and the colours reset.
    pub fn forget(&mut self) {
        self.cleared(self.shown.area);
    }

    /// Appends the bytes that turn what is shown into `next` with its `links`, with the cursor
    /// at `cursor` (hidden when `None`), using the terminal's scrolling for `scrolls` where it
    /// saves bytes.
    pub fn encode_frame(
        &mut self,
        next: &Buffer,
        links: Vec<Link>,
        cursor: Option<Position>,
        scrolls: &[Scroll],
        out: &mut Vec<u8>,
    ) {
        if next.area != self.shown.area {
            self.cleared(next.area);
            out.extend_from_slice(b"\x1b[0m\x1b[2J");
        }
        let links = match self.hyperlinks {
            true => links::sorted(links, next.area),
            false => Vec::new(),
        };
        let mut text = String::new();
        for &scroll in scrolls {
            self.scroll_if_cheaper(next, scroll, &mut text);
        }
        for y in 0..next.area.height {
            self.row(next, &links, y, &mut text);
        }
        self.set_link(None, &mut text);
        self.links = links;
        match cursor.filter(|p| next.area.contains(*p)) {
            Some(position) => {
                self.move_to(position.x, position.y, &mut text);
                if !self.cursor_visible {
                    text.push_str("\x1b[?25h");
                    self.cursor_visible = true;
                }
            }
            None if self.cursor_visible => {
                text.push_str("\x1b[?25l");
                self.cursor_visible = false;
            }
            None => {}
        }
        if !text.is_empty() {
            out.extend_from_slice(BEGIN_SYNC.as_bytes());
            out.extend_from_slice(text.as_bytes());
            out.extend_from_slice(END_SYNC.as_bytes());
        }
    }

    /// Scrolls rows by the terminal when that leaves fewer cells to draw than drawing them.
    fn scroll_if_cheaper(&mut self, next: &Buffer, scroll: Scroll, text: &mut String) {
        let (top, bottom) = scroll.rows;
        let (left, right) = scroll.columns;
        let height = bottom.saturating_sub(top);
        let lines = scroll.lines.unsigned_abs();
        let full_width = left == 0 && right == next.area.width;
        if bottom > next.area.height
            || right > next.area.width
            || left >= right
            || scroll.lines == 0
            || lines >= u32::from(height)
            || !(full_width || self.margins)
        {
            return;
        }
        let mut moved = self.shown.clone();
        shift(&mut moved, scroll);
        let now = changed_cells(&self.shown, next, top, bottom);
        let after = changed_cells(&moved, next, top, bottom);
        if after + SCROLL_COST >= now {
            return;
        }
        let mut moved_links = self.links.clone();
        if !links::shift(&mut moved_links, scroll.rows, scroll.columns, scroll.lines) {
            return;
        }
        self.links = moved_links;
        // Lines scrolled in take the pen's background: make it the default first.
        self.set_pen(Pen::default(), text);
        let (direction, count) = if scroll.lines > 0 {
            ('S', lines)
        } else {
            ('T', lines)
        };
        let _ = write!(text, "\x1b[{};{}r", top + 1, bottom);
        if !full_width {
            let _ = write!(text, "\x1b[{};{}s", left + 1, right);
        }
        // A count of one is the default: left out.
        let _ = match count {
            1 => write!(text, "\x1b[{direction}"),
            _ => write!(text, "\x1b[{count}{direction}"),
        };
        if !full_width {
            text.push_str("\x1b[s");
        }
        text.push_str("\x1b[r");
        // Setting the margins puts the cursor home.
        self.cursor = Some((0, 0));
        self.shown = moved;
    }

    /// Draws what changed in row `y`, whose links are among `links`.
    fn row(&mut self, next: &Buffer, links: &[Link], y: u16, text: &mut String) {
        let width = next.area.width;
        let links = links::of_row(links, y);
        if links.is_empty()
            && links::of_row(&self.links, y).is_empty()
            && same_row(&self.shown, next, y)
        {
            return;
        }
        let dirty = self.dirty_columns(next, &links, y);
        let Some(first) = dirty.iter().position(|&d| d) else {
            return;
        };
        // A blank end of the row that changed is erased in one sequence.
        let mut blank_from = (0..width)
            .rev()
            .take_while(|&x| erasable(cell(next, x, y)))
            .last()
            .unwrap_or(width);
        // The blank after a wide character is its right half, not free to erase.
        if blank_from > 0 && cell_width(cell(next, blank_from - 1, y)) > 1 {
            blank_from += 1;
        }
        let erase = blank_from < width
            && dirty[usize::from(blank_from)..]
                .iter()
                .filter(|&&d| d)
                .count()
                > 3;
        let end = if erase { blank_from } else { width };
        let mut x = first as u16;
        while x < end {
            let here = cell(next, x, y);
            let span = cell_width(here);
            if !dirty[usize::from(x)] {
                let Some(gap_end) = (x..end).find(|&g| dirty[usize::from(g)]) else {
                    break;
                };
                self.step_over(next, &links, (x, gap_end), y, text);
                x = gap_end;
                continue;
            }
            // A run of blanks, counted across the blanks that did not change (the spaces between
            // old words): erasing those again changes nothing.
            let blanks = (x..end).take_while(|&b| erasable(cell(next, b, y))).count() as u16;
            let changed = dirty[usize::from(x)..usize::from(x + blanks)]
                .iter()
                .filter(|&&d| d)
                .count();
            if changed >= usize::from(MIN_ERASE) {
                // Blanks inside the row: erased where the cursor is, then stepped over.
                self.move_to(x, y, text);
                self.set_link(None, text);
                self.set_pen(self.pen.for_erasing(), text);
                let _ = write!(text, "\x1b[{blanks}X");
                x += blanks;
                continue;
            }
            if span > 1 && x + span > width {
                // A wide character cut by the edge: the terminal would wrap it; draw a blank.
                self.move_to(x, y, text);
                self.set_link(links::target_at(&links, x), text);
                self.set_pen(Pen::of(here), text);
                text.push(' ');
                self.advance(1, width);
                x += 1;
                continue;
            }
            self.move_to(x, y, text);
            self.set_link(links::target_at(&links, x), text);
            // A blank is drawn with the pen at hand when that pen erases: it looks the same.
            if !(erasable(here) && self.pen == self.pen.for_erasing()) {
                self.set_pen(Pen::of(here), text);
            }
            text.push_str(symbol(here));
            self.advance(span, width);
            self.column_sure &= agreed_width(symbol(here));
            x += span.max(1);
        }
        if erase {
            self.move_to(blank_from, y, text);
            self.set_link(None, text);
            self.set_pen(self.pen.for_erasing(), text);
            text.push_str("\x1b[K");
        }
        copy_row(&mut self.shown, next, y);
    }

    /// Gets the cursor past unchanged cells `from..to` of row `y` on the way to the next changed
    /// one: by writing them again when that is shorter than a move (same look, plain width).
    fn step_over(
        &mut self,
        next: &Buffer,
        links: &[&Link],
        (from, to): (u16, u16),
        y: u16,
        text: &mut String,
    ) {
        let open = self.link.as_deref();
        if self.cursor != Some((from, y))
            || !self.column_sure
            || (from..to).any(|x| links::target_at(links, x) != open)
        {
            return;
        }
        let cells: Vec<&Cell> = (from..to).map(|x| cell(next, x, y)).collect();
        // A blank looks the same written with any pen that erases: no background, nothing shown.
        let erasing = self.pen == self.pen.for_erasing();
        let plain = cells.iter().all(|c| {
            (Pen::of(c) == self.pen || erasing && erasable(c))
                && cell_width(c) == 1
                && agreed_width(symbol(c))
        });
        let again: usize = cells.iter().map(|c| symbol(c).len()).sum();
        if plain && again < moves::horizontal(from, to).len() {
            cells.iter().for_each(|c| text.push_str(symbol(c)));
            self.cursor = Some((to, y));
        }
    }

    /// Which columns of row `y` must be drawn: those that differ, widened so that a wide
    /// character, old or new, is drawn or overdrawn whole.
    fn dirty_columns(&self, next: &Buffer, links: &[&Link], y: u16) -> Vec<bool> {
        let width = next.area.width;
        let shown_links = links::of_row(&self.links, y);
        let linked = !(links.is_empty() && shown_links.is_empty());
        let mut dirty: Vec<bool> = (0..width)
            .map(|x| {
                !looks_alike(cell(&self.shown, x, y), cell(next, x, y))
                    || linked && links::target_at(&shown_links, x) != links::target_at(links, x)
            })
            .collect();
        if !dirty.iter().any(|&d| d) {
            return dirty;
        }
        for buffer in [&self.shown, next] {
            let mut x = 0;
            while x < width {
                let span = cell_width(cell(buffer, x, y)).max(1);
                let end = (x + span).min(width);
                let range = usize::from(x)..usize::from(end);
                if span > 1 && dirty[range.clone()].iter().any(|&d| d) {
                    dirty[range].iter_mut().for_each(|d| *d = true);
                }
                x = end;
            }
        }
        dirty
    }

    /// The cursor moved `span` columns by writing; at the right edge it waits to wrap (column
    /// `width`), which terminals treat differently until a carriage return ends it.
    fn advance(&mut self, span: u16, width: u16) {
        self.cursor = self.cursor.map(|(x, y)| ((x + span).min(width), y));
    }

    /// Moves the cursor by the shortest sequence.
    fn move_to(&mut self, x: u16, y: u16, text: &mut String) {
        let best = match self.cursor {
            // Waiting to wrap: a carriage return first, which every terminal takes the same way.
            Some((cx, cy)) if cx >= self.shown.area.width => {
                let after_return = format!("\r{}", moves::shortest(Some((0, cy)), (x, y)));
                let absolute = moves::shortest(None, (x, y));
                if after_return.len() < absolute.len() {
                    after_return
                } else {
                    absolute
                }
            }
            // Back to the row's start: a column reached from there is sure again.
            Some((_, cy)) if !self.column_sure => moves::shortest(Some((u16::MAX, cy)), (x, y)),
            cursor => moves::shortest(cursor, (x, y)),
        };
        text.push_str(&best);
        self.cursor = Some((x, y));
        self.column_sure = true;
    }

    /// Makes the cells written next link to `target` (nowhere: `None`), if they do not yet.
    fn set_link(&mut self, target: Option<&str>, text: &mut String) {
        if self.link.as_deref() == target {
            return;
        }
        match target {
            Some(target) => links::open(target, text),
            None => text.push_str(links::CLOSE),
        }
        self.link = target.map(str::to_owned);
    }

    /// Changes the colours and attributes, sending only what differs.
    fn set_pen(&mut self, pen: Pen, text: &mut String) {
        if pen == self.pen {
            return;
        }
        let _ = write!(text, "\x1b[{}m", self.pen.changes_to(pen));
        self.pen = pen;
    }
}

/// Whether terminals agree on the width of `symbol`: one character of ASCII, Latin, Greek,
/// Cyrillic, punctuation, currency, letterlike symbols, arrows, box drawing and shapes (one
/// column), or kana, CJK ideographs, Hangul and fullwidth forms (two). Emoji, combining marks,
/// U+FFFD and the like are drawn at different widths by different terminals.
fn agreed_width(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(c,
        ' '..='~'
        | '\u{a0}'..='\u{ac}'
        | '\u{ae}'..='\u{2ff}'
        | '\u{370}'..='\u{482}'
        | '\u{48a}'..='\u{52f}'
        | '\u{1e00}'..='\u{1fff}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205e}'
        | '\u{20a0}'..='\u{20c0}'
        | '\u{2100}'..='\u{214f}'
        | '\u{2190}'..='\u{21ff}'
        | '\u{2500}'..='\u{25ff}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309b}'..='\u{30ff}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{ff01}'..='\u{ff60}')
}

fn cell(buffer: &Buffer, x: u16, y: u16) -> &Cell {
    let area = buffer.area;
    &buffer.content[usize::from(y) * usize::from(area.width) + usize::from(x)]
}

fn symbol(cell: &Cell) -> &str {
    match cell.symbol() {
        "" => " ",
        symbol => symbol,
    }
}

fn cell_width(cell: &Cell) -> u16 {
    match symbol(cell) {
        // Printable ASCII, most of any screen, without asking Unicode.
        one if one.len() == 1 && one.as_bytes()[0].is_ascii_graphic() => 1,
        symbol => u16::try_from(symbol.width()).unwrap_or(1),
    }
}

/// Whether erasing draws `cell`: a space on the default background, nothing on it that shows.
fn erasable(cell: &Cell) -> bool {
    symbol(cell) == " " && cell.bg == Color::Reset && !cell.modifier.intersects(SHOWN_ON_BLANKS)
}

/// Whether two cells look the same: equal, or both blanks that erasing draws (a blank's
/// foreground, bold, dim or italic do not show).
fn looks_alike(a: &Cell, b: &Cell) -> bool {
    a == b || erasable(a) && erasable(b)
}

/// Whether row `y` is the same in both buffers, cell for cell.
fn same_row(a: &Buffer, b: &Buffer, y: u16) -> bool {
    let width = usize::from(a.area.width);
    let range = usize::from(y) * width..(usize::from(y) + 1) * width;
    a.content[range.clone()] == b.content[range]
}

fn copy_row(to: &mut Buffer, from: &Buffer, y: u16) {
    let width = usize::from(from.area.width);
    let start = usize::from(y) * width;
    to.content[start..start + width].clone_from_slice(&from.content[start..start + width]);
}

/// Moves the pane `scroll` names up by its lines (down when negative), as the terminal does:
/// blank lines come in.
fn shift(buffer: &mut Buffer, scroll: Scroll) {
    let ((top, bottom), (left, right)) = (scroll.rows, scroll.columns);
    let lines = scroll.lines.unsigned_abs() as usize;
    let width = usize::from(buffer.area.width);
    let at = |y: u16| usize::from(y) * width;
    let rows: Vec<u16> = if scroll.lines > 0 {
        (top..bottom).collect()
    } else {
        (top..bottom).rev().collect()
    };
    for (n, &y) in rows.iter().enumerate() {
        let from = rows.get(n + lines).copied();
        for x in usize::from(left)..usize::from(right) {
            buffer.content[at(y) + x] = match from {
                Some(from) => buffer.content[at(from) + x].clone(),
                None => Cell::EMPTY,
            };
        }
    }
}

/// How many cells of rows `top..bottom` differ between two buffers.
fn changed_cells(a: &Buffer, b: &Buffer, top: u16, bottom: u16) -> usize {
    let width = usize::from(a.area.width);
    let range = usize::from(top) * width..usize::from(bottom) * width;
    (a.content[range.clone()].iter())
        .zip(&b.content[range])
        .filter(|(x, y)| x != y)
        .count()
}

#[cfg(test)]
mod tests;
