//! The audit log's secret and its copies outside the database. The chain is an HMAC keyed with
//! a secret the database never holds, so someone with only the database login cannot rewrite
//! an event and recompute the hashes; signed checkpoints (sequence, head, time) are appended to
//! files outside the database, so cutting events off the end or emptying the log is seen too.
//!
//! A keyring is text, one key per line, `KEY_ID HEX_SECRET`; `#` starts a comment. The last
//! line signs new events; older lines stay so that events they signed still verify (rotation).

use crate::{Result, StoreError};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::io::Write;
use std::path::{Path, PathBuf};

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone, Default)]
pub struct Keyring {
    keys: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for Keyring {
    // Never print a secret, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

impl Keyring {
    /// Reads `KEY_ID HEX_SECRET` lines (or `;`-separated entries, for an environment variable).
    pub fn parse(text: &str) -> std::result::Result<Keyring, String> {
        let mut keys = Vec::new();
        for (n, line) in text.split(['\n', ';']).enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(id), Some(secret), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!(
                    "監査鍵の {} 行目は「鍵ID 16進の秘密」の形にしてください",
                    n + 1
                ));
            };
            let valid_id = id.len() <= 40
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid_id {
                return Err(format!(
                    "監査鍵の {} 行目: 鍵IDは英数字・-・_ で 40 文字までです",
                    n + 1
                ));
            }
            let secret = hex::decode(secret)
                .map_err(|_| format!("監査鍵の {} 行目: 秘密が16進ではありません", n + 1))?;
            if secret.len() < 32 {
                return Err(format!(
                    "監査鍵の {} 行目: 秘密は 32 バイト（16進 64 文字）以上にしてください",
                    n + 1
                ));
            }
            if keys.iter().any(|(k, _)| k == id) {
                return Err(format!("監査鍵の鍵ID {id} が重複しています"));
            }
            keys.push((id.to_string(), secret));
        }
        Ok(Keyring { keys })
    }

    /// A new key line with a random 32-byte secret, its id made from today's date.
    pub fn new_line(existing: &Keyring) -> String {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let base = format!("k{}", chrono::Utc::now().format("%Y%m%d"));
        let mut id = base.clone();
        let mut n = 2;
        while existing.get(&id).is_some() {
            id = format!("{base}-{n}");
            n += 1;
        }
        format!("{id} {}\n", hex::encode(secret))
    }

    /// Loads the key file, creating it with one new key (readable by its owner only) when it
    /// does not exist yet. Returns the keyring and whether the file was created.
    pub fn load_or_create(path: &Path) -> std::result::Result<(Keyring, bool), String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let ring = Keyring::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                if ring.current().is_none() {
                    return Err(format!("{}: 監査鍵がありません", path.display()));
                }
                Ok((ring, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("{} を作成できません: {e}", dir.display()))?;
                }
                let line = Keyring::new_line(&Keyring::default());
                write_private(
                    path,
                    &format!(
                        "# yorisoi 監査ログの鍵（データベースとは別に保管してください）\n{line}"
                    ),
                )
                .map_err(|e| format!("{} を作成できません: {e}", path.display()))?;
                let ring = Keyring::parse(&line).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok((ring, true))
            }
            Err(e) => Err(format!("{} を読めません: {e}", path.display())),
        }
    }

    /// Appends a new key to the file; it signs every event from the next start on.
    pub fn rotate(path: &Path) -> std::result::Result<String, String> {
        let (ring, _) = Keyring::load_or_create(path)?;
        let line = Keyring::new_line(&ring);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| format!("{} を開けません: {e}", path.display()))?;
        f.write_all(line.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| format!("{} に書けません: {e}", path.display()))?;
        Ok(line
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string())
    }

    /// A fixed key for tests, so every test exercises the keyed chain.
    pub fn for_tests() -> Keyring {
        Keyring {
            keys: vec![("test".into(), vec![7u8; 32])],
        }
    }

    /// The key that signs new events.
    pub fn current(&self) -> Option<(&str, &[u8])> {
        self.keys.last().map(|(k, s)| (k.as_str(), s.as_slice()))
    }

    pub fn get(&self, id: &str) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, s)| s.as_slice())
    }

    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// HMAC-SHA256 of `parts`, each followed by a unit separator (so `ab|c` ≠ `a|bc`).
pub(crate) fn mac(key: &[u8], parts: &[&str]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut m = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    for p in parts {
        m.update(p.as_bytes());
        m.update(&[0x1f]);
    }
    hex::encode(m.finalize().into_bytes())
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// One signed checkpoint: the office's chain had `seq` events ending in `head` at `at`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub office_id: i64,
    pub seq: i64,
    pub head: String,
    pub at: String,
    pub key_id: String,
    pub mac: String,
}

impl Checkpoint {
    fn signed_parts(&self) -> [String; 5] {
        [
            "yorisoi-audit-checkpoint".into(),
            self.office_id.to_string(),
            self.seq.to_string(),
            self.head.clone(),
            self.at.clone(),
        ]
    }

    pub fn sign(keys: &Keyring, office_id: i64, seq: i64, head: &str) -> Option<Checkpoint> {
        let (key_id, key) = keys.current()?;
        let mut c = Checkpoint {
            office_id,
            seq,
            head: head.to_string(),
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            key_id: key_id.to_string(),
            mac: String::new(),
        };
        let parts = c.signed_parts();
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        c.mac = mac(key, &refs);
        Some(c)
    }

    /// Whether the signature holds under a key of `keys`.
    pub fn signature_ok(&self, keys: &Keyring) -> bool {
        let Some(key) = keys.get(&self.key_id) else {
            return false;
        };
        let parts = self.signed_parts();
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        mac(key, &refs) == self.mac
    }
}

