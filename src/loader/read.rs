//! An input's bytes: a file mapped, a pipe streamed within a limit, gzip or zstd decompressed.

use std::io::Read;
use std::path::Path;

use super::{STDIN_LIMIT, io_cause};
use crate::mapped::Mapped;
use crate::store::Bytes;

/// A file's bytes, mapped (so that they cost memory only while they are read, and the kernel
/// can drop them again), or read when it cannot be mapped.
pub(super) fn map_or_read(path: &Path) -> Result<Bytes, String> {
    let file = std::fs::File::open(path).map_err(|e| io_cause(&e))?;
    match Mapped::open(&file) {
        Ok(mapped) => Ok(Bytes::Mapped(mapped)),
        Err(_) => std::fs::read(path)
            .map(Bytes::Read)
            .map_err(|e| io_cause(&e)),
    }
}

/// Whether a path is a named pipe, which can be read only once.
pub fn is_pipe(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    metadata.file_type().is_fifo()
}

/// Reads a stream to its end, giving up at the first NUL byte (binary input, `/dev/zero`) or
/// past `limit` bytes (saying `past_limit` then), so that no stream can exhaust memory.
pub(super) fn read_stream(
    mut stream: impl Read,
    limit: u64,
    past_limit: &str,
) -> Result<Vec<u8>, String> {
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
pub(super) const COMPRESSED_EXTENSIONS: &[&str] = &["gz", "zst"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compression {
    Gzip,
    Zstd,
}

/// The compression a stream's first bytes announce (`first` holds them if `read` is empty).
pub(super) fn compression(read: &[u8], first: &[u8]) -> Option<Compression> {
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
pub(super) fn decompress(bytes: Bytes) -> Result<Bytes, String> {
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
pub(super) const TO_A_FILE: &str = "; save it to a file and open that";
pub(super) const UNPACKED: &str = " unpacked";

/// Why an input holding NUL bytes is refused.
pub(super) const NOT_TEXT: &str = "not a text file (it contains NUL bytes)";
