use proptest::prelude::*;
use ratatui::style::{Modifier, Style};

use super::*;

impl Encoder {
    /// A frame without links.
    fn encode(
        &mut self,
        next: &Buffer,
        cursor: Option<Position>,
        scrolls: &[Scroll],
        out: &mut Vec<u8>,
    ) {
        self.encode_frame(next, Vec::new(), cursor, scrolls, out);
    }
}

/// What a terminal emulator shows after `bytes`: each cell's text and attributes.
fn emulated(bytes: &[u8], area: Rect) -> Vec<String> {
    let size = |n: u16| std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN);
    let mut parser = vt100::Parser::new(size(area.height), size(area.width), 0);
    parser.process(bytes);
    let screen = parser.screen();
    let mut rows = Vec::new();
    for y in 0..area.height {
        let mut row = String::new();
        for x in 0..area.width {
            let Some(cell) = screen.cell(y, x) else {
                continue;
            };
            if cell.is_wide_continuation() {
                continue;
            }
            let text = match cell.contents() {
                "" => " ",
                text => text,
            };
            // A blank shows only its background (and reverse or underline): the rest is moot.
            if text == " " && !cell.inverse() && !cell.underline() {
                row.push_str(&format!(" [{:?}]", cell.bgcolor()));
                continue;
            }
            row.push_str(&format!(
                "{text}[{:?}{:?}{}{}{}{}]",
                cell.fgcolor(),
                cell.bgcolor(),
                u8::from(cell.bold()),
                u8::from(cell.italic()),
                u8::from(cell.underline()),
                u8::from(cell.inverse()),
            ));
        }
        rows.push(row);
    }
    rows
}

/// The bytes of `buffer` drawn on a cleared screen.
fn full(buffer: &Buffer) -> Vec<u8> {
    let mut out = Vec::new();
    Encoder::new(buffer.area).encode(buffer, None, &[], &mut out);
    out
}

/// A pane of text lines, from line `first` on, as the reader shows them.
fn page(area: Rect, first: usize) -> Buffer {
    let mut buffer = Buffer::empty(area);
    for y in 0..area.height.saturating_sub(1) {
        let line = format!(
            "Line {} of the article, with words to fill it",
            first + y as usize
        );
        buffer.set_string(1, y, line, Style::default());
    }
    let status = format!(" {first}/100  reader · 9 unread");
    buffer.set_string(0, area.height - 1, status, Style::default().reversed());
    buffer
}

#[test]
fn a_line_scroll_of_a_full_width_pane_is_a_scroll_and_one_new_line() {
    let area = Rect::new(0, 0, 80, 24);
    let mut encoder = Encoder::new(area);
    let mut out = Vec::new();
    encoder.encode(&page(area, 0), None, &[], &mut out);
    let mut drawn = out.clone();
    out.clear();
    let scroll = Scroll {
        rows: (0, 23),
        columns: (0, 80),
        lines: 1,
    };
    encoder.encode(&page(area, 1), None, &[scroll], &mut out);
    assert!(
        out.len() <= 200,
        "{} bytes: {:?}",
        out.len(),
        String::from_utf8_lossy(&out)
    );
    assert!(String::from_utf8_lossy(&out).contains("\x1b[1;23r\x1b[S"));
    drawn.extend_from_slice(&out);
    assert_eq!(
        emulated(&drawn, area),
        emulated(&full(&page(area, 1)), area)
    );
}

