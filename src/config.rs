//! The configuration file: key bindings, theme colours, layout and when articles count as read.
//! Every option has a default; a bad value is an error naming the file, the line and the value.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use ratatui::style::Color;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::input::{self, BINDINGS, Keymap, KeymapError};
pub use print::to_toml;

mod print;

/// When an article counts as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkRead {
    /// As soon as it is opened.
    #[default]
    Open,
    /// When its end has been on screen.
    End,
}

/// Whether the reader's addresses are sent as hyperlinks (OSC 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hyperlinks {
    /// When the terminal is on this machine (not over SSH, not `byline serve`).
    #[default]
    Auto,
    Always,
    Never,
}

/// The built-in themes the colours start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// The 16-colour palette, legible on dark and light backgrounds.
    #[default]
    Default,
    /// No colours: bold, dim, reverse and underline only.
    Mono,
}

/// Colours on top of a preset; `None` keeps the preset's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThemeSettings {
    pub preset: Preset,
    /// Unread markers, the focused border, scrollbar thumbs.
    pub accent: Option<Color>,
    /// Words that were hashtags.
    pub tag: Option<Color>,
    /// Search matches: text and background.
    pub match_fg: Option<Color>,
    pub match_bg: Option<Color>,
    /// The match that `n`/`N` moved to.
    pub current_match_bg: Option<Color>,
    /// Secondary text: views, the meta line, rules, borders.
    pub muted: Option<Color>,
    /// The selected row when the list is not focused.
    pub selection_bg: Option<Color>,
}

/// The colours of the default theme, after the options: each one set, or the theme's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeColors {
    pub accent: Color,
    pub tag: Color,
    pub match_fg: Color,
    pub match_bg: Color,
    pub current_match_bg: Color,
    pub muted: Color,
    pub selection_bg: Color,
}

impl ThemeSettings {
    pub fn colors(&self) -> ThemeColors {
        ThemeColors {
            accent: self.accent.unwrap_or(Color::Cyan),
            tag: self.tag.unwrap_or(Color::Cyan),
            match_fg: self.match_fg.unwrap_or(Color::Black),
            match_bg: self.match_bg.unwrap_or(Color::Yellow),
            current_match_bg: self.current_match_bg.unwrap_or(Color::LightRed),
            muted: self.muted.unwrap_or(Color::DarkGray),
            selection_bg: self.selection_bg.unwrap_or(Color::DarkGray),
        }
    }
}

/// Pane geometry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSettings {
    /// The list's share of the width when the panes are side by side.
    pub list_width: f64,
    /// The widest the reading column gets, in columns.
    pub measure: u16,
    /// Below this many columns the panes are stacked instead of side by side.
    pub stack_below: u16,
}

impl Default for LayoutSettings {
    fn default() -> Self {
        LayoutSettings {
            list_width: 0.4,
            measure: 80,
            stack_below: 100,
        }
    }
}

/// Everything the configuration decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: ThemeSettings,
    pub layout: LayoutSettings,
    pub mark_read: MarkRead,
    /// Whether `y` and `Y` may write to the terminal's clipboard.
    pub clipboard: bool,
    /// Whether addresses are sent as hyperlinks.
    pub hyperlinks: Hyperlinks,
    /// Minutes between fetches of the feeds while the reader is open; 0: only at start and
    /// when asked (`Ctrl-r`).
    pub refresh_minutes: u64,
}

/// How often feeds are fetched while the reader is open, unless the configuration says.
pub const REFRESH_MINUTES: u64 = 30;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            keymap: Keymap::default(),
            theme: ThemeSettings::default(),
            layout: LayoutSettings::default(),
            mark_read: MarkRead::default(),
            clipboard: true,
            hyperlinks: Hyperlinks::default(),
            refresh_minutes: REFRESH_MINUTES,
        }
    }
}

/// The file as written, with positions for error messages.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct File {
    mark_read: Option<MarkRead>,
    clipboard: Option<bool>,
    hyperlinks: Option<Hyperlinks>,
    refresh_minutes: Option<u64>,
    keys: BTreeMap<String, Spanned<Keys>>,
    theme: Option<ThemeFile>,
    layout: Option<Spanned<LayoutFile>>,
}

/// One key or a list of them. (Spans do not survive an untagged enum, so bad keys are found
/// by searching the entry's text.)
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ThemeFile {
    preset: Option<Preset>,
    accent: Option<Spanned<ColorValue>>,
    tag: Option<Spanned<ColorValue>>,
    match_fg: Option<Spanned<ColorValue>>,
    match_bg: Option<Spanned<ColorValue>>,
    current_match_bg: Option<Spanned<ColorValue>>,
    muted: Option<Spanned<ColorValue>>,
    selection_bg: Option<Spanned<ColorValue>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LayoutFile {
    list_width: Option<Spanned<f64>>,
    measure: Option<Spanned<u16>>,
    stack_below: Option<Spanned<u16>>,
}

/// A colour as written: a name, `#rrggbb`, or a 256-colour index (as a number or a string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ColorValue {
    Index(i64),
    Text(String),
}

/// The largest configuration read: far more than any real one, and a stray big file is refused
/// rather than read whole.
pub const MAX_BYTES: u64 = 1 << 20;

