//! Every style the reader uses, in one place. Colours are from the 16-colour palette so they
//! follow the user's terminal scheme on dark and light backgrounds alike.

use ratatui::style::{Color, Modifier, Style};

use crate::config::{Preset, ThemeSettings};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub unread_marker: Style,
    pub unread: Style,
    pub read: Style,
    pub star: Style,
    pub views: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub tag: Style,
    pub matched: Style,
    pub current_match: Style,
    pub headline: Style,
    pub standfirst: Style,
    pub meta: Style,
    pub heading: Style,
    pub rule: Style,
    pub credit: Style,
    pub hint: Style,
    pub border: Style,
    pub border_focused: Style,
    pub status: Style,
    pub status_accent: Style,
    pub message: Style,
}

impl Theme {
    /// The theme of `settings`; without `color` (`NO_COLOR`) always the monochrome one.
    pub fn new(settings: &ThemeSettings, color: bool) -> Theme {
        let colored = color && settings.preset != Preset::Mono;
        let c = settings.colors();
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let dim = plain.add_modifier(Modifier::DIM);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        let underlined = plain.add_modifier(Modifier::UNDERLINED);
        let pick = |colored_style: Style, mono: Style| if colored { colored_style } else { mono };
        let muted = pick(plain.fg(c.muted), dim);
        Theme {
            unread_marker: pick(plain.fg(c.accent), bold),
            unread: bold,
            read: dim,
            star: pick(plain.fg(Color::Yellow), bold),
            // Dim rather than a colour unless one is asked for: fewer bytes for each row drawn.
            views: match settings.muted {
                Some(muted) if colored => dim.fg(muted),
                _ => dim,
            },
            selected: reversed,
            selected_unfocused: pick(plain.bg(c.selection_bg), underlined),
            tag: pick(plain.fg(c.tag), underlined),
            matched: pick(plain.fg(c.match_fg).bg(c.match_bg), reversed),
            current_match: pick(
                plain
                    .fg(c.match_fg)
                    .bg(c.current_match_bg)
                    .add_modifier(Modifier::BOLD),
                reversed.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
            headline: bold,
            standfirst: plain.add_modifier(Modifier::ITALIC),
            meta: muted,
            heading: bold,
            rule: muted,
            credit: dim,
            hint: muted,
            border: muted,
            border_focused: pick(plain.fg(c.accent), bold),
            status: reversed,
            status_accent: reversed.add_modifier(Modifier::BOLD),
            message: pick(
                reversed.fg(Color::Yellow),
                reversed.add_modifier(Modifier::BOLD),
            ),
        }
    }
}
