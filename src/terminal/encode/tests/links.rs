//! Hyperlinks: what a terminal links each cell to after a frame's bytes, against the frame's
//! links.

use proptest::prelude::*;
use ratatui::style::Style;

use super::super::*;
use super::{buffer_of, cell_strategy, emulated, full};

/// What each cell links to after `bytes`, as a terminal that keeps a link with each cell
/// written (OSC 8) tracks it: written cells take the open link, erased ones lose theirs,
/// scrolled ones keep theirs. Only the sequences the encoder sends are understood; vt100 moves
/// the cursor.
fn linked(bytes: &[u8], area: Rect) -> Vec<Vec<Option<String>>> {
    let (width, height) = (usize::from(area.width), usize::from(area.height));
    let size = |n: u16| std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN);
    let mut parser = vt100::Parser::new(size(area.height), size(area.width), 0);
    let mut cells = vec![vec![None::<String>; width]; height];
    let mut open: Option<String> = None;
    let mut region = (0, height);
    let text = String::from_utf8_lossy(bytes);
    let mut rest = text.as_ref();
    while let Some(c) = rest.chars().next() {
        let (row, column) = parser.screen().cursor_position();
        let (row, column) = (usize::from(row), usize::from(column));
        if let Some(osc) = rest.strip_prefix("\x1b]") {
            let end = osc.find("\x1b\\").expect("an OSC ends with ST");
            let body = &osc[..end];
            if let Some(link) = body.strip_prefix("8;") {
                let (_, target) = link.split_once(';').expect("OSC 8 has parameters");
                open = (!target.is_empty()).then(|| target.to_owned());
            }
            rest = &osc[end + 2..];
            continue;
        }
        if let Some(csi) = rest.strip_prefix("\x1b[") {
            let end = csi
                .find(|c: char| ('@'..='~').contains(&c))
                .expect("a CSI ends");
            let (parameters, last) = (&csi[..end], &csi[end..=end]);
            let number = |default: usize| parameters.parse().unwrap_or(default);
            parser.process(&rest.as_bytes()[..end + 3]);
            // Some terminals link the cells erased to the open link: none is open then.
            assert!(
                open.is_none() || !matches!(last, "X" | "K" | "J"),
                "erased with a link open"
            );
            match last {
                "X" => (column..(column + number(1)).min(width)).for_each(|x| cells[row][x] = None),
                "K" => (column..width).for_each(|x| cells[row][x] = None),
                "J" if parameters == "2" => cells.iter_mut().flatten().for_each(|c| *c = None),
                "r" => {
                    region = match parameters.split_once(';') {
                        Some((top, bottom)) => (
                            top.parse::<usize>().unwrap_or(1) - 1,
                            bottom.parse().unwrap_or(height),
                        ),
                        None => (0, height),
                    }
                }
                "S" | "T" => {
                    let lines = number(1).min(region.1 - region.0);
                    let rows = &mut cells[region.0..region.1];
                    let count = rows.len();
                    if last == "S" {
                        rows.rotate_left(lines);
                        rows[count - lines..].iter_mut().for_each(|r| r.fill(None));
                    } else {
                        rows.rotate_right(lines);
                        rows[..lines].iter_mut().for_each(|r| r.fill(None));
                    }
                }
                _ => {}
            }
            rest = &csi[end + 1..];
            continue;
        }
        parser.process(c.to_string().as_bytes());
        if c >= ' ' && column < width {
            cells[row][column] = open.clone();
        }
        rest = &rest[c.len_utf8()..];
    }
    assert_eq!(open, None, "a frame ends with its link closed");
    cells
}

/// What each cell links to by `links`.
fn expected(links: &[Link], area: Rect) -> Vec<Vec<Option<String>>> {
    let links = links::sorted(links.to_vec(), area);
    (0..area.height)
        .map(|y| {
            let row = links::of_row(&links, y);
            (0..area.width)
                .map(|x| links::target_at(&row, x).map(str::to_owned))
                .collect()
        })
        .collect()
}

/// Whether the terminal's links are the frame's: every character drawn links where the frame
/// says, and no blank links anywhere the frame does not (a blank erased may lose its link).
fn same_links(drawn: &[u8], buffer: &Buffer, links: &[Link]) -> Result<(), String> {
    let area = buffer.area;
    let (shown, wanted) = (linked(drawn, area), expected(links, area));
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let here = cell(buffer, x, y);
            let (is, should) = (
                &shown[usize::from(y)][usize::from(x)],
                &wanted[usize::from(y)][usize::from(x)],
            );
            let blank = symbol(here) == " ";
            if is != should && !(blank && is.is_none()) {
                return Err(format!(
                    "({x}, {y}) {:?} links to {is:?}, not {should:?}",
                    symbol(here)
                ));
            }
            x += cell_width(here).max(1);
        }
    }
    Ok(())
}

fn link(row: u16, columns: (u16, u16), address: &str) -> Link {
    Link::new(row, columns, address).expect("a link")
}

