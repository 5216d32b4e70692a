use super::*;
use crate::input::parse_key;

fn error(text: &str) -> (usize, String) {
    parse(text).unwrap_err()
}

#[test]
fn an_empty_file_gives_the_defaults() {
    assert_eq!(parse("").unwrap(), Settings::default());
    assert_eq!(
        parse("# nothing\n").unwrap().layout,
        LayoutSettings::default()
    );
}

#[test]
fn a_full_file_is_read() {
    let settings = parse(
        r##"
mark_read = "end"
hyperlinks = "never"

[keys]
next = ["j", "down", "ctrl-n"]
previous = "k"

[theme]
preset = "mono"
accent = "light-blue"
tag = 208
match_bg = "#ffcc00"
muted = "8"

[layout]
list_width = 0.3
measure = 72
stack_below = 120
"##,
    )
    .unwrap();
    assert_eq!(settings.mark_read, MarkRead::End);
    assert_eq!(settings.hyperlinks, Hyperlinks::Never);
    assert_eq!(settings.theme.preset, Preset::Mono);
    assert_eq!(settings.theme.accent, Some(Color::LightBlue));
    assert_eq!(settings.theme.tag, Some(Color::Indexed(208)));
    assert_eq!(settings.theme.match_bg, Some(Color::Rgb(0xff, 0xcc, 0x00)));
    assert_eq!(settings.theme.muted, Some(Color::Indexed(8)));
    assert_eq!(
        settings.layout,
        LayoutSettings {
            list_width: 0.3,
            measure: 72,
            stack_below: 120
        }
    );
    let next = BINDINGS.iter().position(|b| b.name == "next").unwrap();
    assert_eq!(
        settings.keymap.keys(next),
        ["j", "down", "ctrl-n"].map(|k| parse_key(k).unwrap())
    );
}

#[test]
fn an_unknown_action_names_its_line() {
    assert_eq!(
        error("\n[keys]\njump = [\"x\"]\n"),
        (3, "unknown action \"jump\" in [keys]".into())
    );
}

#[test]
fn an_unknown_key_names_its_line_and_value() {
    assert_eq!(
        error("[keys]\nnext = [\"j\",\n  \"hyper-j\"]\n"),
        (3, "unknown key \"hyper-j\" for next".into())
    );
}

#[test]
fn a_key_bound_twice_is_an_error() {
    let (line, message) = error("[keys]\nnext = \"x\"\nprevious = \"x\"\n");
    assert_eq!(line, 3);
    assert_eq!(message, "key \"x\" is bound to both next and previous");
}

#[test]
fn bad_colours_name_their_line_and_value() {
    let hint = "use a name, a 0-255 index or #rrggbb";
    assert_eq!(
        error("[theme]\naccent = \"blurple\"\n"),
        (2, format!("bad colour \"blurple\": {hint}"))
    );
    assert_eq!(
        error("[theme]\n\ntag = 300\n"),
        (3, format!("bad colour 300: {hint}"))
    );
    assert_eq!(
        error("[theme]\nmatch_bg = \"#12345\"\n"),
        (2, format!("bad colour \"#12345\": {hint}"))
    );
}

