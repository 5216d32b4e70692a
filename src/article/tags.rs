//! An article's tags as a store keeps them: pieces of one shared string.

/// An article's tags, in order, as a store keeps them: pieces of one string, each ending where
/// an entry of `ends` says (the first where `start` says it starts).
#[derive(Clone, Copy)]
pub struct Tags<'a> {
    text: &'a str,
    ends: &'a [u32],
    start: u32,
}

impl<'a> Tags<'a> {
    /// The tags that lie in `text` one after the other from `start`, ending at `ends`. An end
    /// outside `text` or off a character boundary gives an empty tag: the store checks them all
    /// when it takes them in.
    pub(crate) fn new(text: &'a str, ends: &'a [u32], start: u32) -> Tags<'a> {
        Tags { text, ends, start }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> TagsIter<'a> {
        TagsIter { tags: *self }
    }
}

/// The tags of a [`Tags`], each a `&str`.
#[derive(Clone)]
pub struct TagsIter<'a> {
    tags: Tags<'a>,
}

impl<'a> Iterator for TagsIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (&end, rest) = self.tags.ends.split_first()?;
        let tag = self.tags.text.get(self.tags.start as usize..end as usize);
        self.tags.ends = rest;
        self.tags.start = end;
        Some(tag.unwrap_or_default())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.tags.len(), Some(self.tags.len()))
    }
}

impl ExactSizeIterator for TagsIter<'_> {}

impl<'a> IntoIterator for Tags<'a> {
    type Item = &'a str;
    type IntoIter = TagsIter<'a>;

    fn into_iter(self) -> TagsIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Tags<'a> {
    type Item = &'a str;
    type IntoIter = TagsIter<'a>;

    fn into_iter(self) -> TagsIter<'a> {
        self.iter()
    }
}

impl PartialEq for Tags<'_> {
    fn eq(&self, other: &Tags<'_>) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Tags<'_> {}

impl PartialEq<[String]> for Tags<'_> {
    fn eq(&self, other: &[String]) -> bool {
        self.iter().eq(other.iter().map(String::as_str))
    }
}

impl std::fmt::Debug for Tags<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
