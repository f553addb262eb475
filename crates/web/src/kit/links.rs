//! Where a page goes after a POST, and links that keep a list's filters.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The `?saved=` a page is redirected to after a successful POST, to say what was saved.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Saved {
    pub saved: String,
}

/// 303 to `to` after a successful POST.
pub fn see_other(to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    r
}

/// A link to `page` (0-based) of a list at `path`, keeping the non-empty filters.
pub fn page_link(path: &str, filters: &[(&str, &str)], page: u64) -> String {
    let kept: Vec<_> = filters.iter().filter(|(_, v)| !v.is_empty()).collect();
    let mut s = serde_urlencoded::to_string(kept).unwrap_or_default();
    if !s.is_empty() {
        s.push('&');
    }
    format!("{path}?{s}page={}", page + 1)
}

/// A 1-based `page` parameter as typed, as a 0-based page within `1..=max` (a number out of
/// range or not a number is the first page: a list link is never an error).
pub fn page_index(typed: &str, max: u64) -> u64 {
    typed
        .trim()
        .parse::<u64>()
        .unwrap_or(1)
        .clamp(1, max.max(1))
        - 1
}
