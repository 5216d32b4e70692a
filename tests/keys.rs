//! The reader driven by keys through the same keymap as the binary.

mod support;

use byline::input::{Action, Context};
use byline::session::{Focus, Msg, Overlay};
use support::*;

/// `count` articles, "Article 1" …, each with `paragraphs` paragraphs.
fn numbered(count: usize, paragraphs: usize) -> String {
    (1..=count)
        .map(|i| {
            let body: Vec<String> = (1..=paragraphs)
                .map(|p| format!("Paragraph {p} of article {i} says something worth reading."))
                .collect();
            format!("Article {i}\n\n{}\nView {i} times\n", body.join("\n\n"))
        })
        .collect()
}

#[test]
fn j_and_k_move_through_the_list_within_bounds() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "k");
    assert_eq!(app.selected(), 0);
    keys(&mut app, "jj<Down>");
    assert_eq!(app.selected(), 3);
    keys(&mut app, "k<Up>");
    assert_eq!(app.selected(), 1);
    keys(&mut app, "jjjjjjjjjjjjjj");
    assert_eq!(app.selected(), 9);
}

#[test]
fn g_and_capital_g_jump_to_the_ends_of_the_list() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "G");
    assert_eq!(app.selected(), 9);
    keys(&mut app, "g");
    assert_eq!(app.selected(), 0);
    keys(&mut app, "<End>");
    assert_eq!(app.selected(), 9);
    keys(&mut app, "<Home>");
    assert_eq!(app.selected(), 0);
}

#[test]
fn list_pages_move_by_half_and_whole_pages_and_keep_the_selection_visible() {
    let mut app = app_for(corpus(&numbered(100, 1)), 120, 40);
    let page = app.panes().list.unwrap().height as usize;
    keys(&mut app, "<C-d>");
    assert_eq!(app.selected(), page / 2);
    keys(&mut app, "<PgDn>");
    assert_eq!(app.selected(), page / 2 + page);
    assert!(app.list_offset() <= app.selected() && app.selected() < app.list_offset() + page);
    keys(&mut app, "<C-u>");
    assert_eq!(app.selected(), page);
    keys(&mut app, "<PgUp>");
    assert_eq!(app.selected(), 0);
    assert_eq!(app.list_offset(), 0);
    keys(&mut app, "G");
    assert_eq!(app.list_offset(), 100 - page);
}

#[test]
fn enter_l_and_right_open_the_article_and_focus_the_reader() {
    for key in ["<Enter>", "l", "<Right>"] {
        let mut app = sample_app(120, 40);
        keys(&mut app, "jj");
        keys(&mut app, key);
        assert_eq!(app.focus(), Focus::Reader, "{key}");
        assert_eq!(open_headline(&app), Some(selected_headline(&app)));
        assert!(app.is_read(2));
    }
}

#[test]
fn space_in_the_list_opens_the_selected_article_and_stays_in_the_list() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "j<Space>");
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.open_article(), Some(1));
    keys(&mut app, "j");
    assert_eq!(app.selected(), 2);
}

#[test]
fn esc_h_and_left_go_back_from_the_reader_to_the_list() {
    for key in ["<Esc>", "h", "<Left>", "q"] {
        let mut app = sample_app(120, 40);
        keys(&mut app, "<Enter>");
        keys(&mut app, key);
        assert_eq!(app.focus(), Focus::List, "{key}");
        assert!(!app.should_quit());
        assert_eq!(app.open_article(), Some(0), "the article stays in the pane");
    }
}

#[test]
fn esc_h_and_left_clear_the_filter_in_the_list() {
    for key in ["<Esc>", "h", "<Left>"] {
        let mut app = sample_app(120, 40);
        keys(&mut app, "/nato<Enter>");
        assert_eq!(app.view().len(), 1);
        keys(&mut app, key);
        assert_eq!(app.view().len(), 10, "{key}");
        assert_eq!(app.filter(), "");
        assert_eq!(
            selected_headline(&app),
            app.store().summary(2).unwrap().headline,
            "the selection stays"
        );
    }
}

#[test]
fn tab_switches_focus_opening_the_selected_article_if_none_is_open() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "j<Tab>");
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.open_article(), Some(1));
    keys(&mut app, "<Tab>");
    assert_eq!(app.focus(), Focus::List);
    keys(&mut app, "j<Tab>");
    assert_eq!(
        app.open_article(),
        Some(1),
        "tab does not open another article"
    );
}

