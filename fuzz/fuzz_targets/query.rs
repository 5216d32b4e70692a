#![no_main]

use byline::search::Query;
use libfuzzer_sys::fuzz_target;

// The input is a query, a NUL byte, and a text to search.
fuzz_target!(|data: &[u8]| {
    let data = String::from_utf8_lossy(data);
    let (query, text) = data.split_once('\0').unwrap_or((&data, "Laura Peña İstanbul NATO"));
    let query = Query::parse(query);
    let ranges = query.highlights(text);
    let mut end = 0;
    for range in &ranges {
        assert!(range.start >= end && range.start < range.end && range.end <= text.len(), "{ranges:?}");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        end = range.end;
    }
});
