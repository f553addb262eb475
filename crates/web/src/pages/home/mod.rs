//! ホーム: the specialist's morning dashboard — monitoring due this month and overdue,
//! certificates ending within 90 days, plans with fee steps still missing, meetings this week,
//! 意思決定支援 follow-ups — each linking to where to act; for a lead or admin the whole office,
//! with counts per staff member and a filter by staff. The cards are built in [`crate::kit::dashboard`], which
//! the API's `GET /dashboard` returns as they are.

pub mod form;
pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/", get(handlers::home))
}
