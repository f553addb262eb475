//! 受給者証: registering a new version (pre-filled from the last one, 前回コピー) and the
//! history of versions.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    use handlers::*;
    axum::Router::new()
        .route("/clients/{id}/certificates", get(history).post(create))
        .route("/clients/{id}/certificates/new", get(new_form))
}
