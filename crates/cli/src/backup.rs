//! Encrypted backups in the age format (age-encryption.org/v1): to a recipient's public key
//! (`age1…`, the private key kept elsewhere) or with a passphrase. The standard `age` tool
//! decrypts them too, so a backup never depends on yorisoi to be read.

use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::path::Path;

/// How a backup is encrypted, or how an encrypted one is opened.
pub enum Secret {
    /// `age1…` public keys to encrypt to.
    Recipients(Vec<String>),
    /// A file of `AGE-SECRET-KEY-1…` lines (as `age-keygen` writes) to decrypt with.
    IdentityFile(std::path::PathBuf),
    Passphrase(String),
}

const MAGIC: &[u8] = b"age-encryption.org/v1";

/// Whether `path` starts like an age file.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    let mut head = [0u8; 21];
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = f.read(&mut head)?;
    Ok(n == MAGIC.len() && head == MAGIC)
}

/// Encrypts `plain` into `out` (created new; never overwrites).
pub fn encrypt(plain: &Path, out: &Path, secret: &Secret) -> Result<()> {
    let encryptor = match secret {
        Secret::Recipients(keys) => {
            let mut recipients: Vec<Box<dyn age::Recipient + Send>> = Vec::new();
            for k in keys {
                let r: age::x25519::Recipient = k.trim().parse().map_err(|e| {
                    anyhow::anyhow!("暗号化の宛先 {k} が age の公開鍵（age1…）ではありません: {e}")
                })?;
                recipients.push(Box::new(r));
            }
            age::Encryptor::with_recipients(recipients.iter().map(|r| r.as_ref() as _))
                .context("cannot set up the encryption")?
        }
        Secret::Passphrase(p) => {
            if p.chars().count() < 12 {
                bail!("バックアップのパスフレーズは 12 文字以上にしてください");
            }
            age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(p.clone()))
        }
        Secret::IdentityFile(_) => bail!("an identity file decrypts; encrypt to its public key"),
    };
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .with_context(|| format!("cannot create {}", out.display()))?;
    let mut writer = encryptor.wrap_output(std::io::BufWriter::new(file))?;
    let mut input = std::fs::File::open(plain)?;
    std::io::copy(&mut input, &mut writer)?;
    let mut inner = writer.finish()?;
    inner.flush()?;
    inner
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?
        .sync_all()?;
    Ok(())
}

/// Decrypts `encrypted` into `out` (created new).
pub fn decrypt(encrypted: &Path, out: &Path, secret: &Secret) -> Result<()> {
    let input = std::io::BufReader::new(std::fs::File::open(encrypted)?);
    let decryptor = age::Decryptor::new(input).context("the backup is not a readable age file")?;
    let mut reader: Box<dyn Read> = match secret {
        Secret::Passphrase(p) => {
            let id = age::scrypt::Identity::new(age::secrecy::SecretString::from(p.clone()));
            Box::new(
                decryptor
                    .decrypt(std::iter::once(&id as &dyn age::Identity))
                    .map_err(|e| {
                        anyhow::anyhow!("復号できません（パスフレーズが違います）: {e}")
                    })?,
            )
        }
        Secret::IdentityFile(path) => {
            let ids = age::IdentityFile::from_file(path.display().to_string())
                .with_context(|| format!("cannot read the identity file {}", path.display()))?
                .into_identities()
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Box::new(
                decryptor
                    .decrypt(ids.iter().map(|i| i.as_ref() as &dyn age::Identity))
                    .map_err(|e| anyhow::anyhow!("復号できません（鍵が違います）: {e}"))?,
            )
        }
        Secret::Recipients(_) => bail!("a public key cannot decrypt; give --identity"),
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .with_context(|| format!("cannot create {}", out.display()))?;
    std::io::copy(&mut reader, &mut file).context("the backup is damaged or was altered")?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_a_passphrase_and_refuses_a_wrong_one() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("p");
        std::fs::write(&plain, b"SQLite format 3\0 and the rest").unwrap();
        let enc = dir.path().join("p.age");
        let short = Secret::Passphrase("short".into());
        assert!(encrypt(&plain, &enc, &short).is_err());
        let good = Secret::Passphrase("correct horse battery staple".into());
        encrypt(&plain, &enc, &good).unwrap();
        assert!(is_encrypted(&enc).unwrap());
        assert!(!is_encrypted(&plain).unwrap());
        let raw = std::fs::read(&enc).unwrap();
        assert!(
            !raw.windows(6).any(|w| w == b"SQLite"),
            "no plaintext in the file"
        );
        let wrong = Secret::Passphrase("incorrect horse battery".into());
        assert!(decrypt(&enc, &dir.path().join("w"), &wrong).is_err());
        let back = dir.path().join("back");
        decrypt(&enc, &back, &good).unwrap();
        assert_eq!(
            std::fs::read(&back).unwrap(),
            std::fs::read(&plain).unwrap()
        );
    }

    #[test]
    fn round_trips_to_a_public_key() {
        use age::secrecy::ExposeSecret;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("p");
        std::fs::write(&plain, vec![42u8; 100_000]).unwrap();
        let key = age::x25519::Identity::generate();
        let ids = dir.path().join("key.txt");
        std::fs::write(&ids, format!("{}\n", key.to_string().expose_secret())).unwrap();
        let enc = dir.path().join("p.age");
        assert!(encrypt(&plain, &enc, &Secret::Recipients(vec!["age1nope".into()])).is_err());
        encrypt(
            &plain,
            &enc,
            &Secret::Recipients(vec![key.to_public().to_string()]),
        )
        .unwrap();
        let back = dir.path().join("back");
        decrypt(&enc, &back, &Secret::IdentityFile(ids)).unwrap();
        assert_eq!(std::fs::read(&back).unwrap().len(), 100_000);
        // A flipped byte in the body is refused, not restored.
        let mut raw = std::fs::read(&enc).unwrap();
        let n = raw.len();
        raw[n - 20] ^= 1;
        std::fs::write(&enc, raw).unwrap();
        let other = Secret::IdentityFile(dir.path().join("key.txt"));
        assert!(decrypt(&enc, &dir.path().join("back2"), &other).is_err());
    }
}
