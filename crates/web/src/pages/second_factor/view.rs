//! The second factor's pages: settings (status, set-up with the QR code, recovery codes, turning
//! off) and the sign-in's second step. The QR code is drawn here as inline SVG, from the
//! `otpauth://` URI; no image service and no script.

use crate::auth::Authed;
use crate::kit::render::Nav;
use askama::Template;
use qrcode::{Color, QrCode};
use yorisoi_domain::second_factor::{self as sf, Requirement};

/// `text` as a QR code in inline SVG (dark modules as one path, 4 modules of quiet zone).
pub fn qr_svg(text: &str) -> String {
    let Ok(code) = QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let w = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % w + 4, i / w + 4));
        }
    }
    let size = w + 8;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="232" height="232" role="img" aria-label="認証アプリで読み取るQRコード" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}

/// A set-up in progress: what the user scans or types.
pub struct Setup {
    pub qr: String,
    pub secret: String,
}

impl Setup {
    pub fn new(login: &str, office_id: i64, secret: &[u8]) -> Self {
        Setup {
            qr: qr_svg(&sf::user_uri(login, office_id, secret)),
            secret: sf::grouped(&sf::base32_encode(secret)),
        }
    }
}

/// What the office's policy asks, in words (empty when nothing).
pub fn requirement_text(r: Requirement, enrolled: bool) -> String {
    match (r, enrolled) {
        (_, true) | (Requirement::None, _) => String::new(),
        (Requirement::Grace(d), false) => format!(
            "事業所の方針により、二段階認証の設定が必要です。{}までに設定してください（それ以降は設定するまで利用できません）。",
            crate::kit::display::date(d)
        ),
        (Requirement::Now, false) => "事業所の方針により、二段階認証の設定が必要です。".into(),
    }
}

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SettingsPage {
    pub nav: Nav,
    /// A second factor of any kind.
    pub enrolled: bool,
    /// The authenticator app (TOTP) is on.
    pub totp: bool,
    pub since: String,
    pub recovery_left: u64,
    /// Set while an enrolment waits for its first code.
    pub setup: Option<Setup>,
    /// Recovery codes just made: shown in this response only.
    pub codes: Vec<String>,
    pub required: String,
    pub may_disable: bool,
    pub notice: String,
    pub error: String,
    pub passkeys: Vec<PasskeyRow>,
    /// Why passkeys cannot be registered from this address (empty: they can).
    pub passkey_note: String,
    /// The registration form: the name as typed, and why it was refused.
    pub passkey_name: String,
    pub passkey_error: String,
    /// Whether removing the last second factor is allowed (the policy does not require one).
    pub may_remove_last: bool,
}

/// A registered passkey as listed.
pub struct PasskeyRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
}

impl SettingsPage {
    pub fn new(user: &Authed) -> Self {
        SettingsPage {
            nav: Nav::new(user, "second_factor"),
            enrolled: false,
            totp: false,
            since: String::new(),
            recovery_left: 0,
            setup: None,
            codes: Vec::new(),
            required: String::new(),
            may_disable: true,
            notice: String::new(),
            error: String::new(),
            passkeys: Vec::new(),
            passkey_note: String::new(),
            passkey_name: String::new(),
            passkey_error: String::new(),
            may_remove_last: true,
        }
    }
}

/// The sign-in's second step: a code, or a set-up first, or the recovery codes of a set-up just
/// finished (then `next` is where to continue).
#[derive(Template)]
#[template(path = "second_step.html")]
pub struct StepPage {
    pub csrf: String,
    pub name: String,
    pub setup: Option<Setup>,
    pub codes: Vec<String>,
    pub next: String,
    pub error: String,
    /// The user has the authenticator app (else only a recovery code is typed).
    pub totp: bool,
    /// The challenge for the user's passkeys (JSON), when they have some and the address
    /// carries them.
    pub passkey_options: String,
    /// Why the user's passkeys cannot be used from this address.
    pub passkey_note: String,
    /// Enrolment: a passkey may be set up instead of the app (this address carries passkeys).
    pub offer_passkey: bool,
    /// Enrolment: `passkey_options` are for creating a passkey named this.
    pub passkey_create: String,
}

/// The page that asks the browser to create a passkey (the name and the options ride on the
/// form; the answer goes back with it).
#[derive(Template)]
#[template(path = "passkey_register.html")]
pub struct RegisterPage {
    pub nav: Nav,
    pub name: String,
    pub options: String,
}
