//! Reading over a slow link (issue 12): the bytes byline writes for each action, and how it
//! keeps up when keys outrun a 1 Mbit/s link. The release binary runs in a pseudo-terminal on
//! 1,000 generated articles at 200x50 and 80x24; every figure is printed beside its goal.
//!
//! `cargo bench --bench link`; `BYLINE_LINK_RAW=1` also prints the start of each action's
//! bytes, escaped, to see which sequences dominate. Bounded: every wait has a limit, and the
//! whole run takes under a minute.
//!
//! An action's bytes are what arrives on the pty from the key until byline has been quiet for
//! [`QUIET`] (a selection move stops at the end of its first frame: the preview that follows
//! when the selection rests is counted on a row of its own). The bases the goals are set
//! against come from a terminal emulator (vt100) replaying the recorded output: the UTF-8 bytes
//! of the cells that differ, in content or attributes, between the screen before the key and
//! the screen after (a cell that became blank counts one byte, the space that draws it; a cell
//! never written and one holding a space are the same).
//!
//! The held key goes through a relay in the harness (see `Link` in `support/session.rs`); its
//! byte budget is the opened article's bytes in the dump plus one screen of cells.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/session.rs"]
mod session;

use std::time::{Duration, Instant};

use byline::config::LayoutSettings;
use byline::document::group_thousands;
use byline::layout::{Arrangement, Panes, panes};
use ratatui::layout::Rect;
use session::{Link, Session, Watch};

const BYLINE: &str = env!("CARGO_BIN_EXE_byline");
const ARTICLES: usize = 1000;
const SEED: u64 = 1;
const SIZES: [(u16, u16); 2] = [(200, 50), (80, 24)];

/// No bytes for this long ends an action.
const QUIET: Duration = Duration::from_millis(300);
/// How long byline may take to start writing after a key before the action counts as silent.
const FIRST_BYTE: Duration = Duration::from_secs(2);
/// How long any state may take to be reached, or an action to fall quiet.
const LIMIT: Duration = Duration::from_secs(20);
/// Over the slow link, the held key's frames may queue up for a while.
const RELAY_LIMIT: Duration = Duration::from_secs(90);

/// The end of a synchronized update: the end of a frame.
const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

/// 1 Mbit/s with a 100 ms round trip. The sender holds one bandwidth-delay product before it
/// stops reading the pty, as a TCP send buffer would.
const LINK: Link = Link {
    delay: Duration::from_millis(50),
    rate: 125_000.0,
    buffer: 12_500,
};
/// A held key: 30 a second for 2 s.
const HELD_KEYS: u32 = 60;
const KEY_INTERVAL: Duration = Duration::from_nanos(1_000_000_000 / 30);
/// The final screen must be right within the round trip and this.
const SETTLE_GOAL: Duration = Duration::from_millis(150);

/// What a goal is: a fixed number of bytes, or a multiple of the base.
#[derive(Clone, Copy)]
enum Goal {
    Bytes(usize),
    Times(f64),
}

/// What the base of a row counts.
#[derive(Clone, Copy)]
enum Base {
    /// The cells that changed.
    Changed,
    /// Every cell of the reading pane, as a repaint draws them, and the cells that changed
    /// outside it.
    Pane,
}

struct Row {
    action: String,
    size: (u16, u16),
    bytes: usize,
    base: usize,
    kind: Base,
    goal: Goal,
    /// Where the bytes went, by kind of sequence.
    parts: Parts,
    /// The start of the bytes, escaped.
    sample: String,
}

impl Row {
    fn limit(&self) -> usize {
        match self.goal {
            Goal::Bytes(n) => n,
            Goal::Times(f) => (self.base as f64 * f).floor() as usize,
        }
    }

    fn meets(&self) -> bool {
        self.bytes <= self.limit()
    }
}

/// The corpus on disk, split into its articles' text as the dump holds it.
struct Corpus {
    path: String,
    articles: Vec<String>,
    _dir: tempfile::TempDir,
}