#[test]
fn unknown_options_and_bad_values_are_errors() {
    let (line, message) = error("colour = 1\n");
    assert_eq!(line, 1);
    assert!(message.contains("unknown field `colour`"), "{message}");
    let (line, message) = error("\nmark_read = \"never\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("never"), "{message}");
    assert_eq!(
        error("[layout]\nlist_width = 0.95\n"),
        (2, "list_width 0.95 is outside 0.2 to 0.8".into())
    );
    assert_eq!(
        error("[layout]\nmeasure = 5\n"),
        (2, "measure 5 is below 20 columns".into())
    );
    let (line, message) = error("\n\nhyperlinks = \"sometimes\"\n");
    assert_eq!(line, 3);
    assert!(message.contains("sometimes"), "{message}");
    let (line, _) = error("[theme]\npreset = \"neon\"\n");
    assert_eq!(line, 2);
    let (line, _) = error("[keys\n");
    assert_eq!(line, 1);
}

#[test]
fn errors_are_one_line() {
    for text in [
        "[keys\n",
        "x = \n",
        "[layout]\nmeasure = \"wide\"\n",
        "[[keys]]\n",
    ] {
        let (_, message) = error(text);
        assert!(!message.contains('\n'), "{message:?}");
    }
}

#[test]
fn the_printed_configuration_reads_back_the_same() {
    let settings = parse("mark_read = \"end\"\n[keys]\nnext = [\"ctrl-n\", \"J\"]\n[theme]\naccent = \"#0a0b0c\"\ntag = \"light-red\"\nmuted = 244\n").unwrap();
    let printed = to_toml(&settings);
    let read_back = parse(&printed).unwrap();
    assert_eq!(to_toml(&read_back), printed);
    assert_eq!(read_back.theme.colors(), settings.theme.colors());
    assert_eq!(read_back.keymap, settings.keymap);
    let defaults = to_toml(&Settings::default());
    assert_eq!(to_toml(&parse(&defaults).unwrap()), defaults);
}

#[test]
fn print_config_spells_out_the_default_theme_colours() {
    let printed = to_toml(&Settings::default());
    for line in [
        "accent = \"cyan\"",
        "tag = \"cyan\"",
        "match_fg = \"black\"",
        "match_bg = \"yellow\"",
        "current_match_bg = \"light-red\"",
        "muted = \"dark-gray\"",
        "selection_bg = \"dark-gray\"",
    ] {
        assert!(printed.contains(line), "{line} missing from\n{printed}");
    }
    let mono = parse("[theme]\npreset = \"mono\"\n").unwrap();
    assert!(!to_toml(&mono).contains("accent"), "mono uses no colour");
}

#[test]
fn a_missing_file_is_fine_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    assert_eq!(load(&path, false).unwrap(), Settings::default());
    let error = load(&path, true).unwrap_err();
    assert!(
        error.ends_with("config.toml: no such file or directory"),
        "{error}"
    );
    std::fs::write(&path, "[keys]\nnext = \"hyper-j\"\n").unwrap();
    let error = load(&path, false).unwrap_err();
    assert!(
        error.ends_with("config.toml:2: unknown key \"hyper-j\" for next"),
        "{error}"
    );
}

#[test]
fn the_readme_example_is_the_defaults() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```toml\n")
        .expect("a toml block in the README")
        + "```toml\n".len();
    let end = start + readme[start..].find("```").expect("the block ends");
    let example = &readme[start..end];
    assert_eq!(parse(example).unwrap(), Settings::default());
    for binding in BINDINGS.iter() {
        assert!(
            example.contains(&format!("\n{} = ", binding.name)),
            "{} missing from the README",
            binding.name
        );
    }
}

#[test]
fn a_config_bigger_than_a_megabyte_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    // Valid TOML (comments), so only the size can refuse it.
    let line = format!("# {}\n", "x".repeat(98));
    std::fs::write(&path, line.repeat(11_000)).unwrap();
    let error = load(&path, true).unwrap_err();
    assert!(
        error.ends_with("config.toml: larger than 1 MB; not a configuration"),
        "{error}"
    );
    std::fs::write(&path, line.repeat(10_000)).unwrap();
    assert_eq!(
        load(&path, true).unwrap(),
        Settings::default(),
        "under the cap is read"
    );
}

#[test]
fn a_device_or_a_directory_as_the_config_is_refused_unread() {
    let error = load(Path::new("/dev/zero"), true).unwrap_err();
    assert_eq!(error, "/dev/zero: not a regular file");
    let dir = tempfile::tempdir().unwrap();
    let error = load(dir.path(), false).unwrap_err();
    assert!(error.ends_with(": not a regular file"), "{error}");
}

#[test]
fn feeds_are_fetched_every_half_hour_unless_the_file_says_otherwise() {
    assert_eq!(Settings::default().refresh_minutes, 30);
    assert_eq!(parse("refresh_minutes = 5").unwrap().refresh_minutes, 5);
    let (line, message) = parse("\nrefresh_minutes = -1").unwrap_err();
    assert_eq!(line, 2, "{message}");
}