#[test]
fn a_link_is_opened_before_its_text_closed_after_it_and_not_sent_again() {
    let area = Rect::new(0, 0, 40, 3);
    let mut buffer = Buffer::empty(area);
    buffer.set_string(0, 1, "[1] https://example.org/a", Style::default());
    let links = vec![link(1, (4, 25), "https://example.org/a")];
    let mut encoder = Encoder::new(area);
    encoder.set_hyperlinks(true);
    let mut out = Vec::new();
    encoder.encode_frame(&buffer, links.clone(), None, &[], &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let open = text.find("\x1b]8;id=").expect("the link is opened");
    assert!(
        text[open..].contains(";https://example.org/a\x1b\\https://example.org/a\x1b]8;;\x1b\\"),
        "{text:?}"
    );
    assert!(text[..open].ends_with("[1] "), "{text:?}");
    same_links(&out, &buffer, &links).unwrap();
    let mut again = Vec::new();
    encoder.encode_frame(&buffer, links.clone(), None, &[], &mut again);
    assert!(again.is_empty(), "nothing changed, nothing sent");
    // The same text linking nowhere: its cells are drawn again, outside any link.
    encoder.encode_frame(&buffer, Vec::new(), None, &[], &mut again);
    out.extend_from_slice(&again);
    assert!(String::from_utf8_lossy(&again).contains("https://example.org/a"));
    same_links(&out, &buffer, &[]).unwrap();
}

#[test]
fn a_terminal_without_links_gets_none_and_an_address_never_carries_a_control_byte() {
    let area = Rect::new(0, 0, 30, 1);
    let mut buffer = Buffer::empty(area);
    buffer.set_string(0, 0, "see here", Style::default());
    let hostile = link(0, (4, 8), "https://x.example/\x1b]0;owned\x07\u{9b}2J é ok");
    assert_eq!(
        hostile.target(),
        "https://x.example/%1B]0;owned%07%C2%9B2J%20%C3%A9%20ok"
    );
    let mut out = Vec::new();
    Encoder::new(area).encode_frame(&buffer, vec![hostile.clone()], None, &[], &mut out);
    assert!(!String::from_utf8_lossy(&out).contains("\x1b]8"));
    let mut encoder = Encoder::new(area);
    encoder.set_hyperlinks(true);
    out.clear();
    encoder.encode_frame(&buffer, vec![hostile], None, &[], &mut out);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text.matches('\x07').count(), 0, "{text:?}");
    assert_eq!(
        text.matches("\x1b]").count(),
        2,
        "one open, one close: {text:?}"
    );
    assert!(
        Link::new(0, (0, 4), &"a".repeat(3000)).is_none(),
        "too long to keep"
    );
    assert!(Link::new(0, (4, 4), "https://x").is_none(), "no cells");
}

#[test]
fn a_dialog_over_a_link_cuts_it() {
    let dialog = Rect::new(10, 2, 20, 5);
    let cut = |columns: (u16, u16), row: u16| -> Vec<(u16, u16)> {
        (link(row, columns, "https://x").outside(dialog).into_iter())
            .map(|link| link.columns)
            .collect()
    };
    assert_eq!(cut((0, 40), 3), [(0, 10), (30, 40)]);
    assert_eq!(cut((12, 20), 3), []);
    assert_eq!(cut((0, 12), 3), [(0, 10)]);
    assert_eq!(cut((0, 40), 1), [(0, 40)], "above the dialog");
    assert_eq!(cut((30, 40), 3), [(30, 40)], "beside it");
}

/// A frame's links from generated stretches: a row, a start, a length and one of a few
/// addresses.
fn links_of(stretches: &[(u16, u16, u16, u8)]) -> Vec<Link> {
    (stretches.iter())
        .filter_map(|&(row, start, length, address)| {
            Link::new(
                row,
                (start, start + length),
                &format!("https://example.org/{address}"),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the frames, their links and scrolls, the terminal links each character where
    /// the last frame does, and shows the cells a full repaint would.
    #[test]
    fn frames_leave_every_character_linked_as_the_last_frame_says(
        width in 1u16..24,
        height in 1u16..6,
        frames in prop::collection::vec(
            (
                prop::collection::vec(cell_strategy(), 1..30),
                prop::collection::vec((0u16..6, 0u16..24, 1u16..10, 0u8..3), 0..4),
                0u16..6,
                -2i32..3,
                any::<bool>(),
            ),
            1..5,
        ),
    ) {
        let area = Rect::new(0, 0, width, height);
        let mut encoder = Encoder::new(area);
        encoder.set_hyperlinks(true);
        let mut drawn = Vec::new();
        let mut last = (Buffer::empty(area), Vec::new());
        for (cells, stretches, top, lines, moved) in frames {
            let scroll = Scroll { rows: (top.min(height), height), columns: (0, width), lines };
            // Some frames are the last one scrolled, its links moved along.
            let (mut buffer, mut links) = (buffer_of(area, &cells), links_of(&stretches));
            let (top, bottom) = scroll.rows;
            if moved && lines.unsigned_abs() < u32::from(bottom - top) {
                buffer = last.0.clone();
                shift(&mut buffer, scroll);
                links = last.1.clone();
                links::shift(&mut links, scroll.rows, scroll.columns, lines);
            }
            encoder.encode_frame(&buffer, links.clone(), None, &[scroll], &mut drawn);
            last = (buffer, links);
        }
        let (buffer, links) = &last;
        prop_assert_eq!(emulated(&drawn, area), emulated(&full(buffer), area));
        if let Err(wrong) = same_links(&drawn, buffer, links) {
            prop_assert!(false, "{}", wrong);
        }
    }
}
