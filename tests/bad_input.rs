//! Every kind of bad input, alone and next to a good file: it loads (with a warning where
//! something was replaced) or exits 2 with one line naming the path and the cause, never a
//! panic or a hang, and within a few times its size in memory. How fast is measured in
//! `cargo bench`, not here: a loaded machine must not fail the tests. Every input that loads
//! is also read in a pty: opened, searched, stepped through and left with the terminal restored.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What an input should come to.
enum Expect {
    /// Loads; stderr holds this warning, if any.
    Loads(Option<&'static str>),
    /// Exits 2 with this cause on the one line naming the path.
    Fails(&'static str),
}

struct Case {
    name: &'static str,
    /// Makes the input in `dir` and returns its path.
    make: fn(&Path) -> PathBuf,
    expect: Expect,
}

/// Longer than any input here takes on the slowest machine: only a hang reaches it.
const HANG: Duration = Duration::from_secs(60);

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const CASES: &[Case] = &[
    Case {
        name: "missing path",
        make: |d| d.join("missing.txt"),
        expect: Expect::Fails("no such file or directory"),
    },
    Case {
        name: "directory without articles",
        make: |d| {
            let dir = d.join("empty-dir");
            std::fs::create_dir(&dir).unwrap();
            file(&dir, "notes.md", b"not an article file");
            dir
        },
        expect: Expect::Fails(": no articles found"),
    },
    Case {
        name: "a device",
        make: |_| PathBuf::from("/dev/zero"),
        expect: Expect::Fails("not a regular file or a pipe"),
    },
    Case {
        name: "binary file",
        make: |d| file(d, "a.out.txt", b"\x7fELF\x02\x01\0\0\0\0"),
        expect: Expect::Fails("not a text file"),
    },
    Case {
        name: "empty file",
        make: |d| file(d, "empty.txt", b""),
        expect: Expect::Fails(": no articles found"),
    },
    Case {
        name: "blank lines only",
        make: |d| file(d, "blank.txt", b"\n  \n\t\n\r\n"),
        expect: Expect::Fails(": no articles found"),
    },
    Case {
        name: "invalid UTF-8",
        make: |d| {
            file(
                d,
                "latin1.txt",
                b"Caf\xe9 au lait\n\nBody \xff.\nView 2 times\n",
            )
        },
        expect: Expect::Loads(Some("invalid UTF-8 sequences replaced")),
    },
    Case {
        name: "a 50 MB single line",
        make: |d| {
            file(
                d,
                "line.txt",
                &[b"word ".repeat(10 * 1024 * 1024), b"end".to_vec()].concat(),
            )
        },
        expect: Expect::Loads(None),
    },
    Case {
        name: "10,000 empty articles",
        make: |d| file(d, "views.txt", &b"View 1 times\n".repeat(10_000)),
        expect: Expect::Fails(": no articles found"),
    },
    Case {
        name: "10,000 empty articles and one real one",
        make: |d| {
            file(
                d,
                "views-and-one.txt",
                &[b"Real\n".as_slice(), &b"View 1 times\n".repeat(10_000)].concat(),
            )
        },
        expect: Expect::Loads(Some("skipped 9999 empty articles")),
    },
    Case {
        name: "truncated JSON",
        make: |d| {
            file(
                d,
                "cut.json",
                b"[{\"headline\": \"one\"}, {\"headline\": \"tw",
            )
        },
        expect: Expect::Fails("invalid JSON: EOF while parsing a string at line 1 column"),
    },
    Case {
        name: "JSON of the wrong type",
        make: |d| file(d, "types.json", b"[{\"headline\": [1, 2]}]"),
        expect: Expect::Fails("invalid JSON: invalid type: sequence, expected a string at line 1"),
    },
    Case {
        name: "JSON that is not articles",
        make: |d| file(d, "scalar.json", b"\"just a string\""),
        expect: Expect::Fails("invalid JSON"),
    },
    Case {
        name: "JSON nested 10,000 levels deep in an unknown field",
        make: |d| {
            let nested = [
                b"[{\"headline\": \"x\", \"extra\": ".to_vec(),
                b"[".repeat(10_000),
                b"]".repeat(10_000),
                b"}]".to_vec(),
            ];
            file(d, "deep.json", &nested.concat())
        },
        expect: Expect::Loads(None),
    },
    Case {
        name: "JSON objects nested 10,000 levels deep",
        make: |d| {
            file(
                d,
                "deep-objects.json",
                &[
                    b"{\"a\":".repeat(10_000),
                    b"1".to_vec(),
                    b"}".repeat(10_000),
                ]
                .concat(),
            )
        },
        expect: Expect::Fails("invalid JSON: missing field `headline` at line 1 column 60001"),
    },
    Case {
        name: "a headline of 100,000 characters",
        make: |d| {
            file(
                d,
                "long.txt",
                &[b"x".repeat(100_000), b"\n\nBody.\n".to_vec()].concat(),
            )
        },
        expect: Expect::Loads(None),
    },
];

/// Runs `byline --list ARGS`, killing it if it hangs (runs for more than a minute).
fn run(args: &[&Path]) -> (Option<i32>, String, String, u64) {
    let home = std::env::temp_dir().join("byline-tests-no-such-home");
    let mut child = Command::new(env!("CARGO_BIN_EXE_byline"))
        .arg("--list")
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let stdout = child.stdout.take().unwrap();
    let reading = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    // The child's own peak, read while it runs: rusage would count what the test process had
    // when it started the child, and other tests in this process hold large inputs.
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_rss_kib(child.id() as i32).unwrap_or(0) * 1024);
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            child.kill().unwrap();
            panic!("byline {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
    (status.code(), reading.join().unwrap(), stderr, peak)
}

fn check(case: &Case, args: &[&Path], bad: &Path) {
    let (code, stdout, stderr, peak) = run(args);
    let name = case.name;
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    let size = std::fs::metadata(bad).map_or(0, |m| m.len());
    assert!(
        peak < 64 * 1024 * 1024 + 4 * size,
        "{name}: peak {} MiB",
        peak >> 20
    );
    match case.expect {
        Expect::Loads(warning) => {
            assert_eq!(code, Some(0), "{name}: {stderr}");
            assert!(!stdout.is_empty(), "{name}");
            match warning {
                Some(warning) => assert!(stderr.contains(warning), "{name}: {stderr}"),
                None => assert!(stderr.is_empty(), "{name}: {stderr}"),
            }
        }
        Expect::Fails(cause) => {
            assert_eq!(code, Some(2), "{name}: {stderr}");
            assert!(stdout.is_empty(), "{name}: {stdout}");
            assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
            assert!(stderr.contains(&*bad.to_string_lossy()), "{name}: {stderr}");
            assert!(stderr.contains(cause), "{name}: {cause:?} not in {stderr}");
        }
    }
}

#[test]
fn every_bad_input_alone_and_with_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = file(
        dir.path(),
        "good.txt",
        b"A good headline\n\nA good body.\nView 5 times\n",
    );
    for case in CASES {
        let bad = (case.make)(dir.path());
        check(case, &[&bad], &bad);
        check(case, &[&bad, &good], &bad);
        check(case, &[&good, &bad], &bad);
    }
}

/// The letter searched for in each input that loads: one its article holds.
const LETTERS: &[(&str, &str)] = &[
    ("invalid UTF-8", "c"),
    ("a 50 MB single line", "w"),
    ("10,000 empty articles and one real one", "r"),
    ("JSON nested 10,000 levels deep in an unknown field", "x"),
    ("a headline of 100,000 characters", "x"),
];

/// Peak resident memory of a process in KiB, from /proc.
fn peak_rss_kib(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Opens `path` in the reader, searches for `letter`, steps to the next match and the end,
/// and quits; returns the peak memory in bytes.
fn read_in_the_reader(name: &str, path: &Path, letter: &str) -> u64 {
    let path = path.to_string_lossy();
    let mut session = support::pty::Session::start(&[&path], 100, 30);
    session.wait_for(&format!("{name}: the list"), |s| {
        s.contents().contains(" list ")
    });
    session.send("\r");
    session.wait_for(&format!("{name}: the open article"), |s| {
        s.contents().contains(" reader ") && s.contents().contains("% ")
    });
    session.send("/");
    session.send(letter);
    session.send("\r\r");
    session.send("n");
    session.send("G");
    session.wait_for(&format!("{name}: the end of the article"), |s| {
        s.contents().contains("100% ")
    });
    let peak = peak_rss_kib(session.pid()).unwrap_or(0) * 1024;
    // q goes back to the list from the reader, and quits from there.
    session.send("q");
    session.wait_for(&format!("{name}: the list again"), |s| {
        s.contents().contains(" list ")
    });
    session.send("q");
    assert_eq!(session.exit_code(), 0, "{name}");
    session.assert_restored();
    peak
}

#[test]
fn every_input_that_loads_opens_searches_and_scrolls_in_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    for case in CASES
        .iter()
        .filter(|c| matches!(c.expect, Expect::Loads(_)))
    {
        let letter = LETTERS
            .iter()
            .find(|(name, _)| *name == case.name)
            .map(|(_, letter)| *letter)
            .unwrap_or_else(|| panic!("{}: no letter to search for", case.name));
        let path = (case.make)(dir.path());
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let peak = read_in_the_reader(case.name, &path, letter);
        // The article and its folded copy for search; its line starts take a few bytes a line.
        // The rest is the process itself: a debug build with the feed and HTTP code maps ~20 MiB.
        assert!(
            peak < 48 * 1024 * 1024 + 2 * size,
            "{}: peak {} MiB",
            case.name,
            peak >> 20
        );
    }
}

/// The column of the first `│` (the border between the panes) on `row`.
fn border_column(screen: &vt100::Screen, row: u16) -> Option<u16> {
    let (_, cols) = screen.size();
    (0..cols.get()).find(|&col| screen.cell(row, col).is_some_and(|c| c.contents() == "│"))
}

#[test]
fn a_zero_width_joiner_chain_in_a_headline_keeps_its_row_and_unread_mark_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let family = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}";
    let dump = format!(
        "A {family} family day\n\nBody {family}.\nView 5 times\nA plain day\n\nBody.\nView 5 times\n"
    );
    let path = file(dir.path(), "zwj.txt", dump.as_bytes());
    let path = path.to_string_lossy();
    let mut session = support::pty::Session::start(&[&path], 100, 20);
    session.wait_for("both rows", |s| s.contents().contains("A plain day"));
    session.send("\r");
    session.wait_for("the open article", |s| s.contents().contains(" reader "));
    {
        // Terminals disagree on how wide a joined sequence is (tmux draws its parts, six
        // columns, where byline counted two): the joiner never reaches the terminal, so every
        // terminal draws the parts, as wide as byline counts them.
        let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
        assert!(
            !written.contains('\u{200D}'),
            "a zero-width joiner was written"
        );
        assert!(written.contains('\u{1F467}'));
        let parser = session.parser.lock().unwrap();
        let screen = parser.screen();
        assert_eq!(border_column(screen, 0), border_column(screen, 1));
        assert_eq!(screen.cell(1, 0).map(|c| c.contents()), Some("●"));
    }
    session.send("q");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
}
