//! Loading articles from files, directories, standard input or the embedded sample. The loader
//! keeps going past bad inputs and reports each one as a [`Problem`](crate::article::Problem).

mod corpus;
pub mod json;
mod parse;
mod read;

// The dump format belongs to the store, which parses articles when they are read.
pub use crate::store::{dump, index, scan};

use std::path::{Path, PathBuf};

use crate::store::{Bytes, Corpus, Store};
use crate::text::{clean_line, io_cause};
use corpus::Loading;
use index::{DumpIndex, Identity};
pub use parse::{Loaded, parse_bytes, parse_kept};
pub use read::is_pipe;
use read::{COMPRESSED_EXTENSIONS, TO_A_FILE, compression, decompress, map_or_read, read_stream};

/// The sample dump that byline opens when it is given no input.
pub const SAMPLE: &[u8] = include_bytes!("../seeds/sample.txt");

/// The most standard input or a named pipe may hold: a pipe has no size to check first, and an
/// endless one (`yes`, `/dev/zero`) must end in an error, not in running out of memory.
pub const STDIN_LIMIT: u64 = 1 << 30;

/// File name extensions that a directory is searched for.
const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "json", "jsonl", "ndjson", "xml", "rss", "atom"];

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, or a directory of supported files.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
    /// The sample embedded in the binary.
    Sample,
    /// A feed, read from the cache it is fetched into.
    Feed(crate::feed::Subscription),
}

impl Input {
    /// `-` means standard input, an `http://` or `https://` URL a feed; anything else is a
    /// path.
    pub fn from_arg(arg: &Path) -> Input {
        match arg.to_str() {
            Some("-") => Input::Stdin,
            Some(url) if crate::feed::is_url(url) => {
                Input::Feed(crate::feed::Subscription::new(url))
            }
            _ => Input::Path(arg.to_owned()),
        }
    }
}

/// What a load may know already: where indexes of dumps are kept, and the articles loaded
/// last (a dump that grew is read on from where it ended).
#[derive(Default, Clone, Copy)]
pub struct Known<'a> {
    pub cache_dir: Option<&'a Path>,
    pub previous: Option<&'a Store>,
}

/// Loads every input in order into one corpus.
pub fn load(inputs: &[Input]) -> Corpus {
    load_known(inputs, Known::default())
}

/// Loads every input in order into one corpus, using what is known of them.
pub fn load_known(inputs: &[Input], known: Known<'_>) -> Corpus {
    let mut corpus = Loading::default();
    let mut rest = inputs;
    while let Some((input, mut after)) = rest.split_first() {
        match input {
            Input::Sample => corpus.add(parse_kept("sample", Bytes::Static(SAMPLE), None, None)),
            Input::Stdin => {
                let result = read_stream(std::io::stdin().lock(), STDIN_LIMIT, TO_A_FILE)
                    .and_then(|bytes| decompress(Bytes::Read(bytes)))
                    .map_err(|cause| format!("<stdin>: {cause}"))
                    .and_then(|bytes| parse_kept("<stdin>", bytes, None, None));
                corpus.add(result);
            }
            Input::Path(path) => load_path(path, &mut corpus, known),
            Input::Feed(_) => {
                // A run of feeds is read from the cache and parsed side by side: a thousand
                // feeds are most of a load, each on its own.
                let feeds: Vec<&crate::feed::Subscription> = (rest.iter())
                    .map_while(|input| match input {
                        Input::Feed(subscription) => Some(subscription),
                        _ => None,
                    })
                    .collect();
                let loaded = crate::parallel::each_in_parallel(&feeds, |s| load_feed(s, known));
                loaded.into_iter().for_each(|feed| corpus.add(Ok(feed)));
                after = &rest[feeds.len()..];
            }
        }
        rest = after;
    }
    corpus.finish()
}

fn load_path(path: &Path, corpus: &mut Loading, known: Known<'_>) {
    let name = display(path);
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) => return corpus.error(format!("{name}: {}", io_cause(&e))),
    };
    if metadata.is_dir() {
        return load_dir(path, corpus, known);
    }
    // A named pipe (`byline <(zcat dump.gz)`) is read as standard input is, to its end and
    // within the same limit; a device could never end.
    let bytes = if is_pipe(&metadata) {
        std::fs::File::open(path)
            .map_err(|e| io_cause(&e))
            .and_then(|pipe| read_stream(pipe, STDIN_LIMIT, TO_A_FILE))
            .map(Bytes::Read)
    } else if !metadata.is_file() {
        Err("not a regular file or a pipe".into())
    } else {
        map_or_read(path)
    };
    // `dump.json.gz` is JSON: the extension under the compression's says what is inside.
    let mut extension = path.extension().and_then(|e| e.to_str());
    if extension.is_some_and(|e| COMPRESSED_EXTENSIONS.contains(&e)) {
        extension = path
            .file_stem()
            .and_then(|stem| Path::new(stem).extension())
            .and_then(|e| e.to_str());
    }
    // A regular file that is not compressed can be indexed, and its index kept.
    let file = (metadata.is_file() && !bytes.as_ref().is_ok_and(|b| compression(b, &[]).is_some()))
        .then(|| {
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
            let index = known.previous.and_then(|store| store.index_of(&path));
            let index = index.or_else(|| DumpIndex::read(known.cache_dir?, &path));
            KnownFile {
                identity: Identity::of(&metadata),
                index,
                cache_dir: known.cache_dir,
                path,
            }
        });
    let result = bytes
        .and_then(decompress)
        .map_err(|cause| format!("{name}: {cause}"))
        .and_then(|bytes| parse_kept(&name, bytes, extension, file));
    corpus.add(result);
}

