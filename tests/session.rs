//! A session driven by messages alone: no terminal, no threads, no clock. Where the runtime
//! would act, the test does: it answers searches, reloads, and refuses what its host cannot do.

mod support;

use byline::config::Settings;
use byline::input::{Action, Context, Edit, Keymap, parse_key};
use byline::search::{self, background::Request};
use byline::session::{Capability, Command, Effect, Msg, Options, Overlay, Session};
use byline::state::State;
use support::*;

const DUMP: &str = "Storm closes the harbour\n\nBoats stay in port.\nView 3 times\n\
Council votes on the budget\n\nThe harbour fund grows.\nView 5 times\n\
Festival opens downtown\n\nMusic all week.\nView 1 times\n";

/// What the runtime does with commands, as far as a test with no terminal needs: searches
/// are answered at once, outside work is refused (this host runs no programs and writes no
/// files), and everything else is collected.
#[derive(Default)]
struct Host {
    persisted: usize,
    reloads: usize,
    refused: Vec<Effect>,
    quit: bool,
}

impl Host {
    /// Hands `msg` to the session and carries out what it asks, and what that asks in turn.
    fn send(&mut self, session: &mut Session, msg: impl Into<Msg>) {
        let mut work = session.update(msg);
        while !work.is_empty() {
            let mut next = Vec::new();
            for command in work {
                let report = match command {
                    Command::Search(request) => Some(Msg::Searched(answer(request))),
                    Command::Outside(effect) => {
                        let refusal = effect.needs().refusal();
                        self.refused.push(effect);
                        Some(Msg::Notify(refusal.into()))
                    }
                    Command::Persist(changes) => {
                        self.persisted += changes.len();
                        None
                    }
                    Command::Reload => {
                        self.reloads += 1;
                        None
                    }
                    Command::Quit => {
                        self.quit = true;
                        None
                    }
                    Command::Retire(_) | Command::Suspend => None,
                };
                next.extend(report.map(|msg| session.update(msg)).unwrap_or_default());
            }
            work = next;
        }
    }
}

/// The whole answer to a request, as the worker would post it.
fn answer(request: Request) -> byline::search::background::Answer {
    let all: Vec<usize> = (0..request.store.len()).collect();
    let candidates = request.candidates.as_deref().unwrap_or(&all);
    byline::search::background::Answer {
        generation: request.generation,
        matched: search::search(&request.store, &request.query, candidates),
        query: request.query,
        complete: true,
    }
}

fn session_with(settings: Settings) -> Session {
    let options = Options {
        settings,
        ..Options::default()
    };
    let mut session = Session::new(corpus(DUMP), options, State::default());
    session.search_in_background();
    session.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    session
}

fn typed(host: &mut Host, session: &mut Session, text: &str) {
    for c in text.chars() {
        host.send(session, Action::Prompt(Edit::Insert(c)));
    }
}

#[test]
fn a_session_opens_searches_marks_reloads_and_hears_a_refusal_through_messages_alone() {
    let (mut host, mut session) = (Host::default(), session_with(Settings::default()));
    // Open the second article: it is read, and the change goes to the saver.
    host.send(&mut session, Action::Down);
    host.send(&mut session, Action::Open);
    assert_eq!(session.open_article(), Some(1));
    assert_eq!(session.context(), Context::Reader);
    assert!(session.is_read(1));
    assert!(
        host.persisted > 0,
        "the read mark and position are persisted"
    );
    // Search from the list: every keystroke asks, the answers narrow the list.
    host.send(&mut session, Action::Back);
    host.send(&mut session, Action::StartSearch);
    assert!(matches!(session.overlay(), Overlay::Search(_)));
    typed(&mut host, &mut session, "harbour");
    host.send(&mut session, Action::AcceptPrompt);
    assert_eq!(session.view(), [0, 1], "the headline match comes first");
    assert_eq!(session.filter(), "harbour");
    // Star the selected article.
    let persisted = host.persisted;
    host.send(&mut session, Action::ToggleStar);
    let starred = session.view()[session.selected()];
    assert!(session.is_starred(starred));
    assert!(host.persisted > persisted);
    // Ctrl-r asks the runtime; the reloaded file has one more article about the harbour.
    host.send(&mut session, Action::Reload);
    assert_eq!(host.reloads, 1);
    let grown = format!("{DUMP}Harbour reopens\n\nBoats sail again.\nView 2 times\n");
    host.send(&mut session, Msg::Reloaded(Box::new(corpus(&grown))));
    assert_eq!(session.store().len(), 4);
    assert_eq!(
        session.view(),
        [0, 3, 1],
        "the filter holds on the new articles"
    );
    assert!(session.is_starred(starred), "marks carry over");
    assert!(session.is_new(3));
    // The pager is outside work this host cannot do: refused, and the reader says so.
    host.send(&mut session, Action::OpenInPager);
    assert!(matches!(host.refused.as_slice(), [Effect::Page(_)]));
    assert_eq!(
        session.message(),
        Some(Capability::RunPrograms.refusal()),
        "the refusal is in the status line"
    );
    host.send(&mut session, Action::Quit);
    assert!(host.quit);
}

