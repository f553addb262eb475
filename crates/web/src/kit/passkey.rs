//! WebAuthn passkeys: the relying party yorisoi is (its host and origin) and the ceremonies'
//! library calls (webauthn-rs, kanidm's maintained crate), kept here so that pages only pass
//! JSON between the browser and the store.
//!
//! A passkey is bound to a host name: the one in `--public-url` (an office's
//! `https://yorisoi.example.jp`), or `localhost` on any port when none is set (the demo and a
//! single PC). Opened at another address (`http://127.0.0.1:8080`), the browser would refuse, so
//! pages say where to open yorisoi instead of offering a button that cannot work.

use axum::http::{HeaderMap, header};
use url::Url;
use webauthn_rs::prelude::{
    CreationChallengeResponse, CredentialID, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Uuid, Webauthn,
    WebauthnBuilder,
};

/// yorisoi as a WebAuthn relying party.
pub struct RelyingParty {
    webauthn: Webauthn,
    host: String,
    origin: String,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty")
            .field("origin", &self.origin)
            .finish()
    }
}

/// Why a ceremony did not succeed, in words for the user.
#[derive(Debug)]
pub struct Refused(pub String);

impl RelyingParty {
    /// The relying party for `public_url` (`None`: `http://localhost` on any port).
    pub fn new(public_url: Option<&str>) -> Result<Self, String> {
        let (url, any_port) = match public_url {
            Some(u) => (
                Url::parse(u.trim()).map_err(|e| format!("public URL {u:?}: {e}"))?,
                false,
            ),
            None => (
                Url::parse("http://localhost").map_err(|e| e.to_string())?,
                true,
            ),
        };
        let host = url
            .domain()
            .ok_or_else(|| {
                format!("public URL {url} has no host name (passkeys need a name, not an address)")
            })?
            .to_string();
        let webauthn = WebauthnBuilder::new(&host, &url)
            .map_err(|e| format!("public URL {url}: {e}"))?
            .rp_name("yorisoi 寄り添い")
            .allow_any_port(any_port)
            .build()
            .map_err(|e| format!("public URL {url}: {e}"))?;
        let origin = if any_port {
            "http://localhost:（ポート番号）".to_string()
        } else {
            url.origin().ascii_serialization()
        };
        Ok(Self {
            webauthn,
            host,
            origin,
        })
    }

    /// Whether the page was opened at the host passkeys are bound to.
    pub fn serves(&self, headers: &HeaderMap) -> bool {
        let Some(h) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let name = h.rsplit_once(':').map(|(n, _)| n).unwrap_or(h);
        name.eq_ignore_ascii_case(&self.host)
    }

    /// What to tell a user who opened yorisoi at another address.
    pub fn where_to_open(&self) -> String {
        format!(
            "パスキーは、yorisoi を {} で開いたときに使えます（パスキーはアドレスに結び付けられるため）。",
            self.origin
        )
    }

    /// Starts registering a passkey: the options for the browser (JSON) and the state to keep.
    pub fn start_registration(
        &self,
        user_handle: Uuid,
        login: &str,
        display_name: &str,
        existing: &[Passkey],
    ) -> Result<(String, String), Refused> {
        let exclude: Vec<CredentialID> = existing.iter().map(|p| p.cred_id().clone()).collect();
        let (options, state): (CreationChallengeResponse, PasskeyRegistration) = self
            .webauthn
            .start_passkey_registration(user_handle, login, display_name, Some(exclude))
            .map_err(|e| Refused(format!("パスキーの登録を始められませんでした（{e}）。")))?;
        Ok((json(&options)?, json(&state)?))
    }

    /// Finishes a registration: the credential to store, checked against the kept state.
    pub fn finish_registration(&self, answer: &str, state: &str) -> Result<Passkey, Refused> {
        let answer: RegisterPublicKeyCredential = serde_json::from_str(answer).map_err(|_| {
            Refused("ブラウザからの応答を読めませんでした。もう一度登録してください。".into())
        })?;
        let state: PasskeyRegistration = serde_json::from_str(state).map_err(|_| {
            Refused("登録の手続きを読めませんでした。もう一度登録してください。".into())
        })?;
        self.webauthn
            .finish_passkey_registration(&answer, &state)
            .map_err(|e| {
                Refused(format!(
                    "パスキーを確認できませんでした（{e}）。もう一度登録してください。"
                ))
            })
    }

    /// Starts a sign-in's second step with the user's passkeys.
    pub fn start_authentication(&self, passkeys: &[Passkey]) -> Result<(String, String), Refused> {
        let (options, state): (RequestChallengeResponse, PasskeyAuthentication) = self
            .webauthn
            .start_passkey_authentication(passkeys)
            .map_err(|e| Refused(format!("パスキーでの確認を始められませんでした（{e}）。")))?;
        Ok((json(&options)?, json(&state)?))
    }

