//! Writing an article to the file the user named: never through a link to nowhere, never over a
//! file nobody agreed to replace, and never leaving a half-written file behind.

use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::document::group_thousands;
use crate::text::io_cause;

/// How a save went.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Saved, or not: the message for the status line says which.
    Done(String),
    /// This file exists (the file a link leads to, when the name was a link): ask first.
    Exists(PathBuf),
}

/// Writes `text` to `path`. Without `overwrite` an existing file is never replaced, even one
/// that appears between the question and the write; a link is followed only to a file that
/// exists, and the question names that file.
pub fn save(path: &Path, text: &str, overwrite: bool) -> Outcome {
    let path = &expand_home(path, std::env::var_os("HOME").map(PathBuf::from));
    let shown = |p: &Path| p.display().to_string();
    let target = match target(path) {
        Ok(target) => target,
        Err(cause) => return Outcome::Done(format!("Not saved: {}: {cause}", shown(path))),
    };
    if !overwrite && target.exists {
        return Outcome::Exists(target.path);
    }
    match write_replacing(&target.path, overwrite, |file| {
        file.write_all(text.as_bytes())
    }) {
        Ok(()) => Outcome::Done(format!(
            "Saved {} ({} bytes)",
            shown(&target.path),
            group_thousands(text.len() as u64)
        )),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Outcome::Exists(target.path),
        Err(e) => Outcome::Done(format!(
            "Not saved: {}: {}",
            shown(&target.path),
            io_cause(&e)
        )),
    }
}

/// `~` or `~/…` as the shell reads it: in the home directory.
fn expand_home(path: &Path, home: Option<PathBuf>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_owned(),
    }
}

/// The file a save to `path` writes, and whether it exists already.
struct Target {
    path: PathBuf,
    exists: bool,
}

fn target(path: &Path) -> Result<Target, String> {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Target {
                path: path.to_owned(),
                exists: false,
            });
        }
        Err(e) => return Err(io_cause(&e)),
    };
    let path = if metadata.file_type().is_symlink() {
        match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err("a link to a file that does not exist".into());
            }
            Err(e) => return Err(io_cause(&e)),
        }
    } else {
        path.to_owned()
    };
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Ok(Target { path, exists: true }),
        Ok(m) if m.is_dir() => Err("a directory".into()),
        Ok(_) => Err("not a regular file".into()),
        Err(e) => Err(io_cause(&e)),
    }
}

/// Writes a temporary file beside `path` and renames it into place, so a full disk or a crash
/// leaves the old file (or none) rather than part of the new one. Without `overwrite`, the
/// rename fails with `AlreadyExists` if anything is at `path` by then.
fn write_replacing(
    path: &Path,
    overwrite: bool,
    write: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    // A replaced file keeps its mode; a new one gets what the umask allows, as any editor's.
    let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode());
    let mut file = tempfile::Builder::new()
        .prefix(".byline-save-")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)?;
    write(file.as_file_mut())?;
    file.as_file().sync_all()?;
    let placed = if overwrite {
        file.persist(path)
    } else {
        file.persist_noclobber(path)
    };
    placed.map(drop).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_written_and_an_existing_one_is_only_replaced_when_agreed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        assert!(matches!(save(&path, "one", false), Outcome::Done(m) if m.starts_with("Saved")));
        assert_eq!(save(&path, "two", false), Outcome::Exists(path.clone()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        assert!(matches!(save(&path, "two", true), Outcome::Done(m) if m.starts_with("Saved")));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(saved(dir.path()), ["a.md"], "no temporary file is left");
    }

    #[test]
    fn the_save_prompt_expands_a_leading_tilde() {
        let home = Some(PathBuf::from("/home/reader"));
        let expand = |p: &str| expand_home(Path::new(p), home.clone());
        assert_eq!(expand("~/news/a.md"), Path::new("/home/reader/news/a.md"));
        assert_eq!(expand("~"), Path::new("/home/reader"));
        assert_eq!(expand("a~/b.md"), Path::new("a~/b.md"));
        assert_eq!(expand("~other/b.md"), Path::new("~other/b.md"));
        assert_eq!(expand_home(Path::new("~/a.md"), None), Path::new("~/a.md"));
    }

    #[test]
    fn w_does_not_follow_a_dangling_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.md");
        let missing = dir.path().join("elsewhere.md");
        std::os::unix::fs::symlink(&missing, &link).unwrap();
        let Outcome::Done(message) = save(&link, "text", false) else {
            panic!("asked about a file that does not exist");
        };
        assert!(
            message.contains("a link to a file that does not exist"),
            "{message}"
        );
        assert!(!missing.exists(), "wrote through the link");
    }

    #[test]
    fn w_asks_about_the_file_a_link_leads_to_and_replaces_that_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let real = std::fs::canonicalize(&real).unwrap();
        assert_eq!(save(&link, "new", false), Outcome::Exists(real.clone()));
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
        assert!(matches!(save(&real, "new", true), Outcome::Done(m) if m.starts_with("Saved")));
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_file_that_appears_before_the_write_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let raced = write_replacing(&path, false, |file| {
            std::fs::write(&path, "someone else's")?;
            file.write_all(b"ours")
        });
        assert_eq!(raced.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's");
        assert_eq!(saved(dir.path()), ["a.md"]);
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "whole").unwrap();
        let full = write_replacing(&path, true, |file| {
            file.write_all(b"part")?;
            Err(io::Error::from_raw_os_error(28))
        });
        assert!(full.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole");
        assert_eq!(saved(dir.path()), ["a.md"], "the partial file is removed");
    }

    #[test]
    fn directories_and_devices_are_not_saved_over() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            matches!(save(dir.path(), "x", true), Outcome::Done(m) if m.contains("a directory"))
        );
        let device = save(Path::new("/dev/null"), "x", true);
        assert!(matches!(device, Outcome::Done(m) if m.contains("not a regular file")));
    }
}
