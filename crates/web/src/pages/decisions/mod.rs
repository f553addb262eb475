//! 意思決定支援: started from the case with the question (決めること) and its lead
//! (意思決定支援責任者), written section by section (会議と参加者, 情報提供, 体験と観察,
//! 本人の意思・根拠, 決定と実現) on the same section editor as the assessment, and read as one
//! record in the order of the guideline — 意思形成 → 意思表明 → 意思実現.

pub mod form;
pub mod handlers;
pub mod view;

use handlers::*;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/decisions/new", get(new_form))
        .route("/cases/{id}/decisions", post(create))
        .route("/decisions/{id}", get(show))
        .route("/decisions/{id}/edit/{section}", get(edit_form).post(save))
}
