//! 自分の設定: a user's own account — the password (changed with the current one; after an
//! admin's reset, changed before anything else) and 自分のログイン状況, every session of the
//! account with its device, address and times, each of which can be ended. Every role has it;
//! the store scopes every query to the user asking.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/account", get(handlers::show))
        .route(
            "/account/password",
            get(handlers::password_form).post(handlers::change_password),
        )
        .route(
            "/account/sessions/end-others",
            post(handlers::end_other_sessions),
        )
        .route("/account/sessions/{id}/end", post(handlers::end_session))
}
