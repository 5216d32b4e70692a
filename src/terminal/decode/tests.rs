use super::*;

fn keys(bytes: &[u8]) -> Vec<Event> {
    Decoder::default().feed(bytes)
}

fn k(code: KeyCode) -> Event {
    key(code, KeyModifiers::NONE)
}

#[test]
fn plain_characters_and_utf8() {
    assert_eq!(
        keys(b"jK/"),
        [
            k(KeyCode::Char('j')),
            k(KeyCode::Char('K')),
            k(KeyCode::Char('/'))
        ]
    );
    assert_eq!(
        keys("ñ漢🎉".as_bytes()),
        [
            k(KeyCode::Char('ñ')),
            k(KeyCode::Char('漢')),
            k(KeyCode::Char('🎉'))
        ]
    );
}

#[test]
fn control_keys() {
    assert_eq!(
        keys(b"\r\t\x7f"),
        [k(KeyCode::Enter), k(KeyCode::Tab), k(KeyCode::Backspace)]
    );
    assert_eq!(
        keys(b"\x03\x04\x1a"),
        [
            key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            key(KeyCode::Char('d'), KeyModifiers::CONTROL),
            key(KeyCode::Char('z'), KeyModifiers::CONTROL),
        ]
    );
}

#[test]
fn a_lone_escape_is_the_esc_key() {
    assert_eq!(keys(b"\x1b"), [k(KeyCode::Esc)]);
    assert_eq!(keys(b"\x1b\x1b"), [k(KeyCode::Esc), k(KeyCode::Esc)]);
}

#[test]
fn arrows_pages_home_end_and_function_keys() {
    assert_eq!(
        keys(b"\x1b[A\x1b[B\x1b[C\x1b[D"),
        [
            k(KeyCode::Up),
            k(KeyCode::Down),
            k(KeyCode::Right),
            k(KeyCode::Left)
        ]
    );
    assert_eq!(
        keys(b"\x1bOA\x1bOH\x1bOP"),
        [k(KeyCode::Up), k(KeyCode::Home), k(KeyCode::F(1))]
    );
    assert_eq!(
        keys(b"\x1b[5~\x1b[6~\x1b[1~\x1b[4~\x1b[H\x1b[F\x1b[3~"),
        [
            k(KeyCode::PageUp),
            k(KeyCode::PageDown),
            k(KeyCode::Home),
            k(KeyCode::End),
            k(KeyCode::Home),
            k(KeyCode::End),
            k(KeyCode::Delete),
        ]
    );
    assert_eq!(
        keys(b"\x1b[15~\x1b[24~"),
        [k(KeyCode::F(5)), k(KeyCode::F(12))]
    );
    assert_eq!(
        keys(b"\x1b[1;5A"),
        [key(KeyCode::Up, KeyModifiers::CONTROL)]
    );
    assert_eq!(keys(b"\x1b[Z"), [k(KeyCode::BackTab)]);
}

#[test]
fn alt_keys() {
    assert_eq!(keys(b"\x1bx"), [key(KeyCode::Char('x'), KeyModifiers::ALT)]);
}

#[test]
fn mouse_reports() {
    let click = keys(b"\x1b[<0;5;3M");
    assert_eq!(
        click,
        [mouse(MouseEventKind::Down(MouseButton::Left), 5, 3)]
    );
    if let Event::Mouse(m) = &click[0] {
        assert_eq!((m.column, m.row), (4, 2));
    }
    assert_eq!(
        keys(b"\x1b[<65;10;10M"),
        [mouse(MouseEventKind::ScrollDown, 10, 10)]
    );
    assert_eq!(
        keys(b"\x1b[<64;10;10M"),
        [mouse(MouseEventKind::ScrollUp, 10, 10)]
    );
    assert_eq!(keys(b"\x1b[<35;1;1M"), [], "motion is ignored");
    assert_eq!(
        keys(b"\x1b[M !!"),
        [mouse(MouseEventKind::Down(MouseButton::Left), 1, 1)]
    );
}

#[test]
fn sequences_split_across_reads_are_joined() {
    let mut decoder = Decoder::default();
    assert_eq!(decoder.feed(b"\x1b[5"), []);
    assert_eq!(
        decoder.feed(b"~j"),
        [k(KeyCode::PageUp), k(KeyCode::Char('j'))]
    );
    assert_eq!(decoder.feed(&"漢".as_bytes()[..2]), []);
    assert_eq!(
        decoder.feed(&"漢".as_bytes()[2..]),
        [k(KeyCode::Char('漢'))]
    );
}

#[test]
fn unknown_and_malformed_sequences_are_dropped() {
    assert_eq!(keys(b"\x1b[99~q"), [k(KeyCode::Char('q'))]);
    assert_eq!(keys(b"\x1b[<1;2Mq"), [k(KeyCode::Char('q'))]);
    assert_eq!(keys(b"\xff\xfeq"), [k(KeyCode::Char('q'))]);
    assert_eq!(keys(b"\x1bO"), [], "an incomplete SS3 waits");
    let mut decoder = Decoder::default();
    let garbage = [b"\x1b[".as_slice(), &[b'1'; 100]].concat();
    decoder.feed(&garbage);
    assert_eq!(
        decoder.feed(b"q").last(),
        Some(&k(KeyCode::Char('q'))),
        "an endless sequence is given up"
    );
}

#[test]
fn a_mode_report_is_a_reply_not_a_key() {
    let mut decoder = Decoder::default();
    let events = decoder.feed(b"j\x1b[?69;2$yk");
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(decoder.take_replies(), [Reply::Mode { mode: 69, state: 2 }]);
    assert!(decoder.take_replies().is_empty());
    // Cut in two reads, it is still one reply.
    assert!(decoder.feed(b"\x1b[?69;").is_empty());
    assert!(decoder.feed(b"0$y").is_empty());
    assert_eq!(decoder.take_replies(), [Reply::Mode { mode: 69, state: 0 }]);
}
