//! サービス担当者会議: scheduled from a plan version with participants from the care team
//! (ケアチーム), then recorded in the seed's six steps. Each participant carries a consent badge
//! (同意あり・同意なし・家族の同意なし・本人・家族); one whom no consent to share covers is
//! refused by name. A held meeting (開催済み) moves the draft plan to 会議済.

pub mod form;
pub mod handlers;
pub mod view;

use handlers::*;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/plans/{id}/meetings/new", get(new_form))
        .route("/plans/{id}/meetings", post(create))
        .route("/meetings/{id}", get(show).post(update))
}