/// Reads a configuration file; a missing one gives the defaults unless `required`. FIFOs and
/// devices are refused unread (one could block for ever, another never end).
pub fn load(path: &Path, required: bool) -> Result<Settings, String> {
    use std::io::Read;
    let name = crate::text::clean_line(&path.to_string_lossy());
    let cause = |e: std::io::Error| format!("{name}: {}", crate::text::io_cause(&e));
    let metadata = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Settings::default());
        }
        result => result.map_err(cause)?,
    };
    if !metadata.is_file() {
        return Err(format!("{name}: not a regular file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cause)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("{name}: larger than 1 MB; not a configuration"));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    parse(&text).map_err(|(line, message)| format!("{name}:{line}: {message}"))
}

/// Parses configuration text. Errors are (line, message).
pub fn parse(text: &str) -> Result<Settings, (usize, String)> {
    let line_of = |span: Range<usize>| text[..span.start.min(text.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, line_of);
        (line, e.message().trim_end_matches('\n').replace('\n', "; "))
    })?;
    let mut overrides = Vec::new();
    for (action, keys) in &file.keys {
        let line = line_of(keys.span());
        if !BINDINGS.iter().any(|b| b.name == action) {
            return Err((line, format!("unknown action \"{action}\" in [keys]")));
        }
        let list = match keys.get_ref() {
            Keys::One(key) => std::slice::from_ref(key),
            Keys::Many(keys) => keys.as_slice(),
        };
        let mut parsed = Vec::new();
        for key in list {
            let parsed_key = input::parse_key(key).ok_or_else(|| {
                let entry = keys.span();
                let quoted = format!("\"{key}\"");
                let offset = text
                    .get(entry.clone())
                    .and_then(|t| t.find(&quoted))
                    .unwrap_or(0);
                let at = entry.start + offset;
                (
                    line_of(at..at),
                    format!("unknown key \"{key}\" for {action}"),
                )
            })?;
            parsed.push(parsed_key);
        }
        overrides.push((action.as_str(), parsed, line));
    }
    let pairs: Vec<(&str, Vec<input::Key>)> =
        overrides.iter().map(|(a, k, _)| (*a, k.clone())).collect();
    let keymap = Keymap::with(&pairs).map_err(|error| {
        let culprit = match &error {
            KeymapError::Conflict { second, .. } => Some(*second),
            KeymapError::UnknownAction(_) => None,
        };
        let line = overrides
            .iter()
            .find(|(a, _, _)| Some(*a) == culprit)
            .map_or(1, |(_, _, l)| *l);
        (line, error.to_string())
    })?;

    let color = |value: &Option<Spanned<ColorValue>>| -> Result<Option<Color>, (usize, String)> {
        let Some(value) = value else { return Ok(None) };
        let bad = |shown: String| {
            (
                line_of(value.span()),
                format!("bad colour {shown}: use a name, a 0-255 index or #rrggbb"),
            )
        };
        match value.get_ref() {
            ColorValue::Index(n) => u8::try_from(*n)
                .map(|n| Some(Color::Indexed(n)))
                .map_err(|_| bad(n.to_string())),
            ColorValue::Text(text) => parse_color(text)
                .map(Some)
                .ok_or_else(|| bad(format!("\"{text}\""))),
        }
    };
    let theme_file = file.theme.unwrap_or_default();
    let theme = ThemeSettings {
        preset: theme_file.preset.unwrap_or_default(),
        accent: color(&theme_file.accent)?,
        tag: color(&theme_file.tag)?,
        match_fg: color(&theme_file.match_fg)?,
        match_bg: color(&theme_file.match_bg)?,
        current_match_bg: color(&theme_file.current_match_bg)?,
        muted: color(&theme_file.muted)?,
        selection_bg: color(&theme_file.selection_bg)?,
    };

    let mut layout = LayoutSettings::default();
    if let Some(file) = file.layout.map(Spanned::into_inner) {
        if let Some(width) = file.list_width {
            if !(0.2..=0.8).contains(width.get_ref()) {
                return Err((
                    line_of(width.span()),
                    format!("list_width {} is outside 0.2 to 0.8", width.get_ref()),
                ));
            }
            layout.list_width = width.into_inner();
        }
        if let Some(measure) = file.measure {
            if *measure.get_ref() < 20 {
                return Err((
                    line_of(measure.span()),
                    format!("measure {} is below 20 columns", measure.get_ref()),
                ));
            }
            layout.measure = measure.into_inner();
        }
        if let Some(stack_below) = file.stack_below {
            layout.stack_below = stack_below.into_inner();
        }
    }
    Ok(Settings {
        keymap,
        theme,
        layout,
        mark_read: file.mark_read.unwrap_or_default(),
        clipboard: file.clipboard.unwrap_or(true),
        hyperlinks: file.hyperlinks.unwrap_or_default(),
        refresh_minutes: file.refresh_minutes.unwrap_or(REFRESH_MINUTES),
    })
}

/// A colour name (`red`, `light-blue`, `dark-gray`), `#rrggbb`, or an index `0`–`255`.
fn parse_color(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        let valid = hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        return valid.then(|| Color::from_str(text).ok()).flatten();
    }
    Color::from_str(text).ok()
}

#[cfg(test)]
mod tests;