/// The checkpoint file of an office: one JSON object per line, appended, never rewritten.
pub fn checkpoint_file(dir: &Path, office_id: i64) -> PathBuf {
    dir.join(format!("office-{office_id}.jsonl"))
}

/// Appends `c` to its office's file and flushes it to disk.
pub fn append_checkpoint(dir: &Path, c: &Checkpoint) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let path = checkpoint_file(dir, c.office_id);
    let mut line =
        serde_json::to_string(c).map_err(|e| StoreError::Corrupt(format!("checkpoint: {e}")))?;
    line.push('\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| io_err(&path, e))?;
    f.write_all(line.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| io_err(&path, e))
}

/// What an office's checkpoint file holds: the checkpoints read, and the lines that are not one
/// (a damaged or edited file is itself a finding).
#[derive(Debug, Default)]
pub struct CheckpointFile {
    pub checkpoints: Vec<Checkpoint>,
    pub bad_lines: Vec<usize>,
}

pub fn read_checkpoints(dir: &Path, office_id: i64) -> Result<CheckpointFile> {
    let path = checkpoint_file(dir, office_id);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CheckpointFile::default()),
        Err(e) => return Err(io_err(&path, e)),
    };
    let mut out = CheckpointFile::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Checkpoint>(line) {
            Ok(c) if c.office_id == office_id => out.checkpoints.push(c),
            _ => out.bad_lines.push(n + 1),
        }
    }
    Ok(out)
}

/// The newest checkpoint of an office, read from the end of its file (the file grows by a line
/// every few minutes; the screen that shows the newest must not read a year of them).
pub fn latest_checkpoint(dir: &Path, office_id: i64) -> Option<Checkpoint> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(checkpoint_file(dir, office_id)).ok()?;
    let len = f.metadata().ok()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(4096))).ok()?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail).ok()?;
    String::from_utf8_lossy(&tail)
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Checkpoint>(l).ok())
        .filter(|c| c.office_id == office_id)
}

fn io_err(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Rule(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_refuses_bad_ones() {
        let k = "# comment\na1 ".to_string() + &"ab".repeat(32) + "\nb2 " + &"cd".repeat(32);
        let ring = Keyring::parse(&k).unwrap();
        assert_eq!(ring.ids(), vec!["a1", "b2"]);
        assert_eq!(ring.current().unwrap().0, "b2");
        assert!(Keyring::parse("x 00ff").is_err(), "short secret");
        assert!(Keyring::parse("x zz").is_err(), "not hex");
        assert!(Keyring::parse(&format!("a/b {}", "ab".repeat(32))).is_err());
        let dup = format!("a {0}\na {0}", "ab".repeat(32));
        assert!(Keyring::parse(&dup).is_err());
        // `;` separates entries in an environment variable.
        let env = format!("a {};b {}", "ab".repeat(32), "cd".repeat(32));
        assert_eq!(Keyring::parse(&env).unwrap().ids(), vec!["a", "b"]);
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let ring = Keyring::for_tests();
        let s = format!("{ring:?}");
        assert!(s.contains("test") && !s.contains("0707"), "{s}");
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" — our `mac`
        // appends 0x1f after each part, so compute the plain HMAC through the same type.
        let mut m = HmacSha256::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_ne!(mac(b"k", &["ab", "c"]), mac(b"k", &["a", "bc"]));
        assert_ne!(mac(b"k1", &["a"]), mac(b"k2", &["a"]));
    }

    #[test]
    fn checkpoints_sign_append_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keyring::for_tests();
        let c = Checkpoint::sign(&keys, 3, 42, "abc").unwrap();
        assert!(c.signature_ok(&keys));
        append_checkpoint(dir.path(), &c).unwrap();
        append_checkpoint(dir.path(), &Checkpoint::sign(&keys, 3, 43, "abd").unwrap()).unwrap();
        let mut forged = c.clone();
        forged.seq = 10;
        assert!(
            !forged.signature_ok(&keys),
            "an edited checkpoint fails its signature"
        );
        let other = Keyring::parse(&format!("test {}", "11".repeat(32))).unwrap();
        assert!(
            !c.signature_ok(&other),
            "another key with the same id fails"
        );
        std::fs::write(
            checkpoint_file(dir.path(), 4),
            "not json\n{\"office_id\":3}\n",
        )
        .unwrap();
        let read = read_checkpoints(dir.path(), 3).unwrap();
        assert_eq!(read.checkpoints.len(), 2);
        assert_eq!(read.checkpoints[0], c);
        assert_eq!(
            read_checkpoints(dir.path(), 4).unwrap().bad_lines,
            vec![1, 2]
        );
        assert!(
            read_checkpoints(dir.path(), 5)
                .unwrap()
                .checkpoints
                .is_empty()
        );
        assert_eq!(latest_checkpoint(dir.path(), 3).unwrap().seq, 43);
        assert!(latest_checkpoint(dir.path(), 4).is_none());
        assert!(latest_checkpoint(dir.path(), 5).is_none());
    }

    #[test]
    fn key_file_is_created_private_and_rotates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/audit.key");
        let (ring, created) = Keyring::load_or_create(&path).unwrap();
        assert!(created && ring.ids().len() == 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only its owner may read the key file");
        }
        let (again, created) = Keyring::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(again.ids(), ring.ids());
        let new_id = Keyring::rotate(&path).unwrap();
        let (rotated, _) = Keyring::load_or_create(&path).unwrap();
        assert_eq!(rotated.ids().len(), 2);
        assert_eq!(rotated.current().unwrap().0, new_id);
        assert!(
            rotated.get(ring.ids()[0]).is_some(),
            "the old key still verifies"
        );
    }
}
