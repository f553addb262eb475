//! What every handler shares: the store, the settings, the document templates and dictionary,
//! and the process's caches. Nothing here knows about pages.

use std::sync::Arc;
use yorisoi_store::Store;

/// Settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Extra document templates, `<dir>/<kind>/<name>.typ` (none: the built-in 標準 only).
    pub templates_dir: Option<std::path::PathBuf>,
    /// MeCab IPA dictionary sources for furigana (default: Debian's mecab-ipadic).
    pub ipadic_dir: Option<std::path::PathBuf>,
    /// Where the compiled furigana dictionary is cached between starts.
    pub furigana_cache: Option<std::path::PathBuf>,
    /// The address people open yorisoi at (`https://yorisoi.example.jp`); passkeys are bound to
    /// its host. `None`: `http://localhost` on any port.
    pub public_url: Option<String>,
}

/// Cloned for every request (axum's `State`): one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Store,
    pub config: Arc<Config>,
    pub templates: Arc<yorisoi_documents::templates::Templates>,
    pub furigana: Arc<yorisoi_documents::furigana::Dictionary>,
    pub jobs: crate::jobs::Jobs,
    /// Ledger files between their preview and their import.
    pub imports: crate::kit::import::Imports,
    pub drawings: crate::drawings::DrawingCache,
    /// Passkeys' relying party; `None` when the public URL cannot carry passkeys (logged at
    /// start; the pages then offer TOTP only).
    pub passkeys: Arc<Option<crate::kit::passkey::RelyingParty>>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        let templates = yorisoi_documents::templates::Templates::new(config.templates_dir.clone());
        let furigana = yorisoi_documents::furigana::Dictionary::new(
            config
                .ipadic_dir
                .clone()
                .unwrap_or_else(|| yorisoi_documents::furigana::DEBIAN_IPADIC.into()),
            config.furigana_cache.clone(),
        );
        let passkeys = match crate::kit::passkey::RelyingParty::new(config.public_url.as_deref()) {
            Ok(rp) => Some(rp),
            Err(e) => {
                tracing::warn!("passkeys are off: {e}");
                None
            }
        };
        Self(Arc::new(Shared {
            store,
            passkeys: Arc::new(passkeys),
            config: Arc::new(config),
            templates: Arc::new(templates),
            furigana: Arc::new(furigana),
            jobs: Default::default(),
            imports: Default::default(),
            drawings: Default::default(),
        }))
    }
}
