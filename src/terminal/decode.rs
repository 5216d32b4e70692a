//! Terminal input bytes to key and mouse events. byline reads its input itself, from any byte
//! stream (a tty, a pty, a remote channel), rather than through crossterm's reader, which spins
//! forever once the tty is gone (crossterm issue #793) and only reads the process's own tty.
//! Malformed or unknown sequences are dropped, never a panic.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// The longest escape sequence kept while waiting for its end; longer ones are garbage.
const MAX_SEQUENCE: usize = 64;

const ESC: u8 = 0x1b;

/// What the terminal said about itself when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// The state of a private mode (DECRPM): 0 not recognised, 1 set, 2 reset, 3 permanently
    /// set, 4 permanently reset.
    Mode { mode: u16, state: u16 },
}

/// Turns bytes into events, keeping an incomplete sequence until the rest arrives.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
    replies: Vec<Reply>,
}

/// What the front of the buffer holds.
enum Parsed {
    /// An event (or nothing, for a sequence that is ignored) and the bytes it used.
    Done(Option<Event>, usize),
    /// The terminal's answer to a question, and the bytes it used.
    Reply(Reply, usize),
    /// The bytes so far are the start of a longer sequence.
    Incomplete,
}

impl Decoder {
    /// Decodes `bytes` appended to what was pending. A read returns what the terminal wrote at
    /// once, so an escape byte that ends the input is the Esc key, not the start of a sequence.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut start = 0;
        while start < self.pending.len() {
            let rest = &self.pending[start..];
            match parse(rest) {
                Parsed::Done(event, used) => {
                    events.extend(event);
                    start += used.max(1);
                }
                Parsed::Reply(reply, used) => {
                    self.replies.push(reply);
                    start += used;
                }
                Parsed::Incomplete if rest == [ESC] => {
                    events.push(key(KeyCode::Esc, KeyModifiers::NONE));
                    start += 1;
                }
                Parsed::Incomplete if rest.len() > MAX_SEQUENCE => start += 1,
                Parsed::Incomplete => break,
            }
        }
        self.pending.drain(..start);
        events
    }

    /// The terminal's answers decoded so far.
    pub fn take_replies(&mut self) -> Vec<Reply> {
        std::mem::take(&mut self.replies)
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn parse(bytes: &[u8]) -> Parsed {
    let none = KeyModifiers::NONE;
    match bytes[0] {
        ESC => parse_escape(bytes),
        b'\r' | b'\n' => Parsed::Done(Some(key(KeyCode::Enter, none)), 1),
        b'\t' => Parsed::Done(Some(key(KeyCode::Tab, none)), 1),
        0x7f | 0x08 => Parsed::Done(Some(key(KeyCode::Backspace, none)), 1),
        0x00 => Parsed::Done(Some(key(KeyCode::Char(' '), KeyModifiers::CONTROL)), 1),
        c @ 0x01..=0x1a => {
            let letter = char::from(c - 1 + b'a');
            Parsed::Done(Some(key(KeyCode::Char(letter), KeyModifiers::CONTROL)), 1)
        }
        0x1c..=0x1f => Parsed::Done(None, 1),
        _ => match parse_char(bytes) {
            Some((c, used)) => Parsed::Done(Some(key(KeyCode::Char(c), none)), used),
            None if bytes.len() < utf8_len(bytes[0]) => Parsed::Incomplete,
            None => Parsed::Done(None, 1),
        },
    }
}

/// Length of the UTF-8 sequence a lead byte starts (1 for an invalid one).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 1,
    }
}

/// One UTF-8 character at the front of `bytes`, with its length.
fn parse_char(bytes: &[u8]) -> Option<(char, usize)> {
    let len = utf8_len(bytes[0]);
    let text = std::str::from_utf8(bytes.get(..len)?).ok()?;
    text.chars().next().map(|c| (c, len))
}

fn parse_escape(bytes: &[u8]) -> Parsed {
    match bytes.get(1) {
        None => Parsed::Incomplete,
        Some(b'[') => parse_csi(bytes),
        Some(b'O') => match bytes.get(2) {
            None => Parsed::Incomplete,
            Some(&c) => Parsed::Done(ss3_key(c).map(|code| key(code, KeyModifiers::NONE)), 3),
        },
        Some(&ESC) => Parsed::Done(Some(key(KeyCode::Esc, KeyModifiers::NONE)), 1),
        Some(_) => match parse(&bytes[1..]) {
            // Alt held: the key with an escape in front.
            Parsed::Done(Some(Event::Key(mut k)), used) => {
                k.modifiers |= KeyModifiers::ALT;
                Parsed::Done(Some(Event::Key(k)), used + 1)
            }
            Parsed::Done(_, used) | Parsed::Reply(_, used) => Parsed::Done(None, used + 1),
            Parsed::Incomplete => Parsed::Incomplete,
        },
    }
}

