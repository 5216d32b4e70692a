//! The keys of `byline serve`: the server's host key (made on first use, never readable by
//! others) and the authorized keys a reader must hold one of.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::ssh_key::{LineEnding, authorized_keys::AuthorizedKeys};
use russh::keys::{HashAlg, PrivateKey, PublicKey};

use crate::text::clean_line;

/// The host key at `path`, made (ed25519, mode 0600) when there is none; the second value is
/// true when it was made now. A key file that others can read is refused.
pub fn host_key(path: &Path) -> Result<(PrivateKey, bool), String> {
    let name = clean_line(&path.display().to_string());
    match std::fs::metadata(path) {
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(format!(
                    "{name}: the host key is readable by others (mode {mode:o}); chmod 600 it"
                ));
            }
            let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
            let key = PrivateKey::from_openssh(text.as_bytes())
                .map_err(|e| format!("{name}: not an OpenSSH private key: {e}"))?;
            if key.is_encrypted() {
                return Err(format!(
                    "{name}: the host key is encrypted; byline needs it plain"
                ));
            }
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => make_host_key(path, &name),
        Err(e) => Err(format!("{name}: {e}")),
    }
}

fn make_host_key(path: &Path, name: &str) -> Result<(PrivateKey, bool), String> {
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| std::io::Read::read_exact(&mut random, &mut seed))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    let pair = KeypairData::Ed25519(Ed25519Keypair::from_seed(&seed));
    let key = PrivateKey::new(pair, "byline serve host key")
        .map_err(|e| format!("{name}: cannot make a host key: {e}"))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("{name}: cannot encode the host key: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{name}: {e}"))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{name}: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{name}: {e}"))?;
    Ok((key, true))
}

/// A key's name in logs and on disk: its SHA256 fingerprint, as OpenSSH prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The per-key file name: the fingerprint's bytes in hex (the base64 form has `/` in it).
pub fn file_name(key: &PublicKey) -> String {
    let print = key.fingerprint(HashAlg::Sha256);
    print
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The keys allowed in, and one line about each entry that was skipped.
#[derive(Debug, Default, Clone)]
pub struct Authorized {
    pub keys: Vec<PublicKey>,
    pub skipped: Vec<String>,
}

impl Authorized {
    pub fn allows(&self, key: &PublicKey) -> bool {
        self.keys.iter().any(|k| k.key_data() == key.key_data())
    }
}

/// Reads an OpenSSH `authorized_keys` file. Entries with options before the key type
/// (`from=`, `command=`, `restrict`, ...) are skipped: byline cannot honour them, and a key
/// meant for one command only must not open a reader. Lines that do not parse are skipped.
pub fn authorized(path: &Path) -> Result<Authorized, String> {
    let name = clean_line(&path.display().to_string());
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    Ok(parse_authorized(&text, &name))
}

pub fn parse_authorized(text: &str, name: &str) -> Authorized {
    let mut found = Authorized::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{name}:{}", number + 1);
        match AuthorizedKeys::new(line).next() {
            Some(Ok(entry)) if entry.config_opts().is_empty() => {
                found.keys.push(entry.public_key().clone());
            }
            Some(Ok(_)) => found.skipped.push(format!(
                "{at}: options before the key are not supported; skipped"
            )),
            Some(Err(e)) => found
                .skipped
                .push(format!("{at}: not a public key ({e}); skipped")),
            None => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHwf2HMM5TRXvo2SQJjsNkiDD5KqiiNjrGVv3UUh+mMT user@host";

    #[test]
    fn keys_with_options_and_lines_that_do_not_parse_are_skipped_not_misread() {
        let text = format!("# comment\n{KEY}\ncommand=\"ls\" {KEY}\nnot a key\n\n");
        let found = parse_authorized(&text, "keys");
        assert_eq!(found.keys.len(), 1);
        assert_eq!(found.skipped.len(), 2, "{:?}", found.skipped);
        assert!(found.skipped[0].starts_with("keys:3: options"));
        assert!(found.skipped[1].starts_with("keys:4: not a public key"));
    }

    #[test]
    fn a_host_key_is_made_private_and_one_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/host_ed25519");
        let (made, new) = host_key(&path).unwrap();
        assert!(new);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let (again, new) = host_key(&path).unwrap();
        assert!(!new);
        assert_eq!(made.public_key().key_data(), again.public_key().key_data());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = host_key(&path).unwrap_err();
        assert!(error.contains("readable by others"), "{error}");
    }
}
