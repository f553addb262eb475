//! A region (DOMAIN.md §3.13a): for its secretariat (基幹相談支援センター, the 協議会's
//! secretariat) the released 地域課題 of the offices that joined, the figures across them under
//! the disclosure rules, and where each issue stands in the council; for an office's admin,
//! starting the region the office runs and joining or leaving one. Never a case or a name.

pub mod handlers;
pub mod view;

/// The routes of this resource.
pub fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/region", get(handlers::overview))
        .route("/region/figures.csv", get(handlers::csv))
        .route(
            "/region/issues/{id}",
            get(handlers::show).post(handlers::track),
        )
        .route("/admin/region", get(handlers::admin))
        .route("/admin/region/create", post(handlers::create))
        .route("/admin/region/join", post(handlers::join))
        .route("/admin/region/leave", post(handlers::leave))
}