fn main() {
    let started = Instant::now();
    let corpus = corpus();
    // The longest article among the first rows: long enough to page through and to hold a key
    // down in at every size.
    let target = (2..40)
        .max_by_key(|&i| corpus.articles[i].len())
        .expect("articles");
    println!(
        "{ARTICLES} articles; the one opened is row {} ({} bytes of text)",
        target + 1,
        group_thousands(corpus.articles[target].len() as u64)
    );

    let mut rows = Vec::new();
    for (cols, lines) in SIZES {
        if measure_actions(&corpus, target, cols, lines, &mut rows).is_none() {
            println!("{cols}x{lines}: a state was not reached; the rows so far are kept");
        }
    }
    let relays: Vec<Relay> = SIZES
        .iter()
        .filter_map(|&(cols, lines)| {
            let relay = hold_over_link(&corpus, target, cols, lines);
            if relay.is_none() {
                println!("{cols}x{lines} over the link: a state was not reached");
            }
            relay
        })
        .collect();

    print_actions(&rows);
    print_relays(&relays);
    print_parts(&rows);
    if std::env::var_os("BYLINE_LINK_RAW").is_some() {
        for row in &rows {
            println!(
                "\n{} at {}:\n{}",
                row.action.trim(),
                size_name(row.size),
                row.sample
            );
        }
    }
    println!("\n(run took {:.0} s)", started.elapsed().as_secs_f64());
}

/// The generated dump in a temporary directory, and its articles' text.
fn corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = generate::dump(ARTICLES, SEED);
    let path = dir.path().join("articles.txt");
    std::fs::write(&path, &text).expect("writing the corpus");
    let articles = split(&text);
    let parsed = byline::store::dump::parse(&text).articles.len();
    assert_eq!(articles.len(), parsed, "the split agrees with byline's");
    Corpus {
        path: path.to_string_lossy().into_owned(),
        articles,
        _dir: dir,
    }
}

/// The dump's articles as text: the generator ends each with a "View N times" line and two
/// newlines, and writes no other line that starts with "View".
fn split(text: &str) -> Vec<String> {
    let mut articles = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("\n\nView ") {
        let end = rest[at..]
            .find(" times\n\n")
            .map_or(rest.len(), |e| at + e + " times\n\n".len());
        articles.push(rest[..end].to_owned());
        rest = &rest[end..];
    }
    articles
}