#[test]
fn q_quits_from_the_list_and_ctrl_c_from_anywhere() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "q");
    assert!(app.should_quit());
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter><C-c>");
    assert!(app.should_quit());
    let mut app = sample_app(120, 40);
    keys(&mut app, "/na<C-c>");
    assert!(app.should_quit());
}

#[test]
fn question_mark_shows_help_j_and_k_scroll_it_and_any_other_key_closes_it() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "?jjk");
    assert_eq!(app.context(), Context::Help);
    assert!(matches!(app.overlay(), Overlay::Help { scroll: 1 }));
    keys(&mut app, "x");
    assert!(matches!(app.overlay(), Overlay::None));
    keys(&mut app, "?G");
    assert!(matches!(app.overlay(), Overlay::None));
    assert_eq!(app.selected(), 0, "the closing key does nothing else");
}

#[test]
fn reader_keys_scroll_within_the_article() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>");
    let page = app.panes().reader.unwrap().height as usize;
    keys(&mut app, "k");
    assert_eq!(app.reader_scroll(), 0);
    keys(&mut app, "jj<Down>");
    assert_eq!(app.reader_scroll(), 3);
    keys(&mut app, "k<Up>");
    assert_eq!(app.reader_scroll(), 1);
    keys(&mut app, "<C-d>");
    assert_eq!(app.reader_scroll(), 1 + page / 2);
    keys(&mut app, "<C-u>");
    assert_eq!(app.reader_scroll(), 1);
    keys(&mut app, "<PgDn>");
    assert_eq!(app.reader_scroll(), 1 + page);
    keys(&mut app, "b");
    assert_eq!(app.reader_scroll(), 1);
    keys(&mut app, "<PgDn><PgUp>");
    assert_eq!(app.reader_scroll(), 1);
    keys(&mut app, "G");
    let bottom = app.document().line_count() - page;
    assert_eq!(app.reader_scroll(), bottom);
    assert_eq!(app.reader_percent(), Some(100));
    keys(&mut app, "j<End>");
    assert_eq!(app.reader_scroll(), bottom, "no scrolling past the end");
    keys(&mut app, "g");
    assert_eq!(app.reader_scroll(), 0);
    keys(&mut app, "<End><Home>");
    assert_eq!(app.reader_scroll(), 0);
    assert_eq!(app.selected(), 0, "reader keys leave the list alone");
}

#[test]
fn open_keys_do_nothing_in_the_reader() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>jj<Enter>l<Right>");
    assert_eq!(app.reader_scroll(), 2);
    assert_eq!(app.open_article(), Some(0));
}

#[test]
fn space_pages_down_then_opens_the_next_article() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>");
    let page = app.panes().reader.unwrap().height as usize;
    keys(&mut app, "<Space>");
    assert_eq!(app.reader_scroll(), page);
    let bottom = app.document().line_count() - page;
    while app.reader_scroll() < bottom {
        keys(&mut app, "<Space>");
        assert_eq!(
            app.open_article(),
            Some(0),
            "still paging the first article"
        );
    }
    keys(&mut app, "<Space>");
    assert_eq!(app.open_article(), Some(1));
    assert_eq!(app.selected(), 1);
    assert_eq!(app.reader_scroll(), 0);
}

#[test]
fn capital_j_and_k_move_between_articles_in_the_reader() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Enter>JJ");
    assert_eq!(app.open_article(), Some(2));
    assert_eq!(app.focus(), Focus::Reader);
    keys(&mut app, "K");
    assert_eq!(app.open_article(), Some(1));
    assert_eq!(app.selected(), 1);
    keys(&mut app, "KK");
    assert_eq!(app.open_article(), Some(0));
    assert_eq!(app.message(), Some("This is the first article"));
    keys(&mut app, "GJ");
    assert_eq!(app.reader_scroll(), 0, "the next article opens at its top");
}

#[test]
fn capital_j_and_k_do_nothing_in_the_list() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "JK");
    assert_eq!(app.open_article(), None);
    assert_eq!(app.selected(), 0);
}