#[test]
fn remapped_keys_show_in_the_help_the_status_line_and_every_hint() {
    let key = |name| parse_key(name).expect("a key");
    let keymap = Keymap::with(&[
        ("help", vec![key("f1")]),
        ("open", vec![key("alt-o")]),
        ("accept", vec![key("ctrl-j")]),
        ("cancel", vec![key("ctrl-g")]),
        ("help_down", vec![key("alt-n")]),
        ("yes", vec![key("o")]),
        ("search", vec![key("f")]),
    ])
    .expect("a keymap");
    let settings = Settings {
        keymap,
        ..Settings::default()
    };
    let (mut host, mut session) = (Host::default(), session_with(settings));
    let status = status_line(&session, 100, 30);
    assert!(status.trim_end().ends_with("F1 help"), "{status}");
    let first = screen(&session, 100, 30);
    assert!(first.contains("Press Alt-o to read"), "{first}");
    // The help: its table and its footer.
    host.send(&mut session, Action::ShowHelp);
    let help = screen(&session, 100, 30);
    assert!(
        help.contains("F1  ") && help.contains("this help"),
        "{help}"
    );
    assert!(help.contains("Alt-o"), "{help}");
    assert!(help.contains("Alt-n/k scroll"), "{help}");
    host.send(&mut session, Action::ScrollHelp(40));
    let end = screen(&session, 100, 30);
    assert!(
        end.contains("Prompt: Ctrl-j keeps, Ctrl-g cancels"),
        "{end}"
    );
    host.send(&mut session, Action::CloseHelp);
    // The save prompt names its keys.
    host.send(&mut session, Action::StartSave);
    let status = status_line(&session, 100, 30);
    assert!(
        status.trim_end().ends_with("Ctrl-j saves, Ctrl-g cancels"),
        "{status}"
    );
    host.send(&mut session, Action::CancelPrompt);
    // The picker's foot.
    host.send(&mut session, Action::OpenTagPicker);
    let picker = screen(&session, 100, 30);
    assert!(picker.contains("Ctrl-j lists · Ctrl-g closes"), "{picker}");
    host.send(&mut session, Action::CancelPrompt);
    // A question names the key that says yes; n (no search) names the search key.
    host.send(&mut session, Action::MarkAllRead);
    assert!(session.message().is_some_and(|m| m.ends_with("(o/n)")));
    host.send(&mut session, Action::Confirm(false));
    host.send(&mut session, Action::NextMatch);
    assert_eq!(session.message(), Some("No search: press f to search"));
}

#[test]
fn keys_of_an_overlay_that_is_not_open_do_nothing() {
    let (mut host, mut session) = (Host::default(), session_with(Settings::default()));
    for action in [
        Action::Confirm(true),
        Action::ScrollHelp(3),
        Action::CloseHelp,
    ] {
        host.send(&mut session, action);
    }
    assert!(matches!(session.overlay(), Overlay::None));
    assert_eq!(session.selected(), 0);
    assert_eq!(host.persisted, 0, "nothing changed, nothing to save");
}
