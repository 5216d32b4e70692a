//! Loading articles from files, directories, standard input or the embedded sample. The loader
//! keeps going past bad inputs and reports each one as a [`Problem`].

pub mod json;

// The dump format belongs to the store, which parses articles when they are read.
pub use crate::store::{dump, index, scan};

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasherDefault;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::article::{Problem, Severity};
use crate::mapped::Mapped;
use crate::store::packed::IdHasher;
use crate::store::{Bytes, Corpus, Store};
use crate::text::{self, clean_line};
use index::{DumpIndex, Identity};

/// The sample dump that byline opens when it is given no input.
pub const SAMPLE: &[u8] = include_bytes!("../seeds/sample.txt");

/// The most standard input or a named pipe may hold: a pipe has no size to check first, and an
/// endless one (`yes`, `/dev/zero`) must end in an error, not in running out of memory.
pub const STDIN_LIMIT: u64 = 1 << 30;

/// File name extensions that a directory is searched for.
const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "json", "jsonl", "ndjson"];

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, or a directory of supported files.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
    /// The sample embedded in the binary.
    Sample,
}

impl Input {
    /// `-` means standard input; anything else is a path.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::Path(arg.to_owned())
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
    for input in inputs {
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
        }
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

/// A dump file as it is now, what was known of it, and where to keep what is found.
pub struct KnownFile<'a> {
    pub path: PathBuf,
    pub identity: Identity,
    pub index: Option<DumpIndex>,
    pub cache_dir: Option<&'a Path>,
}

/// A file's bytes, mapped (so that they cost memory only while they are read, and the kernel
/// can drop them again), or read when it cannot be mapped.
fn map_or_read(path: &Path) -> Result<Bytes, String> {
    let file = std::fs::File::open(path).map_err(|e| io_cause(&e))?;
    match Mapped::open(&file) {
        Ok(mapped) => Ok(Bytes::Mapped(mapped)),
        Err(_) => std::fs::read(path)
            .map(Bytes::Read)
            .map_err(|e| io_cause(&e)),
    }
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

/// Whether a path is a named pipe, which can be read only once.
pub fn is_pipe(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    metadata.file_type().is_fifo()
}

/// Reads a stream to its end, giving up at the first NUL byte (binary input, `/dev/zero`) or
/// past `limit` bytes (saying `past_limit` then), so that no stream can exhaust memory.
fn read_stream(mut stream: impl Read, limit: u64, past_limit: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0; 1 << 16];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_cause(&e)),
        };
        // Compressed input holds NUL bytes; what it holds is checked once it is decompressed.
        if chunk[..n].contains(&0) && compression(&bytes, &chunk[..n]).is_none() {
            return Err(NOT_TEXT.into());
        }
        if (bytes.len() + n) as u64 > limit {
            return Err(format!("more than {} MiB{past_limit}", limit >> 20));
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// Compressed files found in a directory, as `dump.txt.gz`.
const COMPRESSED_EXTENSIONS: &[&str] = &["gz", "zst"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    Gzip,
    Zstd,
}

/// The compression a stream's first bytes announce (`first` holds them if `read` is empty).
fn compression(read: &[u8], first: &[u8]) -> Option<Compression> {
    let start = if read.is_empty() { first } else { read };
    if start.starts_with(&[0x1f, 0x8b]) {
        Some(Compression::Gzip)
    } else if start.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Compression::Zstd)
    } else {
        None
    }
}

/// Gzip or zstd input decompressed (recognised by content, not by name), within the limit of
/// a stream so that a small file cannot unpack into all of memory; anything else as it is.
fn decompress(bytes: Bytes) -> Result<Bytes, String> {
    let unpacked = match compression(&bytes, &[]) {
        None => return Ok(bytes),
        Some(Compression::Gzip) => read_stream(
            flate2::read::MultiGzDecoder::new(&bytes[..]),
            STDIN_LIMIT,
            UNPACKED,
        ),
        Some(Compression::Zstd) => ruzstd::decoding::StreamingDecoder::new(&bytes[..])
            .map_err(|e| format!("bad zstd data: {e}"))
            .and_then(|decoder| read_stream(decoder, STDIN_LIMIT, UNPACKED)),
    };
    unpacked
        .map(Bytes::Read)
        .map_err(|cause| format!("decompressing: {cause}"))
}

