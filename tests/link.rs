//! What byline sends over a slow link: the real binary in a pty, its bytes counted, and every
//! screen it leaves compared cell for cell with a full repaint of the same state.

mod support;

use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use support::pty::{Session, TIMEOUT};

/// One long article (a line of CJK and emoji at the pane's edge among its paragraphs) and a
/// short one.
fn dump(dir: &std::path::Path) -> String {
    let mut text = String::from("A long read about the harbour\n\n");
    for n in 0..120 {
        if n % 7 == 3 {
            text.push_str(
                "港口的船只都回来了 🚢 港口的船只都回来了 🚢 港口的船只都回来了 🚢 港口\n\n",
            );
        }
        text.push_str(&format!(
            "Paragraph {n}: the boats came back one by one, and the harbour master counted them \
             twice before the storm reached the breakwater.\n\n"
        ));
    }
    text.push_str("View 12 times\nA short one\n\nJust a line.\nView 3 times\n");
    let path = dir.join("dump.txt");
    std::fs::write(&path, text).expect("the dump is written");
    path.to_string_lossy().into_owned()
}

/// Waits until byline has written nothing for a while (a frame is whole); returns how many
/// bytes it has written in all.
fn quiet(session: &Session) -> usize {
    let start = Instant::now();
    let mut last = (session.written.lock().unwrap().len(), Instant::now());
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let now = session.written.lock().unwrap().len();
        if now != last.0 {
            last = (now, Instant::now());
        } else if last.1.elapsed() > Duration::from_millis(300) {
            return now;
        }
        assert!(start.elapsed() < TIMEOUT, "byline never stopped writing");
    }
}

/// Every cell of the screen with its attributes, and the cursor.
/// (A cell never written and one written with a space look the same, and are the same here.)
fn cells(session: &Session) -> Vec<String> {
    let parser = session.parser.lock().unwrap();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    let mut drawn = Vec::new();
    for row in 0..rows.get() {
        let mut line = String::new();
        for col in 0..cols.get() {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            let text = match cell.contents() {
                "" => " ",
                text => text,
            };
            // A blank shows only its background (and reverse or underline): the rest is moot.
            if text == " " && !cell.inverse() && !cell.underline() {
                line.push_str(&format!(" {:?}|", cell.bgcolor()));
                continue;
            }
            line.push_str(&format!(
                "{text}{:?}{:?}{}{}{}{}{}|",
                cell.fgcolor(),
                cell.bgcolor(),
                u8::from(cell.bold()),
                u8::from(cell.dim()),
                u8::from(cell.italic()),
                u8::from(cell.underline()),
                u8::from(cell.inverse()),
            ));
        }
        drawn.push(line);
    }
    // Where a hidden cursor rests does not matter.
    let cursor = (!screen.hide_cursor()).then(|| screen.cursor_position());
    drawn.push(format!("cursor {cursor:?}"));
    drawn
}

/// Asserts that the screen is what byline draws from scratch in the same state (SIGCONT makes
/// it take the terminal back and repaint everything).
fn assert_as_repainted(session: &mut Session, after: &str) {
    quiet(session);
    let incremental = cells(session);
    session.signal(Signal::SIGCONT);
    quiet(session);
    let repainted = cells(session);
    for (row, (a, b)) in incremental.iter().zip(&repainted).enumerate() {
        assert_eq!(a, b, "after {after}: row {row} differs from a full repaint");
    }
}

#[test]
fn a_line_scroll_in_a_full_width_pane_is_a_terminal_scroll_of_under_200_bytes() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dump(dir.path());
    // At 80x24 the reader spans the width; at 200x50 it does once zoomed.
    for (cols, rows, keys) in [(80, 24, "\r"), (200, 50, "\rz")] {
        let mut session = Session::start(&[&path], cols, rows);
        session.wait_for_text("A long read");
        session.send(keys);
        session.wait_for_text("Paragraph 0");
        line_scrolls_are_terminal_scrolls(&mut session);
    }
}

fn line_scrolls_are_terminal_scrolls(session: &mut Session) {
    for _ in 0..3 {
        let before = quiet(session);
        session.send("j");
        let after = quiet(session);
        let sent = session.written.lock().unwrap()[before..after].to_vec();
        assert!(
            after - before <= 200,
            "{} bytes: {:?}",
            after - before,
            String::from_utf8_lossy(&sent)
        );
        assert!(
            String::from_utf8_lossy(&sent).contains("\x1b[S"),
            "scrolled by the terminal: {:?}",
            String::from_utf8_lossy(&sent)
        );
    }
    assert_as_repainted(session, "three line scrolls");
}

#[test]
fn every_screen_is_what_a_full_repaint_draws() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dump(dir.path());
    for (cols, rows) in [(100, 30), (80, 24), (50, 14)] {
        let mut session = Session::start(&[&path], cols, rows);
        session.wait_for_text("A long read");
        let steps: [(&str, &str); 12] = [
            ("open", "\r"),
            ("j", "j"),
            ("j", "j"),
            ("k", "k"),
            ("page down", " "),
            ("wide characters at the edge", "jjjjjjjjjjjjjjjjjjjj"),
            ("help over the scrolled pane", "?"),
            ("help closed", "x"),
            ("the end", "G"),
            ("back to the list", "\x1b"),
            ("the next headline", "j"),
            ("a search", "/harbour"),
        ];
        for (what, keys) in steps {
            session.send(keys);
            assert_as_repainted(&mut session, &format!("{what} at {cols}x{rows}"));
        }
        session.resize(cols - 7, rows - 3);
        assert_as_repainted(&mut session, &format!("a resize from {cols}x{rows}"));
        session.send("\x1b");
        // Esc then q at once would read as Alt-q.
        quiet(&session);
        session.send("q");
        assert_eq!(session.exit_code(), 0);
    }
}

/// The app drawn into a buffer of `width`×`height`.
fn drawn(app: &byline::session::Session, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| byline::ui::draw(app, &support::theme(app), frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

#[test]
fn a_selection_move_changes_the_two_headlines_and_the_status_line_alone() {
    use ratatui::style::Modifier;
    let (width, height) = (80, 24);
    let mut app = support::sample_app(width, height);
    let before = drawn(&app, width, height);
    support::keys(&mut app, "j");
    let after = drawn(&app, width, height);
    let headline = |buffer: &ratatui::buffer::Buffer, y: u16| -> Vec<u16> {
        (0..width)
            .filter(|&x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
            .collect()
    };
    // The highlight starts at the headline, after the read marker and the star.
    let (old, new) = (headline(&before, 0), headline(&after, 1));
    assert_eq!(old.first(), Some(&3), "{old:?}");
    assert_eq!(new.first(), Some(&3), "{new:?}");
    assert!(headline(&after, 0).is_empty() && headline(&before, 1).is_empty());
    for y in 0..height {
        for x in 0..width {
            if before[(x, y)] == after[(x, y)] {
                continue;
            }
            let in_headline = (y == 0 && old.contains(&x)) || (y == 1 && new.contains(&x));
            assert!(
                in_headline || y == height - 1,
                "({x}, {y}) changed: {:?} to {:?}",
                before[(x, y)],
                after[(x, y)]
            );
        }
    }
}