#[test]
fn nothing_changed_sends_nothing_and_a_style_is_not_repeated() {
    let area = Rect::new(0, 0, 20, 2);
    let mut buffer = Buffer::empty(area);
    buffer.set_string(0, 0, "abcdef", Style::default().bold());
    let mut encoder = Encoder::new(area);
    let mut out = Vec::new();
    encoder.encode(&buffer, None, &[], &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    assert_eq!(text.matches("\x1b[1m").count(), 1, "{text:?}");
    assert!(text.starts_with(BEGIN_SYNC) && text.ends_with(END_SYNC));
    out.clear();
    encoder.encode(&buffer, None, &[], &mut out);
    assert!(out.is_empty());
}

/// A cell: often a run of blanks (so that erasing is tried), else letters, box drawing, wide
/// characters and emoji, in some colour and attribute.
fn cell_strategy() -> impl Strategy<Value = (String, u8, u8)> {
    let symbols = prop::sample::select(vec!["a", "b", " ", "x", "é", "│", "漢", "字", "😀", "●"]);
    let blanks = (1usize..16).prop_map(|n| " ".repeat(n));
    let text = prop_oneof![symbols.prop_map(str::to_owned), blanks];
    (text, 0u8..4, 0u8..3)
}

/// A buffer from generated cells: symbols (wide ones too), colours and attributes.
fn buffer_of(area: Rect, cells: &[(String, u8, u8)]) -> Buffer {
    let mut buffer = Buffer::empty(area);
    let colours = [
        Color::Reset,
        Color::Cyan,
        Color::Indexed(208),
        Color::Rgb(1, 2, 3),
    ];
    let mut i = 0;
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let (symbol, colour, attribute) = &cells[i % cells.len()];
            i += 1;
            let style = match attribute {
                0 => Style::default().fg(colours[usize::from(*colour)]),
                1 => Style::default().bg(colours[usize::from(*colour)]).bold(),
                _ => Style::default().reversed().dim(),
            };
            let (drawn_x, _) = buffer.set_stringn(x, y, symbol, usize::from(area.width - x), style);
            x = drawn_x.max(x + 1);
        }
    }
    buffer
}

fn is_blank(cell: &Cell) -> bool {
    symbol(cell) == " " && Pen::of(cell) == Pen::default()
}

/// Makes a buffer what ratatui makes: a wide character is followed by a blank cell, and none
/// starts in the last column.
fn normalise(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let span = cell_width(cell(buffer, x, y)).max(1);
            if x + span > area.width {
                buffer[(x, y)] = Cell::EMPTY;
            } else if span > 1 {
                buffer[(x + 1, y)] = Cell::EMPTY;
            }
            x += span;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the frames, scrolls and cursor, the screen after them is the screen of the last
    /// frame drawn in full.
    #[test]
    fn frames_leave_the_screen_as_a_full_repaint_would(
        width in 1u16..30,
        height in 1u16..7,
        frames in prop::collection::vec(
            (prop::collection::vec(cell_strategy(), 1..40), 0u16..7, 0u16..7, -3i32..4, prop::option::of((0u16..14, 0u16..7))),
            1..5,
        ),
    ) {
        let area = Rect::new(0, 0, width, height);
        let mut encoder = Encoder::new(area);
        let mut drawn = Vec::new();
        let mut last = Buffer::empty(area);
        for (cells, top, length, lines, cursor) in frames {
            let top = top.min(height);
            let scroll = Scroll { rows: (top, (top + length).min(height)), columns: (0, width), lines };
            // Half the frames are the last one scrolled, with new rows where it left gaps.
            let fresh = buffer_of(area, &cells);
            if cells.len() % 2 == 0 {
                let (top, bottom) = scroll.rows;
                let mut moved = last.clone();
                if lines.unsigned_abs() < u32::from(bottom.saturating_sub(top)) {
                    shift(&mut moved, scroll);
                }
                for y in 0..height {
                    for x in 0..width {
                        if is_blank(cell(&moved, x, y)) {
                            moved[(x, y)] = cell(&fresh, x, y).clone();
                        }
                    }
                }
                normalise(&mut moved);
                last = moved;
            } else {
                last = fresh;
            }
            let cursor = cursor.map(|(x, y)| Position::new(x, y));
            encoder.encode(&last, cursor, &[scroll], &mut drawn);
        }
        prop_assert_eq!(emulated(&drawn, area), emulated(&full(&last), area));
    }
}

