//! The manual page (`byline --man`): the options from the command line's own definition, the
//! keys from the binding table the help overlay shows, and the tables below, which the README
//! repeats (a test holds the two together).

use std::io::{self, Write};

use crate::input::Keymap;
use crate::ui::help;

/// The search syntax: a query and what the articles it finds contain.
pub const SEARCH_SYNTAX: &[(&str, &str)] = &[
    (
        "troops chicago",
        "both words, in any order (words match anywhere, so nat finds NATO)",
    ),
    ("\"red state\"", "the phrase"),
    ("#Russia", "the tag Russia"),
    ("putin -pakistan", "putin but not pakistan"),
];

/// How byline ends and the status it exits with.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "q or Ctrl-c, or the output was printed"),
    (
        "2",
        "a bad input or configuration, before the terminal is touched",
    ),
    ("101", "a crash (a bug), with the terminal restored first"),
    ("129", "SIGHUP, or the terminal went away"),
    ("130", "SIGINT from outside"),
    ("143", "SIGTERM"),
    (
        "128 plus the signal's number",
        "SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU or SIGXFSZ",
    ),
    (
        "killed by SIGABRT",
        "an abort (out of memory): the terminal restored, and a line saying that reset \
         restores it",
    ),
];

/// Environment variables byline reads, and what for.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "set and not empty: no colours; bold, reverse and underline still mark things",
    ),
    ("TERM", "dumb: print the list instead of opening the reader"),
    ("PAGER", "the pager for v (default less)"),
    ("VISUAL, EDITOR", "the editor for e (default vi)"),
    (
        "XDG_CONFIG_HOME",
        "where byline/config.toml and byline/urls are looked for (default ~/.config)",
    ),
    (
        "XDG_STATE_HOME",
        "where the reading state is kept (default ~/.local/state)",
    ),
    (
        "XDG_CACHE_HOME",
        "where the indexes of dumps and fetched feeds are kept (default ~/.cache)",
    ),
];

const DESCRIPTION: &[&str] = &[
    "byline is a terminal reader for news articles. It opens article dumps (of a million \
     articles too: their text is read only when needed), JSON and JSON Lines files and shows a headline list and a reading pane, driven by the keyboard, \
     over SSH as well as locally.",
    "Each PATH is a dump or JSON file, a named pipe, a directory (every .txt, .json, .jsonl and .ndjson file \
     directly in it, in name order; hidden files and subfolders are skipped), or - for standard \
     input. With no PATH, byline opens the sample built into it.",
    "With none of --list, --json and --markdown byline opens the reader; when standard output is \
     not a terminal, or TERM is dumb, it prints the --list output instead. A dump piped into \
     byline - opens the reader with keys read from the terminal.",
];

const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/byline/config.toml",
        "the configuration: keys, theme, layout, when an article counts as read \
         (byline --print-config prints it in full)",
    ),
    (
        "$XDG_STATE_HOME/byline/state.db",
        "what was read and starred, and where each set of inputs was left",
    ),
    (
        "$XDG_CACHE_HOME/byline/index/",
        "where each dump's articles lie and what the list shows of them, so that an archive \
         opens without being read through (safe to delete)",
    ),
];

/// Writes the manual page for `command` (the parsed command line's definition) as roff.
pub fn render(command: clap::Command, examples: &str, out: &mut impl Write) -> io::Result<()> {
    let man = clap_mangen::Man::new(command);
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    page.extend_from_slice(b".SH SYNOPSIS\n\\fBbyline\\fR [\\fIOPTIONS\\fR] [\\fIPATH\\fR]...\n");
    section(&mut page, "DESCRIPTION");
    for paragraph in DESCRIPTION {
        paragraph_of(&mut page, paragraph);
    }
    man.render_options_section(&mut page)?;
    section(&mut page, "KEYS");
    paragraph_of(
        &mut page,
        "Every key but Ctrl-c can be changed in the configuration file; these are the defaults.",
    );
    for [keys, list, reader] in help::rows(&Keymap::default()) {
        let what = match (list.as_str(), reader.as_str()) {
            (list, reader) if list == reader => format!("{}.", capitalised(list)),
            ("–", reader) => format!("In the reader: {reader}."),
            (list, "–") => format!("In the list: {list}."),
            (list, reader) => format!("In the list: {list}. In the reader: {reader}."),
        };
        term(&mut page, &keys, &what);
    }
    section(&mut page, "SEARCH");
    paragraph_of(
        &mut page,
        "/ opens a prompt and the list filters as you type. A query matches articles that \
         contain:",
    );
    for (query, finds) in SEARCH_SYNTAX {
        term(&mut page, query, finds);
    }
    paragraph_of(
        &mut page,
        "Case is ignored unless a word or phrase has an uppercase letter (tags match in any \
         case); accents are always ignored. Articles whose headline matches come first.",
    );
    paragraph_of(&mut page, &Keymap::default().prompt_help());
    section(&mut page, "FILES");
    for (file, what) in FILES {
        term(&mut page, file, what);
    }
    section(&mut page, "ENVIRONMENT");
    for (name, what) in ENVIRONMENT {
        term(&mut page, name, what);
    }
    section(&mut page, "EXIT STATUS");
    for (status, when) in EXIT_STATUS {
        term(&mut page, status, when);
    }
    section(&mut page, "EXAMPLES");
    page.extend_from_slice(b".nf\n");
    for line in examples.lines().skip_while(|l| l.ends_with(':')) {
        page.extend_from_slice(escape(line.trim_start()).as_bytes());
        page.push(b'\n');
    }
    page.extend_from_slice(b".fi\n");
    out.write_all(&page)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn section(page: &mut Vec<u8>, name: &str) {
    page.extend_from_slice(format!(".SH {name}\n").as_bytes());
}

fn paragraph_of(page: &mut Vec<u8>, text: &str) {
    page.extend_from_slice(format!(".PP\n{}\n", escape(text)).as_bytes());
}

/// A tagged paragraph: the term in bold, what it means indented below.
fn term(page: &mut Vec<u8>, name: &str, text: &str) {
    page.extend_from_slice(format!(".TP\n\\fB{}\\fR\n{}\n", escape(name), escape(text)).as_bytes());
}

/// Text that roff shows as written: backslashes and hyphens escaped, and no line starting with
/// a control character.
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_roff() {
        assert_eq!(escape(".hidden -x a\\b"), "\\&.hidden \\-x a\\eb");
        assert_eq!(escape("'quoted'"), "\\&'quoted'");
    }

    #[test]
    fn the_readme_agrees_with_the_manual() {
        let readme = include_str!("../README.md");
        for (query, _) in SEARCH_SYNTAX {
            assert!(
                readme.contains(&format!("| `{query}` |")),
                "{query} not in the README"
            );
        }
        for (status, _) in EXIT_STATUS {
            let row = [" |", ",", ";", " ("].map(|end| format!("| {status}{end}"));
            assert!(
                row.iter().any(|r| readme.replace('`', "").contains(r)),
                "exit {status} not in README"
            );
        }
        for (names, _) in ENVIRONMENT {
            let quoted: Vec<String> = names.split(", ").map(|n| format!("`{n}")).collect();
            let row = format!("| {}", quoted.join("`, "));
            assert!(readme.contains(&row), "{names} not in the README");
        }
    }
}