fn status(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

fn listed(screen: &str) -> bool {
    status(screen).contains(&format!(" 1/{ARTICLES} ")) && status(screen).contains("? help")
}

/// The size and how byline arranges its panes there.
fn size_name((cols, rows): (u16, u16)) -> String {
    let panes = layout(cols, rows);
    let arrangement = match (panes.list, panes.reader) {
        (Some(_), Some(reader)) if reader.x > 0 => "side by side",
        (Some(_), Some(_)) => "stacked",
        _ => "one pane",
    };
    format!("{cols}x{rows} {arrangement}")
}

/// Where byline puts its panes at this size, reader shown (the configuration is the default:
/// the session's home is empty).
fn layout(cols: u16, rows: u16) -> Panes {
    let settings = LayoutSettings::default();
    let arrangement = Arrangement::for_size(cols, rows, &settings);
    panes(Rect::new(0, 0, cols, rows), arrangement, true, &settings)
}

/// What an action wrote: offsets in the recorded output.
#[derive(Clone, Copy)]
struct Act {
    from: usize,
    to: usize,
}

/// Sends `keys` to a quiet byline and waits until it is quiet again.
fn act(s: &mut Session, keys: &str) -> Option<Act> {
    let from = s.bytes();
    s.send(keys);
    answered(s, from, LIMIT)?;
    Some(Act {
        from,
        to: s.bytes(),
    })
}

/// Waits for byline to write after offset `from` (if it writes nothing within [`FIRST_BYTE`],
/// it had nothing to say), then for [`QUIET`]; `None` if it was still writing after `limit`.
fn answered(s: &Session, from: usize, limit: Duration) -> Option<()> {
    if s.wait_output(from, FIRST_BYTE).is_none() {
        return Some(());
    }
    s.quiet_for(QUIET, limit).then_some(())
}

/// The row for bytes `from..to` of `s`, its base counted between the screens at those offsets.
fn row(s: &Session, action: String, from: usize, to: usize, kind: Base, goal: Goal) -> Row {
    let (before, after) = (s.screen_at(from), s.screen_at(to));
    let (rows, cols) = after.size();
    let (rows, cols) = (rows.get(), cols.get());
    let base = match kind {
        Base::Changed => changed(&before, &after, None),
        Base::Pane => {
            let pane = layout(cols, rows).reader.unwrap_or_default();
            cells(&after, pane) + changed(&before, &after, Some(pane))
        }
    };
    Row {
        action,
        size: (cols, rows),
        bytes: to - from,
        base,
        kind,
        goal,
        parts: Parts::of(&s.raw(from, to)),
        sample: escaped(&s.raw(from, to.min(from + RAW_SAMPLE))),
    }
}

/// How many bytes of each action `BYLINE_LINK_RAW` prints.
const RAW_SAMPLE: usize = 600;

/// Bytes as readable text: ESC as `␛`, other controls as `\r`, `\n` or `\xNN`.
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\x1b' => out.push('␛'),
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The bytes a cell's character takes: a blank cell one (the space that draws it), the second
/// half of a wide character none (its first half holds it).
fn cell_bytes(cell: &vt100::Cell) -> usize {
    if cell.is_wide_continuation() {
        0
    } else {
        cell.contents().len().max(1)
    }
}

/// What a cell shows: its character (a cell never written shows a space, as one holding a
/// space does) and its attributes.
fn looks(cell: &vt100::Cell) -> impl PartialEq {
    let character = match cell.contents() {
        "" => " ",
        c => c,
    };
    // A blank shows only its background (and reverse or underline): its foreground, bold,
    // dim or italic are not seen.
    let blank = character == " " && !cell.inverse() && !cell.underline();
    let fg = if blank {
        vt100::Color::Default
    } else {
        cell.fgcolor()
    };
    let shown = |on: bool| on && !blank;
    (
        character,
        cell.is_wide_continuation(),
        (fg, cell.bgcolor()),
        [
            shown(cell.bold()),
            shown(cell.dim()),
            shown(cell.italic()),
            cell.underline(),
            cell.inverse(),
        ],
    )
}

/// The UTF-8 bytes of the cells of `after` that differ from `before`, leaving out `outside`
/// when given.
fn changed(before: &vt100::Screen, after: &vt100::Screen, outside: Option<Rect>) -> usize {
    let (rows, cols) = after.size();
    let mut bytes = 0;
    for row in 0..rows.get() {
        for col in 0..cols.get() {
            if outside.is_some_and(|r| r.contains((col, row).into())) {
                continue;
            }
            if let Some(cell) = after.cell(row, col)
                && before.cell(row, col).map(looks) != Some(looks(cell))
            {
                bytes += cell_bytes(cell);
            }
        }
    }
    bytes
}

/// The UTF-8 bytes of every cell of `area`.
fn cells(screen: &vt100::Screen, area: Rect) -> usize {
    (area.top()..area.bottom())
        .flat_map(|row| (area.left()..area.right()).map(move |col| (row, col)))
        .filter_map(|(row, col)| screen.cell(row, col))
        .map(cell_bytes)
        .sum()
}

/// Every action of the issue at one size, on a fresh byline, appended to `rows`.
fn measure_actions(
    corpus: &Corpus,
    target: usize,
    cols: u16,
    lines: u16,
    rows: &mut Vec<Row>,
) -> Option<()> {
    let home = tempfile::tempdir().expect("a temporary directory");
    let watch = Watch {
        record: true,
        link: None,
    };
    let mut s = Session::spawn_watched(BYLINE, &[&corpus.path], home.path(), cols, lines, watch);
    let panes = layout(cols, lines);
    let side_by_side = panes.reader.is_some_and(|r| r.x > 0);
    let full_width = panes.reader.is_some_and(|r| r.x == 0 && r.width == cols);
    let times = Goal::Times(1.2);

    // The first screen: from the start to the list drawn and nothing more written.
    s.wait_within(listed, LIMIT)?;
    s.quiet_for(QUIET, LIMIT).then_some(())?;
    let first = s.bytes();
    rows.push(row(
        &s,
        "first screen".into(),
        0,
        first,
        Base::Changed,
        times,
    ));

    // The selection moves one row: its first frame; then the preview of the selected article.
    let moved = act(&mut s, "j")?;
    let frame = s.wait_recorded(moved.from, END_OF_FRAME, LIMIT)?;
    rows.push(row(
        &s,
        "move the selection one row".into(),
        moved.from,
        frame,
        Base::Changed,
        Goal::Bytes(200),
    ));
    if moved.to > frame {
        rows.push(row(
            &s,
            "  the preview after the selection rests".into(),
            frame,
            moved.to,
            Base::Changed,
            times,
        ));
    }

    // To the article above the target; then the move onto it, and Enter as soon as its frame
    // is drawn, before the 150 ms rest would preview it: the open draws the article.
    if target > 2 {
        act(&mut s, &"j".repeat(target - 2))?;
    }
    let from = s.bytes();
    s.send("j");
    s.wait_recorded(from, END_OF_FRAME, LIMIT)?;
    let opened = act(&mut s, "\r")?;
    let wanted = format!(" {}/{ARTICLES} ", target + 1);
    s.wait_within(
        |screen| status(screen).contains(&wanted) && status(screen).contains(" reader "),
        LIMIT,
    )?;
    rows.push(row(
        &s,
        "open an article".into(),
        opened.from,
        opened.to,
        Base::Changed,
        times,
    ));

    let down = act(&mut s, "j")?;
    let (action, kind, goal) = if full_width {
        let arrangement = if panes.list.is_some() {
            "stacked"
        } else {
            "reader alone"
        };
        (
            format!("one line down, reader spans the width ({arrangement})"),
            Base::Changed,
            Goal::Bytes(120),
        )
    } else if side_by_side {
        // vt100 has no left/right margins and byline does not ask the terminal for them: the
        // goal is the one for terminals without them.
        (
            "one line down, side by side (no left/right margins)".into(),
            Base::Pane,
            times,
        )
    } else {
        ("one line down".into(), Base::Changed, Goal::Bytes(120))
    };
    rows.push(row(&s, action, down.from, down.to, kind, goal));

    let page = act(&mut s, " ")?;
    rows.push(row(
        &s,
        "page down (Space)".into(),
        page.from,
        page.to,
        Base::Changed,
        times,
    ));

    // Back to the list, the search prompt opened, then a word typed a letter at a time, each
    // letter until its results are drawn.
    act(&mut s, "\x1b")?;
    act(&mut s, "/")?;
    s.wait_within(|screen| status(screen).starts_with('/'), LIMIT)?;
    for (n, letter) in ["m", "i", "n"].into_iter().enumerate() {
        let typed = act(&mut s, letter)?;
        s.wait_within(|screen| !status(screen).contains("searching"), LIMIT)?;
        s.quiet_for(QUIET, LIMIT).then_some(())?;
        rows.push(row(
            &s,
            format!("letter {} typed in the search prompt", n + 1),
            typed.from,
            s.bytes(),
            Base::Changed,
            times,
        ));
    }
    s.send("\x1b");
    std::thread::sleep(QUIET);
    s.send("q");
    s.finish();
    Some(())
}

/// A held key over the slow link.
struct Relay {
    size: (u16, u16),
    /// From the last key pressed to the moment the screen at the far end was final.
    settled: Duration,
    bytes: usize,
    frames: usize,
    /// Whether the final screen is the one drawn without the link.
    right: bool,
    article: usize,
    screen: usize,
    status: String,
}

/// Over [`LINK`], with the target article open: `j` held for 2 s at 30 keys a second.
fn hold_over_link(corpus: &Corpus, target: usize, cols: u16, lines: u16) -> Option<Relay> {
    let home = tempfile::tempdir().expect("a temporary directory");
    let watch = Watch {
        record: true,
        link: Some(LINK),
    };
    let reference = held_without_link(corpus, target, cols, lines);
    let mut s = Session::spawn_watched(BYLINE, &[&corpus.path], home.path(), cols, lines, watch);
    open_target(&mut s, target)?;

    let from = s.bytes();
    let start = Instant::now();
    let mut last_key = start;
    for n in 0..HELD_KEYS {
        std::thread::sleep((start + KEY_INTERVAL * n).saturating_duration_since(Instant::now()));
        last_key = s.send("j");
    }
    answered(&s, from, RELAY_LIMIT)?;
    let to = s.bytes();

    // The moment the far end's screen became the final one and stayed so: replayed piece by
    // piece as it arrived.
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
    let final_screen = s.screen_at(to);
    let mut parser = vt100::Parser::new(size(lines), size(cols), 0);
    let mut done = 0;
    let mut right_from: Option<Instant> = None;
    for (end, at) in s.arrivals() {
        parser.process(&s.raw(done, end));
        done = end;
        if end <= from {
            continue;
        }
        if changed(parser.screen(), &final_screen, None) == 0 {
            right_from.get_or_insert(at);
        } else {
            right_from = None;
        }
    }
    let settled = right_from?.saturating_duration_since(last_key);
    // Runs of spaces squeezed: the status line is as wide as the screen.
    let status = status(&final_screen.contents())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let frames = Parts::of(&s.raw(from, to)).frames;
    s.send("q");
    s.finish();
    Some(Relay {
        size: (cols, lines),
        settled,
        bytes: to - from,
        frames,
        right: reference.is_some_and(|r| changed(&r, &final_screen, None) == 0),
        article: corpus.articles[target].len(),
        screen: usize::from(cols) * usize::from(lines),
        status,
    })
}

/// From the start to the target article open in the reader, and quiet.
fn open_target(s: &mut Session, target: usize) -> Option<()> {
    s.wait_within(listed, LIMIT)?;
    s.quiet_for(QUIET, LIMIT).then_some(())?;
    let from = s.bytes();
    s.send(&"j".repeat(target));
    answered(s, from, LIMIT)?;
    s.send("\r");
    let wanted = format!(" {}/{ARTICLES} ", target + 1);
    s.wait_within(
        |screen| status(screen).contains(&wanted) && status(screen).contains(" reader "),
        LIMIT,
    )?;
    s.quiet_for(QUIET, LIMIT).then_some(())
}

/// The screen byline draws for the held key's keys without a link in between (all at once:
/// the state they lead to is the same).
fn held_without_link(
    corpus: &Corpus,
    target: usize,
    cols: u16,
    lines: u16,
) -> Option<vt100::Screen> {
    let home = tempfile::tempdir().expect("a temporary directory");
    let watch = Watch {
        record: true,
        link: None,
    };
    let mut s = Session::spawn_watched(BYLINE, &[&corpus.path], home.path(), cols, lines, watch);
    open_target(&mut s, target)?;
    let from = s.bytes();
    s.send(&"j".repeat(HELD_KEYS as usize));
    answered(&s, from, LIMIT)?;
    let screen = s.screen_at(s.bytes());
    s.send("q");
    s.finish();
    Some(screen)
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

fn bytes(n: usize) -> String {
    format!("{} B", group_thousands(n as u64))
}

fn print_actions(rows: &[Row]) {
    println!("\n## Bytes per action\n");
    println!("| action | size | bytes | base | goal | |");
    println!("|---|---|---:|---:|---|---|");
    for row in rows {
        let base = match row.kind {
            Base::Changed => format!("{} changed", bytes(row.base)),
            Base::Pane => format!("{} pane", bytes(row.base)),
        };
        let goal = match row.goal {
            Goal::Bytes(n) => format!("≤ {}", bytes(n)),
            Goal::Times(f) => format!("≤ {f} × base = {}", bytes(row.limit())),
        };
        println!(
            "| {} | {} | {} | {base} | {goal} | {} |",
            row.action,
            size_name(row.size),
            bytes(row.bytes),
            mark(row.meets())
        );
    }
    println!(
        "\nbase: the UTF-8 bytes of the cells that differ (content or attributes) between the \
         screen before and after, by vt100; \"pane\": every cell of the reading pane plus the \
         cells that changed outside it."
    );
}

fn print_relays(relays: &[Relay]) {
    println!(
        "\n## Holding j in the reader over 1 Mbit/s, 100 ms round trip ({HELD_KEYS} keys, 30 a \
         second)\n"
    );
    println!("| size | figure | measured | goal | |");
    println!("|---|---|---:|---|---|");
    let round_trip = LINK.delay * 2;
    let settle_goal = round_trip + SETTLE_GOAL;
    for relay in relays {
        let size = size_name(relay.size);
        println!(
            "| {size} | last key → final screen | {:.0} ms | ≤ {} ms (round trip + 150 ms) | {} |",
            relay.settled.as_secs_f64() * 1000.0,
            settle_goal.as_millis(),
            mark(relay.settled <= settle_goal)
        );
        let budget = relay.article + relay.screen;
        println!(
            "| {size} | bytes written | {} | ≤ {} (article {} + screen {}) | {} |",
            bytes(relay.bytes),
            bytes(budget),
            bytes(relay.article),
            bytes(relay.screen),
            mark(relay.bytes <= budget)
        );
    }
    for relay in relays {
        println!(
            "\n{}: {} frames for {HELD_KEYS} keys; the final screen {} the one byline draws \
             for the same keys without the link; its status: {}",
            size_name(relay.size),
            relay.frames,
            if relay.right { "is" } else { "is NOT" },
            relay.status
        );
    }
}

/// Bytes by kind of sequence.
#[derive(Default, Clone, Copy)]
struct Parts {
    frames: usize,
    text: usize,
    /// Of `text`, the spaces.
    spaces: usize,
    style: usize,
    moves: usize,
    erase: usize,
    scroll: usize,
    sync: usize,
    other: usize,
}

impl Parts {
    /// Sorts a frame's bytes: printable text, SGR, cursor moves (CUP, CUU/CUD/CUF/CUB, CR, LF),
    /// erases (EL, ED), scrolling (DECSTBM, SU, SD), synchronized-update marks, the rest.
    fn of(bytes: &[u8]) -> Parts {
        let mut parts = Parts::default();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
                let mut end = i + 2;
                while end < bytes.len() && !(0x40..=0x7e).contains(&bytes[end]) {
                    end += 1;
                }
                let len = (end + 1).min(bytes.len()) - i;
                let sequence = &bytes[i..i + len];
                parts.frames += usize::from(sequence == END_OF_FRAME);
                let slot = match sequence.last() {
                    _ if sequence.starts_with(b"\x1b[?2026") => &mut parts.sync,
                    Some(b'm') => &mut parts.style,
                    Some(b'H' | b'A' | b'B' | b'C' | b'D' | b'G' | b'd') => &mut parts.moves,
                    Some(b'K' | b'J') => &mut parts.erase,
                    Some(b'r' | b'S' | b'T') => &mut parts.scroll,
                    _ => &mut parts.other,
                };
                *slot += len;
                i += len;
            } else if bytes[i] == b'\r' || bytes[i] == b'\n' {
                parts.moves += 1;
                i += 1;
            } else if bytes[i] == 0x1b || bytes[i] < 0x20 {
                parts.other += 1;
                i += 1;
            } else {
                parts.text += 1;
                parts.spaces += usize::from(bytes[i] == b' ');
                i += 1;
            }
        }
        parts
    }
}

fn print_parts(rows: &[Row]) {
    println!("\n## Where the bytes go\n");
    println!(
        "| action | size | frames | text | of which spaces | style (SGR) | moves | erase | scroll \
         | sync | other |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let p = row.parts;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.action.trim(),
            size_name(row.size),
            p.frames,
            p.text,
            p.spaces,
            p.style,
            p.moves,
            p.erase,
            p.scroll,
            p.sync,
            p.other
        );
    }
}