#[test]
fn a_pane_beside_another_scrolls_by_the_terminal_only_with_margins() {
    let area = Rect::new(0, 0, 80, 24);
    // The reading pane from column 30 on: its text moves, the list beside it does not.
    let frame = |first: usize| {
        let mut buffer = Buffer::empty(area);
        for y in 0..23 {
            buffer.set_string(0, y, format!("headline {y}"), Style::default());
            let line = format!("Line {} of the article", first + y as usize);
            buffer.set_string(30, y, line, Style::default());
        }
        buffer
    };
    let scroll = Scroll {
        rows: (0, 23),
        columns: (30, 80),
        lines: 1,
    };
    for margins in [false, true] {
        let mut encoder = Encoder::new(area);
        encoder.set_margins(margins);
        let mut out = Vec::new();
        encoder.encode(&frame(0), None, &[], &mut out);
        out.clear();
        encoder.encode(&frame(1), None, &[scroll], &mut out);
        let text = String::from_utf8_lossy(&out);
        assert_eq!(
            text.contains("\x1b[31;80s\x1b[S\x1b[s"),
            margins,
            "{text:?}"
        );
        if margins {
            assert!(out.len() <= 120, "{} bytes: {text:?}", out.len());
        }
        // The model of the screen is the new frame either way.
        assert_eq!(encoder.shown, frame(1));
    }
}

#[test]
fn a_row_emptied_of_words_is_erased_in_one_sequence_not_written_as_spaces() {
    let area = Rect::new(0, 0, 80, 3);
    let border = Style::default().fg(Color::DarkGray);
    let mut words = Buffer::empty(area);
    let line = "Paragraph 0: the boats came back one by one, and the harbour master counted";
    words.set_string(1, 1, line, Style::default());
    words.set_string(79, 1, "│", border);
    let mut blank = Buffer::empty(area);
    blank.set_string(79, 1, "│", border);
    let mut encoder = Encoder::new(area);
    let mut drawn = Vec::new();
    encoder.encode(&words, None, &[], &mut drawn);
    let mut out = Vec::new();
    encoder.encode(&blank, None, &[], &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    // The spaces between the old words are blank already: the run is erased across them.
    assert!(text.contains("\x1b[78X"), "{text:?}");
    assert!(out.len() < 40, "{} bytes: {text:?}", out.len());
    drawn.extend_from_slice(&out);
    assert_eq!(emulated(&drawn, area), emulated(&full(&blank), area));
}

#[test]
fn a_blank_between_two_styles_takes_the_pen_at_hand() {
    let area = Rect::new(0, 0, 20, 1);
    let mut buffer = Buffer::empty(area);
    buffer.set_string(0, 0, "bold", Style::default().bold());
    buffer.set_string(6, 0, "dim", Style::default().dim());
    let mut out = Vec::new();
    Encoder::new(area).encode(&buffer, None, &[], &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    // Bold straight to dim: the two blanks between are drawn bold, which looks the same.
    assert!(text.contains("bold  \x1b["), "{text:?}");
    assert_eq!(emulated(&out, area), emulated(&full(&buffer), area));
}

#[test]
fn a_style_change_resets_first_when_that_is_shorter() {
    let pen = |modifier: Modifier, fg: Color| Pen {
        modifier,
        fg,
        ..Pen::default()
    };
    let reversed = pen(Modifier::REVERSED, Color::Reset);
    // Back to the default pen: the empty reset, not the attribute's own end.
    assert_eq!(reversed.changes_to(Pen::default()), "");
    // Reverse and bold to dim: a reset and dim, shorter than ending each.
    let from = pen(Modifier::REVERSED | Modifier::BOLD, Color::Reset);
    assert_eq!(from.changes_to(pen(Modifier::DIM, Color::Reset)), "0;2");
    // Only a colour changes: no reset, which would cost the attributes again.
    let bold = pen(Modifier::BOLD, Color::Cyan);
    assert_eq!(bold.changes_to(pen(Modifier::BOLD, Color::Reset)), "39");
}

#[test]
fn blanks_that_only_change_their_foreground_are_not_drawn() {
    let area = Rect::new(0, 0, 30, 2);
    let mut before = Buffer::empty(area);
    before.set_string(0, 0, "words", Style::default());
    let mut after = before.clone();
    // A widget that styles its whole area gives its blanks a colour nobody sees.
    after.set_style(
        Rect::new(0, 1, 30, 1),
        Style::default().fg(Color::Cyan).dim(),
    );
    let mut encoder = Encoder::new(area);
    let mut out = Vec::new();
    encoder.encode(&before, None, &[], &mut out);
    out.clear();
    encoder.encode(&after, None, &[], &mut out);
    assert!(out.is_empty(), "{:?}", String::from_utf8_lossy(&out));
}

mod links;
