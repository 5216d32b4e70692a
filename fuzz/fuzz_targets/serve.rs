//! What an authenticated client can send to `byline serve` (channel data, with 0xfe starting
//! a window change), through the decoder into a reader running the ordinary runtime.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    byline::serve::fuzz::client_input(input);
});