/// A feed's articles as last fetched; a feed that failed or was never fetched is a warning, not
/// an error: the other inputs still load, and the next fetch may bring it.
fn load_feed(subscription: &crate::feed::Subscription, known: Known<'_>) -> Loaded {
    let cache = known
        .cache_dir
        .map(|dir| crate::feed::cache::Cache::new(crate::feed::cache_dir(dir)));
    let (articles, warnings) = match &cache {
        Some(cache) => crate::feed::cached_articles(subscription, cache),
        None => (
            Vec::new(),
            vec![format!(
                "{}: no cache directory to fetch feeds into",
                clean_line(&subscription.url)
            )],
        ),
    };
    Loaded {
        store: Store::from_articles(articles),
        warnings,
        duplicates: None,
    }
}

/// A dump file as it is now, what was known of it, and where to keep what is found.
pub struct KnownFile<'a> {
    pub path: PathBuf,
    pub identity: Identity,
    pub index: Option<DumpIndex>,
    pub cache_dir: Option<&'a Path>,
}

fn load_dir(dir: &Path, corpus: &mut Loading, known: Known<'_>) {
    let name = display(dir);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return corpus.error(format!("{name}: {}", io_cause(&e))),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            let visible = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'));
            let supported = |path: &Path| {
                path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                })
            };
            let compressed = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSED_EXTENSIONS.contains(&e))
                && path
                    .file_stem()
                    .is_some_and(|stem| supported(Path::new(stem)));
            let supported = supported(path) || compressed;
            visible && supported && path.is_file()
        })
        .collect();
    files.sort();
    let before = corpus.corpus.store.len();
    for file in &files {
        load_path(file, corpus, known);
    }
    if corpus.corpus.store.len() == before && corpus.corpus.errors().next().is_none() {
        let which = SUPPORTED_EXTENSIONS
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ");
        corpus.error(format!(
            "{name}: no articles found (in {which} files directly inside; subfolders are skipped)"
        ));
    }
}