    /// Finishes a second step: which credential answered, and whether its stored copy must be
    /// updated (the counter moved). The caller updates `passkeys` in place.
    pub fn finish_authentication(
        &self,
        answer: &str,
        state: &str,
        passkeys: &mut [Passkey],
    ) -> Result<(usize, bool), Refused> {
        let wrong = || Refused("パスキーで確認できませんでした。".into());
        let answer: PublicKeyCredential = serde_json::from_str(answer).map_err(|_| wrong())?;
        let state: PasskeyAuthentication = serde_json::from_str(state).map_err(|_| wrong())?;
        let result = self
            .webauthn
            .finish_passkey_authentication(&answer, &state)
            .map_err(|_| wrong())?;
        let i = passkeys
            .iter()
            .position(|p| p.cred_id() == result.cred_id())
            .ok_or_else(wrong)?;
        let changed = passkeys[i].update_credential(&result).unwrap_or(false);
        Ok((i, changed))
    }
}

/// A credential as stored (the library's own serialisation).
pub fn to_stored(p: &Passkey) -> Result<String, Refused> {
    json(p)
}

/// A stored credential.
pub fn from_stored(s: &str) -> Option<Passkey> {
    serde_json::from_str(s).ok()
}

/// A credential id as the store keys it (base64url, no padding).
pub fn credential_key(p: &Passkey) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode::<&[u8]>(p.cred_id().as_ref())
}

/// A new random user handle (a user's first passkey).
pub fn new_user_handle() -> Uuid {
    let mut b = [0u8; 16];
    rand::fill(&mut b);
    uuid_v4(b)
}

/// The stored form of a user handle back into a UUID.
pub fn parse_user_handle(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s).ok()
}

fn uuid_v4(mut b: [u8; 16]) -> Uuid {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Uuid::from_bytes(b)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, Refused> {
    serde_json::to_string(v)
        .map_err(|e| Refused(format!("パスキーの情報を保存できませんでした（{e}）。")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn host(h: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
        m
    }

    #[test]
    fn the_default_party_is_localhost_on_any_port() {
        let rp = RelyingParty::new(None).unwrap();
        assert!(rp.serves(&host("localhost:8080")));
        assert!(rp.serves(&host("LOCALHOST:41234")));
        assert!(!rp.serves(&host("127.0.0.1:8080")));
        assert!(!rp.serves(&HeaderMap::new()));
        assert!(rp.where_to_open().contains("http://localhost"));
    }

    #[test]
    fn a_public_url_binds_its_host_and_an_address_is_refused() {
        let rp = RelyingParty::new(Some("https://yorisoi.example.jp")).unwrap();
        assert!(rp.serves(&host("yorisoi.example.jp")));
        assert!(!rp.serves(&host("evil.example.jp")));
        assert!(rp.where_to_open().contains("https://yorisoi.example.jp"));
        assert!(RelyingParty::new(Some("http://127.0.0.1:8080")).is_err());
        assert!(RelyingParty::new(Some("not a url")).is_err());
    }

    #[test]
    fn registration_options_carry_the_user_and_exclude_nothing_at_first() {
        let rp = RelyingParty::new(None).unwrap();
        let handle = new_user_handle();
        let (options, state) = rp
            .start_registration(handle, "sato", "佐藤 花子", &[])
            .unwrap();
        let o: serde_json::Value = serde_json::from_str(&options).unwrap();
        assert_eq!(o["publicKey"]["rp"]["id"], "localhost");
        assert_eq!(o["publicKey"]["user"]["name"], "sato");
        assert!(o["publicKey"]["challenge"].as_str().unwrap().len() >= 43);
        // A garbage answer is refused in words, never a panic.
        assert!(rp.finish_registration("{}", &state).is_err());
        assert!(rp.finish_registration("not json", "not json").is_err());
        let auth_state = rp
            .start_authentication(&[])
            .map(|(_, state)| state)
            .unwrap_or_else(|_| state.clone());
        for junk in [
            "",
            "null",
            "{}",
            "[1,2]",
            "{\"id\":\"AA\",\"rawId\":\"AA\"}",
        ] {
            assert!(
                rp.finish_authentication(junk, &auth_state, &mut [])
                    .is_err()
            );
            assert!(rp.finish_authentication(junk, "null", &mut []).is_err());
        }
    }

    #[test]
    fn user_handles_are_random_version_4_uuids() {
        let a = new_user_handle();
        let b = new_user_handle();
        assert_ne!(a, b);
        assert_eq!(a.get_version_num(), 4);
        assert_eq!(parse_user_handle(&a.to_string()), Some(a));
        assert_eq!(parse_user_handle("x"), None);
    }
}
