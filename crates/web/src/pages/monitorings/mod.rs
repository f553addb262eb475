//! モニタリング報告書: recorded from the case, goal by goal against the final plan in force
//! (本計画), with the previous report beside each goal; the outcome (今後の方針) sets the next
//! step going (再アセスメント opens the next assessment version; 終結 leads to the case's
//! closing form; a needed plan change to 計画変更).

pub mod form;
pub mod handlers;
pub mod view;

use handlers::*;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cases/{id}/monitorings/new", get(new_form))
        .route("/cases/{id}/monitorings", post(create))
        .route("/monitorings/{id}", get(show).post(update))
}
