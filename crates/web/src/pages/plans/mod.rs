//! サービス等利用計画（児童は障害児支援利用計画）: a draft from the case's assessment (計画案),
//! edited section by section, the plan as a document with its fee checklist, 同意 and 交付, the
//! state moves (計画案 → 会議済 → 本計画) and 計画変更, the 週間計画表, and 実施 per row with the
//! provider's 個別支援計画 as an uploaded file.

pub mod form;
pub mod handlers;
pub mod section;
pub mod view;

use handlers::*;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/plans", post(create))
        .route("/cases/{id}/plans/new", get(new_form))
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/edit/{section}", get(edit_form).post(save))
        .route("/plans/{id}/consents", post(add_consent))
        .route("/plans/{id}/handovers", post(add_handover))
        .route("/plans/{id}/state", post(move_state))
        .route("/plans/{id}/change", post(change))
        .route("/plans/{id}/week.svg", get(week_svg))
        .route(
            "/plans/{id}/rows/{key}/implementation",
            post(save_implementation),
        )
        .route("/attachments/{id}", get(download))
}

/// The one multipart route: outside the CSRF layer, which cannot buffer a file; the handler
/// checks the token itself (`auth::csrf::token_ok`).
pub fn upload_routes() -> axum::Router<crate::AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    axum::Router::new().route(
        "/plans/{id}/rows/{key}/file",
        post(upload).layer(DefaultBodyLimit::max(
            yorisoi_domain::plan::MAX_UPLOAD + 64 * 1024,
        )),
    )
}
