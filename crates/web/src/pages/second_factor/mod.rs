//! 二段階認証 (the second factor: TOTP, and passkeys in [`passkeys`]): a user's own settings page — set up with a QR code drawn
//! here and confirmed with a current code, ten one-time recovery codes shown once, new codes,
//! turning it off with the password or a code — and the second step of a sign-in, which asks
//! for a code (or a recovery code), or sets one up first when the office's policy requires it.
//! Nobody but the user reaches their own second factor: every route acts on the signed-in (or
//! pending) user only, never on an id from the request.

pub mod form;
pub mod handlers;
pub mod passkeys;
pub mod view;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The settings page (inside the CSRF layer).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/second-factor", get(handlers::settings))
        .route("/account/second-factor/start", post(handlers::start))
        .route("/account/second-factor/confirm", post(handlers::confirm))
        .route(
            "/account/second-factor/recovery",
            post(handlers::regenerate),
        )
        .route("/account/second-factor/disable", post(handlers::disable))
        .route("/account/passkeys/start", post(passkeys::start))
        .route("/account/passkeys/finish", post(passkeys::finish))
        .route("/account/passkeys/{id}/remove", post(passkeys::remove))
}

/// The second step of a sign-in (no session yet: a double-submit cookie stands in for CSRF).
pub fn sign_in_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/login/second-factor",
            get(handlers::step_form).post(handlers::step),
        )
        .route("/login/second-factor/passkey", post(passkeys::step))
        .route("/login/enrol/passkey", post(passkeys::enrol_start))
        .route("/login/enrol/passkey/finish", post(passkeys::enrol_finish))
        .route(
            "/login/enrol",
            get(handlers::enrol_form).post(handlers::enrol),
        )
}
