//! CSRF: every state-changing request made with a session cookie carries the session's token,
//! in the `X-CSRF-Token` header (API, scripts) or the form's `csrf` field. Layered on the page
//! and API routers; the sign-in form has its own double-submit check, and the one multipart
//! route (a file upload, too large to buffer here) checks its token itself with [`token_ok`].

use super::{Authed, constant_time_eq};
use crate::error::{ApiError, AppError};
use crate::kit::form::MAX_FORM;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// For the pages: a refusal is the Japanese error page.
pub async fn pages(req: Request, next: Next) -> Response {
    check(req, next, |e| e.into_response()).await
}

/// For the API: a refusal is the JSON error.
pub async fn api(req: Request, next: Next) -> Response {
    check(req, next, |e| ApiError(e).into_response()).await
}

async fn check(req: Request, next: Next, refuse: fn(AppError) -> Response) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(user) = req
        .extensions()
        .get::<Authed>()
        .filter(|a| a.session_id.is_some())
        .cloned()
    else {
        // No session: nothing a browser could be tricked into sending.
        return next.run(req).await;
    };
    if !unsafe_method {
        return next.run(req).await;
    }
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM).await {
        Ok(b) => b,
        Err(_) => return refuse(AppError::PayloadTooLarge),
    };
    let ok = header_token
        .or_else(|| form_field(&bytes, "csrf"))
        .is_some_and(|t| constant_time_eq(&t, &user.csrf));
    if !ok {
        return refuse(AppError::Csrf);
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// The upload handler's own check (API tokens carry no session and need none).
pub fn token_ok(user: &Authed, token: &str) -> bool {
    user.session_id.is_none() || constant_time_eq(token, &user.csrf)
}

pub fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_html_form::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
