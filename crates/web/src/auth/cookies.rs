//! The session cookie and the sign-in form's double-submit cookie.

use crate::AppState;
use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION_COOKIE: &str = "yorisoi_session";
pub const LOGIN_CSRF_COOKIE: &str = "yorisoi_login";

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

pub fn set_cookie(st: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}
