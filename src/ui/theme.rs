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
        if !color || settings.preset == Preset::Mono {
            return Theme::preset(false);
        }
        let mut theme = Theme::preset(true);
        if let Some(accent) = settings.accent {
            theme.unread_marker = theme.unread_marker.fg(accent);
            theme.border_focused = theme.border_focused.fg(accent);
        }
        if let Some(tag) = settings.tag {
            theme.tag = theme.tag.fg(tag);
        }
        if let Some(fg) = settings.match_fg {
            theme.matched = theme.matched.fg(fg);
            theme.current_match = theme.current_match.fg(fg);
        }
        if let Some(bg) = settings.match_bg {
            theme.matched = theme.matched.bg(bg);
        }
        if let Some(bg) = settings.current_match_bg {
            theme.current_match = theme.current_match.bg(bg);
        }
        if let Some(muted) = settings.muted {
            for style in [
                &mut theme.views,
                &mut theme.meta,
                &mut theme.rule,
                &mut theme.hint,
                &mut theme.border,
            ] {
                *style = style.fg(muted);
            }
        }
        if let Some(bg) = settings.selection_bg {
            theme.selected_unfocused = theme.selected_unfocused.bg(bg);
        }
        theme
    }

    fn preset(color: bool) -> Theme {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let dim = plain.add_modifier(Modifier::DIM);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        let underlined = plain.add_modifier(Modifier::UNDERLINED);
        let pick = |colored: Style, mono: Style| if color { colored } else { mono };
        Theme {
            unread_marker: pick(plain.fg(Color::Cyan), bold),
            unread: bold,
            read: dim,
            star: pick(plain.fg(Color::Yellow), bold),
            // Dim rather than a colour: the same look, and fewer bytes for each row drawn.
            views: dim,
            selected: reversed,
            selected_unfocused: pick(plain.bg(Color::DarkGray), underlined),
            tag: pick(plain.fg(Color::Cyan), underlined),
            matched: pick(plain.fg(Color::Black).bg(Color::Yellow), reversed),
            current_match: pick(
                plain
                    .fg(Color::Black)
                    .bg(Color::LightRed)
                    .add_modifier(Modifier::BOLD),
                reversed.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
            headline: bold,
            standfirst: plain.add_modifier(Modifier::ITALIC),
            meta: pick(plain.fg(Color::DarkGray), dim),
            heading: bold,
            rule: pick(plain.fg(Color::DarkGray), dim),
            credit: dim,
            hint: pick(plain.fg(Color::DarkGray), dim),
            border: pick(plain.fg(Color::DarkGray), dim),
            border_focused: pick(plain.fg(Color::Cyan), bold),
            status: reversed,
            status_accent: reversed.add_modifier(Modifier::BOLD),
            message: pick(
                reversed.fg(Color::Yellow),
                reversed.add_modifier(Modifier::BOLD),
            ),
        }
    }
}