/// What a stream past its limit is told to do instead, and what a decompressed one is.
const TO_A_FILE: &str = "; save it to a file and open that";
const UNPACKED: &str = " unpacked";

/// Why an input holding NUL bytes is refused.
const NOT_TEXT: &str = "not a text file (it contains NUL bytes)";

/// Loads one input's bytes, choosing the format by content (and the extension as a hint). A
/// dump keeps its bytes, and its articles are parsed when they are read; other input is
/// parsed now.
pub fn parse_kept(
    name: &str,
    bytes: Bytes,
    extension: Option<&str>,
    mut file: Option<KnownFile<'_>>,
) -> Result<Loaded, String> {
    let (identity, known) = match file.as_mut() {
        Some(file) => (file.identity, file.index.take()),
        None => (Identity::default(), None),
    };
    let known_identity = known.as_ref().map(|k| k.identity);
    let index = match is_json(&bytes, extension) {
        true => None,
        false => DumpIndex::update(&bytes, identity, known),
    };
    let Some(index) = index else {
        return parse_bytes(name, &bytes, extension);
    };
    if index.rows.is_empty() {
        return Err(format!("{name}: no articles found"));
    }
    let mut warnings = Vec::new();
    if index.invalid_utf8 > 0 {
        warnings.push(invalid_warning(name, index.invalid_utf8));
    }
    if index.empty_segments > 0 {
        warnings.push(empty_warning(name, index.empty_segments));
    }
    let path = match file {
        Some(file) => {
            // Kept for the next start; a cache that cannot be written only costs that.
            if let Some(dir) = file
                .cache_dir
                .filter(|_| index.worth_keeping(known_identity))
            {
                let _ = index.write(dir, &file.path);
            }
            Some(file.path)
        }
        None => None,
    };
    // What the scan read is not needed until an article is read.
    if let Bytes::Mapped(mapped) = &bytes {
        mapped.release(0..mapped.len());
    }
    let duplicates = Some(index.duplicates.clone());
    let store = Store::from_index(bytes, index, path);
    Ok(Loaded {
        store,
        warnings,
        duplicates,
    })
}

/// Whether input is JSON (else a dump), by its extension or else by how it starts: only the
/// start is decoded, so that telling costs nothing for a large dump.
fn is_json(bytes: &[u8], extension: Option<&str>) -> bool {
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("json" | "jsonl" | "ndjson") => true,
        Some("txt") => false,
        _ => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let blank = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let start = &bytes[blank..bytes.len().min(blank + 64 * 1024)];
            json::looks_like_json(&String::from_utf8_lossy(start))
        }
    }
}

fn invalid_warning(name: &str, invalid: usize) -> String {
    let s = plural(invalid);
    format!("{name}: {invalid} invalid UTF-8 sequence{s} replaced with �")
}

fn empty_warning(name: &str, empty: usize) -> String {
    format!("{name}: skipped {empty} empty article{}", plural(empty))
}

/// Parses one input's bytes, choosing the format by content (and the extension as a hint).
pub fn parse_bytes(name: &str, bytes: &[u8], extension: Option<&str>) -> Result<Loaded, String> {
    let Some((text, invalid)) = text::decode(bytes) else {
        return Err(format!("{name}: {NOT_TEXT}"));
    };
    let mut warnings = Vec::new();
    if invalid > 0 {
        warnings.push(invalid_warning(name, invalid));
    }
    let articles = if is_json(text.as_bytes(), extension) {
        json::parse(&text).map_err(|e| format!("{name}: {e}"))?
    } else {
        let parsed = dump::parse(&text);
        if parsed.empty_segments > 0 && !parsed.articles.is_empty() {
            warnings.push(empty_warning(name, parsed.empty_segments));
        }
        parsed.articles
    };
    if articles.is_empty() {
        return Err(format!("{name}: no articles found"));
    }
    let store = Store::from_articles(articles);
    Ok(Loaded {
        store,
        warnings,
        duplicates: None,
    })
}

