//! Hyperlinks (OSC 8): the stretches of a frame's rows that link somewhere, as the reader pane
//! draws its references, and the escapes that open and close them.

use std::fmt::Write as _;

use ratatui::layout::Rect;

/// The longest address sent, encoded: terminals drop longer ones (VTE keeps 2,083 bytes).
const MAX_TARGET: usize = 2048;
/// Ends the link being drawn: the cells written after it link nowhere.
pub(super) const CLOSE: &str = "\x1b]8;;\x1b\\";

/// Columns `columns.0..columns.1` of `row` link to `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub row: u16,
    pub columns: (u16, u16),
    /// The address as sent: printable ASCII only, every other byte percent-encoded, so no
    /// control byte from an article ever reaches the terminal inside the escape.
    target: String,
}

impl Link {
    /// A link from `columns` of `row` to `address`; none for an empty stretch or an address too
    /// long for terminals to keep.
    pub fn new(row: u16, columns: (u16, u16), address: &str) -> Option<Link> {
        let mut target = String::with_capacity(address.len());
        for byte in address.bytes() {
            if byte.is_ascii_graphic() {
                target.push(char::from(byte));
            } else {
                let _ = write!(target, "%{byte:02X}");
            }
        }
        (columns.0 < columns.1 && !target.is_empty() && target.len() <= MAX_TARGET).then_some(
            Link {
                row,
                columns,
                target,
            },
        )
    }

    pub fn target(&self) -> &str {
        &self.target
    }

    fn holds(&self, x: u16) -> bool {
        (self.columns.0..self.columns.1).contains(&x)
    }

    /// What is left of the link outside `area` (drawn over it, by a dialog): none, one or two
    /// stretches.
    pub fn outside(self, area: Rect) -> Vec<Link> {
        let (start, end) = self.columns;
        if !(area.top()..area.bottom()).contains(&self.row)
            || end <= area.left()
            || start >= area.right()
        {
            return vec![self];
        }
        [(start, area.left()), (area.right(), end)]
            .into_iter()
            .filter(|(from, to)| from < to)
            .map(|columns| Link {
                columns,
                ..self.clone()
            })
            .collect()
    }
}

/// The links of `row` among `links`.
pub(super) fn of_row(links: &[Link], row: u16) -> Vec<&Link> {
    links.iter().filter(|link| link.row == row).collect()
}

/// Where column `x` of a row whose links are `row` links to.
pub(super) fn target_at<'a>(row: &[&'a Link], x: u16) -> Option<&'a str> {
    row.iter()
        .find(|link| link.holds(x))
        .map(|link| link.target.as_str())
}

/// The escape that starts a link to `target`. Its id, the same for the same address, lets a
/// terminal show an address wrapped over several lines as one link.
pub(super) fn open(target: &str, text: &mut String) {
    let id = target.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let _ = write!(text, "\x1b]8;id={id:08x};{target}\x1b\\");
}

/// Moves the links of rows `top..bottom` within columns `left..right` up by `lines` (down when
/// negative), as the terminal moves their cells; those moved out of the rows are gone. Returns
/// false, changing nothing, when a link in those rows crosses the columns' edges: the
/// terminal would cut it.
pub(super) fn shift(
    links: &mut Vec<Link>,
    (top, bottom): (u16, u16),
    (left, right): (u16, u16),
    lines: i32,
) -> bool {
    let in_rows = |link: &Link| (top..bottom).contains(&link.row);
    let inside = |link: &Link| link.columns.0 >= left && link.columns.1 <= right;
    let crossing = |link: &Link| link.columns.0 < right && link.columns.1 > left;
    if links
        .iter()
        .any(|link| in_rows(link) && crossing(link) && !inside(link))
    {
        return false;
    }
    links.retain_mut(|link| {
        if !in_rows(link) || !inside(link) {
            return true;
        }
        let row = i64::from(link.row) - i64::from(lines);
        match u16::try_from(row)
            .ok()
            .filter(|row| (top..bottom).contains(row))
        {
            Some(row) => {
                link.row = row;
                true
            }
            None => false,
        }
    });
    true
}

/// A frame's links that fall in `area`, cut at its right edge, in order of rows and columns.
pub(super) fn sorted(mut links: Vec<Link>, area: Rect) -> Vec<Link> {
    links.retain(|link| link.row < area.height && link.columns.0 < area.width);
    for link in &mut links {
        link.columns.1 = link.columns.1.min(area.width);
    }
    links.sort_by_key(|link| (link.row, link.columns.0));
    links
}
