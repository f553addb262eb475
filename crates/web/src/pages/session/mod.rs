//! サインイン・サインアウト.

pub mod form;
pub mod handlers;
pub mod view;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Sign-in (outside the CSRF layer: it has its own double-submit check).
pub fn sign_in_routes() -> Router<AppState> {
    Router::new().route("/login", get(handlers::login_form).post(handlers::login))
}

/// Sign-out, the forms kept after a session expired, and the keep-alive (inside the CSRF
/// layer).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/logout", post(handlers::logout))
        .route("/session/alive", get(handlers::alive))
        .route("/session/restore", get(handlers::restore_page))
        .route("/session/restore/{id}/discard", post(handlers::discard))
}
