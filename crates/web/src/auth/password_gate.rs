//! After an admin reset a password, the account may do nothing but change it (or sign out)
//! until it does: every page sends it to the change page, every API call answers 403
//! `password_change_required`. A layer of its own, after [`super::resolve`], so that the
//! sign-in flow stays as it is.

use super::Authed;
use crate::error::{ApiError, AppError};
use crate::kit::links::see_other;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Where a user who must change their password changes it.
pub const CHANGE_PAGE: &str = "/account/password";

/// The paths such a user may still reach: the change itself, signing out, and what every
/// page needs to be drawn.
fn allowed(method: &Method, path: &str) -> bool {
    match path {
        CHANGE_PAGE | "/api/v1/account/password" => true,
        "/logout" => method == Method::POST,
        "/login" | "/healthz" | "/api/v1/openapi.json" => true,
        _ => path.starts_with("/static/"),
    }
}

pub async fn password_gate(req: Request, next: Next) -> Response {
    let must = req
        .extensions()
        .get::<Authed>()
        .is_some_and(|a| a.must_change_password);
    if !must || allowed(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    if req.uri().path().starts_with("/api/") {
        ApiError(AppError::PasswordChangeRequired).into_response()
    } else {
        see_other(CHANGE_PAGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_change_and_sign_out_are_open() {
        assert!(allowed(&Method::GET, "/account/password"));
        assert!(allowed(&Method::POST, "/account/password"));
        assert!(allowed(&Method::POST, "/api/v1/account/password"));
        assert!(allowed(&Method::POST, "/logout"));
        assert!(allowed(&Method::GET, "/static/app.css"));
        assert!(!allowed(&Method::GET, "/logout"));
        assert!(!allowed(&Method::GET, "/"));
        assert!(!allowed(&Method::GET, "/account"));
        assert!(!allowed(&Method::GET, "/account/password/x"));
        assert!(!allowed(&Method::GET, "/api/v1/clients"));
    }
}
