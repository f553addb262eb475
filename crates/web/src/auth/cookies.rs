//! The session cookie and the sign-in form's double-submit cookie.

use crate::AppState;
use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION_COOKIE: &str = "yorisoi_session";
pub const LOGIN_CSRF_COOKIE: &str = "yorisoi_login";
/// A long-lived random id of the browser, so that a sign-in from a device the user has used
/// before is recognised (and never throttled because of other people's failures).
pub const DEVICE_COOKIE: &str = "yorisoi_device";
/// A sign-in whose password was right, waiting minutes for its second step (a random token,
/// stored hashed).
pub const PENDING_COOKIE: &str = "yorisoi_pending";

/// The name a cookie is sent under: over HTTPS with the `__Host-` prefix, which a browser only
/// accepts from this host, with `Secure` and `Path=/` (no sibling domain can plant or read it).
pub fn name(st: &AppState, base: &'static str) -> &'static str {
    if !st.config.secure_cookies {
        return base;
    }
    match base {
        SESSION_COOKIE => "__Host-yorisoi_session",
        LOGIN_CSRF_COOKIE => "__Host-yorisoi_login",
        DEVICE_COOKIE => "__Host-yorisoi_device",
        PENDING_COOKIE => "__Host-yorisoi_pending",
        other => other,
    }
}

/// The value of cookie `base` under the name this server uses.
pub fn get(st: &AppState, headers: &HeaderMap, base: &'static str) -> Option<String> {
    cookie(headers, name(st, base))
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

/// `Set-Cookie` for cookie `base` (named per [`name`]).
pub fn set_cookie(st: &AppState, base: &'static str, value: &str, max_age: i64) -> HeaderValue {
    let name = self::name(st, base);
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}