/// The articles of one input and what was replaced or skipped on the way.
#[derive(Debug)]
pub struct Loaded {
    pub store: Store,
    pub warnings: Vec<String>,
    /// The articles of `store` that repeat an earlier one, in increasing order, when they are
    /// known (a dump's index keeps them).
    pub duplicates: Option<Vec<usize>>,
}

/// A corpus being loaded, and what is known of its duplicates.
#[derive(Default)]
struct Loading {
    corpus: Corpus,
    /// How many inputs were loaded, and the duplicates of the first, if they are known.
    loaded: usize,
    duplicates: Option<Vec<usize>>,
}

impl Loading {
    fn add(&mut self, result: Result<Loaded, String>) {
        match result {
            Ok(loaded) => {
                self.loaded += 1;
                self.duplicates = loaded.duplicates;
                self.corpus.store.append(loaded.store);
                let warnings = loaded.warnings.into_iter();
                let warnings = warnings.map(|message| Problem {
                    severity: Severity::Warning,
                    message,
                });
                self.corpus.problems.extend(warnings);
            }
            Err(message) => self.error(message),
        }
    }

    fn error(&mut self, message: String) {
        self.corpus.error(message);
    }

    /// The corpus, without duplicates: those an index knows of when there is one input, else
    /// those found now.
    fn finish(mut self) -> Corpus {
        match self.duplicates.take().filter(|_| self.loaded == 1) {
            Some(duplicates) => self.corpus.drop_rows(&duplicates),
            None => self.corpus.drop_duplicates(),
        }
        self.corpus
    }
}

impl Corpus {
    /// Leaves out the articles at `rows` (in increasing order), which repeat earlier ones, and
    /// says how many.
    fn drop_rows(&mut self, rows: &[usize]) {
        if rows.is_empty() {
            return;
        }
        self.store.drop_rows(rows);
        self.skipped(rows.len());
    }

    fn skipped(&mut self, skipped: usize) {
        self.problems.push(Problem {
            severity: Severity::Warning,
            message: format!("skipped {skipped} duplicate article{}", plural(skipped)),
        });
    }

    /// Keeps the first of identical articles (the same dump given twice, or an article in two
    /// files) and says how many others were left out.
    fn drop_duplicates(&mut self) {
        let summaries = self.store.summaries();
        let mut first: HashMap<&str, usize, BuildHasherDefault<IdHasher>> =
            HashMap::with_capacity_and_hasher(summaries.len(), BuildHasherDefault::default());
        let mut keep = vec![true; summaries.len()];
        for (index, summary) in summaries.iter().enumerate() {
            match first.entry(summary.id) {
                // The same id is the same text but for credits and the like: look closer.
                Entry::Occupied(seen) => {
                    keep[index] = self.store.article(*seen.get()) != self.store.article(index)
                }
                Entry::Vacant(slot) => {
                    slot.insert(index);
                }
            }
        }
        let skipped = keep.iter().filter(|k| !**k).count();
        if skipped == 0 {
            return;
        }
        self.store.retain(&keep);
        self.skipped(skipped);
    }

    fn error(&mut self, message: String) {
        self.problems.push(Problem {
            severity: Severity::Error,
            message,
        });
    }
}

/// A path as it may be printed: never a control character, even from a hostile file name.
fn display(path: &Path) -> String {
    clean_line(&path.to_string_lossy())
}

/// The cause of an I/O error in words, without Rust's "(os error 2)" suffix.
pub(crate) fn io_cause(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_owned(),
                None => text,
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
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
