//! Sets of trigrams of letters and digits: collected from a block's text, wanted by a query.

use super::*;

/// Each letter (either case) and digit as a digit of a trigram; `u8::MAX` for other bytes.
pub(super) const DIGITS: [u8; 256] = {
    let mut table = [u8::MAX; 256];
    let mut i = 0;
    while i < 26 {
        table[b'a' as usize + i] = i as u8;
        table[b'A' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = 26 + i as u8;
        i += 1;
    }
    table
};

/// The trigrams of one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Set {
    /// The trigrams in order, when there are few.
    List(Box<[u16]>),
    /// One bit per trigram.
    Bits(Box<[u64]>),
}

impl Set {
    pub(super) fn of_bits(bits: &[u64]) -> Set {
        let count: usize = bits.iter().map(|w| w.count_ones() as usize).sum();
        if count * 16 >= TRIGRAMS {
            return Set::Bits(bits.into());
        }
        let mut list = Vec::with_capacity(count);
        for (i, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                // Below TRIGRAMS, which fits in a u16.
                list.push((i * 64 + word.trailing_zeros() as usize) as u16);
                word &= word - 1;
            }
        }
        Set::List(list.into())
    }

    pub(super) fn contains(&self, trigram: u16) -> bool {
        match self {
            Set::List(list) => list.binary_search(&trigram).is_ok(),
            Set::Bits(bits) => bits
                .get(usize::from(trigram) / 64)
                .is_some_and(|w| w & (1 << (trigram % 64)) != 0),
        }
    }
}

/// Collects the trigrams of text as the module says.
pub(super) struct Trigrams {
    /// One bit per trigram, and a word for [`NO_TRIGRAM`].
    bits: Vec<u64>,
    /// The last two letters or digits as digits, and how many letters and digits in a row
    /// came last (up to 3).
    previous: [usize; 2],
    run: usize,
}

/// The bit that a byte which ends no trigram sets (in the word past the trigrams').
pub(super) const NO_TRIGRAM: usize = WORDS * 64;

impl Trigrams {
    pub(super) fn new() -> Trigrams {
        Trigrams {
            bits: vec![0; WORDS + 1],
            previous: [0; 2],
            run: 0,
        }
    }

    /// Adds the trigrams of `text`, and takes them out as a set.
    pub(super) fn of(&mut self, text: &str) -> Set {
        self.bits.fill(0);
        self.run = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let ascii = ascii_len(rest.as_bytes());
            self.ascii(rest.as_bytes().get(..ascii).unwrap_or_default());
            let mut chars = rest.get(ascii..).unwrap_or_default().chars();
            if let Some(c) = chars.next() {
                fold_char_for_ascii_terms(c, false, |f| match u8::try_from(f) {
                    Ok(byte) if byte.is_ascii() => self.ascii(&[byte]),
                    _ => self.run = 0,
                });
            }
            rest = chars.as_str();
        }
        Set::of_bits(self.bits.get(..WORDS).unwrap_or_default())
    }

    /// Adds ASCII bytes, without a branch per byte but for `#` (which news text has seldom).
    pub(super) fn ascii(&mut self, bytes: &[u8]) {
        let [mut first, mut second] = self.previous;
        let mut run = self.run;
        for &byte in bytes {
            if byte == b'#' {
                continue;
            }
            let digit = usize::from(DIGITS[usize::from(byte)]);
            let is_digit = usize::from(digit != usize::from(u8::MAX));
            run = (run + 1).min(3) * is_digit;
            // With three letters or digits in a row, all three are below 36.
            let bit = match run {
                3 => (first * 36 + second) * 36 + digit,
                _ => NO_TRIGRAM,
            };
            if let Some(word) = self.bits.get_mut(bit / 64) {
                *word |= 1 << (bit % 64);
            }
            (first, second) = (second, digit);
        }
        self.previous = [first, second];
        self.run = run;
    }
}

/// The trigrams a block must hold to hold a match of `query`, in order.
pub(super) fn wanted(query: &Query) -> Vec<u16> {
    let mut wanted = Vec::new();
    for term in &query.include {
        let digits: Vec<u8> = term.bytes().map(|b| DIGITS[usize::from(b)]).collect();
        for three in digits.windows(3) {
            if let [a, b, c] = *three
                && three.iter().all(|&d| d != u8::MAX)
            {
                wanted.push((u16::from(a) * 36 + u16::from(b)) * 36 + u16::from(c));
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}