#[test]
fn mouse_clicks_select_rows_and_focus_panes() {
    let mut app = sample_app(120, 40);
    let list = app.panes().list.unwrap();
    app.update(Action::Click {
        column: list.x + 3,
        row: list.y + 4,
    });
    assert_eq!(app.selected(), 4);
    keys(&mut app, "<Enter>");
    app.update(Action::Click {
        column: list.x,
        row: list.y + 1,
    });
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.selected(), 1);
    let reader = app.panes().reader.unwrap();
    app.update(Action::Click {
        column: reader.x + 5,
        row: reader.y + 5,
    });
    assert_eq!(app.focus(), Focus::Reader);
    app.update(Action::Click {
        column: list.x,
        row: list.y + 30,
    });
    assert_eq!(
        app.selected(),
        1,
        "a click below the last row selects nothing"
    );
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "<Space>");
    let reader = app.panes().reader.unwrap();
    let list = app.panes().list.unwrap();
    app.update(Action::Scroll {
        column: reader.x + 2,
        row: reader.y,
        lines: 3,
    });
    assert_eq!(app.reader_scroll(), 3);
    assert_eq!(app.selected(), 0);
    app.update(Action::Scroll {
        column: list.x + 2,
        row: list.y,
        lines: 3,
    });
    assert_eq!(app.selected(), 3);
    assert_eq!(app.reader_scroll(), 3);
}

#[test]
fn a_narrow_terminal_shows_one_pane_at_a_time() {
    let mut app = sample_app(50, 15);
    assert!(app.panes().list.is_some() && app.panes().reader.is_none());
    keys(&mut app, "<Space>");
    assert!(app.panes().reader.is_some() && app.panes().list.is_none());
    keys(&mut app, "q");
    assert!(app.panes().list.is_some());
    assert!(!app.should_quit());
}

#[test]
fn a_resize_keeps_the_selection_visible() {
    let mut app = app_for(corpus(&numbered(100, 1)), 120, 40);
    keys(&mut app, "G");
    app.update(Msg::Resize {
        width: 80,
        height: 24,
    });
    let list = app.panes().list.unwrap();
    assert_eq!(app.list_offset() + list.height as usize, 100);
    app.update(Msg::Resize {
        width: 1,
        height: 1,
    });
    app.update(Msg::Resize {
        width: 0,
        height: 0,
    });
    keys(&mut app, "kk<Enter>jG");
    assert_eq!(app.selected(), 97);
}

#[test]
fn loader_warnings_show_once_in_the_status_line() {
    let mut corpus = corpus("Headline\n\nBody.\n");
    corpus.problems.push(byline::article::Problem {
        severity: byline::article::Severity::Warning,
        message: "x.txt: 2 invalid UTF-8 sequences replaced with �".into(),
    });
    let mut app = app_for(corpus, 80, 24);
    assert_eq!(
        app.message(),
        Some("x.txt: 2 invalid UTF-8 sequences replaced with �")
    );
    app.update(Msg::Resize {
        width: 100,
        height: 30,
    });
    assert!(app.message().is_some(), "a resize does not dismiss it");
    keys(&mut app, "j");
    assert_eq!(app.message(), None);
}

#[test]
fn mouse_events_become_clicks_and_scrolls() {
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 4,
            row: 2,
            modifiers: KeyModifiers::NONE,
        })
    };
    let click = mouse(MouseEventKind::Down(MouseButton::Left));
    let wheel = mouse(MouseEventKind::ScrollDown);
    assert_eq!(
        byline::input::Keymap::default().action_for(Context::List, &click),
        Some(Action::Click { column: 4, row: 2 })
    );
    assert_eq!(
        byline::input::Keymap::default().action_for(Context::Reader, &wheel),
        Some(Action::Scroll {
            column: 4,
            row: 2,
            lines: 3
        })
    );
    assert_eq!(
        byline::input::Keymap::default().action_for(Context::Search, &click),
        None
    );
}

#[test]
fn reader_and_list_agree_about_this_article() {
    let mut app = sample_app(120, 40);
    // Article 1 open; the list's selection wanders off to article 4 while the reader waits.
    keys(&mut app, "<Enter><Tab>jjj<Tab>");
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.open_article(), Some(0));
    let status = status_line(&app, 120, 40);
    assert!(status.starts_with(" 1/10  reader"), "{status}");
    keys(&mut app, "s");
    assert!(app.is_starred(0), "s stars the article on screen");
    assert!(!app.is_starred(3), "not the one selected in the list");
    keys(&mut app, "r");
    assert!(
        !app.is_read(0) && !app.is_read(3),
        "r toggles the article on screen"
    );
    // In the list, the percentage would belong to the open article, not the selected one.
    keys(&mut app, "<Tab>");
    let status = status_line(&app, 120, 40);
    assert!(status.starts_with(" 4/10  list"), "{status}");
    assert!(!status.contains('%'), "{status}");
}

