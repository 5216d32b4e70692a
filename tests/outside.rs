//! Handing articles to the world outside: the effects the app asks for, and the real binary
//! running a pager, an editor, a pipe and the clipboard in a pseudo-terminal.

mod support;

use byline::export;
use byline::input::Context;
use byline::session::{Command, Effect, Msg, Overlay};
use support::pty::{Session, script};
use support::*;

fn sample_articles() -> Vec<byline::article::Article> {
    byline::loader::load(&[byline::loader::Input::Sample])
        .store
        .to_articles()
}

/// The outside work among `commands`.
fn effects(commands: Vec<Command>) -> Vec<Effect> {
    let outside = commands.into_iter().filter_map(|c| match c {
        Command::Outside(effect) => Some(effect),
        _ => None,
    });
    outside.collect()
}

/// The one piece of outside work among `commands`.
fn effect(commands: Vec<Command>) -> Effect {
    let mut effects = effects(commands);
    assert_eq!(effects.len(), 1, "{effects:?}");
    effects.remove(0)
}

#[test]
fn y_and_capital_y_copy_the_headline_and_the_article() {
    let articles = sample_articles();
    let mut app = sample_app(120, 40);
    let made = keys(&mut app, "jy");
    assert_eq!(
        effect(made),
        Effect::Copy {
            text: articles[1].headline.clone(),
            what: "headline"
        }
    );
    let made = keys(&mut app, "Y");
    assert_eq!(
        effect(made),
        Effect::Copy {
            text: export::plain_text(&articles[1]),
            what: "article"
        }
    );
    assert_eq!(
        effects(keys(&mut app, "Y")).len(),
        1,
        "each press is new work"
    );
}

#[test]
fn v_and_e_hand_the_open_article_to_the_pager_and_editor() {
    let articles = sample_articles();
    let mut app = sample_app(120, 40);
    let made = keys(&mut app, "jj<Enter>v");
    assert_eq!(
        effect(made),
        Effect::Page(export::plain_text_wrapped(&articles[2], 80))
    );
    let made = keys(&mut app, "e");
    assert_eq!(effect(made), Effect::Edit(export::plain_text(&articles[2])));
}

#[test]
fn the_pipe_prompt_takes_a_command_and_esc_cancels_it() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "|");
    assert_eq!(app.context(), Context::Line);
    let made = keys(&mut app, "wc -w<Esc>");
    assert!(matches!(app.overlay(), Overlay::None));
    assert!(effects(made).is_empty());
    let made = keys(&mut app, "|wc -w<Enter>");
    let text = export::plain_text(&sample_articles()[0]);
    assert_eq!(
        effect(made),
        Effect::Pipe {
            command: "wc -w".into(),
            text
        }
    );
}

#[test]
fn w_proposes_a_slug_and_asks_before_overwriting() {
    let articles = sample_articles();
    let mut app = sample_app(120, 40);
    keys(&mut app, "jjw");
    assert_eq!(
        app.line().text(),
        "report-calls-on-nato-to-counter-authoritarian-manipulation.md"
    );
    let made = keys(&mut app, "<Enter>");
    let path =
        std::path::PathBuf::from("report-calls-on-nato-to-counter-authoritarian-manipulation.md");
    let markdown = export::markdown(&articles[2]);
    assert_eq!(
        effect(made),
        Effect::Save {
            path: path.clone(),
            text: markdown.clone(),
            overwrite: false
        }
    );
    app.update(Msg::Exists(path.clone()));
    assert_eq!(app.context(), Context::Confirm);
    assert!(
        app.message()
            .unwrap()
            .contains("exists. Overwrite it? (y/n)")
    );
    let made = keys(&mut app, "y");
    assert_eq!(
        effect(made),
        Effect::Save {
            path,
            text: markdown,
            overwrite: true
        }
    );
}

