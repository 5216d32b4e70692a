//! Making parts: a [`Builder`] fills one, a [`Packer`] starts another when one is full.

use std::sync::{Arc, OnceLock};

use super::part::{PART, Part, Row, SOURCE, TEXT_MAX, VIEWS};
use crate::article::{Article, Summary};
use crate::store::scan::Segment;

/// A part being made, a row at a time.
#[derive(Default)]
struct Builder {
    text: String,
    ends: Vec<u32>,
    rows: Vec<Row>,
    articles: Vec<Arc<Article>>,
    max_views: Option<u64>,
}

/// A summary's strings, whichever way it holds them.
pub(super) struct Strings<'a, T> {
    id: &'a str,
    headline: &'a str,
    source: Option<&'a str>,
    tags: T,
}

impl<'a, T: Iterator<Item = &'a str> + Clone> Strings<'a, T> {
    fn len(&self) -> usize {
        let tags: usize = self.tags.clone().map(str::len).sum();
        self.id.len() + self.headline.len() + self.source.map_or(0, str::len) + tags
    }
}

impl Builder {
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether a row of `text` more bytes goes in another part.
    fn full(&self, text: usize) -> bool {
        self.len() >= PART || (self.len() > 0 && self.text.len().saturating_add(text) > TEXT_MAX)
    }

    /// Adds a string; past the most a part can hold, only what fits (a row of more than 4 GiB
    /// of tags, which only a made-up file can have, loses what is past that).
    fn push_string(&mut self, string: &str) {
        let room = TEXT_MAX.saturating_sub(self.text.len());
        self.text.push_str(Summary::prefix(string, room));
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    fn push<'a>(
        &mut self,
        segment: &Segment,
        views: Option<u64>,
        strings: Strings<'a, impl Iterator<Item = &'a str>>,
    ) {
        let first = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.push_string(strings.id);
        self.push_string(strings.headline);
        if let Some(source) = strings.source {
            self.push_string(source);
        }
        strings.tags.for_each(|tag| self.push_string(tag));
        let count = self.ends.len() - first as usize;
        self.max_views = self.max_views.max(views);
        self.rows.push(Row {
            start: segment.range.start,
            end: segment.range.end,
            views: views.unwrap_or(0),
            first,
            strings: u32::try_from(count).unwrap_or(u32::MAX),
            flags: views.map_or(0, |_| VIEWS) | strings.source.map_or(0, |_| SOURCE),
        });
    }

    fn finish(self) -> Part {
        Part {
            text: self.text,
            ends: self.ends,
            rows: self.rows,
            articles: self.articles,
            max_views: self.max_views,
            ids: OnceLock::new(),
        }
    }
}

/// Packs rows into parts, starting another whenever one is full.
pub(super) struct Packer {
    parts: Vec<Part>,
    builder: Builder,
}

impl Packer {
    pub(super) fn new() -> Packer {
        Packer {
            parts: Vec::new(),
            builder: Builder::default(),
        }
    }

    pub(super) fn push<'a, T: Iterator<Item = &'a str> + Clone>(
        &mut self,
        segment: &Segment,
        views: Option<u64>,
        strings: Strings<'a, T>,
        article: Option<Arc<Article>>,
    ) {
        if self.builder.full(strings.len()) {
            let full = std::mem::take(&mut self.builder);
            self.parts.push(full.finish());
        }
        self.builder.push(segment, views, strings);
        self.builder.articles.extend(article);
    }

    /// Copies row `row` of `part`.
    pub(super) fn copy(&mut self, part: &Part, row: usize) {
        let (Some(summary), Some(r)) = (part.summary(row), part.rows.get(row)) else {
            return;
        };
        let strings = Strings {
            id: summary.id,
            headline: summary.headline,
            source: summary.source,
            tags: summary.tags.iter(),
        };
        self.push(
            &r.segment(),
            summary.views,
            strings,
            part.article(row).cloned(),
        );
    }

    pub(super) fn finish(mut self) -> Vec<Part> {
        if self.builder.len() > 0 {
            self.parts.push(self.builder.finish());
        }
        self.parts
    }
}

pub(super) fn strings_of(summary: &Summary) -> Strings<'_, impl Iterator<Item = &str> + Clone> {
    Strings {
        id: &summary.id,
        headline: &summary.headline,
        source: summary.source.as_deref(),
        tags: summary.tags.iter().map(String::as_str),
    }
}
