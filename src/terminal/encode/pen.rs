//! The colours and attributes the terminal draws with, and the SGR codes from one to another.

use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

/// Attributes that show on a blank cell; a blank without them looks the same whatever its
/// foreground colour, bold or dim.
pub(super) const SHOWN_ON_BLANKS: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::CROSSED_OUT)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK);

/// The colours and attributes the terminal draws with now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub underline: Color,
    pub modifier: Modifier,
}

impl Default for Pen {
    fn default() -> Pen {
        Pen {
            fg: Color::Reset,
            bg: Color::Reset,
            underline: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl Pen {
    /// The SGR parameters that turn this pen into `pen`: only what differs, or a reset and
    /// what `pen` has, whichever is shorter (a reset alone is the empty parameter).
    pub(super) fn changes_to(self, pen: Pen) -> String {
        let changed = self.codes_to(pen);
        let reset = match Pen::default().codes_to(pen) {
            codes if codes.is_empty() => String::new(),
            codes => format!("0;{codes}"),
        };
        if reset.len() < changed.len() {
            reset
        } else {
            changed
        }
    }

    /// The SGR parameters from this pen to `pen`, ending attributes one by one.
    fn codes_to(self, pen: Pen) -> String {
        let mut codes: Vec<String> = Vec::new();
        let removed = self.modifier - pen.modifier;
        let mut from = self;
        for (modifier, off) in [
            (Modifier::ITALIC, "23"),
            (Modifier::UNDERLINED, "24"),
            (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK, "25"),
            (Modifier::REVERSED, "27"),
            (Modifier::HIDDEN, "28"),
            (Modifier::CROSSED_OUT, "29"),
            (Modifier::BOLD | Modifier::DIM, "22"),
        ] {
            if removed.intersects(modifier) {
                codes.push(off.into());
                // 22 ends both bold and dim, 25 both blinks.
                from.modifier -= modifier;
            }
        }
        for (modifier, on) in [
            (Modifier::BOLD, "1"),
            (Modifier::DIM, "2"),
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::SLOW_BLINK, "5"),
            (Modifier::RAPID_BLINK, "6"),
            (Modifier::REVERSED, "7"),
            (Modifier::HIDDEN, "8"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if pen.modifier.contains(modifier) && !from.modifier.contains(modifier) {
                codes.push(on.into());
            }
        }
        if pen.fg != from.fg {
            codes.push(colour(pen.fg, 30, 90, "38", "39"));
        }
        if pen.bg != from.bg {
            codes.push(colour(pen.bg, 40, 100, "48", "49"));
        }
        if pen.underline != from.underline {
            codes.push(colour(pen.underline, 0, 0, "58", "59"));
        }
        codes.join(";")
    }

    /// This pen as it erases: the default background, nothing that would show on a blank.
    pub(super) fn for_erasing(self) -> Pen {
        Pen {
            bg: Color::Reset,
            modifier: self.modifier - SHOWN_ON_BLANKS,
            ..self
        }
    }

    pub(super) fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// The SGR code of a colour: `base + n` for the eight normal colours, `bright + n` for the
/// bright ones, `extended;5;n` or `extended;2;r;g;b` beyond, `reset` for the default.
fn colour(color: Color, base: u8, bright: u8, extended: &str, reset: &str) -> String {
    let named = |n: u8| {
        if base == 0 {
            format!("{extended};5;{n}")
        } else if n < 8 {
            (base + n).to_string()
        } else {
            (bright + n - 8).to_string()
        }
    };
    match color {
        Color::Reset => reset.into(),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(n) => format!("{extended};5;{n}"),
        Color::Rgb(r, g, b) => format!("{extended};2;{r};{g};{b}"),
    }
}
