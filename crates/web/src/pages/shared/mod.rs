//! What the care team outside the office sees (issue 19): the people whose team they are on,
//! and of each only the sections a consent in force covers (or, for the person, their own
//! record) — every view a disclosure in the audit log. Also the invitation's two ends: the
//! specialist invites a member from the team page, and the invitee redeems the code at `/join`
//! (a new account with a second factor, or their existing account).

pub mod handlers;
pub mod shares;
pub mod view;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Redeeming an invitation with a new account: before any session (its own double-submit check,
/// as sign-in has).
pub fn join_routes() -> Router<AppState> {
    Router::new().route("/join", get(handlers::join_form).post(handlers::join))
}

/// The provider's 個別支援計画 upload: outside the CSRF layer, which cannot buffer a file; the
/// handler checks the token itself.
pub fn upload_routes() -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    Router::new().route(
        "/shared/{client}/ipp/{row}",
        post(handlers::send_ipp).layer(DefaultBodyLimit::max(
            yorisoi_domain::plan::MAX_UPLOAD + 64 * 1024,
        )),
    )
}

/// The shared pages, adding an invitation to a signed-in account, and the specialist's side.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shared", get(handlers::home))
        .route("/shared/{client}", get(handlers::client))
        .route(
            "/shared/{client}/report",
            get(handlers::report_form).post(handlers::report),
        )
        .route("/shared/documents/{share}", get(shares::document))
        .route("/shared/documents/{share}/pdf", get(shares::pdf))
        .route("/shared/documents/{share}/receive", post(shares::receive))
        .route("/shared/{client}/{section}", get(handlers::section))
        .route("/join/link", post(handlers::link))
        .route("/clients/{id}/team/{member}/invite", post(handlers::invite))
        .route("/clients/{id}/team/{member}/unlink", post(handlers::unlink))
        .route("/clients/{id}/disclosures", get(handlers::disclosures))
        .route(
            "/clients/{id}/shares",
            get(shares::list).post(shares::create),
        )
        .route("/clients/{id}/shares/{share}/revoke", post(shares::revoke))
        .route("/shares", get(shares::office))
}
