//! The binary's non-interactive behaviour: outputs, exit codes and error messages.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary, with configuration and state directories of its own that hold nothing, so no
/// test depends on the files of whoever runs it.
fn command() -> Command {
    command_for(env!("CARGO_BIN_EXE_byline"))
}

fn command_for(program: &str) -> Command {
    let mut command = Command::new(program);
    let empty = std::env::temp_dir().join("byline-tests-no-such-home");
    command
        .env("HOME", &empty)
        .env("XDG_CONFIG_HOME", empty.join("config"))
        .env("XDG_STATE_HOME", empty.join("state"))
        .env("XDG_CACHE_HOME", empty.join("cache"));
    command
}

fn byline(args: &[&str]) -> Output {
    command()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write test input");
    path.to_string_lossy().into_owned()
}

/// Asserts a failed run: exit code 2, nothing on stdout, one line on stderr holding `needles`.
fn assert_fails(output: &Output, needles: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {err}");
    assert!(output.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    assert!(err.starts_with("byline: "), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} not in {err:?}");
    }
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
}

#[test]
fn list_prints_the_sample_tab_separated() {
    let output = byline(&["--list"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10);
    assert_eq!(
        lines[2],
        "3\t217\tReport calls on NATO to counter authoritarian manipulation, disinformation."
    );
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn without_a_terminal_the_reader_falls_back_to_the_list() {
    let output = byline(&[]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("1\t227\tChaotic showdown"), "{text}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn json_round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let first = byline(&["--json"]);
    assert!(first.status.success());
    let path = write(dir.path(), "a.json", &first.stdout);
    let second = byline(&["--json", &path]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(stdout(&first), stdout(&second));
}

#[test]
fn json_has_exactly_the_model_fields() {
    let output = byline(&["--json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let articles = value.as_array().unwrap();
    assert_eq!(articles.len(), 10);
    let keys: Vec<&str> = articles[6]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "id",
        "headline",
        "standfirst",
        "body",
        "credits",
        "source",
        "tags",
        "views",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(articles[6]["standfirst"], serde_json::Value::Null);
    assert_eq!(articles[6]["body"], serde_json::json!([]));
    assert_eq!(articles[6]["views"], 208);
}

#[test]
fn json_lines_and_stdin_load() {
    let mut child = command()
        .args(["--list", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"headline\":\"One\",\"views\":5}\n{\"headline\":\"Two\"}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(stdout(&output), "1\t5\tOne\n2\t\tTwo\n");
}

#[test]
fn standard_input_is_read_without_limit_no_more() {
    // An endless stream of NUL bytes is refused at its first chunk, not read until memory runs out.
    let output = command()
        .args(["--list", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "byline: <stdin>: not a text file (it contains NUL bytes)\n"
    );
}

#[test]
fn a_directory_loads_its_supported_files_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.txt", b"Second\nView 2 times\n");
    write(dir.path(), "a.jsonl", b"{\"headline\":\"First\"}\n");
    write(dir.path(), "notes.md", b"Ignored\n");
    write(dir.path(), ".hidden.txt", b"Hidden\n");
    let output = byline(&["--list", &dir.path().to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "1\t\tFirst\n2\t2\tSecond\n");
}

#[test]
fn a_missing_path_exits_2_naming_it() {
    assert_fails(
        &byline(&["--list", "no/such/file.txt"]),
        &["no/such/file.txt", "no such file"],
    );
}

#[test]
fn an_error_that_cannot_be_told_still_exits_2_and_never_panics() {
    // Standard error may be gone (a terminal that hung up); /dev/full refuses every write.
    let status = command()
        .args(["--list", "no/such/file.txt"])
        .stdin(Stdio::null())
        .stderr(std::fs::File::create("/dev/full").unwrap())
        .status()
        .expect("the binary runs");
    assert_eq!(status.code(), Some(2));
}

#[test]
fn an_empty_file_has_no_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.txt", b"");
    assert_fails(
        &byline(&["--list", &path]),
        &[&format!("{path}: no articles found")],
    );
}

#[test]
fn a_directory_without_articles_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "readme.md", b"nothing here");
    let name = dir.path().to_string_lossy().into_owned();
    assert_fails(
        &byline(&["--list", &name]),
        &[
            &format!("{name}: no articles found"),
            "subfolders are skipped",
        ],
    );
}

#[test]
fn a_binary_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "blob.txt", b"\x7fELF\x02\x01\x01\0\0\0");
    assert_fails(&byline(&["--list", &path]), &[&path, "not a text file"]);
}

#[test]
fn malformed_json_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.json",
        b"[\n  {\"headline\": \"ok\"},\n  {\"headline\": \n",
    );
    assert_fails(
        &byline(&["--list", &path]),
        &[&path, "invalid JSON", "line 4 column 0"],
    );
}

#[test]
fn permission_denied_is_reported_alone_and_next_to_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret.txt", b"Headline\n");
    let good = write(dir.path(), "good.txt", b"Good\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_reader = |args: &[&str]| {
        let mut command = command();
        if std::fs::read(&path).is_ok() {
            // Root reads anything, so run the binary as an unprivileged user instead.
            command = command_for("setpriv");
            command.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_byline"),
            ]);
        }
        command.arg("--list").args(args).output().unwrap()
    };
    assert_fails(&as_reader(&[&path]), &[&path, "permission denied"]);
    assert_fails(&as_reader(&[&good, &path]), &[&path, "permission denied"]);
}

