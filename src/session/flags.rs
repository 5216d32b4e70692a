//! One yes-or-no flag per article (read, starred, new) with the count of those set kept as
//! they change, so that the status line never counts a million flags per frame.

/// Flags by article index; an index past the end reads as unset.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    set: Vec<bool>,
    count: usize,
}

impl Flags {
    pub fn get(&self, index: usize) -> bool {
        self.set.get(index).copied().unwrap_or(false)
    }

    /// Sets the flag at `index` (which must be an article's) to `value`.
    pub fn put(&mut self, index: usize, value: bool) {
        if let Some(flag) = self.set.get_mut(index) {
            if *flag != value {
                self.count = if value {
                    self.count + 1
                } else {
                    self.count - 1
                };
            }
            *flag = value;
        }
    }

    pub fn push(&mut self, value: bool) {
        self.set.push(value);
        self.count += usize::from(value);
    }

    /// `len` flags, none set.
    pub fn unset(len: usize) -> Flags {
        Flags {
            set: vec![false; len],
            count: 0,
        }
    }

    /// Makes room for `len` articles, the new ones unset.
    pub fn grow_to(&mut self, len: usize) {
        if len > self.set.len() {
            self.set.resize(len, false);
        }
    }

    /// How many flags are set.
    pub fn count(&self) -> usize {
        self.count
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }
}

impl FromIterator<bool> for Flags {
    fn from_iter<I: IntoIterator<Item = bool>>(flags: I) -> Flags {
        let mut all = Flags::default();
        flags.into_iter().for_each(|flag| all.push(flag));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_follows_every_change() {
        let mut flags: Flags = [true, false, true].into_iter().collect();
        assert_eq!(flags.count(), 2);
        flags.put(1, true);
        flags.put(1, true);
        assert_eq!(flags.count(), 3);
        flags.put(0, false);
        flags.push(true);
        flags.grow_to(6);
        assert_eq!((flags.count(), flags.len()), (3, 6));
        assert!(!flags.get(0) && flags.get(3) && !flags.get(5) && !flags.get(99));
        flags.put(99, true);
        assert_eq!(flags.count(), 3, "past the end changes nothing");
    }
}
