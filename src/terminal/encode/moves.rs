//! Cursor moves: the shortest sequence from where the cursor is to where it must go.

/// The shortest move from `from` (`None`: unknown; a column of `u16::MAX`: somewhere on that
/// row, so reached from its start) to `(x, y)`.
pub(super) fn shortest(from: Option<(u16, u16)>, (x, y): (u16, u16)) -> String {
    match from {
        Some(at) if at == (x, y) => String::new(),
        Some((cx, cy)) => {
            let mut options = vec![absolute(x, y)];
            if cy == y {
                options.push(along(cx, x));
            } else {
                let vertical = if y > cy && y - cy <= 3 {
                    "\n".repeat(usize::from(y - cy))
                } else if y > cy {
                    format!("\x1b[{}B", y - cy)
                } else {
                    format!("\x1b[{}A", cy - y)
                };
                options.push(vertical.clone() + &along(cx, x));
                if y > cy && y - cy <= 3 {
                    options.push(format!("\r{vertical}{}", horizontal(0, x)));
                }
            }
            options
                .into_iter()
                .min_by_key(String::len)
                .unwrap_or_default()
        }
        None => absolute(x, y),
    }
}

/// The move along a row, where `from` may be `u16::MAX`: not known, so from the row's start
/// or to the column by number (CHA).
fn along(from: u16, to: u16) -> String {
    let relative = match from {
        u16::MAX if to == 0 => "\r".to_owned(),
        u16::MAX => format!("\r{}", horizontal(0, to)),
        from => horizontal(from, to),
    };
    let column = format!("\x1b[{}G", to + 1);
    if from != to && column.len() < relative.len() {
        column
    } else {
        relative
    }
}

fn absolute(x: u16, y: u16) -> String {
    match (x, y) {
        (0, 0) => "\x1b[H".into(),
        (0, y) => format!("\x1b[{}H", y + 1),
        (x, y) => format!("\x1b[{};{}H", y + 1, x + 1),
    }
}

pub(super) fn horizontal(from: u16, to: u16) -> String {
    match to.cmp(&from) {
        std::cmp::Ordering::Equal => String::new(),
        std::cmp::Ordering::Greater if to - from == 1 => "\x1b[C".into(),
        std::cmp::Ordering::Greater => format!("\x1b[{}C", to - from),
        std::cmp::Ordering::Less if to == 0 => "\r".into(),
        std::cmp::Ordering::Less if from - to == 1 => "\x1b[D".into(),
        std::cmp::Ordering::Less => {
            let back = format!("\x1b[{}D", from - to);
            let again = format!("\r\x1b[{to}C");
            if again.len() < back.len() {
                again
            } else {
                back
            }
        }
    }
}