fn wait_for_file(path: &std::path::Path) -> String {
    let start = std::time::Instant::now();
    loop {
        if let Some(text) = std::fs::read_to_string(path).ok().filter(|t| !t.is_empty()) {
            return text;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{} never written",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn the_pager_gets_the_article_and_the_screen_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("paged.txt");
    let pager = script(dir.path(), "pager", &format!("cat > '{}'", got.display()));
    let mut session = Session::start_env(Some(dir.path()), &[], &[("PAGER", &pager)]);
    session.wait_for_text("1/10");
    session.send("jj\rv");
    assert_eq!(
        wait_for_file(&got),
        export::plain_text_wrapped(&sample_articles()[2], 80)
    );
    session.wait_for_text("pager finished");
    session.wait_for("the reader again", |screen| {
        screen.alternate_screen() && screen.contents().contains("Report calls on NATO")
    });
    session.send("qq");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn a_pipe_gets_the_article_and_its_exit_status_shows() {
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("piped.txt");
    let mut session = Session::start_in(Some(dir.path()), &[], 100, 30, "xterm-256color");
    session.wait_for_text("1/10");
    session.send(&format!("|cat > '{}'; exit 3\r", got.display()));
    assert_eq!(
        wait_for_file(&got),
        export::plain_text(&sample_articles()[0])
    );
    session.wait_for_text("Press Enter to return to byline");
    session.send("\r");
    session.wait_for_text("cat exited with status 3");
    session.wait_for_text("Chaotic showdown");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn the_editor_gets_a_read_only_copy_and_a_missing_program_is_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("edited.txt");
    let mode = dir.path().join("mode.txt");
    let body = format!(
        "cp \"$1\" '{}'; stat -c %a \"$1\" > '{}'",
        got.display(),
        mode.display()
    );
    let editor = script(dir.path(), "editor", &body);
    let mut session = Session::start_env(
        Some(dir.path()),
        &[],
        &[("EDITOR", &editor), ("VISUAL", "")],
    );
    session.wait_for_text("1/10");
    session.send("e");
    assert_eq!(
        wait_for_file(&got),
        export::plain_text(&sample_articles()[0])
    );
    assert_eq!(wait_for_file(&mode), "444\n", "the copy is read-only");
    session.wait_for_text("editor finished");
    session.send("q");
    assert_eq!(session.exit_code(), 0);

    let mut session = Session::start_env(Some(dir.path()), &[], &[("PAGER", "no-such-pager-here")]);
    session.wait_for_text("1/10");
    session.send("v");
    session.wait_for_text("no-such-pager-here: command not found");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
    session.assert_restored();
    let screen = session.screen_text();
    assert!(
        !screen.contains("not found"),
        "the shell's error is left behind:\n{screen}"
    );

    // A pager that fails says why in the status line, not on the shell's screen.
    let failing = script(
        dir.path(),
        "failing",
        "echo 'less: bad option -Z' >&2; exit 2",
    );
    let mut session = Session::start_env(Some(dir.path()), &[], &[("PAGER", &failing)]);
    session.wait_for_text("1/10");
    session.send("v");
    session.wait_for_text("exited with status 2: less: bad option -Z");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn capital_y_writes_the_exact_clipboard_escape() {
    let article = &sample_articles()[6];
    let mut session = Session::start(&[], 100, 30);
    session.wait_for_text("1/10");
    session.send("jjjjjjY");
    let characters = export::plain_text(article).chars().count();
    session.wait_for_text(&format!("Copied {characters} characters"));
    let written = String::from_utf8_lossy(&session.written.lock().unwrap()).into_owned();
    let expected = byline::terminal::outside::osc52(&export::plain_text(article));
    assert!(
        written.contains(&expected),
        "the OSC 52 sequence was not written"
    );
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn w_saves_markdown_and_asks_before_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("nato.md").to_string_lossy().into_owned();
    let mut session = Session::start_in(Some(dir.path()), &[], 120, 30, "xterm-256color");
    session.wait_for_text("1/10");
    session.send("jjw\x15");
    session.send(&format!("{target}\r"));
    session.wait_for_text("Saved");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        export::markdown(&sample_articles()[2])
    );
    std::fs::write(&target, "mine").unwrap();
    session.send("w\x15");
    session.send(&format!("{target}\r"));
    session.wait_for_text("exists. Overwrite it? (y/n)");
    session.send("n");
    session.wait_for_text("Not saved");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    session.send("q");
    assert_eq!(session.exit_code(), 0);
}
