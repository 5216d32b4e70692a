#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;

// Whatever a server sends as a feed (RSS, Atom, JSON Feed, or neither): parsed into articles
// with the same properties as a dump's, or refused with one line.
fuzz_target!(|data: &[u8]| {
    match byline::feed::parse::parse(data, "https://fuzz.example/feed.xml") {
        Ok(parsed) => check::articles(&parsed.articles),
        Err(line) => assert!(!line.contains('\n'), "a two-line error: {line:?}"),
    }
});
