//! The effective configuration written out as TOML (`--print-config`).

use std::collections::BTreeMap;

use ratatui::style::Color;
use serde::Serialize;

use super::{Hyperlinks, LayoutSettings, MarkRead, Preset, Settings};
use crate::input::{self, BINDINGS};

/// The effective configuration as TOML, every option spelled out (`--print-config`).
pub fn to_toml(settings: &Settings) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        mark_read: MarkRead,
        clipboard: bool,
        hyperlinks: Hyperlinks,
        refresh_minutes: u64,
        keys: BTreeMap<&'a str, Vec<String>>,
        theme: BTreeMap<&'a str, String>,
        layout: LayoutSettings,
    }
    let keys = BINDINGS
        .iter()
        .enumerate()
        .map(|(index, b)| {
            (
                b.name,
                settings
                    .keymap
                    .keys(index)
                    .iter()
                    .map(input::config_name)
                    .collect(),
            )
        })
        .collect();
    let t = &settings.theme;
    let preset = match t.preset {
        Preset::Default => "default",
        Preset::Mono => "mono",
    };
    let mut theme = BTreeMap::from([("preset", preset.to_owned())]);
    // The default theme's colours are all in effect; the monochrome one uses only those set.
    let c = t.colors();
    let default = t.preset == Preset::Default;
    for (name, set, color) in [
        ("accent", t.accent, c.accent),
        ("tag", t.tag, c.tag),
        ("match_fg", t.match_fg, c.match_fg),
        ("match_bg", t.match_bg, c.match_bg),
        ("current_match_bg", t.current_match_bg, c.current_match_bg),
        ("muted", t.muted, c.muted),
        ("selection_bg", t.selection_bg, c.selection_bg),
    ] {
        if default || set.is_some() {
            theme.insert(name, color_name(color));
        }
    }
    let out = Out {
        mark_read: settings.mark_read,
        clipboard: settings.clipboard,
        hyperlinks: settings.hyperlinks,
        refresh_minutes: settings.refresh_minutes,
        keys,
        theme,
        layout: settings.layout,
    };
    toml::to_string(&out).unwrap_or_else(|e| format!("# cannot print the configuration: {e}\n"))
}

/// A colour as the configuration file writes it.
fn color_name(color: Color) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(n) => n.to_string(),
        named => {
            let name = named.to_string();
            let mut out = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
    }
}
