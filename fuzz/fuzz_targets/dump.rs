#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = byline::loader::parse_bytes("fuzz", data, Some("txt")) {
        check::articles(&loaded.store.to_articles());
    }
});
