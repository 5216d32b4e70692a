//! The server's input path without the network, for `cargo fuzz` (`fuzz/fuzz_targets/serve.rs`)
//! and its unit test: what an authenticated client sends, through the decoder into a reader
//! running the ordinary runtime on an [`SshHost`], to its end.

use std::sync::{Arc, OnceLock};

use super::host::SshHost;
use crate::loader::{self, Input};
use crate::session::{Options, Session};
use crate::state::{BackgroundSaver, State};
use crate::store::Store;
use crate::terminal::{self, Decoder, Incoming, Signal};

/// A byte that starts a window change in the fuzz input: two bytes of columns and two of rows
/// follow. Every other byte is channel data, as a client types or pastes it.
const RESIZE: u8 = 0xfe;

fn sample() -> Arc<Store> {
    static SAMPLE: OnceLock<Arc<Store>> = OnceLock::new();
    let store = SAMPLE.get_or_init(|| {
        let known = loader::Known {
            cache_dir: None,
            previous: None,
        };
        Arc::new(loader::load_known(&[Input::Sample], known).store)
    });
    Arc::clone(store)
}

/// Runs one reader over the sample on `input` (channel data and window changes), then hangs
/// up. Panics only if the reader does.
pub fn client_input(input: &[u8]) {
    let (mut host, feed) = SshHost::new((80, 24), false);
    let options = Options {
        color: true,
        input_key: "sample".into(),
        unsaved: true,
        ..Options::default()
    };
    let mut session = Session::with_store(sample(), options, State::default());
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let mut decoder = Decoder::default();
        let mut rest = &input[..];
        while !rest.is_empty() {
            let (data, after) = match rest.iter().position(|&b| b == RESIZE) {
                Some(at) => rest.split_at(at),
                None => (rest, &rest[rest.len()..]),
            };
            for event in decoder.feed(data) {
                if !feed.post_blocking(Incoming::Event(event)) {
                    return;
                }
            }
            rest = after;
            if let [RESIZE, c1, c2, r1, r2, tail @ ..] = rest {
                let columns = u16::from_be_bytes([*c1, *c2]).max(1);
                let rows = u16::from_be_bytes([*r1, *r2]).max(1);
                feed.set_size((columns, rows));
                if !feed.post_blocking(Incoming::Signal(Signal::Resize)) {
                    return;
                }
                rest = tail;
            } else if !rest.is_empty() {
                rest = &rest[1..];
            }
        }
        feed.post_blocking(Incoming::Hangup);
    });
    let mut saver: Option<BackgroundSaver> = None;
    // An error (a size ratatui refuses) ends the reader as it would a client's: no bug.
    let _ = terminal::run_from(&mut session, &mut host, &mut saver, None, std::io::sink());
    drop(host);
    let _ = feeder.join();
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_input_of_every_kind_runs_the_reader_to_its_end() {
        let inputs: [&[u8]; 5] = [
            b"jjj\rkq",
            b"/climate\x1b[A\x1b[B\rnnNvYyes\x03",
            b"\xfe\x00\x05\x00\x02jj\xfe\x03\xe8\x01\xf4G\xfe\xff\xff\xff\xffg",
            b"\x1b[<0;10;5M\x1b[<64;3;3M\x1b[200~pasted\x1b[201~\x1b",
            b"\xff\xc3\x28\x1b[999999999999;1R\x1b]52;c;?\x07:",
        ];
        for input in inputs {
            super::client_input(input);
        }
    }
}