/// A path as it may be printed: never a control character, even from a hostile file name.
fn display(path: &Path) -> String {
    clean_line(&path.to_string_lossy())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::read::NOT_TEXT;
    use super::*;

    #[test]
    fn the_embedded_sample_loads_without_problems() {
        let corpus = load(&[Input::Sample]);
        assert_eq!(corpus.store.len(), 10);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    }

    #[test]
    fn format_follows_content_when_the_extension_says_nothing() {
        let json = parse_bytes("x", br#"[{"headline":"From JSON"}]"#, None).unwrap();
        assert_eq!(json.store.summary(0).unwrap().headline, "From JSON");
        let dump = parse_bytes("x", b"[Video] A headline\n\nBody.", Some("dat")).unwrap();
        assert_eq!(
            dump.store.summary(0).unwrap().headline,
            "[Video] A headline"
        );
        let forced = parse_bytes("x.txt", b"{\"headline\":\"x\"}", Some("txt")).unwrap();
        assert_eq!(
            forced.store.summary(0).unwrap().headline,
            "{\"headline\":\"x\"}"
        );
    }

    #[test]
    fn invalid_utf8_loads_with_a_warning() {
        let loaded = parse_bytes("bad.txt", b"Caf\xE9 news\n\nBody \xFF.", None).unwrap();
        assert_eq!(loaded.store.summary(0).unwrap().headline, "Caf� news");
        assert_eq!(
            loaded.warnings,
            ["bad.txt: 2 invalid UTF-8 sequences replaced with �"]
        );
    }

    #[test]
    fn empty_and_binary_inputs_are_errors() {
        assert_eq!(
            parse_bytes("e.txt", b"", None).unwrap_err(),
            "e.txt: no articles found"
        );
        assert_eq!(
            parse_bytes("e.txt", b"\n \n\n", None).unwrap_err(),
            "e.txt: no articles found"
        );
        let error = parse_bytes("b.bin", b"\x7fELF\0\0", None).unwrap_err();
        assert_eq!(error, "b.bin: not a text file (it contains NUL bytes)");
    }

    #[test]
    fn standard_input_is_read_without_limit_no_more() {
        let endless = std::io::repeat(b'a');
        assert_eq!(
            read_stream(endless, 1 << 20, TO_A_FILE).unwrap_err(),
            "more than 1 MiB; save it to a file and open that"
        );
        let zeros = std::io::repeat(0);
        assert_eq!(read_stream(zeros, u64::MAX, "").unwrap_err(), NOT_TEXT);
        let dump = b"Headline\n\nBody.\n".as_slice();
        assert_eq!(read_stream(dump, dump.len() as u64, "").unwrap(), dump);
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_and_zstd_files_are_read_by_their_content() {
        let dir = tempfile::tempdir().unwrap();
        let zstd =
            ruzstd::encoding::compress_to_vec(SAMPLE, ruzstd::encoding::CompressionLevel::Fastest);
        let files = [
            ("sample.txt.gz", gzip(SAMPLE)),
            ("sample.txt.zst", zstd),
            ("no-extension", gzip(SAMPLE)),
        ];
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
            let corpus = load(&[Input::Path(dir.path().join(name))]);
            assert_eq!(
                corpus.store.to_articles(),
                load(&[Input::Sample]).store.to_articles(),
                "{name}"
            );
        }
        let json = gzip(br#"[{"headline": "Inside"}]"#);
        std::fs::write(dir.path().join("a.json.gz"), json).unwrap();
        let corpus = load(&[Input::Path(dir.path().join("a.json.gz"))]);
        assert_eq!(corpus.store.summary(0).unwrap().headline, "Inside");
        std::fs::write(dir.path().join("zeros.gz"), gzip(&[0; 100])).unwrap();
        let corpus = load(&[Input::Path(dir.path().join("zeros.gz"))]);
        let error = corpus.errors().next().unwrap().message.clone();
        assert!(
            error.ends_with("decompressing: not a text file (it contains NUL bytes)"),
            "{error}"
        );
    }

    #[test]
    fn a_directory_lists_compressed_dumps_too() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt.gz"), gzip(SAMPLE)).unwrap();
        std::fs::write(dir.path().join("b.tar.gz"), gzip(b"not listed")).unwrap();
        let corpus = load(&[Input::Path(dir.path().to_owned())]);
        assert_eq!(corpus.store.len(), 10);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    }

    #[test]
    fn identical_articles_from_two_inputs_are_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, SAMPLE).unwrap();
        let twice = load(&[Input::Path(path), Input::Sample]);
        assert_eq!(
            twice.store.to_articles(),
            load(&[Input::Sample]).store.to_articles()
        );
        let warnings: Vec<&str> = twice.warnings().map(|w| w.message.as_str()).collect();
        assert_eq!(warnings, ["skipped 10 duplicate articles"]);
    }

    #[test]
    fn a_dump_s_own_duplicates_are_left_out_from_its_kept_index_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, [SAMPLE, b"\n", SAMPLE].concat()).unwrap();
        let expected = load(&[Input::Sample]).store.to_articles();
        let cache = dir.path().join("cache");
        let known = Known {
            cache_dir: Some(&cache),
            previous: None,
        };
        let inputs = [Input::Path(path.clone())];
        for load in ["scanned", "from the kept index"] {
            let corpus = load_known(&inputs, known);
            assert_eq!(corpus.store.to_articles(), expected, "{load}");
            let warnings: Vec<&str> = corpus.warnings().map(|w| w.message.as_str()).collect();
            assert_eq!(warnings, ["skipped 10 duplicate articles"], "{load}");
        }
        let canonical = std::fs::canonicalize(&path).unwrap();
        assert!(DumpIndex::read(&cache, &canonical).is_some(), "kept");
    }

    #[test]
    fn a_dump_that_grew_is_read_on_sharing_the_summaries_loaded_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, [SAMPLE, b"\n"].concat()).unwrap();
        let inputs = [Input::Path(path.clone())];
        let first = load(&inputs);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, b"Appended\n\nIts body.\nView 5 times\n").unwrap();
        let known = Known {
            cache_dir: None,
            previous: Some(&first.store),
        };
        let grown = load_known(&inputs, known);
        assert_eq!(grown.store.len(), 11);
        assert!(grown.store.shares_start_with(&first.store), "not copied");
        assert_eq!(grown.store.summary(10).unwrap().headline, "Appended");
        assert_eq!(grown.store.to_articles()[..10], first.store.to_articles());
        let again = load(&inputs);
        assert!(!again.store.shares_start_with(&first.store), "loaded anew");
        assert!(again.store == grown.store);
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let loaded =
            parse_bytes("bom.txt", b"\xEF\xBB\xBFHeadline\r\n\r\nBody.\r\n", None).unwrap();
        assert_eq!(loaded.store.summary(0).unwrap().headline, "Headline");
        assert!(loaded.warnings.is_empty());
        let json = parse_bytes("bom.json", b"\xEF\xBB\xBF[{\"headline\":\"J\"}]", None).unwrap();
        assert_eq!(json.store.summary(0).unwrap().headline, "J");
    }

    #[test]
    fn empty_articles_are_skipped_with_a_warning() {
        let loaded = parse_bytes(
            "d",
            b"View 1 times\nHead\nView 2 times\nView 1 times\n",
            None,
        )
        .unwrap();
        assert_eq!(loaded.store.len(), 1);
        assert_eq!(loaded.warnings, ["d: skipped 2 empty articles"]);
    }
}
