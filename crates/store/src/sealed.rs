//! Secrets the database must hold but must not give away (a TOTP secret), sealed with a key
//! that is not in the database: ChaCha20-Poly1305 under a key derived from the audit key
//! (HMAC-SHA256 of the key and the purpose), bound to the row it belongs to (a sealed secret
//! copied into another user's row does not open). Someone holding the database alone — a dump,
//! a stolen backup, the application's database login — reads no secret.
//!
//! Stored as `v1:KEY_ID:BASE64(nonce ‖ ciphertext)`. A deployment without an audit key (none
//! configured) stores the plain value as before, and plain values written before sealing
//! existed still read.

use crate::audit_key::Keyring;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "v1:";

fn derived(key: &[u8], purpose: &str) -> Option<ChaCha20Poly1305> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).ok()?;
    m.update(b"yorisoi sealed v1\x1f");
    m.update(purpose.as_bytes());
    let k = m.finalize().into_bytes();
    Some(ChaCha20Poly1305::new(Key::from_slice(&k)))
}

/// Whether `stored` is a sealed value (else a plain one from before, or without a key).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// Seals `plain` for `purpose` and `row` (what it belongs to, e.g. `user:42`) with the current
/// key; `None` when the deployment has no audit key.
pub fn seal(keys: &Keyring, purpose: &str, row: &str, plain: &[u8]) -> Option<String> {
    let (id, key) = keys.current()?;
    let cipher = derived(key, purpose)?;
    let mut nonce = [0u8; 12];
    rand::fill(&mut nonce);
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: row.as_bytes(),
            },
        )
        .ok()?;
    let mut out = nonce.to_vec();
    out.extend(sealed);
    Some(format!("{PREFIX}{id}:{}", B64.encode(out)))
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// The key it was sealed with is not in the key file (restored elsewhere, key lost).
    NoKey(String),
    /// Altered, or moved to another row.
    Broken,
}

/// Opens a value sealed by [`seal`] for the same purpose and row.
pub fn open(keys: &Keyring, purpose: &str, row: &str, stored: &str) -> Result<Vec<u8>, OpenError> {
    let rest = stored.strip_prefix(PREFIX).ok_or(OpenError::Broken)?;
    let (id, body) = rest.split_once(':').ok_or(OpenError::Broken)?;
    let key = keys
        .get(id)
        .ok_or_else(|| OpenError::NoKey(id.to_string()))?;
    let bytes = B64.decode(body).map_err(|_| OpenError::Broken)?;
    if bytes.len() < 12 + 16 {
        return Err(OpenError::Broken);
    }
    let (nonce, sealed) = bytes.split_at(12);
    derived(key, purpose)
        .ok_or(OpenError::Broken)?
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: row.as_bytes(),
            },
        )
        .map_err(|_| OpenError::Broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_opens_for_its_row_and_purpose_only() {
        let keys = Keyring::for_tests();
        let s = seal(&keys, "totp", "user:7", b"12345678901234567890").unwrap();
        assert!(is_sealed(&s));
        assert!(
            !s.contains("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA"),
            "not the plain base64"
        );
        assert_eq!(
            open(&keys, "totp", "user:7", &s).unwrap(),
            b"12345678901234567890"
        );
        assert_eq!(open(&keys, "totp", "user:8", &s), Err(OpenError::Broken));
        assert_eq!(open(&keys, "other", "user:7", &s), Err(OpenError::Broken));
        // Two seals of the same secret differ (a fresh nonce each time).
        assert_ne!(
            s,
            seal(&keys, "totp", "user:7", b"12345678901234567890").unwrap()
        );
        // One bit changed: refused.
        let mut bytes = s.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(
            open(&keys, "totp", "user:7", &altered),
            Err(OpenError::Broken)
        );
        for junk in ["", "v1:", "v1:x", "v1:nokey:AAAA", "plain"] {
            assert!(open(&keys, "totp", "user:7", junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn without_the_key_it_was_sealed_with_it_does_not_open() {
        let keys = Keyring::for_tests();
        let s = seal(&keys, "totp", "user:1", b"secret").unwrap();
        let other = Keyring::parse(&Keyring::new_line(&Keyring::parse("").unwrap())).unwrap();
        let id = keys.current().unwrap().0.to_string();
        match open(&other, "totp", "user:1", &s) {
            Err(OpenError::NoKey(k)) if k == id => {}
            Err(OpenError::Broken) => {} // the new key happened to take the same id
            e => panic!("{e:?}"),
        }
        // No key configured: nothing sealed.
        assert_eq!(
            seal(&Keyring::parse("").unwrap(), "totp", "user:1", b"x"),
            None
        );
    }
}