fn ss3_key(c: u8) -> Option<KeyCode> {
    Some(match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(c - b'P' + 1),
        _ => return None,
    })
}

/// `ESC [` parameters, intermediates, and a final byte; mouse reports included.
fn parse_csi(bytes: &[u8]) -> Parsed {
    if bytes.get(2) == Some(&b'M') {
        // X10 mouse: three more raw bytes.
        return match bytes.get(3..6) {
            Some(&[b, x, y]) => Parsed::Done(x10_mouse(b, x, y), 6),
            _ => Parsed::Incomplete,
        };
    }
    let Some(end) = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b)) else {
        return Parsed::Incomplete;
    };
    let end = end + 2;
    let params = std::str::from_utf8(&bytes[2..end]).unwrap_or("");
    if bytes[end] == b'y'
        && let Some(mode) = params.strip_prefix('?').and_then(|p| p.strip_suffix('$'))
    {
        let numbers = numbers(mode);
        if let [mode, state] = numbers[..] {
            return Parsed::Reply(Reply::Mode { mode, state }, end + 1);
        }
    }
    let event = match (bytes[end], params.strip_prefix('<')) {
        (b'M' | b'm', Some(sgr)) => sgr_mouse(sgr, bytes[end] == b'M'),
        (final_byte, None) => csi_key(final_byte, params),
        _ => None,
    };
    Parsed::Done(event, end + 1)
}

fn numbers(params: &str) -> Vec<u16> {
    params.split(';').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Modifiers from a CSI modifier parameter (1 + shift 1, alt 2, ctrl 4).
fn modifiers(param: Option<&u16>) -> KeyModifiers {
    let bits = param.map_or(0, |p| p.saturating_sub(1));
    let mut modifiers = KeyModifiers::NONE;
    if bits & 1 != 0 {
        modifiers |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        modifiers |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        modifiers |= KeyModifiers::CONTROL;
    }
    modifiers
}

fn csi_key(final_byte: u8, params: &str) -> Option<Event> {
    let numbers = numbers(params);
    let code = match final_byte {
        b'Z' => KeyCode::BackTab,
        b'~' => match numbers.first()? {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            n @ 11..=15 => KeyCode::F((n - 10) as u8),
            n @ 17..=21 => KeyCode::F((n - 11) as u8),
            n @ 23..=24 => KeyCode::F((n - 12) as u8),
            _ => return None,
        },
        // Arrows, Home, End and F1-F4 end the same way after `ESC [` as after `ESC O`.
        other => ss3_key(other)?,
    };
    Some(key(code, modifiers(numbers.get(1))))
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        // Terminals count from 1.
        column: column.saturating_sub(1),
        row: row.saturating_sub(1),
        modifiers: KeyModifiers::NONE,
    })
}

fn mouse_kind(button: u16, pressed: bool) -> Option<MouseEventKind> {
    // Motion reports (32) are not used.
    if button & 32 != 0 {
        return None;
    }
    Some(match (button & !(4 | 8 | 16), pressed) {
        (0, true) => MouseEventKind::Down(MouseButton::Left),
        (1, true) => MouseEventKind::Down(MouseButton::Middle),
        (2, true) => MouseEventKind::Down(MouseButton::Right),
        (0, false) => MouseEventKind::Up(MouseButton::Left),
        (64, _) => MouseEventKind::ScrollUp,
        (65, _) => MouseEventKind::ScrollDown,
        _ => return None,
    })
}

fn sgr_mouse(params: &str, pressed: bool) -> Option<Event> {
    let numbers = numbers(params);
    let [button, column, row] = numbers[..] else {
        return None;
    };
    Some(mouse(mouse_kind(button, pressed)?, column, row))
}

fn x10_mouse(button: u8, column: u8, row: u8) -> Option<Event> {
    let button = u16::from(button.saturating_sub(32));
    let pressed = button & 3 != 3;
    let kind = mouse_kind(button, pressed)?;
    Some(mouse(
        kind,
        u16::from(column.saturating_sub(32)),
        u16::from(row.saturating_sub(32)),
    ))
}

#[cfg(test)]
mod tests;