#[test]
fn invalid_utf8_loads_with_a_warning_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "latin1.txt",
        b"Caf\xe9 opens\n\nBody.\nView 4 times\n",
    );
    let output = byline(&["--list", &path]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "1\t4\tCaf\u{FFFD} opens\n");
    assert_eq!(
        stderr(&output),
        format!("byline: warning: {path}: 1 invalid UTF-8 sequence replaced with \u{FFFD}\n")
    );
}

#[test]
fn escape_bytes_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "evil.txt",
        b"Evil \x1b[2J\x1b]52;c;aGk=\x07 head\n\nView 1 times\n",
    );
    let output = byline(&["--list", &path]);
    assert!(output.status.success());
    assert!(!output.stdout.contains(&0x1b) && !output.stdout.contains(&0x07));
    assert_eq!(
        stdout(&output),
        "1\t1\tEvil \u{FFFD}[2J\u{FFFD}]52;c;aGk=\u{FFFD} head\n"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = command()
        .args(["--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn help_shows_examples_and_version_prints() {
    let help = byline(&["--help"]);
    assert!(help.status.success());
    assert!(stdout(&help).contains("Examples:"));
    let version = byline(&["-V"]);
    assert_eq!(
        stdout(&version),
        format!("byline {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_options_are_usage_errors() {
    let output = byline(&["--frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn print_config_prints_every_option_and_reads_back() {
    let output = byline(&["--print-config"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for needle in [
        "mark_read = \"open\"",
        "[keys]",
        "next = [",
        "\"ctrl-d\"",
        "[theme]",
        "preset = \"default\"",
        "[layout]",
        "measure = 80",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "config.toml", text.as_bytes());
    let again = byline(&["--config", &path, "--print-config"]);
    assert_eq!(stdout(&again), text);
}

#[test]
fn a_config_file_changes_the_printed_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        b"mark_read = \"end\"\n[keys]\nnext = [\"ctrl-n\"]\n",
    );
    let output = byline(&["--config", &path, "--print-config"]);
    let text = stdout(&output);
    assert!(text.contains("mark_read = \"end\""), "{text}");
    assert!(text.contains("next = [\"ctrl-n\"]"), "{text}");
}

#[test]
fn a_bad_config_exits_2_naming_file_line_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        b"[theme]\naccent = \"blue\"\ntag = \"plaid\"\n",
    );
    let output = byline(&["--config", &path]);
    assert_fails(&output, &[&format!("{path}:3:"), "\"plaid\""]);
    let path = write(dir.path(), "k.toml", b"[keys]\nfly = [\"f\"]\n");
    assert_fails(
        &byline(&["--config", &path, "--list"]),
        &[&format!("{path}:2:"), "unknown action \"fly\""],
    );
}

#[test]
fn a_missing_config_named_on_the_command_line_is_an_error() {
    assert_fails(
        &byline(&["--config", "/no/such/config.toml"]),
        &["/no/such/config.toml", "no such file"],
    );
}

#[test]
fn the_default_config_file_is_read_from_xdg_config_home() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("byline")).unwrap();
    write(
        &dir.path().join("byline"),
        "config.toml",
        b"[layout]\nmeasure = 66\n",
    );
    let output = command()
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("--print-config")
        .output()
        .unwrap();
    assert!(
        stdout(&output).contains("measure = 66"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn error_messages_never_carry_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "c.toml", b"[keys]\nnext = [\"\\u001b[2J\"]\n");
    let output = byline(&["--config", &config]);
    assert_fails(&output, &["unknown key"]);
    assert!(!output.stderr.contains(&0x1b));
    let json = write(
        dir.path(),
        "a.json",
        b"[{\"headline\": \"x\", \"views\": \"\\u001b]52;c;x\\u0007\"}]",
    );
    let output = byline(&["--list", &json]);
    assert_fails(&output, &["invalid JSON"]);
    assert!(
        !output.stderr.contains(&0x1b) && !output.stderr.contains(&0x07),
        "{}",
        stderr(&output)
    );
    let name = dir.path().join("evil\u{1b}[2J\u{202e}.txt");
    std::fs::write(&name, b"").unwrap();
    let output = byline(&["--list", &name.to_string_lossy()]);
    assert_fails(&output, &[": no articles found"]);
    assert!(!stderr(&output).contains('\u{1b}') && !stderr(&output).contains('\u{202e}'));
}

#[test]
fn search_filters_list_json_and_markdown() {
    let list = byline(&["--list", "--search", "trump"]);
    let text = stdout(&list);
    let indices: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        indices,
        ["1", "4", "2", "5"],
        "as the reader lists them: headline matches first, each with its place in the file"
    );
    let json = byline(&["--json", "--search", "#nato"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value.as_array().unwrap().len(), 1);
    let markdown = stdout(&byline(&["--markdown", "--search", "\"red state\""]));
    assert!(
        markdown.starts_with("# Trump suggests National Guard could go into New Orleans"),
        "{markdown}"
    );
    assert_eq!(markdown.matches("\n# ").count() + 1, 1);
}

#[test]
fn a_search_that_starts_with_a_minus_is_a_query_not_an_option() {
    let list = byline(&["--list", "--search", "-trump"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let indices: Vec<String> = stdout(&list)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect();
    assert_eq!(indices, ["3", "6", "7", "8", "9", "10"]);
}

#[test]
fn markdown_prints_every_article_separated_by_rules() {
    let text = stdout(&byline(&["--markdown"]));
    assert_eq!(text.lines().filter(|l| l.starts_with("# ")).count(), 10);
    assert!(text.contains("\n## Visit to Beijing\n"));
}

#[test]
fn completions_and_the_man_page_come_from_the_arguments() {
    for shell in ["bash", "zsh", "fish"] {
        let output = byline(&["--completions", shell]);
        assert!(output.status.success(), "{shell}");
        assert!(stdout(&output).contains("no-state"), "{shell}");
    }
    let man = stdout(&byline(&["--man"]));
    assert!(
        man.starts_with(".ie") || man.contains(".TH byline"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(man.contains("print\\-config") || man.contains("print-config"));
    assert_eq!(byline(&["--completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_man_page_has_the_sections_a_reader_looks_for_and_every_key() {
    let output = byline(&["--man"]);
    assert!(output.status.success());
    let page = stdout(&output);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "KEYS",
        "SEARCH",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
        "EXAMPLES",
    ] {
        assert!(page.contains(&format!(".SH {section}\n")), "no {section}");
    }
    assert!(
        !page.contains(".SH EXTRA"),
        "examples reflowed as an extra section"
    );
    assert!(page.contains("\\fBbyline\\fR [\\fIOPTIONS\\fR] [\\fIPATH\\fR]..."));
    assert!(page.contains("\\fB\\-\\-search\\fR \\fI<QUERY>\\fR"));
    for keys in [
        "j ↓ / k ↑",
        "Ctrl\\-r",
        "PgDn / PgUp",
        "g Home / G End",
        "Ctrl\\-z",
    ] {
        assert!(page.contains(&format!(".TP\n\\fB{keys}")), "{keys} missing");
    }
    assert!(page.contains(".nf\nbyline "), "examples kept line by line");
}

#[test]
fn a_named_pipe_is_read_like_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("dump.txt");
    nix::unistd::mkfifo(&pipe, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let writing = pipe.clone();
    // What `byline <(zcat dump.gz)` gives: a pipe with a writer at the other end.
    let writer = std::thread::spawn(move || {
        std::fs::write(writing, "Piped headline\n\nPiped body.\nView 3 times\n").unwrap()
    });
    let output = byline(&["--list", &pipe.to_string_lossy()]);
    writer.join().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "1\t3\tPiped headline\n");
}

#[test]
fn a_dump_is_indexed_once_and_read_on_from_its_index_when_it_grows() {
    use byline::store::index::DumpIndex;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let path = write(dir.path(), "dump.txt", byline::loader::SAMPLE);
    let list = || {
        let output = command()
            .env("XDG_CACHE_HOME", &cache)
            .args(["--list", &path])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let first = list();
    let canonical = std::fs::canonicalize(&path).unwrap();
    let mut kept = DumpIndex::read(&cache, &canonical).expect("the index is kept");
    assert_eq!(kept.rows.len(), 10);
    // What the list shows comes from the kept index, not from reading the dump again.
    let mut summary = kept.rows.summary(0).unwrap().to_summary();
    summary.headline = "From the kept index".into();
    kept.rows = kept.rows.with_summary(0, &summary);
    kept.write(&cache, &canonical).unwrap();
    let second = list();
    assert_eq!(second.lines().next(), Some("1\t227\tFrom the kept index"));
    assert_eq!(
        second.lines().skip(1).collect::<Vec<_>>(),
        first.lines().skip(1).collect::<Vec<_>>()
    );
    // An appended article is read on from the index; the rest is not read again.
    let mut dump = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(
        &mut dump,
        b"An appended headline\n\nIts body.\nView 5 times\n",
    )
    .unwrap();
    let grown = list();
    assert_eq!(grown.lines().next(), Some("1\t227\tFrom the kept index"));
    assert_eq!(grown.lines().last(), Some("11\t5\tAn appended headline"));
    // A rewritten dump is read again whole.
    std::fs::write(&path, b"A new dump\n\nBody.\nView 1 times\n").unwrap();
    assert_eq!(list(), "1\t1\tA new dump\n");
}