#[test]
fn a_tag_filter_shows_its_count_as_a_search_does() {
    let mut app = sample_app(120, 40);
    keys(&mut app, "tnato<Enter>");
    let status = status_line(&app, 120, 40);
    assert!(status.contains("· #NATO 1 of 10"), "{status}");
    keys(&mut app, "/trump<Enter>");
    let status = status_line(&app, 120, 40);
    assert!(status.contains("· #NATO /trump 0 of 10"), "{status}");
}

#[test]
fn a_cut_status_message_ends_in_an_ellipsis_and_a_question_is_shown_whole() {
    let mut app = sample_app(60, 20);
    app.update(Msg::Notify(format!(
        "Reload failed: {}",
        "a long reason ".repeat(6)
    )));
    let status = status_line(&app, 60, 20);
    assert!(status.trim_end().ends_with('…'), "{status}");
    let path = format!("/home/reader/{}/article.md", "deep/".repeat(12));
    app.update(Msg::Exists(path.into()));
    let status = status_line(&app, 60, 20);
    assert!(status.contains("exists. Overwrite it? (y/n)"), "{status}");
    assert!(status.contains('…'), "{status}");
}

#[test]
fn a_wide_reading_pane_centres_its_column_instead_of_leaving_a_gap() {
    let mut app = sample_app(200, 50);
    keys(&mut app, "<Enter>");
    let drawn = screen(&app, 200, 50);
    let row = drawn
        .lines()
        .find(|l| l.contains("Chaotic showdown over Guatemalan children exposes fault lines"))
        .expect("the headline in the reader");
    let chars: Vec<char> = row.trim_matches('"').chars().collect();
    let pane = chars
        .iter()
        .position(|&c| c == '│')
        .expect("the pane's border")
        + 1;
    let text = (pane..chars.len())
        .find(|&i| chars[i] != ' ')
        .expect("text");
    // About 120 columns of pane for an 80-column measure: some 18 columns either side.
    assert!(
        text - pane >= 15,
        "text starts {} columns into the pane",
        text - pane
    );
}

#[test]
fn the_reading_pane_previews_the_resting_selection_without_reading_it() {
    for (width, height) in [(80, 24), (120, 40), (200, 50)] {
        let mut app = sample_app(width, height);
        keys(&mut app, "jj");
        assert!(app.wants_preview(), "{width}x{height}");
        app.update(Msg::Rested);
        assert_eq!(app.open_article(), Some(2));
        assert_eq!(app.focus(), Focus::List, "the list keeps the keys");
        assert!(!app.is_read(2), "a preview is not reading");
        // The headline in full, wrapped if the pane is narrow.
        let drawn = screen(&app, width, height);
        let headline = &app.store().summary(2).unwrap().headline;
        let words: Vec<&str> = headline.split(' ').collect();
        assert!(words.iter().all(|w| drawn.contains(w)), "{width}x{height}");
        assert!(
            drawn.contains("disinformation."),
            "the end the list row cuts off"
        );
        keys(&mut app, "<Tab>");
        assert_eq!(app.focus(), Focus::Reader);
        assert!(app.is_read(2), "going into the preview reads it");
    }
}

#[test]
fn no_preview_where_there_is_no_reading_pane_or_the_reader_has_the_keys() {
    let mut narrow = sample_app(50, 15);
    keys(&mut narrow, "j");
    assert!(!narrow.wants_preview(), "one pane at a time");
    let mut reading = sample_app(120, 40);
    keys(&mut reading, "<Enter>");
    assert!(!reading.wants_preview(), "the reader has the keys");
    keys(&mut reading, "<Tab>");
    assert!(
        !reading.wants_preview(),
        "the open article is the selected one"
    );
}

#[test]
fn z_gives_the_reader_the_whole_screen_and_takes_it_back() {
    let mut app = sample_app(200, 50);
    keys(&mut app, "<Enter>");
    assert!(app.panes().list.is_some(), "side by side");
    keys(&mut app, "z");
    assert_eq!(app.panes().list, None);
    assert_eq!(app.panes().reader.map(|r| r.width), Some(200));
    keys(&mut app, "q");
    assert!(
        app.panes().list.is_some(),
        "the list shares the screen again"
    );
    keys(&mut app, "<Enter>");
    assert_eq!(app.panes().list, None, "zoomed until z again");
    keys(&mut app, "z");
    assert!(app.panes().list.is_some());
}
